namespace AssetCompliance.Core.Catalogue;

/// <summary>
/// What a catalogue model pattern (the subset of regex the catalogue uses) says about itself, read without running it:
/// the shortest compact text it can match (whether compact matching is safe for it) and whether it nests unbounded
/// repetition (refused at load). <see cref="FirstCharacters"/> shares its group and quantifier readers.
/// </summary>
public static class ModelPatternSyntax
{
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
}
