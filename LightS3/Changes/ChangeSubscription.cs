using LightS3.Documents;
namespace LightS3.Changes;

/// <summary>
/// The changes one event subscriber receives, each once and in feed order: its own cursor in the feed, read every
/// <see cref="ChangeFeedOptions.PollInterval"/> while Redis is down or absent (every
/// <see cref="ChangeFeedOptions.SafetyPollInterval"/> while it is up), plus the live entries of the hub, delivered at once.
/// A live entry is delivered only if it is after the cursor and not delivered yet; a feed entry only if not delivered
/// live. A subscriber that resumes (<c>Last-Event-ID</c> / <c>since</c>) first reads the feed up to the moment it
/// connected, so what it missed comes before anything new, in order.
/// </summary>
internal sealed class ChangeSubscription(ChangeFeed feed, ChangeHub hub, string collection, string? since, TimeProvider time) : IDisposable
{
    private const int PageSize = 500;
    private readonly HashSet<string> _delivered = new(StringComparer.Ordinal);
    private readonly string _liveFrom = ChangeCursor.Before(time.GetUtcNow());
    private string? _since = since;
    private readonly ChangeHub.Listener _listener = hub.Listen(collection); // live entries are kept from the moment of subscribing

    private string Cursor => _since ?? _liveFrom; // fresh subscribers start live, at the moment they subscribed

    /// <summary>Stops receiving live entries.</summary>
    public void Dispose() => _listener.Dispose();

    /// <summary>
    /// Calls <paramref name="deliver"/> with each change until <paramref name="ct"/> is cancelled, and
    /// <paramref name="idle"/> after each quiet <paramref name="heartbeat"/>.
    /// </summary>
    public async Task RunAsync(Func<ChangeEntry, Task> deliver, Func<Task> idle, TimeSpan heartbeat, CancellationToken ct)
    {
        var listener = _listener;
        var options = feed.Options;
        var lastSent = time.GetUtcNow();
        // catch up first: what was missed comes before anything live
        while (string.CompareOrdinal(Cursor, _liveFrom) < 0)
        {
            var page = await ReadFeedAsync(deliver, ct);
            if (page.Changes.Count > 0) lastSent = time.GetUtcNow();
            if (page.Changes.Count >= PageSize || string.CompareOrdinal(Cursor, _liveFrom) >= 0) continue;
            if (time.GetUtcNow() - lastSent >= heartbeat)
            {
                await idle();
                lastSent = time.GetUtcNow();
            }
            await Task.Delay(options.PollInterval, time, ct);
        }
        var lastRead = DateTimeOffset.MinValue;
        var more = false;
        while (!ct.IsCancellationRequested)
        {
            var now = time.GetUtcNow();
            // judged on every wake, so losing Redis switches to frequent reads at once
            var nextRead = more ? now : lastRead + (hub.RedisConnected ? options.SafetyPollInterval : options.PollInterval);
            if (now >= nextRead)
            {
                var page = await ReadFeedAsync(deliver, ct);
                if (page.Changes.Count > 0) lastSent = time.GetUtcNow();
                more = page.Changes.Count >= PageSize;
                lastRead = now;
                continue;
            }
            if (now - lastSent >= heartbeat)
            {
                await idle();
                lastSent = now;
            }
            var wait = Min(Min(nextRead - now, options.PollInterval), lastSent + heartbeat - now);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(wait > TimeSpan.Zero ? wait : TimeSpan.Zero);
            try
            {
                if (!await listener.Reader.WaitToReadAsync(timeout.Token)) return;
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                continue;
            }
            while (listener.Reader.TryRead(out var entry))
            {
                if (string.CompareOrdinal(entry.Cursor, Cursor) <= 0 || !_delivered.Add(entry.Cursor)) continue;
                await deliver(entry);
                lastSent = time.GetUtcNow();
            }
        }
    }

    private async Task<ChangePage> ReadFeedAsync(Func<ChangeEntry, Task> deliver, CancellationToken ct)
    {
        var page = await feed.ReadAsync(collection, Cursor, PageSize, ct);
        foreach (var entry in page.Changes)
            if (!_delivered.Remove(entry.Cursor)) await deliver(entry);
        if (page.Next is { } next && string.CompareOrdinal(next, Cursor) > 0) _since = next;
        _delivered.RemoveWhere(c => string.CompareOrdinal(c, Cursor) <= 0);
        return page;
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
