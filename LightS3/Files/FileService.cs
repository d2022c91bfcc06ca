using LightS3.Hosting;
using LightS3.Storage;
using Microsoft.Extensions.Options;

namespace LightS3.Files;

/// <summary>
/// The app's file machinery, one per app: the settings, the URL signer and the transfer that fits the store —
/// presigned S3 URLs on S3, the app's signed blob routes on every other store.
/// </summary>
internal sealed class FileService
{
    private int _routesMapped;

    public FileService(IObjectStore store, IOptions<LightS3Options> options, TimeProvider time)
    {
        var o = options.Value;
        Options = o.Files;
        Grace = o.GarbageCollectionGrace;
        Time = time;
        Store = store;
        Signer = new BlobUrlSigner(o.Files);
        S3 = store.Find<S3ObjectStore>();
        Transfer = S3 is { } s3 ? new S3BlobTransfer(s3, store) : new EmbeddedBlobTransfer(store, Signer);
    }

    public FileFieldOptions Options { get; }

    /// <summary>The garbage-collection grace period: how long released and expired blobs are kept.</summary>
    public TimeSpan Grace { get; }

    public TimeProvider Time { get; }

    public IObjectStore Store { get; }

    public BlobUrlSigner Signer { get; }

    /// <summary>The S3 store, when files live on S3.</summary>
    public S3ObjectStore? S3 { get; }

    public IBlobTransfer Transfer { get; }

    /// <summary>True the first time only: the app-wide routes (blob URLs, S3 events) are mapped once.</summary>
    public bool ClaimAppRoutes() => Interlocked.Exchange(ref _routesMapped, 1) == 0;
}
