using Microsoft.AspNetCore.Http;
using StandardWebhooks;
using StandardWebhooks.Diagnostics;

namespace LightS3.Tests.Webhooks;

/// <summary>An independent receiver-side verifier: the StandardWebhooks NuGet package (a port of the spec's C# reference library).</summary>
public static class StandardWebhooksLibrary
{
    /// <summary>Whether the library accepts a received request (signature and timestamp tolerance).</summary>
    public static bool Verifies(ReceivedWebhook r, string secret = WebhookApps.Secret)
    {
        var headers = new HeaderDictionary
        {
            ["webhook-id"] = r.Id,
            ["webhook-timestamp"] = r.Timestamp,
            ["webhook-signature"] = r.Signature,
        };
        try
        {
            new StandardWebhook(secret).Verify(r.Text, headers);
            return true;
        }
        catch (WebhookVerificationException)
        {
            return false;
        }
    }
}
