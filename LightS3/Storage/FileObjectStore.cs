using System.Security.Cryptography;
using System.Text;

namespace LightS3.Storage;

/// <summary>
/// The embedded, zero-setup store: one file per object under a data directory.
/// Writes go to a temporary file and are renamed into place (atomic); conditional writes and deletes
/// run under a per-key OS file lock, so two processes sharing the directory get the same
/// compare-and-swap guarantees as S3. The ETag is derived from the file's modification time and size,
/// and every write moves the time forward, so a listing yields ETags without reading any file.
/// </summary>
public sealed class FileObjectStore : IObjectStore
{
    private readonly string _objectsRoot;
    private readonly string _locksRoot;
    private readonly string _tempRoot;
    private readonly RequestCounter _counter;
    // A fixed set of lock stripes: bounded lock files (a file per key would grow forever), shared by all processes.
    private const int StripeCount = 256;
    private readonly SemaphoreSlim[] _stripes = Enumerable.Range(0, StripeCount).Select(_ => new SemaphoreSlim(1, 1)).ToArray();

    /// <summary>Opens (creating if needed) a store rooted at <paramref name="dataDirectory"/>.</summary>
    public FileObjectStore(string dataDirectory, RequestCounter counter)
    {
        var root = Path.GetFullPath(dataDirectory);
        _objectsRoot = Path.Combine(root, "objects");
        _locksRoot = Path.Combine(root, ".locks");
        _tempRoot = Path.Combine(root, ".tmp");
        Directory.CreateDirectory(_objectsRoot);
        Directory.CreateDirectory(_locksRoot);
        Directory.CreateDirectory(_tempRoot);
        _counter = counter;
        DataDirectory = root;
    }

    /// <summary>The absolute data directory.</summary>
    public string DataDirectory { get; }

    /// <inheritdoc />
    public string Kind => "file";

