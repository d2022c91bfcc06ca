using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using LightS3.Storage;

namespace LightS3.Tests.Support;

/// <summary>
/// A real S3 client (to the test RGW) whose PUTs pass through <see cref="OnPut"/>: a test stages what happens around one
/// write — another writer landing first, the response lost after the write landed, the SDK's retry — deterministically.
/// </summary>
public sealed class InterceptingS3Client(S3StoreOptions options)
    : AmazonS3Client(new BasicAWSCredentials(options.AccessKeyId, options.SecretAccessKey), S3ObjectStore.ConfigOf(options))
{
    /// <summary>Decides one PUT: given the request and the real send, returns its response or throws. Null: just send.</summary>
    public Func<PutObjectRequest, Func<Task<PutObjectResponse>>, Task<PutObjectResponse>>? OnPut { get; set; }

    /// <summary>Each call of the send given to <see cref="OnPut"/> sends the request as it came (same headers, same write id) once more, as the SDK's retry does.</summary>
    public override Task<PutObjectResponse> PutObjectAsync(PutObjectRequest request, CancellationToken cancellationToken = default)
    {
        if (OnPut is not { } hook) return base.PutObjectAsync(request, cancellationToken);
        var body = ((MemoryStream)request.InputStream).ToArray();
        return hook(request, () => base.PutObjectAsync(Copy(request, body), cancellationToken));
    }

    private static PutObjectRequest Copy(PutObjectRequest r, byte[] body)
    {
        var copy = new PutObjectRequest
        {
            BucketName = r.BucketName, Key = r.Key, ContentType = r.ContentType, InputStream = new MemoryStream(body, writable: false),
            AutoCloseStream = true, IfMatch = r.IfMatch, IfNoneMatch = r.IfNoneMatch,
        };
        foreach (var key in r.Metadata.Keys) copy.Metadata.Add(key, r.Metadata[key]);
        return copy;
    }

    /// <summary>What RGW answers some losing conditional racers with (and any server a write whose response was lost).</summary>
    public static AmazonS3Exception ServerError() =>
        new("injected internal error", ErrorType.Receiver, "InternalError", "test", HttpStatusCode.InternalServerError);
}
