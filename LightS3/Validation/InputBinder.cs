using System.Text.Json;
using System.Text.Json.Nodes;
using LightS3.Model;

namespace LightS3.Validation;

/// <summary>How a request body relates to the stored record.</summary>
internal enum BindMode
{
    /// <summary>POST: every required field, defaults for the rest.</summary>
    Create,
    /// <summary>PUT: like create, plus the lock token.</summary>
    Replace,
    /// <summary>PATCH: only the fields sent, plus the lock token.</summary>
    Patch,
}

/// <summary>A validated request body: canonical field values and the client's lock token.</summary>
/// <param name="Fields">Declared fields in canonical form (for PATCH only those sent).</param>
/// <param name="Version">The <c>version</c> the client sent, if any.</param>
internal sealed record BoundInput(JsonObject Fields, long? Version);

/// <summary>
/// Turns a JSON body into canonical field values, collecting every problem for one 422:
/// unknown properties (per <see cref="UnknownFieldPolicy"/>), type errors, missing required fields,
/// then the model's FluentValidation rules. Automatic fields in a body — <c>id</c>, <c>created_at</c>, <c>updated_at</c>
/// and the time fields the model's features add (<c>created_by</c>, <c>deleted_at</c>, …) — are ignored, never set, so a
/// GET response (or an export line) can be sent back as a PUT or a POST; <c>version</c> is the lock token on updates.
/// </summary>
internal sealed class InputBinder(EndpointModel model, UnknownFieldPolicy defaultPolicy)
{
    private readonly HashSet<string> _managed = [.. AutoFields.All, .. TimeFields.Of(model.Time)];

    private readonly RecordValidator _validator = new(model);
    private readonly UnknownFieldPolicy _policy = model.UnknownFields ?? defaultPolicy;

    /// <summary>
    /// The first pass of binding, for hooks: every declared field present in <paramref name="body"/> converted to its
    /// canonical, well-typed form (so <c>FromJson</c> and typed reads cannot fail), everything else left as sent for
    /// the hook to adjust. Required fields and constraints are checked later, by <see cref="Bind"/>. When a field
    /// has the wrong type, throws <see cref="RecordValidationException"/> listing every problem of the body as
    /// <paramref name="mode"/> binding sees it (one 422 for everything, as without a hook).
    /// </summary>
    public JsonObject Canonicalize(JsonObject body, BindMode mode)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var result = new JsonObject();
        foreach (var (name, value) in body)
        {
            if (model.Field(name) is not { } field || _managed.Contains(name))
            {
                result[name] = value?.DeepClone();
                continue;
            }
            if (field.Kind == FieldKind.File) continue; // read-only: changed only through the file routes (docs/files.md)
            if (field.IsComposite)
            {
                var failed = false;
                var canonical = CompositeValues.Canonicalize(field, value, name, (_, _) => failed = true, _policy, mode == BindMode.Patch);
                if (failed) errors[name] = ["is invalid"];
                else result[name] = canonical;
            }
            else if (FieldValues.TryCanonicalize(field, value, out var canonical, out var error)) result[name] = canonical;
            else errors[name] = [error!];
        }
        if (errors.Count > 0)
        {
            Bind(body, mode); // throws with the complete list
            throw new RecordValidationException(errors);
        }
        return result;
    }

    /// <summary>Binds <paramref name="body"/>; throws <see cref="RecordValidationException"/> listing every problem.</summary>
    public BoundInput Bind(JsonObject body, BindMode mode)
    {
        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        void Add(string field, string message)
        {
            if (!errors.TryGetValue(field, out var list)) errors[field] = list = [];
            list.Add(message);
        }

        long? version = null;
        var failed = new HashSet<string>(StringComparer.Ordinal); // composite fields with a problem somewhere inside
        var values = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        foreach (var (name, value) in body)
        {
            if (name == AutoFields.Version)
            {
                if (mode == BindMode.Create) continue;
                if (value is JsonValue v && v.GetValueKind() == JsonValueKind.Number && long.TryParse(v.ToJsonString(), out var n) && n >= 0) version = n;
                else Add(name, "must be a non-negative integer (the version you read)");
                continue;
            }
            if (_managed.Contains(name)) continue; // maintained by LightS3: what the client sent is not kept
            var field = model.Field(name);
            if (field is null)
            {
                if (_policy == UnknownFieldPolicy.Reject) Add(name, "is not a field of this endpoint");
                continue;
            }
            if (field.Kind == FieldKind.File) continue; // read-only, ignored: a GET response can be sent back as a PUT
            if (field.IsComposite)
            {
                var canonical = CompositeValues.Canonicalize(field, value, name, (at, message) => { failed.Add(name); Add(at, message); }, _policy, mode == BindMode.Patch);
                if (!failed.Contains(name)) values[name] = canonical;
            }
            else if (FieldValues.TryCanonicalize(field, value, out var canonical, out var error)) values[name] = canonical;
            else Add(name, error!);
        }

        var fields = new JsonObject();
        foreach (var field in model.Fields)
        {
            if (field.Kind == FieldKind.File) continue;
            if (values.TryGetValue(field.Name, out var v)) fields[field.Name] = v;
            else if (errors.ContainsKey(field.Name) || failed.Contains(field.Name) || mode == BindMode.Patch) continue;
            else if (field.Default is not null) fields[field.Name] = field.Default.DeepClone();
            else if (field.Required) Add(field.Name, "is required");
            else fields[field.Name] = null;
        }

        foreach (var failure in _validator.Validate(fields).Errors)
            if (!errors.ContainsKey(failure.PropertyName) || !errors[failure.PropertyName].Contains(failure.ErrorMessage))
                Add(failure.PropertyName, failure.ErrorMessage);

        if (errors.Count > 0) throw new RecordValidationException(errors.ToDictionary(e => e.Key, e => e.Value.ToArray()));
        return new BoundInput(fields, version);
    }

    /// <summary>
    /// The fields of a PATCH: <paramref name="patch"/> (bound with <see cref="BindMode.Patch"/>) applied to
    /// <paramref name="current"/>. A sent scalar or list replaces the stored value; a sent object merges into an object,
    /// map or json value as a JSON Merge Patch (RFC 7386: member by member, recursively; <c>null</c> removes a member,
    /// which then takes its default). Every merged composite value is then validated whole, so a merge cannot leave a
    /// nested required field missing; problems are a <see cref="RecordValidationException"/> with their paths.
    /// </summary>
    public JsonObject MergePatch(JsonObject current, JsonObject patch)
    {
        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var fields = new JsonObject();
        foreach (var field in model.Fields)
        {
            if (!patch.TryGetPropertyValue(field.Name, out var sent))
            {
                fields[field.Name] = current[field.Name]?.DeepClone();
                continue;
            }
            if (field.Kind is FieldKind.Object or FieldKind.Map or FieldKind.Json && sent is JsonObject sentObject)
            {
                var merged = JsonMergePatch.Apply(current[field.Name], sentObject);
                fields[field.Name] = CompositeValues.Canonicalize(field, merged, field.Name, (at, message) =>
                {
                    if (!errors.TryGetValue(at, out var list)) errors[at] = list = [];
                    list.Add(message);
                }, _policy);
            }
            else fields[field.Name] = sent?.DeepClone();
        }
        if (errors.Count > 0) throw new RecordValidationException(errors.ToDictionary(e => e.Key, e => e.Value.ToArray()));
        return fields;
    }
}
