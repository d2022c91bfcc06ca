using System.Globalization;
using LightS3.Storage;
using Microsoft.AspNetCore.Http;

namespace LightS3.S3Api;

/// <summary>
/// Conditional reads in RFC 9110's order, as S3 evaluates them: If-Match (else If-Unmodified-Since) failing is 412;
/// then If-None-Match (else If-Modified-Since) failing is 304 on GET/HEAD. A prefix selects the
/// <c>x-amz-copy-source-</c> variants, where every failure is 412.
/// </summary>
internal static class S3Conditions
{
    public static void Check(IHeaderDictionary headers, string etag, DateTimeOffset lastModified, string prefix = "")
    {
        var copy = prefix.Length > 0;
        var ifMatch = Header(headers, prefix + "If-Match");
        if (ifMatch is not null)
        {
            if (!ETags.HeaderMatches(ifMatch, etag)) throw S3Exception.PreconditionFailed();
        }
        else if (Date(headers, prefix + "If-Unmodified-Since") is { } unmodifiedSince && lastModified > unmodifiedSince)
            throw S3Exception.PreconditionFailed();

        var ifNoneMatch = Header(headers, prefix + "If-None-Match");
        if (ifNoneMatch is not null)
        {
            if (ETags.HeaderMatches(ifNoneMatch, etag)) throw copy ? S3Exception.PreconditionFailed() : NotModified();
        }
        else if (Date(headers, prefix + "If-Modified-Since") is { } modifiedSince && lastModified <= modifiedSince)
            throw copy ? S3Exception.PreconditionFailed() : NotModified();
    }

    private static S3Exception NotModified() => new(304, "NotModified", "Not Modified");

    private static string? Header(IHeaderDictionary headers, string name) =>
        headers.TryGetValue(name, out var v) && v.ToString() is { Length: > 0 } s ? s : null;

    /// <summary>An HTTP date; an unparseable one is ignored, as RFC 9110 requires.</summary>
    private static DateTimeOffset? Date(IHeaderDictionary headers, string name) =>
        Header(headers, name) is { } s && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var d) ? d : null;
}
