using System.Formats.Tar;
using System.Security.Cryptography;
using LightS3.Storage;

namespace LightS3.Cli.Transfer;

/// <summary>What a backup or restore did.</summary>
public sealed record TransferReport(long Objects, long Bytes, long Skipped, long Verified, IReadOnlyList<string> Problems);

/// <summary>
/// Copies every object of the configured store (records, tombstones, unique markers, index entries, the auth module's
/// data — the whole LightS3 prefix, byte for byte) to a directory or a tar file, and back. Both directions verify: a backup
/// re-hashes every file against its manifest; a restore checks each file against the manifest before writing it and the
/// store's listing (count and MD5 ETags) after. Both resume: objects already copied are skipped.
/// </summary>
public sealed class BackupRunner(IObjectStore store, int parallelism = 8)
{
    /// <summary>Backs the store up to <paramref name="destination"/> (a directory, or a file ending in <c>.tar</c>).</summary>
    public async Task<TransferReport> BackupAsync(string destination, Action<long, long?> progress, CancellationToken ct)
    {
        var tar = destination.EndsWith(".tar", StringComparison.OrdinalIgnoreCase);
        if (tar && File.Exists(destination)) throw new CliException($"{destination} exists: back up to a new file");
        var root = tar ? destination + ".partial" : destination;
        Directory.CreateDirectory(root);
        if (File.Exists(Path.Combine(root, BackupLayout.Complete))) throw new CliException($"{root} holds a complete backup: back up to a new directory");
        var done = BackupLayout.Read(root);
        long copied = 0, bytes = 0, skipped = 0;
        await using (var manifest = new StreamWriter(Path.Combine(root, BackupLayout.Manifest), append: true))
        {
            var gate = new SemaphoreSlim(1, 1);
            await Parallel.ForEachAsync(store.EnumerateAsync("", null, ct), new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = ct }, async (entry, token) =>
            {
                if (done.TryGetValue(entry.Key, out var have) && File.Exists(BackupLayout.ObjectPath(root, entry.Key)) && have.Size == entry.Size)
                {
                    Interlocked.Increment(ref skipped);
                    return;
                }
                if (await store.GetAsync(entry.Key, token) is not { } obj) return; // collected meanwhile
                var content = obj.Content.ToArray();
                var path = BackupLayout.ObjectPath(root, entry.Key);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                await File.WriteAllBytesAsync(path, content, token);
                var line = new BackupEntry(entry.Key, content.Length, ETags.Compute(content), Convert.ToHexStringLower(SHA256.HashData(content))).ToJson();
                await gate.WaitAsync(token);
                try
                {
                    await manifest.WriteLineAsync(line);
                    await manifest.FlushAsync(token);
                    copied++;
                    bytes += content.Length;
                    progress(copied + skipped, null);
                }
                finally
                {
                    gate.Release();
                }
            });
        }
        var problems = new List<string>();
        var entries = BackupLayout.Read(root);
        long verified = 0;
        foreach (var e in entries.Values)
        {
            var path = BackupLayout.ObjectPath(root, e.Key);
            if (!File.Exists(path)) { problems.Add($"{e.Key}: missing from the backup"); continue; }
            await using var file = File.OpenRead(path);
            if (Convert.ToHexStringLower(await SHA256.HashDataAsync(file, ct)) != e.Sha256) problems.Add($"{e.Key}: SHA-256 differs from the manifest");
            else verified++;
        }
        if (problems.Count == 0)
        {
            await File.WriteAllTextAsync(Path.Combine(root, BackupLayout.Complete),
                $"{{\"objects\":{entries.Count},\"bytes\":{entries.Values.Sum(e => e.Size)},\"finished_at\":\"{DateTimeOffset.UtcNow:O}\"}}", ct);
            if (tar)
            {
                await TarFile.CreateFromDirectoryAsync(root, destination + ".tmp", includeBaseDirectory: false, ct);
                File.Move(destination + ".tmp", destination);
                Directory.Delete(root, recursive: true);
            }
        }
        return new TransferReport(copied, bytes, skipped, verified, problems);
    }

    /// <summary>Restores <paramref name="source"/> (a backup directory or tar file) into the store; objects already there with the same bytes are skipped.</summary>
    public async Task<TransferReport> RestoreAsync(string source, bool overwrite, Action<long, long?> progress, CancellationToken ct)
    {
        var root = source;
        string? extracted = null;
        if (File.Exists(source))
        {
            extracted = Path.Combine(Path.GetTempPath(), "lights3-restore-" + Guid.NewGuid().ToString("N")[..12]);
            Directory.CreateDirectory(extracted);
            await TarFile.ExtractToDirectoryAsync(source, extracted, overwriteFiles: false, ct);
            root = extracted;
        }
        try
        {
            if (!Directory.Exists(root)) throw new CliException($"{source}: no such directory or tar file");
            if (!File.Exists(Path.Combine(root, BackupLayout.Complete))) throw new CliException($"{source} is not a complete backup (no {BackupLayout.Complete}): finish it with lights3 backup first");
            var entries = BackupLayout.Read(root).Values.ToList();
            var problems = new List<string>();
            long written = 0, bytes = 0, skipped = 0;
            var total = (long)entries.Count;
            await Parallel.ForEachAsync(entries, new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = ct }, async (e, token) =>
            {
                var content = await File.ReadAllBytesAsync(BackupLayout.ObjectPath(root, e.Key), token);
                if (Convert.ToHexStringLower(SHA256.HashData(content)) != e.Sha256)
                {
                    lock (problems) problems.Add($"{e.Key}: the backup's file does not match its manifest; not restored");
                    return;
                }
                try
                {
                    await store.PutAsync(e.Key, content, WriteCondition.IfNoneMatch, token);
                    Interlocked.Increment(ref written);
                    Interlocked.Add(ref bytes, content.Length);
                }
                catch (PreconditionFailedException)
                {
                    var current = await store.GetAsync(e.Key, token);
                    if (current is not null && current.Content.Span.SequenceEqual(content)) Interlocked.Increment(ref skipped);
                    else if (overwrite && current is not null)
                    {
                        await store.PutAsync(e.Key, content, WriteCondition.IfMatch(current.ETag), token);
                        Interlocked.Increment(ref written);
                    }
                    else lock (problems) problems.Add($"{e.Key}: exists in the store with other bytes; kept (--overwrite replaces it)");
                }
                progress(Interlocked.Read(ref written) + Interlocked.Read(ref skipped), total);
            });
            // verification: every object of the backup is in the store with its bytes (MD5 ETags from one listing; a GET where the ETag is not an MD5)
            var listed = new Dictionary<string, ObjectEntry>(StringComparer.Ordinal);
            await foreach (var entry in store.EnumerateAsync("", null, ct)) listed[entry.Key] = entry;
            long verified = 0;
            foreach (var e in entries)
            {
                if (!listed.TryGetValue(e.Key, out var entry)) { problems.Add($"{e.Key}: missing from the store after restore"); continue; }
                var same = ETags.Normalize(entry.ETag) == e.Md5
                    || (await store.GetAsync(e.Key, ct) is { } o && Convert.ToHexStringLower(SHA256.HashData(o.Content.Span)) == e.Sha256);
                if (same) verified++;
                else if (!problems.Any(p => p.StartsWith(e.Key + ":", StringComparison.Ordinal))) problems.Add($"{e.Key}: differs from the backup after restore");
            }
            return new TransferReport(written, bytes, skipped, verified, problems);
        }
        finally
        {
            if (extracted is not null) Directory.Delete(extracted, recursive: true);
        }
    }
}
