using System.Text;

namespace AssetCompliance.Core.Catalogue;

/// <summary>
/// The register-typing-tolerant form of model numbers. Registers write the same model as <c>DS-2CD2143G2-I</c>,
/// <c>DS2CD2143G2I</c>, <c>ds 2cd2143g2 i</c> or <c>DS_2CD2143G2-I</c>; the catalogue's patterns are written once, with
/// the vendor's own dashes, and stay readable. Both sides are reduced to a compact form in which separators
/// (<c>- _ .</c> and white space) are dropped, except between two digits, where dropping one would join two numbers
/// into another number (<c>2.0C-H5A</c>, <c>DS-2TD2617-10</c>): there a single canonical <c>-</c> is kept.
/// </summary>
public static class ModelNumber
{
    /// <summary>
    /// What a separator in a pattern becomes in its compact form: the canonical kept separator between two digits, or
    /// nothing anywhere else. It never matches "nothing" between two digits, so <c>SD[0-9]{4}-</c> does not take the
    /// five-digit <c>SD49225XA-HNR</c> once the dash is gone.
    /// </summary>
    internal const string CompactGap = "(?:(?<=[0-9])-(?=[0-9])|(?<![0-9])|(?![0-9]))";

    /// <summary>Whether <paramref name="c"/> is a separator registers add or omit inside model numbers.</summary>
    public static bool IsSeparator(char c) => c is '-' or '_' or '.' || char.IsWhiteSpace(c);

    /// <summary>
    /// Text as patterns see it: compatibility forms folded to ASCII by the generated NFKC table
    /// (catalogue/nfkc-ascii.txt, through CompatibilityForms: <c>ＤＳ－２ＣＤ</c> is <c>DS-2CD</c>) and Unicode dashes to
    /// <c>-</c>; trimmed; runs of white space as one space. Not <see cref="string.Normalize()"/>: the hosts run with
    /// invariant globalisation, where it leaves non-ASCII text as it is.
    /// </summary>
    public static string Normalise(string model)
    {
        var text = model;
        foreach (var c in text)
        {
            if (c > 0x7F)
            {
                text = FoldWidthAndDashes(text);
                break;
            }
        }

        text = text.Trim();
        var needsCollapse = false;
        for (var i = 1; i < text.Length && !needsCollapse; i++)
        {
            needsCollapse = char.IsWhiteSpace(text[i]) && (text[i] != ' ' || char.IsWhiteSpace(text[i - 1]));
        }

        if (!needsCollapse)
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                if (builder.Length > 0 && builder[^1] != ' ')
                {
                    builder.Append(' ');
                }
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    // NFKC (with diacritics folded) from the same generated table the name matcher uses (CompatibilityForms), so that
    // full-width and other compatibility forms are folded one way everywhere; then the dashes NFKC leaves as they are
    // (U+2010 to U+2015, U+2212 minus) become '-', which is what registers mean by them in a model number.
    private static string FoldWidthAndDashes(string text)
    {
        var folded = CompatibilityForms.ToNfkcAscii(text);
        return string.Create(folded.Length, folded, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                var c = source[i];
                span[i] = c is >= '\u2010' and <= '\u2015' or '\u2212' ? '-' : c;
            }
        });
    }

    /// <summary>
    /// The compact form of a (normalised) model number: upper case, separators dropped, except one <c>-</c> kept where
    /// the characters either side are both digits. <c>DS-2CD2143G2-I</c> and <c>ds 2cd2143g2i</c> are both
    /// <c>DS2CD2143G2I</c>; <c>2.0C-H5A-D1</c> is <c>2-0CH5AD1</c>.
    /// </summary>
    public static string Compact(string text)
    {
        var builder = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (!IsSeparator(c))
            {
                builder.Append(char.ToUpperInvariant(c));
                continue;
            }

            // A run of separators counts once; keep it only between two digits.
            var next = i + 1;
            while (next < text.Length && IsSeparator(text[next]))
            {
                next++;
            }

            if (builder.Length > 0 && char.IsAsciiDigit(builder[^1]) && next < text.Length && char.IsAsciiDigit(text[next]))
            {
                builder.Append('-');
            }

            i = next - 1;
        }

        return builder.ToString();
    }

    /// <summary>
    /// The compact form of a catalogue pattern: every literal separator outside a character class (<c>-</c>,
    /// <c>\-</c>, <c>_</c>, a space, <c>\.</c>, <c>\s</c>) becomes <see cref="CompactGap"/>; everything else, including
    /// character classes and quantifiers on the separator, is kept, so <c>-?</c> and <c>(-|$)</c> stay valid.
    /// </summary>
    public static string CompactPattern(string pattern)
    {
        var builder = new StringBuilder(pattern.Length + 32);
        var inClass = false;
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\' && i + 1 < pattern.Length)
            {
                var escaped = pattern[i + 1];
                i++;
                if (!inClass && escaped is '-' or '.' or '_' or ' ' or 's')
                {
                    builder.Append(CompactGap);
                }
                else
                {
                    builder.Append(c).Append(escaped);
                }

                continue;
            }

            if (inClass)
            {
                inClass = c != ']';
                builder.Append(c);
                continue;
            }

            switch (c)
            {
                case '[':
                    inClass = true;
                    builder.Append(c);
                    // "[]..." and "[^]..." start with a literal ']'.
                    if (i + 1 < pattern.Length && pattern[i + 1] == '^')
                    {
                        builder.Append('^');
                        i++;
                    }

                    if (i + 1 < pattern.Length && pattern[i + 1] == ']')
                    {
                        builder.Append(']');
                        i++;
                    }

                    break;
                case '-' or '_' or ' ':
                    builder.Append(CompactGap);
                    break;
                default:
                    builder.Append(c);
                    break;
            }
        }

        return builder.ToString();
    }
}
