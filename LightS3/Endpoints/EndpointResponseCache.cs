using System.Security.Cryptography;
using System.Text;
using LightS3.Caching;
using LightS3.Model;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace LightS3.Endpoints;

/// <summary>
/// One endpoint's response caching: GET responses (list and retrieve) are served from the cache with
/// <c>X-Cache: HIT</c>, or produced, captured and stored with <c>X-Cache: MISS</c>. The key is the path, the
/// normalized query string, the caller whenever the endpoint is authenticated or scopes results in code
/// (so one user's list is never served to another), and any <c>vary_on</c> headers or claims. An endpoint that
/// scopes in code is not cached for anonymous callers unless <c>vary_on</c> names what it scopes by.
/// </summary>
internal sealed class EndpointResponseCache
{
    private static readonly string[] ScopingHooks = [nameof(RestEndpointBase.QuerysetAsync), nameof(RestEndpointBase.ListAsync), nameof(RestEndpointBase.RetrieveAsync), nameof(RestEndpointBase.GetAsync)];
    private readonly EndpointModel _model;
    private readonly IResponseCache _cache;
    private readonly CacheSpec _spec;

    /// <summary>Caching for <paramref name="model"/>, which must have a <see cref="CacheSpec"/>.</summary>
    public EndpointResponseCache(EndpointModel model, IResponseCache cache)
    {
        _model = model;
        _cache = cache;
        _spec = model.Cache ?? throw new ArgumentException("endpoint has no cache settings", nameof(model));
        VariesByCaller = model.Authentication?.RequiresAuthentication == true
            || (model.HandlerType is { } t && ScopingHooks.Any(h => t.GetMethods().Any(m => m.Name == h && m.DeclaringType != typeof(RestEndpointBase))));
    }

    /// <summary>Whether keys include the caller.</summary>
    public bool VariesByCaller { get; }

    /// <summary>The cached response, or <paramref name="produce"/>'s captured for next time.</summary>
    public async Task<IResult> GetAsync(HttpContext http, Func<Task<IResult>> produce)
    {
        // a scoping hook may use anything (a header, a cookie); with no authenticated caller and nothing declared in
        // vary_on, the key cannot capture it: serve uncached rather than risk one caller's data reaching another
        if (VariesByCaller && http.User.Identity?.IsAuthenticated != true && _spec.VaryOn.Count == 0)
        {
            http.Response.Headers["X-Cache"] = "BYPASS"; Diagnostics.LightS3Telemetry.CountCacheLookup("bypass");
            return await produce();
        }
        var key = Key(http);
        var lookup = await _cache.LookupAsync(_model.Route, key, http.RequestAborted);
        if (lookup.Hit is { } hit) return new HitResult(hit);
        var result = await produce();
        return new CapturingResult(result, lookup.Generation is { } generation
            ? response => _cache.StoreAsync(_model.Route, generation, key, response, TimeSpan.FromSeconds(_spec.TtlSeconds), CancellationToken.None)
            : null);
    }

    /// <summary>Invalidates every cached response of the endpoint (after a successful write).</summary>
    public Task InvalidateAsync(CancellationToken ct) => _cache.InvalidateAsync(_model.Route, ct);

    private string Key(HttpContext http)
    {
        if (http.Request.Query.Count == 0 && !VariesByCaller && _spec.VaryOn.Count == 0) return http.Request.Path.Value ?? "/";
        var text = new StringBuilder().Append(http.Request.Path.Value).Append('\n');
        // the parser's own normalization (names sorted, values in request order): one meaning, one key
        text.Append(Query.QueryParameters.CanonicalText(http.Request.Query)).Append('\n');
        if (VariesByCaller) text.Append("caller=").Append(http.User.FindFirst("sub")?.Value ?? http.User.Identity?.Name ?? "anonymous").Append('\n');
        foreach (var vary in _spec.VaryOn)
            text.Append(vary).Append('=').Append(vary.StartsWith("claim:", StringComparison.Ordinal)
                ? http.User.FindFirst(vary[6..])?.Value
                : http.Request.Headers[vary].ToString()).Append('\n');
        // short keys are used as they are; long ones (big query strings) are hashed to bound Redis key size
        var key = text.ToString();
        return key.Length <= 160 ? key : "h:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)), 0, 16);
    }

    private sealed class HitResult(CachedResponse hit) : IResult
    {
        public async Task ExecuteAsync(HttpContext http)
        {
            http.Response.Headers["X-Cache"] = "HIT"; Diagnostics.LightS3Telemetry.CountCacheLookup("hit");
            if (hit.ETag is { } etag) http.Response.Headers.ETag = etag;
            var ifNoneMatch = http.Request.Headers.IfNoneMatch;
            if (hit.ETag is not null && !StringValues.IsNullOrEmpty(ifNoneMatch) && Storage.ETags.HeaderMatches(ifNoneMatch.ToString(), hit.ETag))
            {
                http.Response.StatusCode = StatusCodes.Status304NotModified;
                return;
            }
            http.Response.StatusCode = hit.Status;
            http.Response.ContentType = hit.ContentType;
            http.Response.ContentLength = hit.Body.Length;
            await http.Response.Body.WriteAsync(hit.Body, http.RequestAborted);
        }
    }

    private sealed class CapturingResult(IResult inner, Func<CachedResponse, Task>? store) : IResult
    {
        public async Task ExecuteAsync(HttpContext http)
        {
            var original = http.Response.Body;
            using var buffer = new MemoryStream();
            http.Response.Body = buffer;
            try
            {
                await inner.ExecuteAsync(http);
            }
            finally
            {
                http.Response.Body = original;
            }
            var bytes = buffer.ToArray();
            if (store is not null && http.Response.StatusCode == StatusCodes.Status200OK)
                await store(new CachedResponse(200, http.Response.ContentType ?? "application/json", http.Response.Headers[HeaderNames.ETag].ToString() is { Length: > 0 } e ? e : null, bytes));
            http.Response.Headers["X-Cache"] = "MISS"; Diagnostics.LightS3Telemetry.CountCacheLookup("miss");
            if (bytes.Length > 0) await original.WriteAsync(bytes, http.RequestAborted);
        }
    }
}
