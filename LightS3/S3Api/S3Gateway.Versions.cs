using System.Xml.Linq;
using LightS3.S3Api.Auth;
using LightS3.Storage;
using Microsoft.AspNetCore.Http;

namespace LightS3.S3Api;

/// <summary>
/// ListObjectVersions for buckets that are never versioned: every object once, as S3 lists an unversioned object
/// (<c>VersionId</c> <c>null</c>, <c>IsLatest</c> true). Clients empty buckets this way (s3-tests' fixtures, rclone).
/// </summary>
internal sealed partial class S3Gateway
{
    /// <summary>The only version id an unversioned object has.</summary>
    private const string NullVersion = "null";

    private async Task ListObjectVersionsAsync(HttpContext context, S3Caller caller, S3Bucket bucket, CancellationToken ct)
    {
        var q = context.Request.Query;
        var prefix = q["prefix"].ToString();
        var delimiter = q["delimiter"].ToString();
        var encoding = q["encoding-type"].ToString();
        if (encoding.Length > 0 && encoding != "url") throw S3Exception.InvalidArgument("Invalid Encoding Method specified in Request");
        var maxKeys = MaxKeys(q["max-keys"].ToString());
        var keyMarker = q["key-marker"].ToString();
        var page = await S3Listing.ListAsync(store, bucket, prefix, delimiter, keyMarker.Length == 0 ? null : keyMarker, maxKeys, ct);
        string Enc(string s) => encoding == "url" ? AwsUri.Encode(s, keepSlash: true) : s;
        var root = S3Xml.E("ListVersionsResult", S3Xml.E("Name", bucket.Name), S3Xml.E("Prefix", Enc(prefix)),
            S3Xml.E("KeyMarker", Enc(keyMarker)), S3Xml.E("VersionIdMarker", q["version-id-marker"].ToString()), S3Xml.E("MaxKeys", maxKeys));
        if (delimiter.Length > 0) root.Add(S3Xml.E("Delimiter", Enc(delimiter)));
        root.Add(S3Xml.E("IsTruncated", page.IsTruncated ? "true" : "false"));
        if (page.IsTruncated && page.Next is not null)
            root.Add(S3Xml.E("NextKeyMarker", Enc(page.Next)), S3Xml.E("NextVersionIdMarker", NullVersion));
        if (encoding.Length > 0) root.Add(S3Xml.E("EncodingType", encoding));
        var owner = Owner(caller);
        foreach (var (key, entry) in page.Contents)
            root.Add(S3Xml.E("Version", S3Xml.E("Key", Enc(key)), S3Xml.E("VersionId", NullVersion), S3Xml.E("IsLatest", "true"),
                S3Xml.E("LastModified", S3Xml.Time(entry.LastModified)), S3Xml.E("ETag", ETags.Quote(entry.ETag)),
                S3Xml.E("Size", entry.Size), S3Xml.E("StorageClass", "STANDARD"), S3Xml.E("Owner", owner)));
        foreach (var p in page.CommonPrefixes) root.Add(S3Xml.E("CommonPrefixes", S3Xml.E("Prefix", Enc(p))));
        await S3Xml.WriteAsync(context.Response, root);
    }

    /// <summary>A <c>versionId</c> on an object request: <c>null</c> names the object itself; any other is no version here.</summary>
    private static void CheckVersionId(string? versionId)
    {
        if (versionId is null || versionId == NullVersion) return;
        throw new S3Exception(400, "InvalidArgument", "Invalid version id specified");
    }
}
