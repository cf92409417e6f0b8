using System.Globalization;
using ExcelDataReader;

namespace AssetCompliance.Core.Registers;

/// <summary>
/// ExcelDataReader's rows and cells as a register reads them: the next row or sheet, a damaged one reported rather
/// than thrown (<see cref="Next"/>, <see cref="NextSheet"/>), and each cell as the text Excel shows (<see cref="CellText"/>).
/// </summary>
internal static class ExcelCells
{
    /// <summary>Reads the next row; false at the end of the sheet, or with <paramref name="failure"/> when the sheet is damaged there.</summary>
    public static bool Next(IExcelDataReader reader, ref int line, out string? failure)
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

    /// <summary>Moves to the next sheet; false at the last, or when the next cannot be read (it is then not a register).</summary>
    public static bool NextSheet(IExcelDataReader reader)
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

    /// <summary>The current row's cells as Excel shows them; <paramref name="macIndex"/> is the MAC column's index, or -1.</summary>
    public static string[] Cells(IExcelDataReader reader, int macIndex)
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
    public static string CellText(object? value, string? format, bool macColumn) => value switch
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
