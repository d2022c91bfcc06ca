using LightS3.Model;
using LightS3.Storage;
using Microsoft.Extensions.Options;

namespace LightS3.Documents;

/// <summary>
/// The DI-registered <see cref="IDocumentStore"/>: opens each collection's repository once, over the app's object
/// store, record cache and clock, so no component builds repositories of its own.
/// </summary>
public sealed class DocumentStore(IObjectStore store, RecordCache cache, TimeProvider time, IOptions<LightS3Options> options) : IDocumentStore
{
    private readonly Dictionary<string, RecordRepository> _byCollection = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <inheritdoc/>
    public IReadOnlyCollection<RecordRepository> Collections
    {
        get { lock (_lock) return _byCollection.Values.ToList(); }
    }

    /// <summary>
    /// The repository of <paramref name="model"/>'s collection, created on first use. Opening the same collection with
    /// another model is a configuration error: two models would disagree on its indexes and unique fields.
    /// </summary>
    public RecordRepository Open(EndpointModel model)
    {
        lock (_lock)
        {
            if (_byCollection.TryGetValue(model.Collection, out var open))
                return ReferenceEquals(open.Model, model)
                    ? open
                    : throw new ConfigurationException($"{model.Source}: collection '{model.Collection}' is already open for {open.Model.Source}");
            var repository = new RecordRepository(model, store, cache, time, options.Value.UniqueClaimGrace);
            _byCollection[model.Collection] = repository;
            return repository;
        }
    }

    /// <inheritdoc/>
    public RecordRepository Collection(string collection)
    {
        lock (_lock)
            return _byCollection.TryGetValue(collection, out var r)
                ? r
                : throw new ArgumentException($"no collection '{collection}' is open (registered endpoints open theirs)", nameof(collection));
    }

    /// <inheritdoc/>
    public RecordRepository For<T>()
    {
        lock (_lock)
            return _byCollection.Values.FirstOrDefault(r => Serves(r.Model.HandlerType, typeof(T)))
                ?? throw new ArgumentException($"{typeof(T).Name} serves no registered endpoint", nameof(T));
    }

    // The handler itself, or the record type a RestHandler<TRecord> (any generic base) serves.
    private static bool Serves(Type? handler, Type type)
    {
        if (handler is null) return false;
        if (handler == type) return true;
        for (var t = handler.BaseType; t is not null; t = t.BaseType)
            if (t.IsGenericType && t.GetGenericArguments().Contains(type) && !type.IsAssignableFrom(handler)) return true;
        return false;
    }
}
