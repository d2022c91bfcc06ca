using System.Globalization;
using LightS3.S3Api.Auth;
using LightS3.Storage;
using Microsoft.AspNetCore.Http;

namespace LightS3.S3Api;

/// <summary>GetObject / HeadObject / PutObject.</summary>
internal sealed partial class S3Gateway
{
    /// <summary>Query parameters a signed GET may use to override response headers.</summary>
    private static readonly (string Query, string Header)[] ResponseOverrides =
    [
        ("response-content-type", "Content-Type"), ("response-content-language", "Content-Language"),
        ("response-expires", "Expires"), ("response-cache-control", "Cache-Control"),
        ("response-content-disposition", "Content-Disposition"), ("response-content-encoding", "Content-Encoding"),
    ];

    private async Task GetObjectAsync(HttpContext context, S3Bucket bucket, string key, CancellationToken ct)
    {
        var obj = await Objects.ReadAsync(bucket, key, ct) ?? throw S3Exception.NoSuchKey();
        var response = context.Response;
        var meta = obj.Meta;
        response.Headers.ETag = ETags.Quote(obj.ETag);
        response.Headers.LastModified = meta.LastModified.ToString("R", CultureInfo.InvariantCulture);
        S3Conditions.Check(context.Request.Headers, obj.ETag, meta.LastModified);
        var size = obj.Size;
        (long Start, long Length)? range;
        try
        {
            range = S3Range.Parse(context.Request.Headers.Range.ToString() is { Length: > 0 } r ? r : null, size);
        }
        catch (S3Exception e) when (e.Status == 416)
        {
            response.Headers.ContentRange = $"bytes */{size}";
            throw;
        }
        response.Headers.AcceptRanges = "bytes";
        response.ContentType = HeaderValue(meta.ContentType ?? S3ObjectMeta.DefaultContentType);
        foreach (var (name, value) in meta.Headers) response.Headers[name] = HeaderValue(value);
        foreach (var (name, value) in meta.UserMetadata) response.Headers["x-amz-meta-" + name] = HeaderValue(value);
        foreach (var (query, header) in ResponseOverrides)
            if (context.Request.Query.TryGetValue(query, out var v)) response.Headers[header] = HeaderValue(v.ToString());
        var (start, length) = range ?? (0, size);
        if (range is not null)
        {
            response.StatusCode = 206;
            response.Headers.ContentRange = $"bytes {start}-{start + length - 1}/{size}";
        }
        response.ContentLength = length;
        if (HttpMethods.IsHead(context.Request.Method)) return;
        await foreach (var chunk in Objects.ReadRangeAsync(obj, start, length, ct)) await response.Body.WriteAsync(chunk, ct);
    }

    /// <summary>
    /// A stored value as a response header: non-ASCII or control characters (which clients can send but HTTP/1.1 servers
    /// must not write raw) are RFC 2047-encoded, as S3 returns non-ASCII user metadata.
    /// </summary>
    private static string HeaderValue(string value) =>
        value.All(c => c is >= ' ' and <= '~' or '\t') ? value : $"=?UTF-8?B?{Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(value))}?=";

    private async Task PutObjectAsync(HttpContext context, S3Caller caller, S3Bucket bucket, string key, CancellationToken ct)
    {
        var condition = WriteConditionOf(context.Request.Headers);
        var content = await S3Body.ReadAsync(context, caller, options.MaxObjectSize, ct);
        var request = context.Request;
        var written = await Objects.WriteAsync(bucket, key, content, condition, (etag, now) => S3ObjectMeta.FromRequest(request, etag, now), ct);
        context.Response.Headers.ETag = ETags.Quote(written.ETag);
        context.Response.StatusCode = 200;
    }

    /// <summary>AWS's conditional writes: <c>If-None-Match</c> (<c>*</c>: create only; ETags: not those) and <c>If-Match</c> (ETags or <c>*</c>: must exist).</summary>
    private static S3WriteCondition WriteConditionOf(IHeaderDictionary headers)
    {
        var ifNoneMatch = headers.IfNoneMatch.ToString();
        var ifMatch = headers.IfMatch.ToString();
        if (ifNoneMatch.Length > 0 && ifMatch.Length > 0)
            throw new S3Exception(501, "NotImplemented", "A header you provided implies functionality that is not implemented: If-Match with If-None-Match");
        return new S3WriteCondition(ifMatch.Length > 0 ? ifMatch : null, ifNoneMatch.Length > 0 ? ifNoneMatch : null);
    }
}
