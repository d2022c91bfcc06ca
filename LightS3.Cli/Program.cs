using LightS3.Hosting;
using LightS3.Model;
using LightS3.Yaml;
using LightS3.Yaml.Config;

// The LightS3 YAML host (the `lights3` tool): serves an API declared in YAML, with no C#.
//   serve    [file] [ASP.NET Core args, e.g. --urls http://0.0.0.0:8080]
//   validate [file]                 check a file, print every problem, exit 2 if any
//   reindex  [file] <route>         rebuild the indexes of one endpoint's collection
// The file defaults to $LIGHTS3_CONFIG, then ./lightapi.yaml.
// Exit codes: 0 success, 2 configuration error (one line per problem on stderr), 3 storage unavailable, 64 usage.
var command = args.Length > 0 ? args[0] : "serve";
var rest = args.Skip(1).ToList();
string ConfigPath()
{
    if (rest.Count > 0 && !rest[0].StartsWith('-')) { var p = rest[0]; rest.RemoveAt(0); return p; }
    return Environment.GetEnvironmentVariable("LIGHTS3_CONFIG") is { Length: > 0 } env ? env : "lightapi.yaml";
}

try
{
    switch (command)
    {
        case "serve":
            var app = LightS3App.FromConfig(ConfigPath(), [.. rest]);
            await app.RunAsync();
            return 0;
        case "validate":
            var path = ConfigPath();
            var config = YamlConfigReader.ReadFile(path);
            Console.WriteLine($"{path}: ok — {config.Endpoints.Count} endpoint(s): {string.Join(", ", config.Endpoints.Select(e => e.Model.Route))}");
            return 0;
        case "reindex":
            var file = ConfigPath();
            if (rest.Count == 0) { Console.Error.WriteLine("usage: reindex [file] <route>"); return 64; }
            var route = rest[0];
            rest.RemoveAt(0);
            await using (var host = LightS3App.FromConfig(file, [.. rest]))
            {
                var report = await host.RebuildIndexesAsync(route, new Progress<LightS3.Documents.IndexRebuildProgress>(p =>
                    Console.Error.WriteLine($"{p.Phase}: {p.Processed}/{p.Total}")));
                Console.WriteLine($"{route}: {report.Records} records, {report.EntriesWritten} entries written, {report.EntriesRemoved} stale entries removed");
            }
            return 0;
        default:
            Console.Error.WriteLine("usage: lights3 serve|validate|reindex [file] ...");
            return 64;
    }
}
catch (ConfigurationException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}
catch (LightS3.Storage.StorageUnavailableException e)
{
    // reindex (or reflect) could not reach the store: not a crash, and not a configuration error
    Console.Error.WriteLine($"storage is unavailable: {e.Message}");
    return 3;
}
