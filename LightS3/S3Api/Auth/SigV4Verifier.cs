using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace LightS3.S3Api.Auth;

/// <summary>
/// Verifies AWS Signature V4 in the <c>Authorization</c> header or in the query string (presigned URLs), answering with
/// the codes AWS uses: unknown key → <c>InvalidAccessKeyId</c>, wrong signature → <c>SignatureDoesNotMatch</c>, clock skew
/// beyond 15 minutes → <c>RequestTimeTooSkewed</c>, expired presigned URL → <c>AccessDenied</c>. Any region is accepted.
/// </summary>
internal sealed class SigV4Verifier(IReadOnlyDictionary<string, string> credentials, TimeProvider time)
{
    public static readonly TimeSpan MaxSkew = TimeSpan.FromMinutes(15);
    private const long MaxPresignSeconds = 7 * 24 * 3600;

    /// <summary>The verified caller, <see cref="S3Caller.Anonymous"/> when the request carries no signature.</summary>
    public S3Caller Verify(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.Length > 0) return VerifyHeader(request, authorization);
        if (request.Query.ContainsKey("X-Amz-Signature") || request.Query.ContainsKey("X-Amz-Credential")) return VerifyQuery(request);
        if (request.Query.ContainsKey("Signature") || request.Query.ContainsKey("AWSAccessKeyId")) throw Unsupported();
        return S3Caller.Anonymous;
    }

    private static S3Exception Unsupported() => new(400, "InvalidRequest",
        "The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.");

    private S3Caller VerifyHeader(HttpRequest request, string authorization)
    {
        if (!authorization.StartsWith(SigV4Crypto.Algorithm + " ", StringComparison.Ordinal))
            throw authorization.StartsWith("AWS ", StringComparison.Ordinal) ? Unsupported()
                : new S3Exception(400, "AuthorizationHeaderMalformed", "The authorization header is malformed");
        var parts = authorization[(SigV4Crypto.Algorithm.Length + 1)..]
            .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
        if (!parts.TryGetValue("Credential", out var credential) || !parts.TryGetValue("SignedHeaders", out var signedHeaders)
            || !parts.TryGetValue("Signature", out var signature))
            throw new S3Exception(400, "AuthorizationHeaderMalformed", "The authorization header is malformed; it must have Credential, SignedHeaders and Signature");
        var amzDate = request.Headers["x-amz-date"].ToString();
        if (amzDate.Length == 0 && DateTimeOffset.TryParse(request.Headers.Date.ToString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date))
            amzDate = date.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var when = ParseDate(amzDate) ?? throw AccessDenied("AWS authentication requires a valid Date or x-amz-date header");
        if ((time.GetUtcNow() - when).Duration() > MaxSkew)
            throw new S3Exception(403, "RequestTimeTooSkewed", "The difference between the request time and the current time is too large.");
        var payload = request.Headers["x-amz-content-sha256"].ToString();
        if (payload.Length == 0) throw S3Exception.InvalidRequest("Missing required header for this request: x-amz-content-sha256");
        if (!IsKnownPayload(payload)) throw new S3Exception(400, "InvalidArgument", "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD or a valid sha256 value.");
        var (accessKey, scope, key) = Scope(credential, amzDate);
        var canonical = CanonicalRequest(request, signedHeaders, payload, presigned: false);
        var expected = SigV4Crypto.Sign(key, StringToSign(amzDate, scope, canonical));
        if (!SigV4Crypto.Same(expected, signature)) throw SignatureMismatch();
        return new S3Caller(accessKey, key, scope, amzDate, expected, payload);
    }

    private S3Caller VerifyQuery(HttpRequest request)
    {
        var q = request.Query;
        if (q["X-Amz-Algorithm"].ToString() != SigV4Crypto.Algorithm)
            throw new S3Exception(400, "AuthorizationQueryParametersError", "X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\"");
        var credential = q["X-Amz-Credential"].ToString();
        var amzDate = q["X-Amz-Date"].ToString();
        var signedHeaders = q["X-Amz-SignedHeaders"].ToString();
        var signature = q["X-Amz-Signature"].ToString();
        if (credential.Length == 0 || signedHeaders.Length == 0 || signature.Length == 0 || ParseDate(amzDate) is not { } when
            || !long.TryParse(q["X-Amz-Expires"].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var expires))
            throw new S3Exception(400, "AuthorizationQueryParametersError",
                "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.");
        if (expires > MaxPresignSeconds)
            throw new S3Exception(400, "AuthorizationQueryParametersError", "X-Amz-Expires must be less than a week (in seconds) that is 604800");
        var (accessKey, scope, key) = Scope(credential, amzDate);
        var now = time.GetUtcNow();
        if (when - now > MaxSkew) throw AccessDenied("Request is not valid yet");
        if (now > when.AddSeconds(expires)) throw AccessDenied("Request has expired");
        var payload = q["X-Amz-Content-Sha256"] is { Count: > 0 } p ? p.ToString() : "UNSIGNED-PAYLOAD";
        var canonical = CanonicalRequest(request, signedHeaders, payload, presigned: true);
        var expected = SigV4Crypto.Sign(key, StringToSign(amzDate, scope, canonical));
        if (!SigV4Crypto.Same(expected, signature)) throw SignatureMismatch();
        return new S3Caller(accessKey, key, scope, amzDate, expected, payload);
    }

    /// <summary>The secret of <paramref name="accessKey"/>, or 403 <c>InvalidAccessKeyId</c>.</summary>
    public string SecretOf(string accessKey) => credentials.TryGetValue(accessKey, out var secret) ? secret
        : throw new S3Exception(403, "InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records.");

    private static S3Exception AccessDenied(string why) => S3Exception.AccessDenied(why);

    private static S3Exception SignatureMismatch() => new(403, "SignatureDoesNotMatch",
        "The request signature we calculated does not match the signature you provided. Check your key and signing method.");

    private static bool IsKnownPayload(string p) => p is "UNSIGNED-PAYLOAD" or AwsChunked.Signed or AwsChunked.SignedTrailer
        or AwsChunked.UnsignedTrailer || (p.Length == 64 && p.All(char.IsAsciiHexDigit));

    /// <summary>The access key, the credential scope and the signing key of <c>AKID/date/region/s3/aws4_request</c>.</summary>
    private (string AccessKey, string Scope, byte[] Key) Scope(string credential, string amzDate)
    {
        var parts = credential.Split('/');
        if (parts.Length != 5 || parts[4] != "aws4_request" || parts[3] != "s3")
            throw new S3Exception(400, "AuthorizationHeaderMalformed", $"The credential '{credential}' is malformed; expected \"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\".");
        if (!credentials.TryGetValue(parts[0], out var secret))
            throw new S3Exception(403, "InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records.");
        if (!amzDate.StartsWith(parts[1], StringComparison.Ordinal) || parts[1].Length != 8)
            throw new S3Exception(400, "AuthorizationHeaderMalformed", $"Invalid credential date \"{parts[1]}\". This date is not the same as X-Amz-Date: \"{amzDate[..Math.Min(8, amzDate.Length)]}\".");
        var scope = string.Join('/', parts[1..]);
        return (parts[0], scope, SigV4Crypto.SigningKey(secret, parts[1], parts[2], parts[3]));
    }

    private static DateTimeOffset? ParseDate(string amzDate) =>
        DateTimeOffset.TryParseExact(amzDate, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var d) ? d : null;

    public static string StringToSign(string amzDate, string scope, string canonicalRequest) =>
        $"{SigV4Crypto.Algorithm}\n{amzDate}\n{scope}\n{SigV4Crypto.Sha256Hex(canonicalRequest)}";

    /// <summary>The canonical request, from the request target exactly as sent (decoded and re-encoded the AWS way).</summary>
    private static string CanonicalRequest(HttpRequest request, string signedHeaders, string payload, bool presigned)
    {
        var target = request.HttpContext.Features.Get<IHttpRequestFeature>()?.RawTarget ?? (request.PathBase + request.Path + request.QueryString).ToString();
        var q = target.IndexOf('?');
        var rawPath = q < 0 ? target : target[..q];
        if (rawPath.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || rawPath.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
            rawPath = new Uri(rawPath).AbsolutePath;
        var path = AwsUri.Encode(AwsUri.Decode(rawPath), keepSlash: true);
        var query = CanonicalQuery(q < 0 ? "" : target[(q + 1)..], presigned);
        var sb = new StringBuilder();
        sb.Append(request.Method).Append('\n').Append(path).Append('\n').Append(query).Append('\n');
        foreach (var name in signedHeaders.Split(';'))
        {
            var values = name == "host" ? [request.Headers.Host.ToString()] : request.Headers[name].Select(v => v ?? "").ToArray();
            sb.Append(name).Append(':').Append(string.Join(',', values.Select(Trim))).Append('\n');
        }
        sb.Append('\n').Append(signedHeaders).Append('\n').Append(payload);
        return sb.ToString();
    }

    private static string Trim(string value) => string.Join(' ', value.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static string CanonicalQuery(string rawQuery, bool presigned)
    {
        var pairs = new List<(string Key, string Value)>();
        foreach (var part in rawQuery.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=');
            var k = AwsUri.Encode(AwsUri.Decode(eq < 0 ? part : part[..eq]), keepSlash: false);
            var v = eq < 0 ? "" : AwsUri.Encode(AwsUri.Decode(part[(eq + 1)..]), keepSlash: false);
            if (presigned && k == "X-Amz-Signature") continue;
            pairs.Add((k, v));
        }
        return string.Join('&', pairs.OrderBy(p => p.Key, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));
    }
}
