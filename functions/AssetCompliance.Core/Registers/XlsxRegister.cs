using System.Globalization;
using System.IO.Compression;
using System.Text;
using ExcelDataReader;
using ExcelDataReader.Exceptions;

namespace AssetCompliance.Core.Registers;

/// <summary>
/// An Excel workbook (.xlsx, .xlsm) register, read with ExcelDataReader row by row: memory grows with the workbook's
/// shared-string table (as Excel itself keeps it), not with its rows. One sheet is read: the one named by
/// <c>--sheet</c> (any case), else the first sheet with a register header (cover and instructions sheets are passed
/// over; a later sheet that holds a register too is reported as not read). The header is the first of the sheet's first <see cref="HeaderSearchRows"/> non-blank rows that
/// <see cref="HeaderMap"/> accepts (title rows above it are not data), and every row after it goes through <see cref="RegisterCells.Read"/>, the same
/// rules and warnings as a CSV row. Line numbers are the sheet's row numbers, as Excel shows them.
/// <para>Cells are read as the text Excel shows (<see cref="CellText"/>): dates as ISO dates, booleans as TRUE/FALSE,
/// numbers in their number format. A workbook that cannot be opened (encrypted, corrupt, not a workbook) is one
/// unreadable row for the whole file; a sheet that breaks part-way reports the rest as not read.</para>
/// Why ExcelDataReader rather than MiniExcel or the Open XML SDK: measured in benchmarks/README.md, it was the fastest
/// and smallest of the three on a 100,000-row workbook, and it gives each cell's number format, which is what lets a
/// number be shown as Excel shows it.
/// </summary>
internal static class XlsxRegister
{
    private const string SaveAsCsv = "save it as 'CSV UTF-8 (comma delimited)' and check that file";

    static XlsxRegister() =>
        // ExcelDataReader's configuration asks for code page 1252 (its fallback for old .xls files) even for .xlsx.
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>
    /// Whether a ZIP archive is to be read as an Excel workbook: its first entries' names (in the local headers at its
    /// head) include a part under <c>xl/</c>, as every .xlsx, .xlsm and .xlsb has, or it is named as a workbook (a
    /// writer may put a large part first); the reader then says whether it really is one.
    /// </summary>
    public static bool IsWorkbook(ReadOnlySpan<byte> head, string extension) =>
        head.IndexOf("xl/"u8) >= 0 || extension is ".xlsx" or ".xlsm" or ".xlsb";

    /// <summary>Whether an OLE compound file holds an encrypted Office package (a password-protected .xlsx is one).</summary>
    public static bool IsEncryptedPackage(ReadOnlySpan<byte> head) =>
        head.IndexOf(Encoding.Unicode.GetBytes("EncryptedPackage")) >= 0;

    /// <summary>
    /// The rows of the chosen sheet of the workbook in <paramref name="stream"/>; see the type's summary.
    /// <paramref name="context"/>'s notes get the sheet read and the header's notes (<see cref="HeaderMap.Notes"/>) once it is read.
    /// </summary>
    public static IEnumerable<RegisterRow> Read(Stream stream, string? sheet, HeaderContext? context = null)
    {
        IExcelDataReader? reader = null;
        var openProblem = OversizedPart(stream);
        try
        {
            reader = openProblem is null ? ExcelReaderFactory.CreateReader(stream, new ExcelReaderConfiguration { LeaveOpen = true }) : null;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            openProblem = OpenProblem(e);
        }

        if (reader is null)
        {
            yield return RegisterRow.Unreadable(0, openProblem!);
            yield break;
        }

        using (reader)
        {
            foreach (var row in ReadSheet(reader, sheet, context))
            {
                yield return row;
            }
        }
    }

