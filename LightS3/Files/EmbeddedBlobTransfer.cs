using System.Globalization;
using LightS3.Storage;
using Microsoft.AspNetCore.WebUtilities;

namespace LightS3.Files;

/// <summary>
/// Files on a store without presigned URLs (embedded file store, memory, SQLite…): the bytes are objects of the store,
/// uploaded and downloaded through the app's <c>/_lights3/blobs</c> routes with HMAC-signed, expiring URLs that
/// enforce the same size and content-type limits as an S3 POST policy (see <see cref="EmbeddedBlobRoutes"/>).
/// </summary>
internal sealed class EmbeddedBlobTransfer(IObjectStore store, BlobUrlSigner signer) : IBlobTransfer
{
    public Task<UploadGrant> CreateUploadAsync(string key, string contentType, long minBytes, long maxBytes, DateTimeOffset expires, string baseUrl)
    {
        var exp = expires.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var (min, max) = (minBytes.ToString(CultureInfo.InvariantCulture), maxBytes.ToString(CultureInfo.InvariantCulture));
        var url = QueryHelpers.AddQueryString(baseUrl + EmbeddedBlobRoutes.UploadPath, new Dictionary<string, string?>
        {
            ["k"] = key, ["ct"] = contentType, ["min"] = min, ["max"] = max, ["exp"] = exp,
            ["sig"] = signer.Sign("put", key, contentType, min, max, exp),
        });
        return Task.FromResult(new UploadGrant(url, "PUT", new Dictionary<string, string>(), new Dictionary<string, string> { ["Content-Type"] = contentType }, expires));
    }

    public string DownloadUrl(string key, string contentType, string? attachmentName, DateTimeOffset expires, string baseUrl)
    {
        var exp = expires.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var query = new Dictionary<string, string?> { ["k"] = key, ["ct"] = contentType, ["exp"] = exp };
        if (attachmentName is not null) query["n"] = attachmentName;
        query["sig"] = signer.Sign("get", key, contentType, exp, attachmentName ?? "");
        return QueryHelpers.AddQueryString(baseUrl + EmbeddedBlobRoutes.DownloadPath, query);
    }

    public async Task<BlobInfo?> StatAsync(string key, CancellationToken ct)
    {
        // a one-key listing reports size and ETag without reading the bytes
        var listing = await store.ListAsync(key, null, 1, ct);
        return listing.Entries.FirstOrDefault(e => e.Key == key) is { } entry ? new BlobInfo(entry.Size, null, entry.ETag) : null;
    }

    public Task DeleteAsync(string key, string etag, CancellationToken ct) => store.DeleteObservedAsync(key, etag, ct);
}
