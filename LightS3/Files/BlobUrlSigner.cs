using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace LightS3.Files;

/// <summary>HMAC-SHA256 signatures of the app-served blob URLs (<see cref="FileFieldOptions.SigningKey"/>, or a random per-process key).</summary>
internal sealed class BlobUrlSigner
{
    private readonly byte[] _key;

    public BlobUrlSigner(FileFieldOptions options)
    {
        if (options.SigningKey is { Length: > 0 } key && key.Length < 16)
            throw new Model.ConfigurationException("LightS3:Files:SigningKey must have at least 16 characters");
        _key = options.SigningKey is { Length: > 0 } k ? Encoding.UTF8.GetBytes(k) : RandomNumberGenerator.GetBytes(32);
    }

    /// <summary>The signature of <paramref name="parts"/> (joined with newlines, so no part can run into the next).</summary>
    public string Sign(params string[] parts) =>
        WebEncoders.Base64UrlEncode(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(string.Join('\n', parts))));

    /// <summary>Whether <paramref name="signature"/> signs <paramref name="parts"/> (constant-time comparison).</summary>
    public bool Verify(string? signature, params string[] parts) =>
        signature is not null && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(signature), Encoding.ASCII.GetBytes(Sign(parts)));
}
