using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using LightS3.Model;
using LightS3.Validation;

namespace LightS3.Endpoints;

/// <summary>
/// Reads a <see cref="RestEndpoint{TSelf}"/> subclass into an <see cref="EndpointModel"/>, once, by reflection.
/// Every public read/write property declared below the framework's base classes is a field; its CLR type
/// gives the <see cref="FieldKind"/> and nullability, <see cref="FieldAttribute"/> the constraints, and the
/// class attributes the Meta options. Any problem is a <see cref="ConfigurationException"/> naming the
/// class and property.
/// </summary>
internal static class AttributeModelReader
{
    private static readonly ConcurrentDictionary<Type, IReadOnlyList<FieldModel>> FieldCache = new();

    /// <summary>Builds the model of <paramref name="type"/> served at <paramref name="route"/>.</summary>
    public static EndpointModel Read(Type type, string route)
    {
        if (!typeof(RestEndpointBase).IsAssignableFrom(type) || type.IsAbstract || type.GetConstructor(Type.EmptyTypes) is null)
            throw new ConfigurationException($"class {type.Name}: an endpoint must be a non-abstract subclass of RestEndpoint<TSelf> with a public parameterless constructor");
        var normalized = EndpointModelValidator.NormalizeRoute(route)
            ?? throw new ConfigurationException($"class {type.Name}: route '{route}' must look like /name or /name/sub (letters, digits, '-', '_')");

        // a RestHandler<TRecord> takes its fields from TRecord, and class attributes from itself first, then TRecord
        var record = RecordTypeOf(type) ?? type;
        T? Attr<T>() where T : Attribute => type.GetCustomAttribute<T>() ?? (record == type ? null : record.GetCustomAttribute<T>());
        var model = new EndpointModel(normalized, Attr<CollectionAttribute>()?.Name ?? EndpointModelValidator.CollectionOf(normalized), FieldsOf(record))
        {
            Methods = Attr<AllowedMethodsAttribute>()?.Verbs ?? HttpVerbs.All,
            Serializer = SerializerOf(type.GetCustomAttribute<SerializerAttribute>() is null ? record : type),
            UnknownFields = Attr<UnknownFieldsAttribute>()?.Policy,
            Filtering = Attr<FilteringAttribute>() is { } f ? new FilteringSpec(f.Fields, f.Search, f.Ordering) : FilteringSpec.None,
            Pagination = Attr<PaginationAttribute>() is { } p ? new PaginationSpec(p.Style, p.PageSize, p.MaxPageSize) : PaginationSpec.None,
            Authentication = AuthOf(type) ?? (record == type ? null : AuthOf(record)),
            RateLimit = Attr<RateLimitAttribute>()?.Spec,
            Cache = Attr<CacheAttribute>() is { } c ? new CacheSpec(c.Ttl, c.VaryOn) : null,
            HandlerType = type,
            Source = $"class {type.Name}",
            Time = TimeSpecReader.Read(type),
        };
        EndpointModelValidator.EnsureValid(model);
        return model;
    }

    /// <summary>The record type of a <see cref="RestHandler{TRecord}"/> subclass; null for other classes.</summary>
    public static Type? RecordTypeOf(Type handler)
    {
        for (var t = handler; t is not null; t = t.BaseType)
            if (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(RestHandler<>)) return t.GetGenericArguments()[0];
        return null;
    }

    /// <summary>The fields of <paramref name="type"/> (cached per type).</summary>
    public static IReadOnlyList<FieldModel> FieldsOf(Type type) => FieldCache.GetOrAdd(type, ReadFields);

    private static IReadOnlyList<FieldModel> ReadFields(Type type)
    {
        var problems = new List<string>();
        var fields = new List<FieldModel>();
        foreach (var property in DeclaredProperties(type))
        {
            var attribute = property.GetCustomAttribute<FieldAttribute>() ?? new FieldAttribute();
            if (attribute.Exclude) continue;
            try
            {
                fields.Add(ReadField(property, attribute));
            }
            catch (ConfigurationException e)
            {
                problems.AddRange(e.Problems.Select(p => $"class {type.Name}, property {property.Name}: {p}"));
            }
        }
        foreach (var auto in fields.Where(f => AutoFields.All.Contains(f.Name)))
            problems.Add($"class {type.Name}, property {auto.Property!.Name}: '{auto.Name}' redeclares an automatic field (id, created_at, updated_at, version are maintained by LightS3)");
        foreach (var dup in fields.GroupBy(f => f.Name).Where(g => g.Count() > 1))
            problems.Add($"class {type.Name}: two properties map to the field name '{dup.Key}'");
        if (problems.Count > 0) throw new ConfigurationException(problems);
        return fields;
    }

