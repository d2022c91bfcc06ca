using LightS3.Diagnostics;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace LightS3.Caching;

/// <summary>
/// The Redis response cache (StackExchange.Redis 3.4: async API, one multiplexer, <c>abortConnect=false</c>,
/// fail-fast while disconnected, reconnect every <see cref="RedisResponseCacheOptions.RetryInterval"/>).
/// A lookup is one round trip (a script reads the generation and the entry together); an invalidation is one INCR.
/// Every request-path call is bounded by <see cref="RedisResponseCacheOptions.Timeout"/>; while Redis is down or
/// slow, requests are served uncached and one warning is logged per outage.
/// </summary>
/// <remarks>
/// An invalidation that cannot be sent is journaled durably (<see cref="RedisResponseCacheOptions.JournalPath"/>)
/// before the write is acknowledged, and a background loop delivers it as soon as Redis answers (retrying from
/// 100 ms up to <see cref="RedisResponseCacheOptions.RetryInterval"/>). A new instance replays the journal at start.
/// While this instance has an undelivered invalidation, it serves uncached. See docs/caching.md for the staleness bound.
/// </remarks>
public sealed class RedisResponseCache : IResponseCache, IDisposable, IAsyncDisposable
{
    private const string LookupScript = "local g = redis.call('GET', KEYS[1]) or '0' return {g, redis.call('GET', ARGV[1] .. ':' .. g .. ':' .. ARGV[2])}";
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(100);
    private readonly Task<ConnectionMultiplexer> _connection;
    private readonly RedisResponseCacheOptions _options;
    private readonly ILogger _logger;
    private readonly PendingInvalidations _pending;
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _delivery;
    private readonly Lock _lock = new();
    private bool _down;
    private byte[]? _scriptSha;

    /// <summary>Connects to <paramref name="url"/> with the default journal and retry interval.</summary>
    public RedisResponseCache(string url, TimeSpan timeout, ILogger<RedisResponseCache> logger)
        : this(new RedisResponseCacheOptions { Url = url, Timeout = timeout }, logger)
    {
    }

