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
    /// Text as patterns see it: full-width forms folded to ASCII (<c>ＤＳ－２ＣＤ</c> is <c>DS-2CD</c>) and Unicode
    /// dashes to <c>-</c>, which is what NFKC does to a model number; trimmed; runs of white space as one space. Folded
    /// by hand because the hosts run with invariant globalisation, where <see cref="string.Normalize()"/> leaves
    /// non-ASCII text as it is.
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

    private static string FoldWidthAndDashes(string text) => string.Create(text.Length, text, static (span, source) =>
    {
        for (var i = 0; i < source.Length; i++)
        {
            var c = source[i];
            span[i] = c switch
            {
                >= '\uFF01' and <= '\uFF5E' => (char)(c - 0xFEE0),
                '\u3000' => ' ',
                >= '\u2010' and <= '\u2015' or '\u2212' or '\uFE63' => '-',
                _ => c,
            };
        }
    });

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
    /// The fewest characters a pattern's compact form must spell before compact matching is allowed for it. A broad
    /// namespace pattern (<c>^i?DS-[0-9A-Z]</c>, <c>^TC-[A-Z]{1,2}[0-9]</c>) is identified by its dash; without the dash
    /// it would take <c>DS920+</c> (a Synology NAS) or any word starting "TC". Such patterns match only as written.
    /// </summary>
    public const int CompactMinimumLength = 5;

    /// <summary>
    /// The length of the shortest text <paramref name="pattern"/> can match, separators not counted (they vanish in the
    /// compact form). Understands the subset of regex the catalogue uses: literals, escapes, classes, groups with
    /// alternation, lookarounds (zero width) and quantifiers; anything it cannot read counts as zero, which only ever
    /// withholds compact matching.
    /// </summary>
    public static int CompactMinimumMatchLength(string pattern)
    {
        var i = 0;
        return Sequence(pattern, ref i);

        static int Sequence(string p, ref int i)
        {
            var best = int.MaxValue;
            var current = 0;
            while (i < p.Length && p[i] != ')')
            {
                if (p[i] == '|')
                {
                    best = Math.Min(best, current);
                    current = 0;
                    i++;
                    continue;
                }

                current += Quantified(p, ref i, Item(p, ref i));
            }

            return Math.Min(best, current);
        }

        static int Item(string p, ref int i)
        {
            var c = p[i++];
            switch (c)
            {
                case '^' or '$':
                    return 0;
                case '\\':
                    if (i >= p.Length)
                    {
                        return 0;
                    }

                    var escaped = p[i++];
                    return escaped is '-' or '.' or '_' or ' ' or 's' or 'b' or 'B' ? 0 : 1;
                case '[':
                    if (i < p.Length && p[i] == '^') i++;
                    if (i < p.Length && p[i] == ']') i++;
                    while (i < p.Length && p[i] != ']')
                    {
                        i += p[i] == '\\' ? 2 : 1;
                    }

                    i++;
                    return 1;
                case '(':
                    var lookaround = false;
                    if (i < p.Length && p[i] == '?')
                    {
                        // (?: group, (?= (?! (?<= (?<! lookarounds, (?<name> group.
                        lookaround = i + 1 < p.Length && (p[i + 1] is '=' or '!' || (p[i + 1] == '<' && i + 2 < p.Length && p[i + 2] is '=' or '!'));
                        while (i < p.Length && p[i] is not (':' or '=' or '!' or '>'))
                        {
                            i++;
                        }

                        i++;
                    }

                    var inner = Sequence(p, ref i);
                    i++; // ')'
                    return lookaround ? 0 : inner;
                case '-' or '_' or ' ':
                    return 0;
                default:
                    return 1;
            }
        }

        static int Quantified(string p, ref int i, int item)
        {
            if (i >= p.Length)
            {
                return item;
            }

            int result;
            switch (p[i])
            {
                case '?' or '*':
                    i++;
                    result = 0;
                    break;
                case '+':
                    i++;
                    result = item;
                    break;
                case '{':
                    var close = p.IndexOf('}', i);
                    var body = close < 0 ? string.Empty : p[(i + 1)..close];
                    var comma = body.IndexOf(',');
                    var low = int.TryParse(comma < 0 ? body : body[..comma], out var n) ? n : 0;
                    i = close < 0 ? p.Length : close + 1;
                    result = item * low;
                    break;
                default:
                    return item;
            }

            if (i < p.Length && p[i] == '?')
            {
                i++; // lazy
            }

            return result;
        }
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
