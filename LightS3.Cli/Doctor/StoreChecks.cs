using System.Text;
using LightS3.Storage;

namespace LightS3.Cli.Doctor;

/// <summary>
/// The same questions as <see cref="S3Checks"/> asked of a store that is not S3 (the embedded file store, memory), through
/// its <see cref="IObjectStore"/> contract: a key under <c>_lights3-doctor/</c>, removed afterwards.
/// </summary>
public sealed class StoreChecks(IObjectStore store)
{
    /// <summary>Runs the checks.</summary>
    public async Task<IReadOnlyList<DoctorResult>> RunAsync(CancellationToken ct)
    {
        var key = $"_lights3-doctor/{Guid.NewGuid():N}.json";
        var results = new List<DoctorResult>();
        try
        {
            var body = Encoding.UTF8.GetBytes($"{{\"probe\":\"{Guid.NewGuid():N}\"}}");
            string etag;
            try
            {
                etag = await store.PutAsync(key, body, WriteCondition.IfNoneMatch, ct);
                results.Add(new("write", DoctorStatus.Ok, $"{store.Kind} store accepts writes", "records can be created and updated"));
            }
            catch (Exception e) when (e is StorageException or IOException or UnauthorizedAccessException)
            {
                results.Add(new("write", DoctorStatus.Fail, e.Message, "writes answer 503: check the data directory's permissions and free space"));
                return results;
            }
            var read = await store.GetAsync(key, ct);
            var listed = (await store.ListAsync("_lights3-doctor/", null, 1000, ct)).Entries.Any(e => e.Key == key);
            results.Add(read is not null && read.Content.Span.SequenceEqual(body) && listed
                ? new("read-after-write", DoctorStatus.Ok, "GET and LIST see the write at once", "reads after a write are current")
                : new("read-after-write", DoctorStatus.Fail, "stale", "reads may miss records just written"));
            results.Add(await RefusedAsync("PUT If-None-Match: *", () => store.PutAsync(key, "{}"u8.ToArray(), WriteCondition.IfNoneMatch, ct), "creates and unique markers are atomic"));
            results.Add(await RefusedAsync("PUT If-Match", () => store.PutAsync(key, "{}"u8.ToArray(), WriteCondition.IfMatch("0123456789abcdef0123456789abcdef"), ct), "updates are compare-and-swap"));
            results.Add(await RefusedAsync("DELETE If-Match", () => store.DeleteAsync(key, "0123456789abcdef0123456789abcdef", ct), "deletes are conditional"));
            _ = etag;
            results.Add(new("versioning", DoctorStatus.Ok, "n/a", "the embedded store keeps one version of each object"));
            results.Add(new("clock skew", DoctorStatus.Ok, "n/a (local store)", "one clock for writes and garbage collection"));
        }
        finally
        {
            try { await store.DeleteAsync(key, null, CancellationToken.None); } catch (StorageException) { }
        }
        return results;
    }

    private static async Task<DoctorResult> RefusedAsync(string check, Func<Task> stale, string meaning)
    {
        try
        {
            await stale();
            return new(check, DoctorStatus.Fail, "ignored", "this store does not honour its conditional-write contract: a bug, please report it");
        }
        catch (PreconditionFailedException)
        {
            return new(check, DoctorStatus.Ok, "enforced", meaning);
        }
    }
}
