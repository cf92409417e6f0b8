using AssetCompliance.Api.Security;
using AssetCompliance.Core.State;
using Microsoft.AspNetCore.Http;

namespace AssetCompliance.Api;

/// <summary>
/// The progress routes (issue 19): a department's figures and the estate's, read from the maintained progress rows
/// only (one range query per department, no record is read), and the administrators' rebuild of those rows from the
/// records' history (<see cref="ProgressRebuild"/>).
/// </summary>
/// <param name="audit">Where the rebuild is recorded with its caller; none in hand-wired tests.</param>
public sealed class ProgressApi(IRecordStore store, IProgressStore progress, ProgressRebuild rebuild, ComplianceAuthorizer authorizer, TimeProvider time, IAuditLog? audit = null)
{
    /// <summary>The query parameters of <c>POST /api/admin/progress/rebuild</c>.</summary>
    internal static readonly QueryParameter[] RebuildParameters =
    [
        QueryParameter.One("department", "Only this department; without it, every department."),
    ];

    /// <summary>One department's progress: its own role, Compliance.ReadAll or Compliance.Admin.</summary>
    public async Task<ApiResult> GetDepartmentProgressAsync(HttpRequest request, string department, CancellationToken cancellationToken)
    {
        if (RouteTable.GetDepartmentProgress.Admit(request, authorizer, department) is { } refused)
        {
            return refused;
        }

        var asOf = time.GetUtcNow();
        var ledger = await progress.GetProgressAsync(department, cancellationToken).ConfigureAwait(false);
        var plans = await PlanFiguresAsync(department, cancellationToken).ConfigureAwait(false);
        return ApiResult.Json(DepartmentProgressBody.From(department, ledger, asOf, plans));
    }

    /// <summary>Every department's progress and the estate's (their sum): Compliance.ReadAll or Compliance.Admin.</summary>
    public async Task<ApiResult> GetEstateProgressAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (RouteTable.GetEstateProgress.Admit(request, authorizer) is { } refused)
        {
            return refused;
        }

        var asOf = time.GetUtcNow();
        var departments = (await store.GetDepartmentsAsync(cancellationToken).ConfigureAwait(false)).Order(StringComparer.Ordinal).ToArray();
        var ledgers = await Task.WhenAll(departments.Select(d => progress.GetProgressAsync(d, cancellationToken))).ConfigureAwait(false);
        var plans = await Task.WhenAll(departments.Select(d => PlanFiguresAsync(d, cancellationToken))).ConfigureAwait(false);
        var estate = new ProgressLedger(ledgers.SelectMany(l => l.Months));
        return ApiResult.Json(new EstateProgressBody(asOf, ProgressLedger.Since,
            ProgressFiguresBody.From(estate, asOf, plans.Aggregate(ProgressPlanFigures.None, (sum, p) => sum.Plus(p))),
            [.. departments.Select((d, i) => DepartmentProgressBody.From(d, ledgers[i], asOf, plans[i]))]));
    }

    /// <summary>
    /// The department's remediation plans by state and its overdue plans: the summary row's maintained
    /// <c>plans</c> and <c>overduePlans</c> (a point read, no scan), so progress and summary never disagree.
    /// </summary>
    private async Task<ProgressPlanFigures> PlanFiguresAsync(string department, CancellationToken cancellationToken)
    {
        var counts = (await store.GetSummaryAsync(department, cancellationToken).ConfigureAwait(false)).Counts;
        long Count(RemediationState state) => counts.PlansByState.GetValueOrDefault(state);
        return new ProgressPlanFigures(
            new ProgressPlans(Count(RemediationState.Planned), Count(RemediationState.Ordered), Count(RemediationState.Done), Count(RemediationState.Cancelled)),
            counts.OverduePlans);
    }

    /// <summary>
    /// Rebuilds the progress rows from the records' history (Compliance.Admin): one department with
    /// <c>?department=</c>, else every one. For stores that held records before the figures were maintained.
    /// </summary>
    public async Task<ApiResult> RebuildProgressAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (RouteTable.RebuildProgress.Admit(request, authorizer, null, null, out var principal) is { } refused)
        {
            return refused;
        }

        var department = new QueryReader(request.Query, []).One("department") ?? "";
        if (RequestChecks.OptionalDepartment(department) is { } departmentProblem)
        {
            return departmentProblem;
        }

        var rebuilt = await rebuild.RebuildAsync(department.Length > 0 ? department : null, cancellationToken).ConfigureAwait(false);
        if (audit is not null && principal is not null)
        {
            await audit.RecordAuditAsync(new AuditEntry(Guid.NewGuid().ToString("N"), time.GetUtcNow(), RouteTable.RebuildProgress.Id, department.Length > 0 ? department : null, null,
                principal.Actor, $"rebuilt {rebuilt.Count} departments from {rebuilt.Sum(r => r.Records)} records"), cancellationToken).ConfigureAwait(false);
        }

        return ApiResult.Json(new ProgressRebuildBody(rebuilt));
    }
}
