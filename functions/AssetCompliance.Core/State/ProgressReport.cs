using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace AssetCompliance.Core.State;

/// <summary>
/// Port to the maintained progress rows (issue 19). The record store moves them in the same transaction as each record
/// change; this port reads them and replaces them wholesale for <see cref="ProgressRebuild"/>.
/// </summary>
public interface IProgressStore
{
    /// <summary>The department's maintained progress: its progress rows only, never its records.</summary>
    Task<ProgressLedger> GetProgressAsync(string department, CancellationToken cancellationToken);

    /// <summary>
    /// A token that changes whenever a committed change moves the department's counts or progress (the summary row's
    /// ETag); null when the department has no summary yet.
    /// </summary>
    Task<string?> GetProgressVersionAsync(string department, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces the department's progress rows with <paramref name="ledger"/> if no change was committed since
    /// <paramref name="version"/> was read (one transaction, guarded by it); false, writing nothing, when one was.
    /// </summary>
    Task<bool> ReplaceProgressAsync(string department, string? version, ProgressLedger ledger, CancellationToken cancellationToken);
}

/// <summary>
/// Rebuilds a department's progress rows from its records and their history (<see cref="ProgressLedger.FromHistory"/>),
/// for stores that held records before the figures were maintained, or to check them. It reads every record and its
/// history (a scan: an administrator's action, never a request's), then replaces the rows in one transaction guarded
/// by the version read first, so a change committed meanwhile makes it start again rather than be lost.
/// </summary>
public sealed partial class ProgressRebuild(IRecordStore records, IProgressStore progress, ILogger<ProgressRebuild> logger)
{
    /// <summary>How often one department's rebuild starts again after losing to concurrent changes before it gives up.</summary>
    public const int MaxAttempts = 10;

    private const int HistoryReadParallelism = 8;

    /// <summary>Rebuilds one department's progress, or every department's when <paramref name="department"/> is null.</summary>
    /// <exception cref="InvalidOperationException">Changes kept arriving during <see cref="MaxAttempts"/> attempts: nothing was replaced.</exception>
    public async Task<IReadOnlyList<RebuiltProgress>> RebuildAsync(string? department, CancellationToken cancellationToken)
    {
        var departments = department is null ? await records.GetDepartmentsAsync(cancellationToken).ConfigureAwait(false) : [department];
        var rebuilt = new List<RebuiltProgress>();
        foreach (var name in departments.Order(StringComparer.Ordinal))
        {
            rebuilt.Add(await RebuildDepartmentAsync(name, cancellationToken).ConfigureAwait(false));
        }

        return rebuilt;
    }

    private async Task<RebuiltProgress> RebuildDepartmentAsync(string department, CancellationToken cancellationToken)
    {
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            var version = await progress.GetProgressVersionAsync(department, cancellationToken).ConfigureAwait(false);
            var stored = new List<ComplianceRecord>();
            await foreach (var record in records.FindRecordsAsync(department, new RecordFilter.All(), cancellationToken).ConfigureAwait(false))
            {
                stored.Add(record.Record);
            }

            var parts = new ConcurrentBag<ProgressLedger>();
            await Parallel.ForEachAsync(stored, new ParallelOptions { MaxDegreeOfParallelism = HistoryReadParallelism, CancellationToken = cancellationToken }, async (record, token) =>
                parts.Add(ProgressLedger.FromHistory(record, await records.GetHistoryAsync(department, record.AssetId, token).ConfigureAwait(false)))).ConfigureAwait(false);
            var ledger = new ProgressLedger(parts.SelectMany(p => p.Months));
            if (await progress.ReplaceProgressAsync(department, version, ledger, cancellationToken).ConfigureAwait(false))
            {
                LogRebuilt(department, stored.Count, ledger.Months.Count, attempt);
                return new RebuiltProgress(department, stored.Count, ProgressCurrent.From(ledger.Current), attempt);
            }
        }

        throw new InvalidOperationException($"The progress of {department} could not be rebuilt: changes kept arriving during {MaxAttempts} attempts. Nothing was replaced; try again when it is quieter.");
    }

    [LoggerMessage(EventId = 90, Level = LogLevel.Information, Message = "Progress of {Department} rebuilt from {Records} records and their history: {Months} months, attempt {Attempt}")]
    private partial void LogRebuilt(string department, int records, int months, int attempt);
}

