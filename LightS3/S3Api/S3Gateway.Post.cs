using System.Text;
using System.Xml.Linq;
using LightS3.S3Api.Auth;
using LightS3.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace LightS3.S3Api;

/// <summary>
/// PostObject: a browser form (<c>multipart/form-data</c>) to <c>/{bucket}</c> carrying a signed policy, the fields and
/// the file last. The form is read as a stream: fields first (bounded), then the file (bounded by the policy's
/// <c>content-length-range</c> and <see cref="S3ApiOptions.MaxObjectSize"/>).
/// </summary>
internal sealed partial class S3Gateway
{
    private const int MaxFormFieldsBytes = 64 * 1024;

    private async Task PostObjectAsync(HttpContext context, string bucketName, CancellationToken ct)
    {
        var request = context.Request;
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type) || HeaderUtilities.RemoveQuotes(type.Boundary).Value is not { Length: > 0 } boundary)
            throw S3Exception.InvalidArgument("POST requires a multipart/form-data body with a boundary.");
        var reader = new MultipartReader(boundary, request.Body);
        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var fieldBytes = 0;
        MultipartSection? file = null;
        string? fileName = null;
        while (await reader.ReadNextSectionAsync(ct) is { } section)
        {
            if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)) throw S3Exception.MalformedXml();
            var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? "";
            if (name.Equals("file", StringComparison.OrdinalIgnoreCase))
            {
                file = section;
                fileName = HeaderUtilities.RemoveQuotes(disposition.FileName).Value;
                break; // S3 ignores fields after the file
            }
            var value = await new StreamReader(section.Body, Encoding.UTF8).ReadToEndAsync(ct);
            fieldBytes += name.Length + value.Length;
            if (fieldBytes > MaxFormFieldsBytes) throw new S3Exception(400, "MaxPostPreDataLengthExceeded", "Your POST request fields preceding the upload file were too large.");
            fields[name] = value;
        }
        if (file is null) throw S3Exception.InvalidArgument("POST requires exactly one file upload per request.");
        var bucket = await buckets.FindAsync(bucketName, ct) ?? throw S3Exception.NoSuchBucket();
        var (_, policy) = S3PostPolicy.Authenticate(fields, verifier.SecretOf, time);
        if (!fields.TryGetValue("key", out var key) || key.Length == 0) throw S3Exception.InvalidArgument("Bucket POST must contain a field named 'key'.");
        policy.Check(fields, bucket.Name);
        key = key.Replace("${filename}", fileName ?? "", StringComparison.Ordinal);
        S3Keys.Validate(bucket, key);
        guard.EnsureWritable(bucket, key);

        var limit = Math.Min(policy.MaxLength, options.MaxObjectSize);
        var content = await ReadBoundedAsync(file.Body, limit, ct);
        if (content.Length < policy.MinLength) throw new S3Exception(400, "EntityTooSmall", "Your proposed upload is smaller than the minimum allowed size.");
        var written = await Objects.WriteAsync(bucket, key, content, S3WriteCondition.None, (etag, now) => MetaOf(fields, etag, now), ct);

        var response = context.Response;
        response.Headers.ETag = ETags.Quote(written.ETag);
        var location = $"{request.Scheme}://{request.Host}{mountPath}/{bucket.Name}/{AwsUri.Encode(key, keepSlash: true)}";
        response.Headers.Location = location;
        if (fields.TryGetValue("success_action_redirect", out var redirect) && Uri.TryCreate(redirect, UriKind.Absolute, out var redirectUri))
        {
            var query = $"bucket={Uri.EscapeDataString(bucket.Name)}&key={Uri.EscapeDataString(key)}&etag={Uri.EscapeDataString(ETags.Quote(written.ETag))}";
            response.Headers.Location = redirectUri + (redirectUri.Query.Length > 0 ? "&" : "?") + query;
            response.StatusCode = 303;
            return;
        }
        var status = fields.TryGetValue("success_action_status", out var s) && s is "200" or "201" ? int.Parse(s) : 204;
        if (status == 201)
        {
            await S3Xml.WriteAsync(response, new XElement("PostResponse", new XElement("Location", location), new XElement("Bucket", bucket.Name),
                new XElement("Key", key), new XElement("ETag", ETags.Quote(written.ETag))), 201);
            return;
        }
        response.StatusCode = status;
    }

    private static async Task<byte[]> ReadBoundedAsync(Stream body, long limit, CancellationToken ct)
    {
        var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int n;
        while ((n = await body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + n > limit) throw new S3Exception(400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size.");
            buffer.Write(chunk, 0, n);
        }
        return buffer.ToArray();
    }

    /// <summary>The object's metadata from the form: Content-Type, the stored headers and <c>x-amz-meta-*</c>.</summary>
    private static S3ObjectMeta MetaOf(Dictionary<string, string> fields, string etag, DateTimeOffset now)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in S3ObjectMeta.StoredHeaders)
            if (fields.TryGetValue(name, out var v) && v.Length > 0) headers[name] = v;
        var user = fields.Where(f => f.Key.StartsWith("x-amz-meta-", StringComparison.OrdinalIgnoreCase))
            .ToDictionary(f => f.Key[11..].ToLowerInvariant(), f => f.Value, StringComparer.Ordinal);
        return new S3ObjectMeta(etag, now, fields.TryGetValue("Content-Type", out var t) && t.Length > 0 ? t : null, headers, user);
    }
}
