namespace LightS3.S3Api;

/// <summary>An S3 error response: the documented code and status, rendered as S3's XML error document.</summary>
internal sealed class S3Exception(int status, string code, string message) : Exception(message)
{
    public int Status { get; } = status;
    public string Code { get; } = code;

    public static S3Exception NoSuchBucket() => new(404, "NoSuchBucket", "The specified bucket does not exist");
    public static S3Exception NoSuchKey() => new(404, "NoSuchKey", "The specified key does not exist.");
    public static S3Exception AccessDenied(string why = "Access Denied") => new(403, "AccessDenied", why);
    public static S3Exception InvalidArgument(string why) => new(400, "InvalidArgument", why);
    public static S3Exception InvalidRequest(string why) => new(400, "InvalidRequest", why);
    public static S3Exception MalformedXml() => new(400, "MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema");
    public static S3Exception PreconditionFailed() => new(412, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold");
    public static S3Exception NotImplemented(string what) => new(501, "NotImplemented", $"{what} is not implemented by this server");
}