    /// <summary>Starts connecting (in the background) and the delivery loop of pending invalidations.</summary>
    public RedisResponseCache(RedisResponseCacheOptions options, ILogger<RedisResponseCache> logger)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.Timeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.RetryInterval, TimeSpan.FromMilliseconds(100));
        _options = options;
        _logger = logger;
        _pending = new PendingInvalidations(new InvalidationJournal(options.JournalPath ?? RedisResponseCacheOptions.DefaultJournalPath(options.Url)), logger);
        var config = ConfigurationOptions.Parse(ToConfiguration(options.Url));
        config.AbortOnConnectFail = false;
        config.ConnectTimeout = (int)options.ConnectTimeout.TotalMilliseconds;
        config.ConnectRetry = 1;
        config.KeepAlive = 5;
        // a command is never queued for later while disconnected: it fails at once and the request goes uncached
        config.BacklogPolicy = BacklogPolicy.FailFast;
        config.AsyncTimeout = config.SyncTimeout = (int)Math.Max(1000, options.Timeout.TotalMilliseconds * 4);
        config.ReconnectRetryPolicy = new LinearRetry((int)options.RetryInterval.TotalMilliseconds);
        _connection = ConnectionMultiplexer.ConnectAsync(config);
        _ = _connection.ContinueWith(t => _ = t.Exception, TaskContinuationOptions.OnlyOnFaulted);
        _delivery = Task.Run(DeliveryLoopAsync);
    }

    /// <summary>The connection (shared with the change feed's realtime events, which publish on it).</summary>
    internal Task<ConnectionMultiplexer> Connection => _connection;

    /// <inheritdoc />
    public string Kind => "redis";

    /// <summary>The journal of pending invalidations.</summary>
    public string JournalPath => _pending.Journal!.Path;

    /// <summary>Whether this instance has invalidations not yet delivered to Redis (it serves uncached meanwhile).</summary>
    public bool HasPendingInvalidations => _pending.Any;

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
        if (_pending.Any)
        {
            // an entry of a generation this instance has invalidated may still be reachable: read nothing until delivered
            Wake();
            return new CacheLookup(null, null);
        }
        var (ok, lookup) = await Guard(async db =>
        {
            var r = (RedisResult[])(await EvaluateLookupAsync(db, [GenerationKey(scope)], [EntryPrefix(scope), key]))!;
            return new CacheLookup(CachedResponse.Decode((byte[]?)r[1]), long.TryParse((string?)r[0], out var g) ? g : 0);
        }, _options.Timeout);
        return ok ? lookup : new CacheLookup(null, null);
    }

    /// <inheritdoc />
    public Task StoreAsync(string scope, long generation, string key, CachedResponse response, TimeSpan ttl, CancellationToken ct) =>
        Guard(db => db.StringSetAsync($"{EntryPrefix(scope)}:{generation}:{key}", response.Encode(), ttl), _options.Timeout);

    /// <summary>
    /// Increments the generation; if Redis does not confirm within the timeout, journals the invalidation (durably,
    /// regardless of <paramref name="ct"/>: the write it follows is already stored) for the delivery loop.
    /// </summary>
    public async Task InvalidateAsync(string scope, CancellationToken ct)
    {
        if ((await Guard(db => db.StringIncrementAsync(GenerationKey(scope)), _options.Timeout)).Ok) return;
        await _pending.AddAsync(scope);
        Wake();
    }

    /// <summary>
    /// Whether Redis answers within 1 s (or the timeout if longer). A readiness probe is no request: it waits for a
    /// first connection attempt in progress, and is not failed by one slow round trip on a busy machine.
    /// </summary>
    public async Task<bool> PingAsync(CancellationToken ct)
    {
        if (!_connection.IsCompleted) await Task.WhenAny(_connection, Task.Delay(_options.ConnectTimeout, ct));
        return (await Guard(db => db.PingAsync(), TimeSpan.FromMilliseconds(Math.Max(1000, _options.Timeout.TotalMilliseconds)))).Ok;
    }

    /// <summary>Delivers pending invalidations until disposed: at once when woken, then backing off from 100 ms to the retry interval.</summary>
    private async Task DeliveryLoopAsync()
    {
        var delay = TimeSpan.Zero;
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await _wake.WaitAsync(delay, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            // the journal file is checked too: another instance sharing it may have stopped before delivering
            if (!_pending.Any && _pending.Journal?.Exists != true)
            {
                delay = _options.RetryInterval;
                continue;
            }
            bool delivered;
            try
            {
                delivered = await DeliverAsync();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                _logger.JournalReadFailed(e);
                delivered = false;
            }
            delay = delivered ? _options.RetryInterval : delay < FirstRetry ? FirstRetry : TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.RetryInterval.Ticks));
        }
    }

    private async Task<bool> DeliverAsync()
    {
        if (!_connection.IsCompletedSuccessfully || !_connection.Result.IsConnected) return false;
        var batch = await _pending.TakeAsync();
        var scopes = batch.Scopes;
        if (scopes.Count > 0)
        {
            var (ok, _) = await Guard(async db =>
            {
                await Task.WhenAll(scopes.Select(scope => db.StringIncrementAsync(GenerationKey(scope))));
                return true;
            }, TimeSpan.FromMilliseconds(Math.Max(1000, _options.Timeout.TotalMilliseconds)));
            if (!ok) return false;
            _logger.InvalidationsDelivered(scopes.Count, string.Join(", ", scopes));
        }
        await _pending.ConfirmAsync(batch);
        return true;
    }

    private void Wake()
    {
        if (_wake.CurrentCount > 0) return;
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
        }
    }

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

    /// <summary>Runs one Redis call within <paramref name="timeout"/>; not Ok (never an exception) when Redis is down, slow or failing.</summary>
    private async Task<(bool Ok, T Value)> Guard<T>(Func<IDatabase, Task<T>> call, TimeSpan timeout)
    {
        try
        {
            if (!_connection.IsCompleted && await Task.WhenAny(_connection, Task.Delay(timeout)) != _connection) return Down<T>("connecting");
            var mux = await _connection;
            if (!mux.IsConnected) return Down<T>("not connected");
            var task = call(mux.GetDatabase());
            if (await Task.WhenAny(task, Task.Delay(timeout)) != task)
            {
                _ = task.ContinueWith(t => _ = t.Exception, TaskScheduler.Default); // observe a late failure
                return Down<T>($"no answer within {timeout.TotalMilliseconds:0} ms");
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

    private (bool Ok, T Value) Down<T>(string reason)
    {
        lock (_lock)
        {
            if (!_down) _logger.CacheDown(reason);
            _down = true;
        }
        return (false, default!);
    }

    private void Up()
    {
        lock (_lock)
        {
            if (_down) _logger.CacheUp();
            _down = false;
        }
    }

    /// <summary>Stops the delivery loop (pending invalidations stay in the journal for the next start) and closes the connection.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested) return;
        await _stop.CancelAsync();
        await _delivery.WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { }, TaskScheduler.Default);
        if (_connection.IsCompletedSuccessfully) await _connection.Result.DisposeAsync();
    }

    /// <inheritdoc />
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();
}
