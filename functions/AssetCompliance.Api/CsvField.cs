namespace AssetCompliance.Api;

/// <summary>One CSV field (RFC 4180) that is safe to open in a spreadsheet.</summary>
public static class CsvField
{
    /// <summary>
    /// Quotes a field holding separators, quotes or line breaks, and prefixes an apostrophe to one that starts with
    /// = + - @, so a register value cannot become a spreadsheet formula.
    /// </summary>
    public static string Escape(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@')
        {
            value = "'" + value;
        }

        return value.IndexOfAny([',', '"', '\n', '\r']) < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }
}