    /// <summary>
    /// The most a part other than a worksheet may hold uncompressed: 512 MiB. The reader keeps such parts whole in
    /// memory (the shared-string table, styles), at about twice their size; worksheets stream. The 101.8 MiB benchmark
    /// workbook, every id a unique string, peaks at 378 MiB in all (benchmarks/README.md); a part of gigabytes is a ZIP
    /// bomb (deflate packs a repeated text a thousandfold, so a 20 MiB body can unpack to 20 GB), which would take the
    /// process down rather than give one clear error.
    /// </summary>
    internal const long MaxInMemoryPartBytes = 512L * 1024 * 1024;

    /// <summary>Why the workbook is not opened: a part the reader holds in memory is larger than <see cref="MaxInMemoryPartBytes"/> as the archive declares it; else null (a damaged archive is left to the reader to report).</summary>
    private static string? OversizedPart(Stream stream)
    {
        var start = stream.Position;
        try
        {
            using var zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
            var part = zip.Entries.FirstOrDefault(e => !e.FullName.StartsWith("xl/worksheets/", StringComparison.OrdinalIgnoreCase) && e.Length > MaxInMemoryPartBytes);
            return part is null ? null
                : $"is an Excel workbook whose part '{RegisterCells.Shown(part.FullName)}' unpacks to {part.Length / (1024 * 1024)} MiB ({part.CompressedLength / 1024} KiB packed), more than the {MaxInMemoryPartBytes / (1024 * 1024)} MiB check holds in memory: not read. A real register is far smaller; if it is one, {SaveAsCsv}";
        }
        catch (Exception e) when (e is InvalidDataException or IOException or NotSupportedException)
        {
            return null;
        }
        finally
        {
            stream.Position = start;
        }
    }

    private static string OpenProblem(Exception e) => e switch
    {
        InvalidPasswordException => $"is an encrypted (password-protected) Excel workbook, which check cannot read: remove the password, or {SaveAsCsv}",
        HeaderException or InvalidDataException or System.Xml.XmlException => $"is a damaged Excel workbook that could not be opened ({e.Message}): open it in Excel and {SaveAsCsv}",
        _ => $"is an Excel workbook that could not be opened ({e.GetType().Name}: {e.Message}): {SaveAsCsv}",
    };

    /// <summary>How many non-blank rows at the top of a sheet are tried as its header: title rows often stand above it.</summary>
    private const int HeaderSearchRows = 20;

