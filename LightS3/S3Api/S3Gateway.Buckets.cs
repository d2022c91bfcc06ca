using System.Xml.Linq;
using LightS3.S3Api.Auth;
using Microsoft.AspNetCore.Http;

namespace LightS3.S3Api;

/// <summary>ListBuckets, CreateBucket and DeleteObjects.</summary>
internal sealed partial class S3Gateway
{
    private const int MaxDeleteObjects = 1000;

    private async Task ListBucketsAsync(HttpContext context, S3Caller caller, CancellationToken ct)
    {
        var all = await buckets.ListAsync(ct);
        await S3Xml.WriteAsync(context.Response, S3Xml.E("ListAllMyBucketsResult",
            S3Xml.E("Owner", Owner(caller)),
            S3Xml.E("Buckets", all.Select(b => S3Xml.E("Bucket", S3Xml.E("Name", b.Name), S3Xml.E("CreationDate", S3Xml.Time(b.Created)))))));
    }

    private async Task CreateBucketAsync(HttpContext context, S3Caller caller, string name, CancellationToken ct)
    {
        // any LocationConstraint is accepted (the gateway has one region: whatever the client signs for)
        var body = await S3Body.ReadAsync(context, caller, 64 * 1024, ct);
        if (body.Length > 0) S3Xml.Parse(body);
        await buckets.CreateAsync(name, ct);
        context.Response.Headers.Location = "/" + name;
        context.Response.StatusCode = 200;
    }

    private async Task DeleteObjectsAsync(HttpContext context, S3Caller caller, S3Bucket bucket, CancellationToken ct)
    {
        var root = S3Xml.Parse(await S3Body.ReadAsync(context, caller, 2 * 1024 * 1024, ct));
        if (root.Name.LocalName != "Delete") throw S3Exception.MalformedXml();
        var quiet = string.Equals(S3Xml.Child(root, "Quiet")?.Trim(), "true", StringComparison.OrdinalIgnoreCase);
        var objects = S3Xml.Children(root, "Object").ToList();
        if (objects.Count is 0 or > MaxDeleteObjects) throw S3Exception.MalformedXml();
        var keys = objects.Select(o => (Key: S3Xml.Child(o, "Key") ?? throw S3Exception.MalformedXml(), Version: S3Xml.Child(o, "VersionId"))).ToList();
        var results = new List<XElement>();
        foreach (var (key, version) in keys)
        {
            var versionElement = version is null ? null : S3Xml.E("VersionId", version);
            try
            {
                S3Keys.Validate(bucket, key);
                CheckVersionId(version);
                guard.EnsureWritable(bucket, key);
                await Objects.DeleteAsync(bucket, key, ct);
                if (!quiet) results.Add(S3Xml.E("Deleted", S3Xml.E("Key", key), versionElement));
            }
            catch (S3Exception e)
            {
                results.Add(S3Xml.E("Error", S3Xml.E("Key", key), versionElement, S3Xml.E("Code", e.Code), S3Xml.E("Message", e.Message)));
            }
        }
        await S3Xml.WriteAsync(context.Response, S3Xml.E("DeleteResult", results));
    }
}
