using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using LightS3.Hosting;
using LightS3.Model;
using LightS3.Validation;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace LightS3.Yaml.Config;

/// <summary>
/// Reads LightAPI's declarative YAML format (with <c>storage:</c> in place of <c>database:</c>) into endpoint
/// models — the same models attribute classes produce. Every problem is collected with its exact path and
/// position, e.g. <c>endpoints[1].fields.price.type: unknown type 'money' (line 14, column 16)</c>, and reported
/// together in one <see cref="ConfigurationException"/>: a host never starts half-configured.
/// </summary>
public sealed partial class YamlConfigReader
{
    private static readonly string[] TopKeys = ["storage", "cors_origins", "middleware", "defaults", "openapi", "admin", "endpoints", "webhooks", "migrations"];
    private static readonly string[] StorageKeys = ["url", "endpoint_url", "region", "create_bucket", "timeout_seconds", "delete_if_match_enforced"];
    private static readonly string[] DefaultsKeys = ["authentication", "pagination", "cache", "unknown_fields"];
    private static readonly string[] EndpointKeys = ["route", "fields", "meta", "reflect", "description"];
    private static readonly string[] OpenApiKeys = ["enabled", "path", "docs", "title", "version"];
    private static readonly string[] MetaKeys = ["methods", "authentication", "filtering", "pagination", "serializer", "cache", "unknown_fields", "collection", "table", "rate_limit", "soft_delete", "history", "track_actors", "ttl", "changes"];
    private static readonly string[] FieldKeys = ["type", "min_length", "max_length", "ge", "gt", "le", "lt", "pattern", "default", "optional", "unique", "index", "exclude", "decimal_places", "values", "fields", "items", "min_items", "max_items", "unique_items", "max_size", "content_types", "upload_expiry", "download_expiry", "expires", "to", "on_delete", "related_name"];
    private static readonly string[] AuthKeys = ["backend", "permission"];
    private static readonly string[] Backends = ["JWTAuthentication"];
    private static readonly string[] BuiltInPermissions = [AccessRule.AllowAnyName, "IsAuthenticated", "IsAdminUser"];
    private static readonly string[] KnownMiddleware = ["CORSMiddleware"];

    private static readonly Dictionary<string, FieldKind> Types = new(StringComparer.Ordinal)
    {
        ["str"] = FieldKind.String, ["string"] = FieldKind.String,
        ["int"] = FieldKind.Int, ["integer"] = FieldKind.Int, ["long"] = FieldKind.Long,
        ["float"] = FieldKind.Double, ["double"] = FieldKind.Double, ["decimal"] = FieldKind.Decimal,
        ["bool"] = FieldKind.Bool, ["boolean"] = FieldKind.Bool,
        ["datetime"] = FieldKind.DateTime, ["uuid"] = FieldKind.Guid, ["enum"] = FieldKind.Enum,
        ["object"] = FieldKind.Object, ["list"] = FieldKind.List, ["map"] = FieldKind.Map, ["json"] = FieldKind.Json, ["file"] = FieldKind.File, ["ref"] = FieldKind.String,
    };

    private readonly YamlProblems _problems = new();
    private readonly Func<string, string?> _environment;
    private readonly IReadOnlySet<string> _permissions;
    private readonly string _source;
    private readonly Dictionary<string, Mark> _routeMarks = new(StringComparer.Ordinal);
    private readonly HashSet<FieldModel> _untyped = new(ReferenceEqualityComparer.Instance);

    /// <summary>A field whose type could not be read, stripped of the constraints that depend on a type.</summary>
    private static FieldModel Untyped(FieldModel f) => f with { MinLength = null, MaxLength = null, Pattern = null, Ge = null, Gt = null, Le = null, Lt = null, DecimalPlaces = null, Kind = FieldKind.String };

