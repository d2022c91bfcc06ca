using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace LightS3.Caching;

/// <summary>
/// The Redis response cache (StackExchange.Redis 1.2.6: async API only, one multiplexer, <c>abortConnect=false</c>).
/// A lookup is one round trip (a script reads the generation and the entry together); an invalidation is one INCR.
/// Every call is bounded by <c>CacheTimeout</c>; while Redis is down or slow, requests are served uncached,
/// one warning is logged per outage, and invalidations that could not be sent are replayed when Redis returns.
/// </summary>
public sealed class RedisResponseCache : IResponseCache, IDisposable
{
    private const string LookupScript = "local g = redis.call('GET', KEYS[1]) or '0' return {g, redis.call('GET', ARGV[1] .. ':' .. g .. ':' .. ARGV[2])}";
    private readonly Lazy<Task<ConnectionMultiplexer>> _connection;
    private readonly TimeSpan _timeout;
    private readonly ILogger _logger;
    private readonly HashSet<string> _pendingInvalidations = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private bool _down;
    private byte[]? _scriptSha;

    /// <summary>Connects lazily to <paramref name="url"/> (<c>redis://host:port/db</c> or a StackExchange configuration string).</summary>
    public RedisResponseCache(string url, TimeSpan timeout, ILogger<RedisResponseCache> logger)
    {
        _timeout = timeout;
        _logger = logger;
        var options = ConfigurationOptions.Parse(ToConfiguration(url));
        options.AbortOnConnectFail = false;
        options.ConnectTimeout = 2000;
        options.ConnectRetry = 1;
        options.KeepAlive = 5;
        _connection = new Lazy<Task<ConnectionMultiplexer>>(() => ConnectionMultiplexer.ConnectAsync(options));
    }

    /// <inheritdoc />
    public string Kind => "redis";

    /// <summary>Turns <c>redis://[:password@]host:port/db</c> into a StackExchange configuration string.</summary>
    public static string ToConfiguration(string url)
    {
        if (!url.StartsWith("redis://", StringComparison.OrdinalIgnoreCase)) return url;
        var uri = new Uri(url);
        var config = $"{uri.Host}:{(uri.Port > 0 ? uri.Port : 6379)}";
        if (uri.AbsolutePath.Trim('/') is { Length: > 0 } db) config += $",defaultDatabase={db}";
        if (uri.UserInfo.Split(':') is [_, { Length: > 0 } password]) config += $",password={Uri.UnescapeDataString(password)}";
        return config;
    }

    /// <inheritdoc />
    public async Task<CacheLookup> LookupAsync(string scope, string key, CancellationToken ct)
    {
        var (ok, lookup) = await Guard(async db =>
        {
            var r = (RedisResult[])(await EvaluateLookupAsync(db, [GenerationKey(scope)], [EntryPrefix(scope), key]))!;
            return new CacheLookup(CachedResponse.Decode((byte[]?)r[1]), long.TryParse((string?)r[0], out var g) ? g : 0);
        });
        return ok ? lookup : new CacheLookup(null, null);
    }

    /// <inheritdoc />
    public Task StoreAsync(string scope, long generation, string key, CachedResponse response, TimeSpan ttl, CancellationToken ct) =>
        Guard(async db => await db.StringSetAsync($"{EntryPrefix(scope)}:{generation}:{key}", response.Encode(), ttl));

    /// <inheritdoc />
    public async Task InvalidateAsync(string scope, CancellationToken ct)
    {
        if (!(await Guard(db => db.StringIncrementAsync(GenerationKey(scope)))).Ok)
            lock (_lock) _pendingInvalidations.Add(scope); // replayed once Redis answers again
    }

    /// <inheritdoc />
    public async Task<bool> PingAsync(CancellationToken ct) => (await Guard(db => db.PingAsync())).Ok;

    /// <summary>Runs the lookup script by its SHA (EVALSHA), loading it first and again after a Redis restart flushed it.</summary>
    private async Task<RedisResult> EvaluateLookupAsync(IDatabase db, RedisKey[] keys, RedisValue[] values)
    {
        if (_scriptSha is { } sha)
        {
            try
            {
                return await db.ScriptEvaluateAsync(sha, keys, values);
            }
            catch (RedisServerException e) when (e.Message.StartsWith("NOSCRIPT", StringComparison.Ordinal))
            {
            }
        }
        var mux = db.Multiplexer;
        var server = mux.GetServer(mux.GetEndPoints()[0]);
        _scriptSha = await server.ScriptLoadAsync(LookupScript);
        return await db.ScriptEvaluateAsync(_scriptSha, keys, values);
    }

    private static string GenerationKey(string scope) => $"lights3:gen:{scope}";

    private static string EntryPrefix(string scope) => $"lights3:resp:{scope}";

    /// <summary>Runs one Redis call within the timeout; not Ok (never an exception) when Redis is down, slow or failing.</summary>
    private async Task<(bool Ok, T Value)> Guard<T>(Func<IDatabase, Task<T>> call)
    {
        try
        {
            var connecting = _connection.Value;
            if (!connecting.IsCompleted && await Task.WhenAny(connecting, Task.Delay(_timeout)) != connecting) return Down<T>("connecting");
            var mux = await connecting;
            if (!mux.IsConnected) return Down<T>("not connected");
            var db = mux.GetDatabase();
            await ReplayInvalidationsAsync(db);
            var task = call(db);
            if (await Task.WhenAny(task, Task.Delay(_timeout)) != task)
            {
                _ = task.ContinueWith(t => _ = t.Exception, TaskScheduler.Default); // observe a late failure
                return Down<T>($"no answer within {_timeout.TotalMilliseconds:0} ms");
            }
            var value = await task;
            Up();
            return (true, value);
        }
        catch (Exception e) when (e is RedisException or TimeoutException or ObjectDisposedException or InvalidCastException or System.Net.Sockets.SocketException)
        {
            return Down<T>(e.Message);
        }
    }

    private async Task ReplayInvalidationsAsync(IDatabase db)
    {
        string[] pending;
        lock (_lock)
        {
            if (_pendingInvalidations.Count == 0) return;
            pending = [.. _pendingInvalidations];
            _pendingInvalidations.Clear();
        }
        try
        {
            await Task.WhenAll(pending.Select(scope => db.StringIncrementAsync(GenerationKey(scope))));
        }
        catch (RedisException)
        {
            lock (_lock) _pendingInvalidations.UnionWith(pending);
            throw;
        }
    }

    private (bool Ok, T Value) Down<T>(string reason)
    {
        lock (_lock)
        {
            if (!_down) _logger.LogWarning("Redis cache unavailable ({Reason}); serving uncached until it answers again", reason);
            _down = true;
        }
        return (false, default!);
    }

    private void Up()
    {
        lock (_lock)
        {
            if (_down) _logger.LogInformation("Redis cache is answering again; caching resumed");
            _down = false;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_connection.IsValueCreated && _connection.Value.IsCompletedSuccessfully) _connection.Value.Result.Dispose();
    }
}
