namespace LightS3.Documents;

/// <summary>
/// The change feed entry one write stored before its record (<see cref="ChangeLog"/>), held by that write until it knows its
/// verdict: announced when it committed, removed when it lost. One per write, never shared with a racing writer of the
/// same version, so a loser can neither take back nor announce the winner's entry.
/// </summary>
internal sealed class PendingChange(ChangeEntry entry, string key, string etag)
{
    private int _settled;

    /// <summary>The entry.</summary>
    public ChangeEntry Entry => entry;

    /// <summary>Its store key.</summary>
    public string Key => key;

    /// <summary>The ETag of the bytes this write stored there.</summary>
    public string ETag => etag;

    /// <summary>Takes the verdict: true the first time only, so an entry is announced or removed once.</summary>
    public bool Settle() => Interlocked.Exchange(ref _settled, 1) == 0;
}
