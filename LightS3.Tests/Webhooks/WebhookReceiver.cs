using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace LightS3.Tests.Webhooks;

/// <summary>One request a <see cref="WebhookReceiver"/> got: the Standard Webhooks headers, the body, and what it answered.</summary>
public sealed record ReceivedWebhook(string? Id, string? Timestamp, string? Signature, byte[] Body, int Answered, DateTimeOffset At)
{
    public string Text => System.Text.Encoding.UTF8.GetString(Body);
}

/// <summary>
/// A webhook receiver on real Kestrel (127.0.0.1, random port): <see cref="Answer"/> decides each request's status
/// (by the 1-based number of the request with the same webhook-id), and every request is recorded.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, int> _attempts = new();

    private WebhookReceiver(WebApplication app) => _app = app;

    /// <summary>Status for the n-th request (1-based) carrying one webhook-id. Default: 204.</summary>
    public Func<int, int> Answer { get; set; } = _ => 204;

    /// <summary>Every request, in arrival order.</summary>
    public ConcurrentQueue<ReceivedWebhook> Requests { get; } = new();

    /// <summary>The requests answered 2xx.</summary>
    public IReadOnlyList<ReceivedWebhook> Accepted => Requests.Where(r => r.Answered is >= 200 and < 300).ToList();

    public string Url => _app.Urls.First() + "/hook";

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/hook", async (HttpContext http) =>
        {
            using var buffer = new MemoryStream();
            await http.Request.Body.CopyToAsync(buffer);
            var id = http.Request.Headers["webhook-id"].ToString();
            var n = receiver._attempts.AddOrUpdate(id, 1, (_, c) => c + 1);
            var status = receiver.Answer(n);
            receiver.Requests.Enqueue(new ReceivedWebhook(id, http.Request.Headers["webhook-timestamp"], http.Request.Headers["webhook-signature"],
                buffer.ToArray(), status, DateTimeOffset.UtcNow));
            http.Response.StatusCode = status;
        });
        await app.StartAsync();
        return receiver;
    }

    /// <summary>Waits until <paramref name="condition"/> holds, failing after <paramref name="timeout"/>.</summary>
    public static async Task WaitForAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"timed out after {timeout.TotalSeconds:0.#} s waiting for {what}");
            await Task.Delay(25);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
