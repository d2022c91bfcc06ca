using System.Text.Json.Nodes;

namespace LightS3.Cli.Transfer;

/// <summary>One object of a backup: its key, size, MD5 (the S3 ETag of a single-part upload) and SHA-256.</summary>
public sealed record BackupEntry(string Key, long Size, string Md5, string Sha256)
{
    /// <summary>The manifest line.</summary>
    public string ToJson() => new JsonObject { ["key"] = Key, ["size"] = Size, ["md5"] = Md5, ["sha256"] = Sha256 }.ToJsonString();

    /// <summary>Reads a manifest line.</summary>
    public static BackupEntry Parse(string line)
    {
        var o = JsonNode.Parse(line)!.AsObject();
        return new BackupEntry(o["key"]!.GetValue<string>(), o["size"]!.GetValue<long>(), o["md5"]!.GetValue<string>(), o["sha256"]!.GetValue<string>());
    }
}

/// <summary>
/// The layout of a backup directory: <c>objects/&lt;key&gt;</c> holds each object's bytes, <c>manifest.ndjson</c> one line per
/// object, appended as each object is safely on disk (so an interrupted backup resumes where it stopped), and
/// <c>complete.json</c> the totals, written last. A tar backup is this directory in a tar file.
/// </summary>
public static class BackupLayout
{
    /// <summary>The manifest's file name.</summary>
    public const string Manifest = "manifest.ndjson";

    /// <summary>The completion marker's file name.</summary>
    public const string Complete = "complete.json";

    /// <summary>The file holding the bytes of <paramref name="key"/> under <paramref name="root"/>; refuses keys that would escape it.</summary>
    public static string ObjectPath(string root, string key)
    {
        var objects = Path.GetFullPath(Path.Combine(root, "objects"));
        var path = Path.GetFullPath(Path.Combine(objects, key));
        if (!path.StartsWith(objects + Path.DirectorySeparatorChar, StringComparison.Ordinal)) throw new CliException($"object key '{key}' cannot be stored in a directory");
        return path;
    }

    /// <summary>The entries of the manifest under <paramref name="root"/>, by key (a resumed backup may repeat a key: the last wins).</summary>
    public static Dictionary<string, BackupEntry> Read(string root)
    {
        var path = Path.Combine(root, Manifest);
        var entries = new Dictionary<string, BackupEntry>(StringComparer.Ordinal);
        if (!File.Exists(path)) return entries;
        foreach (var line in File.ReadLines(path))
        {
            if (string.IsNullOrWhiteSpace(line)) continue;
            try
            {
                var e = BackupEntry.Parse(line);
                entries[e.Key] = e;
            }
            catch (Exception ex) when (ex is System.Text.Json.JsonException or NullReferenceException or InvalidOperationException)
            {
                // a line cut by a crash: that object is copied again
            }
        }
        return entries;
    }
}
