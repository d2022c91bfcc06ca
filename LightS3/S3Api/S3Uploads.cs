using System.Text.Json;
using LightS3.Storage;

namespace LightS3.S3Api;

/// <summary>A multipart upload in progress: the key it completes into and the metadata given when it was created.</summary>
internal sealed record S3Upload(string Key, DateTimeOffset Initiated, S3ObjectMeta Meta)
{
    public string Id { get; init; } = "";
}

/// <summary>
/// The records of multipart uploads in progress (<see cref="S3Layout.UploadKey"/>) and their parts, each a store object
/// written as it arrives (<see cref="S3Layout.PartKey"/>).
/// </summary>
internal sealed class S3Uploads(IObjectStore store)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task CreateAsync(S3Bucket bucket, S3Upload upload, CancellationToken ct) =>
        await store.PutAsync(S3Layout.UploadKey(bucket.Name, upload.Id), JsonSerializer.SerializeToUtf8Bytes(upload, Json), WriteCondition.IfNoneMatch, ct);

    /// <summary>The upload <paramref name="uploadId"/> of <paramref name="key"/>, or 404 <c>NoSuchUpload</c>.</summary>
    public async Task<S3Upload> RequireAsync(S3Bucket bucket, string key, string uploadId, CancellationToken ct)
    {
        if (IsUploadId(uploadId) && await store.GetAsync(S3Layout.UploadKey(bucket.Name, uploadId), ct) is { } stored
            && Parse(stored.Content) is { } upload && upload.Key == key)
            return upload with { Id = uploadId };
        throw new S3Exception(404, "NoSuchUpload", "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.");
    }

    /// <summary>Every upload in progress in the bucket, by key then initiation (uploads are few: each is read).</summary>
    public async Task<List<S3Upload>> ListAsync(S3Bucket bucket, CancellationToken ct)
    {
        var prefix = S3Layout.UploadsPrefix(bucket.Name);
        var all = new List<S3Upload>();
        await foreach (var entry in store.EnumerateAsync(prefix, null, ct))
            if (await store.GetAsync(entry.Key, ct) is { } stored && Parse(stored.Content) is { } upload)
                all.Add(upload with { Id = entry.Key[prefix.Length..] });
        return all.OrderBy(u => u.Key, StringComparer.Ordinal).ThenBy(u => u.Initiated).ThenBy(u => u.Id, StringComparer.Ordinal).ToList();
    }

    /// <summary>The parts uploaded so far, in part-number order.</summary>
    public async Task<List<(int Number, ObjectEntry Entry)>> PartsAsync(S3Bucket bucket, string uploadId, CancellationToken ct)
    {
        var prefix = S3Layout.PartsPrefix(bucket.Name, uploadId);
        var parts = new List<(int, ObjectEntry)>();
        await foreach (var entry in store.EnumerateAsync(prefix, null, ct))
            if (int.TryParse(entry.Key.AsSpan(prefix.Length), out var n)) parts.Add((n, entry));
        return parts;
    }

    /// <summary>Forgets the upload; parts not in <paramref name="keep"/> are deleted (all of them on abort).</summary>
    public async Task RemoveAsync(S3Bucket bucket, string uploadId, IReadOnlySet<string> keep, CancellationToken ct)
    {
        foreach (var (_, entry) in await PartsAsync(bucket, uploadId, ct))
            if (!keep.Contains(entry.Key)) await store.DeleteAsync(entry.Key, null, ct);
        await store.DeleteAsync(S3Layout.UploadKey(bucket.Name, uploadId), null, ct);
    }

    private static bool IsUploadId(string id) => id.Length == 32 && id.All(char.IsAsciiHexDigitLower);

    private static S3Upload? Parse(ReadOnlyMemory<byte> bytes)
    {
        try
        {
            return JsonSerializer.Deserialize<S3Upload>(bytes.Span, Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
