using LightS3.Cli;
using LightS3.Hosting;
using LightS3.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace LightS3.Tests.Cli;

/// <summary>
/// A <c>lights3</c> command starts no background service: <c>import</c> into a YAML app with webhooks and a change feed
/// runs without the webhook dispatcher, the change-feed hub or cleanup, garbage collection, expiry or relation jobs —
/// while <c>serve</c> of the same file has them all (so the list would show them).
/// </summary>
public sealed class CommandBackgroundTests
{
    private const string Yaml = """
        storage:
          url: "memory:"
        webhooks:
          - url: http://127.0.0.1:9/hook
        endpoints:
          - route: /notes
            fields:
              text: { type: str }
            meta:
              changes: true
        """;

    // the YAML host, keeping the service list of every app a command builds
    private sealed class RecordingHost : CliHost
    {
        public List<List<string>> HostedServices { get; } = [];

        public override LightS3App Build(string path, string[]? hostArgs = null, Action<WebApplicationBuilder>? configure = null) =>
            Record(base.Build(path, hostArgs, configure));

        public override LightS3App BuildServer(string path, string[]? hostArgs = null) => Record(base.BuildServer(path, hostArgs));

        private LightS3App Record(LightS3App app)
        {
            HostedServices.Add([.. app.Services.GetServices<IHostedService>().Select(s => s.GetType())
                .Where(t => t.Assembly == typeof(LightS3App).Assembly).Select(t => t.Name).Order()]);
            return app;
        }
    }

    [Test]
    public async Task Import_runs_no_background_service_of_the_app_it_builds()
    {
        var dir = TestStores.NewDirectory();
        try
        {
            var yaml = Path.Combine(dir, "lightapi.yaml");
            await File.WriteAllTextAsync(yaml, Yaml);
            var file = Path.Combine(dir, "notes.ndjson");
            await File.WriteAllTextAsync(file, "{\"text\":\"one\"}\n{\"text\":\"two\"}\n");
            var host = new RecordingHost();
            using var output = new StringWriter();
            using var errors = new StringWriter();
            var exit = await LightS3Cli.RunAsync(["import", file, "--route", "/notes", "--config", yaml], new CliOutput(output, errors, rich: false), host);
            Assert.That(exit, Is.Zero, errors.ToString());
            Assert.That(errors.ToString(), Does.Contain("imported 2 records into /notes"));
            Assert.That(host.HostedServices, Has.Count.EqualTo(1));
            Assert.That(host.HostedServices[0], Is.EqualTo(new[] { "ResponseCacheStartup", "StorageStartup" }), "only the start-up steps");

            // positive control: the app serve builds from the same file runs the features' loops
            await using var server = host.BuildServer(yaml, ["--urls", "http://127.0.0.1:0"]);
            Assert.That(host.HostedServices[1], Is.SupersetOf(new[]
            {
                "BackgroundTasks", "ChangeFeedCleanup", "ChangeHub", "ExpirySweepService", "GarbageCollectionService", "OnDeleteJobs", "WebhookDispatcher",
            }));
        }
        finally
        {
            TestStores.TryDelete(dir);
        }
    }
}
