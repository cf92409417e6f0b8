namespace AssetCompliance.Core.Events;

/// <summary>
/// A 48-bit MAC address. Registers write them in every notation: <c>AA:BB:CC:DD:EE:FF</c>, <c>aa-bb-cc-dd-ee-ff</c>,
/// Cisco's <c>aabb.ccdd.eeff</c> and bare hex; all parse to the same value.
/// </summary>
public readonly record struct MacAddress(ulong Value)
{
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

    public static bool TryParse(ReadOnlySpan<char> text, out MacAddress address)
    {
        address = default;
        text = text.Trim();
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

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };

    private static char HexDigit(int nibble) => (char)(nibble < 10 ? '0' + nibble : 'A' + nibble - 10);
}
