using System.Text;

namespace AssetCompliance.Core.Catalogue;

/// <summary>
/// Normal form of a company or brand name as registers write it: case, punctuation, legal suffixes ("Co., Ltd."),
/// "(UK)", "Technology", "Digital" and provincial prefixes ("Zhejiang") are noise. Words are kept as tokens so that
/// matching can work on whole words; the key is the tokens joined, so "Hik Vision" and "Hikvision" agree. Text outside
/// ASCII is first brought to Unicode NFKC, so that full-width "ＨＩＫＶＩＳＩＯＮ" and ligatures read as the letters they are.
/// </summary>
internal sealed class VendorNameNormaliser(IEnumerable<string> noiseWords)
{
    private readonly HashSet<string> _noise = new(noiseWords.Select(w => w.ToLowerInvariant()), StringComparer.Ordinal);

    public IReadOnlyList<string> Tokens(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return [];
        }

        name = CompatibilityForms.ToNfkcAscii(name);
        var tokens = new List<string>(4);
        var current = new StringBuilder(16);
        foreach (var c in name)
        {
            if (char.IsLetterOrDigit(c))
            {
                current.Append(char.ToLowerInvariant(c));
            }
            else if (c is '.' or '\'')
            {
                // "Co." and "i.PRO" keep their letters together.
                continue;
            }
            else
            {
                Flush();
            }
        }

        Flush();
        return tokens;

        void Flush()
        {
            if (current.Length == 0)
            {
                return;
            }

            var token = current.ToString();
            current.Clear();
            if (!_noise.Contains(token))
            {
                tokens.Add(token);
            }
        }
    }

    public string Key(string? name) => string.Concat(Tokens(name));
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
