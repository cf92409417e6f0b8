using AssetCompliance.Core.State;
using Microsoft.Extensions.Logging;

namespace AssetCompliance.Core.Processing;

/// <summary>
/// How far a sweep got: how many records it looked at and changed, per department. <see cref="Complete"/> is false when
/// the sweep stopped at its time budget with work possibly left; running it again continues from there.
/// </summary>
public sealed record SweepReport(string Sweep, int Departments, int Examined, int Changed, int Duplicates, bool Complete = true)
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

    /// <summary>Re-evaluates every device not evaluated with the deployed catalogue and policy (the timer's sweep).</summary>
    public Task<SweepReport> ReevaluateAsync(CancellationToken cancellationToken) => ReevaluateAsync(budget: null, cancellationToken);

    /// <param name="budget">
    /// Stop starting new pages after this long and report <see cref="SweepReport.Complete"/> false; none for the timer,
    /// which may run as long as the function timeout allows. The HTTP route passes one so that a large estate answers
    /// well inside the front end's request timeout (230 s on App Service) instead of being cut off mid-sweep.
    /// </param>
    public async Task<SweepReport> ReevaluateAsync(TimeSpan? budget, CancellationToken cancellationToken)
    {
        var planner = commands.Planner;
        var filter = new RecordFilter.NotEvaluatedWith(planner.CatalogueVersion, planner.PolicyVersion);
        var report = await SweepAsync("reevaluate", filter,
            r => new Reevaluate(r.Department, r.AssetId, planner.CatalogueVersion, planner.PolicyVersion), budget, cancellationToken).ConfigureAwait(false);
        LogSweep(report.Sweep, report.Departments, report.Examined, report.Changed, report.Complete, planner.CatalogueVersion, planner.PolicyVersion);
        return report;
    }

    public async Task<SweepReport> ExpireExemptionsAsync(CancellationToken cancellationToken)
    {
        var filter = new RecordFilter.ExemptionExpiredBy(time.GetUtcNow());
        var report = await SweepAsync("expire-exemptions", filter,
            r => r.Exemption is { } exemption ? new ExpireExemption(r.Department, r.AssetId, exemption.ExpiresAt) : null, budget: null, cancellationToken).ConfigureAwait(false);
        LogSweep(report.Sweep, report.Departments, report.Examined, report.Changed, report.Complete, commands.Planner.CatalogueVersion, commands.Planner.PolicyVersion);
        return report;
    }

    private async Task<SweepReport> SweepAsync(string name, RecordFilter filter, Func<ComplianceRecord, RecordCommand?> command, TimeSpan? budget, CancellationToken cancellationToken)
    {
        // A call always commits at least one page before it may stop, so repeated calls finish whatever the budget.
        var deadline = budget is { } b ? time.GetUtcNow() + b : DateTimeOffset.MaxValue;
        var pages = 0;
        bool OutOfTime() => pages > 0 && time.GetUtcNow() >= deadline;

        var report = SweepReport.Empty(name);
        foreach (var department in await store.GetDepartmentsAsync(cancellationToken).ConfigureAwait(false))
        {
            if (OutOfTime())
            {
                return report with { Complete = false };
            }

            var (examined, changed, duplicates) = (0, 0, 0);
            var stopped = false;
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
                    pages++;
                    if (OutOfTime())
                    {
                        // Everything planned so far is committed; the filter finds what is left next time.
                        stopped = true;
                        break;
                    }
                }
            }

            if (page.Count > 0)
            {
                (changed, duplicates) = Tally(await commands.ExecuteAsync(department, page, cancellationToken).ConfigureAwait(false), changed, duplicates);
                pages++;
            }

            report = report.Add(examined, changed, duplicates);
            if (stopped)
            {
                return report with { Complete = false };
            }
        }

        return report;
    }

    private static (int Changed, int Duplicates) Tally(IReadOnlyList<CommandResult> results, int changed, int duplicates) =>
        (changed + results.Count(r => r.Outcome == CommandOutcome.Applied), duplicates + results.Count(r => r.Outcome == CommandOutcome.Duplicate));

    [LoggerMessage(EventId = 20, Level = LogLevel.Information, Message = "Sweep {Sweep}: {Departments} departments, {Examined} records examined, {Changed} changed, complete {Complete} (catalogue {CatalogueVersion}, policy {PolicyVersion})")]
    private partial void LogSweep(string sweep, int departments, int examined, int changed, bool complete, string catalogueVersion, string policyVersion);
}
