using System.Reflection;
using LightS3.Model;

namespace LightS3;

/// <summary>
/// Declares a file field on a <see cref="RestEndpoint{TSelf}"/> subclass: put it on a <see cref="StoredFile"/>
/// property. The bytes never pass through the app on S3: clients get presigned URLs from
/// <c>POST /{route}/{id}/{field}/upload</c> and <c>GET /{route}/{id}/{field}</c> (see docs/files.md).
/// A file field is always optional and read-only in request bodies.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class FileFieldAttribute : Attribute
{
    /// <summary>Largest accepted size in bytes (default 100 MiB, at most 5 GiB).</summary>
    public long MaxBytes { get; set; } = FileSpec.DefaultMaxBytes;

    /// <summary>Allowed content types, e.g. <c>["image/png", "image/jpeg"]</c> or <c>["image/*"]</c>; empty allows any.</summary>
    public string[] ContentTypes { get; set; } = [];

    /// <summary>Lifetime of an upload URL in seconds; 0 uses the app-wide default (<see cref="FileFieldOptions.UploadExpiry"/>).</summary>
    public int UploadExpirySeconds { get; set; }

    /// <summary>Lifetime of a download URL in seconds; 0 uses the app-wide default (<see cref="FileFieldOptions.DownloadExpiry"/>).</summary>
    public int DownloadExpirySeconds { get; set; }

    /// <summary>The limits declared on <paramref name="property"/> (defaults when it has no attribute).</summary>
    public static FileSpec SpecOf(PropertyInfo property)
    {
        var a = property.GetCustomAttribute<FileFieldAttribute>() ?? new FileFieldAttribute();
        return new FileSpec
        {
            MaxBytes = a.MaxBytes,
            ContentTypes = a.ContentTypes,
            UploadExpiry = a.UploadExpirySeconds > 0 ? TimeSpan.FromSeconds(a.UploadExpirySeconds) : null,
            DownloadExpiry = a.DownloadExpirySeconds > 0 ? TimeSpan.FromSeconds(a.DownloadExpirySeconds) : null,
        };
    }
}
