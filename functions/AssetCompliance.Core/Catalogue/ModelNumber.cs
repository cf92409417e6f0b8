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
                    var lookaround = SkipGroupPrefix(p, ref i);
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
                    (var low, _, i) = Braces(p, i);
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
    /// Whether <paramref name="pattern"/> repeats, without bound (<c>*</c>, <c>+</c>, <c>{n,}</c>), a group that itself
    /// holds a repetition of variable length: <c>(_[0-9A-Z]+)*$</c>, <c>(-[A-Z0-9]{1,3})*$</c>. Such a pattern can
    /// split a long near-miss in exponentially many ways, the more so in its compact form, where the separator that
    /// anchored each repetition may be empty. The catalogue refuses them at load; bound the outer repetition instead
    /// (<c>{0,3}</c>).
    /// </summary>
    public static bool NestsUnboundedRepetition(string pattern)
    {
        // For each open group: whether it holds a repetition of variable length so far.
        var groups = new Stack<bool>();
        var inClass = false;
        var lastGroupVariable = false;
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\')
            {
                i++;
                lastGroupVariable = false;
                continue;
            }

            if (inClass)
            {
                inClass = c != ']';
                continue;
            }

            var closedGroupVariable = lastGroupVariable;
            lastGroupVariable = false;
            switch (c)
            {
                case '[':
                    inClass = true;
                    break;
                case '(':
                    groups.Push(false);
                    break;
                case ')':
                    lastGroupVariable = groups.Count > 0 && groups.Pop();
                    MarkEnclosing(groups, lastGroupVariable);
                    break;
                case '*' or '+' or '?' or '{':
                    var (low, high) = c switch
                    {
                        '*' => (0, int.MaxValue),
                        '+' => (1, int.MaxValue),
                        '?' when i > 0 && pattern[i - 1] is '(' => (1, 1), // (?: (?= (?<name> …: not a quantifier
                        '?' => (0, 1),
                        _ => Bounds(pattern, i),
                    };
                    if (high == int.MaxValue && closedGroupVariable)
                    {
                        return true;
                    }

                    MarkEnclosing(groups, low != high);
                    break;
            }
        }

        return false;

        static void MarkEnclosing(Stack<bool> groups, bool variable)
        {
            if (variable && groups.Count > 0)
            {
                groups.Pop();
                groups.Push(true);
            }
        }

        static (int Low, int High) Bounds(string p, int open)
        {
            var (low, high, _) = Braces(p, open);
            return (low, high);
        }
    }

    /// <summary>
    /// Steps over the <c>?:</c>, <c>?=</c>, <c>?!</c>, <c>?&lt;=</c>, <c>?&lt;!</c> or <c>?&lt;name&gt;</c> after a
    /// group's <c>(</c> (at <paramref name="i"/>); true when the group is a zero-width lookaround.
    /// </summary>
    internal static bool SkipGroupPrefix(string p, ref int i)
    {
        if (i >= p.Length || p[i] != '?')
        {
            return false;
        }

        var lookaround = i + 1 < p.Length && (p[i + 1] is '=' or '!' || (p[i + 1] == '<' && i + 2 < p.Length && p[i + 2] is '=' or '!'));
        while (i < p.Length && p[i] is not (':' or '=' or '!' or '>'))
        {
            i++;
        }

        i++;
        return lookaround;
    }

    /// <summary>
    /// The bounds of a <c>{n}</c>, <c>{n,}</c> or <c>{n,m}</c> quantifier opening at <paramref name="open"/>
    /// (<see cref="int.MaxValue"/> when unbounded) and the index after its <c>}</c>.
    /// </summary>
    internal static (int Low, int High, int End) Braces(string p, int open)
    {
        var close = p.IndexOf('}', open);
        if (close < 0)
        {
            return (1, 1, p.Length);
        }

        var body = p[(open + 1)..close];
        var comma = body.IndexOf(',');
        var low = int.TryParse(comma < 0 ? body : body[..comma], out var n) ? n : 0;
        var high = comma < 0 ? low : int.TryParse(body[(comma + 1)..], out var m) ? m : int.MaxValue;
        return (low, high, close + 1);
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

/// <summary>
/// The catalogue's model patterns indexed by the characters a model number can start with, so that a cache miss tries
/// the few patterns that could match instead of all of them (a register's unknown models otherwise cost every pattern
/// twice). Order within a bucket is catalogue order, so the first hit is the same as a full scan's.
/// </summary>
internal sealed class ModelPatternIndex
{
    private readonly ModelPattern[][] _byFirst = new ModelPattern[128][];
    private readonly ModelPattern[] _all;

    public ModelPatternIndex(IReadOnlyList<ModelPattern> patterns)
    {
        _all = [.. patterns];
        var firsts = _all.Select(p => FirstCharacters.Of(p.Pattern)).ToArray();
        for (var c = 0; c < 128; c++)
        {
            _byFirst[c] = _all.Where((_, i) => firsts[i] is not { } set || set.Contains((char)c)).ToArray();
        }
    }

    /// <summary>The patterns that can match a text starting with <paramref name="first"/>, in catalogue order.</summary>
    public ReadOnlySpan<ModelPattern> Candidates(char first) => first < 128 ? _byFirst[first] : _all;
}

/// <summary>
/// The set of characters a catalogue pattern's match can start with (case-insensitively), separators treated as
/// optional so that one set serves the pattern as written and its compact form. Null means "any character" (a
/// construct the reader does not analyse): the pattern is then tried for every input.
/// </summary>
internal static class FirstCharacters
{
    public static HashSet<char>? Of(string pattern)
    {
        var i = 0;
        var (set, _) = Alternation(pattern, ref i);
        return set;
    }

    private static (HashSet<char>? Set, bool Nullable) Alternation(string p, ref int i)
    {
        HashSet<char>? union = [];
        var nullable = false;
        while (true)
        {
            var (set, branchNullable) = Sequence(p, ref i);
            union = union is null || set is null ? null : [.. union, .. set];
            nullable |= branchNullable;
            if (i < p.Length && p[i] == '|')
            {
                i++;
                continue;
            }

            return (union, nullable);
        }
    }

    private static (HashSet<char>? Set, bool Nullable) Sequence(string p, ref int i)
    {
        HashSet<char>? result = [];
        var open = true;
        while (i < p.Length && p[i] is not ('|' or ')'))
        {
            var (set, nullable) = Item(p, ref i);
            (set, nullable) = Quantifier(p, ref i, set, nullable);
            if (open)
            {
                result = result is null || set is null ? null : [.. result, .. set];
                open = nullable;
            }
        }

        return (result, open);
    }

    private static (HashSet<char>? Set, bool Nullable) Item(string p, ref int i)
    {
        var c = p[i++];
        switch (c)
        {
            case '^' or '$':
                return ([], true);
            case '.':
                return (null, false);
            case '-' or '_' or ' ':
                return ([c], true);
            case '\\':
                if (i >= p.Length)
                {
                    return (null, false);
                }

                var e = p[i++];
                return e switch
                {
                    'd' => ([.. "0123456789"], false),
                    '-' or '.' or '_' or ' ' => ([e], true),
                    's' => ([' ', '\t', '-', '_', '.'], true),
                    _ when char.IsLetterOrDigit(e) => (null, false),
                    _ => (Cased(e), false),
                };
            case '[':
                return (Class(p, ref i), false);
            case '(':
                var lookaround = ModelNumber.SkipGroupPrefix(p, ref i);
                var inner = Alternation(p, ref i);
                i++; // ')'
                return lookaround ? ([], true) : inner;
            default:
                return (Cased(c), false);
        }
    }

    private static (HashSet<char>? Set, bool Nullable) Quantifier(string p, ref int i, HashSet<char>? set, bool nullable)
    {
        if (i >= p.Length)
        {
            return (set, nullable);
        }

        switch (p[i])
        {
            case '?' or '*':
                i++;
                nullable = true;
                break;
            case '+':
                i++;
                break;
            case '{':
                (var low, _, i) = ModelNumber.Braces(p, i);
                nullable |= low == 0;
                break;
            default:
                return (set, nullable);
        }

        if (i < p.Length && p[i] == '?')
        {
            i++;
        }

        return (set, nullable);
    }

    private static HashSet<char>? Class(string p, ref int i)
    {
        var negated = i < p.Length && p[i] == '^';
        if (negated)
        {
            i++;
        }

        var set = new HashSet<char>();
        var first = true;
        while (i < p.Length && (p[i] != ']' || first))
        {
            first = false;
            var c = p[i++];
            if (c == '\\' && i < p.Length)
            {
                var e = p[i++];
                if (e == 'd')
                {
                    set.UnionWith("0123456789");
                    continue;
                }

                if (char.IsLetter(e))
                {
                    set = null;
                    break;
                }

                c = e;
            }

            if (i + 1 < p.Length && p[i] == '-' && p[i + 1] != ']')
            {
                var to = p[i + 1];
                i += 2;
                for (var x = c; x <= to; x++)
                {
                    set.UnionWith(Cased(x));
                }
            }
            else
            {
                set.UnionWith(Cased(c));
            }
        }

        while (i < p.Length && p[i] != ']')
        {
            i++;
        }

        i++;
        return negated ? null : set;
    }

    private static HashSet<char> Cased(char c) => [char.ToUpperInvariant(c), char.ToLowerInvariant(c)];
}
