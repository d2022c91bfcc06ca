using System.Diagnostics;
using LightS3.Diagnostics;

namespace LightS3.Tests.Diagnostics;

/// <summary>Records every span of the <c>LightS3</c> activity source while it lives (sampled in full).</summary>
public sealed class SpanRecorder : IDisposable
{
    private readonly List<Activity> _spans = [];
    private readonly ActivityListener _listener;

    public SpanRecorder()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == LightS3Telemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a => { lock (_spans) _spans.Add(a); },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>The spans stopped so far.</summary>
    public IReadOnlyList<Activity> Spans
    {
        get { lock (_spans) return [.. _spans]; }
    }

    public void Dispose() => _listener.Dispose();
}
