namespace AssetCompliance.Core.Catalogue;

/// <summary>
/// When a name that is not a catalogue name is a typing error for one (<c>Hikvison</c>, <c>Dahau</c>, <c>Sunnell</c>):
/// the length-scaled edit rules, apart from the dictionaries they are tried against (<see cref="NameMatcher"/>).
/// </summary>
internal static class TypoTolerance
{
    /// <summary>The fewest characters a name key (or an alias found inside a longer name) needs for tolerant matching.</summary>
    internal const int MinimumLength = 5;

    /// <summary>From this length on, any single edit counts as a typo; below it, only a swap or a doubled letter.</summary>
    private const int LooseMinimumLength = 7;

    /// <summary>
    /// One edit, scaled to length: in a word of five or six letters a changed, added or dropped letter makes another
    /// word as often as a typo ("Tandy" is one letter from "Tiandy", "Dahle" from "Dahl"), so only two swapped
    /// neighbours or one letter typed twice, which keep every letter, count ("Dahau", "Sunnell"). From seven letters on, any single edit counts
    /// ("Hikvison"). The first letter must agree in both cases: registers mistype the middle of a word, not its start.
    /// </summary>
    internal static bool IsLikelyTypo(string key, string aliasKey)
    {
        if (aliasKey.Length < MinimumLength || key.Length == 0 || key[0] != aliasKey[0] || key == aliasKey)
        {
            return false;
        }

        if (Math.Min(key.Length, aliasKey.Length) < LooseMinimumLength)
        {
            return key.Length == aliasKey.Length ? IsOneTransposition(key, aliasKey) : IsOneDoubledLetter(key, aliasKey) || IsOneDoubledLetter(aliasKey, key);
        }

        return EditDistance.Bounded(key, aliasKey, 1) <= 1;
    }

    /// <summary>
    /// Whether <paramref name="longer"/> is <paramref name="shorter"/> with one letter typed twice ("Sunnell" for
    /// "Sunell"): a key held down keeps every letter and their order, so, like a swap, it rarely makes another word.
    /// </summary>
    private static bool IsOneDoubledLetter(string longer, string shorter)
    {
        if (longer.Length != shorter.Length + 1)
        {
            return false;
        }

        var i = 0;
        while (i < shorter.Length && longer[i] == shorter[i])
        {
            i++;
        }

        // longer[i] is the extra letter: it must repeat its neighbour, and the rest must agree.
        var doubled = (i > 0 && longer[i] == longer[i - 1]) || (i + 1 < longer.Length && longer[i] == longer[i + 1]);
        return doubled && longer.AsSpan(i + 1).SequenceEqual(shorter.AsSpan(i));
    }

    private static bool IsOneTransposition(string a, string b)
    {
        var first = -1;
        for (var i = 0; i < a.Length; i++)
        {
            if (a[i] == b[i])
            {
                continue;
            }

            if (first >= 0)
            {
                return i == first + 1 && a[first] == b[i] && a[i] == b[first] && a.AsSpan(i + 1).SequenceEqual(b.AsSpan(i + 1));
            }

            first = i;
        }

        return false;
    }
}
