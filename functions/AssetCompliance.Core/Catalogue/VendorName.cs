using System.Text;

namespace AssetCompliance.Core.Catalogue;

/// <summary>
/// Normal form of a company or brand name as registers write it: case, punctuation, legal suffixes ("Co., Ltd."),
/// "(UK)", "Technology", "Digital" and provincial prefixes ("Zhejiang") are noise. Words are kept as tokens so that
/// matching can work on whole words; the key is the tokens joined, so "Hik Vision" and "Hikvision" agree. Text outside
/// ASCII is first brought to Unicode NFKC, so that full-width "ＨＩＫＶＩＳＩＯＮ" and ligatures read as the letters they are.
/// </summary>
internal sealed class VendorNameNormaliser
{
    private readonly HashSet<string> _noise;
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _noiseBySpan;

    public VendorNameNormaliser(IEnumerable<string> noiseWords)
    {
        _noise = new HashSet<string>(noiseWords.Select(w => w.ToLowerInvariant()), StringComparer.Ordinal);
        _noiseBySpan = _noise.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public IReadOnlyList<string> Tokens(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return [];
        }

        var words = new List<Range>(4);
        var letters = Words(CompatibilityForms.ToNfkcAscii(name), words);
        var tokens = new List<string>(words.Count);
        foreach (var word in words)
        {
            tokens.Add(new string(letters.AsSpan(word)));
        }

        return tokens;
    }

    public string Key(string? name) => string.Concat(Tokens(name));

    /// <summary>
    /// The key and the first word of <paramref name="name"/> (empty when it has none) without a string per word: the
    /// typo guard normalises the IEEE registry's 30,000 organisation names with it.
    /// </summary>
    public (string Key, string FirstWord) KeyAndFirstWord(string name)
    {
        var words = new List<Range>(4);
        var letters = Words(CompatibilityForms.ToNfkcAscii(name), words);
        if (words.Count == 0)
        {
            return ("", "");
        }

        // Words are written one after another into the buffer, so the key is one slice.
        var key = new string(letters.AsSpan(words[0].Start.Value, words[^1].End.Value - words[0].Start.Value));
        return (key, words.Count == 1 ? key : new string(letters.AsSpan(words[0])));
    }

    /// <summary>
    /// The words of a name, lower-cased and written one after another into the returned buffer, with their ranges in
    /// <paramref name="words"/>; noise words are left out. Letters and digits make words; '.' and '\'' are skipped
    /// ("Co." and "i.PRO" keep their letters together); anything else ends a word.
    /// </summary>
    private char[] Words(string name, List<Range> words)
    {
        var buffer = new char[name.Length];
        var length = 0;
        var start = 0;
        foreach (var c in name)
        {
            if (char.IsLetterOrDigit(c))
            {
                buffer[length++] = char.ToLowerInvariant(c);
            }
            else if (c is not ('.' or '\''))
            {
                End();
            }
        }

        End();
        return buffer;

        void End()
        {
            if (length > start && _noiseBySpan.Contains(buffer.AsSpan(start, length - start)))
            {
                length = start;
            }
            else if (length > start)
            {
                words.Add(new Range(start, length));
                start = length;
            }
        }
    }
}

/// <summary>Optimal string alignment distance (Levenshtein plus adjacent transposition), bounded for speed.</summary>
internal static class EditDistance
{
    public static int Bounded(string a, string b, int max)
    {
        if (Math.Abs(a.Length - b.Length) > max)
        {
            return max + 1;
        }

        var previous2 = new int[b.Length + 1];
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            var rowMin = current[0];
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                var value = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    value = Math.Min(value, previous2[j - 2] + 1);
                }

                current[j] = value;
                rowMin = Math.Min(rowMin, value);
            }

            if (rowMin > max)
            {
                return max + 1;
            }

            (previous2, previous, current) = (previous, current, previous2);
        }

        return previous[b.Length];
    }
}
