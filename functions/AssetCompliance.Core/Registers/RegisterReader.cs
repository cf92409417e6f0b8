namespace AssetCompliance.Core.Registers;

/// <summary>
/// Reads a department's register export, whatever the file turns out to be: CSV with the documented header
/// (<see cref="CsvHeader"/>), or JSON Lines of contract-v1 CloudEvents. Every row comes back, read
/// (<see cref="RegisterRow.Device"/>, with a warning per cell not in the documented form) or not (with its line and
/// why); an Excel workbook is read sheet by sheet as <see cref="XlsxRegister"/> says; a file that is none of these (an .xls or encrypted workbook, a JSON array, binary data, UTF-16 text, an empty file, a header that does
/// not match) comes back as one unreadable row for the whole file, saying what it is. Nothing is dropped silently, and
/// memory does not grow with the file: at most <see cref="MaxRecordBytes"/> per record.
/// <para>The parts: <see cref="RegisterFormat"/> (what kind of file), <see cref="RegisterEncoding"/> (which encoding,
/// and transcoding), <see cref="CsvDelimiter"/> (which delimiter), <see cref="CsvRegister"/>,
/// <see cref="XlsxRegister"/> and <see cref="JsonLinesRegister"/> (the rows), <see cref="CrossRowWarnings"/>.</para>
/// </summary>
public static class RegisterReader
{
    /// <summary>The columns a CSV export must have, in any order; others are ignored.</summary>
    public static readonly string[] CsvHeader =
    [
        "asset_id", "department", "manufacturer", "model", "serial_number", "mac_address", "device_type",
        "site_id", "site_name", "site_sensitive", "network_segment", "installed_on", "status",
    ];

    /// <summary>
    /// The longest record (CSV, quoted line breaks included) or JSON line read, in bytes of UTF-8: 1 MiB, thousands of
    /// times a real row. A longer one is an unreadable row and reading goes on at the next line.
    /// </summary>
    public const int MaxRecordBytes = 1 << 20;

    /// <summary>How much of the start of a file decides its shape and delimiter: 64 KiB, hundreds of rows.</summary>
    private const int SniffBytes = 64 * 1024;

    /// <summary>
    /// Reads <paramref name="stream"/>, which must be seekable (a file): recovering from a malformed record means going
    /// back to the line after it. <paramref name="fileName"/> is used for its extension only, to name what a file that
    /// is not text is; the content decides: text whose first non-blank character is '{' is JSON Lines, other text
    /// is CSV (a CSV named <c>.jsonl</c> or <c>.xlsx</c> too), and a ZIP archive with parts under <c>xl/</c> is a workbook, even named <c>.csv</c>.
    /// Across rows of either shape, an asset id met again is a warning naming the line it was first on, and so is a
    /// department code that differs from an earlier one only in case (push sends one event per asset and matches
    /// department codes exactly, so it refuses such rows): every row is still reported, duplicates too.
    /// </summary>
    public static IEnumerable<RegisterRow> Read(Stream stream, string fileName) => Open(stream, fileName).Rows;

