namespace AssetCompliance.Core.Events;

/// <summary>
/// Rules for the identifiers that become storage keys and URL segments. Table Storage forbids <c>/ \ # ?</c> and
/// control characters in keys; we also forbid <c>|</c>, which the store uses as its row-key separator, so that no
/// identifier can address another row; and the ids <c>.</c> and <c>..</c>, which a URL path reads as "this folder" and
/// "the folder above", so that no identifier can make a link (a card's, the API's) name another resource.
/// </summary>
public static class Identifiers
{
    public const int MaxLength = 64;

    /// <summary>Department codes (<c>HO</c>, <c>DFE</c>, <c>MOJ</c>): letters, digits, '-' and '_', starting with a letter or digit.</summary>
    public static string? DepartmentError(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "must be a non-empty department code";
        }

        if (value.Length > MaxLength)
        {
            return $"must be at most {MaxLength} characters";
        }

        if (!char.IsAsciiLetterOrDigit(value[0]))
        {
            return "must start with a letter or digit";
        }

        foreach (var c in value)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '-' && c != '_')
            {
                return "may contain only letters, digits, '-' and '_'";
            }
        }

        return null;
    }

    /// <summary>
    /// Asset ids a register may send (asset events, push, the register route): <see cref="AssetIdError"/>'s rules, and
    /// never one starting <c>observed:</c> in any case, the ids of the records that observations make for devices no
    /// register holds (<see cref="State.ObservedState.AssetIdPrefix"/>). A register event under such an id would take
    /// over (or remove) an unregistered device's record, and the next observation would take over the register's.
    /// </summary>
    public static string? RegisteredAssetIdError(string? value) =>
        AssetIdError(value) ?? (value!.StartsWith(State.ObservedState.AssetIdPrefix, StringComparison.OrdinalIgnoreCase)
            ? $"must not start with '{State.ObservedState.AssetIdPrefix}': those ids belong to the records of devices observed on the network and held by no register"
            : null);

    /// <summary>Asset ids: whatever the register uses, except characters that are illegal or meaningful in keys.</summary>
    public static string? AssetIdError(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "must be a non-empty asset id";
        }

        if (value.Length > MaxLength)
        {
            return $"must be at most {MaxLength} characters";
        }

        if (value is "." or "..")
        {
            // Escaping cannot save them: browsers, Teams and servers read %2E%2E as '..' too (the WHATWG URL standard),
            // so /departments/HO/assets/.. would open /departments/HO/.
            return $"must not be '{value}', which a link reads as {(value == "." ? "'this folder'" : "'the folder above'")}: the link to it would open another page";
        }

        if (IsEdgeSpace(value[0]) || IsEdgeSpace(value[^1]))
        {
            return "must not start or end with white space";
        }

        foreach (var c in value)
        {
            if (c is '/' or '\\' or '#' or '?' or '|' || char.IsControl(c))
            {
                return "must not contain '/', '\\', '#', '?', '|' or control characters";
            }
        }

        return null;
    }

    /// <summary>
    /// White space an identifier may not start or end with: every character .NET counts as white space, and the
    /// byte-order mark (U+FEFF), which ECMAScript's <c>\s</c> (the schema's pattern dialect) also counts. Identifiers
    /// are never trimmed: a padded one is refused, so that " CAM-1" cannot be a second device beside "CAM-1".
    /// </summary>
    private static bool IsEdgeSpace(char c) => char.IsWhiteSpace(c) || c == '\uFEFF';

    public static bool IsValidDepartment(string? value) => DepartmentError(value) is null;

    /// <summary>A stable 40-hex-digit key for an id chosen by someone else (which may hold characters keys forbid).</summary>
    public static string Hash(string value) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(value)))[..40];

    /// <summary>
    /// A 64-bit fingerprint of a command id (the first 8 bytes of its SHA-256), kept on the record to recognise a
    /// repeat. Over the few thousand commands one asset sees, a chance collision is below one in 10^12.
    /// </summary>
    public static ulong Fingerprint(string commandId)
    {
        Span<byte> digest = stackalloc byte[32];
        System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(commandId), digest);
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(digest);
    }
}
