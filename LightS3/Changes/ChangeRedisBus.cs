using System.Text;
using System.Text.Json.Nodes;
using LightS3.Documents;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace LightS3.Changes;

/// <summary>
/// The fast path of realtime events across instances: each committed entry is published on one Redis pub/sub channel
/// (over the app's Redis connection, the response cache's), and every instance hands what it receives to its subscribers.
/// Pub/sub is at-most-once: what it loses while Redis is down or a subscriber lags is found by reading the feed.
/// </summary>
internal sealed class ChangeRedisBus : IAsyncDisposable
{
    private readonly Task<ConnectionMultiplexer> _connection;
    private readonly RedisChannel _channel;
    private readonly ILogger _logger;
    private readonly Task _subscribed;
    private readonly CancellationTokenSource _stop = new();
    private volatile bool _ready;

    public ChangeRedisBus(Task<ConnectionMultiplexer> connection, string channel, Action<ChangeEntry> received, ILogger logger)
    {
        _connection = connection;
        _channel = RedisChannel.Literal(channel);
        _logger = logger;
        _subscribed = SubscribeAsync(received);
    }

    /// <summary>Whether Redis is reachable now (when it is not, subscribers read the feed often).</summary>
    public bool IsConnected => _ready && _connection.Result.IsConnected;

    /// <summary>Subscribes, retrying every second while Redis is down (once subscribed, the client resubscribes after reconnects).</summary>
    private async Task SubscribeAsync(Action<ChangeEntry> received)
    {
        try
        {
            var mux = await _connection;
            while (!_stop.IsCancellationRequested)
            {
                try
                {
                    await mux.GetSubscriber().SubscribeAsync(_channel, (_, message) =>
                    {
                        if (Decode(message) is { } entry) received(entry);
                    });
                    _ready = true;
                    return;
                }
                catch (Exception e) when (e is RedisException or TimeoutException)
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), _stop.Token);
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or RedisException)
        {
            // stopped, or no connection at all: subscribers read the feed
        }
    }

    /// <summary>Publishes an entry, fire-and-forget (a lost message is found by reading the feed).</summary>
    public void Publish(ChangeEntry entry)
    {
        if (!_connection.IsCompletedSuccessfully || !_connection.Result.IsConnected) return;
        try
        {
            var message = new JsonObject { ["c"] = entry.Collection, ["k"] = entry.Cursor, ["e"] = JsonNode.Parse(ChangeCodec.Encode(entry, null)) };
            _connection.Result.GetSubscriber().Publish(_channel, message.ToJsonString(), CommandFlags.FireAndForget);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            _logger.LogDebug(e, "change event not published on Redis; subscribers will read it from the feed");
        }
    }

    private static ChangeEntry? Decode(RedisValue message)
    {
        try
        {
            if (JsonNode.Parse((string)message!) is not JsonObject o || o["c"]?.GetValue<string>() is not { } collection
                || o["k"]?.GetValue<string>() is not { } cursor || o["e"] is not JsonObject body) return null;
            return ChangeCodec.Decode(collection, cursor, Encoding.UTF8.GetBytes(body.ToJsonString()))?.Entry;
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _subscribed;
            if (_ready) await (await _connection).GetSubscriber().UnsubscribeAsync(_channel);
        }
        catch (RedisException)
        {
        }
    }
}
