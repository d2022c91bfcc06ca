using System.Text;

namespace LightS3.Caching;

/// <summary>One journaled invalidation: a unique id and the scope (endpoint route) to invalidate.</summary>
internal readonly record struct JournalEntry(Guid Id, string Scope);

/// <summary>
/// A small durable file of invalidations that could not be sent to Redis. An entry is on disk (written to a
/// temporary file, flushed to the device and renamed over the journal) before <see cref="AppendAsync"/> returns,
/// so it survives a crash or restart of the process. Every change is a read-modify-replace under an exclusive OS
/// lock on <c>&lt;path&gt;.lock</c>, so several app instances (in one process or many) may share one journal:
/// each entry has an id, and a delivery removes exactly the entries it read, never one appended after.
/// </summary>
internal sealed class InvalidationJournal(string path)
{
    private const string Header = "lights3-cache-invalidations v1";
    private static readonly TimeSpan LockWait = TimeSpan.FromSeconds(5);
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>The journal file.</summary>
    public string Path { get; } = System.IO.Path.GetFullPath(path);

    /// <summary>Whether the file exists (it is deleted when its last entry is removed).</summary>
    public bool Exists => File.Exists(Path);

    /// <summary>Appends an entry for <paramref name="scope"/> and returns once it is on disk.</summary>
    public Task<Guid> AppendAsync(string scope) => WithLockAsync(() =>
    {
        var entries = ReadUnlocked();
        var id = Guid.NewGuid();
        entries.Add(new JournalEntry(id, scope));
        WriteUnlocked(entries);
        return id;
    });

    /// <summary>Every entry on disk (this instance's and any other's sharing the file).</summary>
    public Task<List<JournalEntry>> ReadAsync() =>
        // no file, nothing to read (an entry appended meanwhile is read by the next delivery round)
        Exists ? WithLockAsync(ReadUnlocked) : Task.FromResult(new List<JournalEntry>());

    /// <summary>Removes the entries with these ids (those a delivery read); deletes the file when none remain.</summary>
    public Task RemoveAsync(IReadOnlySet<Guid> ids) => WithLockAsync(() =>
    {
        var rest = ReadUnlocked().Where(e => !ids.Contains(e.Id)).ToList();
        if (rest.Count == 0) File.Delete(Path);
        else WriteUnlocked(rest);
        return true;
    });

    private List<JournalEntry> ReadUnlocked()
    {
        var entries = new List<JournalEntry>();
        if (!File.Exists(Path)) return entries;
        foreach (var line in File.ReadLines(Path, Encoding.UTF8))
            // the header and anything malformed are skipped; a torn write cannot happen (replace by rename)
            if (line.Split(' ') is [var id, var scope] && Guid.TryParseExact(id, "N", out var guid))
                entries.Add(new JournalEntry(guid, Uri.UnescapeDataString(scope)));
        return entries;
    }

    private void WriteUnlocked(List<JournalEntry> entries)
    {
        var temp = Path + ".tmp";
        using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        using (var writer = new StreamWriter(file, new UTF8Encoding(false)))
        {
            writer.Write(Header + "\n");
            foreach (var e in entries) writer.Write($"{e.Id:N} {Uri.EscapeDataString(e.Scope)}\n");
            writer.Flush();
            file.Flush(flushToDisk: true);
        }
        File.Move(temp, Path, overwrite: true);
    }

    /// <summary>Runs <paramref name="body"/> holding the journal's OS lock (waiting up to 5 s for another holder).</summary>
    private async Task<T> WithLockAsync<T>(Func<T> body)
    {
        await _gate.WaitAsync();
        try
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
            var deadline = DateTime.UtcNow + LockWait;
            while (true)
            {
                FileStream held;
                try
                {
                    // FileShare.None is an exclusive OS lock (flock on Unix): held by one opener at a time, across processes
                    held = new FileStream(Path + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                }
                catch (IOException) when (DateTime.UtcNow < deadline)
                {
                    await Task.Delay(5);
                    continue;
                }
                using (held) return body();
            }
        }
        finally
        {
            _gate.Release();
        }
    }
}
