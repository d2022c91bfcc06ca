using System.Text.Json.Nodes;
using LightS3.Model;

namespace LightS3.Documents;

/// <summary>
/// Keys of index entries: <c>{collection}/index/{field}/{encoded value}/{id}/{version}</c>.
/// The version makes each entry belong to exactly one version of its record: the writer of version n+1
/// writes its entries before committing and deletes version n's after, so no writer can ever delete an
/// entry that a committed record still needs — a crash or a lost race leaves only stale entries, which
/// reads verify away and a rebuild collects.
/// </summary>
public sealed class IndexLayout(string collection)
{
    /// <summary>Prefix of all entries of <paramref name="field"/>.</summary>
    public string FieldPrefix(string field) => $"{collection}/index/{field}/";

    /// <summary>Prefix of all index entries of the collection.</summary>
    public string Root => $"{collection}/index/";

    /// <summary>The key of one entry.</summary>
    public string EntryKey(FieldModel field, JsonNode? value, string id, long version) =>
        $"{FieldPrefix(field.Name)}{IndexEncoding.Encode(field, value)}/{id}/{version}";

    /// <summary>
    /// The keys of every entry <paramref name="data"/> needs for <paramref name="field"/> (a view from
    /// <see cref="EndpointModel.IndexedFields"/>): one for a scalar, one per distinct element of a list.
    /// </summary>
    public IEnumerable<string> EntryKeys(FieldModel field, JsonObject data, string id, long version) =>
        FieldPaths.ValuesOf(data, field).Select(v => EntryKey(field, v, id, version)).Distinct(StringComparer.Ordinal);

    /// <summary>The prefix of the entries of one value.</summary>
    public string ValuePrefix(FieldModel field, JsonNode? value) => $"{FieldPrefix(field.Name)}{IndexEncoding.Encode(field, value)}/";

    /// <summary>The key just after every entry of <paramref name="encoded"/>/<paramref name="id"/> (all versions).</summary>
    public string AfterRecord(string field, string encoded, string id) => $"{FieldPrefix(field)}{encoded}/{id}/~";

    /// <summary>Splits an entry key into field, encoded value, id and version; null for anything else.</summary>
    public IndexEntry? Parse(string key)
    {
        if (!key.StartsWith(Root, StringComparison.Ordinal)) return null;
        var parts = key[Root.Length..].Split('/');
        return parts.Length == 4 && long.TryParse(parts[3], out var version) ? new IndexEntry(key, parts[0], parts[1], parts[2], version) : null;
    }
}

/// <summary>One parsed index entry.</summary>
public sealed record IndexEntry(string Key, string Field, string Encoded, string Id, long Version);
