namespace LightS3.Model;

/// <summary>
/// The runtime description of one endpoint. Attribute classes and YAML files are both read into this
/// model once, at registration; validation, storage, querying and HTTP handling work only from it.
/// </summary>
public sealed class EndpointModel
{
    private readonly Dictionary<string, FieldModel> _byName;

    /// <summary>Creates a model; <see cref="EndpointModelValidator"/> checks it before use.</summary>
    public EndpointModel(string route, string collection, IReadOnlyList<FieldModel> fields)
    {
        Route = route;
        Collection = collection;
        Fields = fields;
        _byName = fields.ToDictionary(f => f.Name, StringComparer.Ordinal);
    }

    /// <summary>The URL prefix, e.g. <c>/books</c>.</summary>
    public string Route { get; }

    /// <summary>The storage name; records live under <c>{collection}/records/</c>.</summary>
    public string Collection { get; }

    /// <summary>Declared fields (automatic fields excluded), in declaration order.</summary>
    public IReadOnlyList<FieldModel> Fields { get; }

    /// <summary>Enabled verbs; others answer 405 with an Allow header.</summary>
    public HttpVerbs Methods { get; init; } = HttpVerbs.All;

    /// <summary>Response field selection.</summary>
    public SerializerSpec Serializer { get; init; } = SerializerSpec.All;

    /// <summary>Which fields clients may filter, search and order by.</summary>
    public FilteringSpec Filtering { get; init; } = FilteringSpec.None;

    /// <summary>List pagination.</summary>
    public PaginationSpec Pagination { get; init; } = PaginationSpec.None;

    /// <summary>Who may call which verb; null means <see cref="AuthSpec.Open"/>.</summary>
    public AuthSpec? Authentication { get; init; }

    /// <summary>Per-client request limit; null means none.</summary>
    public RateLimitSpec? RateLimit { get; init; }

    /// <summary>Response caching; null means none.</summary>
    public CacheSpec? Cache { get; init; }

    /// <summary>
    /// Where records live when not under <c>{collection}/records/</c>: an existing prefix of JSON objects
    /// (reflected data), whose object names are the ids.
    /// </summary>
    public string? RecordsPath { get; init; }

    /// <summary>Per-endpoint override of how unknown JSON properties are treated; null uses the app default.</summary>
    public UnknownFieldPolicy? UnknownFields { get; init; }

    /// <summary>Soft delete, history, actors and expiry (docs/history.md).</summary>
    public TimeSpec Time { get; init; } = TimeSpec.None;

    /// <summary>The class that handles requests (a <c>RestEndpoint</c> subclass), or null for the default handler.</summary>
    public Type? HandlerType { get; init; }

    /// <summary>Where the declaration came from, for error messages ("class BookEndpoint", "lightapi.yaml endpoints[0]").</summary>
    public string Source { get; init; } = "";

    /// <summary>Looks a declared field up by JSON name.</summary>
    public FieldModel? Field(string name) => _byName.GetValueOrDefault(name);

    /// <summary>A copy with other fields and/or authentication; every other setting is kept.</summary>
    public EndpointModel With(IReadOnlyList<FieldModel>? fields = null, AuthSpec? authentication = null) => new(Route, Collection, fields ?? Fields)
    {
        Methods = Methods, Serializer = Serializer, Filtering = Filtering, Pagination = Pagination,
        Authentication = authentication ?? Authentication, Cache = Cache, RateLimit = RateLimit, RecordsPath = RecordsPath,
        UnknownFields = UnknownFields, HandlerType = HandlerType, Source = Source, Time = Time,
    };

    /// <summary>
    /// A queryable field by name: a declared scalar, an automatic field, a nested scalar by dotted path
    /// (<c>address.city</c>) or the elements of a list of scalars (see <see cref="FieldPaths"/>).
    /// </summary>
    public FieldModel? Resolve(string name) => (_byName.TryGetValue(name, out var f) && !f.IsComposite ? f : null)
                                               ?? AutoFieldModels.Find(name) ?? FieldPaths.Find(Fields, name);

    /// <summary>Indexed views: scalar fields at any depth of nested objects, and lists of scalars (one entry per element).</summary>
    public IEnumerable<FieldModel> IndexedFields => FieldPaths.Indexed(Fields);

    /// <summary>File fields (<see cref="FieldKind.File"/>).</summary>
    public IEnumerable<FieldModel> FileFields => Fields.Where(f => f.Kind == FieldKind.File);

    /// <summary>Fields with a unique constraint.</summary>
    public IEnumerable<FieldModel> UniqueFields => Fields.Where(f => f.Unique);
}

