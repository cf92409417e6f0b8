namespace AssetCompliance.Core.Catalogue;

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
                var lookaround = ModelPatternSyntax.SkipGroupPrefix(p, ref i);
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
                (var low, _, i) = ModelPatternSyntax.Braces(p, i);
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
