namespace LightS3.Storage;

/// <summary>
/// Counts backend requests made by the stores: process-wide totals and, through
/// <see cref="BeginScope"/>, per logical operation (one HTTP request, one benchmark step).
/// Request counts are a tested number in LightS3, so every store reports every backend call here.
/// </summary>
public sealed class RequestCounter
{
    private readonly long[] _totals = new long[5];
    private static readonly AsyncLocal<RequestCounts?> Current = new();

    /// <summary>Records one backend request.</summary>
    public void Count(StoreOperation operation)
    {
        Interlocked.Increment(ref _totals[(int)operation]);
        Current.Value?.Add(operation);
    }

    /// <summary>A snapshot of the process-wide totals.</summary>
    public RequestCounts Snapshot()
    {
        var counts = new RequestCounts();
        for (var i = 0; i < _totals.Length; i++) counts.Add((StoreOperation)i, Interlocked.Read(ref _totals[i]));
        return counts;
    }

    /// <summary>
    /// Starts counting the requests made by the current async flow (and flows it starts) into a fresh
    /// <see cref="RequestCounts"/>; disposing the scope restores the previous one.
    /// </summary>
    public static RequestScope BeginScope()
    {
        var previous = Current.Value;
        var counts = new RequestCounts();
        Current.Value = counts;
        return new RequestScope(counts, previous);
    }

    /// <summary>A per-flow counting scope.</summary>
    public sealed class RequestScope(RequestCounts counts, RequestCounts? previous) : IDisposable
    {
        /// <summary>The requests counted so far in this scope.</summary>
        public RequestCounts Counts { get; } = counts;

        /// <inheritdoc />
        public void Dispose() => Current.Value = previous;
    }
}

/// <summary>Thread-safe request counts by operation.</summary>
public sealed class RequestCounts
{
    private readonly long[] _counts = new long[5];

    internal void Add(StoreOperation operation, long n = 1) => Interlocked.Add(ref _counts[(int)operation], n);

    /// <summary>Requests of one kind.</summary>
    public long this[StoreOperation operation] => Interlocked.Read(ref _counts[(int)operation]);

    /// <summary>All requests.</summary>
    public long Total => _counts.Sum(c => Interlocked.Read(ref c));

    /// <summary>The difference between this snapshot and an earlier one.</summary>
    public RequestCounts Minus(RequestCounts earlier)
    {
        var d = new RequestCounts();
        foreach (var op in Enum.GetValues<StoreOperation>()) d.Add(op, this[op] - earlier[op]);
        return d;
    }

    /// <inheritdoc />
    public override string ToString() =>
        string.Join(' ', Enum.GetValues<StoreOperation>().Where(o => this[o] != 0).Select(o => $"{o.ToString().ToUpperInvariant()}={this[o]}")) is { Length: > 0 } s ? s : "none";
}
