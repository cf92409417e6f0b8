using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace AssetCompliance.Testing;

/// <summary>
/// Writes .xlsx workbooks for tests with the Open XML SDK, so that no binary fixture is kept: sheets in order, each a
/// list of rows, each cell by its .NET value. A string is a shared string; <see cref="Inline"/> an inline string;
/// int, long and double are numbers (General format); <see cref="Formatted"/> a number with a built-in number format;
/// bool a boolean; <see cref="Failed"/> an error value; DateTime a date serial with the short-date format (numFmtId 14); null no cell at all (the cells
/// after it keep their columns, by reference).
/// </summary>
internal sealed class XlsxWorkbook
{
    private readonly List<(string Name, object?[][] Rows)> _sheets = [];

    /// <summary>An inline string cell (t="inlineStr"), as some exporters write instead of shared strings.</summary>
    public sealed record Inline(string Text);

    /// <summary>A formula's error value (t="e"), such as <c>#N/A</c>.</summary>
    public sealed record Failed(string Code);

    /// <summary>A number shown in the built-in format <paramref name="FormatId"/> (2: 0.00, 3: #,##0, 10: 0.00%).</summary>
    public sealed record Formatted(double Value, uint FormatId);

    /// <summary>Adds a sheet named <paramref name="name"/> with <paramref name="rows"/> from row 1 (an empty row is a blank row).</summary>
    public XlsxWorkbook Sheet(string name, params object?[][] rows)
    {
        _sheets.Add((name, rows));
        return this;
    }

    /// <summary>The workbook's bytes.</summary>
    public byte[] ToBytes()
    {
        using var stream = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook))
        {
            var workbookPart = document.AddWorkbookPart();
            workbookPart.Workbook = new Workbook();
            var sheets = workbookPart.Workbook.AppendChild(new Sheets());
            var shared = workbookPart.AddNewPart<SharedStringTablePart>();
            shared.SharedStringTable = new SharedStringTable();
            var formats = new List<uint> { 0, 14 };
            var strings = new Dictionary<string, int>();
            uint sheetId = 1;
            foreach (var (name, rows) in _sheets)
            {
                var worksheetPart = workbookPart.AddNewPart<WorksheetPart>();
                var data = new SheetData();
                for (var r = 0; r < rows.Length; r++)
                {
                    var row = new Row { RowIndex = (uint)(r + 1) };
                    for (var c = 0; c < rows[r].Length; c++)
                    {
                        if (rows[r][c] is not { } value)
                        {
                            continue;
                        }

                        var cell = new Cell { CellReference = $"{Column(c)}{r + 1}" };
                        switch (value)
                        {
                            case string text:
                                if (!strings.TryGetValue(text, out var index))
                                {
                                    index = strings[text] = strings.Count;
                                    shared.SharedStringTable.AppendChild(new SharedStringItem(new Text(text) { Space = SpaceProcessingModeValues.Preserve }));
                                }

                                (cell.DataType, cell.CellValue) = (CellValues.SharedString, new CellValue(index));
                                break;
                            case Inline inline:
                                cell.DataType = CellValues.InlineString;
                                cell.InlineString = new InlineString(new Text(inline.Text));
                                break;
                            case Failed failed:
                                (cell.DataType, cell.CellValue) = (CellValues.Error, new CellValue(failed.Code));
                                break;
                            case bool flag:
                                (cell.DataType, cell.CellValue) = (CellValues.Boolean, new CellValue(flag ? "1" : "0"));
                                break;
                            case DateTime date:
                                (cell.StyleIndex, cell.CellValue) = (1u, new CellValue(date.ToOADate().ToString(System.Globalization.CultureInfo.InvariantCulture)));
                                break;
                            case Formatted formatted:
                                if (formats.IndexOf(formatted.FormatId) is var style && style < 0)
                                {
                                    style = formats.Count;
                                    formats.Add(formatted.FormatId);
                                }

                                (cell.StyleIndex, cell.CellValue) = ((uint)style, new CellValue(formatted.Value));
                                break;
                            default:
                                cell.CellValue = new CellValue(Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture));
                                break;
                        }

                        row.AppendChild(cell);
                    }

                    data.AppendChild(row);
                }

                worksheetPart.Worksheet = new Worksheet(data);
                sheets.AppendChild(new Sheet { Id = workbookPart.GetIdOfPart(worksheetPart), SheetId = sheetId++, Name = name });
            }

            var styles = workbookPart.AddNewPart<WorkbookStylesPart>();
            styles.Stylesheet = new Stylesheet(
                new Fonts(new Font()),
                new Fills(new Fill()),
                new Borders(new Border()),
                new CellStyleFormats(new CellFormat()),
                new CellFormats(formats.Select(id => new CellFormat { NumberFormatId = id, ApplyNumberFormat = id != 0 })));
        }

        return stream.ToArray();
    }

    private static string Column(int index) => index < 26 ? ((char)('A' + index)).ToString() : Column(index / 26 - 1) + (char)('A' + index % 26);
}
