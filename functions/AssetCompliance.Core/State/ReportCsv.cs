using AssetCompliance.Core.Registers;

namespace AssetCompliance.Core.State;

/// <summary>
/// The CSV columns that <c>compliance check --format csv</c> and the API's export (<c>GET
/// /api/departments/{d}/assets?format=csv</c>) share, named once so that a column meaning the same thing has the same
/// header in both, and the one CSV field rule both apply. The registered columns carry the register's names
/// (<see cref="RegisterReader.CsvHeader"/>): what the register said, beside the verdict.
/// </summary>
public static class ReportCsv
{
    public const string AssetId = "asset_id";
    public const string Department = "department";
    public const string Status = "status";
    public const string Severity = "severity";
    public const string Rule = "rule";
    public const string Vendor = "vendor";
    public const string Jurisdiction = "jurisdiction";
    public const string SubjectToNil = "subject_to_nil";
    public const string RelabelSuspected = "relabel_suspected";
    public const string SiteId = "site_id";
    public const string SiteName = "site_name";
    public const string Manufacturer = "manufacturer";
    public const string Model = "model";
    public const string MacAddress = "mac_address";

    /// <summary>What the register said about the device, in this order, at the end of both exports: site name, manufacturer, model, MAC as written.</summary>
    public static IReadOnlyList<string> RegisteredColumns { get; } = [SiteName, Manufacturer, Model, MacAddress];

    /// <summary>The values of <see cref="RegisteredColumns"/> for <paramref name="registered"/>, not yet escaped; empty where the register holds nothing.</summary>
    public static IEnumerable<string> RegisteredValues(RegisteredText? registered) =>
        [registered?.SiteName ?? "", registered?.Manufacturer ?? "", registered?.Model ?? "", registered?.MacAddress ?? ""];

    /// <summary>
    /// One CSV field (RFC 4180) that is safe to open in a spreadsheet: a value starting with <c>=</c>, <c>+</c>,
    /// <c>-</c>, <c>@</c>, a tab or a carriage return (or a full-width = + - @) gets a leading apostrophe (OWASP's CSV injection guidance), so
    /// register text cannot become a formula (<c>=HYPERLINK(...)</c>); then a field holding a comma, quote or line
    /// break is quoted, its quotes doubled. The apostrophe is visible in a text editor; it is the price of a safe
    /// spreadsheet, and the JSON report carries the text unchanged.
    /// </summary>
    public static string Field(string value)
    {
        // The full-width forms too: some spreadsheets fold them to the ASCII ones before deciding what a cell is.
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' or '\uFF1D' or '\uFF0B' or '\uFF0D' or '\uFF20')
        {
            value = "'" + value;
        }

        return value.AsSpan().IndexOfAny(",\"\n\r") < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }
}
