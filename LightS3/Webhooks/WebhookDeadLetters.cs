using System.Text.Json;
using System.Text.RegularExpressions;
using LightS3.Storage;

namespace LightS3.Webhooks;

/// <summary>The stored dead letters: written by the dispatcher, listed, read, updated and removed by the admin routes.</summary>
public sealed partial class WebhookDeadLetters(IObjectStore store)
{
    /// <summary>The key prefix of dead letters.</summary>
    public const string Prefix = "_lights3/webhooks/dead-letters/";

    [GeneratedRegex("^[0-9a-f]{32}$")]
    private static partial Regex IdPattern();

    /// <summary>Whether <paramref name="id"/> has the form of a dead letter id (32 lowercase hex digits).</summary>
    public static bool IsId(string id) => IdPattern().IsMatch(id);

    /// <summary>A new, time-ordered id.</summary>
    public static string NewId() => Guid.CreateVersion7().ToString("N");

    /// <summary>Writes (or overwrites) a dead letter.</summary>
    public Task WriteAsync(WebhookDeadLetter letter, CancellationToken ct = default) =>
        store.PutAsync(Prefix + letter.Id + ".json", JsonSerializer.SerializeToUtf8Bytes(letter), WriteCondition.None, ct);

    /// <summary>One dead letter, or null.</summary>
    public async Task<WebhookDeadLetter?> GetAsync(string id, CancellationToken ct = default)
    {
        if (!IsId(id)) return null;
        var stored = await store.GetAsync(Prefix + id + ".json", ct);
        return stored is null ? null : JsonSerializer.Deserialize<WebhookDeadLetter>(stored.Content.Span);
    }

    /// <summary>Up to <paramref name="limit"/> dead letters after <paramref name="after"/>, oldest first, and whether more follow.</summary>
    public async Task<(IReadOnlyList<WebhookDeadLetter> Letters, bool More)> ListAsync(string? after, int limit, CancellationToken ct = default)
    {
        var listing = await store.ListAsync(Prefix, after is null ? null : Prefix + after + ".json", limit, ct);
        var letters = await Task.WhenAll(listing.Entries.Select(e => GetAsync(e.Key[Prefix.Length..^".json".Length], ct)));
        return ([.. letters.Where(l => l is not null).Select(l => l!)], listing.IsTruncated);
    }

    /// <summary>Removes a dead letter; false when there was none.</summary>
    public Task<bool> DeleteAsync(string id, CancellationToken ct = default) =>
        IsId(id) ? store.DeleteAsync(Prefix + id + ".json", null, ct) : Task.FromResult(false);
}