    private static IEnumerable<RegisterRow> ReadSheet(IExcelDataReader reader, string? sheet, HeaderContext? context)
    {
        var names = new List<string>();
        HeaderMap? header = null;
        var line = 0;
        (string Sheet, int Line, string Error)? firstProblem = null;
        var found = false;
        do
        {
            names.Add(reader.Name);
            if (sheet is not null && !string.Equals(reader.Name.Trim(), sheet.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            found = true;
            line = 0;
            (string Error, int Line)? problem = null;
            for (var tried = 0; header is null && tried < HeaderSearchRows;)
            {
                if (!Next(reader, ref line, out var failure))
                {
                    if (failure is not null)
                    {
                        yield return RegisterRow.Unreadable(line, $"sheet '{reader.Name}' could not be read from row {line} on ({failure}); the rest of the workbook is not read");
                        yield break;
                    }

                    break;
                }

                var fields = Cells(reader, macIndex: -1);
                if (fields.All(string.IsNullOrWhiteSpace))
                {
                    continue;
                }

                tried++;
                header = HeaderMap.Parse(TrimTrailing(fields), ',', context, out var headerError);
                problem ??= header is null ? (headerError!, line) : null;
            }

            if (header is not null)
            {
                if (context is not null)
                {
                    context.Header = header;
                }

                context?.Notes?.Add($"sheet '{reader.Name}' is read, its header on row {line}");
                context?.Notes?.AddRange(header.Notes);
                break;
            }

            if (sheet is not null)
            {
                yield return problem is { } named
                    ? RegisterRow.Unreadable(named.Line, $"sheet '{reader.Name}': {named.Error}")
                    : RegisterRow.Unreadable(0, $"sheet '{reader.Name}' is empty: it has no header and no rows");
                yield break;
            }

            // Without --sheet, a sheet that is empty or holds no register header (a cover or instructions sheet) is
            // passed over; if no sheet has one, the first sheet's problem is the answer.
            if (problem is { } first && firstProblem is null)
            {
                firstProblem = (reader.Name, first.Line, first.Error);
            }
        }
        while (NextSheet(reader));

        if (header is null)
        {
            yield return (sheet, firstProblem) switch
            {
                (not null, _) when !found => RegisterRow.Unreadable(0, $"is an Excel workbook with no sheet named '{sheet}'; its sheets are {Listed(names)} (--sheet NAME chooses one)"),
                (_, { } problem) => RegisterRow.Unreadable(problem.Line, $"sheet '{problem.Sheet}': {problem.Error}{(names.Count > 1 ? $" (no sheet of {Listed(names)} has the register's header in its first {HeaderSearchRows} rows; --sheet NAME chooses one)" : "")}"),
                _ => RegisterRow.Unreadable(0, $"is an Excel workbook whose sheets ({Listed(names)}) are all empty: there is nothing to check"),
            };
            yield break;
        }

        var rows = 0;
        var macIndex = header[RegisterCells.Column.MacAddress];
        while (true)
        {
            if (!Next(reader, ref line, out var failure))
            {
                if (failure is not null)
                {
                    rows++;
                    yield return RegisterRow.Unreadable(line, $"sheet '{reader.Name}' could not be read from row {line} on ({failure}); the rest of the sheet is not read");
                    yield break;
                }

                break;
            }

            RegisterRow row;
            try
            {
                var fields = Cells(reader, macIndex);
                if (fields.All(string.IsNullOrWhiteSpace))
                {
                    // A row of empty cells (formatted blank rows, spacing between blocks) holds no device.
                    continue;
                }

                row = header.ReadRow(line, index => index < fields.Length ? fields[index] : "");
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // A rule that fails on some cell costs that row, never the rows after it.
                row = RegisterRow.Unreadable(line, $"could not be read ({e.GetType().Name}: {e.Message})");
            }

            rows++;
            yield return row;
        }

        if (rows == 0)
        {
            yield return RegisterRow.Unreadable(0, $"sheet '{reader.Name}' has a header but no rows: there is nothing to check");
        }

        // Without --sheet, one sheet is read; a register kept one sheet per site would lose the others' devices without
        // a word (and a sync would remove them). Every later sheet with a register header and rows is a part not read.
        var readSheet = reader.Name;
        while (sheet is null && NextSheet(reader))
        {
            if (OtherRegister(reader, context) is { } at)
            {
                yield return RegisterRow.Unreadable(0, $"sheet '{reader.Name}' also holds a register (its header on row {at}, rows below it) and is not read: only sheet '{readSheet}' is; check each sheet with --sheet NAME, or put the register on one sheet");
            }
        }
    }

    /// <summary>The row of a register header with a data row after it in the sheet <paramref name="reader"/> is on, or null.</summary>
    private static int? OtherRegister(IExcelDataReader reader, HeaderContext? context)
    {
        var line = 0;
        int? header = null;
        for (var tried = 0; tried < HeaderSearchRows;)
        {
            if (!Next(reader, ref line, out var failure))
            {
                // A damaged sheet that may hold a register is not passed over as if it held none.
                return failure is null ? null : header ?? line;
            }

            var fields = Cells(reader, macIndex: -1);
            if (fields.All(string.IsNullOrWhiteSpace))
            {
                continue;
            }

            if (header is not null)
            {
                return header;
            }

            tried++;
            if (HeaderMap.Parse(TrimTrailing(fields), ',', new HeaderContext(context?.Options ?? RegisterReadOptions.Detect, null), out _) is not null)
            {
                header = line;
            }
        }

        return null;
    }

    private static string Listed(List<string> names) => string.Join(", ", names.Select(n => $"'{n}'"));

    /// <summary>Reads the next row; false at the end of the sheet, or with <paramref name="failure"/> when the sheet is damaged there.</summary>
    private static bool Next(IExcelDataReader reader, ref int line, out string? failure)
    {
        failure = null;
        try
        {
            if (!reader.Read())
            {
                return false;
            }

            // ExcelDataReader yields a row for every row number, blank ones too, so the count is Excel's row number.
            line++;
            return true;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            line++;
            failure = $"{e.GetType().Name}: {e.Message}";
            return false;
        }
    }

    private static bool NextSheet(IExcelDataReader reader)
    {
        try
        {
            return reader.NextResult();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return false;
        }
    }

    private static string[] TrimTrailing(string[] fields)
    {
        var length = fields.Length;
        while (length > 0 && string.IsNullOrWhiteSpace(fields[length - 1]))
        {
            length--;
        }

        return fields[..length];
    }

    private static string[] Cells(IExcelDataReader reader, int macIndex)
    {
        var fields = new string[reader.FieldCount];
        for (var i = 0; i < fields.Length; i++)
        {
            fields[i] = CellText(reader.GetValue(i), reader.GetNumberFormatString(i), macColumn: i == macIndex);
        }

        return fields;
    }

    /// <summary>
    /// A cell's value as Excel shows it, as far as a register needs: text as typed; TRUE/FALSE; a date as
    /// <c>yyyy-MM-dd</c> (with <c>THH:mm:ss</c> when it has a time of day); a number in its format when that format is
    /// a plain numeric one (<c>0</c>, <c>0.00</c>, <c>#,##0</c>, <c>0%</c>), else as Excel's General format shows it,
    /// except that whole numbers keep all their digits (a 12-digit serial number stays whole). In the MAC column, a
    /// number of 12 or more digits is shown as General shows it, in scientific notation (<c>1.23457E+11</c>): a MAC
    /// typed into Excel without separators became a number, and the register rules warn it as a corrupted value.
    /// </summary>
    internal static string CellText(object? value, string? format, bool macColumn) => value switch
    {
        null => "",
        string text => text,
        bool flag => flag ? "TRUE" : "FALSE",
        DateTime date => date.TimeOfDay == TimeSpan.Zero
            ? date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : date.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture),
        TimeSpan time => time.ToString("c", CultureInfo.InvariantCulture),
        double number => NumberText(number, format, macColumn),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };

    private static string NumberText(double number, string? format, bool macColumn)
    {
        if (macColumn && Math.Abs(number) >= 1e11)
        {
            return General(number);
        }

        if (PlainNumericFormat(format) is { } plain)
        {
            return number.ToString(plain, CultureInfo.InvariantCulture);
        }

        return number == Math.Floor(number) && Math.Abs(number) < 1e15
            ? number.ToString("0", CultureInfo.InvariantCulture)
            : General(number);
    }

    /// <summary>Excel's General format: up to 11 characters, scientific with 6 significant digits beyond that.</summary>
    private static string General(double number)
    {
        var magnitude = Math.Abs(number);
        if (magnitude != 0 && (magnitude >= 1e11 || magnitude < 1e-9))
        {
            return number.ToString("0.#####E+00", CultureInfo.InvariantCulture);
        }

        return number.ToString("G10", CultureInfo.InvariantCulture);
    }

    /// <summary>The first section of an Excel number format when it is one .NET formats the same way, else null.</summary>
    private static string? PlainNumericFormat(string? format)
    {
        if (string.IsNullOrEmpty(format))
        {
            return null;
        }

        var section = format.Split(';')[0];
        return section.Length > 0 && section.All(c => c is '0' or '#' or '.' or ',' or '%') && section.Contains('0') ? section : null;
    }
}