    private YamlConfigReader(string source, Func<string, string?> environment, IEnumerable<string> customPermissions)
    {
        _source = source;
        _environment = environment;
        _permissions = BuiltInPermissions.Concat(customPermissions).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Reads a YAML file.</summary>
    public static YamlConfig ReadFile(string path, Func<string, string?>? environment = null, IEnumerable<string>? customPermissions = null)
    {
        if (!File.Exists(path)) throw new ConfigurationException($"{path}: configuration file not found");
        return Read(File.ReadAllText(path), Path.GetFileName(path), environment, customPermissions);
    }

    /// <summary>Reads YAML text; <paramref name="environment"/> resolves <c>${VAR}</c> (default: process environment).</summary>
    public static YamlConfig Read(string yaml, string source = "lightapi.yaml", Func<string, string?>? environment = null, IEnumerable<string>? customPermissions = null)
    {
        var reader = new YamlConfigReader(source, environment ?? Environment.GetEnvironmentVariable, customPermissions ?? []);
        var config = reader.ReadDocument(yaml);
        if (reader._problems.All.Count > 0 || config is null)
            throw new ConfigurationException(reader._problems.All.Select(p => $"{source}: {p}").ToList());
        return config;
    }

    private YamlConfig? ReadDocument(string yaml)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            _problems.Add("(document)", $"invalid YAML: {e.InnerException?.Message ?? e.Message}", e.Start);
            return null;
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            _problems.Add("(document)", "must be a mapping with an 'endpoints' list", stream.Documents.FirstOrDefault()?.RootNode);
            return null;
        }
        CheckKeys(root, "", TopKeys);

        var storage = ReadStorage(Child(root, "storage"), "storage");
        var cors = StringList(Child(root, "cors_origins"), "cors_origins");
        var middleware = StringList(Child(root, "middleware"), "middleware");
        for (var i = 0; i < middleware.Count; i++)
            if (!KnownMiddleware.Contains(middleware[i]))
                _problems.Add($"middleware[{i}]", $"unknown middleware '{middleware[i]}' (known: {string.Join(", ", KnownMiddleware)})", ((YamlSequenceNode)Child(root, "middleware")!).Children[i]);

        var defaults = ReadDefaults(Child(root, "defaults"));
        var endpoints = new List<YamlEndpoint>();
        if (Child(root, "endpoints") is not YamlSequenceNode list || list.Children.Count == 0)
            _problems.Add("endpoints", "a non-empty list of endpoints is required", Child(root, "endpoints") ?? (YamlNode)root);
        else
            for (var i = 0; i < list.Children.Count; i++)
                if (ReadEndpoint(list.Children[i], $"endpoints[{i}]", defaults) is { } e) endpoints.Add(e);

