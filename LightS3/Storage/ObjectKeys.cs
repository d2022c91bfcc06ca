namespace LightS3.Storage;

/// <summary>Rules every object key obeys, so a key can map to a file path without escaping its root.</summary>
internal static class ObjectKeys
{
    /// <summary>Maximum key length accepted (S3's own limit is 1024 bytes).</summary>
    public const int MaxLength = 1024;

    /// <summary>Throws when <paramref name="key"/> is empty, too long, or has empty, "." or ".." segments.</summary>
    public static void Validate(string key)
    {
        if (string.IsNullOrEmpty(key) || key.Length > MaxLength)
            throw new ArgumentException($"invalid object key '{key}'", nameof(key));
        foreach (var segment in key.Split('/'))
        {
            if (segment.Length == 0 || segment == "." || segment == ".." || segment.IndexOfAny(['\\', '\0']) >= 0)
                throw new ArgumentException($"invalid object key '{key}'", nameof(key));
        }
    }

    /// <summary>Joins a base path and a key with exactly one slash.</summary>
    public static string Join(string basePath, string key) =>
        string.IsNullOrEmpty(basePath) ? key : basePath.TrimEnd('/') + "/" + key;
}