    /// <inheritdoc />
    public async Task<StoredObject?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        _counter.Count(StoreOperation.Get);
        var path = PathOf(key);
        try
        {
            await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 4096, useAsync: false);
            var etag = ETagOf(File.GetLastWriteTimeUtc(stream.SafeFileHandle), stream.Length);
            var buffer = new byte[stream.Length];
            await stream.ReadExactlyAsync(buffer, cancellationToken);
            return new StoredObject(key, buffer, etag);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public async Task<string> PutAsync(string key, ReadOnlyMemory<byte> content, WriteCondition condition, CancellationToken cancellationToken = default)
    {
        _counter.Count(StoreOperation.Put);
        var path = PathOf(key);
        var temp = Path.Combine(_tempRoot, Guid.NewGuid().ToString("N"));
        await File.WriteAllBytesAsync(temp, content.ToArray(), cancellationToken);
        try
        {
            using var _ = await LockAsync(key, cancellationToken);
            var current = Stat(path);
            if (!InMemoryObjectStore.ConditionHolds(condition, current?.ETag)) throw new PreconditionFailedException(key);
            // Move time strictly forward so the ETag changes even for two writes in one clock tick.
            var stamp = DateTime.UtcNow;
            if (current is { } c && stamp <= c.Modified) stamp = c.Modified.AddTicks(1);
            File.SetLastWriteTimeUtc(temp, stamp);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.Move(temp, path, overwrite: true);
            return ETagOf(stamp, content.Length);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <inheritdoc />
    public async Task<bool> DeleteAsync(string key, string? ifMatch = null, CancellationToken cancellationToken = default)
    {
        _counter.Count(StoreOperation.Delete);
        var path = PathOf(key);
        using var _ = await LockAsync(key, cancellationToken);
        var current = Stat(path);
        if (current is null) return false;
        if (ifMatch is not null && ifMatch != "*" && ETags.Normalize(ifMatch) != current.Value.ETag) throw new PreconditionFailedException(key);
        File.Delete(path);
        return true;
    }

    /// <inheritdoc />
    public Task<bool> DeleteObservedAsync(string key, string observedETag, CancellationToken cancellationToken = default) =>
        DeleteAsync(key, observedETag, cancellationToken);

    /// <inheritdoc />
    public bool AtomicConditionalDelete => true;

    /// <inheritdoc />
    public Task<ObjectListing> ListAsync(string prefix, string? startAfter, int maxKeys, CancellationToken cancellationToken = default)
    {
        _counter.Count(StoreOperation.List);
        maxKeys = Math.Clamp(maxKeys, 1, 1000);
        var slash = prefix.LastIndexOf('/');
        var directory = slash < 0 ? _objectsRoot : Path.Combine(_objectsRoot, prefix[..slash]);
        if (slash >= 0) ObjectKeys.Validate(prefix[..slash]);
        if (!Directory.Exists(directory)) return Task.FromResult(new ObjectListing([], false));

        var matches = new List<(string Key, FileInfo Info)>();
        foreach (var info in new DirectoryInfo(directory).EnumerateFiles("*", SearchOption.AllDirectories))
        {
            var key = Path.GetRelativePath(_objectsRoot, info.FullName).Replace(Path.DirectorySeparatorChar, '/');
            if (key.StartsWith(prefix, StringComparison.Ordinal) && (startAfter is null || string.CompareOrdinal(key, startAfter) > 0))
                matches.Add((key, info));
        }
        matches.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        var entries = new List<ObjectEntry>(Math.Min(maxKeys, matches.Count));
        var next = 0;
        for (; next < matches.Count && entries.Count < maxKeys; next++)
        {
            var (key, info) = matches[next];
            try
            {
                var (length, modified) = (info.Length, info.LastWriteTimeUtc);
                entries.Add(new ObjectEntry(key, ETagOf(modified, length), length, new DateTimeOffset(modified, TimeSpan.Zero)));
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
            {
                // deleted between the directory walk and its stat (garbage collection): not listed, as on S3
            }
        }
        return Task.FromResult(new ObjectListing(entries, next < matches.Count));
    }

    /// <summary>
    /// Deletes temporary files last written before <paramref name="olderThan"/>: writes that crashed between writing
    /// their temporary file and renaming it. A write in flight is far younger than any sensible cutoff.
    /// </summary>
    public long RemoveTemporaryFiles(DateTimeOffset olderThan)
    {
        long removed = 0;
        foreach (var file in new DirectoryInfo(_tempRoot).EnumerateFiles())
        {
            if (file.LastWriteTimeUtc >= olderThan.UtcDateTime) continue;
            try
            {
                file.Delete();
                removed++;
            }
            catch (IOException)
            {
                // in use or gone: next time
            }
        }
        return removed;
    }

    private string PathOf(string key)
    {
        ObjectKeys.Validate(key);
        return Path.Combine(_objectsRoot, key.Replace('/', Path.DirectorySeparatorChar));
    }

    private static (string ETag, DateTime Modified)? Stat(string path)
    {
        var info = new FileInfo(path);
        return info.Exists ? (ETagOf(info.LastWriteTimeUtc, info.Length), info.LastWriteTimeUtc) : null;
    }

    private static string ETagOf(DateTime modifiedUtc, long length) => $"{modifiedUtc.Ticks:x}-{length:x}";

    /// <summary>
    /// Takes the key's stripe lock: an in-process semaphore (no spinning between local callers), then an
    /// exclusive OS lock on a lock file (flock on Unix), which serialises writers in other processes too.
    /// </summary>
    private async Task<IDisposable> LockAsync(string key, CancellationToken cancellationToken)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(key));
        var index = hash[0] % StripeCount;
        var stripe = _stripes[index];
        await stripe.WaitAsync(cancellationToken);
        var lockPath = Path.Combine(_locksRoot, $"stripe-{index:x2}.lock");
        var delay = 1;
        while (true)
        {
            try
            {
                var handle = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
                return new Release(handle, stripe);
            }
            catch (IOException) when (!cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(delay, CancellationToken.None);
                delay = Math.Min(delay * 2, 20);
            }
            catch
            {
                stripe.Release();
                throw;
            }
        }
    }

    private sealed class Release(FileStream handle, SemaphoreSlim stripe) : IDisposable
    {
        public void Dispose()
        {
            handle.Dispose();
            stripe.Release();
        }
    }
}
