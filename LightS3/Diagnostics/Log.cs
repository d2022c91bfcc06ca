using Microsoft.Extensions.Logging;

namespace LightS3.Diagnostics;

/// <summary>
/// Every log message LightS3 writes, source-generated (<see cref="LoggerMessageAttribute"/>): no boxing or parsing of the
/// template per call, and stable event ids for filtering (1xxx storage, 2xxx requests and auth, 3xxx cache, 4xxx
/// background work, 5xxx files).
/// </summary>
internal static partial class Log
{
    // ---- storage (1xxx) ----
    [LoggerMessage(1001, LogLevel.Information, "LightS3 storage: {Store}")]
    public static partial void StorageDescribed(this ILogger logger, string store);

    [LoggerMessage(1002, LogLevel.Information, "S3 bucket {Bucket} found at {Endpoint}")]
    public static partial void BucketFound(this ILogger logger, string bucket, string endpoint);

    [LoggerMessage(1003, LogLevel.Warning, "S3 bucket {Bucket} does not exist at {Endpoint}: every request answers 503 until it is created (create it, or set LIGHTS3_S3_CREATE_BUCKET=true)")]
    public static partial void BucketMissing(this ILogger logger, string bucket, string endpoint);

    [LoggerMessage(1004, LogLevel.Warning, "S3 bucket {Bucket} at {Endpoint} could not be checked: {Reason}; requests answer 503 until S3 is reachable")]
    public static partial void BucketUncheckable(this ILogger logger, string bucket, string endpoint, string reason);

    [LoggerMessage(1005, LogLevel.Information, "S3 bucket {Bucket} created at {Endpoint} in region {Region}")]
    public static partial void BucketCreated(this ILogger logger, string bucket, string endpoint, string? region);

    [LoggerMessage(1006, LogLevel.Information, "S3 bucket {Bucket} created at {Endpoint} without a location constraint: the server does not accept region {Region} as one (InvalidLocationConstraint), so it placed the bucket in its default zone group")]
    public static partial void BucketCreatedWithoutRegion(this ILogger logger, string bucket, string endpoint, string? region);

    [LoggerMessage(1009, LogLevel.Warning, "The data directory {DataDir} holds data of the directory-of-files store and no SQLite database, so it is served by the file store, which lists in O(N) per page. Import it into the embedded SQLite store with `lights3 store migrate {DataDir}` (or EmbeddedStoreMigration.ImportFileStoreAsync), or set LIGHTS3_STORAGE=files to keep the file store and silence this warning (docs/storage.md)")]
    public static partial void FileStoreKept(this ILogger logger, string dataDir);

    [LoggerMessage(1010, LogLevel.Error, "S3 bucket {Bucket} has versioning enabled and {Endpoint} does not enforce conditional writes on it (Ceph RGW 16): compare-and-swap is impossible, so every write answers 503; turn bucket versioning off (history then keeps snapshots)")]
    public static partial void VersionedBucketWithoutConditionalWrites(this ILogger logger, string bucket, string endpoint);

    [LoggerMessage(1007, LogLevel.Warning, "storage unavailable: {Reason}")]
    public static partial void StorageUnavailable(this ILogger logger, string reason);

    [LoggerMessage(1008, LogLevel.Error, "{Reason}")]
    public static partial void CorruptRecord(this ILogger logger, string reason);

    // ---- requests and auth (2xxx) ----
    [LoggerMessage(2001, LogLevel.Error, "unhandled error")]
    public static partial void UnhandledError(this ILogger logger, Exception exception);

    [LoggerMessage(2002, LogLevel.Information, "bearer token rejected: {Reason}")]
    public static partial void TokenRejected(this ILogger logger, string reason);

    [LoggerMessage(2003, LogLevel.Information, "{Method} {Path} -> {Status} in {Elapsed:0.0} ms; store requests: {Requests} (request {RequestId})")]
    public static partial void RequestStoreCounts(this ILogger logger, string method, string path, int status, double elapsed, object requests, string requestId);

    [LoggerMessage(2004, LogLevel.Warning, "no cursor signing key is configured (LightS3:CursorSigningKeys / LIGHTS3_CURSOR_KEY): cursors are signed with a random per-process key and only work against this process; several instances need a shared key")]
    public static partial void NoCursorKey(this ILogger logger);

    // ---- cache (3xxx) ----
    [LoggerMessage(3001, LogLevel.Warning, "Reading the cache invalidation journal failed; retrying")]
    public static partial void JournalReadFailed(this ILogger logger, Exception exception);

