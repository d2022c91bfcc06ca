using System.Reflection;

namespace LightS3;

/// <summary>
/// The typed keys of the <c>LightS3</c> section (booleans, durations, sizes, whole numbers), found by reflection over
/// the options classes bound from it (each registers itself: <see cref="LightS3Configuration.Bind{TOptions}"/>), so <see cref="LightS3ConfigurationProvider"/> reads them with <see cref="SettingValues"/>
/// like the <c>LIGHTS3_*</c> variables: <c>yes</c>, <c>30s</c> or <c>1MiB</c> mean the same in appsettings.json as in a variable.
/// </summary>
internal static class SettingTypes
{
    internal enum Kind { Bool, Duration, Size, Int }

    /// <summary>An options class bound from <paramref name="Path"/> (a section path such as <c>LightS3:Webhooks</c>).</summary>
    internal sealed record Root(string Path, Type Type);

    /// <summary>Key (relative to the <c>LightS3</c> section, any case) → how its value is read, for the options classes <paramref name="roots"/>.</summary>
    public static IReadOnlyDictionary<string, Kind> Of(IEnumerable<Root> roots)
    {
        var keys = new Dictionary<string, Kind>(StringComparer.OrdinalIgnoreCase);
        foreach (var root in roots)
        {
            var path = root.Path == LightS3Options.Section ? "" : root.Path[(LightS3Options.Section.Length + 1)..];
            Add(keys, path, root.Type, depth: 0);
        }
        return keys;
    }

    private static void Add(Dictionary<string, Kind> keys, string prefix, Type type, int depth)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite && p.GetIndexParameters().Length == 0))
        {
            var key = prefix.Length == 0 ? property.Name : $"{prefix}:{property.Name}";
            var t = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (t == typeof(bool)) keys[key] = Kind.Bool;
            else if (t == typeof(TimeSpan)) keys[key] = Kind.Duration;
            else if (t == typeof(long)) keys[key] = Kind.Size; // every long of the options is a byte count
            else if (t == typeof(int)) keys[key] = Kind.Int;
            else if (t.IsClass && t != typeof(string) && t.Namespace?.StartsWith("LightS3", StringComparison.Ordinal) == true && depth < 4)
                Add(keys, key, t, depth + 1); // nested settings objects (S3, Jwt, Files, Changes, …), not lists or dictionaries
        }
    }

    /// <summary>The value of a key (named in errors as <paramref name="name"/>) as the binder reads it.</summary>
    public static string Normalize(Kind kind, string name, string value) => kind switch
    {
        Kind.Bool => SettingValues.Format(SettingValues.Bool(name, value)),
        Kind.Duration => SettingValues.Format(SettingValues.Duration(name, value)),
        Kind.Size => SettingValues.Size(name, value).ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => SettingValues.Int(name, value).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
