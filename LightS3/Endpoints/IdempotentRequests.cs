using System.Security.Cryptography;
using System.Text;
using LightS3.Http;
using LightS3.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LightS3.Endpoints;

/// <summary>
/// <c>Idempotency-Key</c> on <c>POST {route}</c> and <c>POST {route}/_bulk</c>. The first request with a key claims
/// it by creating a marker object with <c>If-None-Match: *</c> (so of two concurrent retries exactly one runs), runs,
/// and stores its 2xx response in the marker; a retry with the same key and the same body gets that response again
/// (same status, body, <c>Location</c>, <c>ETag</c>, plus <c>Idempotent-Replayed: true</c>); the same key with another
/// body is a 422. A request that fails (4xx, 5xx) releases the key, so its retry runs again. Keys are scoped per
/// caller (<c>sub</c>, or anonymous) and path, and remembered for <see cref="LightS3Options.IdempotencyKeyLifetime"/>.
/// </summary>
internal static class IdempotentRequests
{
    /// <summary>The request header.</summary>
    public const string Header = "Idempotency-Key";

    /// <summary>The header marking a replayed response.</summary>
    public const string ReplayedHeader = "Idempotent-Replayed";

    /// <summary>Longest key accepted.</summary>
    public const int MaxKeyLength = 255;

    /// <summary>How long a claim without a response is honoured: after that its request is taken for dead and a retry runs.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(60);

    /// <summary>How long a retry waits for a concurrent first request to finish before answering 409.</summary>
    public static readonly TimeSpan InFlightWait = TimeSpan.FromSeconds(10);

    /// <summary>Whether the request carries an <c>Idempotency-Key</c>.</summary>
    public static bool IsRequested(HttpContext http) => http.Request.Headers.ContainsKey(Header);

    /// <summary>Reads the body (at most <paramref name="maxBytes"/>, else 413), then runs <paramref name="execute"/> idempotently.</summary>
    public static async Task<IResult> RunAsync(HttpContext http, EndpointRuntime runtime, long maxBytes, Func<Task<IResult>> execute)
    {
        var body = await BodyBytes.ReadAsync(http, maxBytes);
        http.Request.Body = new MemoryStream(body, writable: false); // the handler reads it again
        return await RunAsync(http, runtime, body, execute);
    }

    /// <summary>Runs <paramref name="execute"/> once per (caller, path, key), replaying its response for retries of the same <paramref name="body"/>.</summary>
    public static async Task<IResult> RunAsync(HttpContext http, EndpointRuntime runtime, ReadOnlyMemory<byte> body, Func<Task<IResult>> execute)
    {
        var key = KeyOf(http);
        var store = runtime.Repository.Store;
        var time = http.RequestServices.GetService<TimeProvider>() ?? TimeProvider.System;
        var markerKey = MarkerKey(runtime, http, key);
        var fingerprint = Fingerprint(http, body);
        var deadline = time.GetUtcNow() + InFlightWait;
        while (true)
        {
            var now = time.GetUtcNow();
            var claim = new IdempotencyMarker(fingerprint, now, now + runtime.Options.IdempotencyKeyLifetime, null).Encode();
            string? owned = null;
            try
            {
                owned = await store.PutAsync(markerKey, claim, WriteCondition.IfNoneMatch, http.RequestAborted);
            }
            catch (PreconditionFailedException)
            {
                var existing = await store.GetAsync(markerKey, http.RequestAborted);
                if (existing is null) continue; // released in between: claim again
                var marker = IdempotencyMarker.Decode(existing.Content);
                if (marker is null || marker.ExpiresAt <= now || (marker.Response is null && marker.ClaimedAt + Lease <= now))
                {
                    // expired, or its request died: take it over, unless another retry does first
                    try
                    {
                        owned = await store.PutAsync(markerKey, claim, WriteCondition.IfMatch(existing.ETag), http.RequestAborted);
                    }
                    catch (PreconditionFailedException)
                    {
                        continue;
                    }
                }
                else
                {
                    if (marker.Fingerprint != fingerprint)
                        throw new ApiProblemException(StatusCodes.Status422UnprocessableEntity,
                            $"this {Header} was already used with a different request body; use a new key for a new request",
                            new Dictionary<string, string[]> { [Header] = ["was used with a different request body"] });
                    if (marker.Response is { } done) return done.ToResult(replayed: true);
                    if (time.GetUtcNow() >= deadline)
                        throw new ApiProblemException(StatusCodes.Status409Conflict, $"a request with this {Header} is still in progress; retry later");
                    await Task.Delay(TimeSpan.FromMilliseconds(50), http.RequestAborted);
                    continue;
                }
            }
            return await RunClaimedAsync(http, store, markerKey, owned, fingerprint, now, runtime.Options.IdempotencyKeyLifetime, execute);
        }
    }

    private static async Task<IResult> RunClaimedAsync(HttpContext http, IObjectStore store, string markerKey, string owned, string fingerprint,
        DateTimeOffset now, TimeSpan lifetime, Func<Task<IResult>> execute)
    {
        CapturedResponse response;
        try
        {
            response = await CapturedResponse.CaptureAsync(http, await execute());
        }
        catch
        {
            await ReleaseAsync(http, store, markerKey);
            throw;
        }
        if (response.Status is < 200 or >= 300)
        {
            await ReleaseAsync(http, store, markerKey);
            return response.ToResult(replayed: false);
        }
        try
        {
            // the write is done whatever the client does now: keep its answer even if the client went away
            await store.PutAsync(markerKey, new IdempotencyMarker(fingerprint, now, now + lifetime, response).Encode(), WriteCondition.IfMatch(owned), CancellationToken.None);
        }
        catch (Exception e) when (e is StorageException)
        {
            // the record is stored; answer it. A retry after the lease would run again: logged, as it needs looking at
            Logger(http).LogWarning(e, "could not store the response of idempotency marker {Key}", markerKey);
        }
        return response.ToResult(replayed: false);
    }

    private static async Task ReleaseAsync(HttpContext http, IObjectStore store, string markerKey)
    {
        try
        {
            await store.DeleteAsync(markerKey, null, CancellationToken.None);
        }
        catch (Exception e) when (e is StorageException)
        {
            // the claim lapses after the lease
            Logger(http).LogWarning(e, "could not release idempotency marker {Key}", markerKey);
        }
    }

    private static string KeyOf(HttpContext http)
    {
        var values = http.Request.Headers[Header];
        var key = values.ToString();
        if (values.Count != 1 || key.Length is 0 or > MaxKeyLength || key.Any(c => c < 0x21 || c > 0x7e))
            throw new ApiProblemException(StatusCodes.Status400BadRequest,
                $"{Header} must be one value of 1 to {MaxKeyLength} visible ASCII characters (e.g. a UUID)");
        return key;
    }

    /// <summary>The marker object of a key: <c>{collection}/idempotency/{sha256(caller, path, key)}.json</c>.</summary>
    internal static string MarkerKey(EndpointRuntime runtime, HttpContext http, string key)
    {
        var caller = http.User.FindFirst("sub")?.Value ?? http.User.Identity?.Name ?? "";
        var scope = $"{caller}\n{http.Request.Path.Value}\n{key}";
        return $"{runtime.Repository.Layout.Collection}/idempotency/{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(scope)))}.json";
    }

    private static string Fingerprint(HttpContext http, ReadOnlyMemory<byte> body)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"{http.Request.Method}\n{http.Request.Path.Value}\n{http.Request.ContentType}\n"));
        hash.AppendData(body.Span);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static ILogger Logger(HttpContext http) =>
        http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("LightS3.Idempotency");
}
