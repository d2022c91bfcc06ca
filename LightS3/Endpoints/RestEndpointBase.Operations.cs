using System.Text.Json.Nodes;
using LightS3.Documents;
using LightS3.Query;
using LightS3.Storage;
using LightS3.Validation;

namespace LightS3;

public abstract partial class RestEndpointBase
{
    /// <summary>
    /// Scopes what the caller sees (LightAPI's <c>queryset</c>): return <paramref name="query"/> with extra conditions,
    /// e.g. <c>query.Where(Filter("owner", FilterOperator.Eq, Context.User.Identity!.Name))</c>. Every read surface
    /// applies it — lists and counts, retrieve by id (a record outside it is a 404, for writes too), export, expand, the
    /// change feed, history and reference checks (docs/auth.md, "Who sees what").
    /// Add conditions only: cursors are bound to the client's ordering.
    /// </summary>
    public virtual ValueTask<RecordQuery> QuerysetAsync(RecordQuery query) => ValueTask.FromResult(query);

    /// <summary>
    /// One page of <c>GET /route</c>: the client's query, scoped by <see cref="QuerysetAsync"/>, over the records the read
    /// permission's object-level check admits (judged inside the paging, so counts and pages hold only those).
    /// </summary>
    public virtual async Task<QueryPage> ListAsync(RecordQuery query, PageRequest page) =>
        await Context.Engine.ExecuteAsync(await QuerysetAsync(query), page, Endpoints.RecordVisibility.ObjectFilter(Context.Runtime, Context.Http), Context.Aborted);

    /// <summary>A condition on a field, with the value coerced to the field's type (for querysets).</summary>
    protected Condition Filter(string field, FilterOperator op, object? value) => RecordSet.Condition(Context.Model, field, op, value);

    /// <summary>One record for <c>GET /route/{id}</c> (and the record a write starts from), or null (404).</summary>
    public virtual Task<Record?> RetrieveAsync(string id) => Context.Records.GetAsync(id, Context.Aborted);

    /// <summary>The record <paramref name="id"/> as the caller may find it: retrieved, and inside the queryset; null (404) otherwise.</summary>
    internal async Task<Record?> FindAsync(string id, bool viaRetrieve)
    {
        var record = viaRetrieve ? await RetrieveAsync(id) : await Context.Records.GetAsync(id, Context.Aborted);
        if (record is null) return null;
        var visibility = await Endpoints.RecordVisibility.OpenAsync(this);
        return visibility.InScope(record.Peek()) ? record : null;
    }

    /// <summary>
    /// Validates <paramref name="input"/> and stores a new record. From <c>POST</c>, <paramref name="input"/> is the body
    /// with every declared field already of its type (canonical; a wrongly typed field was a 422 before this hook
    /// ran), so <c>FromJson</c> is safe; override to adjust it before the full validation (required fields,
    /// constraints) runs here.
    /// </summary>
    public virtual async Task<Record> CreateAsync(JsonObject input)
    {
        var bound = Context.Binder.Bind(input, BindMode.Create);
        await Context.Runtime.Validators.ValidateAsync(Context.Services, bound.Fields, Context.Aborted);
        if (Context.Relations is { } relations) await Endpoints.ReferenceChecks.EnsureTargetsExistAsync(relations, Context.Runtime, bound.Fields, null, Context.Http, Context.Aborted);
        return await Context.Records.InsertAsync(bound.Fields, Context.Aborted);
    }

    /// <summary>
    /// Validates <paramref name="input"/> (from <c>PUT</c>/<c>PATCH</c>: declared fields already typed, as for
    /// <see cref="CreateAsync"/>) and writes it over record <paramref name="id"/> by compare-and-swap.
    /// The lock token is the body's <c>version</c> or the <paramref name="ifMatch"/> ETag (either suffices,
    /// both must match when both are sent). <paramref name="partial"/> is PATCH: unsent fields keep their values, and
    /// nested objects and maps are merged as a JSON Merge Patch (lists and scalars are replaced whole).
    /// </summary>
    public virtual async Task<Record> UpdateAsync(string id, JsonObject input, bool partial, string? ifMatch)
    {
        var bound = Context.Binder.Bind(input, partial ? BindMode.Patch : BindMode.Replace);
        if (bound.Version is null && ifMatch is null)
            throw new RecordValidationException(new Dictionary<string, string[]>
            {
                ["version"] = ["is required: send the version you read, or its ETag in If-Match"],
            });
        var current = await FindAsync(id, viaRetrieve: false) ?? throw new RecordNotFoundException(id);
        await Context.EnsureObjectPermissionAsync(current);
        if (ifMatch is not null && !IfMatchHolds(ifMatch, current.ETag)) throw new VersionConflictException(id, bound.Version, current.Version);
        if (bound.Version is { } version && version != current.Version) throw new VersionConflictException(id, version, current.Version);

        // PATCH: unsent fields keep their values; a sent object merges into a nested object, map or json (RFC 7386)
        var fields = partial ? Context.Binder.MergePatch(current.Data, bound.Fields) : bound.Fields;
        await Context.Runtime.Validators.ValidateAsync(Context.Services, fields, Context.Aborted);
        if (Context.Relations is { } relations) await Endpoints.ReferenceChecks.EnsureTargetsExistAsync(relations, Context.Runtime, fields, current.Data, Context.Http, Context.Aborted);
        return await Context.Records.ReplaceAsync(current, fields, Context.Aborted);
    }

    /// <summary>
    /// Deletes record <paramref name="id"/>, only while its ETag is one of <paramref name="ifMatch"/> (an <c>If-Match</c>
    /// list, or <c>*</c>) when given: exactly the version read (and approved by an object-level permission) is deleted.
    /// </summary>
    public virtual async Task DestroyAsync(string id, string? ifMatch)
    {
        var current = await FindAsync(id, viaRetrieve: false) ?? throw new RecordNotFoundException(id);
        if (Context.ChecksObjects) await Context.EnsureObjectPermissionAsync(current);
        if (ifMatch is not null && !IfMatchHolds(ifMatch, current.ETag)) throw new VersionConflictException(id, null, current.Version);
        if (Context.Services.GetService(typeof(Endpoints.OnDeleteJobs)) is Endpoints.OnDeleteJobs onDelete)
            await onDelete.DeleteAsync(Context.Runtime, current, Context.Http, Context.Aborted); // protect → 409; set_null / cascade → background job
        else await Context.Records.DeleteAsync(current, Context.Aborted);
    }

    /// <summary>Whether an If-Match header (a list of ETags, or *) admits <paramref name="etag"/>.</summary>
    protected static bool IfMatchHolds(string header, string etag) => ETags.HeaderMatches(header, etag);
}
