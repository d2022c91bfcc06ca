using LightS3.S3Api.Auth;
using LightS3.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace LightS3.S3Api;

/// <summary>
/// The S3 REST protocol over the app's <see cref="IObjectStore"/>: authenticates (Signature V4), finds the bucket and key,
/// dispatches on method and sub-resource, and turns every failure into S3's XML error with an <c>x-amz-request-id</c>.
/// Storage outages answer 503 <c>ServiceUnavailable</c>; anything unexpected is a logged 500 <c>InternalError</c> (a bug).
/// </summary>
internal sealed partial class S3Gateway(IObjectStore store, S3Buckets buckets, S3WriteGuard guard, SigV4Verifier verifier,
    S3ApiOptions options, string mountPath, TimeProvider time, ILogger logger)
{
    /// <summary>Sub-resources this gateway does not implement (ACLs, policies, versioning, lifecycle, …): 501.</summary>
    private static readonly string[] Unsupported =
    [
        "acl", "policy", "cors", "lifecycle", "website", "tagging", "encryption", "logging", "notification", "replication",
        "requestPayment", "object-lock", "retention", "legal-hold", "ownershipControls", "publicAccessBlock", "accelerate",
        "analytics", "inventory", "metrics", "intelligent-tiering",
        "attributes", "torrent", "restore", "select", "policyStatus",
    ];

    private S3Object Objects => new(store, time);

    public async Task HandleAsync(HttpContext context)
    {
        var requestId = Convert.ToHexString(Guid.NewGuid().ToByteArray().AsSpan(0, 8));
        context.Response.Headers["x-amz-request-id"] = requestId;
        context.Response.Headers["x-amz-id-2"] = requestId;
        try
        {
            await DispatchAsync(context, context.RequestAborted);
        }
        catch (S3Exception e)
        {
            await S3ErrorResponse.WriteAsync(context, e, requestId);
        }
        catch (StorageUnavailableException e)
        {
            logger.LogWarning(e, "S3 API: storage unavailable");
            await S3ErrorResponse.WriteAsync(context, new S3Exception(503, "ServiceUnavailable", "The store is unavailable; retry."), requestId);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            await S3ErrorResponse.WriteAsync(context, new S3Exception(400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed object size."), requestId);
        }
        catch (BadHttpRequestException e)
        {
            await S3ErrorResponse.WriteAsync(context, new S3Exception(400, "IncompleteBody", e.Message), requestId);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
        }
        catch (ArgumentException e)
        {
            // a key the configured store cannot hold (e.g. an empty path segment on the file store)
            await S3ErrorResponse.WriteAsync(context, S3Exception.InvalidArgument(e.Message), requestId);
        }
        catch (Exception e)
        {
            logger.LogError(e, "S3 API: unexpected error on {Method} {Path}", context.Request.Method, context.Request.Path);
            await S3ErrorResponse.WriteAsync(context, new S3Exception(500, "InternalError", "We encountered an internal error. Please try again."), requestId);
        }
    }

    private async Task DispatchAsync(HttpContext context, CancellationToken ct)
    {
        var request = context.Request;
        var caller = verifier.Verify(request);
        var target = S3Target.Of(context, mountPath, options.VirtualHostSuffix);
        var method = request.Method;
        if (target.Bucket is null)
        {
            Authorize(caller, null, method);
            if (HttpMethods.IsGet(method)) { await ListBucketsAsync(context, caller, ct); return; }
            throw MethodNotAllowed();
        }
        var query = request.Query;
        if (Unsupported.FirstOrDefault(query.ContainsKey) is { } sub) throw S3Exception.NotImplemented($"The '{sub}' sub-resource");
        if (target.Key is null && HttpMethods.IsPost(method) && request.HasFormContentType)
        {
            await PostObjectAsync(context, target.Bucket, ct);
            return;
        }
        if (target.Key is null)
        {
            if (HttpMethods.IsPut(method))
            {
                Authorize(caller, null, method);
                await CreateBucketAsync(context, caller, target.Bucket, ct);
                return;
            }
            var bucket = await FindForCallerAsync(caller, target.Bucket, method, ct);
            if (HttpMethods.IsHead(method)) { context.Response.StatusCode = 200; return; }
            if (HttpMethods.IsDelete(method))
            {
                await buckets.DeleteAsync(bucket, ct, () => AbortAllUploadsAsync(bucket, ct));
                context.Response.StatusCode = 204;
                return;
            }
            if (HttpMethods.IsPost(method) && query.ContainsKey("delete")) { await DeleteObjectsAsync(context, caller, bucket, ct); return; }
            if (!HttpMethods.IsGet(method)) throw MethodNotAllowed();
            if (query.ContainsKey("location")) { await S3Xml.WriteAsync(context.Response, S3Xml.E("LocationConstraint")); return; }
            if (query.ContainsKey("versioning")) { await S3Xml.WriteAsync(context.Response, S3Xml.E("VersioningConfiguration")); return; }
            if (query.ContainsKey("versions")) { await ListObjectVersionsAsync(context, caller, bucket, ct); return; }
            if (query.ContainsKey("uploads")) { await ListMultipartUploadsAsync(context, caller, bucket, ct); return; }
            await ListObjectsAsync(context, caller, bucket, ct);
            return;
        }
        var target2 = await FindForCallerAsync(caller, target.Bucket, method, ct);
        var key = target.Key;
        S3Keys.Validate(target2, key);
        CheckVersionId(query.TryGetValue("versionId", out var versionId) ? versionId.ToString() : null);
        if (await TryMultipartAsync(context, caller, target2, key, ct)) return;
        if (query.ContainsKey("partNumber")) throw S3Exception.NotImplemented("GetObject by part number");
        if (HttpMethods.IsGet(method) || HttpMethods.IsHead(method)) await GetObjectAsync(context, target2, key, ct);
        else if (HttpMethods.IsPut(method))
        {
            guard.EnsureWritable(target2, key);
            if (request.Headers.ContainsKey("x-amz-copy-source")) await CopyObjectAsync(context, caller, target2, key, ct);
            else await PutObjectAsync(context, caller, target2, key, ct);
        }
        else if (HttpMethods.IsDelete(method))
        {
            guard.EnsureWritable(target2, key);
            await Objects.DeleteAsync(target2, key, ct, request.Headers.IfMatch is { Count: > 0 } m ? m.ToString() : null);
            context.Response.StatusCode = 204;
        }
        else throw MethodNotAllowed();
    }

    private static S3Exception MethodNotAllowed() => new(405, "MethodNotAllowed", "The specified method is not allowed against this resource.");

    private async Task<S3Bucket> FindForCallerAsync(S3Caller caller, string name, string method, CancellationToken ct)
    {
        var bucket = await buckets.FindAsync(name, ct);
        if (caller.IsAnonymous && !(bucket is { AnonymousRead: true } && (HttpMethods.IsGet(method) || HttpMethods.IsHead(method))))
            throw S3Exception.AccessDenied();
        return bucket ?? throw S3Exception.NoSuchBucket();
    }

    /// <summary>Anonymous callers may only read buckets configured with <see cref="S3ApiBucketOptions.AnonymousRead"/>.</summary>
    private static void Authorize(S3Caller caller, S3Bucket? bucket, string method)
    {
        if (!caller.IsAnonymous) return;
        if (bucket is { AnonymousRead: true } && (HttpMethods.IsGet(method) || HttpMethods.IsHead(method))) return;
        throw S3Exception.AccessDenied();
    }

    /// <summary>The owner every bucket and object reports: the caller's access key (there are no ACLs).</summary>
    private static object[] Owner(S3Caller caller) =>
        [S3Xml.E("ID", caller.AccessKey ?? "anonymous"), S3Xml.E("DisplayName", caller.AccessKey ?? "anonymous")];
}
