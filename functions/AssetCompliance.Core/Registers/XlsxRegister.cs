using System.Text;
using ExcelDataReader;
using ExcelDataReader.Exceptions;

namespace AssetCompliance.Core.Registers;

/// <summary>
/// An Excel workbook (.xlsx, .xlsm) register, read with ExcelDataReader row by row: memory grows with the workbook's
/// shared-string table (as Excel itself keeps it), not with its rows. One sheet is read: the one named by
/// <c>--sheet</c> (any case), else the first sheet with a register header (cover and instructions sheets are passed
/// over; a later sheet that holds a register too is reported as not read). The header is the first of the sheet's first <see cref="XlsxSheetChoice.HeaderSearchRows"/> non-blank rows that
/// <see cref="HeaderMap"/> accepts (title rows above it are not data), and every row after it goes through <see cref="RegisterCells.Read"/>, the same
/// rules and warnings as a CSV row. Line numbers are the sheet's row numbers, as Excel shows them.
/// <para>Cells are read as the text Excel shows (<see cref="ExcelCells.CellText"/>): dates as ISO dates, booleans as TRUE/FALSE,
/// numbers in their number format. A workbook that cannot be opened (encrypted, corrupt, not a workbook) is one
/// unreadable row for the whole file; a sheet that breaks part-way reports the rest as not read.</para>
/// Why ExcelDataReader rather than MiniExcel or the Open XML SDK: measured in benchmarks/README.md, it was the fastest
/// and smallest of the three on a 100,000-row workbook, and it gives each cell's number format, which is what lets a
/// number be shown as Excel shows it.
/// </summary>
internal static class XlsxRegister
{
    /// <summary>What a message tells a department to do with a workbook check cannot read.</summary>
    internal const string SaveAsCsv = "save it as 'CSV UTF-8 (comma delimited)' and check that file";

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
        var openProblem = WorkbookSizeGuard.OversizedPart(stream);
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

    /// <summary>What a reader's failure to open the workbook means, for the one unreadable row.</summary>
    private static string OpenProblem(Exception e) => e switch
    {
        InvalidPasswordException => $"is an encrypted (password-protected) Excel workbook, which check cannot read: remove the password, or {SaveAsCsv}",
        HeaderException or InvalidDataException or System.Xml.XmlException => $"is a damaged Excel workbook that could not be opened ({e.Message}): open it in Excel and {SaveAsCsv}",
        _ => $"is an Excel workbook that could not be opened ({e.GetType().Name}: {e.Message}): {SaveAsCsv}",
    };

    /// <summary>
    /// The rows under the chosen sheet's header (<see cref="XlsxSheetChoice"/>), each through <see cref="HeaderMap.ReadRow"/>;
    /// without <c>--sheet</c>, then one unreadable row for each later sheet that holds a register too.
    /// </summary>
    private static IEnumerable<RegisterRow> ReadSheet(IExcelDataReader reader, string? sheet, HeaderContext? context)
    {
        var (header, line, refusal) = XlsxSheetChoice.Choose(reader, sheet, context);
        if (header is null)
        {
            yield return refusal!;
            yield break;
        }

        var rows = 0;
        var macIndex = header[RegisterCells.Column.MacAddress];
        while (true)
        {
            if (!ExcelCells.Next(reader, ref line, out var failure))
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
                var fields = ExcelCells.Cells(reader, macIndex);
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
        while (sheet is null && ExcelCells.NextSheet(reader))
        {
            if (XlsxSheetChoice.OtherRegister(reader, context) is { } at)
            {
                yield return RegisterRow.Unreadable(0, $"sheet '{reader.Name}' also holds a register (its header on row {at}, rows below it) and is not read: only sheet '{readSheet}' is; check each sheet with --sheet NAME, or put the register on one sheet");
            }
        }
    }
}
