using System.Diagnostics;
using LightS3.Storage;

namespace LightS3.Diagnostics;

/// <summary>
/// An <see cref="IObjectStore"/> decorator (registered with Scrutor's <c>Decorate</c>) that records a span and metrics
/// for every store operation: <see cref="LightS3Telemetry"/>. When nobody listens it costs two branch checks.
/// </summary>
/// <remarks>
/// It forwards the optional capabilities of the store under it (backward listing, range counts), so those calls are
/// observed too; where the store lacks one, <see cref="CanListBackwards"/> / <see cref="CanCount"/> say so.
/// </remarks>
public sealed class InstrumentedObjectStore(IObjectStore inner) : IReverseListingObjectStore, ICountingObjectStore, IObjectStoreDecorator
{
    /// <inheritdoc />
    public string Kind => inner.Kind;

    /// <inheritdoc />
    public bool AtomicConditionalDelete => inner.AtomicConditionalDelete;

    /// <summary>The decorated store.</summary>
    public IObjectStore Inner => inner;

    /// <inheritdoc />
    public Task<StoredObject?> GetAsync(string key, CancellationToken cancellationToken = default) =>
        Observe("get", key, () => inner.GetAsync(key, cancellationToken), r => r is null ? "not_found" : "ok");

    /// <inheritdoc />
    public Task<string> PutAsync(string key, ReadOnlyMemory<byte> content, WriteCondition condition, CancellationToken cancellationToken = default) =>
        Observe("put", key, () => inner.PutAsync(key, content, condition, cancellationToken), _ => "ok");

    /// <inheritdoc />
    public Task<bool> DeleteAsync(string key, string? ifMatch = null, CancellationToken cancellationToken = default) =>
        Observe("delete", key, () => inner.DeleteAsync(key, ifMatch, cancellationToken), r => r ? "ok" : "not_found");

    /// <inheritdoc />
    public Task<bool> DeleteObservedAsync(string key, string observedETag, CancellationToken cancellationToken = default) =>
        Observe("delete", key, () => inner.DeleteObservedAsync(key, observedETag, cancellationToken), r => r ? "ok" : "not_found");

    /// <inheritdoc />
    public Task<ObjectListing> ListAsync(string prefix, string? startAfter, int maxKeys, CancellationToken cancellationToken = default) =>
        Observe("list", prefix, () => inner.ListAsync(prefix, startAfter, maxKeys, cancellationToken), _ => "ok");

    /// <inheritdoc />
    public bool CanListBackwards => inner.BackwardLister() is not null;

    /// <inheritdoc />
    public bool CanCount => inner.Counter() is not null;

    /// <inheritdoc />
    public Task<ObjectListing> ListBeforeAsync(string prefix, string? endBefore, int maxKeys, CancellationToken cancellationToken = default) =>
        Observe("list", prefix, () => (inner.BackwardLister() ?? throw new NotSupportedException($"the {inner.Kind} store does not list backwards"))
            .ListBeforeAsync(prefix, endBefore, maxKeys, cancellationToken), _ => "ok");

    /// <inheritdoc />
    public Task<long> CountAsync(string prefix, string? startAfter, string? endBefore, string? exceptETag, CancellationToken cancellationToken = default) =>
        Observe("count", prefix, () => (inner.Counter() ?? throw new NotSupportedException($"the {inner.Kind} store does not count key ranges"))
            .CountAsync(prefix, startAfter, endBefore, exceptETag, cancellationToken), _ => "ok");

    private async Task<T> Observe<T>(string operation, string key, Func<Task<T>> call, Func<T, string> outcomeOf)
    {
        var measured = LightS3Telemetry.StoreRequests.Enabled || LightS3Telemetry.StoreDuration.Enabled;
        using var activity = LightS3Telemetry.Source.StartActivity($"lights3.store {operation}", ActivityKind.Client);
        if (activity is null && !measured) return await call();
        activity?.SetTag("lights3.store.kind", inner.Kind);
        activity?.SetTag("lights3.store.operation", operation);
        activity?.SetTag("lights3.store.key", key);
        var started = Stopwatch.GetTimestamp();
        var outcome = "error";
        try
        {
            var result = await call();
            outcome = outcomeOf(result);
            return result;
        }
        catch (PreconditionFailedException)
        {
            outcome = "precondition_failed";
            LightS3Telemetry.CasConflicts.Add(1, new KeyValuePair<string, object?>("lights3.store.operation", operation));
            throw;
        }
        catch (StorageUnavailableException e)
        {
            outcome = "unavailable";
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            throw;
        }
        catch (Exception e)
        {
            outcome = "error";
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            throw;
        }
        finally
        {
            activity?.SetTag("lights3.store.outcome", outcome);
            var tags = new TagList { { "lights3.store.operation", operation }, { "lights3.store.outcome", outcome } };
            LightS3Telemetry.StoreRequests.Add(1, tags);
            LightS3Telemetry.StoreDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, tags);
        }
    }
}
