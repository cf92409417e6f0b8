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
/// ending exemptions that have expired, and marking remediation plans past their due date overdue. Both select only the records that still need the work, in pages, and
/// commit through the same command path as events, so a sweep is idempotent (each change's command id is recognised if it comes again) and
/// resumable (an interrupted sweep's next run finds only what is left).
/// <para>
/// Per department, one scan reads the records and a page is planned on the records the scan returned (no second read:
/// their ETags guard the writes, and a record changed meanwhile loses its race and is read again). The scan reads the
/// next page while the current one commits, and one page commits at a time, so that a failure stops the sweep with
/// every page before it committed and nothing after it written.
/// </para>
/// </summary>
/// <param name="pageSize">
/// Records planned and committed together: <see cref="DefaultPageSize"/> unless a test sets it. A page is one call of
/// <see cref="IRecordStore.CommitAsync"/>, which packs it into transactions of 100 entities and commits the ones
/// that leave the department's counts alone side by side.
/// </param>
public sealed partial class StateSweeps(CommandProcessor commands, IRecordStore store, TimeProvider time, ILogger<StateSweeps> logger, int pageSize = StateSweeps.DefaultPageSize)
{
    /// <summary>
    /// Records per page: ten full transactions, and the page size of a Table Storage query (1,000 entities), so that
    /// each page of the scan is one round trip.
    /// </summary>
    public const int DefaultPageSize = 1000;

    /// <summary>Pages the scan may read ahead of the commits.</summary>
    private const int ReadAhead = 1;

    /// <summary>
    /// Pages of one department planned and committed at once: the next is planned (CPU here) while the previous
    /// commits (work in storage), so neither side waits for the other.
    /// </summary>
    private const int PagesInFlight = 2;

    /// <summary>Re-evaluates every device not evaluated with the deployed catalogue and policy (the timer's sweep).</summary>
    public Task<SweepReport> ReevaluateAsync(CancellationToken cancellationToken) => ReevaluateAsync(budget: null, cancellationToken);

    /// <param name="budget">
    /// Stop starting new pages after this long and report <see cref="SweepReport.Complete"/> false; none for the timer,
    /// which may run as long as the function timeout allows. The HTTP route passes one so that a large estate answers
    /// well inside the front end's request timeout (230 s on App Service) instead of being cut off mid-sweep.
    /// </param>
    /// <param name="by">The administrator who asked (over HTTP); each device's re-evaluation history entry records them. Null for the timer.</param>
    public async Task<SweepReport> ReevaluateAsync(TimeSpan? budget, CancellationToken cancellationToken, Actor? by = null)
    {
        var planner = commands.Planner;
        var filter = new RecordFilter.NotEvaluatedWith(planner.CatalogueVersion, planner.PolicyVersion);
        return await LoggedSweepAsync("reevaluate", filter,
            r => new Reevaluate(r.Department, r.AssetId, planner.CatalogueVersion, planner.PolicyVersion) { By = by }, budget, cancellationToken).ConfigureAwait(false);
    }

    public Task<SweepReport> ExpireExemptionsAsync(CancellationToken cancellationToken) =>
        LoggedSweepAsync("expire-exemptions", new RecordFilter.ExemptionExpiredBy(time.GetUtcNow()),
            r => r.Exemption is { } exemption ? new ExpireExemption(r.Department, r.AssetId, exemption.ExpiresAt) : null, budget: null, cancellationToken);

    /// <summary>
    /// Marks every open remediation plan whose due date (UTC) has passed as overdue (the timer's sweep, issue 19): a
    /// history entry and a Teams card each, and the department's overdue count moved in the same commit.
    /// </summary>
    public Task<SweepReport> MarkOverdueRemediationsAsync(CancellationToken cancellationToken) =>
        LoggedSweepAsync("remediation-overdue", new RecordFilter.RemediationDueBy(time.GetUtcNow()),
            r => r.Remediation is { } plan ? new MarkRemediationOverdue(r.Department, r.AssetId, plan.UpdatedAt) : null, budget: null, cancellationToken);

    /// <summary>A sweep, then its one log line with the catalogue and policy versions in use.</summary>
    private async Task<SweepReport> LoggedSweepAsync(string name, RecordFilter filter, Func<ComplianceRecord, RecordCommand?> command, TimeSpan? budget, CancellationToken cancellationToken)
    {
        var report = await SweepAsync(name, filter, command, budget, cancellationToken).ConfigureAwait(false);
        LogSweep(report.Sweep, report.Departments, report.Examined, report.Changed, report.Complete, commands.Planner.CatalogueVersion, commands.Planner.PolicyVersion);
        return report;
    }

    /// <summary>Records the scan examined, the commands planned for them and the records they were planned on.</summary>
    private sealed record Page(int Examined, List<RecordCommand> Commands, Dictionary<string, StoredRecord> Records);

