using System.Text.Json.Nodes;

namespace LightS3.Cli.Transfer;

/// <summary>What happened to one line: created (with the new id), valid (dry run), or rejected with the API's status and reason.</summary>
public sealed record ImportOutcome(int Line, int Status, string? Id, string? Detail)
{
    /// <summary>Whether the record was created (or, in a dry run, would be).</summary>
    public bool Accepted => Status is 201 or 200;

    /// <summary>The line of the <c>--report</c> file.</summary>
    public string ToJson() => new JsonObject { ["line"] = Line, ["status"] = Status, ["id"] = Id, ["detail"] = Detail }.ToJsonString();

    /// <summary>The line printed for a rejected record.</summary>
    public override string ToString() => $"line {Line}: {Status} {Detail}";
}
