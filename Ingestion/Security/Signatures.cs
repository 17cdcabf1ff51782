using System.Security.Cryptography;
using System.Text;

namespace AspireTickets.Ingestion.Security;

/// <summary>Signature and token checks. Every comparison is constant-time so a forger learns nothing from timing.</summary>
public static class Signatures
{
    public static byte[] HmacSha256(string secret, ReadOnlySpan<byte> data) =>
        HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), data);

    public static byte[] HmacSha256(string secret, ReadOnlySpan<byte> prefix, ReadOnlySpan<byte> data)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(secret));
        hmac.AppendData(prefix);
        hmac.AppendData(data);
        return hmac.GetHashAndReset();
    }

    /// <summary>True when <paramref name="hex"/> is the hex form of <paramref name="expected"/> (either case).</summary>
    public static bool HexEquals(ReadOnlySpan<byte> expected, string? hex)
    {
        if (string.IsNullOrEmpty(hex) || hex.Length != expected.Length * 2)
        {
            return false;
        }
        Span<byte> provided = stackalloc byte[expected.Length];
        if (Convert.FromHexString(hex, provided, out _, out var written) != System.Buffers.OperationStatus.Done || written != expected.Length)
        {
            return false;
        }
        return CryptographicOperations.FixedTimeEquals(expected, provided);
    }

    public static bool Base64Equals(ReadOnlySpan<byte> expected, string? base64)
    {
        if (string.IsNullOrEmpty(base64) || base64.Length > 128)
        {
            return false;
        }
        Span<byte> provided = stackalloc byte[96];
        return Convert.TryFromBase64String(base64, provided, out var written) &&
               CryptographicOperations.FixedTimeEquals(expected, provided[..written]);
    }

    /// <summary>Checks <c>Authorization: Bearer &lt;token&gt;</c>.</summary>
    public static bool BearerEquals(string expectedToken, string? authorization)
    {
        const string scheme = "Bearer ";
        if (authorization is null || !authorization.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) || authorization.Length > 4096)
        {
            return false;
        }
        var provided = Encoding.UTF8.GetBytes(authorization[scheme.Length..].Trim());
        var expected = Encoding.UTF8.GetBytes(expectedToken);
        // Compare hashes so neither content nor length leaks through timing.
        return CryptographicOperations.FixedTimeEquals(SHA256.HashData(expected), SHA256.HashData(provided));
    }
}
