using System.Buffers.Binary;
using System.Security.Cryptography;

namespace LightS3.S3Api;

/// <summary>Content-MD5 and the <c>x-amz-checksum-*</c> values a client may send; a mismatch is <c>BadDigest</c>.</summary>
internal static class S3Checksums
{
    private static readonly uint[] Crc32Table = Table(0xEDB88320u);
    private static readonly uint[] Crc32CTable = Table(0x82F63B78u);

    private static uint[] Table(uint polynomial)
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            var c = i;
            for (var k = 0; k < 8; k++) c = (c & 1) != 0 ? polynomial ^ (c >> 1) : c >> 1;
            table[i] = c;
        }
        return table;
    }

    private static byte[] Crc(uint[] table, ReadOnlySpan<byte> data)
    {
        var c = 0xFFFFFFFFu;
        foreach (var b in data) c = table[(c ^ b) & 0xFF] ^ (c >> 8);
        var result = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(result, ~c);
        return result;
    }

    /// <summary>Checks Content-MD5 and any <c>x-amz-checksum-*</c> in <paramref name="headers"/> (request headers or trailers).</summary>
    public static void Verify(ReadOnlySpan<byte> data, Func<string, string?> headers)
    {
        if (headers("Content-MD5") is { } md5)
        {
            if (!TryBase64(md5, out var given) || given.Length != 16)
                throw new S3Exception(400, "InvalidDigest", "The Content-MD5 you specified is not valid.");
            if (!given.AsSpan().SequenceEqual(MD5.HashData(data)))
                throw new S3Exception(400, "BadDigest", "The Content-MD5 you specified did not match what we received.");
        }
        Check(headers("x-amz-checksum-crc32"), "CRC32", 4, data, d => Crc(Crc32Table, d));
        Check(headers("x-amz-checksum-crc32c"), "CRC32C", 4, data, d => Crc(Crc32CTable, d));
        Check(headers("x-amz-checksum-sha1"), "SHA1", 20, data, d => SHA1.HashData(d));
        Check(headers("x-amz-checksum-sha256"), "SHA256", 32, data, d => SHA256.HashData(d));
    }

    private delegate byte[] Hash(ReadOnlySpan<byte> data);

    private static void Check(string? value, string name, int length, ReadOnlySpan<byte> data, Hash hash)
    {
        if (value is null) return;
        if (!TryBase64(value, out var given) || given.Length != length)
            throw new S3Exception(400, "InvalidRequest", $"Value for x-amz-checksum-{name.ToLowerInvariant()} header is invalid.");
        if (!given.AsSpan().SequenceEqual(hash(data)))
            throw new S3Exception(400, "BadDigest", $"The {name} you specified did not match the calculated checksum.");
    }

    private static bool TryBase64(string text, out byte[] bytes)
    {
        bytes = new byte[(text.Length * 3 / 4) + 3];
        if (Convert.TryFromBase64String(text.Trim(), bytes, out var n)) { bytes = bytes[..n]; return true; }
        return false;
    }
}