    [LoggerMessage(3002, LogLevel.Information, "Delivered {Count} pending cache invalidation(s): {Scopes}")]
    public static partial void InvalidationsDelivered(this ILogger logger, int count, string scopes);

    [LoggerMessage(3003, LogLevel.Warning, "Redis cache unavailable ({Reason}); serving uncached until it answers again")]
    public static partial void CacheDown(this ILogger logger, string reason);

    [LoggerMessage(3004, LogLevel.Information, "Redis cache is answering again; caching resumed")]
    public static partial void CacheUp(this ILogger logger);

    [LoggerMessage(3005, LogLevel.Warning, "Cache invalidation journal {Path} is not writable; pending invalidations are kept in memory only and lost if the process stops")]
    public static partial void JournalNotWritable(this ILogger logger, Exception exception, string path);

    // ---- background work (4xxx) ----
    [LoggerMessage(4001, LogLevel.Warning, "background task dropped: the app is shutting down")]
    public static partial void BackgroundTaskDropped(this ILogger logger);

    [LoggerMessage(4002, LogLevel.Error, "background task failed")]
    public static partial void BackgroundTaskFailed(this ILogger logger, Exception exception);

    [LoggerMessage(4003, LogLevel.Warning, "{Count} background task(s) still running at shutdown: cancelling")]
    public static partial void BackgroundTasksCancelled(this ILogger logger, int count);

    [LoggerMessage(4004, LogLevel.Warning, "garbage collection of {Collection} stopped: {Reason}")]
    public static partial void CollectionStopped(this ILogger logger, string collection, string reason);

    [LoggerMessage(4005, LogLevel.Information, "garbage collection: {Tombstones} tombstones, {Freed} orphaned unique markers freed, {Deleted} free markers, {Temp} temporary files and {Blobs} file blobs removed")]
    public static partial void CollectionDone(this ILogger logger, long tombstones, long freed, long deleted, long temp, long blobs);

    [LoggerMessage(4006, LogLevel.Error, "garbage collection pass failed")]
    public static partial void CollectionFailed(this ILogger logger, Exception exception);

    [LoggerMessage(4101, LogLevel.Warning, "reindex of {Collection}: another instance took the rebuild over; stopping this one")]
    public static partial void ReindexTakenOver(this ILogger logger, string collection);

    [LoggerMessage(4102, LogLevel.Warning, "reindex of {Collection}: could not write progress")]
    public static partial void ReindexProgressUnwritten(this ILogger logger, Exception exception, string collection);

    [LoggerMessage(4103, LogLevel.Information, "reindex of {Collection}: {Records} records, {Written} entries written, {Removed} stale entries removed")]
    public static partial void ReindexDone(this ILogger logger, string collection, long records, long written, long removed);

    [LoggerMessage(4104, LogLevel.Error, "reindex of {Collection} failed")]
    public static partial void ReindexFailed(this ILogger logger, Exception exception, string collection);

    [LoggerMessage(4105, LogLevel.Warning, "reindex of {Collection}: could not write the final status (it will read as stalled)")]
    public static partial void ReindexStatusUnwritten(this ILogger logger, Exception exception, string collection);

    [LoggerMessage(4201, LogLevel.Information, "expiry sweep: {Count} records of {Collection} purged")]
    public static partial void ExpiredPurged(this ILogger logger, long count, string collection);

    [LoggerMessage(4202, LogLevel.Warning, "expiry sweep of {Collection} stopped: {Reason}")]
    public static partial void ExpirySweepStopped(this ILogger logger, string collection, string reason);

    [LoggerMessage(4203, LogLevel.Error, "expiry sweep failed")]
    public static partial void ExpirySweepFailed(this ILogger logger, Exception exception);

    [LoggerMessage(4204, LogLevel.Information, "history retention: {Count} old versions of {Collection} removed")]
    public static partial void HistoryPruned(this ILogger logger, long count, string collection);

    // ---- files (5xxx) ----
    [LoggerMessage(5001, LogLevel.Warning, "SNS subscription confirmation received: open its SubscribeURL to confirm: {Url}")]
    public static partial void SnsSubscriptionReceived(this ILogger logger, string? url);

    [LoggerMessage(5002, LogLevel.Information, "upload confirmed by storage event: {Collection}/{Id} {Field}")]
    public static partial void UploadConfirmedByEvent(this ILogger logger, string collection, string id, string field);

    [LoggerMessage(5003, LogLevel.Warning, "uploaded file refused and deleted: {Collection}/{Id} {Field}: {Reason}")]
    public static partial void UploadRefused(this ILogger logger, string collection, string id, string field, string reason);
}
