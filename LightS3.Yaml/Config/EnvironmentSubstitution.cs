using System.Text.RegularExpressions;

namespace LightS3.Yaml.Config;

/// <summary><c>${VAR}</c> and <c>${VAR:-default}</c> in any string value, resolved from the environment at load time.</summary>
internal static partial class EnvironmentSubstitution
{
    /// <summary>Substitutes variables in <paramref name="text"/>; returns the names that were missing without a default.</summary>
    public static string Apply(string text, Func<string, string?> lookup, out IReadOnlyList<string> missing)
    {
        var absent = new List<string>();
        var result = Pattern().Replace(text, m =>
        {
            var value = lookup(m.Groups["name"].Value);
            if (!string.IsNullOrEmpty(value)) return value;
            if (m.Groups["default"].Success) return m.Groups["default"].Value;
            absent.Add(m.Groups["name"].Value);
            return "";
        });
        missing = absent;
        return result;
    }

    [GeneratedRegex(@"\$\{(?<name>[A-Za-z_][A-Za-z0-9_]*)(:-(?<default>[^}]*))?\}")]
    private static partial Regex Pattern();
}
