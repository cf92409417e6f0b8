namespace AssetCompliance.Core.Events;

/// <summary>Which spellings of a MAC address a parser accepts.</summary>
public enum MacNotation
{
    /// <summary>
    /// The event contract's four notations (<c>docs/event-contract.md</c>, and the schema's pattern):
    /// <c>AA:BB:CC:DD:EE:FF</c>, <c>aa-bb-cc-dd-ee-ff</c>, Cisco's <c>aabb.ccdd.eeff</c> and 12 bare hex digits.
    /// Producers are programs: they can write one of these.
    /// </summary>
    Contract,

    /// <summary>
    /// Everything a person or a device's own console puts in a register export, on top of <see cref="Contract"/>:
    /// groups of four with '-' (HPE Comware, H3C and Huawei print <c>bcad-284f-1102</c>), ':' or ' ';
    /// two groups of six (<c>bcad28-4f1102</c>, HP ProCurve); six groups separated by spaces or dots
    /// (<c>BC AD 28 4F 11 02</c>); and six groups with leading zeros dropped (<c>bc:ad:28:4f:11:2</c>, as macOS and
    /// some Unix tools print), which is unambiguous because the separators fix every group.
    /// A notation is one separator throughout; mixed separators and short groups of four are refused.
    /// </summary>
    Register,
}

/// <summary>
/// A 48-bit MAC address. Registers write them in every notation (<see cref="MacNotation"/>); all parse to the same
/// value, and <see cref="ToString"/> gives the canonical <c>AA:BB:CC:DD:EE:FF</c>.
/// </summary>
public readonly record struct MacAddress(ulong Value)
{
    /// <summary>
    /// Whether the address can name one device: not all zeros, not broadcast, not a multicast group (the I/G bit of
    /// the first octet). Tools write the others when they do not know a device's MAC, so they are never an identity.
    /// </summary>
    public bool NamesDevice => Value is not (0 or 0xFFFF_FFFF_FFFF) && ((Value >> 40) & 1) == 0;

    /// <summary>The first <paramref name="bits"/> bits (24 for MA-L, 28 for MA-M, 36 for MA-S).</summary>
    public ulong Prefix(int bits) => Value >> (48 - bits);

    public override string ToString()
    {
        Span<char> buffer = stackalloc char[17];
        for (var i = 0; i < 6; i++)
        {
            var b = (byte)(Value >> (40 - (8 * i)));
            buffer[i * 3] = HexDigit(b >> 4);
            buffer[(i * 3) + 1] = HexDigit(b & 0xF);
            if (i < 5)
            {
                buffer[(i * 3) + 2] = ':';
            }
        }

        return new string(buffer);
    }

    /// <summary>
    /// The white space the contract allows around a MAC: ASCII tab, line feed, vertical tab, form feed, carriage
    /// return and space, the schema's pattern's own list. Other Unicode white space is not padding there.
    /// </summary>
    public const string ContractWhiteSpace = "\t\n\v\f\r ";

    /// <summary>Parses one of the contract's notations (<see cref="MacNotation.Contract"/>); surrounding <see cref="ContractWhiteSpace"/> is ignored.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out MacAddress address) => TryParse(text, MacNotation.Contract, out address);

    /// <summary>
    /// Parses <paramref name="text"/> in the notations <paramref name="notation"/> allows. Surrounding white space is
    /// ignored: for the contract, <see cref="ContractWhiteSpace"/> only, as its schema says; in a register, any.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<char> text, MacNotation notation, out MacAddress address)
    {
        text = notation == MacNotation.Contract ? text.Trim(ContractWhiteSpace) : text.Trim();
        return TryParseContract(text, out address) || (notation == MacNotation.Register && TryParseGroups(text, out address));
    }

    private static bool TryParseContract(ReadOnlySpan<char> text, out MacAddress address)
    {
        address = default;
        if (text.Length is not (12 or 14 or 17))
        {
            return false;
        }

        // Separator positions by notation: 17 = xx:xx:..., 14 = xxxx.xxxx.xxxx, 12 = bare hex.
        char separator = text.Length switch
        {
            17 => text[2],
            14 => text[4],
            _ => '\0',
        };
        if (text.Length == 17 && separator is not (':' or '-'))
        {
            return false;
        }

        if (text.Length == 14 && separator != '.')
        {
            return false;
        }

        ulong value = 0;
        var digits = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var isSeparatorSlot = text.Length switch
            {
                17 => i % 3 == 2,
                14 => i % 5 == 4,
                _ => false,
            };
            if (isSeparatorSlot)
            {
                if (c != separator)
                {
                    return false;
                }

                continue;
            }

            var nibble = HexValue(c);
            if (nibble < 0)
            {
                return false;
            }

            value = (value << 4) | (uint)nibble;
            digits++;
        }

        if (digits != 12)
        {
            return false;
        }

        address = new MacAddress(value);
        return true;
    }

    /// <summary>The register notations: one separator, and groups whose count fixes how many digits each holds.</summary>
    private static bool TryParseGroups(ReadOnlySpan<char> text, out MacAddress address)
    {
        address = default;
        var separatorIndex = text.IndexOfAny(":-. ");
        if (separatorIndex < 0 || text.Length > 17)
        {
            return false;
        }

        var separator = text[separatorIndex];
        Span<Range> groups = stackalloc Range[7];
        var count = text.Split(groups, separator);
        // Full-width groups only for four and six groups of digits; six groups may drop leading zeros (1 or 2 digits each).
        var (minDigits, maxDigits) = count switch
        {
            6 => (1, 2),
            3 => (4, 4),
            2 => (6, 6),
            _ => (0, 0),
        };
        if (maxDigits == 0)
        {
            return false;
        }

        ulong value = 0;
        foreach (var range in groups[..count])
        {
            var group = text[range];
            if (group.Length < minDigits || group.Length > maxDigits)
            {
                return false;
            }

            ulong groupValue = 0;
            foreach (var c in group)
            {
                var nibble = HexValue(c);
                if (nibble < 0)
                {
                    return false;
                }

                groupValue = (groupValue << 4) | (uint)nibble;
            }

            value = (value << (maxDigits * 4)) | groupValue;
        }

        address = new MacAddress(value);
        return true;
    }

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };

    private static char HexDigit(int nibble) => (char)(nibble < 10 ? '0' + nibble : 'A' + nibble - 10);
}