    private static IEnumerable<PropertyInfo> DeclaredProperties(Type type)
    {
        // Walk from the framework base down so fields keep declaration order, base classes first.
        var chain = new List<Type>();
        for (var t = type; t is not null && !IsFrameworkType(t); t = t.BaseType) chain.Insert(0, t);
        return chain.SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .Where(p => p.GetMethod is { IsPublic: true } && p.SetMethod is { IsPublic: true } && p.GetIndexParameters().Length == 0);
    }

    private static bool IsFrameworkType(Type t) =>
        t == typeof(RestEndpointBase) || (t.IsGenericType && t.GetGenericTypeDefinition() is var g && (g == typeof(RestEndpoint<>) || g == typeof(RestHandler<>))) || t == typeof(object);

    private static FieldModel ReadField(PropertyInfo property, FieldAttribute a) => ReadField(property, a, []);

    private static FieldModel ReadField(PropertyInfo property, FieldAttribute a, List<Type> enclosing)
    {
        // a context per read: NullabilityInfoContext caches in a plain Dictionary, and apps (parallel tests) read models concurrently
        var info = new NullabilityInfoContext().Create(property);
        var clr = property.PropertyType;
        var name = a.Name ?? JsonNamingPolicy.SnakeCaseLower.ConvertName(property.Name);
        var field = Describe(clr, info, a, enclosing) with
        {
            Name = name, Property = property, Unique = a.Unique, Index = a.Index,
            MinItems = a.MinItems >= 0 ? a.MinItems : null,
            MaxItems = a.MaxItems >= 0 ? a.MaxItems : null,
            UniqueItems = a.UniqueItems,
        };
        if (property.GetCustomAttribute<RefAttribute>() is { } reference)
            field = field.Kind == FieldKind.String
                ? field with { Ref = reference.Spec, Index = true } // back-references and on_delete find referencing records by this index
                : throw new ConfigurationException("a [Ref] property must be a string (the id of the referenced record)");
        if (field.Kind == FieldKind.File) return field with { File = FileFieldAttribute.SpecOf(property), Nullable = true, Required = a.Required };
        if (field.IsComposite)
            return a.Required ? field with { Nullable = false, Required = true } : CompositeValues.WithImpliedDefault(field);
        field = field with { Nullable = field.Nullable && !a.Required, Required = (!field.Nullable || a.Required) && a.Default is null };
        return a.Default is null ? field : WithDefault(field, a.Default);
    }

