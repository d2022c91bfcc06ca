using LightS3.Tests.Support;

namespace LightS3.Tests.Cli;

/// <summary>A temporary directory with a lightapi.yaml for one test, on the embedded file store or on the test RGW.</summary>
public sealed class CliWorkspace : IDisposable
{
    /// <summary>An HS256 key the workspace's tools sign and verify with.</summary>
    public const string Secret = "cli-tests-secret-0123456789abcdef0123456789";

    private CliWorkspace(string directory) => Directory = directory;

    /// <summary>The working directory.</summary>
    public string Directory { get; }

    /// <summary>The embedded store's data directory (file store workspaces).</summary>
    public string DataDir => Path.Combine(Directory, "data");

    /// <summary>Environment for the tool: the JWT key, unless a test takes it away.</summary>
    public Dictionary<string, string?> Env { get; } = new() { ["LIGHTS3_JWT_SECRET"] = Secret };

    /// <summary>The storage section for the embedded file store in <see cref="DataDir"/>.</summary>
    public string FileStorage => $"storage:\n  url: \"file:{DataDir}\"\n";

    /// <summary>The storage section for a fresh prefix of the test RGW's bucket.</summary>
    public static string S3Storage(string prefix) =>
        $"storage:\n  url: \"s3://{S3TestServer.Bucket}/{prefix}\"\n  endpoint_url: \"{S3TestServer.Endpoint}\"\n";

    /// <summary>A workspace whose lightapi.yaml is <paramref name="yaml"/>.</summary>
    public static CliWorkspace Create(string yaml)
    {
        var dir = System.IO.Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "lights3-cli-" + Guid.NewGuid().ToString("N")[..12])).FullName;
        File.WriteAllText(Path.Combine(dir, "lightapi.yaml"), yaml);
        return new CliWorkspace(dir);
    }

    /// <summary>Writes another file into the workspace; returns its path.</summary>
    public string Write(string name, string content)
    {
        var path = Path.Combine(Directory, name);
        File.WriteAllText(path, content);
        return path;
    }

    /// <summary>Runs the tool here with <see cref="Env"/>.</summary>
    public Task<CliRun> RunAsync(params string[] args) => Lights3Process.RunAsync(Directory, Env, args);

    /// <summary>Runs the tool here with <see cref="Env"/> and <paramref name="stdin"/>.</summary>
    public Task<CliRun> RunWithInputAsync(string stdin, params string[] args) => Lights3Process.RunAsync(Directory, Env, stdin, 120, args);

    /// <inheritdoc />
    public void Dispose()
    {
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
