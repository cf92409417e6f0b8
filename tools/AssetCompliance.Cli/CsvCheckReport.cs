using System.Globalization;
using System.Text;
using AssetCompliance.Core.State;

namespace AssetCompliance.Cli;

/// <summary>
/// One CSV line per device, for spreadsheets, with its cell warnings in the last column; a row that could not be read
/// is a line too, with status <c>NotRead</c> and the reasons, so the spreadsheet accounts for every row of the register.
/// </summary>
internal sealed class CsvCheckReport(Stream output) : CheckReport
{
    /// <summary>The status a row that could not be read has in the CSV report.</summary>
    public const string NotRead = "NotRead";

    private readonly StreamWriter _writer = new(output, new UTF8Encoding(false), 1 << 16, leaveOpen: true);

    /// <summary>
    /// The header: the verdict's columns, then what the register said (<see cref="ReportCsv.RegisteredColumns"/>, as
    /// the API's export has them, under the same names), so the spreadsheet shows which row of the register is meant.
    /// </summary>
    internal static readonly string[] Columns =
    [
        "line", ReportCsv.AssetId, ReportCsv.Department, ReportCsv.Status, ReportCsv.Severity, ReportCsv.Rule, ReportCsv.Vendor, ReportCsv.Jurisdiction,
        ReportCsv.SubjectToNil, ReportCsv.RelabelSuspected, "reasons", "warnings", .. ReportCsv.RegisteredColumns,
    ];

    // A row not read has its line, status and reasons; every other column is empty.
    private static readonly string EmptyAfterReasons = new(',', Columns.Length - Array.IndexOf(Columns, "reasons") - 1);

    public override async Task BeginAsync(CheckVersions versions, CancellationToken cancellationToken) =>
        await _writer.WriteLineAsync(string.Join(',', Columns));

    public override async ValueTask WriteAsync(CheckResult r, CancellationToken cancellationToken)
    {
        // Every field goes through the formula guard: register text (and header names, in warnings) is anyone's.
        string[] fields =
        [
            r.Line.ToString(CultureInfo.InvariantCulture), r.AssetId, r.Department, r.Status.ToString(), r.Severity?.ToString() ?? "", r.Rule,
            r.Vendor?.Name ?? "", r.Vendor?.Jurisdiction ?? "", r.Vendor?.SubjectToNationalIntelligenceLaw switch { true => "true", false => "false", null => "" },
            r.RelabelSuspected ? "true" : "false", string.Join(" ", r.Reasons), CheckCommand.Describe(r.Warnings),
            .. ReportCsv.RegisteredValues(r.Registered),
        ];
        await _writer.WriteLineAsync(string.Join(',', fields.Select(ReportCsv.Field)));
    }

    public override async ValueTask WriteErrorAsync(CheckError error, CancellationToken cancellationToken) =>
        await _writer.WriteLineAsync($"{error.Line.ToString(CultureInfo.InvariantCulture)},,,{NotRead},,,,,,,{ReportCsv.Field(string.Join("; ", error.Errors))}{EmptyAfterReasons}");

    public override async Task EndAsync(CheckVersions versions, IReadOnlyList<CheckError> errors, CheckSummary summary, CancellationToken cancellationToken) =>
        await _writer.FlushAsync(cancellationToken);

    public override ValueTask DisposeAsync() => _writer.DisposeAsync();
}
