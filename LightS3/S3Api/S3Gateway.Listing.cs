using System.Globalization;
using System.Text;
using System.Xml.Linq;
using LightS3.S3Api.Auth;
using LightS3.Storage;
using Microsoft.AspNetCore.Http;

namespace LightS3.S3Api;

/// <summary>ListObjects (v1: marker) and ListObjectsV2 (continuation token, start-after, fetch-owner).</summary>
internal sealed partial class S3Gateway
{
    private async Task ListObjectsAsync(HttpContext context, S3Caller caller, S3Bucket bucket, CancellationToken ct)
    {
        var q = context.Request.Query;
        var v2 = q["list-type"].ToString() == "2";
        if (q.ContainsKey("list-type") && !v2) throw S3Exception.InvalidArgument("Invalid list type.");
        var prefix = q["prefix"].ToString();
        var delimiter = q["delimiter"].ToString();
        var encoding = q["encoding-type"].ToString();
        if (encoding.Length > 0 && encoding != "url") throw S3Exception.InvalidArgument("Invalid Encoding Method specified in Request");
        var maxKeys = MaxKeys(q["max-keys"].ToString());
        string? after;
        string? token = null;
        if (v2)
        {
            token = q.ContainsKey("continuation-token") ? q["continuation-token"].ToString() : null;
            after = token is not null ? DecodeToken(token) : q["start-after"] is { Count: > 0 } sa ? sa.ToString() : null;
        }
        else after = q["marker"] is { Count: > 0 } m ? m.ToString() : null;
        if (after is { Length: 0 }) after = null;

        var page = await S3Listing.ListAsync(store, bucket, prefix, delimiter, after, maxKeys, ct);
        string Enc(string s) => encoding == "url" ? AwsUri.Encode(s, keepSlash: true) : s;
        var owner = Owner(caller);
        var fetchOwner = !v2 || q["fetch-owner"].ToString() == "true";
        var root = S3Xml.E("ListBucketResult", S3Xml.E("Name", bucket.Name), S3Xml.E("Prefix", Enc(prefix)));
        if (v2)
        {
            if (token is not null) root.Add(S3Xml.E("ContinuationToken", token));
            if (q["start-after"] is { Count: > 0 } startAfter) root.Add(S3Xml.E("StartAfter", Enc(startAfter.ToString())));
            root.Add(S3Xml.E("KeyCount", page.Contents.Count + page.CommonPrefixes.Count));
        }
        else root.Add(S3Xml.E("Marker", Enc(after ?? "")));
        root.Add(S3Xml.E("MaxKeys", maxKeys));
        if (delimiter.Length > 0) root.Add(S3Xml.E("Delimiter", Enc(delimiter)));
        root.Add(S3Xml.E("IsTruncated", page.IsTruncated ? "true" : "false"));
        if (page.IsTruncated && page.Next is not null)
        {
            if (v2) root.Add(S3Xml.E("NextContinuationToken", EncodeToken(page.Next)));
            else if (delimiter.Length > 0) root.Add(S3Xml.E("NextMarker", Enc(page.Next)));
        }
        if (encoding.Length > 0) root.Add(S3Xml.E("EncodingType", encoding));
        foreach (var (key, entry) in page.Contents)
        {
            var item = S3Xml.E("Contents", S3Xml.E("Key", Enc(key)), S3Xml.E("LastModified", S3Xml.Time(entry.LastModified)),
                S3Xml.E("ETag", ETags.Quote(entry.ETag)), S3Xml.E("Size", entry.Size), S3Xml.E("StorageClass", "STANDARD"));
            if (fetchOwner) item.Add(S3Xml.E("Owner", owner));
            root.Add(item);
        }
        foreach (var p in page.CommonPrefixes) root.Add(S3Xml.E("CommonPrefixes", S3Xml.E("Prefix", Enc(p))));
        await S3Xml.WriteAsync(context.Response, root);
    }

    private static int MaxKeys(string text)
    {
        if (text.Length == 0) return ObjectListings.MaxKeys;
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) || n < 0)
            throw S3Exception.InvalidArgument("Provided max-keys not an integer or within integer range");
        return Math.Min(n, ObjectListings.MaxKeys);
    }

    private static string EncodeToken(string next) => Convert.ToBase64String(Encoding.UTF8.GetBytes(next));

    private static string DecodeToken(string token)
    {
        try
        {
            return new UTF8Encoding(false, true).GetString(Convert.FromBase64String(token));
        }
        catch (Exception e) when (e is FormatException or DecoderFallbackException)
        {
            throw S3Exception.InvalidArgument("The continuation token provided is incorrect");
        }
    }
}
