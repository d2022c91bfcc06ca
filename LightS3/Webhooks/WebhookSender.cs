using System.Net.Http.Headers;
using Microsoft.Extensions.Options;

namespace LightS3.Webhooks;

/// <summary>The result of one delivery attempt: success, the HTTP status (null when none came back) and the reason of a failure.</summary>
internal readonly record struct DeliveryAttempt(bool Delivered, int? Status, string? Error);

/// <summary>
/// Sends one attempt of a message to a target: a signed POST (fresh <c>webhook-timestamp</c> per attempt, same
/// <c>webhook-id</c>) through the <see cref="IHttpClientFactory"/> client <see cref="ClientName"/>, bounded by
/// <see cref="WebhookOptions.Timeout"/>. Any 2xx is delivered; anything else, or no answer, is a failed attempt.
/// </summary>
internal sealed class WebhookSender(IHttpClientFactory clients, TimeProvider time, IOptions<WebhookOptions> options)
{
    /// <summary>The named HTTP client (configure it further with <c>services.AddHttpClient(WebhookSender.ClientName)</c>).</summary>
    public const string ClientName = "LightS3.Webhooks";

    /// <summary>One attempt. Throws only when <paramref name="ct"/> is cancelled.</summary>
    public async Task<DeliveryAttempt> SendAsync(WebhookTarget target, string messageId, ReadOnlyMemory<byte> body, CancellationToken ct)
    {
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, target.Url) { Content = new ReadOnlyMemoryContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.TryAddWithoutValidation(WebhookSignature.IdHeader, messageId);
        request.Headers.TryAddWithoutValidation(WebhookSignature.TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (target.Secret is { } secret)
            request.Headers.TryAddWithoutValidation(WebhookSignature.SignatureHeader, WebhookSignature.Sign(secret, messageId, timestamp, body.Span));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(options.Value.Timeout);
        try
        {
            using var response = await clients.CreateClient(ClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var status = (int)response.StatusCode;
            return status is >= 200 and < 300 ? new DeliveryAttempt(true, status, null) : new DeliveryAttempt(false, status, $"HTTP {status}");
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new DeliveryAttempt(false, null, $"no answer within {options.Value.Timeout.TotalSeconds:0.#} s");
        }
        catch (HttpRequestException e)
        {
            return new DeliveryAttempt(false, null, e.Message);
        }
    }
}
