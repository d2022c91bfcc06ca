using System.Globalization;
using LightS3.Model;

namespace LightS3;

/// <summary>
/// The one parser of LightS3's settings (<c>LIGHTS3_*</c> variables and the typed <c>LightS3:*</c> keys): booleans, durations, sizes, whole numbers and
/// lists read the same way for every name, and a value that does not parse stops the start with an error naming the
/// setting and the value — never a silent default.
/// </summary>
internal static class SettingValues
{
    /// <summary><c>true</c>/<c>false</c>, also <c>1</c>/<c>0</c>, <c>yes</c>/<c>no</c>, <c>on</c>/<c>off</c> (any case).</summary>
    public static bool Bool(string name, string value) => value.Trim().ToLowerInvariant() switch
    {
        "true" or "1" or "yes" or "on" => true,
        "false" or "0" or "no" or "off" => false,
        _ => throw Invalid(name, value, "a boolean (true or false)"),
    };

    /// <summary>Seconds (<c>600</c>, <c>0.5</c>), a unit (<c>500ms</c>, <c>30s</c>, <c>10m</c>, <c>2h</c>, <c>1d</c>) or <c>hh:mm:ss</c>.</summary>
    public static TimeSpan Duration(string name, string value)
    {
        var v = value.Trim();
        if (double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0) return TimeSpan.FromSeconds(seconds);
        foreach (var (suffix, unit) in DurationUnits)
            if (v.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)
                && double.TryParse(v[..^suffix.Length], NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n >= 0)
                return unit * n;
        if (v.Contains(':') && TimeSpan.TryParse(v, CultureInfo.InvariantCulture, out var span) && span >= TimeSpan.Zero) return span;
        throw Invalid(name, value, "a duration (seconds, or 500ms, 30s, 10m, 2h, 1d, or hh:mm:ss)");
    }

    // longest suffix first: "ms" before "s"
    private static readonly (string Suffix, TimeSpan Unit)[] DurationUnits =
        [("ms", TimeSpan.FromMilliseconds(1)), ("s", TimeSpan.FromSeconds(1)), ("m", TimeSpan.FromMinutes(1)), ("h", TimeSpan.FromHours(1)), ("d", TimeSpan.FromDays(1))];

    /// <summary>Bytes (<c>1048576</c>), or with a unit: <c>KB</c>/<c>MB</c>/<c>GB</c> (powers of 1000), <c>KiB</c>/<c>MiB</c>/<c>GiB</c> (of 1024).</summary>
    public static long Size(string name, string value)
    {
        var v = value.Trim();
        if (long.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var bytes)) return bytes;
        foreach (var (suffix, unit) in SizeUnits)
            if (v.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)
                && long.TryParse(v[..^suffix.Length].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n <= long.MaxValue / unit)
                return n * unit;
        throw Invalid(name, value, "a size in bytes (1048576, or 512KiB, 1MiB, 10MB)");
    }

    // the binary units before their decimal look-alikes ("KiB" also ends in "B")
    private static readonly (string Suffix, long Unit)[] SizeUnits =
        [("KiB", 1L << 10), ("MiB", 1L << 20), ("GiB", 1L << 30), ("KB", 1000), ("MB", 1000_000), ("GB", 1000_000_000), ("B", 1)];

    /// <summary>A whole number.</summary>
    public static int Int(string name, string value) =>
        int.TryParse(value.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n : throw Invalid(name, value, "a whole number");

    /// <summary>A boolean as the configuration binder reads it.</summary>
    public static string Format(bool value) => value ? bool.TrueString : bool.FalseString;

    /// <summary>A duration as the configuration binder reads it (<c>[-][d.]hh:mm:ss[.fffffff]</c>).</summary>
    public static string Format(TimeSpan value) => value.ToString("c", CultureInfo.InvariantCulture);

    /// <summary>A comma-separated list (blank entries dropped).</summary>
    public static string[] List(string value) => value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static ConfigurationException Invalid(string name, string value, string expected) => new($"{name}: '{value}' is not {expected}");
}
