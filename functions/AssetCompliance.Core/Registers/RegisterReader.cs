using AssetCompliance.Core.Events;

namespace AssetCompliance.Core.Registers;

/// <summary>
/// Reads a department's register export, whatever the file turns out to be: CSV with the documented header
/// (<see cref="CsvHeader"/>), or JSON Lines of contract-v1 CloudEvents. Every row comes back, read
/// (<see cref="RegisterRow.Device"/>, with a warning per cell not in the documented form) or not (with its line and
/// why); an Excel workbook is read sheet by sheet as <see cref="XlsxRegister"/> says; a file that is none of these (an .xls or encrypted workbook, a JSON array, binary data, UTF-16 text, an empty file, a header that does
/// not match) comes back as one unreadable row for the whole file, saying what it is. Nothing is dropped silently, and
/// memory does not grow with the file: at most <see cref="MaxRecordBytes"/> per record.
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

    /// <summary>How much of the start decides what kind of file it is (a NUL in it: not text): 8 KiB.</summary>
    private const int ShapeBytes = 8 * 1024;

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
        var raw = Sniff(head[..Math.Min(length, ShapeBytes)], extension);
        if (raw is (Shape.Xlsx, _))
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
                case (Shape.Unreadable, var notText):
                    return new RegisterSource("not read", [RegisterRow.Unreadable(0, notText!)]);
                case (Shape.JsonLines, _):
                    // Events are UTF-8 by the contract: a line that is not is that line's error, as on the queue,
                    // never a reason to read the whole file in another encoding.
                    return new RegisterSource("JSON Lines of events, UTF-8", AcrossRows(ReadJsonLines(stream), events: true)) { Events = true };
            }
        }

        if (RegisterEncoding.Decide(stream, head, options.Encoding, out var encodingError) is not { } encoding)
        {
            return new RegisterSource("not read: encoding unknown", [RegisterRow.Unreadable(0, encodingError!)]);
        }

        var context = new HeaderContext(options, []);
        var text = encoding.Transcode is { } from ? RegisterEncoding.HeadAsUtf8(head, from) : head.ToArray();
        var (shape, problem) = Sniff(text.AsSpan(0, Math.Min(text.Length, ShapeBytes)), extension);
        switch (shape)
        {
            case Shape.JsonLines:
                return new RegisterSource($"JSON Lines of events, {encoding.Name}", AcrossRows(Decoded(stream, encoding, ReadJsonLines), events: true)) { Events = true };
            case Shape.Csv:
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
        new(readAs, AcrossRows(Completed(rows, context))) { Notes = context.Notes!, Context = context };

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

    /// <summary>
    /// Warnings that need more than one row: an asset id met before (push sends one event per asset and refuses the
    /// later rows), and a department code written as an earlier one but for the case (push refuses one spelling: codes
    /// are matched exactly). The first 1,000 department codes are kept; asset ids are kept
    /// as 64-bit hashes, 24 bytes or so per device, so memory stays small; a hash collision could only add a warning.
    /// </summary>
    /// <remarks>
    /// In a file of <paramref name="events"/>, an asset met again is not a warning: several revisions of one device
    /// are what an event log holds (check reports each device at its last revision: <see cref="LatestRevisions{T}"/>).
    /// </remarks>
    private static IEnumerable<RegisterRow> AcrossRows(IEnumerable<RegisterRow> rows, bool events = false)
    {
        var seen = new Dictionary<ulong, int>();
        // Department codes by their spelling ignoring case: a file may hold several departments (a central
        // register), but 'dfe' beside 'DFE' is one department written two ways.
        var departments = new Dictionary<string, (string Spelling, int Line)>(StringComparer.OrdinalIgnoreCase);
        foreach (var row in rows)
        {
            if (row.Device is not { } device)
            {
                yield return row;
                continue;
            }

            List<CellWarning>? warnings = null;
            var assetHash = Fnv1a(device.AssetId);
            if (!events && !seen.TryAdd(assetHash, row.Line) && seen[assetHash] is var firstLine)
            {
                warnings = [.. row.Warnings];
                RegisterCells.Warn(warnings, "asset_id", device.AssetId,
                    $"is also the asset on line {firstLine}: check reports both rows, and push sends the first and refuses this one (one event per asset)", unread: false);
            }

            // A department longer than a code is not one (already a warning of its own), and is not kept.
            if (device.Department.Length <= Identifiers.MaxLength)
            {
                if (!departments.TryGetValue(device.Department, out var first))
                {
                    if (departments.Count < 1_000)
                    {
                        departments[device.Department] = (device.Department, row.Line);
                    }
                }
                else if (!string.Equals(first.Spelling, device.Department, StringComparison.Ordinal))
                {
                    warnings ??= [.. row.Warnings];
                    RegisterCells.Warn(warnings, "department", device.Department,
                        $"is '{first.Spelling}' on line {first.Line} but for the case: department codes are matched exactly, so push refuses one of them (it sends one department's register)", unread: false);
                }
            }

            if (warnings is null)
            {
                yield return row;
                continue;
            }

            RegisterCells.SortByColumn(warnings);
            yield return row with { Warnings = warnings };
        }
    }

    private static ulong Fnv1a(string value)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in value)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return hash;
    }

    /// <summary>JSON Lines: one contract-v1 event per line, validated as the queue validates it; blank lines are skipped.</summary>
    public static IEnumerable<RegisterRow> ReadJsonLines(Stream stream)
    {
        // The same reader, and so the same line numbers, as the replay of event files (compliance run --events).
        var lines = new ByteLineReader(stream, MaxRecordBytes);
        var rows = 0;
        while (lines.TryReadLine(out var line))
        {
            if (line.TooLong)
            {
                rows++;
                yield return RegisterRow.Unreadable(line.Number, $"is {line.Length:N0} bytes, longer than {MaxRecordBytes:N0} bytes; not read");
                continue;
            }

            if (line.IsBlank)
            {
                continue;
            }

            rows++;
            yield return ParseEvent(line.Number, line.Bytes); // the parser skips a leading byte-order mark
        }

        if (rows == 0)
        {
            yield return RegisterRow.Unreadable(0, "the file has no events (it is empty, or holds only blank lines)");
        }
    }

    private static RegisterRow ParseEvent(int line, ReadOnlyMemory<byte> bytes)
    {
        AssetEventParseResult parsed;
        try
        {
            parsed = AssetEventParser.Parse(bytes);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The parser's job is to return errors; if it throws on some input, that line is still only one bad row.
            return RegisterRow.Unreadable(line, $"could not be parsed as an event ({e.GetType().Name}: {e.Message})");
        }

        return parsed.Event is { } parsedEvent
            ? new RegisterRow(line, parsedEvent.Kind, parsedEvent.Device, []) { Warnings = RegisterEvaluation.Warnings(parsedEvent.Device) }
            : RegisterRow.Unreadable(line, parsed.Errors.Select(x => x.ToString()).ToArray());
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

    private enum Shape
    {
        Csv,
        JsonLines,
        Xlsx,
        Unreadable,
    }

    private static (Shape Shape, string? Problem) Sniff(ReadOnlySpan<byte> head, string extension)
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
}

