using AssetCompliance.Core.State;
using Microsoft.Extensions.Logging;

namespace AssetCompliance.Core.Processing;

/// <summary>How far a sweep got: how many records it looked at and changed, per department.</summary>
public sealed record SweepReport(string Sweep, int Departments, int Examined, int Changed, int Duplicates)
{
    public static SweepReport Empty(string sweep) => new(sweep, 0, 0, 0, 0);

    public SweepReport Add(int examined, int changed, int duplicates) => this with
    {
        Departments = Departments + 1,
        Examined = Examined + examined,
        Changed = Changed + changed,
        Duplicates = Duplicates + duplicates,
    };
}

/// <summary>
/// Sweeps over the stored estate: re-evaluating devices whose catalogue or policy version is not the deployed one,
/// and ending exemptions that have expired. Both select only the records that still need the work, in pages, and
/// commit through the same command path as events, so a sweep is idempotent (each change's command id is recognised if it comes again) and
/// resumable (an interrupted sweep's next run finds only what is left).
/// </summary>
public sealed partial class StateSweeps(CommandProcessor commands, IComplianceStore store, TimeProvider time, ILogger<StateSweeps> logger)
{
    private const int PageSize = 200;

    public async Task<SweepReport> ReevaluateAsync(CancellationToken cancellationToken)
    {
        var planner = commands.Planner;
        var filter = new RecordFilter.NotEvaluatedWith(planner.CatalogueVersion, planner.PolicyVersion);
        var report = await SweepAsync("reevaluate", filter,
            r => new Reevaluate(r.Department, r.AssetId, planner.CatalogueVersion, planner.PolicyVersion), cancellationToken).ConfigureAwait(false);
        LogSweep(report.Sweep, report.Departments, report.Examined, report.Changed, planner.CatalogueVersion, planner.PolicyVersion);
        return report;
    }

    public async Task<SweepReport> ExpireExemptionsAsync(CancellationToken cancellationToken)
    {
        var filter = new RecordFilter.ExemptionExpiredBy(time.GetUtcNow());
        var report = await SweepAsync("expire-exemptions", filter,
            r => r.Exemption is { } exemption ? new ExpireExemption(r.Department, r.AssetId, exemption.ExpiresAt) : null, cancellationToken).ConfigureAwait(false);
        LogSweep(report.Sweep, report.Departments, report.Examined, report.Changed, commands.Planner.CatalogueVersion, commands.Planner.PolicyVersion);
        return report;
    }

    private async Task<SweepReport> SweepAsync(string name, RecordFilter filter, Func<ComplianceRecord, RecordCommand?> command, CancellationToken cancellationToken)
    {
        var report = SweepReport.Empty(name);
        foreach (var department in await store.GetDepartmentsAsync(cancellationToken).ConfigureAwait(false))
        {
            var (examined, changed, duplicates) = (0, 0, 0);
            var page = new List<RecordCommand>(PageSize);
            await foreach (var stored in store.FindRecordsAsync(department, filter, cancellationToken).ConfigureAwait(false))
            {
                examined++;
                if (command(stored.Record) is { } c)
                {
                    page.Add(c);
                }

                if (page.Count == PageSize)
                {
                    (changed, duplicates) = Tally(await commands.ExecuteAsync(department, page, cancellationToken).ConfigureAwait(false), changed, duplicates);
                    page.Clear();
                }
            }

            if (page.Count > 0)
            {
                (changed, duplicates) = Tally(await commands.ExecuteAsync(department, page, cancellationToken).ConfigureAwait(false), changed, duplicates);
            }

            report = report.Add(examined, changed, duplicates);
        }

        return report;
    }

    private static (int Changed, int Duplicates) Tally(IReadOnlyList<CommandResult> results, int changed, int duplicates) =>
        (changed + results.Count(r => r.Outcome == CommandOutcome.Applied), duplicates + results.Count(r => r.Outcome == CommandOutcome.Duplicate));

    [LoggerMessage(EventId = 20, Level = LogLevel.Information, Message = "Sweep {Sweep}: {Departments} departments, {Examined} records examined, {Changed} changed (catalogue {CatalogueVersion}, policy {PolicyVersion})")]
    private partial void LogSweep(string sweep, int departments, int examined, int changed, string catalogueVersion, string policyVersion);
}
