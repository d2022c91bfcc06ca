using System.Collections.Concurrent;

namespace LightS3.Caching;

/// <summary>The in-process response cache (the default without <c>LIGHTS3_REDIS_URL</c>); bounded, per instance.</summary>
public sealed class MemoryResponseCache(TimeProvider time, int capacity = 10_000) : IResponseCache
{
    private readonly ConcurrentDictionary<string, long> _generations = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (CachedResponse Response, DateTimeOffset Expires)> _entries = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public string Kind => "memory";

    /// <inheritdoc />
    public Task<CacheLookup> LookupAsync(string scope, string key, CancellationToken ct)
    {
        var generation = _generations.GetValueOrDefault(scope);
        var hit = _entries.TryGetValue($"{scope}:{generation}:{key}", out var e) && e.Expires > time.GetUtcNow() ? e.Response : null;
        return Task.FromResult(new CacheLookup(hit, generation));
    }

    /// <inheritdoc />
    public Task StoreAsync(string scope, long generation, string key, CachedResponse response, TimeSpan ttl, CancellationToken ct)
    {
        if (_entries.Count >= capacity)
            foreach (var k in _entries.Keys.Take(Math.Max(1, capacity / 10))) _entries.TryRemove(k, out _);
        _entries[$"{scope}:{generation}:{key}"] = (response, time.GetUtcNow() + ttl);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task InvalidateAsync(string scope, CancellationToken ct)
    {
        _generations.AddOrUpdate(scope, 1, (_, g) => g + 1);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<bool> PingAsync(CancellationToken ct) => Task.FromResult(true);
}
