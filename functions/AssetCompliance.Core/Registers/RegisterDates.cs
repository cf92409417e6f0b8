using System.Globalization;
using System.Text.RegularExpressions;

namespace AssetCompliance.Core.Registers;

/// <summary>
/// Reads a register's date cell. The documented form is <c>YYYY-MM-DD</c>. Registers are kept in spreadsheets by UK
/// departments, so the other forms a spreadsheet writes are read too, each with a warning that names the reading:
/// <list type="bullet">
/// <item><c>24/11/2022</c>, <c>24.11.2022</c>, <c>24-11-2022</c>: day/month/year, the UK order, always. When both
/// numbers could be a month (<c>05/11/2022</c>) the warning says the date is ambiguous and what a US export would
/// have meant; a date that is only valid as month/day (<c>11/24/2022</c>) is not read: guessing the order row by row
/// would read the same file two ways.</item>
/// <item><c>2022/11/24</c>, <c>2022.11.24</c>, <c>2022-3-5</c>, <c>20221124</c> (ISO 8601's basic form), a date
/// with a time of day (<c>2022-11-24 00:00:00</c>, <c>2022-11-24T09:30:00Z</c>, <c>24/11/2022 09:30</c>: the date as
/// written, the time ignored), and month names (<c>24 Nov 2022</c>, <c>24-Nov-2022</c>, <c>24 November 2022</c>,
/// <c>Nov 24, 2022</c>, <c>24th of November 2022</c>, <c>Thursday, 24 November 2022</c>, <c>24 Sept 2022</c>).</item>
/// </list>
/// Digits are ASCII 0-9 only (fullwidth or Arabic-Indic digits are not read, with a warning saying so).
/// Not read (the date is unknown): two-digit years, Excel date serial numbers (<c>44889</c>: the workbook's date
/// system, 1900 or 1904, decides what it means, and a CSV does not say which; a wrong year could move a device
/// across the instruction date, so the serial is shown in the 1900 system as a hint only), anything else.
/// </summary>
internal static partial class RegisterDates
{
    private static readonly string[] MonthNameFormats = ["d MMM yyyy", "d-MMM-yyyy", "d/MMM/yyyy", "d.MMM.yyyy", "d MMM, yyyy", "d MMMM, yyyy", "d MMMM yyyy", "d-MMMM-yyyy", "MMM d, yyyy", "MMMM d, yyyy", "MMM d yyyy", "MMMM d yyyy"];

