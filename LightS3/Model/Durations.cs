using System.Globalization;

namespace LightS3.Model;

/// <summary>Durations as configuration writes them: <c>7d</c>, <c>12h</c>, <c>30m</c>, <c>45s</c>, or a number of seconds.</summary>
internal static class Durations
{
    /// <summary>Parses <paramref name="text"/>; false (and no value) when it is not a positive duration.</summary>
    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        text = text.Trim();
        var unit = char.ToLowerInvariant(text[^1]);
        var (digits, scale) = unit switch
        {
            'd' => (text[..^1], TimeSpan.FromDays(1)),
            'h' => (text[..^1], TimeSpan.FromHours(1)),
            'm' => (text[..^1], TimeSpan.FromMinutes(1)),
            's' => (text[..^1], TimeSpan.FromSeconds(1)),
            _ => (text, TimeSpan.FromSeconds(1)),
        };
        if (!double.TryParse(digits, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var n) || n <= 0 || n > 3_650_000) return false;
        value = scale * n;
        return true;
    }

    /// <summary>Parses <paramref name="text"/> or throws a <see cref="ConfigurationException"/> naming <paramref name="what"/>.</summary>
    public static TimeSpan Parse(string text, string what) =>
        TryParse(text, out var value) ? value : throw new ConfigurationException($"{what}: '{text}' is not a duration (use e.g. 7d, 12h, 30m, 45s)");
}
