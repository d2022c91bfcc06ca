using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using LightS3.Diagnostics;

namespace LightS3.Query;

/// <summary>
/// Signs and verifies cursors with HMAC-SHA256 under server keys, so a client cannot forge or edit one. The first
/// key signs; every key verifies, so keys rotate without breaking the cursors clients hold: add the new key first,
/// keep the old one until cursors signed with it have expired from use, then drop it.
/// Without configured keys a random key is made once per process: cursors then work only against the process that
/// issued them, so several instances behind a load balancer need a shared key (a warning says so).
/// </summary>
public sealed class CursorSigner
{
    /// <summary>Shortest accepted key, in characters.</summary>
    public const int MinKeyLength = 16;

    private const int MacBytes = 16;
    private static readonly Lazy<byte[]> ProcessKey = new(() => RandomNumberGenerator.GetBytes(32));
    private readonly byte[][] _keys;

    /// <summary>A signer over <paramref name="keys"/> (first signs); a per-process random key when there are none.</summary>
    /// <exception cref="Model.ConfigurationException">A key is shorter than <see cref="MinKeyLength"/>.</exception>
    public CursorSigner(IReadOnlyList<string> keys, ILogger? logger = null)
    {
        if (keys.FirstOrDefault(k => k.Length < MinKeyLength) is { } weak)
            throw new Model.ConfigurationException($"CursorSigningKeys: every key must have at least {MinKeyLength} characters (one has {weak.Length})");
        if (keys.Count == 0)
        {
            logger?.NoCursorKey();
            _keys = [ProcessKey.Value];
        }
        else
        {
            _keys = keys.Select(k => Encoding.UTF8.GetBytes(k)).ToArray();
        }
    }

    /// <summary>The signer used when none is registered: the per-process key, no warning.</summary>
    public static CursorSigner Default { get; } = new([]);

    /// <summary>The MAC of <paramref name="payload"/> under the signing (first) key.</summary>
    public byte[] Sign(ReadOnlySpan<byte> payload) => Mac(_keys[0], payload);

    /// <summary>Whether <paramref name="mac"/> is the MAC of <paramref name="payload"/> under any key (constant time per key).</summary>
    public bool Verify(ReadOnlySpan<byte> payload, ReadOnlySpan<byte> mac)
    {
        var valid = false;
        foreach (var key in _keys) valid |= CryptographicOperations.FixedTimeEquals(Mac(key, payload), mac);
        return valid;
    }

    private static byte[] Mac(byte[] key, ReadOnlySpan<byte> payload) => HMACSHA256.HashData(key, payload)[..MacBytes];
}
