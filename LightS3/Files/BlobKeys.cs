using System.Security.Cryptography;
using LightS3.Documents;

namespace LightS3.Files;

/// <summary>
/// Where file bytes live: <c>{collection}/files/{id}/{field}/{token}</c>, the token 128 random bits (hex), so keys are
/// not guessable and never contain a client-supplied name.
/// </summary>
internal static class BlobKeys
{
    /// <summary>The prefix of every blob of a collection.</summary>
    public static string Prefix(string collection) => $"{collection}/files/";

    /// <summary>The key of one blob.</summary>
    public static string Key(string collection, string id, string field, string token) => $"{collection}/files/{id}/{field}/{token}";

    /// <summary>A fresh random token.</summary>
    public static string NewToken() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>Whether <paramref name="token"/> has the shape <see cref="NewToken"/> produces.</summary>
    public static bool IsToken(string token) => token.Length == 32 && token.All(char.IsAsciiHexDigitLower);

    /// <summary>Splits a blob key (without the store's base path) into collection, record id, field and token; null if it is not one.</summary>
    public static (string Collection, string Id, string Field, string Token)? Parse(string key)
    {
        var parts = key.Split('/');
        if (parts.Length < 5 || parts[^4] != "files") return null;
        var (id, field, token) = (parts[^3], parts[^2], parts[^1]);
        if (!RecordIds.IsSafeName(id) || !IsToken(token) || field.Length == 0) return null;
        return (string.Join('/', parts[..^4]), id, field, token);
    }

    /// <summary>Parses a key under <paramref name="prefix"/> of one collection into record id, field and token.</summary>
    public static (string Id, string Field, string Token)? ParseIn(string prefix, string key) =>
        key.StartsWith(prefix, StringComparison.Ordinal) && key[prefix.Length..].Split('/') is [var id, var field, var token]
        && RecordIds.IsSafeName(id) && IsToken(token) ? (id, field, token) : null;
}
