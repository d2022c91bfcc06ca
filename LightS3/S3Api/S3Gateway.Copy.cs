using LightS3.S3Api.Auth;
using LightS3.Storage;
using Microsoft.AspNetCore.Http;

namespace LightS3.S3Api;

/// <summary>CopyObject: <c>x-amz-copy-source</c>, its conditions and the metadata directive.</summary>
internal sealed partial class S3Gateway
{
    /// <summary>The object named by <c>x-amz-copy-source</c>, readable by the caller and passing the <c>x-amz-copy-source-if-*</c> conditions.</summary>
    private async Task<(S3Bucket Bucket, string Key, S3ObjectData Object)> ReadCopySourceAsync(IHeaderDictionary headers, S3Caller caller, CancellationToken ct)
    {
        var (sourceBucketName, sourceKey) = ParseCopySource(headers["x-amz-copy-source"].ToString());
        var sourceBucket = await FindForCallerAsync(caller, sourceBucketName, "GET", ct);
        S3Keys.Validate(sourceBucket, sourceKey);
        var source = await Objects.ReadAsync(sourceBucket, sourceKey, ct) ?? throw S3Exception.NoSuchKey();
        S3Conditions.Check(headers, source.ETag, source.Meta.LastModified, "x-amz-copy-source-");
        return (sourceBucket, sourceKey, source);
    }

    private async Task CopyObjectAsync(HttpContext context, S3Caller caller, S3Bucket bucket, string key, CancellationToken ct)
    {
        var headers = context.Request.Headers;
        var (sourceBucket, sourceKey, source) = await ReadCopySourceAsync(headers, caller, ct);
        var directive = headers["x-amz-metadata-directive"].ToString() is { Length: > 0 } d ? d.ToUpperInvariant() : "COPY";
        if (directive is not ("COPY" or "REPLACE")) throw S3Exception.InvalidArgument("Unknown metadata directive.");
        if (sourceBucket.Name == bucket.Name && sourceKey == key && directive == "COPY")
            throw S3Exception.InvalidRequest("This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.");
        var request = context.Request;
        var manifest = source.Manifest is null ? null : await CopyPartsAsync(bucket, source.Manifest, ct);
        var written = await Objects.WriteAsync(bucket, key, source.Content, WriteConditionOf(headers),
            (etag, now) => directive == "REPLACE" ? S3ObjectMeta.FromRequest(request, etag, now) : source.Meta with { ETag = etag, LastModified = now },
            ct, manifest);
        await S3Xml.WriteAsync(context.Response, S3Xml.E("CopyObjectResult",
            S3Xml.E("LastModified", S3Xml.Time(written.LastModified)), S3Xml.E("ETag", ETags.Quote(written.ETag))));
    }

    /// <summary>A multipart source is copied part by part into parts of its own (one part in memory at a time).</summary>
    private async Task<S3Manifest> CopyPartsAsync(S3Bucket bucket, S3Manifest source, CancellationToken ct)
    {
        var copyId = NewUploadId();
        var parts = new List<S3ManifestPart>(source.Parts.Count);
        for (var i = 0; i < source.Parts.Count; i++)
        {
            var stored = await store.GetAsync(source.Parts[i].Key, ct) ?? throw S3Exception.NoSuchKey();
            var key = S3Layout.PartKey(bucket.Name, copyId, i + 1);
            await store.PutAsync(key, stored.Content, WriteCondition.None, ct);
            parts.Add(new S3ManifestPart(key, stored.Content.Length));
        }
        return source with { Parts = parts };
    }

    /// <summary><c>/bucket/key</c> or <c>bucket/key</c>, URL-encoded, optionally with <c>?versionId=</c>.</summary>
    private static (string Bucket, string Key) ParseCopySource(string header)
    {
        var q = header.IndexOf('?');
        if (q >= 0)
        {
            if (!header[(q + 1)..].StartsWith("versionId=", StringComparison.Ordinal)) throw S3Exception.InvalidArgument("Invalid copy source.");
            header = header[..q];
        }
        var decoded = AwsUri.DecodeUtf8(header.TrimStart('/')) ?? throw S3Exception.InvalidArgument("Invalid copy source encoding.");
        var slash = decoded.IndexOf('/');
        if (slash <= 0 || slash == decoded.Length - 1) throw S3Exception.InvalidArgument("Copy Source must mention the source bucket and key: sourcebucket/sourcekey");
        return (decoded[..slash], decoded[(slash + 1)..]);
    }
}