    /// <summary>
    /// The kind, nullability, constraints and nested structure of a value of CLR type <paramref name="clr"/>. On a
    /// list or map the attribute's string and number constraints apply to each item.
    /// </summary>
    private static FieldModel Describe(Type clr, NullabilityInfo info, FieldAttribute a, List<Type> enclosing)
    {
        var underlying = Nullable.GetUnderlyingType(clr);
        var nullable = underlying is not null || (!clr.IsValueType && info.WriteState == NullabilityState.Nullable);
        var t = underlying ?? clr;
        if (KindOf(t) is { } kind)
            return new FieldModel
            {
                Name = "",
                Kind = kind,
                Nullable = nullable,
                Required = !nullable,
                MinLength = a.MinLength >= 0 ? a.MinLength : null,
                MaxLength = a.MaxLength >= 0 ? a.MaxLength : null,
                Ge = Bound(a.Ge),
                Gt = Bound(a.Gt),
                Le = Bound(a.Le),
                Lt = Bound(a.Lt),
                Pattern = PatternOf(a.Pattern),
                DecimalPlaces = a.DecimalPlaces >= 0 ? a.DecimalPlaces : null,
                EnumValues = t.IsEnum ? Enum.GetNames(t) : [],
            };
        if (t == typeof(JsonElement) || typeof(JsonNode).IsAssignableFrom(t) || t == typeof(JsonDocument))
            return new FieldModel { Name = "", Kind = FieldKind.Json, Nullable = nullable };
        if (MapValueType(t) is { } valueType)
        {
            var valueInfo = info.GenericTypeArguments.Length == 2 ? info.GenericTypeArguments[1] : info;
            var element = Element(valueType, valueInfo, a, enclosing);
            return new FieldModel { Name = "", Kind = FieldKind.Map, Nullable = nullable, Element = element };
        }
        if (ListItemType(t) is { } itemType)
        {
            var itemInfo = t.IsArray ? info.ElementType! : info.GenericTypeArguments.Length == 1 ? info.GenericTypeArguments[0] : info;
            var element = Element(itemType, itemInfo, a, enclosing);
            return new FieldModel { Name = "", Kind = FieldKind.List, Nullable = nullable, Element = element };
        }
        if (t.IsClass && !t.IsAbstract && t != typeof(string) && !typeof(RestEndpointBase).IsAssignableFrom(t) && t.GetConstructors().Length > 0)
        {
            if (enclosing.Contains(t))
                throw new ConfigurationException($"type {t.Name} contains itself (recursive nested types are not supported)");
            return new FieldModel { Name = "", Kind = FieldKind.Object, Nullable = nullable, Fields = NestedFields(t, [.. enclosing, t]) };
        }
        throw new ConfigurationException(
            $"unsupported type {clr.Name} (use string, int, long, double, decimal, bool, DateTime, DateTimeOffset, Guid, an enum, a class or record, List<T>, T[], Dictionary<string, T>, JsonElement or JsonNode, or their nullable forms)");
    }

    private static FieldModel Element(Type type, NullabilityInfo info, FieldAttribute a, List<Type> enclosing)
    {
        var element = Describe(type, info, a, enclosing) with { Name = "items" };
        return element.IsComposite ? CompositeValues.WithImpliedDefault(element) : element;
    }

    private static IReadOnlyList<FieldModel> NestedFields(Type type, List<Type> enclosing)
    {
        var problems = new List<string>();
        var fields = new List<FieldModel>();
        foreach (var property in DeclaredProperties(type))
        {
            var attribute = property.GetCustomAttribute<FieldAttribute>() ?? new FieldAttribute();
            if (attribute.Exclude) continue;
            try
            {
                fields.Add(ReadField(property, attribute, enclosing));
            }
            catch (ConfigurationException e)
            {
                problems.AddRange(e.Problems.Select(p => $"{type.Name}.{property.Name}: {p}"));
            }
        }
        foreach (var dup in fields.GroupBy(f => f.Name).Where(g => g.Count() > 1))
            problems.Add($"{type.Name}: two properties map to the field name '{dup.Key}'");
        if (problems.Count > 0) throw new ConfigurationException(problems);
        return fields;
    }

    private static Type? MapValueType(Type t)
    {
        var dictionary = t.IsGenericType && t.GetGenericTypeDefinition() is var d
                         && (d == typeof(Dictionary<,>) || d == typeof(IDictionary<,>) || d == typeof(IReadOnlyDictionary<,>) || d == typeof(SortedDictionary<,>))
            ? t
            : null;
        if (dictionary is null) return null;
        var args = dictionary.GetGenericArguments();
        return args[0] == typeof(string) ? args[1] : throw new ConfigurationException($"unsupported map key type {args[0].Name} (map keys are strings)");
    }

    private static Type? ListItemType(Type t)
    {
        if (t.IsArray) return t.GetArrayRank() == 1 && t.GetElementType() != typeof(byte) ? t.GetElementType() : null;
        if (!t.IsGenericType) return null;
        var d = t.GetGenericTypeDefinition();
        return d == typeof(List<>) || d == typeof(IList<>) || d == typeof(IReadOnlyList<>) || d == typeof(ICollection<>)
               || d == typeof(IReadOnlyCollection<>) || d == typeof(IEnumerable<>)
            ? t.GetGenericArguments()[0]
            : null;
    }

