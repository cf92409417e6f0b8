using System.Security.Cryptography;
using System.Text;

namespace AssetCompliance.Core.NetBox;

/// <summary>
/// A department's NetBox webhook secret. A type, not a string, so that it cannot reach a log, an exception or a
/// response by accident: <see cref="ToString"/> shows only whether it is set.
/// </summary>
public sealed class NetBoxSecret
{
    private readonly byte[] _key;

    /// <param name="secret">The secret as typed into the NetBox webhook's "Secret" field; NetBox keys the HMAC with its UTF-8 bytes.</param>
    public NetBoxSecret(string secret) => _key = Encoding.UTF8.GetBytes(secret);

    /// <summary>Whether a secret is set: an empty one signs nothing, so every webhook of its department is refused.</summary>
    public bool IsSet => _key.Length > 0;

    /// <summary>The HMAC-SHA512 of <paramref name="body"/> with this secret (64 bytes), as NetBox's <c>generate_signature</c> computes it.</summary>
    public byte[] Sign(ReadOnlySpan<byte> body) => HMACSHA512.HashData(_key, body);

    public override string ToString() => IsSet ? "NetBoxSecret(set)" : "NetBoxSecret(empty)";
}

/// <summary>
/// Checks NetBox's <c>X-Hook-Signature</c> header: the lower-case hex HMAC-SHA512 of the raw body keyed with the
/// webhook's secret (netbox/extras/webhooks.py, <c>generate_signature</c>). NetBox sends the header only when the
/// webhook has a secret; a missing header is therefore an unsigned webhook, never accepted. The comparison is
/// <see cref="CryptographicOperations.FixedTimeEquals"/>, so the time taken says nothing of how much of a forged
/// signature was right.
/// </summary>
public static class NetBoxSignature
{
    /// <summary>The header NetBox signs with.</summary>
    public const string HeaderName = "X-Hook-Signature";

    /// <summary>What a signature check found; only <see cref="Valid"/> lets a webhook in.</summary>
    public enum Result
    {
        Valid,

        /// <summary>No header, or an empty one: NetBox sent it unsigned (the webhook has no secret).</summary>
        Missing,

        /// <summary>Not 128 hex digits: not an HMAC-SHA512.</summary>
        Malformed,

        /// <summary>A well-formed signature that this department's secret did not make.</summary>
        Mismatch,

        /// <summary>The department has no secret configured (or its Key Vault reference did not resolve): nothing can be verified.</summary>
        NoSecret,
    }

    /// <summary>Checks <paramref name="header"/> against the body and the department's secret (null when it has none).</summary>
    public static Result Verify(ReadOnlySpan<byte> body, string? header, NetBoxSecret? secret)
    {
        if (secret is not { IsSet: true })
        {
            return Result.NoSecret;
        }

        header = header?.Trim();
        if (string.IsNullOrEmpty(header))
        {
            return Result.Missing;
        }

        if (header.Length != HMACSHA512.HashSizeInBytes * 2 || !header.All(char.IsAsciiHexDigit))
        {
            return Result.Malformed;
        }

        var given = Convert.FromHexString(header);
        return CryptographicOperations.FixedTimeEquals(given, secret.Sign(body)) ? Result.Valid : Result.Mismatch;
    }

    /// <summary>The sentence a refused webhook's 401 carries for <paramref name="result"/> (not <see cref="Result.Valid"/>): what to fix, never the secret or the header.</summary>
    public static string Refusal(Result result, string department) => result switch
    {
        Result.NoSecret => $"No NetBox secret is configured for department {department}, so no webhook of it can be verified.",
        Result.Missing => $"The {HeaderName} header is missing: set the webhook's Secret in NetBox.",
        Result.Malformed => $"The {HeaderName} header is not an HMAC-SHA512 in hex.",
        _ => $"The {HeaderName} header does not match the body signed with department {department}'s secret.",
    };

    /// <summary>The header value NetBox would send for <paramref name="body"/> (for tests and the local run's examples).</summary>
    public static string Compute(ReadOnlySpan<byte> body, NetBoxSecret secret) => Convert.ToHexStringLower(secret.Sign(body));
}
