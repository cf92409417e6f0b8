using System.Text;

namespace AssetCompliance.Cli;

/// <summary>
/// Register text on its way to a terminal. A cell is whatever someone typed or a tool wrote, so its control
/// characters are shown, not obeyed: ESC would start colour, cursor and screen-clearing sequences that could hide or
/// rewrite the lines around it, the bidirectional overrides would reorder the line as displayed, and a byte-order mark (U+FEFF) or U+FFFE/U+FFFF
/// would not show at all.
/// JSON and CSV reports keep the text as it is (JSON escapes control characters itself).
/// </summary>
internal static class TerminalText
{
    /// <summary><paramref name="text"/> with each control, DEL, C1, bidirectional-control, U+FEFF, U+FFFE or U+FFFF character as <c>\uXXXX</c>; line breaks as <c>\n</c>, <c>\r</c>, tabs as <c>\t</c>.</summary>
    public static string Safe(string text)
    {
        var i = 0;
        while (i < text.Length && !IsUnsafe(text[i]))
        {
            i++;
        }

        if (i == text.Length)
        {
            return text;
        }

        var safe = new StringBuilder(text.Length + 8).Append(text, 0, i);
        for (; i < text.Length; i++)
        {
            var c = text[i];
            _ = !IsUnsafe(c) ? safe.Append(c)
                : c switch
                {
                    '\n' => safe.Append("\\n"),
                    '\r' => safe.Append("\\r"),
                    '\t' => safe.Append("\\t"),
                    _ => safe.Append("\\u").Append(((int)c).ToString("X4", System.Globalization.CultureInfo.InvariantCulture)),
                };
        }

        return safe.ToString();
    }

    private static bool IsUnsafe(char c) => char.IsControl(c) || c is (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069') or '\u200E' or '\u200F' or '\u061C' or '\uFEFF' or '\uFFFE' or '\uFFFF';
}