        foreach (var dup in endpoints.GroupBy(e => e.Model.Route, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
            foreach (var e in dup.Skip(1))
                _problems.Add($"{e.Path}.route", $"duplicate route '{e.Model.Route}' (also {dup.First().Path})", _routeMarks.TryGetValue(e.Path, out var mark) ? mark : null);
        CheckRefTargets(endpoints);
        return new YamlConfig(storage, cors, middleware, endpoints)
        {
            OpenApi = ReadOpenApi(Child(root, "openapi"), "openapi"), Admin = Child(root, "admin") is { } admin ? Bool(admin, "admin") : null,
            Webhooks = ReadWebhooks(Child(root, "webhooks"), endpoints),
            Migrations = ReadMigrations(Child(root, "migrations"), endpoints), MigrationFunctions = _functionSlots,
        };
    }

    private sealed record Defaults(AuthSpec? Authentication, PaginationSpec? Pagination, CacheSpec? Cache, UnknownFieldPolicy? UnknownFields);

    private Defaults ReadDefaults(YamlNode? node)
    {
        if (node is null) return new Defaults(null, null, null, null);
        if (Map(node, "defaults") is not { } map) return new Defaults(null, null, null, null);
        CheckKeys(map, "defaults", DefaultsKeys);
        return new Defaults(
            Child(map, "authentication") is { } a ? new AuthSpec(ReadRule(a, "defaults.authentication"), new Dictionary<HttpVerbs, AccessRule>()) : null,
            ReadPagination(Child(map, "pagination"), "defaults.pagination"),
            ReadCache(Child(map, "cache"), "defaults.cache"),
            ReadUnknownFields(Child(map, "unknown_fields"), "defaults.unknown_fields"));
    }

    // ---------------- storage ----------------

    private StorageSettings ReadStorage(YamlNode? node, string path)
    {
        if (node is null) return new StorageSettings(StorageKind.File, DataDir: "./data");
        if (Map(node, path) is not { } map) return new StorageSettings(StorageKind.File);
        CheckKeys(map, path, StorageKeys);
        var urlNode = Child(map, "url");
        var url = urlNode is null ? "file:./data" : Scalar(urlNode, $"{path}.url") ?? "";
        StorageSettings settings;
        if (url.StartsWith("s3://", StringComparison.Ordinal))
        {
            var rest = url[5..];
            var slash = rest.IndexOf('/');
            var bucket = slash < 0 ? rest : rest[..slash];
            if (bucket.Length == 0) _problems.Add($"{path}.url", "an s3:// URL needs a bucket: s3://bucket/prefix", urlNode);
            settings = new StorageSettings(StorageKind.S3, bucket, slash < 0 ? "" : rest[(slash + 1)..].Trim('/'));
        }
        else if (url.StartsWith("file:", StringComparison.Ordinal))
            settings = new StorageSettings(StorageKind.File, DataDir: url[5..].Length == 0 ? "./data" : url[5..]);
        else if (url is "memory:" or "memory")
            settings = new StorageSettings(StorageKind.Memory);
        else
        {
            _problems.Add($"{path}.url", $"unknown storage url '{url}' (use s3://bucket/prefix, file:./data or memory:)", urlNode);
            settings = new StorageSettings(StorageKind.File);
        }
        return settings with
        {
            EndpointUrl = Child(map, "endpoint_url") is { } e ? Scalar(e, $"{path}.endpoint_url") : null,
            Region = Child(map, "region") is { } r ? Scalar(r, $"{path}.region") : null,
            CreateBucket = Child(map, "create_bucket") is { } c ? Bool(c, $"{path}.create_bucket") : null,
            TimeoutSeconds = Child(map, "timeout_seconds") is { } t ? (double?)Number(t, $"{path}.timeout_seconds") : null,
            DeleteIfMatchEnforced = Child(map, "delete_if_match_enforced") is { } d ? Bool(d, $"{path}.delete_if_match_enforced") : null,
        };
    }

    // ---------------- openapi ----------------

    private OpenApiYamlSettings? ReadOpenApi(YamlNode? node, string path)
    {
        if (node is null) return null;
        if (node is YamlScalarNode) return Bool(node, path) is { } on ? new OpenApiYamlSettings(Enabled: on) : null;
        if (Map(node, path) is not { } map) return null;
        CheckKeys(map, path, OpenApiKeys);
        string? Path(string key)
        {
            if (Child(map, key) is not { } n || Scalar(n, $"{path}.{key}") is not { } text) return null;
            if (text.StartsWith('/')) return text;
            _problems.Add($"{path}.{key}", $"'{text}' must be a path starting with '/'", n);
            return null;
        }
        var docsOff = Child(map, "docs") is YamlScalarNode { Value: "false" or "False" or "no" };
        return new OpenApiYamlSettings(
            Enabled: Child(map, "enabled") is { } e ? Bool(e, $"{path}.enabled") : null,
            Path: Path("path"),
            DocsPath: docsOff ? null : Path("docs"),
            DocsOff: docsOff,
            Title: Child(map, "title") is { } t ? Scalar(t, $"{path}.title") : null,
            Version: Child(map, "version") is { } v ? Scalar(v, $"{path}.version") : null);
    }

    // ---------------- endpoints ----------------

    private YamlEndpoint? ReadEndpoint(YamlNode node, string path, Defaults defaults)
    {
        if (Map(node, path) is not { } map) return null;
        CheckKeys(map, path, EndpointKeys);
        var routeNode = Child(map, "route");
        if (routeNode is not null) _routeMarks[path] = routeNode.Start;
        string? route = null;
        if (routeNode is null) _problems.Add(path, "missing 'route'", node);
        else if (Scalar(routeNode, $"{path}.route") is { } r && (route = EndpointModelValidator.NormalizeRoute(r)) is null)
            _problems.Add($"{path}.route", $"route '{r}' must look like /name or /name/sub (letters, digits, '-', '_')", routeNode);

        var reflect = ReflectMode.None;
        if (Child(map, "reflect") is { } reflectNode)
        {
            var text = Scalar(reflectNode, $"{path}.reflect");
            reflect = text switch { "true" => ReflectMode.Full, "false" => ReflectMode.None, "partial" => ReflectMode.Partial, _ => Invalid(reflectNode, $"{path}.reflect", "must be true, false or partial", ReflectMode.None) };
        }

        var fields = new List<FieldModel>();
        var fieldsNode = Child(map, "fields");
        if (fieldsNode is null && reflect != ReflectMode.Full) _problems.Add(path, "missing 'fields' (or use reflect: true)", node);
        if (fieldsNode is not null && Map(fieldsNode, $"{path}.fields") is { } fieldMap)
            foreach (var (key, value) in fieldMap.Children)
            {
                var name = ((YamlScalarNode)key).Value ?? "";
                if (ReadField(name, value, $"{path}.fields.{name}") is { } f) fields.Add(f);
            }

        var meta = Child(map, "meta") is { } m ? Map(m, $"{path}.meta") : null;
        if (meta is not null) CheckKeys(meta, $"{path}.meta", MetaKeys);
        var metaPath = $"{path}.meta";
        var (methods, perMethod) = ReadMethods(meta is null ? null : Child(meta, "methods"), $"{metaPath}.methods");
        var authDefault = meta is not null && Child(meta, "authentication") is { } authNode ? ReadRule(authNode, $"{metaPath}.authentication") : defaults.Authentication?.Default;
        var collection = meta is not null && Child(meta, "collection") is { } cn ? Scalar(cn, $"{metaPath}.collection") : null;
        var table = meta is not null && Child(meta, "table") is { } tn ? Scalar(tn, $"{metaPath}.table") : null;
        if (table is not null && (table.Contains("..", StringComparison.Ordinal) || table.Trim('/').Length == 0))
            _problems.Add($"{metaPath}.table", $"'{table}' is not a usable prefix", Child(meta!, "table"));
        if (route is null) return null;

        var model = new EndpointModel(route, collection ?? EndpointModelValidator.CollectionOf(route), fields)
        {
            Methods = methods,
            Authentication = authDefault is null && perMethod.Count == 0 ? null : new AuthSpec(authDefault ?? AccessRule.AllowAny, perMethod),
            Filtering = meta is not null && Child(meta, "filtering") is { } fl ? ReadFiltering(fl, $"{metaPath}.filtering") : FilteringSpec.None,
            Pagination = (meta is not null ? ReadPagination(Child(meta, "pagination"), $"{metaPath}.pagination") : null) ?? defaults.Pagination ?? PaginationSpec.None,
            Serializer = meta is not null && Child(meta, "serializer") is { } sn ? ReadSerializer(sn, $"{metaPath}.serializer") : SerializerSpec.All,
            Cache = (meta is not null ? ReadCache(Child(meta, "cache"), $"{metaPath}.cache") : null) ?? defaults.Cache,
            RateLimit = meta is not null ? ReadRateLimit(Child(meta, "rate_limit"), $"{metaPath}.rate_limit") : null,
            UnknownFields = (meta is not null ? ReadUnknownFields(Child(meta, "unknown_fields"), $"{metaPath}.unknown_fields") : null) ?? defaults.UnknownFields,
            RecordsPath = reflect != ReflectMode.None ? (table ?? route.Trim('/')).Trim('/') : table?.Trim('/'),
            Source = $"{_source} {path}",
            Time = ReadTime(meta, metaPath, fieldsNode, $"{path}.fields"),
        };
        // the model-level checks attribute classes get too, each reported at the key that causes each (not the endpoint's line); a field whose type is unknown was already reported, so
        // its constraints are not checked against a type it does not have (no "ge/gt/le/lt apply to numbers only" after "unknown type")
        if (reflect == ReflectMode.None)
            foreach (var problem in EndpointModelValidator.Problems(model.With(fields: fields.Select(f => _untyped.Contains(f) ? Untyped(f) : f).ToList())))
            {
                var message = problem[(problem.IndexOf(": ", StringComparison.Ordinal) + 2)..];
                var (at, where) = ModelProblemLocator.Locate(map, path, message);
                _problems.Add(at, message, where);
            }
        return new YamlEndpoint(model, reflect, path) { Description = Child(map, "description") is { } dn ? Scalar(dn, $"{path}.description") : null };
    }

    private FieldModel? ReadField(string name, YamlNode node, string path)
    {
        // list items and map values may be written as a bare type name: `items: str`
        if (node is YamlScalarNode && name == ElementName)
        {
            if (Scalar(node, path) is not { } typeName) return null;
            if (!Types.TryGetValue(typeName, out var bare))
            {
                _problems.Add(path, $"unknown type '{typeName}' (use {string.Join(", ", Types.Keys)})", node);
                return null;
            }
            if (bare is FieldKind.Object or FieldKind.List or FieldKind.Map or FieldKind.Enum || typeName == "ref")
            {
                _problems.Add(path, $"a '{typeName}' item needs a field spec ({{ type: {typeName}, ... }})", node);
                return null;
            }
            return new FieldModel { Name = name, Kind = bare, Required = true };
        }
        if (Map(node, path) is not { } map) return null;
        CheckKeys(map, path, FieldKeys);
        if (Child(map, "exclude") is { } ex && Bool(ex, $"{path}.exclude") == true) return null;
        var typeNode = Child(map, "type");
        FieldKind kind = FieldKind.String;
        var typeKnown = false;
        if (typeNode is null) _problems.Add(path, "missing 'type'", node);
        else if (Scalar(typeNode, $"{path}.type") is { } t && !(typeKnown = Types.TryGetValue(t, out kind)))
            _problems.Add($"{path}.type", $"unknown type '{t}' (use {string.Join(", ", Types.Keys)})", typeNode);

        var optional = Child(map, "optional") is { } o && Bool(o, $"{path}.optional") == true;
        var values = Child(map, "values") is { } v && kind != FieldKind.Map ? StringList(v, $"{path}.values") : [];
        // an enum without values is a model-level problem (reported once, at the field's type)
        Regex? pattern = null;
        if (Child(map, "pattern") is { } pn && Scalar(pn, $"{path}.pattern") is { } ptext)
        {
            try { pattern = new Regex(ptext, RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100)); }
            catch (ArgumentException e) { _problems.Add($"{path}.pattern", $"invalid pattern: {e.Message}", pn); }
        }
        var field = new FieldModel
        {
            Name = name,
            Kind = kind,
            Nullable = optional,
            Required = !optional,
            MinLength = Child(map, "min_length") is { } a ? Int(a, $"{path}.min_length") : null,
            MaxLength = Child(map, "max_length") is { } b ? Int(b, $"{path}.max_length") : null,
            Ge = Child(map, "ge") is { } ge ? Number(ge, $"{path}.ge") : null,
            Gt = Child(map, "gt") is { } gt ? Number(gt, $"{path}.gt") : null,
            Le = Child(map, "le") is { } le ? Number(le, $"{path}.le") : null,
            Lt = Child(map, "lt") is { } lt ? Number(lt, $"{path}.lt") : null,
            Pattern = pattern,
            DecimalPlaces = Child(map, "decimal_places") is { } dp ? Int(dp, $"{path}.decimal_places") : null,
            Unique = Child(map, "unique") is { } u && Bool(u, $"{path}.unique") == true,
            Index = Child(map, "index") is { } ix && Bool(ix, $"{path}.index") == true,
            EnumValues = values,
        };
        if (!typeKnown) _untyped.Add(field);
        if (typeKnown && Scalar(typeNode!, $"{path}.type") == "ref") field = ReadRef(map, field, path, node);
        else CheckNotRef(map, path);
        if (kind == FieldKind.File) return ReadFileField(map, field, path, node);
        foreach (var key in new[] { "max_size", "content_types", "upload_expiry", "download_expiry" })
            if (Child(map, key) is { } fileOnly) _problems.Add($"{path}.{key}", "applies to file fields only (type: file)", fileOnly);
        if (kind is FieldKind.Object or FieldKind.List or FieldKind.Map or FieldKind.Json)
            return ReadComposite(field, map, path, node);
        foreach (var key in new[] { "fields", "items", "min_items", "max_items", "unique_items" })
            if (Child(map, key) is { } misplaced) _problems.Add($"{path}.{key}", $"'{key}' applies to {(key == "fields" ? "object" : "list")} fields only", misplaced);
        if (typeKnown && Child(map, "default") is { } dn && Scalar(dn, $"{path}.default") is { } dtext)
        {
            if (FieldValues.TryParse(field, dtext, out var canonical, out var error)) field = field with { Default = canonical, Required = false };
            else _problems.Add($"{path}.default", $"'{dtext}' {error}", dn);
        }
        return field;
    }

