using System.Security.Cryptography;
using System.Text;

namespace LightS3.Documents;

/// <summary>
/// Where a collection's objects live:
/// <c>{collection}/records/{id}.json</c> (or <c>{recordsPath}/{id}.json</c> for reflected data) for records and <c>{collection}/unique/{field}/{token}</c> for
/// unique-value markers (the store adds its own base path).
/// </summary>
public sealed class CollectionLayout(string collection, string? recordsPath = null)
{
    /// <summary>The collection name.</summary>
    public string Collection { get; } = collection;

    /// <summary>Prefix of every record key; a listing of it is in id (= creation) order.</summary>
    public string RecordsPrefix { get; } = recordsPath is null ? $"{collection}/records/" : recordsPath.Trim('/') + "/";

    /// <summary>The key of one record.</summary>
    public string RecordKey(string id) => $"{RecordsPrefix}{id}.json";

    /// <summary>The id inside a record key, or null if the key is not a record key.</summary>
    public string? IdOf(string key) =>
        key.StartsWith(RecordsPrefix, StringComparison.Ordinal) && key.EndsWith(".json", StringComparison.Ordinal)
        && key[RecordsPrefix.Length..^5] is var id && RecordIds.IsSafeName(id)
            ? id
            : null;

    /// <summary>Prefix of every unique-value marker of the collection.</summary>
    public string UniquePrefix => $"{Collection}/unique/";

    /// <summary>The marker key claiming <paramref name="value"/> (canonical text) of a unique field.</summary>
    public string UniqueKey(string field, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        // base64url keeps keys readable-ish and case-exact; long values are hashed to stay under key limits
        var token = bytes.Length <= 180
            ? "v" + Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_')
            : "h" + Convert.ToHexStringLower(SHA256.HashData(bytes));
        return $"{UniquePrefix}{field}/{token}";
    }
}