/// <summary>One department's progress rebuilt: how many records were read, the figures now, and the attempts it took.</summary>
public sealed record RebuiltProgress(string Department, long Records, ProgressCurrent Current, int Attempts);

/// <summary>The answer of <c>POST /api/admin/progress/rebuild</c>: each department rebuilt, in code order.</summary>
public sealed record ProgressRebuildBody(IReadOnlyList<RebuiltProgress> Departments);

/// <summary>The figures now: devices in the register, PRC-made ones, those on sensitive sites and on core networks, and open items (NonCompliant).</summary>
public sealed record ProgressCurrent(long Devices, long PrcMade, long PrcOnSensitiveSites, long PrcOnCoreNetworks, long OpenItems)
{
    public static ProgressCurrent From(ProgressFigures f) => new(f.Devices, f.PrcMade, f.PrcOnSensitiveSites, f.PrcOnCoreNetworks, f.OpenItems);
}

/// <summary>One month of the trend: the value at the month's end (<c>yyyy-MM</c>, UTC; the last point is now).</summary>
public sealed record ProgressPoint(string Month, long PrcOnSensitiveSites, long PrcOnCoreNetworks, long OpenItems);

/// <summary>Remediation plans by state (issue 19), as the department summary maintains them.</summary>
public sealed record ProgressPlans(long Planned, long Ordered, long Done, long Cancelled)
{
    /// <summary>No plans: the start of a sum.</summary>
    public static ProgressPlans None { get; } = new(0, 0, 0, 0);
}

/// <summary>
/// The plans part of the figures for one department: plans by state and how many are overdue, read from the
/// department summary's maintained <c>plans</c> and <c>overduePlans</c> (<c>ProgressApi</c>).
/// </summary>
public sealed record ProgressPlanFigures(ProgressPlans Plans, long OverduePlans)
{
    public static ProgressPlanFigures None { get; } = new(ProgressPlans.None, 0);

    public ProgressPlanFigures Plus(ProgressPlanFigures other) => new(
        new ProgressPlans(Plans.Planned + other.Plans.Planned, Plans.Ordered + other.Plans.Ordered, Plans.Done + other.Plans.Done, Plans.Cancelled + other.Plans.Cancelled),
        OverduePlans + other.OverduePlans);
}

/// <summary>The figures of the estate (every department added up): a department's body without <c>department</c>.</summary>
public sealed record ProgressFiguresBody(ProgressCurrent Current, IReadOnlyList<ProgressPoint> Trend, OpenItemsByAge OpenItemsByAge, ProgressPlans Plans, long OverduePlans)
{
    /// <summary>The body of maintained progress read at <paramref name="asOf"/> (the trend and ages depend on the clock).</summary>
    public static ProgressFiguresBody From(ProgressLedger ledger, DateTimeOffset asOf, ProgressPlanFigures plans) => new(
        ProgressCurrent.From(ledger.Current),
        [.. ledger.Trend(asOf).Select(p => new ProgressPoint(p.Month, p.Value.PrcOnSensitiveSites, p.Value.PrcOnCoreNetworks, p.Value.OpenItems))],
        ledger.Ages(asOf),
        plans.Plans,
        plans.OverduePlans);
}

/// <summary>
/// <c>GET /api/departments/{d}/progress</c>: the department's figures now, the trend since the instruction date as
/// monthly points, its open items by age, and its plans, read from maintained rows only.
/// </summary>
public sealed record DepartmentProgressBody(string Department, DateTimeOffset AsOf, DateOnly Since, ProgressCurrent Current, IReadOnlyList<ProgressPoint> Trend, OpenItemsByAge OpenItemsByAge, ProgressPlans Plans, long OverduePlans)
{
    public static DepartmentProgressBody From(string department, ProgressLedger ledger, DateTimeOffset asOf, ProgressPlanFigures plans)
    {
        var figures = ProgressFiguresBody.From(ledger, asOf, plans);
        return new(department, asOf, ProgressLedger.Since, figures.Current, figures.Trend, figures.OpenItemsByAge, figures.Plans, figures.OverduePlans);
    }
}

/// <summary><c>GET /api/progress</c>: the estate's figures (every department's added up) and each department's, in code order.</summary>
public sealed record EstateProgressBody(DateTimeOffset AsOf, DateOnly Since, ProgressFiguresBody Estate, IReadOnlyList<DepartmentProgressBody> Departments);
