using LightS3.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LightS3.Hosting;

/// <summary>Says which store is in use and, when asked to, creates the S3 bucket. Never blocks startup on S3.</summary>
internal sealed class StorageStartup(IObjectStore store, IOptions<LightS3Options> options, ILogger<StorageStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        logger.LogInformation("LightS3 storage: {Store}", StoreFactory.Describe(store, options.Value));
        if (store.Find<S3ObjectStore>() is { } s3 && options.Value.S3.CreateBucket)
        {
            try
            {
                await s3.EnsureBucketAsync(cancellationToken);
            }
            catch (StorageUnavailableException e)
            {
                logger.LogWarning("could not create bucket {Bucket}: {Reason}; requests answer 503 until S3 is reachable", options.Value.S3.Bucket, e.Message);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
