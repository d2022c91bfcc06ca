using LightS3.Diagnostics;
using LightS3.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LightS3.Hosting;

/// <summary>
/// Says which store is in use and, for S3, creates the bucket when asked to and checks that it exists, logging one
/// clear line either way. Never blocks startup on S3 for longer than the store's operation timeout per request:
/// an unreachable or misconfigured S3 is logged and requests answer 503 until it is fixed.
/// </summary>
internal sealed class StorageStartup(IObjectStore store, IOptions<LightS3Options> options, ILogger<StorageStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        logger.StorageDescribed(StoreFactory.Describe(store, options.Value));
        if (options.Value.EffectiveStorage == StorageKind.File && store.Find<FileObjectStore>() is { } files)
            logger.FileStoreKept(files.DataDirectory);
        if (store.Find<S3ObjectStore>() is not { } s3) return;
        try
        {
            if (options.Value.S3.CreateBucket && await CreateBucketAsync(s3, cancellationToken)) return;
            if (await s3.BucketExistsAsync(cancellationToken))
            {
                logger.BucketFound(s3.Bucket, s3.Endpoint);
                if (await s3.IsVersioningEnabledAsync(cancellationToken) && !await s3.ProbeConditionalWritesAsync(cancellationToken))
                    logger.VersionedBucketWithoutConditionalWrites(s3.Bucket, s3.Endpoint);
            }
            else
                logger.BucketMissing(s3.Bucket, s3.Endpoint);
        }
        catch (StorageUnavailableException e)
        {
            logger.BucketUncheckable(s3.Bucket, s3.Endpoint, e.InnerException is { } inner ? $"{e.Message} ({inner.Message})" : e.Message);
        }
    }

    /// <summary>Creates the bucket if missing and logs what happened; false when it already existed (checked next).</summary>
    private async Task<bool> CreateBucketAsync(S3ObjectStore s3, CancellationToken cancellationToken)
    {
        var created = await s3.EnsureBucketAsync(cancellationToken);
        if (created == BucketCreation.Created)
            logger.BucketCreated(s3.Bucket, s3.Endpoint, options.Value.S3.Region);
        else if (created == BucketCreation.CreatedWithoutLocationConstraint)
            logger.BucketCreatedWithoutRegion(s3.Bucket, s3.Endpoint, options.Value.S3.Region);
        return created != BucketCreation.AlreadyExisted;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
