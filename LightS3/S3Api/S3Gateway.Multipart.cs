using System.Globalization;
using System.Xml.Linq;
using LightS3.S3Api.Auth;
using LightS3.Storage;
using Microsoft.AspNetCore.Http;

namespace LightS3.S3Api;

/// <summary>
/// Multipart uploads, streamed: each part is a store object written as it arrives; completion writes a manifest naming
/// the parts (<see cref="S3Manifest"/>), which GET streams part by part. Nothing ever holds a whole object.
/// </summary>
internal sealed partial class S3Gateway
{
    /// <summary>S3's smallest part but the last.</summary>
    public const long MinPartSize = 5L * 1024 * 1024;

    private const int MaxPartNumber = 10000;

    private S3Uploads Uploads => new(store);

    private static string NewUploadId() => Guid.NewGuid().ToString("N");

    /// <summary>Object-level requests carrying <c>uploads</c> or <c>uploadId</c>; false when the request is not multipart.</summary>
    private async Task<bool> TryMultipartAsync(HttpContext context, S3Caller caller, S3Bucket bucket, string key, CancellationToken ct)
    {
        var query = context.Request.Query;
        var method = context.Request.Method;
        if (HttpMethods.IsPost(method) && query.ContainsKey("uploads"))
        {
            guard.EnsureWritable(bucket, key);
            await CreateMultipartUploadAsync(context, bucket, key, ct);
            return true;
        }
        if (!query.TryGetValue("uploadId", out var id)) return false;
        var upload = await Uploads.RequireAsync(bucket, key, id.ToString(), ct);
        if (HttpMethods.IsPut(method))
        {
            guard.EnsureWritable(bucket, key);
            var number = PartNumber(query["partNumber"].ToString());
            if (context.Request.Headers.ContainsKey("x-amz-copy-source")) await UploadPartCopyAsync(context, caller, bucket, upload, number, ct);
            else await UploadPartAsync(context, caller, bucket, upload, number, ct);
        }
        else if (HttpMethods.IsGet(method)) await ListPartsAsync(context, caller, bucket, upload, ct);
        else if (HttpMethods.IsPost(method))
        {
            guard.EnsureWritable(bucket, key);
            await CompleteMultipartUploadAsync(context, caller, bucket, upload, ct);
        }
        else if (HttpMethods.IsDelete(method))
        {
            await Uploads.RemoveAsync(bucket, upload.Id, new HashSet<string>(), ct);
            context.Response.StatusCode = 204;
        }
        else throw MethodNotAllowed();
        return true;
    }

