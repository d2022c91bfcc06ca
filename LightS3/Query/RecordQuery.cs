using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using LightS3.Model;
using LightS3.Query;

namespace LightS3;

/// <summary>One filter condition: a field, an operator and canonical operand(s).</summary>
/// <param name="Field">The field (declared or automatic).</param>
/// <param name="Operator">The operator.</param>
/// <param name="Values">Canonical operands: one for most operators, several for In/Nin; for IsNull a bool.</param>
public sealed record Condition(FieldModel Field, FilterOperator Operator, IReadOnlyList<JsonNode?> Values)
{
    /// <summary>The single operand.</summary>
    public JsonNode? Value => Values.Count > 0 ? Values[0] : null;

    /// <inheritdoc />
    public override string ToString() =>
        $"{Field.Name}__{FilterOperators.Name(Operator)}={string.Join(",", Values.Select(v => v?.ToJsonString() ?? "null"))}";
}

/// <summary>One ordering key.</summary>
public sealed record SortKey(FieldModel Field, bool Descending)
{
    /// <inheritdoc />
    public override string ToString() => (Descending ? "-" : "") + Field.Name;
}

/// <summary>
/// What to select, independent of how it is paginated: conditions (all must hold), an optional search, and
/// an ordering. The HTTP query string and the fluent C# API both build this, so they behave identically.
/// </summary>
public sealed record RecordQuery
{
    /// <summary>Conditions, all of which must hold.</summary>
    public IReadOnlyList<Condition> Conditions { get; init; } = [];

    /// <summary>Case-insensitive text searched for in <see cref="SearchFields"/>.</summary>
    public string? Search { get; init; }

    /// <summary>Fields searched by <see cref="Search"/>.</summary>
    public IReadOnlyList<FieldModel> SearchFields { get; init; } = [];

    /// <summary>Requested ordering; the id is always appended as the final tie-breaker.</summary>
    public IReadOnlyList<SortKey> Ordering { get; init; } = [];

    /// <summary>Every query: no condition, creation order.</summary>
    public static RecordQuery All { get; } = new();

    /// <summary>A copy with one more condition (what a queryset hook adds).</summary>
    public RecordQuery Where(Condition condition) => this with { Conditions = [.. Conditions, condition] };

    /// <summary>The total order used: the requested keys, then id ascending.</summary>
    public IReadOnlyList<SortKey> EffectiveOrdering =>
        Ordering.Any(k => k.Field.Name == AutoFields.Id) ? Ordering : [.. Ordering, new SortKey(AutoFieldModels.Id, false)];

    /// <summary>Whether the order is plain creation (id) order.</summary>
    public bool IsCreationOrder => EffectiveOrdering is [{ Descending: false } only] && only.Field.Name == AutoFields.Id;

    /// <summary>A short fingerprint of the selection and ordering; cursors are bound to it.</summary>
    public string Fingerprint()
    {
        var text = string.Join("&", Conditions.Select(c => c.ToString()).Order(StringComparer.Ordinal))
                   + "|" + Search + "|" + string.Join(",", SearchFields.Select(f => f.Name)) + "|" + string.Join(",", EffectiveOrdering);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)), 0, 8);
    }
}

/// <summary>Which slice of the results to return.</summary>
public abstract record PageRequest
{
    /// <summary>Everything, up to <paramref name="Max"/> records.</summary>
    public sealed record All(int Max) : PageRequest;

    /// <summary>Page <paramref name="Number"/> (from 1) of <paramref name="Size"/>, with the total count.</summary>
    public sealed record Numbered(int Number, int Size) : PageRequest;

    /// <summary><paramref name="Size"/> records after (or before) <paramref name="Position"/>; null position is the start.</summary>
    public sealed record Keyset(Cursor? Position, int Size) : PageRequest;
}

/// <summary>The records of one page and what is around it.</summary>
/// <param name="Records">The page, in order.</param>
/// <param name="Total">Matching records in all, when the request asked for it (page-number style).</param>
/// <param name="HasNext">More records follow this page.</param>
/// <param name="HasPrevious">Records precede this page.</param>
public sealed record QueryPage(IReadOnlyList<Record> Records, long? Total, bool HasNext, bool HasPrevious);