    private const string ElementName = "items";

    /// <summary>The rest of an object, list, map or json field: nested fields, item or value spec, item counts.</summary>
    private FieldModel? ReadComposite(FieldModel field, YamlMappingNode map, string path, YamlNode node)
    {
        if (Child(map, "default") is { } dn)
            _problems.Add($"{path}.default", "object, list, map and json fields take no default (an omitted list or map is stored empty unless optional; an omitted object is built from its fields' defaults)", dn);
        var items = Child(map, "items");
        var fieldsNode = Child(map, "fields");
        var valuesNode = field.Kind == FieldKind.Map ? Child(map, "values") : null;
        if (items is not null && field.Kind != FieldKind.List) _problems.Add($"{path}.items", "'items' applies to list fields only", items);
        if (fieldsNode is not null && field.Kind != FieldKind.Object) _problems.Add($"{path}.fields", "'fields' applies to object fields only", fieldsNode);
        if (field.Kind != FieldKind.List)
            foreach (var key in new[] { "min_items", "max_items", "unique_items" })
                if (Child(map, key) is { } misplaced) _problems.Add($"{path}.{key}", $"'{key}' applies to list fields only", misplaced);
        switch (field.Kind)
        {
            case FieldKind.Object:
                var nested = new List<FieldModel>();
                if (fieldsNode is null) _problems.Add(path, "an object needs 'fields'", node);
                else if (Map(fieldsNode, $"{path}.fields") is { } fieldMap)
                    foreach (var (key, value) in fieldMap.Children)
                    {
                        var name = ((YamlScalarNode)key).Value ?? "";
                        if (ReadField(name, value, $"{path}.fields.{name}") is { } f) nested.Add(f);
                    }
                field = field with { Fields = nested };
                break;
            case FieldKind.List:
                if (items is null) _problems.Add(path, "a list needs 'items' (a type name or a field spec)", node);
                field = field with
                {
                    Element = items is null ? null : ElementOf(items, $"{path}.items"),
                    MinItems = Child(map, "min_items") is { } min ? Int(min, $"{path}.min_items") : null,
                    MaxItems = Child(map, "max_items") is { } max ? Int(max, $"{path}.max_items") : null,
                    UniqueItems = Child(map, "unique_items") is { } u && Bool(u, $"{path}.unique_items") == true,
                };
                break;
            case FieldKind.Map:
                if (valuesNode is null) _problems.Add(path, "a map needs 'values' (a type name or a field spec)", node);
                field = field with { Element = valuesNode is null ? null : ElementOf(valuesNode, $"{path}.values") };
                break;
        }
        if ((field.Kind == FieldKind.List || field.Kind == FieldKind.Map) && field.Element is null) return null;
        return CompositeValues.WithImpliedDefault(field);
    }

