namespace LightS3.Cli.Transfer;

/// <summary>The file formats of <c>import</c> and <c>export</c>.</summary>
public enum RecordFormat
{
    /// <summary>One JSON object per line.</summary>
    Ndjson,
    /// <summary>RFC 4180 CSV with a header row of field names.</summary>
    Csv,
}

/// <summary>Choosing a format.</summary>
public static class RecordFormats
{
    /// <summary><paramref name="explicitFormat"/>, else from the file's extension (<c>.csv</c>), else NDJSON.</summary>
    public static RecordFormat For(string? explicitFormat, string? path) => explicitFormat?.ToLowerInvariant() switch
    {
        "csv" => RecordFormat.Csv,
        "ndjson" or "jsonl" or "json" => RecordFormat.Ndjson,
        null or "" => path is not null && path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) ? RecordFormat.Csv : RecordFormat.Ndjson,
        var other => throw new CliException($"--format '{other}': use ndjson or csv"),
    };
}
