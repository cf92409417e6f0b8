using System.Text.RegularExpressions;
using AssetCompliance.Core.Events;

namespace AssetCompliance.Core.Registers;

/// <summary>
/// Reads a register's MAC cell. The contract holds one MAC per device (<c>docs/event-contract.md</c>), in one of its
/// four notations, which are kept as written; the other notations people and consoles write
/// (<see cref="MacNotation.Register"/>) are read and given in the canonical <c>AA:BB:CC:DD:EE:FF</c>. Also read:
/// a label before the MAC (<c>MAC: …</c>, <c>HWaddr …</c>, <c>WiFi: …</c>) and a note after it (<c>(eth0)</c>), silently; several MACs in one cell (separated by
/// <c>; , |</c>, line breaks or spaces, or as a JSON array <c>["…","…"]</c>, as Defender exports a list): the first is read with a warning when all are in one MA-L block (the maker
/// evidence is the same), and none when the blocks differ (check will not choose which maker to believe; the MAC is
/// unread, so a good verdict is held back). Six groups with leading zeros dropped after the block
/// (<c>bc:ad:28:4f:11:2</c>, as macOS prints) are read with a warning: cut short or not, the block is the same; a
/// short group in the block (<c>0:bc:99:12:34:56</c>), or beside a group that kept its leading zero
/// (<c>00:BC:99:12:34:5</c>, a MAC cut short), is not read. Never read, each with the reason: Excel's scientific
/// rendering (<c>1.23457E+11</c>) and a number Excel shortened by dropping leading zeros (<c>1122334455</c>, bare
/// digits fewer than 12), and any other count of hex digits than 12: a MAC that is not certain is no MAC evidence.
/// </summary>
internal static partial class RegisterMacs
{
    private const string NotEvidence = "no MAC evidence";

    /// <summary>
    /// The MAC to record (as written for a contract notation, else canonical), or null. <paramref name="warning"/> is
    /// set for every reading but a single MAC in a register notation; <paramref name="unread"/> when no MAC was read.
    /// </summary>
    public static string? Read(string text, out string? warning, out bool unread)
    {
        warning = null;
        unread = false;
        var value = text.Trim();
        if (MacAddress.TryParse(value, out _))
        {
            return value;
        }

        // Consoles export a list cell as a JSON array (Defender's "MAC Addresses": ["bc:ad:…","bc:ad:…"]): the brackets
        // and each value's quotes are not part of a MAC.
        var listed = value.Length >= 2 && value[0] == '[' && value[^1] == ']';
        var parts = (listed ? value[1..^1] : value).Split([';', ',', '|', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => listed ? p.Trim('"', '\'').Trim() : p).Where(p => p.Length > 0).Select(Unlabelled).ToArray();
        if (parts.Length == 1 && !MacAddress.TryParse(parts[0], MacNotation.Register, out _)
            && parts[0].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries) is { Length: > 1 } spaced
            && spaced.All(p => MacAddress.TryParse(p, out _)))
        {
            // MACs separated by spaces: each a contract notation, since a register notation may hold spaces itself.
            parts = spaced;
        }

        if (parts.Length > 1)
        {
            return ReadSeveral(parts, out warning, out unread);
        }

        return ReadOne(parts.Length == 1 ? parts[0] : value, out warning, out unread);
    }

    /// <summary>
    /// One MAC's text without what people write around it: a label before it (<c>MAC:</c>, <c>HWaddr</c>,
    /// <c>WiFi:</c>, <c>eth0 =</c>: a label holds a letter that is not a hex digit, so <c>ac:de:…</c> is never one)
    /// and a note in brackets after it (<c>(eth0)</c>); taken off only when what is left is a MAC, else the text is kept.
    /// </summary>
    private static string Unlabelled(string text)
    {
        var value = text;
        if (Label().Match(value) is { Success: true } label && label.Length < value.Length)
        {
            value = value[label.Length..].Trim();
        }
        else if (NamedLabel().Match(value) is { Success: true } named)
        {
            value = named.Groups["rest"].Value.Trim();
        }

        value = TrailingNote().Replace(value, "");
        return MacAddress.TryParse(value, MacNotation.Register, out _) ? value : text;
    }

    private static string? ReadSeveral(string[] parts, out string? warning, out bool unread)
    {
        var addresses = new List<MacAddress>();
        foreach (var part in parts)
        {
            if (ReadOne(part, out var partWarning, out var partUnread) is not { } read || partUnread || !MacAddress.TryParse(read, MacNotation.Register, out var address))
            {
                unread = true;
                var reason = partWarning ?? $"is not a MAC address; {NotEvidence}";
                warning = $"holds {parts.Length} values, and '{RegisterCells.Shown(part)}' {reason}{(reason.Contains(NotEvidence, StringComparison.Ordinal) ? "" : $"; {NotEvidence}")}";
                return null;
            }

            addresses.Add(address);
        }

        var blocks = addresses.Select(a => a.Prefix(24)).Distinct().ToArray();
        if (blocks.Length > 1)
        {
            unread = true;
            warning = $"holds {parts.Length} MAC addresses in {blocks.Length} different blocks ({string.Join(", ", addresses.Select(a => a.ToString()[..8]).Distinct())}); the contract holds one MAC per device, and check will not choose whose maker evidence to believe: {NotEvidence}. Give each device its own row, or keep the MAC of the device itself";
            return null;
        }

        unread = false;
        warning = $"holds {parts.Length} MAC addresses; the contract holds one per device, so the first, {addresses[0]}, is read. All are in the block {addresses[0].ToString()[..8]}, so the maker evidence is the same";
        return addresses[0].ToString();
    }