    private FieldModel? ElementOf(YamlNode node, string path)
    {
        return ReadField(ElementName, node, path);
    }

    /// <summary>A file field: <c>max_size</c> (bytes, or with KB/MB/GB), <c>content_types</c>, <c>upload_expiry</c>/<c>download_expiry</c> in seconds.</summary>
    private FieldModel ReadFileField(YamlMappingNode map, FieldModel field, string path, YamlNode node)
    {
        var spec = new FileSpec();
        if (Child(map, "max_size") is { } ms && Scalar(ms, $"{path}.max_size") is { } text)
        {
            if (FileSpec.ParseSize(text) is { } bytes) spec = spec with { MaxBytes = bytes };
            else _problems.Add($"{path}.max_size", $"'{text}' is not a size (use bytes, or a number with KB, MB or GB, e.g. 5MB)", ms);
        }
        if (Child(map, "content_types") is { } cts) spec = spec with { ContentTypes = StringList(cts, $"{path}.content_types") };
        if (Child(map, "upload_expiry") is { } ue && Int(ue, $"{path}.upload_expiry") is { } up) spec = spec with { UploadExpiry = TimeSpan.FromSeconds(up) };
        if (Child(map, "download_expiry") is { } de && Int(de, $"{path}.download_expiry") is { } down) spec = spec with { DownloadExpiry = TimeSpan.FromSeconds(down) };
        if (Child(map, "default") is { } dn) _problems.Add($"{path}.default", "a file field has no default", dn);
        if (Child(map, "optional") is { } op && Bool(op, $"{path}.optional") == false) _problems.Add($"{path}.optional", "a file field is always optional", op);
        _ = node;
        return field with { File = spec, Nullable = true, Required = false };
    }

