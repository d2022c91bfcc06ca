namespace LightS3;

/// <summary>
/// App-wide settings of file fields (<c>LightS3:Files</c>; YAML <c>files:</c>; see docs/files.md).
/// </summary>
public sealed class FileFieldOptions
{
    /// <summary>Default lifetime of an upload URL (a field's own setting wins). Default 15 minutes.</summary>
    public TimeSpan UploadExpiry { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Default lifetime of a download URL (a field's own setting wins). Default 5 minutes.</summary>
    public TimeSpan DownloadExpiry { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Key (at least 16 characters) that signs the app-served upload and download URLs of non-S3 stores
    /// (<c>LIGHTS3_FILES_SIGNING_KEY</c>). Empty: a random per-process key, so URLs only work on the instance that issued
    /// them — set one shared key when several instances serve one embedded store.
    /// </summary>
    public string? SigningKey { get; set; }

    /// <summary>
    /// Shared secret of the S3 event endpoint <c>POST /_lights3/s3-events</c> (<c>LIGHTS3_FILES_EVENT_TOKEN</c>), sent as
    /// the <c>X-LightS3-Event-Token</c> header or the <c>token</c> query parameter. Empty (default): the endpoint answers 404.
    /// </summary>
    public string? EventToken { get; set; }
}
