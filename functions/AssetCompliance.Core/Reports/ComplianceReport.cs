using AssetCompliance.Core.Policy;
using AssetCompliance.Core.State;

namespace AssetCompliance.Core.Reports;

/// <summary>
/// What a printed compliance report shows, read whole from the compliance API by <see cref="ComplianceReportBuilder"/>:
/// whose it is (<see cref="Department"/>, null for the whole estate), when (<see cref="AsOf"/>, the progress figures'
/// instant), under which policy, the figures, the trend, every department (estate reports) and every open item with
/// its remediation plan. <see cref="ReportHtml"/> renders it.
/// </summary>
public sealed record ComplianceReport
{
    /// <summary>The department reported on; null for the whole estate.</summary>
    public required string? Department { get; init; }

    /// <summary>The instant the progress figures are for (the API's <c>asOf</c>).</summary>
    public required DateTimeOffset AsOf { get; init; }

    /// <summary>The policy's name, version and instruction date (the date the trend starts from).</summary>
    public required string PolicyName { get; init; }

    public required string PolicyVersion { get; init; }

    public required DateOnly InstructionDate { get; init; }

    /// <summary>The API the figures were read from (an address, no credentials), printed on the report.</summary>
    public required string Source { get; init; }

    /// <summary>The summary's device counts.</summary>
    public required ReportCounts Counts { get; init; }

    /// <summary>The progress figures: now, the monthly trend, open items by age, plans by state, overdue plans.</summary>
    public required ProgressFigures Progress { get; init; }

    /// <summary>Every department with its counts and progress (estate reports; empty for a department's).</summary>
    public required IReadOnlyList<ReportDepartment> Departments { get; init; }

    /// <summary>Every NonCompliant, NeedsReview and Advisory device, oldest first, with its plan if it has one.</summary>
    public required IReadOnlyList<ReportItem> OpenItems { get; init; }
}

/// <summary>One department of an estate report.</summary>
public sealed record ReportDepartment(string Department, ReportCounts Counts, ProgressFigures Progress);

/// <summary>One device that needs action or review, and its remediation plan (null: none recorded).</summary>
public sealed record ReportItem(string Department, ReportAsset Asset, RemediationPlanView? Plan);

/// <summary>
/// The figures were read, but a report on them would not be true: the department is unknown to the API, the API
/// evaluates with another policy than the one the report would name, or two figures that must agree do not (the
/// estate changed while it was read). <see cref="Exception.Message"/> says which, in one line.
/// </summary>
public sealed class ReportRefusedException(string message) : Exception(message);

/// <summary>
/// The API routes a report is read from. <see cref="ComplianceReportBuilder"/> calls them; the compliance API client
/// implements them over HTTP. Every method throws <see cref="DependencyUnavailableException"/> when its route does
/// not answer, refuses (401, 403, 404) or answers without a figure: there is no partial answer.
/// </summary>
public interface IReportSource
{
    /// <summary>Where the figures come from, for the report's footer (no credentials).</summary>
    string Name { get; }

    Task<ReportHealth> GetHealthAsync(CancellationToken cancellationToken);

    Task<ReportSummary> GetSummaryAsync(string department, CancellationToken cancellationToken);

    Task<ReportEstateSummary> GetEstateSummaryAsync(CancellationToken cancellationToken);

    Task<DepartmentProgress> GetProgressAsync(string department, CancellationToken cancellationToken);

    Task<EstateProgress> GetEstateProgressAsync(CancellationToken cancellationToken);

    /// <summary>Every device of <paramref name="department"/> with one of <paramref name="statuses"/>, every page.</summary>
    Task<IReadOnlyList<ReportAsset>> GetAssetsAsync(string department, IReadOnlyList<ComplianceStatus> statuses, CancellationToken cancellationToken);

    /// <summary>The device's plan, or null when the API says it has none (a 404 problem from the remediation route itself).</summary>
    Task<RemediationPlanView?> GetRemediationAsync(string department, string assetId, CancellationToken cancellationToken);
}

/// <summary>
/// Reads a report whole from an <see cref="IReportSource"/>, or refuses: a figure not read is an exception
/// (<see cref="DependencyUnavailableException"/>), a report that would not be true is a
/// <see cref="ReportRefusedException"/>. Never a report with a zero in place of a figure it could not read.
/// </summary>
public static class ComplianceReportBuilder
{
    /// <summary>The statuses listed as open items: the ones a department has to act on or look at.</summary>
    public static IReadOnlyList<ComplianceStatus> OpenStatuses { get; } = [ComplianceStatus.NonCompliant, ComplianceStatus.NeedsReview, ComplianceStatus.Advisory];

    /// <summary>Remediation plans read at once: the API is asked for one device's plan at a time.</summary>
    private const int PlanReads = 8;