    private (HttpVerbs, IReadOnlyDictionary<HttpVerbs, AccessRule>) ReadMethods(YamlNode? node, string path)
    {
        var perMethod = new Dictionary<HttpVerbs, AccessRule>();
        if (node is null) return (HttpVerbs.All, perMethod);
        var verbs = HttpVerbs.None;
        if (node is YamlSequenceNode seq)
        {
            for (var i = 0; i < seq.Children.Count; i++)
                if (Scalar(seq.Children[i], $"{path}[{i}]") is { } name)
                    verbs |= Verb(name, $"{path}[{i}]", seq.Children[i]);
        }
        else if (node is YamlMappingNode map)
        {
            foreach (var (key, value) in map.Children)
            {
                var name = ((YamlScalarNode)key).Value ?? "";
                var verb = Verb(name, $"{path}.{name}", key);
                verbs |= verb;
                if (value is YamlScalarNode { Value: null or "" or "~" or "null" }) continue;
                if (Map(value, $"{path}.{name}") is not { } vm) continue;
                CheckKeys(vm, $"{path}.{name}", ["authentication"]);
                if (Child(vm, "authentication") is { } a && verb != HttpVerbs.None) perMethod[verb] = ReadRule(a, $"{path}.{name}.authentication");
            }
        }
        else _problems.Add(path, "must be a list of methods or a mapping of method to options", node);
        return (verbs, perMethod);
    }

