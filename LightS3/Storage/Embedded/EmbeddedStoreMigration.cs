namespace LightS3.Storage.Embedded;

/// <summary>
/// Moving a data directory of the older directory-of-files store (<see cref="FileObjectStore"/>) into the embedded
/// SQLite store (<see cref="SqliteObjectStore"/>).
/// </summary>
internal static class EmbeddedStoreMigration
{
    /// <summary>
    /// Whether <paramref name="dataDirectory"/> holds objects of the directory-of-files store and no SQLite database:
    /// such a directory keeps being served by the file store until it is imported.
    /// </summary>
    public static bool HoldsFileStoreData(string dataDirectory)
    {
        var objects = Path.Combine(Path.GetFullPath(dataDirectory), "objects");
        return !File.Exists(EmbeddedSchema.DatabasePath(dataDirectory))
               && Directory.Exists(objects)
               && Directory.EnumerateFiles(objects, "*", SearchOption.AllDirectories).Any();
    }

    /// <summary>
    /// Copies every object of the file store in <paramref name="fileStoreDirectory"/> into the SQLite store of
    /// <paramref name="dataDirectory"/> (the same directory is fine: the database is created beside <c>objects/</c>,
    /// and from then on the directory is served by the SQLite store). Objects keep their keys and bytes; their ETags
    /// become the MD5 of the bytes. Existing objects of the same keys in the database are overwritten, so an
    /// interrupted import can simply be run again. The file store's files are left in place (delete <c>objects/</c>,
    /// <c>.locks/</c> and <c>.tmp/</c> once satisfied). Run it while no LightS3 process serves the directory.
    /// </summary>
    /// <param name="fileStoreDirectory">The data directory of the file store (the one holding <c>objects/</c>).</param>
    /// <param name="dataDirectory">The data directory of the SQLite store (where <c>lights3.db</c> is created).</param>
    /// <param name="progress">Told the running count of objects imported, every 1,000 objects and at the end.</param>
    /// <param name="cancellationToken">Stops the import (objects imported so far stay).</param>
    /// <returns>The number of objects imported.</returns>
    public static async Task<long> ImportFileStoreAsync(string fileStoreDirectory, string dataDirectory,
        IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        var objects = Path.Combine(Path.GetFullPath(fileStoreDirectory), "objects");
        if (!Directory.Exists(objects))
            throw new DirectoryNotFoundException($"{fileStoreDirectory} is not a file-store data directory: it has no objects/ folder");
        long imported = 0;
        await using var target = new SqliteObjectStore(dataDirectory, new RequestCounter());
        var files = Directory.EnumerateFiles(objects, "*", SearchOption.AllDirectories);
        // concurrent puts are group-committed by the store's writer: many objects per transaction
        await Parallel.ForEachAsync(files, new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = cancellationToken }, async (file, ct) =>
        {
            var key = Path.GetRelativePath(objects, file).Replace(Path.DirectorySeparatorChar, '/');
            byte[] bytes;
            try
            {
                bytes = await File.ReadAllBytesAsync(file, ct).ConfigureAwait(false);
            }
            catch (FileNotFoundException)
            {
                return; // removed meanwhile
            }
            await target.PutAsync(key, bytes, WriteCondition.None, ct).ConfigureAwait(false);
            var count = Interlocked.Increment(ref imported);
            if (count % 1000 == 0) progress?.Report(count);
        }).ConfigureAwait(false);
        progress?.Report(imported);
        return imported;
    }
}
