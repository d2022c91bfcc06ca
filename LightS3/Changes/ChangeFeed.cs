using LightS3.Documents;
using LightS3.Endpoints;
using LightS3.Hosting;
using Microsoft.Extensions.Options;

namespace LightS3.Changes;

/// <summary>
/// The change feeds of the app's collections (docs/realtime.md): read verified entries with <see cref="ReadAsync"/>
/// (what <c>GET {route}/_changes</c>, realtime events and webhooks use), or listen to this instance's own commits with
/// <see cref="Committed"/>. Works across instances on one bucket: the feed lives in the store.
/// </summary>
public sealed class ChangeFeed(EndpointRegistry registry, IOptions<LightS3Options> options, TimeProvider time)
{
    private readonly Dictionary<string, ChangeReader> _readers = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>The largest page <see cref="ReadAsync"/> returns.</summary>
    public const int MaxLimit = 1000;

    /// <summary>The settings.</summary>
    public ChangeFeedOptions Options => options.Value.Changes;

    /// <summary>
    /// Every write this instance committed to a collection with a change feed, once, right after it committed (before its
    /// caller got the answer). Handlers run inline and must be quick; exceptions they throw are swallowed. Writes made by
    /// other instances are not reported here: read them with <see cref="ReadAsync"/> (or subscribe to the realtime events).
    /// </summary>
    public event Action<ChangeEntry>? Committed;

    /// <summary>Whether <paramref name="collection"/> keeps a change feed.</summary>
    public bool IsEnabled(string collection) => Find(collection) is not null;

    /// <summary>The collections that keep a change feed.</summary>
    public IReadOnlyList<string> Collections => registry.Endpoints.Where(e => e.Model.Time.Changes).Select(e => e.Model.Collection).ToList();

    /// <summary>
    /// Up to <paramref name="limit"/> verified entries of <paramref name="collection"/> after <paramref name="since"/> (a
    /// cursor from an earlier page or entry; null: from the oldest entry kept), in feed order, and the cursor to continue
    /// from. Entries younger than the settle delay are not returned yet, and reading stops before a write still in flight,
    /// so continuing from <see cref="ChangePage.Next"/> never misses an acknowledged write and never repeats one.
    /// Throws <see cref="ArgumentException"/> for an unknown collection, a collection without a feed, or a malformed cursor.
    /// </summary>
    public Task<ChangePage> ReadAsync(string collection, string? since, int limit, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        if (since is not null && !ChangeCursor.IsValid(since)) throw new ArgumentException($"'{since}' is not a change feed cursor", nameof(since));
        var reader = Find(collection) ?? throw new ArgumentException($"collection '{collection}' keeps no change feed", nameof(collection));
        return reader.ReadAsync(since, Math.Min(limit, MaxLimit), ct);
    }

    /// <summary>A cursor that skips every entry written before <paramref name="at"/> (e.g. "from now on").</summary>
    public static string CursorAt(DateTimeOffset at) => ChangeCursor.Before(at);

    /// <summary>Whether <paramref name="cursor"/> is well-formed.</summary>
    public static bool IsCursor(string cursor) => ChangeCursor.IsValid(cursor);

    /// <summary>Connects a registered endpoint's write side to this feed (its settings and <see cref="Committed"/>).</summary>
    internal void Attach(EndpointRuntime runtime)
    {
        if (runtime.Repository.Changes is { } log) log.Attach(Options, Publish);
    }

    private void Publish(ChangeEntry entry)
    {
        if (Committed is not { } handlers) return;
        foreach (var handler in handlers.GetInvocationList().Cast<Action<ChangeEntry>>())
        {
            try
            {
                handler(entry);
            }
            catch (Exception)
            {
                // a listener must not turn a committed write into an error
            }
        }
    }

    private ChangeReader? Find(string collection)
    {
        lock (_lock)
        {
            if (_readers.TryGetValue(collection, out var known)) return known;
            var runtime = registry.Endpoints.FirstOrDefault(e => e.Model.Collection == collection && e.Model.Time.Changes);
            if (runtime is null) return null;
            return _readers[collection] = new ChangeReader(runtime.Repository, Options, time);
        }
    }
}
