using System.Globalization;
using System.Text;

namespace AssetCompliance.Core.Catalogue;

/// <summary>
/// The Unicode TR39 skeleton, restricted to look-alikes of ASCII letters and digits (catalogue/confusables.txt, an
/// extract of the Unicode confusables data): "Нikvision" with a Cyrillic EN has the skeleton of "Hikvision". Names
/// in the catalogue are ASCII, so a character whose look-alike is not ASCII can never make a match and is left as it
/// is. The skeleton is case-sensitive in TR39 (capital I looks like small l, small i does not), so names are compared
/// as lower-case keys with the ASCII pairs TR39 itself confuses folded (<see cref="Fold"/>) on both sides.
/// The text is brought to NFKC first (<see cref="CompatibilityForms"/>).
/// </summary>
internal sealed class ConfusableSkeleton
{
    private static readonly Lazy<ConfusableSkeleton> Embedded = new(() => Parse(System.Text.Encoding.UTF8.GetString(
        VendorCatalogue.ReadResource(typeof(ConfusableSkeleton).Assembly, "AssetCompliance.catalogue.confusables.txt"))));

    private readonly Dictionary<int, string> _map;

    private ConfusableSkeleton(Dictionary<int, string> map) => _map = map;

    /// <summary>The extract built into this assembly (catalogue/confusables.txt).</summary>
    public static ConfusableSkeleton Default => Embedded.Value;

    /// <summary>Number of code points with an ASCII look-alike.</summary>
    public int Count => _map.Count;

    /// <summary>Parses the extract (see <see cref="CodePointMap.Parse"/>).</summary>
    public static ConfusableSkeleton Parse(string text) => new(CodePointMap.Parse(text, "confusables.txt"));

    /// <summary>True when <paramref name="text"/> has a character outside ASCII (the only text a skeleton can change into a catalogue name).</summary>
    public static bool HasNonAscii(string text) => !Ascii.IsValid(text);

    /// <summary>
    /// <paramref name="text"/> in NFKC with every character outside ASCII that has an ASCII look-alike replaced by it
    /// ("Нikvision" becomes "Hikvision"). ASCII is left alone here, so that a normaliser can still recognise noise words
    /// ("Limited") before <see cref="Fold"/> confuses the ASCII pairs.
    /// </summary>
    public string ToAsciiLookAlikes(string text)
    {
        var normal = CompatibilityForms.ToNfkcAscii(text);
        var result = new StringBuilder(normal.Length);
        foreach (var rune in normal.EnumerateRunes())
        {
            if (rune.Value > 0x7F && _map.TryGetValue(rune.Value, out var target))
            {
                result.Append(target);
            }
            else
            {
                result.Append(rune.ToString());
            }
        }

        return result.ToString();
    }

    /// <summary>
    /// A lower-case name key with the ASCII pairs TR39 itself confuses folded together (capital I and digit 1 look like
    /// small l, which is then taken for i; 0 for o; m for rn). Applied to both sides of a comparison, it lets the
    /// case-sensitive skeleton work on case-folded keys: "НIKVISION" and "Hikvision" fold alike.
    /// </summary>
    public static string Fold(string key)
    {
        var result = new StringBuilder(key.Length + 2);
        foreach (var c in key)
        {
            switch (c)
            {
                case 'l' or '1' or 'i':
                    result.Append('i');
                    break;
                case '0':
                    result.Append('o');
                    break;
                case 'm':
                    result.Append("rn");
                    break;
                default:
                    result.Append(c);
                    break;
            }
        }

        return result.ToString();
    }

    /// <summary>True when some character of <paramref name="text"/> (after NFKC) is outside ASCII and has an ASCII look-alike.</summary>
    public bool HasLookAlikes(string text)
    {
        var normal = CompatibilityForms.ToNfkcAscii(text);
        foreach (var rune in normal.EnumerateRunes())
        {
            if (rune.Value > 0x7F && _map.ContainsKey(rune.Value))
            {
                return true;
            }
        }

        return false;
    }

}

/// <summary>
/// Unicode NFKC for the characters whose NFKC form is ASCII (catalogue/nfkc-ascii.txt, generated from UnicodeData.txt):
/// full-width "ＨＩＫＶＩＳＩＯＮ", ligatures, mathematical and circled letters. The repository runs with invariant
/// globalization, where <see cref="string.Normalize()"/> does nothing, and catalogue names are ASCII, so this is the
/// part of NFKC that can change a match; every other character is left as it is.
/// </summary>
internal static class CompatibilityForms
{
    private static readonly Lazy<Dictionary<int, string>> Embedded = new(() => CodePointMap.Parse(System.Text.Encoding.UTF8.GetString(
        VendorCatalogue.ReadResource(typeof(CompatibilityForms).Assembly, "AssetCompliance.catalogue.nfkc-ascii.txt")), "nfkc-ascii.txt"));

    /// <summary><paramref name="text"/> with every character whose NFKC form is ASCII replaced by that form; ASCII text is returned as it is.</summary>
    public static string ToNfkcAscii(string text)
    {
        if (Ascii.IsValid(text))
        {
            return text;
        }

        var map = Embedded.Value;
        var result = new StringBuilder(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            if (map.TryGetValue(rune.Value, out var target))
            {
                result.Append(target);
            }
            else
            {
                result.Append(rune.ToString());
            }
        }

        return result.ToString();
    }
}

/// <summary>The format of both Unicode extracts: '#' comment lines, then <c>SOURCE ;\tTARGET [TARGET...]</c> in hex, targets ASCII.</summary>
internal static class CodePointMap
{
    /// <summary>Throws <see cref="InvalidDataException"/> naming the file and line on anything else.</summary>
    public static Dictionary<int, string> Parse(string text, string fileName)
    {
        var map = new Dictionary<int, string>();
        var lineNumber = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNumber++;
            var line = raw.TrimEnd('\r');
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var fields = line.Split(';');
            if (fields.Length != 2 || !TryCodePoint(fields[0], out var source))
            {
                throw new InvalidDataException($"{fileName} line {lineNumber}: expected 'SOURCE ; TARGET' in hex");
            }

            var target = new StringBuilder(2);
            foreach (var part in fields[1].Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (!TryCodePoint(part, out var code) || code > 0x7F)
                {
                    throw new InvalidDataException($"{fileName} line {lineNumber}: target '{part}' is not an ASCII code point");
                }

                target.Append((char)code);
            }

            map[source] = target.ToString();
        }

        return map;
    }

    private static bool TryCodePoint(string hex, out int code) =>
        int.TryParse(hex.Trim(), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out code) && code is >= 0 and <= 0x10FFFF;
}