    private static int PartNumber(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= MaxPartNumber ? n
            : throw S3Exception.InvalidArgument("Part number must be an integer between 1 and 10000, inclusive");

    private async Task CreateMultipartUploadAsync(HttpContext context, S3Bucket bucket, string key, CancellationToken ct)
    {
        var upload = new S3Upload(key, time.GetUtcNow(), S3ObjectMeta.FromRequest(context.Request, "", time.GetUtcNow())) { Id = NewUploadId() };
        await Uploads.CreateAsync(bucket, upload, ct);
        await S3Xml.WriteAsync(context.Response, S3Xml.E("InitiateMultipartUploadResult",
            S3Xml.E("Bucket", bucket.Name), S3Xml.E("Key", key), S3Xml.E("UploadId", upload.Id)));
    }

    private async Task UploadPartAsync(HttpContext context, S3Caller caller, S3Bucket bucket, S3Upload upload, int number, CancellationToken ct)
    {
        var content = await S3Body.ReadAsync(context, caller, options.MaxObjectSize, ct);
        var etag = await store.PutAsync(S3Layout.PartKey(bucket.Name, upload.Id, number), content, WriteCondition.None, ct);
        context.Response.Headers.ETag = ETags.Quote(ETags.Normalize(etag));
        context.Response.StatusCode = 200;
    }

    private async Task UploadPartCopyAsync(HttpContext context, S3Caller caller, S3Bucket bucket, S3Upload upload, int number, CancellationToken ct)
    {
        var headers = context.Request.Headers;
        var (_, _, source) = await ReadCopySourceAsync(headers, caller, ct);
        var (start, length) = CopySourceRange(headers["x-amz-copy-source-range"].ToString(), source.Size);
        if (length > options.MaxObjectSize) throw new S3Exception(400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed object size.");
        var content = new byte[length];
        var at = 0;
        await foreach (var chunk in Objects.ReadRangeAsync(source, start, length, ct))
        {
            chunk.CopyTo(content.AsMemory(at));
            at += chunk.Length;
        }
        var etag = ETags.Normalize(await store.PutAsync(S3Layout.PartKey(bucket.Name, upload.Id, number), content, WriteCondition.None, ct));
        await S3Xml.WriteAsync(context.Response, S3Xml.E("CopyPartResult",
            S3Xml.E("LastModified", S3Xml.Time(time.GetUtcNow())), S3Xml.E("ETag", ETags.Quote(etag))));
    }

    /// <summary><c>bytes=first-last</c> within the source (400 <c>InvalidRange</c> beyond it); anything else is <c>InvalidArgument</c>.</summary>
    private static (long Start, long Length) CopySourceRange(string header, long size)
    {
        if (header.Length == 0) return (0, size);
        var malformed = S3Exception.InvalidArgument("The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy");
        if (!header.StartsWith("bytes=", StringComparison.Ordinal)) throw malformed;
        var spec = header[6..].Split('-');
        if (spec.Length != 2 || !long.TryParse(spec[0], NumberStyles.None, CultureInfo.InvariantCulture, out var first)
            || !long.TryParse(spec[1], NumberStyles.None, CultureInfo.InvariantCulture, out var last) || last < first)
            throw malformed;
        if (last >= size) throw new S3Exception(400, "InvalidRange", "The requested range is not satisfiable");
        return (first, last - first + 1);
    }

    private async Task ListPartsAsync(HttpContext context, S3Caller caller, S3Bucket bucket, S3Upload upload, CancellationToken ct)
    {
        var q = context.Request.Query;
        var marker = q["part-number-marker"].ToString() is { Length: > 0 } m
            ? int.TryParse(m, NumberStyles.None, CultureInfo.InvariantCulture, out var mk) ? mk : throw S3Exception.InvalidArgument("Invalid part-number-marker")
            : 0;
        var maxParts = q["max-parts"].ToString() is { Length: > 0 } mp
            ? int.TryParse(mp, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? Math.Min(n, 1000) : throw S3Exception.InvalidArgument("Invalid max-parts")
            : 1000;
        var after = (await Uploads.PartsAsync(bucket, upload.Id, ct)).Where(p => p.Number > marker).ToList();
        var page = after.Take(maxParts).ToList();
        var truncated = after.Count > page.Count;
        var root = S3Xml.E("ListPartsResult", S3Xml.E("Bucket", bucket.Name), S3Xml.E("Key", upload.Key), S3Xml.E("UploadId", upload.Id),
            S3Xml.E("Initiator", Owner(caller)), S3Xml.E("Owner", Owner(caller)), S3Xml.E("StorageClass", "STANDARD"),
            S3Xml.E("PartNumberMarker", marker), S3Xml.E("NextPartNumberMarker", page.Count > 0 ? page[^1].Number : 0),
            S3Xml.E("MaxParts", maxParts), S3Xml.E("IsTruncated", truncated ? "true" : "false"));
        foreach (var (number, entry) in page)
            root.Add(S3Xml.E("Part", S3Xml.E("PartNumber", number), S3Xml.E("LastModified", S3Xml.Time(entry.LastModified)),
                S3Xml.E("ETag", ETags.Quote(ETags.Normalize(entry.ETag))), S3Xml.E("Size", entry.Size)));
        await S3Xml.WriteAsync(context.Response, root);
    }

    private async Task CompleteMultipartUploadAsync(HttpContext context, S3Caller caller, S3Bucket bucket, S3Upload upload, CancellationToken ct)
    {
        var condition = WriteConditionOf(context.Request.Headers);
        var root = S3Xml.Parse(await S3Body.ReadAsync(context, caller, 2 * 1024 * 1024, ct));
        if (root.Name.LocalName != "CompleteMultipartUpload") throw S3Exception.MalformedXml();
        var requested = S3Xml.Children(root, "Part").Select(p =>
            (Number: int.TryParse(S3Xml.Child(p, "PartNumber"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : throw S3Exception.MalformedXml(),
             ETag: ETags.Normalize(S3Xml.Child(p, "ETag") ?? throw S3Exception.MalformedXml()))).ToList();
        if (requested.Count == 0) throw S3Exception.MalformedXml();
        for (var i = 1; i < requested.Count; i++)
            if (requested[i].Number <= requested[i - 1].Number)
                throw new S3Exception(400, "InvalidPartOrder", "The list of parts was not in ascending order. The parts list must be specified in order by part number.");
        var stored = (await Uploads.PartsAsync(bucket, upload.Id, ct)).ToDictionary(p => p.Number, p => p.Entry);
        var parts = new List<S3ManifestPart>(requested.Count);
        for (var i = 0; i < requested.Count; i++)
        {
            var (number, etag) = requested[i];
            if (!stored.TryGetValue(number, out var entry) || ETags.Normalize(entry.ETag) != etag)
                throw new S3Exception(400, "InvalidPart", "One or more of the specified parts could not be found. The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.");
            if (i < requested.Count - 1 && entry.Size < MinPartSize)
                throw new S3Exception(400, "EntityTooSmall", "Your proposed upload is smaller than the minimum allowed object size.");
            parts.Add(new S3ManifestPart(entry.Key, entry.Size));
        }
        var manifest = new S3Manifest(S3Manifest.ETagOf(requested.Select(p => p.ETag).ToList()), parts.Sum(p => p.Size), parts);
        var written = await Objects.WriteAsync(bucket, upload.Key, ReadOnlyMemory<byte>.Empty, condition,
            (etag, now) => upload.Meta with { ETag = etag, LastModified = now }, ct, manifest);
        await Uploads.RemoveAsync(bucket, upload.Id, parts.Select(p => p.Key).ToHashSet(StringComparer.Ordinal), ct);
        await S3Xml.WriteAsync(context.Response, S3Xml.E("CompleteMultipartUploadResult",
            S3Xml.E("Location", $"{context.Request.Scheme}://{context.Request.Host}{mountPath}/{bucket.Name}/{AwsUri.Encode(upload.Key, keepSlash: true)}"),
            S3Xml.E("Bucket", bucket.Name), S3Xml.E("Key", upload.Key), S3Xml.E("ETag", ETags.Quote(written.ETag))));
    }

    private async Task ListMultipartUploadsAsync(HttpContext context, S3Caller caller, S3Bucket bucket, CancellationToken ct)
    {
        var q = context.Request.Query;
        var prefix = q["prefix"].ToString();
        var delimiter = q["delimiter"].ToString();
        var keyMarker = q["key-marker"].ToString();
        var idMarker = q["upload-id-marker"].ToString();
        var maxUploads = q["max-uploads"].ToString() is { Length: > 0 } mu
            ? int.TryParse(mu, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? Math.Min(n, 1000) : throw S3Exception.InvalidArgument("Invalid max-uploads")
            : 1000;
        var all = (await Uploads.ListAsync(bucket, ct)).Where(u => u.Key.StartsWith(prefix, StringComparison.Ordinal)
            && (keyMarker.Length == 0 || string.CompareOrdinal(u.Key, keyMarker) > 0
                || (u.Key == keyMarker && idMarker.Length > 0 && string.CompareOrdinal(u.Id, idMarker) > 0))).ToList();
        var uploads = new List<S3Upload>();
        var prefixes = new List<string>();
        var truncated = false;
        foreach (var u in all)
        {
            var at = delimiter.Length > 0 ? u.Key.IndexOf(delimiter, prefix.Length, StringComparison.Ordinal) : -1;
            var rolled = at < 0 ? null : u.Key[..(at + delimiter.Length)];
            if (rolled is not null && prefixes.Count > 0 && prefixes[^1] == rolled) continue;
            if (uploads.Count + prefixes.Count == maxUploads) { truncated = true; break; }
            if (rolled is not null) prefixes.Add(rolled); else uploads.Add(u);
        }
        var root = S3Xml.E("ListMultipartUploadsResult", S3Xml.E("Bucket", bucket.Name), S3Xml.E("KeyMarker", keyMarker),
            S3Xml.E("UploadIdMarker", idMarker), S3Xml.E("Prefix", prefix));
        if (delimiter.Length > 0) root.Add(S3Xml.E("Delimiter", delimiter));
        if (truncated && uploads.Count > 0)
            root.Add(S3Xml.E("NextKeyMarker", uploads[^1].Key), S3Xml.E("NextUploadIdMarker", uploads[^1].Id));
        root.Add(S3Xml.E("MaxUploads", maxUploads), S3Xml.E("IsTruncated", truncated ? "true" : "false"));
        foreach (var u in uploads)
            root.Add(S3Xml.E("Upload", S3Xml.E("Key", u.Key), S3Xml.E("UploadId", u.Id), S3Xml.E("Initiator", Owner(caller)),
                S3Xml.E("Owner", Owner(caller)), S3Xml.E("StorageClass", "STANDARD"), S3Xml.E("Initiated", S3Xml.Time(u.Initiated))));
        foreach (var p in prefixes) root.Add(S3Xml.E("CommonPrefixes", S3Xml.E("Prefix", p)));
        await S3Xml.WriteAsync(context.Response, root);
    }

    /// <summary>Deleting a bucket aborts its uploads in progress.</summary>
    private async Task AbortAllUploadsAsync(S3Bucket bucket, CancellationToken ct)
    {
        foreach (var upload in await Uploads.ListAsync(bucket, ct)) await Uploads.RemoveAsync(bucket, upload.Id, new HashSet<string>(), ct);
    }
}
