using Books;
using LightS3;
using Microsoft.AspNetCore.Builder;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

// Embedded SQLite store in ./data unless S3 is configured (LIGHTS3_S3_BUCKET, AWS_ENDPOINT_URL, ...).
// BOOKS_TELEMETRY=console prints LightS3's spans and metrics; BOOKS_TELEMETRY=otlp sends them to an OTLP collector
// (OTEL_EXPORTER_OTLP_ENDPOINT, default http://localhost:4317).
// `dotnet run -- lights3 migrate up` (or any lights3 command) runs on this app's endpoints and migrations, then exits
if (args is ["lights3", ..])
{
    var app = LightS3App.Create([], Telemetry);
    Register(app);
    return await LightS3.Cli.LightS3Cli.RunAsync(args[1..], app);
}
// serves until shutdown; a configuration error exits with code 2 and one line on standard error
return await LightS3App.RunAsync(args, Register, Telemetry);

// Migration classes of this assembly are found by themselves; app.Migrations.Add(...) registers others
static void Register(LightS3App app) => app.Register("/books", typeof(BookEndpoint));

static void Telemetry(WebApplicationBuilder builder)
{
    var exporter = Environment.GetEnvironmentVariable("BOOKS_TELEMETRY");
    if (exporter is not ("console" or "otlp")) return;
    builder.Services.AddOpenTelemetry()
        .WithTracing(t =>
        {
            // the request's own activity is not sampled without ASP.NET Core instrumentation: sample LightS3's spans anyway
            t.AddSource("LightS3").SetSampler(new AlwaysOnSampler());
            if (exporter == "otlp") t.AddOtlpExporter(); else t.AddConsoleExporter();
        })
        .WithMetrics(m =>
        {
            m.AddMeter("LightS3");
            if (exporter == "otlp") m.AddOtlpExporter(); else m.AddConsoleExporter();
        });
}
