using LightS3.Storage;

namespace LightS3.Files;

/// <summary>
/// Files on S3: presigned POST policies for uploads (S3 enforces size, content type, key and expiry) and presigned GETs
/// for downloads, so no file byte passes through the app.
/// </summary>
internal sealed class S3BlobTransfer(S3ObjectStore s3, IObjectStore store) : IBlobTransfer
{
    public async Task<UploadGrant> CreateUploadAsync(string key, string contentType, long minBytes, long maxBytes, DateTimeOffset expires, string baseUrl)
    {
        var (url, fields) = await s3.PresignPostAsync(key, contentType, minBytes, maxBytes, expires);
        return new UploadGrant(url, "POST", fields, new Dictionary<string, string>(), expires);
    }

    public string DownloadUrl(string key, string contentType, string? attachmentName, DateTimeOffset expires, string baseUrl) =>
        s3.PresignGet(key, expires, contentType, attachmentName is null ? null : FileNames.Attachment(attachmentName));

    public async Task<BlobInfo?> StatAsync(string key, CancellationToken ct) =>
        await s3.HeadAsync(key, ct) is { } head ? new BlobInfo(head.Size, head.ContentType, head.ETag) : null;

    public Task DeleteAsync(string key, string etag, CancellationToken ct) => store.DeleteObservedAsync(key, etag, ct);
}
