using System.Text;
using System.Text.Json.Nodes;
using LightS3.Model;
using LightS3.Storage;

namespace LightS3.Documents;

/// <summary>Writes and removes the index entries of one record version (concurrently; one request each).</summary>
public sealed class IndexEntries(EndpointModel model, IObjectStore store, IndexLayout layout)
{
    /// <summary>
    /// Keys of the entries of <paramref name="data"/> at <paramref name="version"/>: one per indexed field, or one per
    /// distinct element of an indexed list (a multi-entry index; an empty or null list has none).
    /// </summary>
    public IReadOnlyList<string> KeysOf(JsonObject data, string id, long version) =>
        model.IndexedFields.SelectMany(f => layout.EntryKeys(f, data, id, version)).ToList();

    /// <summary>Writes entries (before the record commits).</summary>
    public Task WriteAsync(IReadOnlyList<string> keys, long version, CancellationToken ct)
    {
        if (keys.Count == 0) return Task.CompletedTask;
        var body = Encoding.UTF8.GetBytes($"{{\"v\":{version}}}");
        return Task.WhenAll(keys.Select(k => store.PutAsync(k, body, WriteCondition.None, ct)));
    }

    /// <summary>Removes entries (after the version they belong to is dead). Best effort: leftovers are stale, never wrong.</summary>
    public async Task RemoveAsync(IReadOnlyList<string> keys)
    {
        if (keys.Count == 0) return;
        try
        {
            await Task.WhenAll(keys.Select(k => store.DeleteObservedAsync(k, "*", CancellationToken.None)));
        }
        catch (StorageException)
        {
            // stale entries are filtered on read and collected by a rebuild
        }
    }
}