    /// <summary>
    /// A MAC's block (its MA-L, the first 24 bits, as six hex digits): MACs of one block are one maker's evidence, of
    /// two blocks conflicting evidence. The one rule for a cell listing MACs and for a device's interface MACs
    /// (<c>--interfaces</c>); text no notation reads counts by its first six hex digits.
    /// </summary>
    internal static string Block(string mac) => MacAddress.TryParse(mac, MacNotation.Register, out var address)
        ? address.Prefix(24).ToString("X6", System.Globalization.CultureInfo.InvariantCulture)
        : new string(mac.Where(char.IsAsciiHexDigit).Take(6).Select(char.ToUpperInvariant).ToArray());

    private static string? ReadOne(string text, out string? warning, out bool unread)
    {
        warning = null;
        unread = true;
        if (MacAddress.TryParse(text, out _))
        {
            unread = false;
            return text;
        }

        if (MacAddress.TryParse(text, MacNotation.Register, out var address))
        {
            var groups = text.Split(text[text.AsSpan().IndexOfAny(":-. ")]);
            if (groups.Length == 6 && groups.Any(g => g.Length == 1))
            {
                if (groups.Any(g => g.Length == 2 && g[0] == '0'))
                {
                    // macOS drops every leading zero; a group that kept one beside a short group is a MAC cut short.
                    warning = $"has a one-digit group beside a group that kept its leading zero: the MAC looks cut short ({HexDigits(text)} hex digits, not 12), so its last digits are not known; {NotEvidence}";
                    return null;
                }

                if (groups.Take(3).Any(g => g.Length == 1))
                {
                    // Leading zeros dropped (macOS) or a digit lost: in the first three groups the two readings name
                    // different blocks, so the maker evidence is not certain either way.
                    warning = $"has a one-digit group in its block (the first three groups): read as leading zeros dropped it would be {address}, but if a digit was lost the block, and so the maker evidence, is another; {NotEvidence}";
                    return null;
                }

                unread = false;
                warning = $"read as {address}, with the leading zeros of its one-digit groups restored (as macOS prints a MAC); if the MAC was cut short instead, its block (the maker evidence) is the same";
                return address.ToString();
            }

            unread = false;
            return address.ToString();
        }

        warning = Problem(text);
        return null;
    }

    private static string Problem(string text)
    {
        if (ScientificNumber().IsMatch(text))
        {
            return $"is a number in scientific notation, as Excel shows a long number: the digits of the MAC are lost; {NotEvidence}. Format the column as text before exporting";
        }

        if (text.Length is > 0 and < 12 && text.All(char.IsAsciiDigit))
        {
            return text.Length == 11
                ? $"is 11 digits, one short of a MAC: either cut short, or a MAC whose leading zero Excel dropped when it read the digits as a number; {NotEvidence}. Format the column as text before exporting"
                : $"is a number of {text.Length} digits: Excel drops a MAC's leading zeros when it reads bare digits as a number (it would be {text.PadLeft(12, '0')} if that is all that happened, but that is not certain); {NotEvidence}. Format the column as text before exporting";
        }

        if (text.Length > 0 && text.All(c => char.IsAsciiHexDigit(c) || c is ':' or '-' or '.' or ' '))
        {
            var digits = HexDigits(text);
            var separators = text.Where(c => !char.IsAsciiHexDigit(c)).Distinct().Count();
            return digits == 12 && separators > 1
                ? $"mixes separators, so its groups are not certain; {NotEvidence}"
                : digits == 12
                    ? $"groups its 12 hex digits in a way no notation does; {NotEvidence}"
                    : $"holds {digits} hex digits, not a MAC's 12{(digits < 12 ? " (cut short?)" : "")}; {NotEvidence}";
        }

        return $"is not a MAC address; {NotEvidence}";
    }

    private static int HexDigits(string text) => text.Count(char.IsAsciiHexDigit);

    [GeneratedRegex(@"^[+-]?[0-9]+([.,][0-9]+)?[eE][+-]?[0-9]+$")]
    private static partial Regex ScientificNumber();

    /// <summary>A label before the MAC: "MAC:", "MAC address -", "HWaddr", "ether" (as ifconfig and ip print), then ':', '=', '-' or a space.</summary>
    [GeneratedRegex(@"^(mac(\s*addr(ess)?)?|hw\s*addr(ess)?|ether(net)?)\s*([:=#-]\s*|\s+)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Label();

    /// <summary>Any label with a letter that is not a hex digit, then ':' or '=': "WiFi:", "LAN MAC =", "eth0:".</summary>
    [GeneratedRegex(@"^(?<label>[^:=]*[g-zG-Z][^:=]*?)\s*[:=]\s*(?<rest>.+)$", RegexOptions.CultureInvariant)]
    private static partial Regex NamedLabel();

    [GeneratedRegex(@"\s*[(\[][^)\]]*[)\]]\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex TrailingNote();
}
