using LightS3.Documents;

namespace LightS3;

/// <summary>
/// The app's document store, from DI (Marten-style): one <see cref="RecordRepository"/> per collection, shared by the
/// HTTP endpoints, the auth module, background jobs, the YAML host and user code — the same unique markers, indexes,
/// record cache and change log whichever of them writes. Reach a collection by its endpoint type
/// (<see cref="For{T}"/>) or by its collection name; never through a route string.
/// </summary>
public interface IDocumentStore
{
    /// <summary>Every collection opened so far: the registered endpoints' and the auth module's.</summary>
    IReadOnlyCollection<RecordRepository> Collections { get; }

    /// <summary>The collection named <paramref name="collection"/> (its storage name, e.g. <c>books</c>).</summary>
    /// <exception cref="ArgumentException">No collection of that name is open.</exception>
    RecordRepository Collection(string collection);

    /// <summary>
    /// The collection served by <typeparamref name="T"/>: an endpoint class (<c>BookEndpoint</c>), a
    /// <c>RestHandler&lt;TRecord&gt;</c> or its record type.
    /// </summary>
    /// <exception cref="ArgumentException"><typeparamref name="T"/> serves no registered endpoint.</exception>
    RecordRepository For<T>();
}
