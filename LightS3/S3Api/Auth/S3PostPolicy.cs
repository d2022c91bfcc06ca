using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace LightS3.S3Api.Auth;

/// <summary>
/// A browser-form upload's policy (presigned POST): the form's signature over the base64 policy (Signature V4:
/// <c>x-amz-signature</c> with <c>x-amz-credential</c>; V2 <c>AWSAccessKeyId</c> + <c>signature</c> as older clients
/// send), the policy's expiration, and its conditions — <c>{"field": "value"}</c> / <c>["eq", "$field", "value"]</c>,
/// <c>["starts-with", "$field", "prefix"]</c>, <c>["content-length-range", min, max]</c>. Every form field but the
/// signature's own, <c>file</c> and <c>x-ignore-*</c> must be named by a condition.
/// </summary>
internal sealed class S3PostPolicy
{
    private static readonly HashSet<string> Exempt = new(StringComparer.OrdinalIgnoreCase)
    {
        "policy", "x-amz-signature", "signature", "awsaccesskeyid", "file",
    };

    private readonly List<(string Op, string Field, string Value)> _conditions = [];

    private S3PostPolicy(DateTimeOffset expiration) => Expiration = expiration;

    public DateTimeOffset Expiration { get; }
    public long MinLength { get; private set; }
    public long MaxLength { get; private set; } = long.MaxValue;

    /// <summary>Verifies the signature and parses the policy; returns the signer's access key.</summary>
    public static (string AccessKey, S3PostPolicy Policy) Authenticate(IReadOnlyDictionary<string, string> fields,
        Func<string, string> secretOf, TimeProvider time)
    {
        if (!fields.TryGetValue("policy", out var policy64))
            throw S3Exception.AccessDenied("Anonymous POST uploads are not allowed: the form needs a signed policy.");
        string accessKey;
        if (fields.TryGetValue("x-amz-credential", out var credential))
        {
            if (!fields.TryGetValue("x-amz-signature", out var signature)) throw Missing("x-amz-signature");
            if (fields.TryGetValue("x-amz-algorithm", out var algorithm) && algorithm != SigV4Crypto.Algorithm)
                throw S3Exception.InvalidArgument("POST form x-amz-algorithm must be AWS4-HMAC-SHA256");
            var parts = credential.Split('/');
            if (parts.Length != 5 || parts[3] != "s3" || parts[4] != "aws4_request") throw S3Exception.InvalidArgument($"Invalid credential '{credential}'");
            accessKey = parts[0];
            var key = SigV4Crypto.SigningKey(secretOf(accessKey), parts[1], parts[2], parts[3]);
            if (!SigV4Crypto.Same(SigV4Crypto.Sign(key, policy64), signature)) throw Mismatch();
        }
        else if (fields.TryGetValue("awsaccesskeyid", out var v2Key))
        {
            if (!fields.TryGetValue("signature", out var signature)) throw Missing("signature");
            accessKey = v2Key;
            var expected = Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(secretOf(accessKey)), Encoding.UTF8.GetBytes(policy64)));
            if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(signature))) throw Mismatch();
        }
        else throw Missing("x-amz-credential");
        var parsed = Parse(policy64);
        if (time.GetUtcNow() > parsed.Expiration) throw S3Exception.AccessDenied("Invalid according to Policy: Policy expired.");
        return (accessKey, parsed);
    }

    /// <summary>Checks every condition against the form fields (with <c>bucket</c>), and that no field goes unmentioned.</summary>
    public void Check(IReadOnlyDictionary<string, string> fields, string bucket)
    {
        var values = new Dictionary<string, string>(fields, StringComparer.OrdinalIgnoreCase) { ["bucket"] = bucket };
        foreach (var (op, field, expected) in _conditions)
        {
            var actual = values.TryGetValue(field, out var v) ? v : null;
            var holds = op == "eq" ? actual == expected : actual is not null && actual.StartsWith(expected, StringComparison.Ordinal);
            if (!holds) throw S3Exception.AccessDenied($"Invalid according to Policy: Policy Condition failed: [\"{op}\", \"${field}\", \"{expected}\"]");
        }
        foreach (var name in fields.Keys)
            if (!Exempt.Contains(name) && !name.StartsWith("x-ignore-", StringComparison.OrdinalIgnoreCase)
                && !_conditions.Any(c => string.Equals(c.Field, name, StringComparison.OrdinalIgnoreCase)))
                throw S3Exception.AccessDenied($"Invalid according to Policy: Extra input fields: {name}");
    }

    private static S3PostPolicy Parse(string policy64)
    {
        try
        {
            using var doc = JsonDocument.Parse(Convert.FromBase64String(policy64));
            var root = doc.RootElement;
            if (!root.TryGetProperty("expiration", out var exp) || exp.ValueKind != JsonValueKind.String
                || !DateTimeOffset.TryParseExact(exp.GetString(), ["yyyy-MM-dd'T'HH:mm:ss'Z'", "yyyy-MM-dd'T'HH:mm:ss.FFF'Z'"],
                    CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var expiration))
                throw Invalid("Policy missing expiration, or it is not an ISO 8601 UTC date");
            if (!root.TryGetProperty("conditions", out var conditions) || conditions.ValueKind != JsonValueKind.Array || conditions.GetArrayLength() == 0)
                throw Invalid("Policy missing conditions");
            var policy = new S3PostPolicy(expiration);
            foreach (var c in conditions.EnumerateArray()) policy.Add(c);
            return policy;
        }
        catch (Exception e) when (e is FormatException or JsonException or InvalidOperationException)
        {
            throw Invalid("Policy is not valid base64-encoded JSON");
        }
    }

    private void Add(JsonElement condition)
    {
        if (condition.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in condition.EnumerateObject()) _conditions.Add(("eq", p.Name.TrimStart('$'), Text(p.Value)));
            return;
        }
        if (condition.ValueKind != JsonValueKind.Array) throw Invalid("Invalid policy condition");
        var items = condition.EnumerateArray().ToList();
        var op = items.Count > 0 && items[0].ValueKind == JsonValueKind.String ? items[0].GetString()!.ToLowerInvariant() : "";
        if (op == "content-length-range" && items.Count == 3)
        {
            if (!items[1].TryGetInt64(out var min) || !items[2].TryGetInt64(out var max) || min < 0 || max < min)
                throw Invalid("Invalid content-length-range");
            (MinLength, MaxLength) = (min, max);
        }
        else if (op is "eq" or "starts-with" && items.Count == 3 && items[1].ValueKind == JsonValueKind.String && items[1].GetString()!.StartsWith('$'))
            _conditions.Add((op, items[1].GetString()![1..], Text(items[2])));
        else throw Invalid("Invalid policy condition");
    }

    private static string Text(JsonElement e) => e.ValueKind == JsonValueKind.String ? e.GetString()! : throw Invalid("Policy condition values must be strings");

    private static S3Exception Invalid(string why) => new(400, "InvalidPolicyDocument", why);
    private static S3Exception Missing(string field) => S3Exception.InvalidArgument($"Bucket POST must contain a field named '{field}'.");
    private static S3Exception Mismatch() => new(403, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided.");
}
