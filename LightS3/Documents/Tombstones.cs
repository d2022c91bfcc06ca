using System.Text;
using LightS3.Storage;

namespace LightS3.Documents;

/// <summary>
/// A deleted record is not removed: its object is overwritten, by a compare-and-swap PUT on the ETag the
/// deleter read, with a tombstone. A conditional PUT is the only atomic operation every S3-compatible server
/// enforces (Ceph RGW ignores <c>If-Match</c> on DELETE), so a delete races correctly with an update: exactly
/// one of them wins. Reads, lists, counts and unique checks treat a tombstone as absent; the garbage collector
/// removes it physically after a grace period, when nothing can write that key any more.
/// <para>
/// The tombstone is the same small constant for every record, so a listing recognises it without a GET: its
/// size is <see cref="Size"/> and, on stores whose ETag is the MD5 of the bytes (S3 without KMS, the in-memory
/// store), its ETag is <see cref="ETag"/>. Elsewhere an object of that size is checked by reading it.
/// </para>
/// <para>
/// Being constant, two racing deleters' tombstones are byte-identical: which one landed is never told by the bytes but by
/// the store (an atomic compare-and-swap, or on S3 the write id each conditional PUT carries, <see cref="WriteIds"/>).
/// </para>
/// </summary>
internal static class Tombstones
{
    /// <summary>The bytes of every tombstone.</summary>
    public static readonly ReadOnlyMemory<byte> Bytes = Encoding.UTF8.GetBytes("{\"_tombstone\":true}");

    /// <summary>The size of a tombstone in bytes.</summary>
    public static long Size => Bytes.Length;

    /// <summary>The MD5 ETag of a tombstone (what S3 reports for it).</summary>
    public static readonly string ETag = ETags.Compute(Bytes.Span);

    /// <summary>Whether stored bytes are a tombstone.</summary>
    public static bool Is(ReadOnlySpan<byte> content) => content.SequenceEqual(Bytes.Span);

    /// <summary>What a listing entry says about the object being a tombstone.</summary>
    public static ListedState StateOf(ObjectEntry entry) =>
        entry.Size != Size ? ListedState.Live
        : entry.ETag == ETag ? ListedState.Tombstone
        : ListedState.Unknown;

    /// <summary>What a listing alone tells about an object.</summary>
    public enum ListedState
    {
        /// <summary>Not a tombstone (its size differs).</summary>
        Live,
        /// <summary>Certainly a tombstone (size and MD5 ETag match).</summary>
        Tombstone,
        /// <summary>Tombstone-sized on a store whose ETags are not MD5s: read it to know.</summary>
        Unknown,
    }
}