    /// <summary>
    /// Reads <paramref name="stream"/> as <see cref="Read(Stream, string)"/> does, with the delimiter, encoding and (for a workbook)
    /// sheet detected or taken from <paramref name="options"/>, and says how the file is read
    /// (<see cref="RegisterSource.ReadAs"/>) before any row is. The start of the file is read now; the rows as they
    /// are enumerated. A delimiter that cannot be told is one unreadable row for the whole file, never a guess.
    /// </summary>
    public static RegisterSource Open(Stream stream, string fileName, RegisterReadOptions? options = null)
    {
        if (!stream.CanSeek)
        {
            throw new ArgumentException("The register stream must be seekable.", nameof(stream));
        }

        options ??= RegisterReadOptions.Detect;
        var start = stream.Position;
        var buffer = new byte[SniffBytes];
        var length = stream.ReadAtLeast(buffer, SniffBytes, throwOnEndOfStream: false);
        var complete = length < SniffBytes;
        stream.Position = start;
        var head = buffer.AsSpan(0, length);
        var extension = Path.GetExtension(fileName).ToLowerInvariant();
        var raw = RegisterFormat.Sniff(head[..Math.Min(length, RegisterFormat.ShapeBytes)], extension);
        if (raw is (RegisterFormat.Shape.Xlsx, _))
        {
            // A workbook is a ZIP archive whose text is XML the reader decodes itself: no encoding or delimiter applies.
            var sheetContext = new HeaderContext(options, []);
            return Source(options.Sheet is { } chosen ? $"Excel workbook, sheet '{chosen}' (--sheet)" : "Excel workbook", XlsxRegister.Read(stream, options.Sheet, sheetContext), sheetContext);
        }

        var utf16Mark = head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) && !head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE, 0, 0]) || head.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]);
        if (options.Encoding is null && !utf16Mark)
        {
            switch (raw)
            {
                case (RegisterFormat.Shape.Unreadable, var notText):
                    return new RegisterSource("not read", [RegisterRow.Unreadable(0, notText!)]);
                case (RegisterFormat.Shape.JsonLines, _):
                    // Events are UTF-8 by the contract: a line that is not is that line's error, as on the queue,
                    // never a reason to read the whole file in another encoding.
                    return new RegisterSource("JSON Lines of events, UTF-8", CrossRowWarnings.Add(JsonLinesRegister.Read(stream), events: true)) { Events = true };
            }
        }

        if (RegisterEncoding.Decide(stream, head, options.Encoding, out var encodingError) is not { } encoding)
        {
            return new RegisterSource("not read: encoding unknown", [RegisterRow.Unreadable(0, encodingError!)]);
        }

        var context = new HeaderContext(options, []);
        var text = encoding.Transcode is { } from ? RegisterEncoding.HeadAsUtf8(head, from) : head.ToArray();
        var (shape, problem) = RegisterFormat.Sniff(text.AsSpan(0, Math.Min(text.Length, RegisterFormat.ShapeBytes)), extension);
        switch (shape)
        {
            case RegisterFormat.Shape.JsonLines:
                return new RegisterSource($"JSON Lines of events, {encoding.Name}", CrossRowWarnings.Add(Decoded(stream, encoding, JsonLinesRegister.Read), events: true)) { Events = true };
            case RegisterFormat.Shape.Csv:
                RegisterSource Csv(char delimiter, string how) =>
                    Source($"CSV, {CsvDelimiter.Name(delimiter)}-delimited ({how}), {encoding.Name}", Decoded(stream, encoding, s => CsvRegister.Read(s, delimiter, context)), context);

                if (options.Delimiter is { } given)
                {
                    return Csv(given, "--delimiter");
                }

                var detected = CsvDelimiter.Detect(text, complete, out var hinted, out var delimiterError);
                return detected is { } found
                    ? Csv(found, hinted ? "its sep= line" : "detected")
                    : new RegisterSource($"CSV, delimiter unknown, {encoding.Name}", [RegisterRow.Unreadable(0, delimiterError!)]);
            default:
                return new RegisterSource("not read", [RegisterRow.Unreadable(0, problem!)]);
        }
    }

    /// <summary>A register read through a header (CSV or a sheet): its notes are the context's, completed after the last row.</summary>
    private static RegisterSource Source(string readAs, IEnumerable<RegisterRow> rows, HeaderContext context) =>
        new(readAs, CrossRowWarnings.Add(Completed(rows, context))) { Notes = context.Notes!, Context = context };

    /// <summary>The rows <paramref name="read"/> gives from the file as UTF-8: itself, or a transcoded copy disposed when reading ends.</summary>
    private static IEnumerable<RegisterRow> Decoded(Stream stream, RegisterEncoding.Decision encoding, Func<Stream, IEnumerable<RegisterRow>> read)
    {
        if (encoding.Transcode is not { } from)
        {
            foreach (var row in read(stream))
            {
                yield return row;
            }

            yield break;
        }

        using var utf8 = RegisterEncoding.ToUtf8(stream, from);
        foreach (var row in read(utf8))
        {
            yield return row;
        }
    }

    /// <summary>The rows, then the notes only the whole file gives (the interface join's), added once the last row is read.</summary>
    private static IEnumerable<RegisterRow> Completed(IEnumerable<RegisterRow> rows, HeaderContext context)
    {
        foreach (var row in rows)
        {
            yield return row;
        }

        context.Complete();
    }

    /// <summary>Reads CSV text held in memory (tests, small inputs); see <see cref="Read(Stream, string)"/>.</summary>
    public static IEnumerable<RegisterRow> ReadCsv(string text) =>
        Open(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text)), "register.csv").Rows;
}
