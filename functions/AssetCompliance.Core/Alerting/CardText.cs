using System.Globalization;
using System.Text;

namespace AssetCompliance.Core.Alerting;

/// <summary>
/// Makes text from a register (or anywhere else outside our code) safe to show in a card exactly as it is written.
/// <para>
/// Cards put such text only in <see cref="TextRun"/>s, which Adaptive Cards never process as Markdown, so <c>**</c>,
/// <c>_</c>, <c>[text](url)</c>, <c>- </c>, <c>1. </c> and <c>#</c> stay literal by construction, and HTML is text
/// (the runs are set as text, not markup). Backslash escapes would not do: Teams' desktop and mobile renderers have
/// honoured them differently over the years (microsoft/AdaptiveCards #5590, #4677, Teams-AdaptiveCards-Mobile #83).
/// What renderers do apply to runs, this function defuses:
/// </para>
/// <list type="bullet">
/// <item><c>{{DATE(…)}}</c> and <c>{{TIME(…)}}</c>: the date functions are substituted in TextRuns as in TextBlocks. A
/// WORD JOINER (U+2060, invisible, no line break) goes between two opening braces, which no renderer's pattern
/// matches, so <c>{{DATE(2026-01-01T00:00:00Z)}}</c> shows as written instead of a localised date.</item>
/// <item>Control characters (line breaks, tabs, escape) are shown as their Unicode control pictures (U+2400 block:
/// a line feed shows as ␊), so a value cannot start a fake line of its own.</item>
/// <item>Invisible format characters (bidirectional overrides and isolates such as U+202E, zero-width spaces, the byte
/// order mark, soft hyphens, tag characters, line and paragraph separators) are shown as <c>[U+202E]</c>: an override
/// would otherwise reverse the text after it, and a hidden character would make two different values look the
/// same. The zero-width joiner and non-joiner stay, since emoji sequences and several scripts need them.</item>
/// <item>A lone surrogate becomes U+FFFD.</item>
/// </list>
/// Everything else (letters of any script, emoji, punctuation, backslashes) passes unchanged.
/// </summary>
public static class CardText
{
    /// <summary>The invisible separator put between two opening braces to defuse the date functions.</summary>
    public const char WordJoiner = '\u2060';

    /// <summary>The text as a card must carry it to be shown literally (see the type's remarks).</summary>
    public static string Literal(string text)
    {
        if (!NeedsWork(text))
        {
            return text;
        }

        var builder = new StringBuilder(text.Length + 16);
        var previousBrace = false;
        foreach (var rune in text.EnumerateRunes())
        {
            // EnumerateRunes yields U+FFFD for a lone surrogate.
            var value = rune.Value;
            if (value == '{' && previousBrace)
            {
                builder.Append(WordJoiner);
            }

            previousBrace = value == '{';
            if (value < 0x20)
            {
                builder.Append((char)(0x2400 + value));
            }
            else if (value == 0x7F)
            {
                builder.Append('\u2421');
            }
            else if (IsHidden(rune))
            {
                builder.Append(CultureInfo.InvariantCulture, $"[U+{value:X4}]");
            }
            else
            {
                builder.Append(rune.ToString());
            }
        }

        return builder.ToString();
    }

    /// <summary>
    /// At most <paramref name="maxLength"/> characters of <paramref name="text"/>, ending in "…" when cut, never in
    /// the middle of a surrogate pair: one long value must not push a device out of its card.
    /// </summary>
    public static string Clip(string text, int maxLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 2);
        if (text.Length <= maxLength)
        {
            return text;
        }

        var cut = maxLength - 1;
        if (char.IsHighSurrogate(text[cut - 1]))
        {
            cut--;
        }

        return string.Concat(text.AsSpan(0, cut), "…");
    }

    private static bool NeedsWork(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c < 0x20 || c == 0x7F || (c == '{' && i + 1 < text.Length && text[i + 1] == '{') || char.IsSurrogate(c) ||
                (c >= 0x80 && IsHidden(new Rune(c))))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsHidden(Rune rune) => rune.Value switch
    {
        0x200C or 0x200D => false, // zero-width non-joiner and joiner: part of emoji sequences and of several scripts
        >= 0x80 and <= 0x9F => true, // C1 controls, such as NEXT LINE
        0x2028 or 0x2029 => true, // line and paragraph separators
        _ => Rune.GetUnicodeCategory(rune) == UnicodeCategory.Format,
    };
}
