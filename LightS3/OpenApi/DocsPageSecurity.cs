using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LightS3.OpenApi;

/// <summary>
/// Gives the API reference page (Scalar) a Content-Security-Policy like the admin UI's: scripts only from the app and the
/// page's own inline bootstrap (allowed by its SHA-256, not by <c>'unsafe-inline'</c>), no framing (clickjacking), no
/// plugins, no <c>eval</c> (Scalar's bundle only probes for it and does without). Scalar renders the page; an endpoint
/// filter reads the HTML it returns to hash its inline scripts.
/// </summary>
internal static partial class DocsPageSecurity
{
    /// <summary>Adds the headers to every endpoint of the docs UI.</summary>
    public static void Protect(IEndpointConventionBuilder docs) =>
        docs.Add(endpoint => endpoint.FilterFactories.Add((_, next) => async invocation =>
        {
            var result = await next(invocation);
            Apply(invocation.HttpContext.Response, result);
            return result;
        }));

    /// <summary>The policy of a page whose inline scripts are <paramref name="html"/>'s.</summary>
    public static string PolicyFor(string html)
    {
        var hashes = InlineScript().Matches(html)
            .Select(m => $"'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(m.Groups[1].Value)))}'");
        return $"default-src 'self'; script-src 'self' {string.Join(' ', hashes)}; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
               + "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";
    }

    private static void Apply(HttpResponse response, object? result)
    {
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.XFrameOptions = "DENY";
        if (result is ContentHttpResult { ResponseContent: { } html, ContentType: { } type } && type.StartsWith("text/html", StringComparison.OrdinalIgnoreCase))
            response.Headers.ContentSecurityPolicy = PolicyFor(html);
        else response.Headers.ContentSecurityPolicy = "default-src 'self'; frame-ancestors 'none'";
    }

    [GeneratedRegex("<script(?![^>]*\\bsrc\\s*=)[^>]*>(.*?)</script>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex InlineScript();
}
