using Books;
using LightS3;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

// Embedded SQLite store in ./data unless S3 is configured (LIGHTS3_S3_BUCKET, AWS_ENDPOINT_URL, ...).
// BOOKS_TELEMETRY=console prints LightS3's spans and metrics; BOOKS_TELEMETRY=otlp sends them to an OTLP collector
// (OTEL_EXPORTER_OTLP_ENDPOINT, default http://localhost:4317).
var app = LightS3App.Create(args, builder =>
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
});
app.Register("/books", typeof(BookEndpoint));
app.Run();
