using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using LightS3.Tests.Support;

namespace LightS3.Tests.Storage;

/// <summary>
/// A misconfigured S3 store stops a real process with exit code 2 and one line naming the setting to fix, both for an
/// app built on <c>LightS3App.Create</c> (the Books example) and for the published YAML host — no stack trace.
/// </summary>
[Category(External.Category)]
[NonParallelizable]
public sealed class S3ConfigurationExitTests
{
    private static (int ExitCode, string Errors) Run(string dll, IDictionary<string, string> env, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet", [dll, .. args]) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var name in new[] { "LIGHTS3_S3_BUCKET", "LIGHTS3_STORAGE", "LIGHTS3_STORAGE_URL", "AWS_ENDPOINT_URL" }) info.Environment.Remove(name);
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (k, v) in env) info.Environment[k] = v;
        using var process = Process.Start(info)!;
        var errors = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(30_000))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("the process did not exit: it must never start half-configured");
        }
        return (process.ExitCode, errors.Result);
    }

    private static string FreeUrl()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return $"http://127.0.0.1:{((IPEndPoint)l.LocalEndpoint).Port}";
    }

    private static string HostDll => External.HostDll;

    private static void AssertOneLine(string errors, string expected)
    {
        var lines = errors.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.That(lines, Has.Length.EqualTo(1), errors);
        Assert.That(lines[0], Does.Contain(expected));
        Assert.That(errors, Does.Not.Contain("Unhandled exception").And.Not.Contain("   at "), "no crash, no stack trace");
    }

    [Test]
    public void A_lights3_app_with_s3_storage_and_no_bucket_exits_2_naming_lights3_s3_bucket()
    {
        var (code, errors) = Run(ExampleProcess.BooksDll, new Dictionary<string, string> { ["LIGHTS3_STORAGE"] = "s3" }, "--urls", FreeUrl());
        Assert.That(code, Is.EqualTo(2), errors);
        AssertOneLine(errors, "no bucket is configured: set LIGHTS3_S3_BUCKET");
    }

    [Test]
    public void A_trusted_proxy_that_is_not_an_ip_address_exits_2_naming_the_setting()
    {
        var (code, errors) = Run(ExampleProcess.BooksDll, new Dictionary<string, string>
        {
            ["LIGHTS3_STORAGE"] = "memory",
            ["LIGHTS3_TRUSTED_PROXIES"] = "10.0.0.5, not-an-address",
        }, "--urls", FreeUrl());
        Assert.That(code, Is.EqualTo(2), errors);
        AssertOneLine(errors, "LIGHTS3_TRUSTED_PROXIES): every entry must be an IP address");
    }

    [Test]
    public void A_lights3_app_with_an_endpoint_that_is_not_a_url_exits_2_naming_aws_endpoint_url()
    {
        var (code, errors) = Run(ExampleProcess.BooksDll, new Dictionary<string, string>
        {
            ["LIGHTS3_STORAGE"] = "s3",
            ["LIGHTS3_S3_BUCKET"] = "books",
            ["AWS_ENDPOINT_URL"] = "127.0.0.1:7480",
        }, "--urls", FreeUrl());
        Assert.That(code, Is.EqualTo(2), errors);
        AssertOneLine(errors, "(AWS_ENDPOINT_URL, or YAML storage.endpoint_url) is not an http(s) URL");
    }

    [Test]
    public async Task The_yaml_host_with_an_s3_url_without_a_bucket_exits_2_naming_the_bucket()
    {
        var yaml = Path.Combine(Path.GetTempPath(), $"s3-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(yaml, "storage:\n  url: \"${LIGHTS3_STORAGE_URL:-memory:}\"\nendpoints:\n  - route: /notes\n    fields:\n      text: { type: str }\n");
        try
        {
            var (code, errors) = Run(HostDll, new Dictionary<string, string> { ["LIGHTS3_STORAGE_URL"] = "s3://", ["ASPNETCORE_URLS"] = FreeUrl() }, "serve", yaml);
            Assert.That(code, Is.EqualTo(2), errors);
            AssertOneLine(errors, "storage.url: an s3:// URL needs a bucket");

            var (badEndpoint, endpointErrors) = Run(HostDll, new Dictionary<string, string>
            {
                ["LIGHTS3_STORAGE_URL"] = "s3://notes",
                ["AWS_ENDPOINT_URL"] = "not a url",
                ["ASPNETCORE_URLS"] = FreeUrl(),
            }, "serve", yaml);
            Assert.That(badEndpoint, Is.EqualTo(2), endpointErrors);
            AssertOneLine(endpointErrors, "is not an http(s) URL");
        }
        finally
        {
            File.Delete(yaml);
        }
    }
}
