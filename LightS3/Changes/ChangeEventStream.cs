using System.Text;
using LightS3.Query;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace LightS3.Changes;

/// <summary>
/// <c>GET {route}/_events</c>: the collection's changes as Server-Sent Events (docs/realtime.md). Each event is
/// <c>id: {cursor}</c> and <c>data: {"op","id","version","at","actor","record"?}</c>; only changes of records the
/// subscriber could GET (read and object permission, queryset, filter parameters) are sent, shaped by the read
/// serializer. Idle streams get a heartbeat comment; the stream ends when the client leaves or the app stops.
/// </summary>
internal static class ChangeEventStream
{
    private static readonly byte[] Heartbeat = ": heartbeat\n\n"u8.ToArray();

    /// <summary>Streams until the client disconnects or the app stops.</summary>
    public static async Task RunAsync(HttpContext http, ChangeAudience audience, ChangeSubscription subscription, ChangeHub hub, ChangeFeedOptions options)
    {
        var response = http.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        using var ended = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, hub.Stopping);
        var ct = ended.Token;
        await response.Body.WriteAsync("retry: 1000\n: connected\n\n"u8.ToArray(), ct);
        await response.Body.FlushAsync(ct);
        try
        {
            await subscription.RunAsync(
                async entry =>
                {
                    if (!await audience.MaySeeAsync(entry)) return;
                    var data = audience.Render(entry, withRecord: true).ToJsonString();
                    await response.Body.WriteAsync(Encoding.UTF8.GetBytes($"id: {entry.Cursor}\ndata: {data}\n\n"), ct);
                    await response.Body.FlushAsync(ct);
                },
                async () =>
                {
                    await response.Body.WriteAsync(Heartbeat, ct);
                    await response.Body.FlushAsync(ct);
                },
                options.HeartbeatInterval, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // the client left, or the app is stopping: the stream just ends (the client resumes with Last-Event-ID)
        }
    }

    /// <summary>The list's filter parameters of <paramref name="query"/> (everything but <c>since</c>).</summary>
    public static IQueryCollection Filters(IQueryCollection query) =>
        new QueryCollection(query.Where(p => !p.Key.Equals("since", StringComparison.OrdinalIgnoreCase)).ToDictionary(p => p.Key, p => p.Value, StringComparer.OrdinalIgnoreCase));
}
