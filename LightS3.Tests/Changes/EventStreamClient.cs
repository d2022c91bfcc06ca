using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace LightS3.Tests.Changes;

/// <summary>One received Server-Sent Event.</summary>
public sealed record ReceivedEvent(string? Id, JsonObject Data, DateTimeOffset ReceivedAt);

/// <summary>A test subscriber to <c>GET {route}/_events</c>: reads the stream in the background into a queue.</summary>
public sealed class EventStreamClient : IAsyncDisposable
{
    private readonly Channel<ReceivedEvent> _events = Channel.CreateUnbounded<ReceivedEvent>();
    private readonly CancellationTokenSource _stop = new();
    private readonly HttpResponseMessage _response;
    private readonly Task _reading;
    private int _heartbeats;

    private EventStreamClient(HttpResponseMessage response)
    {
        _response = response;
        _reading = Task.Run(ReadAsync);
    }

    /// <summary>Heartbeat comments seen so far.</summary>
    public int Heartbeats => Volatile.Read(ref _heartbeats);

    /// <summary>Completes when the server ended the stream.</summary>
    public Task Ended => _reading;

    /// <summary>Opens a stream (asserts 200); <paramref name="lastEventId"/> resumes, <paramref name="token"/> authenticates.</summary>
    public static async Task<EventStreamClient> OpenAsync(HttpClient client, string path, string? lastEventId = null, string? token = null)
    {
        var response = await SendAsync(client, path, lastEventId, token);
        Assert.That((int)response.StatusCode, Is.EqualTo(200), await DescribeAsync(response));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/event-stream"));
        return new EventStreamClient(response);
    }

    /// <summary>Sends the stream request and returns the response as soon as its headers arrive.</summary>
    public static Task<HttpResponseMessage> SendAsync(HttpClient client, string path, string? lastEventId = null, string? token = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (lastEventId is not null) request.Headers.Add("Last-Event-ID", lastEventId);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    }

    private static async Task<string> DescribeAsync(HttpResponseMessage response) =>
        response.IsSuccessStatusCode ? "" : await response.Content.ReadAsStringAsync();

    private async Task ReadAsync()
    {
        try
        {
            await using var stream = await _response.Content.ReadAsStreamAsync(_stop.Token);
            using var reader = new StreamReader(stream);
            string? id = null;
            var data = new List<string>();
            while (await reader.ReadLineAsync(_stop.Token) is { } line)
            {
                if (line.Length == 0)
                {
                    if (data.Count > 0) _events.Writer.TryWrite(new ReceivedEvent(id, (JsonObject)JsonNode.Parse(string.Join("\n", data))!, DateTimeOffset.UtcNow));
                    id = null;
                    data.Clear();
                }
                else if (line.StartsWith(": heartbeat", StringComparison.Ordinal)) Interlocked.Increment(ref _heartbeats);
                else if (line.StartsWith("id: ", StringComparison.Ordinal)) id = line[4..];
                else if (line.StartsWith("data: ", StringComparison.Ordinal)) data.Add(line[6..]);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or HttpRequestException or ArgumentException or ObjectDisposedException)
        {
        }
        finally
        {
            _events.Writer.TryComplete();
        }
    }

    /// <summary>The next event, or null when none arrives within <paramref name="timeout"/>.</summary>
    public async Task<ReceivedEvent?> NextAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            return await _events.Reader.ReadAsync(cts.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or ChannelClosedException)
        {
            return null;
        }
    }

    /// <summary>Exactly the next <paramref name="count"/> events (fails the test when they do not arrive within <paramref name="timeout"/>).</summary>
    public async Task<List<ReceivedEvent>> TakeAsync(int count, TimeSpan timeout)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        var list = new List<ReceivedEvent>();
        while (list.Count < count)
        {
            var left = deadline - DateTimeOffset.UtcNow;
            if (left <= TimeSpan.Zero || await NextAsync(left) is not { } e) Assert.Fail($"only {list.Count} of {count} events arrived within {timeout}");
            else list.Add(e);
        }
        return list;
    }

    /// <summary>Stops reading and closes the connection.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _response.Dispose();
        try
        {
            await _reading;
        }
        catch (OperationCanceledException)
        {
        }
    }
}
