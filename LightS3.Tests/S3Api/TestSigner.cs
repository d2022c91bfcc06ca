using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace LightS3.Tests.S3Api;

/// <summary>
/// A minimal Signature V4 signer for requests the AWS SDK will not send (malformed bodies, odd keys, skewed clocks).
/// Keys in <paramref name="path"/> must already be URI-encoded the AWS way.
/// </summary>
public static class TestSigner
{
    public static HttpRequestMessage Signed(HttpMethod method, Uri baseUrl, string path, byte[]? body, string accessKey, string secretKey,
        DateTimeOffset? at = null, string query = "", string region = "us-east-1", string? payloadHash = null)
    {
        var when = (at ?? DateTimeOffset.UtcNow).UtcDateTime;
        var amzDate = when.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var date = amzDate[..8];
        var payload = payloadHash ?? Convert.ToHexStringLower(SHA256.HashData(body ?? []));
        var host = $"{baseUrl.Host}:{baseUrl.Port}";
        var canonicalQuery = string.Join('&', query.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Contains('=') ? p : p + "=").Order(StringComparer.Ordinal));
        var canonical = $"{method.Method}\n{path}\n{canonicalQuery}\nhost:{host}\nx-amz-content-sha256:{payload}\nx-amz-date:{amzDate}\n\nhost;x-amz-content-sha256;x-amz-date\n{payload}";
        var scope = $"{date}/{region}/s3/aws4_request";
        var toSign = $"AWS4-HMAC-SHA256\n{amzDate}\n{scope}\n{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))}";
        var key = Hmac(Encoding.UTF8.GetBytes("AWS4" + secretKey), date);
        foreach (var part in new[] { region, "s3", "aws4_request" }) key = Hmac(key, part);
        var signature = Convert.ToHexStringLower(Hmac(key, toSign));
        var request = new HttpRequestMessage(method, new Uri(baseUrl, path + (query.Length > 0 ? "?" + query : "")));
        if (body is not null) request.Content = new ByteArrayContent(body);
        request.Headers.TryAddWithoutValidation("x-amz-date", amzDate);
        request.Headers.TryAddWithoutValidation("x-amz-content-sha256", payload);
        request.Headers.TryAddWithoutValidation("Authorization",
            $"AWS4-HMAC-SHA256 Credential={accessKey}/{scope}, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature={signature}");
        return request;
    }

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));
}
