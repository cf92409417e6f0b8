namespace AssetCompliance.Core.Registers;

/// <summary>
/// What kind of file a register is, from the bytes at its start and never from its name alone: CSV, JSON Lines, an
/// Excel workbook, or something check cannot read (an .xls or encrypted workbook, another ZIP, UTF-16 or UTF-32
/// text, binary data, a JSON array or document, an empty file), then with a sentence saying what it is and what to do.
/// </summary>
internal static class RegisterFormat
{
    /// <summary>How much of the start decides what kind of file it is (a NUL in it: not text): 8 KiB.</summary>
    public const int ShapeBytes = 8 * 1024;

    /// <summary>The kinds of file a register may be.</summary>
    public enum Shape
    {
        /// <summary>Text of delimited fields under a header.</summary>
        Csv,

        /// <summary>Text whose first non-blank character is '{': one event per line.</summary>
        JsonLines,

        /// <summary>A ZIP archive with parts under <c>xl/</c>, or one named as a workbook.</summary>
        Xlsx,

        /// <summary>Anything else; the problem says what.</summary>
        Unreadable,
    }

    /// <summary>
    /// The shape of a file whose first bytes are <paramref name="head"/> (at most <see cref="ShapeBytes"/>) and whose
    /// name ends in <paramref name="extension"/> (lower case, with its dot), with the problem when it is unreadable.
    /// </summary>
    public static (Shape Shape, string? Problem) Sniff(ReadOnlySpan<byte> head, string extension)
    {
        const string SaveAsCsv = "save it as 'CSV UTF-8 (comma delimited)' and check that file";
        if (head.StartsWith("PK\u0003\u0004"u8) && XlsxRegister.IsWorkbook(head, extension))
        {
            return (Shape.Xlsx, null);
        }

        if (head.StartsWith("PK\u0003\u0004"u8))
        {
            var what = extension == ".ods" ? "an OpenDocument spreadsheet" : "a zip archive that is not an Excel workbook (it has no xl/ parts)";
            return (Shape.Unreadable, $"is {what}, which check cannot read: {SaveAsCsv}");
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) && (XlsxRegister.IsEncryptedPackage(head) || extension is ".xlsx" or ".xlsm"))
        {
            return (Shape.Unreadable, $"is an encrypted (password-protected) Excel workbook, which check cannot read: remove the password, or {SaveAsCsv}");
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]))
        {
            return (Shape.Unreadable, $"is an Excel 97-2003 workbook (.xls), which check cannot read: {SaveAsCsv}");
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || head.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]) || head.StartsWith((ReadOnlySpan<byte>)[0x00, 0x00, 0xFE, 0xFF]))
        {
            return (Shape.Unreadable, $"is UTF-32 text, which check does not read: {SaveAsCsv}");
        }

        if (head.IndexOf((byte)0) >= 0)
        {
            return Utf16WithoutMark(head) is { } order
                ? (Shape.Unreadable, $"is UTF-16 text ({order}) without a byte-order mark (every other byte is NUL): give --encoding utf-16{(order == "little-endian" ? "le" : "be")}, or {SaveAsCsv}")
                : (Shape.Unreadable, "is not text (it holds NUL bytes): check reads CSV and JSON Lines");
        }

        var text = head.StartsWith("\uFEFF"u8) ? head[3..] : head;
        text = text.TrimStart(" \t\r\n"u8);
        if (text.IsEmpty)
        {
            return (Shape.Unreadable, "is empty");
        }

        if (text[0] == (byte)'[')
        {
            return (Shape.Unreadable, "is a JSON array; check reads JSON Lines, one event per line (jq -c '.[]' FILE > FILE.jsonl converts it)");
        }

        // The content decides, not the extension (README): a CSV saved as .jsonl is still CSV, and an event file
        // under any name starts with '{'.
        if (text[0] == (byte)'{')
        {
            var end = text.IndexOfAny((byte)'\n', (byte)'\r');
            var firstLine = (end >= 0 ? text[..end] : text).TrimEnd(" \t"u8);
            return firstLine.SequenceEqual("{"u8)
                ? (Shape.Unreadable, "is one JSON document spread over lines; check reads JSON Lines, one event per line (jq -c . FILE > FILE.jsonl converts it)")
                : (Shape.JsonLines, null);
        }

        return (Shape.Csv, null);
    }

    /// <summary>
    /// "little-endian" or "big-endian" when the bytes look like UTF-16 text of mostly ASCII characters (a NUL at
    /// nearly every odd, or every even, position, and almost none at the others), else null.
    /// </summary>
    private static string? Utf16WithoutMark(ReadOnlySpan<byte> head)
    {
        var pairs = head.Length / 2;
        if (pairs < 4)
        {
            return null;
        }

        var (evenNul, oddNul) = (0, 0);
        for (var i = 0; i + 1 < head.Length; i += 2)
        {
            evenNul += head[i] == 0 ? 1 : 0;
            oddNul += head[i + 1] == 0 ? 1 : 0;
        }

        return oddNul >= pairs * 8 / 10 && evenNul <= pairs / 10 ? "little-endian"
            : evenNul >= pairs * 8 / 10 && oddNul <= pairs / 10 ? "big-endian"
            : null;
    }
}
