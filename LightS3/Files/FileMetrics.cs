using System.Diagnostics.Metrics;
using LightS3.Diagnostics;

namespace LightS3.Files;

/// <summary>File metrics on LightS3's meter: <c>lights3.files.operations</c> (tag <c>operation</c>) and <c>lights3.files.blobs_collected</c>.</summary>
internal static class FileMetrics
{
    private static readonly Counter<long> Operations = LightS3Telemetry.Meter.CreateCounter<long>("lights3.files.operations", "{operation}",
        "File operations completed: upload (URL granted), confirm, confirm_event, rejected (limits broken, blob deleted), download, delete");

    private static readonly Counter<long> Collected = LightS3Telemetry.Meter.CreateCounter<long>("lights3.files.blobs_collected", "{blob}",
        "File blobs removed by garbage collection");

    public static void Count(string operation) => Operations.Add(1, new KeyValuePair<string, object?>("operation", operation));

    public static void CountCollected(long blobs)
    {
        if (blobs > 0) Collected.Add(blobs);
    }
}