    private HttpVerbs Verb(string name, string path, YamlNode node) =>
        HttpVerbNames.Parse(name) is { } v ? v : Invalid(node, path, $"unknown method '{name}' (use GET, POST, PUT, PATCH, DELETE)", HttpVerbs.None);

    private AccessRule ReadRule(YamlNode node, string path)
    {
        if (Map(node, path) is not { } map) return AccessRule.AllowAny;
        CheckKeys(map, path, AuthKeys);
        if (Child(map, "backend") is { } b && Scalar(b, $"{path}.backend") is { } backend && !Backends.Contains(backend))
            _problems.Add($"{path}.backend", $"unknown backend '{backend}' (use {string.Join(", ", Backends)})", b);
        var permission = Child(map, "permission") is { } p ? Scalar(p, $"{path}.permission") : null;
        if (permission is not null && !_permissions.Contains(permission) && PolicyPermission.NameIn(permission) is null)
            _problems.Add($"{path}.permission", $"unknown permission '{permission}' (use {string.Join(", ", _permissions)}, or policy:NAME for a host authorization policy)", Child(map, "permission"));
        // a backend without a permission means "authenticated", as in LightAPI
        return new AccessRule(permission ?? "IsAuthenticated");
    }

    private FilteringSpec ReadFiltering(YamlNode node, string path)
    {
        if (Map(node, path) is not { } map) return FilteringSpec.None;
        CheckKeys(map, path, ["fields", "search", "ordering", "backends"]);
        return new FilteringSpec(StringList(Child(map, "fields"), $"{path}.fields"), StringList(Child(map, "search"), $"{path}.search"), StringList(Child(map, "ordering"), $"{path}.ordering"));
    }

    private PaginationSpec? ReadPagination(YamlNode? node, string path)
    {
        if (node is null || Map(node, path) is not { } map) return null;
        CheckKeys(map, path, ["style", "page_size", "max_page_size"]);
        var style = PaginationStyle.PageNumber;
        if (Child(map, "style") is { } s)
            style = Scalar(s, $"{path}.style") switch
            {
                "page_number" => PaginationStyle.PageNumber,
                "cursor" => PaginationStyle.Cursor,
                "none" => PaginationStyle.None,
                var other => Invalid(s, $"{path}.style", $"unknown style '{other}' (use page_number, cursor or none)", PaginationStyle.None),
            };
        var size = Child(map, "page_size") is { } ps ? Int(ps, $"{path}.page_size") ?? 20 : 20;
        var max = Child(map, "max_page_size") is { } mp ? Int(mp, $"{path}.max_page_size") ?? 100 : Math.Max(100, size);
        return new PaginationSpec(style, size, max);
    }

