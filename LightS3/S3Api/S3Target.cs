using LightS3.S3Api.Auth;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace LightS3.S3Api;

/// <summary>
/// The bucket and key a request addresses, path style (<c>/bucket/key</c> under the gateway's path) or virtual-host
/// style (<c>bucket.{VirtualHostSuffix}</c>). Read from the raw request target, so <c>%2F</c> and <c>+</c> in keys survive.
/// </summary>
internal readonly record struct S3Target(string? Bucket, string? Key)
{
    public static S3Target Of(HttpContext context, string mountPath, string? virtualHostSuffix)
    {
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path.ToString();
        var q = raw.IndexOf('?');
        var path = q < 0 ? raw : raw[..q];
        if (path.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || path.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
            path = new Uri(path).AbsolutePath;
        var mount = (context.Request.PathBase + mountPath).ToString().TrimEnd('/');
        if (mount.Length > 0 && path.StartsWith(mount, StringComparison.OrdinalIgnoreCase)) path = path[mount.Length..];
        path = path.TrimStart('/');
        var host = context.Request.Host.Host;
        if (virtualHostSuffix is { Length: > 0 } suffix && host.EndsWith("." + suffix, StringComparison.OrdinalIgnoreCase))
            return new S3Target(host[..^(suffix.Length + 1)], path.Length == 0 ? null : Decode(path));
        if (path.Length == 0) return new S3Target(null, null);
        var slash = path.IndexOf('/');
        if (slash < 0) return new S3Target(Decode(path), null);
        var key = path[(slash + 1)..];
        return new S3Target(Decode(path[..slash]), key.Length == 0 ? null : Decode(key));
    }

    private static string Decode(string raw) =>
        AwsUri.DecodeUtf8(raw) ?? throw new S3Exception(400, "InvalidURI", "Couldn't parse the specified URI.");
}
