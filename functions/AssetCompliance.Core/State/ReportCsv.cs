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
    /// <summary>The device's asset id.</summary>
    public const string AssetId = "asset_id";
    /// <summary>The department code.</summary>
    public const string Department = "department";
    /// <summary>The compliance status (an enum name).</summary>
    public const string Status = "status";
    /// <summary>The severity of a NonCompliant device, else empty.</summary>
    public const string Severity = "severity";
    /// <summary>The policy rule that decided.</summary>
    public const string Rule = "rule";
    /// <summary>The identified vendor's name, else empty.</summary>
    public const string Vendor = "vendor";
    /// <summary>The vendor's jurisdiction (ISO country code), else empty.</summary>
    public const string Jurisdiction = "jurisdiction";
    /// <summary>Whether the vendor is subject to the PRC National Intelligence Law: true, false, or empty when unknown.</summary>
    public const string SubjectToNil = "subject_to_nil";
    /// <summary>Whether the device is suspected to be another maker's relabelled: true or false.</summary>
    public const string RelabelSuspected = "relabel_suspected";
    /// <summary>The register's site id.</summary>
    public const string SiteId = "site_id";
    /// <summary>The register's site name, as written.</summary>
    public const string SiteName = "site_name";
    /// <summary>The register's manufacturer, as written.</summary>
    public const string Manufacturer = "manufacturer";
    /// <summary>The register's model, as written.</summary>
    public const string Model = "model";
    /// <summary>The register's MAC, as written (check: the cell; the API: as the event carried it).</summary>
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
