using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Channels;
using LightS3.Caching;
using LightS3.Documents;
using LightS3.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LightS3.Changes;

/// <summary>
/// This instance's hub of live change entries for event subscribers: what this instance commits (at once) and what
/// the other instances publish on Redis. Each subscriber also reads the feed itself (<see cref="ChangeSubscription"/>),
/// which makes delivery complete whatever pub/sub loses; the hub only makes it fast. Also counts each client's open
/// streams and ends them all when the app stops.
/// </summary>
internal sealed class ChangeHub : IHostedService, IAsyncDisposable
{
    private readonly ChangeFeed _feed;
    private readonly IResponseCache _cache;
    private readonly LightS3Options _options;
    private readonly ILogger<ChangeHub> _logger;
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<Channel<ChangeEntry>, byte>> _listeners = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _connections = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private ChangeRedisBus? _bus;

    /// <summary>Creates the hub; it starts listening when the host starts.</summary>
    public ChangeHub(ChangeFeed feed, IResponseCache cache, IOptions<LightS3Options> options, ILogger<ChangeHub> logger, IHostApplicationLifetime lifetime)
    {
        // streams end as soon as the app starts stopping: the server waits for open requests before hosted services stop
        lifetime.ApplicationStopping.Register(() => _stopping.Cancel());
        _feed = feed;
        _cache = cache;
        _options = options.Value;
        _logger = logger;
        Channel = _options.Changes.RedisChannel ?? DefaultChannel(_options);
    }

    /// <summary>Whether Redis currently carries events between instances (else subscribers read the feed every <see cref="ChangeFeedOptions.PollInterval"/>).</summary>
    public bool RedisConnected => _bus?.IsConnected == true;

    /// <summary>Cancelled when the app starts stopping: every event stream ends.</summary>
    public CancellationToken Stopping => _stopping.Token;

    /// <summary>The Redis channel of this deployment (see <see cref="ChangeFeedOptions.RedisChannel"/>).</summary>
    public string Channel { get; }

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _feed.Committed += OnCommitted;
        if (_cache is RedisResponseCache redis) _bus = new ChangeRedisBus(redis.Connection, Channel, Offer, _logger);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _feed.Committed -= OnCommitted;
        if (!_stopping.IsCancellationRequested) await _stopping.CancelAsync();
        if (_bus is not null) await _bus.DisposeAsync();
        _bus = null;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (!_stopping.IsCancellationRequested) await StopAsync(CancellationToken.None);
        _stopping.Dispose();
    }

    private void OnCommitted(ChangeEntry entry)
    {
        Offer(entry);
        _bus?.Publish(entry);
    }

    /// <summary>Hands a live entry to this instance's listeners of its collection.</summary>
    private void Offer(ChangeEntry entry)
    {
        if (!_listeners.TryGetValue(entry.Collection, out var listeners)) return;
        foreach (var listener in listeners.Keys) listener.Writer.TryWrite(entry); // a full buffer drops: the listener's own feed read finds it
    }

    /// <summary>Starts receiving the live entries of <paramref name="collection"/>; dispose the result to stop.</summary>
    internal Listener Listen(string collection)
    {
        var channel = System.Threading.Channels.Channel.CreateBounded<ChangeEntry>(new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
        _listeners.GetOrAdd(collection, _ => new()).TryAdd(channel, 0);
        return new Listener(channel.Reader, () => _listeners[collection].TryRemove(channel, out _));
    }

    /// <summary>Takes one of <paramref name="client"/>'s stream slots; null when it already has <see cref="ChangeFeedOptions.MaxConnectionsPerClient"/>.</summary>
    internal IDisposable? TryOpen(string client)
    {
        var max = _options.Changes.MaxConnectionsPerClient;
        while (true)
        {
            var open = _connections.GetOrAdd(client, 0);
            if (open >= max) return null;
            if (_connections.TryUpdate(client, open + 1, open)) return new Slot(() => _connections.AddOrUpdate(client, 0, (_, n) => Math.Max(0, n - 1)));
        }
    }

    /// <summary>The default channel: <c>lights3:changes:</c> and a hash of where the data lives (the bucket and prefix, or the data directory).</summary>
    private static string DefaultChannel(LightS3Options o)
    {
        var location = o.EffectiveStorage switch
        {
            StorageKind.S3 => $"s3|{o.S3.ServiceUrl}|{o.S3.Bucket}|{o.S3.Prefix}",
            StorageKind.Memory => $"memory|{Guid.NewGuid()}", // nothing is shared between processes
            var kind => $"{kind}|{Path.GetFullPath(o.DataDir)}",
        };
        return "lights3:changes:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(location)), 0, 8);
    }

    /// <summary>A subscription to live entries.</summary>
    internal sealed class Listener(ChannelReader<ChangeEntry> reader, Action stop) : IDisposable
    {
        public ChannelReader<ChangeEntry> Reader => reader;

        public void Dispose() => stop();
    }

    private sealed class Slot(Action release) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) release();
        }
    }
}
