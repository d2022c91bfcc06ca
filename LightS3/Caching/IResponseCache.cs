using System.Buffers.Binary;
using System.Text;

namespace LightS3.Caching;

/// <summary>
/// Where GET responses are cached. Entries live under a per-endpoint <em>generation</em>: a write bumps the
/// generation (one O(1) operation, seen by every app instance sharing the cache) and every older entry becomes
/// unreachable — no key scans. Implementations never throw and never hang: an unavailable cache reads as a miss.
/// </summary>
public interface IResponseCache
{
    /// <summary>"redis" or "memory".</summary>
    string Kind { get; }

    /// <summary>Looks <paramref name="key"/> up in <paramref name="scope"/>'s current generation.</summary>
    Task<CacheLookup> LookupAsync(string scope, string key, CancellationToken ct);

    /// <summary>Stores a response under the generation a lookup returned (a write since then makes it unreachable).</summary>
    Task StoreAsync(string scope, long generation, string key, CachedResponse response, TimeSpan ttl, CancellationToken ct);

    /// <summary>
    /// Invalidates every entry of <paramref name="scope"/> (called after a write is stored, before it is acknowledged);
    /// returns once the invalidation is applied or durably recorded for delivery (see docs/caching.md for the bound).
    /// </summary>
    Task InvalidateAsync(string scope, CancellationToken ct);

    /// <summary>Whether the cache answers (for readiness).</summary>
    Task<bool> PingAsync(CancellationToken ct);
}

/// <summary>A lookup: the hit (if any) and the generation looked in (null when the cache is unavailable: do not store).</summary>
public readonly record struct CacheLookup(CachedResponse? Hit, long? Generation);

/// <summary>A cached response: status, content type, ETag and body.</summary>
public sealed record CachedResponse(int Status, string ContentType, string? ETag, byte[] Body)
{
    /// <summary>A compact binary form for Redis.</summary>
    public byte[] Encode()
    {
        var ct = Encoding.UTF8.GetBytes(ContentType);
        var et = Encoding.UTF8.GetBytes(ETag ?? "");
        var buffer = new byte[12 + ct.Length + et.Length + Body.Length];
        BinaryPrimitives.WriteInt32LittleEndian(buffer, Status);
        BinaryPrimitives.WriteInt32LittleEndian(buffer.AsSpan(4), ct.Length);
        BinaryPrimitives.WriteInt32LittleEndian(buffer.AsSpan(8), et.Length);
        ct.CopyTo(buffer, 12);
        et.CopyTo(buffer, 12 + ct.Length);
        Body.CopyTo(buffer, 12 + ct.Length + et.Length);
        return buffer;
    }

    /// <summary>Reads <see cref="Encode"/>'s form; null if it is not one.</summary>
    public static CachedResponse? Decode(byte[]? data)
    {
        if (data is null || data.Length < 12) return null;
        var status = BinaryPrimitives.ReadInt32LittleEndian(data);
        var ct = BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(4));
        var et = BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(8));
        if (ct < 0 || et < 0 || 12 + ct + et > data.Length) return null;
        return new CachedResponse(status, Encoding.UTF8.GetString(data, 12, ct), et == 0 ? null : Encoding.UTF8.GetString(data, 12 + ct, et), data[(12 + ct + et)..]);
    }
}