    /// <summary>The date, or null; <paramref name="warning"/> is set for every form but <c>YYYY-MM-DD</c>, with <c>unread</c> when the date stayed unknown.</summary>
    public static DateOnly? Read(string text, out string? warning, out bool unread)
    {
        warning = null;
        unread = false;
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var iso))
        {
            return iso;
        }

        if (text.Length > 10 && text[10] is 'T' or ' '
            && DateOnly.TryParseExact(text[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var dated)
            && DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out _))
        {
            warning = $"read as {dated:yyyy-MM-dd}: the time of day is ignored";
            return dated;
        }

        if (YearFirst().Match(text) is { Success: true } yearFirst
            && TryDate(yearFirst.Groups["y"].Value, yearFirst.Groups["m"].Value, yearFirst.Groups["d"].Value, out var ymd))
        {
            warning = $"read as {ymd:yyyy-MM-dd} (year/month/day)";
            return ymd;
        }

        // A spreadsheet's date-and-time form (24/11/2022 09:30): the date as written, the time ignored.
        var time = TrailingTime().Match(text);
        var dateText = time.Success ? text[..time.Index] : text;
        var timeNote = time.Success ? "; the time of day is ignored" : "";
        if (DayFirst().Match(dateText) is { Success: true } dayFirst)
        {
            var (first, second, year) = (dayFirst.Groups["a"].Value, dayFirst.Groups["b"].Value, dayFirst.Groups["y"].Value);
            var uk = TryDate(year, second, first, out var ukDate);
            var us = TryDate(year, first, second, out var usDate);
            if (uk)
            {
                warning = us && ukDate != usDate
                    ? $"read as {ukDate:yyyy-MM-dd}, day/month/year (the UK order){timeNote}; ambiguous: in month/day order (US) it would be {usDate:yyyy-MM-dd}. Write YYYY-MM-DD to be sure"
                    : $"read as {ukDate:yyyy-MM-dd}, day/month/year (the UK order){timeNote}";
                return ukDate;
            }

            unread = true;
            warning = us
                ? $"is a date only in month/day/year order (US); check reads day/month/year (UK), so the date is not read. Write YYYY-MM-DD"
                : "is not a valid date; not read";
            return null;
        }

        if (DateOnly.TryParseExact(MonthNamed(dateText), MonthNameFormats, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out var named))
        {
            warning = $"read as {named:yyyy-MM-dd}{timeNote}";
            return named;
        }

        if (Compact().IsMatch(text) && TryDate(text[..4], text[4..6], text[6..], out var compact) && compact.Year is >= 1900 and < 2200)
        {
            // ISO 8601's basic form, as some exports write dates: 8 digits are never an Excel serial (5 digits).
            warning = $"read as {compact:yyyy-MM-dd} (YYYYMMDD, ISO 8601's basic form)";
            return compact;
        }

        unread = true;
        if (TwoDigitYear().IsMatch(dateText))
        {
            warning = "has a two-digit year, which could be in either century; not read. Write YYYY-MM-DD";
        }
        else if (text.Length == 4 && int.TryParse(text, CultureInfo.InvariantCulture, out var year) && year is > 1900 and < 2200)
        {
            warning = "is a year, not a date; not read. Write YYYY-MM-DD";
        }
        else if (ExcelSerial().IsMatch(text))
        {
            var days = (int)double.Parse(text, CultureInfo.InvariantCulture);
            var hint = days > 60 ? $" ({DateOnly.FromDateTime(new DateTime(1899, 12, 30).AddDays(days)):yyyy-MM-dd} in Excel's 1900 date system)" : "";
            warning = $"looks like an Excel date serial number{hint}, which depends on the workbook's date system; not read. Format the column as a date before exporting";
        }
        else if (text.Any(c => char.IsDigit(c) && !char.IsAsciiDigit(c)))
        {
            // .NET counts fullwidth and Arabic-Indic digits as digits; the date forms are read in ASCII digits only.
            warning = "holds digits that are not ASCII 0-9 (fullwidth or Arabic-Indic digits, as some input methods type them); not read. Write YYYY-MM-DD in ASCII digits";
        }
        else
        {
            warning = "is not a date in a form check reads (YYYY-MM-DD, or DD/MM/YYYY); not read";
        }

        return null;
    }

    /// <summary>
    /// A month-named date as the parser reads it: a weekday before it (<c>Monday, 13 March 2023</c>, Excel's long
    /// date), an ordinal (<c>13th of March</c>) and the UK's <c>Sept</c> are dropped or shortened; the day and month
    /// themselves are untouched, so a date that names a wrong weekday still reads by its numbers.
    /// </summary>
    private static string MonthNamed(string text)
    {
        text = Weekday().Replace(text, "");
        text = Ordinal().Replace(text, "${d}");
        text = Sept().Replace(text, "Sep");
        return AbbreviationDot().Replace(text, "${m}");
    }

    private static bool TryDate(string year, string month, string day, out DateOnly date)
    {
        date = default;
        var (y, m, d) = (int.Parse(year, CultureInfo.InvariantCulture), int.Parse(month, CultureInfo.InvariantCulture), int.Parse(day, CultureInfo.InvariantCulture));
        if (y < 1 || m is < 1 or > 12 || d < 1 || d > DateTime.DaysInMonth(y, m))
        {
            return false;
        }

        date = new DateOnly(y, m, d);
        return true;
    }

    [GeneratedRegex(@"^(?<y>[0-9]{4})(?<s>[/.-])(?<m>[0-9]{1,2})\k<s>(?<d>[0-9]{1,2})$")]
    private static partial Regex YearFirst();

    [GeneratedRegex(@"^(?<a>[0-9]{1,2})(?<s>[/.-])(?<b>[0-9]{1,2})\k<s>(?<y>[0-9]{4})$")]
    private static partial Regex DayFirst();

    [GeneratedRegex(@"\s+[0-9]{1,2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?(\s*[AaPp][Mm])?$")]
    private static partial Regex TrailingTime();

    [GeneratedRegex(@"^[0-9]{1,2}([/.-])[0-9]{1,2}\1[0-9]{2}$")]
    private static partial Regex TwoDigitYear();

    [GeneratedRegex(@"^[0-9]{5}(\.[0-9]+)?$")]
    private static partial Regex ExcelSerial();

    [GeneratedRegex(@"^[0-9]{8}$")]
    private static partial Regex Compact();

    [GeneratedRegex(@"^(mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(day|nesday|rsday|urday)?\.?,?\s+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Weekday();

    [GeneratedRegex(@"\b(?<d>[0-9]{1,2})(st|nd|rd|th)(\s+of)?\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Ordinal();

    [GeneratedRegex(@"\bSept\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Sept();

    /// <summary>A month abbreviation with a full stop (<c>13 Mar. 2023</c>).</summary>
    [GeneratedRegex(@"\b(?<m>[A-Za-z]{3})\.(?=\s)", RegexOptions.CultureInvariant)]
    private static partial Regex AbbreviationDot();
}
