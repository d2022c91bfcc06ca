using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using LightS3.Tests.Support;

namespace LightS3.Tests.Yaml;

/// <summary>
/// The container command line (<c>dotnet LightS3.Cli.dll serve</c> with <c>LIGHTS3_CONFIG</c>), run from the
/// published output against the real S3 server with the repository's own lightapi.yaml.
/// </summary>
[Category(External.Category)]
[NonParallelizable]
public sealed class HostProcessTests
{
    private static string HostDll => External.HostDll;

    private static string RepoFile(string name) => Path.GetFullPath(Path.Combine(TestContext.CurrentContext.TestDirectory, "..", "..", "..", "..", name));

    private static (Process Process, StringWriter Errors) Launch(IDictionary<string, string> env, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet", [HostDll, .. args]) { RedirectStandardOutput = true, RedirectStandardError = true };
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (k, v) in env) info.Environment[k] = v;
        var process = Process.Start(info)!;
        var errors = new StringWriter();
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (errors) errors.WriteLine(e.Data); };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        return (process, errors);
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    [Test]
    public async Task The_published_host_serves_the_sample_yaml_from_lights3_config_on_s3()
    {
        var port = FreePort();
        var env = new Dictionary<string, string>
        {
            ["LIGHTS3_CONFIG"] = RepoFile("lightapi.yaml"),
            ["LIGHTS3_STORAGE_URL"] = $"s3://{S3TestServer.Bucket}/{S3TestServer.NewPrefix("host")}",
            ["AWS_ENDPOINT_URL"] = S3TestServer.Endpoint,
            ["LIGHTS3_JWT_SECRET"] = Tokens.Secret,
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
        };
        var (process, errors) = Launch(env, "serve");
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (true)
            {
                Assert.That(process.HasExited, Is.False, () => $"host exited: {errors}");
                try { await client.GetAsync("/products"); break; }
                catch (HttpRequestException) when (DateTime.UtcNow < deadline) { await Task.Delay(100); }
            }
            var user = new AuthenticationHeaderValue("Bearer", Tokens.Create("alice", issuer: "", audience: ""));
            var admin = new AuthenticationHeaderValue("Bearer", Tokens.Create("root", admin: true, issuer: "", audience: ""));
            HttpRequestMessage Req(HttpMethod m, string path, object? body, AuthenticationHeaderValue? auth)
            {
                var r = new HttpRequestMessage(m, path);
                if (body is not null) r.Content = System.Net.Http.Json.JsonContent.Create(body);
                r.Headers.Authorization = auth;
                return r;
            }
            var product = new { name = "Lamp", sku = "LMP-0001", price = 19.99, category = "home" };

            Assert.That((await client.GetAsync("/products")).StatusCode, Is.EqualTo(HttpStatusCode.OK), "GET is open");
            Assert.That((await client.SendAsync(Req(HttpMethod.Post, "/products", product, null))).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            var created = await client.SendAsync(Req(HttpMethod.Post, "/products", product, user));
            Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), await created.Content.ReadAsStringAsync());
            var id = (await created.JsonAsync())["id"]!.GetValue<string>();
            Assert.That((await client.SendAsync(Req(HttpMethod.Post, "/products", product, user))).StatusCode, Is.EqualTo(HttpStatusCode.Conflict), "sku is unique");
            Assert.That((await client.SendAsync(Req(HttpMethod.Delete, $"/products/{id}", null, user))).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            var list = await (await client.GetAsync("/products?category=home&ordering=price")).JsonAsync();
            Assert.That((list["count"]!.GetValue<int>(), list["results"]![0]!["sku"]!.GetValue<string>()), Is.EqualTo((1, "LMP-0001")));
            Assert.That((await client.SendAsync(Req(HttpMethod.Delete, $"/products/{id}", null, admin))).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
            Assert.That((await client.GetAsync("/orders")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            var tag = await (await client.PostAsync("/tags", System.Net.Http.Json.JsonContent.Create(new { label = "sale", notes = "x" }))).JsonAsync();
            Assert.That(tag.Select(p => p.Key), Is.EqualTo(new[] { "id", "label", "version" }), "write serializer");
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    [Test]
    public async Task Validate_prints_every_problem_and_exits_non_zero()
    {
        var bad = Path.Combine(Path.GetTempPath(), $"bad-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(bad, "endpoints:\n  - route: /x\n    fields:\n      a: { type: money }\n      b: { type: str, pattern: \"([\" }\n");
        try
        {
            var (process, errors) = Launch(new Dictionary<string, string>(), "validate", bad);
            await process.WaitForExitAsync();
            Assert.That(process.ExitCode, Is.EqualTo(2));
            Assert.That(errors.ToString(), Does.Contain("endpoints[0].fields.a.type: unknown type 'money'").And.Contain("endpoints[0].fields.b.pattern: invalid pattern"));
            // the sample authenticates: without a key serve refuses it, and so does validate
            var (noKey, _) = Launch(new Dictionary<string, string> { ["LIGHTS3_STORAGE_URL"] = "memory:" }, "validate", RepoFile("lightapi.yaml"));
            await noKey.WaitForExitAsync();
            Assert.That(noKey.ExitCode, Is.EqualTo(2));
            var (ok, _) = Launch(new Dictionary<string, string> { ["LIGHTS3_STORAGE_URL"] = "memory:", ["LIGHTS3_JWT_SECRET"] = Tokens.Secret }, "validate", RepoFile("lightapi.yaml"));
            await ok.WaitForExitAsync();
            Assert.That(ok.ExitCode, Is.Zero);
        }
        finally
        {
            File.Delete(bad);
        }
    }

    [Test]
    public async Task Serving_a_yaml_that_needs_jwt_without_a_secret_exits_with_the_reason()
    {
        var (process, errors) = Launch(new Dictionary<string, string>
        {
            ["LIGHTS3_CONFIG"] = RepoFile("lightapi.yaml"),
            ["LIGHTS3_STORAGE_URL"] = "memory:",
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{FreePort()}",
        }, "serve");
        var exited = process.WaitForExit(30_000);
        Assert.That(exited, Is.True, "it never starts half-configured");
        Assert.That(process.ExitCode, Is.EqualTo(2));
        Assert.That(errors.ToString(), Does.Contain("no key is configured: set LIGHTS3_JWT_SECRET"));
        await Task.CompletedTask;
    }
}
