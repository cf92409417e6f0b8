using AssetCompliance.Core.Catalogue;
using AssetCompliance.Core.Policy;
using AssetCompliance.Core.Registers;
using AssetCompliance.Core.State;

namespace AssetCompliance.Cli;

internal sealed record CheckVersions(string Catalogue, string Policy);

internal sealed record CheckError(int Line, IReadOnlyList<string> Errors);

/// <summary>
/// The counts behind a check's exit code: devices by status, devices with cell warnings, rows not read, how many
/// error rows the report could not list (it keeps <see cref="CheckCommand.ErrorsListed"/>), the exit code and why.
/// </summary>
/// <c>Events</c> is, for a file of events, how many were read (each device is reported once, at its last revision); null for a register.
internal sealed record CheckSummary(int Devices, IReadOnlyDictionary<ComplianceStatus, int> ByStatus, int DevicesWithWarnings, int RowsNotRead,
    int ErrorsNotListed, int ExitCode, string Verdict, string ReadAs = "", IReadOnlyList<string>? HeaderNotes = null, int? Events = null);

internal sealed record VendorView(string Key, string Name, string UltimateOwner, string Jurisdiction, bool? SubjectToNationalIntelligenceLaw, IReadOnlyList<VendorListing> Listings)
{
    public static VendorView From(Vendor v) => new(v.Key, v.Name, v.UltimateOwner.Name, v.Jurisdiction, v.SubjectToNationalIntelligenceLaw, v.Listings);
}

/// <summary>
/// One device's verdict as <c>compliance check</c> reports it. <paramref name="MacRegistrant"/> is the IEEE registrant
/// of the MAC block when the catalogue does not know it (Cisco, Ubiquiti): a name for the reader, not an identification.
/// </summary>
/// <paramref name="Registered"/> is what the register said (site, manufacturer, model, MAC as written), shown beside the verdict.
internal sealed record CheckResult(int Line, string AssetId, string Department, ComplianceStatus Status, Severity? Severity, string Rule,
    VendorView? Vendor, IReadOnlyList<EvidenceSnapshot> Evidence, bool RelabelSuspected, IReadOnlyList<string> Reasons, IReadOnlyList<CellWarning> Warnings,
    string? MacRegistrant = null, RegisteredText? Registered = null);

/// <summary>
/// One output format of <c>compliance check</c>. Results are written as they are produced, so a register of any size
/// is checked in constant memory.
/// </summary>
internal abstract class CheckReport : IAsyncDisposable
{
    public virtual Task BeginAsync(CheckVersions versions, CancellationToken cancellationToken) => Task.CompletedTask;

    public abstract ValueTask WriteAsync(CheckResult result, CancellationToken cancellationToken);

    /// <summary>A row that could not be read, as it is met; formats that list only devices ignore it here.</summary>
    public virtual ValueTask WriteErrorAsync(CheckError error, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>The end of the report; <paramref name="errors"/> are the first <see cref="CheckCommand.ErrorsListed"/> rows not read.</summary>
    public abstract Task EndAsync(CheckVersions versions, IReadOnlyList<CheckError> errors, CheckSummary summary, CancellationToken cancellationToken);

    public abstract ValueTask DisposeAsync();
}
