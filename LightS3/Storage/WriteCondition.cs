namespace LightS3.Storage;

/// <summary>The precondition of a write: none, "must not exist" or "must still have this ETag".</summary>
public readonly record struct WriteCondition
{
    private WriteCondition(WriteConditionKind kind, string? etag) { Kind = kind; ETag = etag; }

    /// <summary>Which precondition applies.</summary>
    public WriteConditionKind Kind { get; }

    /// <summary>The ETag an <see cref="WriteConditionKind.IfMatch"/> write expects.</summary>
    public string? ETag { get; }

    /// <summary>Unconditional write.</summary>
    public static WriteCondition None => new(WriteConditionKind.None, null);

    /// <summary>Create-only write (<c>If-None-Match: *</c>).</summary>
    public static WriteCondition IfNoneMatch => new(WriteConditionKind.IfNoneMatch, null);

    /// <summary>Compare-and-swap write (<c>If-Match: etag</c>).</summary>
    public static WriteCondition IfMatch(string etag) => new(WriteConditionKind.IfMatch, ETags.Normalize(etag));

    /// <inheritdoc />
    public override string ToString() => Kind switch
    {
        WriteConditionKind.IfMatch => $"If-Match {ETag}",
        WriteConditionKind.IfNoneMatch => "If-None-Match *",
        _ => "unconditional",
    };
}

/// <summary>Kinds of write precondition.</summary>
public enum WriteConditionKind
{
    /// <summary>No precondition.</summary>
    None,
    /// <summary>The key must not exist.</summary>
    IfNoneMatch,
    /// <summary>The key must exist with the given ETag.</summary>
    IfMatch,
}