/// <summary>How to read a register: each null is detected from the file.</summary>
public sealed record RegisterReadOptions
{
    /// <summary>Everything detected.</summary>
    public static readonly RegisterReadOptions Detect = new();

    /// <summary>The CSV field delimiter (',', ';' or tab), or null to detect it (<see cref="CsvDelimiter.Detect"/>).</summary>
    public char? Delimiter { get; init; }

    /// <summary>The encoding, one of <see cref="RegisterEncoding.Names"/>, or null to detect it (<see cref="RegisterEncoding.Decide"/>).</summary>
    public string? Encoding { get; init; }

    /// <summary>The workbook sheet to read (any case), or null for the first with a register header; ignored for text files.</summary>
    public string? Sheet { get; init; }

    /// <summary>
    /// The profile the header is read as, one of <see cref="RegisterProfiles.Names"/>, or null to detect it from the
    /// header (a header two profiles fit equally is refused). A header that does not fit the chosen profile is refused.
    /// </summary>
    public string? Profile { get; init; }

    /// <summary>What chose <see cref="Profile"/>, for messages and the report: "--profile" (the default) or a mapping file's name.</summary>
    public string? ProfileSource { get; init; }

    /// <summary>Columns read as fields whatever the profile says (<c>--map</c>, a mapping file), each field one of <see cref="RegisterMapping.Fields"/>.</summary>
    public IReadOnlyList<(string Column, string Field)>? Columns { get; init; }

    /// <summary>What gave <see cref="Columns"/>, for messages: "--map" (the default) or a mapping file's name.</summary>
    public string? ColumnsSource { get; init; }

    /// <summary>
    /// The department code of every row whose department is missing or blank, or null. A row that names another
    /// department is warned (check) and refused (push, which sends one department's register).
    /// </summary>
    public string? Department { get; init; }

    /// <summary>A NetBox interface export whose MACs are joined to the devices by name (<c>--interfaces</c>), or null.</summary>
    public NetBoxInterfaces? Interfaces { get; init; }
}

/// <summary>
/// A register being read: <paramref name="ReadAs"/> says how, for the report ("CSV, semicolon-delimited (detected)");
/// <paramref name="Rows"/> are read as they are enumerated, once.
/// </summary>
public sealed record RegisterSource(string ReadAs, IEnumerable<RegisterRow> Rows)
{
    private readonly string _readAs = ReadAs;

    /// <summary>
    /// How the file is read: its shape, delimiter and encoding, and, once the header is read, the profile and how it
    /// was chosen ("CSV, comma-delimited (detected), UTF-8; read as a NetBox device export (detected)").
    /// </summary>
    public string ReadAs
    {
        // A spreadsheet the profile detection fell back to is what every register was read as before profiles: its
        // header notes say how; only an export profile, or one chosen, is named.
        get => Context?.Header is { } header && (header.Profile != RegisterProfiles.Spreadsheet || Context.How != "detected")
            ? $"{_readAs}; read as {header.Profile.Title} ({Context.How})"
            : _readAs;
        init => _readAs = value;
    }

    /// <summary>The profile the header was read as, once it is read (null for JSON Lines and a file not read).</summary>
    public RegisterProfile? Profile => Context?.Header?.Profile;

    internal HeaderContext? Context { get; init; }

    /// <summary>
    /// How the header was read, filled once it is (after the first row is enumerated): each name read as a field it is
    /// not spelled as ("column 1 'Asset Tag' is read as asset_id"). Empty for a header in the documented names.
    /// </summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>
    /// Whether the rows are events (JSON Lines), several of which may describe one device at different revisions:
    /// reports then fold them per device (<see cref="LatestRevisions{T}"/>) rather than list each event.
    /// </summary>
    public bool Events { get; init; }
}
