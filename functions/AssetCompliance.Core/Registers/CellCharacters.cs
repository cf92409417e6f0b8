namespace AssetCompliance.Core.Registers;

/// <summary>
/// Characters in a cell that are not what the register meant (U+FFFD from bytes that are not UTF-8, control
/// characters, a byte-order mark, non-characters, invisible format characters), and those a storage key cannot hold.
/// </summary>
internal static class CellCharacters
{
    /// <summary>
    /// Why a cell's characters are not what the register meant, or null: U+FFFD, which decoding puts where the bytes
    /// are not UTF-8 (a file saved as Windows-1252, Excel's plain 'CSV'); a control character (NUL and the other C0
    /// and C1 controls, DEL; tab is allowed, and line breaks when <paramref name="keepLineBreaks"/>: a quoted cell may
    /// span lines); U+FEFF, a byte-order mark inside the text (two exports joined into one file); and U+FFFE and
    /// U+FFFF, which are not characters.
    /// </summary>
    public static string? CharacterProblem(string value, bool keepLineBreaks)
    {
        // Every cell of every row comes here: one vectorised search finds the clean cells (nearly all), and only a
        // cell holding one of these characters is read again to name the problem.
        if (value.AsSpan().IndexOfAny(keepLineBreaks ? ProblemsKeepingLineBreaks : Problems) < 0)
        {
            return null;
        }

        foreach (var c in value)
        {
            if (c == '\uFFFD')
            {
                return "holds U+FFFD where the file has bytes that are not UTF-8: the file was probably saved as Windows-1252 (Excel's plain 'CSV'); save it as 'CSV UTF-8 (comma delimited)'";
            }
        }

        foreach (var c in value)
        {
            if (IsBadCharacter(c, keepLineBreaks))
            {
                return c == '\uFEFF'
                    ? "holds U+FEFF, a byte-order mark inside the file (were two exports joined into one?)"
                    : c is '\uFFFE' or '\uFFFF'
                        ? $"holds U+{(int)c:X4}, which is not a character"
                        : $"holds the control character U+{(int)c:X4}";
            }
        }

        return null;
    }

    /// <summary>Every character <see cref="IsBadCharacter"/> is true of, and U+FFFD.</summary>
    private static string ProblemCharacters(bool keepLineBreaks) => new([.. Enumerable.Range(0, 0x10000).Select(i => (char)i).Where(c => c == '\uFFFD' || IsBadCharacter(c, keepLineBreaks))]);

    private static readonly System.Buffers.SearchValues<char> Problems = System.Buffers.SearchValues.Create(ProblemCharacters(keepLineBreaks: false));

    private static readonly System.Buffers.SearchValues<char> ProblemsKeepingLineBreaks = System.Buffers.SearchValues.Create(ProblemCharacters(keepLineBreaks: true));

    /// <summary>Whether one character is one <see cref="CharacterProblem"/> names: a control (but tab, and line breaks when kept), U+FEFF, U+FFFE or U+FFFF.</summary>
    public static bool IsBadCharacter(char c, bool keepLineBreaks) =>
        c is '\uFEFF' or '\uFFFE' or '\uFFFF' || (char.IsControl(c) && c != '\t' && !(keepLineBreaks && c is '\n' or '\r'));

    /// <summary>
    /// Why an identifier cannot be a storage key, naming the character at fault: Table Storage forbids
    /// <c>/ \ # ?</c> and control characters in keys, and the store uses <c>|</c> as a separator; and, for a key the
    /// rules allow, the characters of <see cref="CharacterProblem"/> (U+FFFD, U+FEFF, U+FFFE/U+FFFF) and invisible
    /// format characters (U+200B, U+00AD, U+202E, …), which push refuses too.
    /// </summary>
    public static string? IdentifierProblem(string value, string? error)
    {
        if (error is null)
        {
            // Characters the key rules allow but that are not what the register meant: U+FFFD from bytes that are
            // not UTF-8 (two such ids could become one key), a byte-order mark, U+FFFE/U+FFFF; and an invisible
            // format character (a zero-width space pasted from a web page, a soft hyphen, a bidirectional override),
            // which makes an id that reads as another's a second key: a sync would remove the device it looks like.
            return CharacterProblem(value, keepLineBreaks: false) ?? InvisibleProblem(value);
        }

        foreach (var c in value)
        {
            if (c is '/' or '\\' or '#' or '?' or '|')
            {
                return $"contains '{c}', which a storage key cannot hold ({error})";
            }

            if (char.IsControl(c))
            {
                return $"contains the control character U+{(int)c:X4}, which a storage key cannot hold";
            }
        }

        return CharacterProblem(value, keepLineBreaks: false) is { } characters ? $"{error}; it {characters}" : error;
    }

    private static string? InvisibleProblem(string value)
    {
        foreach (var c in value)
        {
            if (char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.Format)
            {
                return $"holds the invisible character U+{(int)c:X4}, so it reads as an id it is not";
            }
        }

        return null;
    }
}
