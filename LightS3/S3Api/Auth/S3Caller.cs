namespace LightS3.S3Api.Auth;

/// <summary>
/// Who sent a request and how its body is vouched for: the verified access key (null when anonymous), what
/// chunk signatures chain from (signing key, scope, date, seed signature), and the payload hash the request declared
/// (a hex SHA-256, <c>UNSIGNED-PAYLOAD</c> or one of the <c>STREAMING-*</c> modes).
/// </summary>
internal sealed record S3Caller(string? AccessKey, byte[] SigningKey, string Scope, string AmzDate, string Signature, string PayloadHash)
{
    public static readonly S3Caller Anonymous = new(null, [], "", "", "", "UNSIGNED-PAYLOAD");

    public bool IsAnonymous => AccessKey is null;
}