    /// <summary>The report of <paramref name="department"/>, or of the whole estate when it is null (Compliance.ReadAll).</summary>
    public static async Task<ComplianceReport> BuildAsync(IReportSource source, string? department, CompliancePolicy policy, CancellationToken cancellationToken)
    {
        var health = await source.GetHealthAsync(cancellationToken).ConfigureAwait(false);
        if (health.PolicyVersion != policy.Version)
        {
            throw new ReportRefusedException($"the API evaluates with policy version {health.PolicyVersion}, and the report would name '{policy.Name}' version {policy.Version}: give the API's policy file with --policy");
        }

        var (counts, progress, asOf, departments) = department is null
            ? await EstateAsync(source, cancellationToken).ConfigureAwait(false)
            : await DepartmentAsync(source, department, cancellationToken).ConfigureAwait(false);

        var items = new List<ReportItem>();
        foreach (var (name, summary, figures) in departments)
        {
            var assets = await source.GetAssetsAsync(name, OpenStatuses, cancellationToken).ConfigureAwait(false);
            var listed = assets.LongCount(a => a.Status == ComplianceStatus.NonCompliant);
            if (listed != summary.Of(ComplianceStatus.NonCompliant) || listed != figures.Current.OpenItems)
            {
                throw new ReportRefusedException($"department {name}'s list has {listed} NonCompliant devices, its summary {summary.Of(ComplianceStatus.NonCompliant)} and its progress figures {figures.Current.OpenItems} open items: the estate changed while it was read; run the report again");
            }

            var plans = new RemediationPlanView?[assets.Count];
            await Parallel.ForEachAsync(Enumerable.Range(0, assets.Count), new ParallelOptions { MaxDegreeOfParallelism = PlanReads, CancellationToken = cancellationToken },
                async (i, t) => plans[i] = await source.GetRemediationAsync(name, assets[i].AssetId, t).ConfigureAwait(false)).ConfigureAwait(false);
            items.AddRange(assets.Select((a, i) => new ReportItem(name, a, plans[i])));
        }

        return new ComplianceReport
        {
            Department = department,
            AsOf = asOf,
            PolicyName = policy.Name,
            PolicyVersion = policy.Version,
            InstructionDate = policy.InstructionDate,
            Source = source.Name,
            Counts = counts,
            Progress = progress,
            Departments = department is null ? [.. departments.Select(d => new ReportDepartment(d.Name, d.Counts, d.Progress))] : [],
            OpenItems = [.. items.OrderBy(i => i.Asset.StatusSince).ThenBy(i => i.Department, StringComparer.Ordinal).ThenBy(i => i.Asset.AssetId, StringComparer.Ordinal)],
        };
    }

    private static async Task<(ReportCounts, ProgressFigures, DateTimeOffset, IReadOnlyList<(string Name, ReportCounts Counts, ProgressFigures Progress)>)> DepartmentAsync(
        IReportSource source, string department, CancellationToken cancellationToken)
    {
        var summary = await source.GetSummaryAsync(department, cancellationToken).ConfigureAwait(false);
        if (summary.Department != department)
        {
            throw new ReportRefusedException($"the API answered department {department}'s summary with department {summary.Department}'s");
        }

        // The summary of a department the API has never heard of is all zeros: a report of it would say "nothing to do".
        if (summary.Counts.Total == 0)
        {
            throw new ReportRefusedException($"the API holds no devices of department {department}: it is not a department whose register the pipeline has received (check the name's spelling and case)");
        }

        var progress = await source.GetProgressAsync(department, cancellationToken).ConfigureAwait(false);
        if (progress.Department != department)
        {
            throw new ReportRefusedException($"the API answered department {department}'s progress with department {progress.Department}'s");
        }

        return (summary.Counts, progress, progress.AsOf, [(department, summary.Counts, progress)]);
    }

    private static async Task<(ReportCounts, ProgressFigures, DateTimeOffset, IReadOnlyList<(string Name, ReportCounts Counts, ProgressFigures Progress)>)> EstateAsync(
        IReportSource source, CancellationToken cancellationToken)
    {
        var summary = await source.GetEstateSummaryAsync(cancellationToken).ConfigureAwait(false);
        var progress = await source.GetEstateProgressAsync(cancellationToken).ConfigureAwait(false);
        if (summary.Departments.Count == 0)
        {
            throw new ReportRefusedException("the API holds no department's devices: there is no estate to report on yet");
        }

        var byName = progress.Departments.ToDictionary(d => d.Department, StringComparer.Ordinal);
        var departments = new List<(string, ReportCounts, ProgressFigures)>();
        foreach (var department in summary.Departments)
        {
            if (!byName.TryGetValue(department.Department, out var figures))
            {
                throw new ReportRefusedException($"the estate summary lists department {department.Department} and the estate's progress figures do not: the estate changed while it was read; run the report again");
            }

            departments.Add((department.Department, department.Counts, figures));
        }

        if (byName.Count != departments.Count)
        {
            var extra = byName.Keys.Except(summary.Departments.Select(d => d.Department), StringComparer.Ordinal).Order(StringComparer.Ordinal);
            throw new ReportRefusedException($"the estate's progress figures list department(s) {string.Join(", ", extra)} that the estate summary does not: the estate changed while it was read; run the report again");
        }

        return (summary.Total, progress.Estate, progress.AsOf, departments);
    }
}