    private static FieldKind? KindOf(Type t) => t switch
    {
        _ when t == typeof(string) => FieldKind.String,
        _ when t == typeof(int) || t == typeof(short) || t == typeof(byte) => FieldKind.Int,
        _ when t == typeof(long) => FieldKind.Long,
        _ when t == typeof(double) || t == typeof(float) => FieldKind.Double,
        _ when t == typeof(decimal) => FieldKind.Decimal,
        _ when t == typeof(bool) => FieldKind.Bool,
        _ when t == typeof(DateTime) || t == typeof(DateTimeOffset) => FieldKind.DateTime,
        _ when t == typeof(Guid) => FieldKind.Guid,
        _ when t == typeof(StoredFile) => FieldKind.File,
        { IsEnum: true } => FieldKind.Enum,
        _ => null,
    };

    private static decimal? Bound(double value) => double.IsNaN(value) ? null : (decimal)value;

    private static Regex? PatternOf(string? pattern)
    {
        if (pattern is null) return null;
        try
        {
            return new Regex(pattern, RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));
        }
        catch (ArgumentException e)
        {
            throw new ConfigurationException($"invalid pattern '{pattern}': {e.Message}");
        }
    }

    private static FieldModel WithDefault(FieldModel field, object value)
    {
        JsonNode? node = value switch
        {
            Enum e => JsonValue.Create(e.ToString()),
            string s => JsonValue.Create(s),
            IFormattable f when field.Kind is FieldKind.DateTime or FieldKind.Guid => JsonValue.Create(f.ToString(null, CultureInfo.InvariantCulture)),
            _ => JsonSerializer.SerializeToNode(value),
        };
        if (field.Kind is FieldKind.Decimal or FieldKind.DateTime or FieldKind.Guid or FieldKind.Enum && node is JsonValue v && v.GetValueKind() == JsonValueKind.String)
        {
            if (!FieldValues.TryParse(field, v.GetValue<string>(), out var parsed, out var parseError))
                throw new ConfigurationException($"default {value}: {parseError}");
            node = parsed;
        }
        if (!FieldValues.TryCanonicalize(field, node, out var canonical, out var error))
            throw new ConfigurationException($"default {value}: {error}");
        return field with { Default = canonical, Required = false };
    }

    private static AuthSpec? AuthOf(Type type)
    {
        var auth = type.GetCustomAttribute<AuthenticationAttribute>();
        var perVerb = type.GetCustomAttributes<MethodPermissionAttribute>().Select(m => (m.Verbs, Rule: new AccessRule(m.Permission.Name, m.Permission)))
            .Concat(type.GetCustomAttributes<MethodPolicyAttribute>().Select(m => (m.Verbs, Rule: PolicyRule(m.Policy, type))))
            .ToList();
        if (auth is null && perVerb.Count == 0) return null;
        var methods = new Dictionary<HttpVerbs, AccessRule>();
        foreach (var (verbs, rule) in perVerb)
            foreach (var verb in new[] { HttpVerbs.Get, HttpVerbs.Post, HttpVerbs.Put, HttpVerbs.Patch, HttpVerbs.Delete }.Where(v => verbs.HasFlag(v)))
                methods[verb] = rule;
        var all = auth is null ? AccessRule.AllowAny
            : auth.Policy is { } policy ? PolicyRule(policy, type)
            : new AccessRule(auth.Permission.Name, auth.Permission);
        return new AuthSpec(all, methods);
    }

    private static AccessRule PolicyRule(string policy, Type type) =>
        string.IsNullOrWhiteSpace(policy)
            ? throw new ConfigurationException($"class {type.Name}: an authorization policy needs a name")
            : new AccessRule(PolicyPermission.Prefix + policy);

    private static SerializerSpec SerializerOf(Type type)
    {
        var a = type.GetCustomAttribute<SerializerAttribute>();
        if (a is null) return SerializerSpec.All;
        var s = a.SerializerType is null
            ? new Serializer { Fields = a.Fields, Read = a.Read, Write = a.Write }
            : typeof(Serializer).IsAssignableFrom(a.SerializerType) && a.SerializerType.GetConstructor(Type.EmptyTypes) is not null
                ? (Serializer)Activator.CreateInstance(a.SerializerType)!
                : throw new ConfigurationException($"class {type.Name}: serializer {a.SerializerType.Name} must subclass Serializer and have a parameterless constructor");
        return new SerializerSpec(s.Read ?? s.Fields, s.Write ?? s.Fields);
    }
}
