using AssetCompliance.Core.State;

namespace AssetCompliance.Api;

/// <summary>One CSV field (RFC 4180) that is safe to open in a spreadsheet: <see cref="ReportCsv.Field"/>.</summary>
public static class CsvField
{
    /// <summary>
    /// Quotes a field holding separators, quotes or line breaks, and prefixes an apostrophe to one that starts with
    /// = + - @, a tab or a carriage return, so a register value cannot become a spreadsheet formula.
    /// </summary>
    public static string Escape(string value) => ReportCsv.Field(value);
}