    private SerializerSpec ReadSerializer(YamlNode node, string path)
    {
        if (Map(node, path) is not { } map) return SerializerSpec.All;
        CheckKeys(map, path, ["fields", "read", "write"]);
        var fields = Child(map, "fields") is { } f ? StringList(f, $"{path}.fields") : null;
        return new SerializerSpec(Child(map, "read") is { } r ? StringList(r, $"{path}.read") : fields, Child(map, "write") is { } w ? StringList(w, $"{path}.write") : fields);
    }

    private CacheSpec? ReadCache(YamlNode? node, string path)
    {
        if (node is null || Map(node, path) is not { } map) return null;
        CheckKeys(map, path, ["ttl", "vary_on"]);
        var ttl = Child(map, "ttl") is { } t ? Int(t, $"{path}.ttl") : null;
        if (ttl is null or < 1) { _problems.Add($"{path}.ttl", "a positive number of seconds is required", Child(map, "ttl") ?? node); return null; }
        return new CacheSpec(ttl.Value, StringList(Child(map, "vary_on"), $"{path}.vary_on"));
    }

    private RateLimitSpec? ReadRateLimit(YamlNode? node, string path)
    {
        if (node is null || Map(node, path) is not { } map) return null;
        CheckKeys(map, path, ["requests", "per_seconds"]);
        var requests = Child(map, "requests") is { } r ? Int(r, $"{path}.requests") : null;
        var seconds = Child(map, "per_seconds") is { } s ? Int(s, $"{path}.per_seconds") : null;
        if (requests is null or < 1 || seconds is null or < 1)
        {
            _problems.Add(path, "needs positive 'requests' and 'per_seconds'", node);
            return null;
        }
        return new RateLimitSpec(requests.Value, TimeSpan.FromSeconds(seconds.Value));
    }

    private UnknownFieldPolicy? ReadUnknownFields(YamlNode? node, string path) => node is null
        ? null
        : Scalar(node, path) switch
        {
            "reject" => UnknownFieldPolicy.Reject,
            "ignore" => UnknownFieldPolicy.Ignore,
            var other => Invalid(node, path, $"'{other}' must be reject or ignore", (UnknownFieldPolicy?)null),
        };

    // ---------------- primitives ----------------

    private static YamlNode? Child(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    private YamlMappingNode? Map(YamlNode node, string path)
    {
        if (node is YamlMappingNode map) return map;
        _problems.Add(path, "must be a mapping", node);
        return null;
    }

    private void CheckKeys(YamlMappingNode map, string path, string[] allowed)
    {
        foreach (var key in map.Children.Keys)
        {
            var name = (key as YamlScalarNode)?.Value ?? "?";
            if (!allowed.Contains(name))
                _problems.Add(path.Length == 0 ? name : $"{path}.{name}", $"unknown key '{name}' (allowed: {string.Join(", ", allowed)})", key);
        }
    }

    private string? Scalar(YamlNode node, string path)
    {
        if (node is not YamlScalarNode scalar)
        {
            _problems.Add(path, "must be a single value", node);
            return null;
        }
        var text = EnvironmentSubstitution.Apply(scalar.Value ?? "", _environment, out var missing);
        foreach (var name in missing) _problems.Add(path, $"environment variable '{name}' is not set and has no default (use ${{{name}:-default}})", node);
        return text;
    }

    private IReadOnlyList<string> StringList(YamlNode? node, string path)
    {
        if (node is null) return [];
        if (node is not YamlSequenceNode seq)
        {
            _problems.Add(path, "must be a list", node);
            return [];
        }
        return seq.Children.Select((c, i) => Scalar(c, $"{path}[{i}]")).Where(s => s is not null).Select(s => s!).ToList();
    }

    private bool? Bool(YamlNode node, string path) => Scalar(node, path) switch
    {
        "true" or "True" or "yes" => true,
        "false" or "False" or "no" => false,
        null => null,
        var other => Invalid(node, path, $"'{other}' must be true or false", (bool?)null),
    };

    private int? Int(YamlNode node, string path) => Scalar(node, path) is { } text
        ? int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n : Invalid(node, path, $"'{text}' must be an integer", (int?)null)
        : null;

    private decimal? Number(YamlNode node, string path) => Scalar(node, path) is { } text
        ? decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) ? n : Invalid(node, path, $"'{text}' must be a number", (decimal?)null)
        : null;

    private T Invalid<T>(YamlNode node, string path, string message, T fallback)
    {
        _problems.Add(path, message, node);
        return fallback;
    }
}
