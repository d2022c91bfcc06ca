using System.Collections.Frozen;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace LightS3.Admin;

/// <summary>
/// The admin UI's files, read once from the assembly's embedded resources. <c>index.html</c> gets the app's OpenAPI document
/// path and auth module prefix filled in.
/// </summary>
internal sealed class AdminAssets
{
    private static readonly FrozenDictionary<string, string> Types = new Dictionary<string, string>
    {
        ["index.html"] = "text/html; charset=utf-8",
        ["core.js"] = "text/javascript; charset=utf-8",
        ["model.js"] = "text/javascript; charset=utf-8",
        ["fields.js"] = "text/javascript; charset=utf-8",
        ["refs.js"] = "text/javascript; charset=utf-8",
        ["files.js"] = "text/javascript; charset=utf-8",
        ["live.js"] = "text/javascript; charset=utf-8",
        ["list.js"] = "text/javascript; charset=utf-8",
        ["form.js"] = "text/javascript; charset=utf-8",
        ["history.js"] = "text/javascript; charset=utf-8",
        ["users.js"] = "text/javascript; charset=utf-8",
        ["ops.js"] = "text/javascript; charset=utf-8",
        ["app.js"] = "text/javascript; charset=utf-8",
        ["app.css"] = "text/css; charset=utf-8",
    }.ToFrozenDictionary();

    private readonly FrozenDictionary<string, byte[]> _files;

    public AdminAssets(string openApiPath, string authPrefix)
    {
        var files = new Dictionary<string, byte[]>();
        foreach (var name in Types.Keys)
        {
            var text = Read(name);
            if (name == "index.html")
                text = text.Replace("{{OPENAPI}}", System.Net.WebUtility.HtmlEncode(openApiPath))
                    .Replace("{{AUTH}}", System.Net.WebUtility.HtmlEncode(authPrefix));
            files[name] = Encoding.UTF8.GetBytes(text);
        }
        _files = files.ToFrozenDictionary();
    }

    /// <summary>The file, or 404 for any other name.</summary>
    public IResult Serve(string name) =>
        _files.TryGetValue(name, out var bytes)
            ? new AssetResult(bytes, Types[name])
            : Results.Problem(statusCode: 404, title: "Not Found", detail: $"no admin asset '{name}'");

    private static string Read(string name)
    {
        using var stream = typeof(AdminAssets).Assembly.GetManifestResourceStream("LightS3.Admin." + name)
            ?? throw new InvalidOperationException($"embedded admin asset {name} is missing");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    private sealed class AssetResult(byte[] bytes, string type) : IResult
    {
        public Task ExecuteAsync(HttpContext http)
        {
            http.Response.ContentType = type;
            http.Response.Headers.CacheControl = "no-cache";
            http.Response.Headers["X-Content-Type-Options"] = "nosniff";
            http.Response.Headers["Content-Security-Policy"] = "default-src 'self'; style-src 'self'; script-src 'self'; img-src 'self' data: blob:; frame-src blob:; frame-ancestors 'none'";
            http.Response.ContentLength = bytes.Length;
            return http.Response.Body.WriteAsync(bytes).AsTask();
        }
    }
}
