namespace LightS3;

/// <summary>Settings of the change feed and its realtime events (<c>LightS3:Changes</c>; docs/realtime.md).</summary>
public sealed class ChangeFeedOptions
{
    /// <summary>
    /// How old an entry must be before a reader's cursor passes it (default 3 s). It covers the clock skew between
    /// instances (<see cref="MaxClockSkew"/>) plus the time a write may take to store its entry: a write whose entry
    /// took longer than <c>Settle − MaxClockSkew</c> is refused (503) before its record is written, so no entry can appear
    /// behind a cursor that already passed its time.
    /// </summary>
    public TimeSpan Settle { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>The largest clock difference assumed between instances (default 1 s); keep clocks in sync with NTP.</summary>
    public TimeSpan MaxClockSkew { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long an entry whose record version has not appeared yet is treated as a write in flight (readers wait at it)
    /// before it is judged a write that never happened (a crash, a lost race) and skipped. Default 20 s: longer than a
    /// record PUT can take once sent (the S3 operation timeout).
    /// </summary>
    public TimeSpan PendingTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>How long entries are kept (default 7 days); older ones are removed by a background cleanup.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How often each instance removes entries past <see cref="Retention"/> (default 1 hour; zero or negative: never).</summary>
    public TimeSpan CleanupInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How often an instance with event subscribers reads the feed while Redis is absent or down (default 500 ms).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How often it reads the feed while Redis delivers events, to catch what pub/sub lost (default 5 s).</summary>
    public TimeSpan SafetyPollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Time between heartbeat comments on an idle event stream (default 15 s).</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Most open event streams per client (its user, or its address when anonymous) on one instance (default 8; 429 beyond).</summary>
    public int MaxConnectionsPerClient { get; set; } = 8;

    /// <summary>
    /// The Redis pub/sub channel the instances of one deployment share; null = <c>lights3:changes:</c> plus a hash of the
    /// storage location, so apps on different buckets never see each other's events.
    /// </summary>
    public string? RedisChannel { get; set; }

    /// <summary>How long a write may take to store its entry: <see cref="Settle"/> − <see cref="MaxClockSkew"/>.</summary>
    internal TimeSpan EntryBudget => Settle - MaxClockSkew;
}