    private async Task<SweepReport> SweepAsync(string name, RecordFilter filter, Func<ComplianceRecord, RecordCommand?> command, TimeSpan? budget, CancellationToken cancellationToken)
    {
        // A call always commits at least one page before it may stop, so repeated calls finish whatever the budget.
        var deadline = budget is { } b ? time.GetUtcNow() + b : DateTimeOffset.MaxValue;
        var started = 0;
        bool OutOfTime() => started > 0 && time.GetUtcNow() >= deadline;

        var report = SweepReport.Empty(name);
        foreach (var department in await store.GetDepartmentsAsync(cancellationToken).ConfigureAwait(false))
        {
            if (OutOfTime())
            {
                return report with { Complete = false };
            }

            var (examined, changed, duplicates) = (0, 0, 0);
            var stopped = false;
            using var stopScan = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var channel = System.Threading.Channels.Channel.CreateBounded<Page>(
                new System.Threading.Channels.BoundedChannelOptions(ReadAhead) { SingleReader = true, SingleWriter = true });
            var scan = ScanAsync(department, filter, command, channel.Writer, stopScan.Token);
            var inFlight = new Queue<Task<IReadOnlyList<CommandResult>>>(PagesInFlight);
            try
            {
                // A scan failure arrives here as the exception that completed the channel.
                await foreach (var page in channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
                {
                    if (page.Commands.Count == 0)
                    {
                        examined += page.Examined;
                        continue;
                    }

                    if (inFlight.Count == PagesInFlight)
                    {
                        (changed, duplicates) = Tally(await inFlight.Dequeue().ConfigureAwait(false), changed, duplicates);
                    }

                    if (OutOfTime() || inFlight.Any(t => t.IsFaulted))
                    {
                        // Every page started is committed below (or its failure thrown); this one and the one read
                        // ahead are dropped, and the filter finds them and what is left next time.
                        stopped = true;
                        break;
                    }

                    examined += page.Examined;
                    started++;
                    // Pages hold different assets, so the next is planned while the previous commits.
                    inFlight.Enqueue(commands.ExecuteAsync(department, page.Commands, page.Records, cancellationToken));
                }
            }
            finally
            {
                // Never leave work running behind the sweep: the scan only reads and ends on its own token; every
                // page started runs to its end, so that a failure is thrown only once nothing is still being written.
                await stopScan.CancelAsync().ConfigureAwait(false);
                await scan.ConfigureAwait(false);
                await Task.WhenAll(inFlight).ConfigureAwait(false); // the first failure, if any, is thrown from here
            }

            while (inFlight.Count > 0)
            {
                (changed, duplicates) = Tally(await inFlight.Dequeue().ConfigureAwait(false), changed, duplicates);
            }

            report = report.Add(examined, changed, duplicates);
            if (stopped)
            {
                return report with { Complete = false };
            }
        }

        return report;
    }

    /// <summary>
    /// Reads the department's records that match the filter into pages of <c>pageSize</c> commands, ahead of the
    /// commits by at most <see cref="ReadAhead"/> pages. Never throws: a failure (or the sweep stopping it) completes
    /// the channel with the exception.
    /// </summary>
    private async Task ScanAsync(string department, RecordFilter filter, Func<ComplianceRecord, RecordCommand?> command,
        System.Threading.Channels.ChannelWriter<Page> pagesOut, CancellationToken cancellationToken)
    {
        try
        {
            var (examined, planned, read) = NewPage();
            await foreach (var stored in store.FindRecordsAsync(department, filter, cancellationToken).ConfigureAwait(false))
            {
                examined++;
                if (command(stored.Record) is { } c)
                {
                    planned.Add(c);
                    read[c.AssetId] = stored;
                }

                if (planned.Count == pageSize)
                {
                    await pagesOut.WriteAsync(new Page(examined, planned, read), cancellationToken).ConfigureAwait(false);
                    (examined, planned, read) = NewPage();
                }
            }

            if (examined > 0)
            {
                await pagesOut.WriteAsync(new Page(examined, planned, read), cancellationToken).ConfigureAwait(false);
            }

            pagesOut.Complete();
        }
        catch (Exception e)
        {
            pagesOut.Complete(e);
        }

        (int, List<RecordCommand>, Dictionary<string, StoredRecord>) NewPage() => (0, new(pageSize), new(pageSize, StringComparer.Ordinal));
    }

    private static (int Changed, int Duplicates) Tally(IReadOnlyList<CommandResult> results, int changed, int duplicates) =>
        (changed + results.Count(r => r.Outcome == CommandOutcome.Applied), duplicates + results.Count(r => r.Outcome == CommandOutcome.Duplicate));

    [LoggerMessage(EventId = 20, Level = LogLevel.Information, Message = "Sweep {Sweep}: {Departments} departments, {Examined} records examined, {Changed} changed, complete {Complete} (catalogue {CatalogueVersion}, policy {PolicyVersion})")]
    private partial void LogSweep(string sweep, int departments, int examined, int changed, bool complete, string catalogueVersion, string policyVersion);
}
