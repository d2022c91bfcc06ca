using System.Text.Json;
using System.Text.Json.Nodes;

namespace LightS3.Cli.Transfer;

/// <summary>
/// How far an import got: every line before <see cref="NextLine"/> was sent and answered (created or rejected). Written
/// atomically (temporary file + rename) after each batch, beside the import file unless <c>--checkpoint</c> says otherwise;
/// it also records the file's size and route, so a checkpoint is never applied to another file or endpoint.
/// </summary>
public sealed class ImportCheckpoint(string path, string route, long fileSize)
{
    /// <summary>The checkpoint file.</summary>
    public string Path { get; } = path;

    /// <summary>The first line not yet imported (1 = nothing done).</summary>
    public int NextLine { get; private set; } = 1;

    /// <summary>Default location: <c>FILE.lights3-import</c>.</summary>
    public static string DefaultPath(string importFile) => importFile + ".lights3-import";

    /// <summary>Loads the checkpoint if it exists and belongs to this import; refuses one for another route or file.</summary>
    public static ImportCheckpoint Load(string path, string route, long fileSize)
    {
        var checkpoint = new ImportCheckpoint(path, route, fileSize);
        if (!File.Exists(path)) return checkpoint;
        var node = JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new CliException($"{path}: not a checkpoint (delete it, or pass --restart)");
        if (node["route"]?.GetValue<string>() != route || node["size"]?.GetValue<long>() != fileSize)
            throw new CliException($"{path} is the checkpoint of another import ({node["route"]}, {node["size"]} bytes): pass --restart to start over, or --checkpoint elsewhere");
        checkpoint.NextLine = node["next_line"]?.GetValue<int>() ?? 1;
        return checkpoint;
    }

    /// <summary>Records that every line before <paramref name="nextLine"/> is done.</summary>
    public void Save(int nextLine)
    {
        NextLine = nextLine;
        var temp = Path + ".tmp";
        File.WriteAllText(temp, new JsonObject { ["route"] = route, ["size"] = fileSize, ["next_line"] = nextLine }.ToJsonString(new JsonSerializerOptions { WriteIndented = false }));
        File.Move(temp, Path, overwrite: true);
    }
}
