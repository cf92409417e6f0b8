using AssetCompliance.Api.Security;
using AssetCompliance.Core.Alerting;
using AssetCompliance.Core.Events;
using AssetCompliance.Core.Processing;
using AssetCompliance.Core.State;
using Microsoft.AspNetCore.Http;

namespace AssetCompliance.Api;

/// <summary>Routes over maintained state: summaries, exemptions, and the administrators' sweeps.</summary>
/// <param name="reevaluateBudget">How long one re-evaluation request sweeps; <see cref="ReevaluateBudget"/> unless a test sets it.</param>
/// <param name="audit">Where administrative actions are recorded with the caller; the hosts register the Table adapter. Without one (hand-wired tests), none is recorded and <c>GET /api/audit</c> answers an empty list.</param>
public sealed class StateApi(IRecordStore store, IAlertOutbox outbox, Exemptions exemptions, StateSweeps sweeps, RecordRecovery recovery, ComplianceAuthorizer authorizer, TimeSpan? reevaluateBudget = null, IAuditLog? audit = null)
{
    /// <summary>The query parameters of <c>GET /api/audit</c>.</summary>
    internal static readonly QueryParameter[] AuditParameters =
    [
        QueryParameter.One("department", "Only actions on this department (its own role is enough); without it, every action, those over every department included (Compliance.ReadAll)."),
        QueryParameter.Instant("since", "Only actions at or after this instant."),
    ];

    /// <summary>Records an administrative action with its caller (issue 17 item 3); after the action, so the outcome is known.</summary>
    private Task AuditAsync(ApiRoute route, CompliancePrincipal? principal, string? department, string? assetId, string outcome, CancellationToken cancellationToken) =>
        audit is null || principal is null
            ? Task.CompletedTask
            : audit.RecordAuditAsync(new AuditEntry(Guid.NewGuid().ToString("N"), exemptions.Now, route.Id, department, assetId, principal.Actor, outcome), cancellationToken);

    /// <summary>
    /// The audit of administrative actions, oldest first: one department's with <c>?department=</c> (its own role is
    /// enough), every one without it (Compliance.ReadAll); <c>?since=</c> keeps those at or after it.
    /// </summary>
    public async Task<ApiResult> GetAuditAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (RouteTable.GetAudit.Admit(request, authorizer) is { } refused)
        {
            return refused;
        }

        var errors = new List<ValidationError>();
        var reader = new QueryReader(request.Query, errors);
        var department = reader.One("department") ?? "";
        var since = reader.Instant("since");
        if (errors.Count > 0)
        {
            return RequestChecks.InvalidQuery(errors);
        }

        if (RequestChecks.OptionalDepartment(department) is { } departmentProblem)
        {
            return departmentProblem;
        }

        var entries = audit is null ? [] : await audit.GetAuditAsync(department.Length > 0 ? department : null, since, cancellationToken).ConfigureAwait(false);
        return ApiResult.Json(new AuditBody(entries.Count, entries));
    }

    private static readonly string[] OutboxStates = [.. Enum.GetNames<OutboxState>().Select(n => n.ToLowerInvariant())];

    /// <summary>The query parameters of <c>GET /api/alerts</c>; the OpenAPI document lists the same.</summary>
    internal static readonly QueryParameter[] AlertParameters =
    [
        QueryParameter.List("status", "Alerts in this delivery state.", OutboxStates),
        QueryParameter.One("department", "Only this department's alerts (its own role is enough); without it, every department's (Compliance.ReadAll)."),
        QueryParameter.Instant("since", "Only transitions at or after this instant, for tools that poll."),
    ];

    /// <summary>The query parameters of <c>POST /api/admin/alerts/retry</c>.</summary>
    internal static readonly QueryParameter[] RetryParameters =
    [
        QueryParameter.One("department", "Only this department's failed alerts; without it, every department's."),
    ];

    /// <summary>One department's counts and oldest open NonCompliant device, read from the maintained summary row.</summary>
    public async Task<ApiResult> GetDepartmentSummaryAsync(HttpRequest request, string department, CancellationToken cancellationToken)
    {
        if (RouteTable.GetDepartmentSummary.Admit(request, authorizer, department) is { } refused)
        {
            return refused;
        }

        return ApiResult.Json(SummaryView.From(await store.GetSummaryAsync(department, cancellationToken).ConfigureAwait(false)));
    }

    /// <summary>Every department's summary and their total, from the department list and one row each (no scan).</summary>
    public async Task<ApiResult> GetEstateSummaryAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (RouteTable.GetEstateSummary.Admit(request, authorizer) is { } refused)
        {
            return refused;
        }

        var departments = await store.GetDepartmentsAsync(cancellationToken).ConfigureAwait(false);
        var summaries = await Task.WhenAll(departments.Select(d => store.GetSummaryAsync(d, cancellationToken))).ConfigureAwait(false);
        var total = summaries.Aggregate(SummaryCounts.Empty, (sum, s) => sum.Add(s.Counts));
        var oldest = summaries.Select(s => s.OldestOpenNonCompliant).Where(o => o is not null).MinBy(o => o!.Since);
        return ApiResult.Json(new EstateSummaryBody(CountsView.From(total), oldest, summaries.OrderBy(s => s.Department, StringComparer.Ordinal).Select(SummaryView.From),
            PlanCountsView.From(total), total.OverduePlans)
        {
            Observations = ObservationCountsView.From(total),
        });
    }

    public async Task<ApiResult> GetExemptionsAsync(HttpRequest request, string department, string assetId, CancellationToken cancellationToken)
    {
        if (RouteTable.GetExemptions.Admit(request, authorizer, department, assetId) is { } refused)
        {
            return refused;
        }

        if (await store.GetRecordAsync(department, assetId, cancellationToken).ConfigureAwait(false) is not { } stored)
        {
            return RequestChecks.AssetNotFound(department, assetId);
        }

        var history = await store.GetHistoryAsync(department, assetId, cancellationToken).ConfigureAwait(false);
        return ApiResult.Json(new ExemptionsBody(department, assetId, stored.Record.Exemption, stored.Record.Status, history.Where(h => h.Outcome == HistoryOutcome.ExemptionChanged)));
    }

    /// <summary>
    /// Records an exemption request (a department's own role, or an administrator's): 202 with the record, whose
    /// <c>pendingExemption</c> shows it; the status does not change until a different administrator approves it.
    /// </summary>
    public async Task<ApiResult> RequestExemptionAsync(HttpRequest request, string department, string assetId, CancellationToken cancellationToken)
    {
        if (RouteTable.RequestExemption.Admit(request, authorizer, department, assetId, out var principal) is { } refused)
        {
            return refused;
        }

        var (invalid, body) = await JsonRequestBody.ReadAsync<ExemptionRequest>(request, "exemption request", "invalid-exemption", exemptions.Validate, cancellationToken).ConfigureAwait(false);
        if (invalid is not null)
        {
            return invalid;
        }

        var result = await exemptions.RequestAsync(department, assetId, body!, principal!.Actor, cancellationToken).ConfigureAwait(false);
        return await Respond(result, department, assetId, StatusCodes.Status202Accepted, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Approves the pending request (administrators only, and never the requester: 403 same-person): 200 with the
    /// record, Exempt when the policy finds the device NonCompliant, NeedsReview or Advisory; any other verdict needs
    /// <c>preemptive: true</c> (409 otherwise).
    /// </summary>
    public Task<ApiResult> ApproveExemptionAsync(HttpRequest request, string department, string assetId, CancellationToken cancellationToken) =>
        DecideExemptionAsync(RouteTable.ApproveExemption, "exemption approval", Exemptions.ValidateApproval, exemptions.ApproveAsync, request, department, assetId, cancellationToken);

    /// <summary>Refuses the pending request with a reason (administrators only): 200 with the record, the request gone.</summary>
    public Task<ApiResult> RefuseExemptionAsync(HttpRequest request, string department, string assetId, CancellationToken cancellationToken) =>
        DecideExemptionAsync(RouteTable.RefuseExemption, "exemption refusal", Exemptions.ValidateRefusal, exemptions.RefuseAsync, request, department, assetId, cancellationToken);

    /// <summary>An approval or refusal: admitted by its route, its body read and validated, decided, audited, answered.</summary>
    private async Task<ApiResult> DecideExemptionAsync(
        ApiRoute route, string what, Func<ExemptionDecision, IReadOnlyList<ValidationError>> validate,
        Func<string, string, ExemptionDecision, Actor, CancellationToken, Task<CommandResult>> decide,
        HttpRequest request, string department, string assetId, CancellationToken cancellationToken)
    {
        if (route.Admit(request, authorizer, department, assetId, out var principal) is { } refused)
        {
            return refused;
        }

        var (invalid, body) = await JsonRequestBody.ReadAsync(request, what, "invalid-exemption-decision", validate, cancellationToken).ConfigureAwait(false);
        if (invalid is not null)
        {
            return invalid;
        }

        var result = await decide(department, assetId, body!, principal!.Actor, cancellationToken).ConfigureAwait(false);
        await AuditAsync(route, principal, department, assetId, result.Outcome.ToString(), cancellationToken).ConfigureAwait(false);
        return await Respond(result, department, assetId, StatusCodes.Status200OK, cancellationToken).ConfigureAwait(false);
    }

    public async Task<ApiResult> RevokeExemptionAsync(HttpRequest request, string department, string assetId, CancellationToken cancellationToken)
    {
        if (RouteTable.RevokeExemption.Admit(request, authorizer, department, assetId, out var principal) is { } refused)
        {
            return refused;
        }

        var result = await exemptions.RevokeAsync(department, assetId, revokedBy: principal?.Actor, cancellationToken).ConfigureAwait(false);
        await AuditAsync(RouteTable.RevokeExemption, principal, department, assetId, result.Outcome.ToString(), cancellationToken).ConfigureAwait(false);
        return await Respond(result, department, assetId, StatusCodes.Status200OK, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Resets a device's revision so that its next event applies whatever its revision: the way out for a record stuck
    /// on a revision no register will exceed. Admin only (and the host's master key in Azure); the record and history
    /// stay, and the reset is a history entry naming who did it and why. Answers the record with its pending reset.
    /// </summary>
    public async Task<ApiResult> ResetRevisionAsync(HttpRequest request, string department, string assetId, CancellationToken cancellationToken)
    {
        if (RouteTable.ResetRevision.Admit(request, authorizer, department, assetId, out var principal) is { } refused)
        {
            return refused;
        }

        var (invalid, body) = await JsonRequestBody.ReadAsync<RevisionResetRequest>(request, "revision reset request", "invalid-revision-reset", RecordRecovery.Validate, cancellationToken).ConfigureAwait(false);
        if (invalid is not null)
        {
            return invalid;
        }

        var result = await recovery.ResetRevisionAsync(department, assetId, body!, resetBy: principal?.Actor, cancellationToken).ConfigureAwait(false);
        await AuditAsync(RouteTable.ResetRevision, principal, department, assetId, result.Outcome.ToString(), cancellationToken).ConfigureAwait(false);
        return await Respond(result, department, assetId, StatusCodes.Status200OK, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>How long one request sweeps before it answers; far inside App Service's 230 s request timeout.</summary>
    public static readonly TimeSpan ReevaluateBudget = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Re-evaluates devices not evaluated with the deployed catalogue and policy, for up to <see cref="ReevaluateBudget"/>:
    /// 200 with <c>complete: true</c> when none is left, 202 with <c>complete: false</c> when the caller should ask again
    /// (or leave it to the hourly timer). Safe to repeat or interrupt: each call continues where the last stopped.
    /// </summary>
    public async Task<ApiResult> ReevaluateAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (RouteTable.Reevaluate.Admit(request, authorizer, null, null, out var principal) is { } refused)
        {
            return refused;
        }

        var report = await sweeps.ReevaluateAsync(reevaluateBudget ?? ReevaluateBudget, cancellationToken, principal?.Actor).ConfigureAwait(false);
        await AuditAsync(RouteTable.Reevaluate, principal, null, null, $"changed {report.Changed}, complete {report.Complete}", cancellationToken).ConfigureAwait(false);
        return ApiResult.Json(report, report.Complete ? StatusCodes.Status200OK : StatusCodes.Status202Accepted);
    }

    /// <summary>
    /// Puts failed alerts back in the outbox (for <c>?department=</c> or every department), typically after a webhook
    /// was fixed; the next dispatch posts them to the targets that refused them. Answers how many went back.
    /// </summary>
    public async Task<ApiResult> RetryFailedAlertsAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (RouteTable.RetryFailedAlerts.Admit(request, authorizer, null, null, out var principal) is { } refused)
        {
            return refused;
        }

        var department = new QueryReader(request.Query, []).One("department") ?? "";
        if (RequestChecks.OptionalDepartment(department) is { } departmentProblem)
        {
            return departmentProblem;
        }

        var retried = 0;
        foreach (var d in department.Length > 0 ? [department] : await store.GetDepartmentsAsync(cancellationToken).ConfigureAwait(false))
        {
            retried += await FailedAlerts.RetryAsync(outbox, d, cancellationToken).ConfigureAwait(false);
        }

        await AuditAsync(RouteTable.RetryFailedAlerts, principal, department.Length > 0 ? department : null, null, $"retried {retried}", cancellationToken).ConfigureAwait(false);
        return ApiResult.Json(new RetriedBody(retried));
    }

    /// <summary>
    /// Outbox rows by delivery state (<c>?status=failed</c> lists what Teams refused, with the redacted response), for
    /// one department or all, and with <c>?since=</c> only transitions at or after that time (for tools that poll).
    /// Webhook URLs are never part of the answer.
    /// </summary>
    public async Task<ApiResult> GetAlertsAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        // Which role the caller needs depends on department, so the route checks the query's shape first: a repeated
        // department is refused, never read as one of its values or as their comma-joined text. A department's own
        // role sees its alerts; the whole estate needs ReadAll (RouteTable.GetAlerts).
        if (RouteTable.GetAlerts.Admit(request, authorizer) is { } refused)
        {
            return refused;
        }

        var errors = new List<ValidationError>();
        var reader = new QueryReader(request.Query, errors);
        var department = reader.One("department") ?? "";
        var since = reader.Instant("since");

        // Repeated values are alternatives: status=failed&status=pending lists both; no status lists every state.
        var states = reader.List("status", QueryReader.EnumValue<OutboxState>, $"is not one of {string.Join(", ", OutboxStates)}");
        if (errors.Count > 0)
        {
            return RequestChecks.InvalidQuery(errors);
        }

        if (RequestChecks.OptionalDepartment(department) is { } departmentProblem)
        {
            return departmentProblem;
        }

        var departments = department.Length > 0 ? [department] : await store.GetDepartmentsAsync(cancellationToken).ConfigureAwait(false);
        var alerts = new List<AlertView>();
        foreach (var d in departments)
        {
            alerts.AddRange((await outbox.GetOutboxEntriesAsync(d, states.Count > 0 ? states : Enum.GetValues<OutboxState>(), since, cancellationToken).ConfigureAwait(false)).Select(AlertView.From));
        }

        return ApiResult.Json(new AlertsBody(alerts.Count, alerts));
    }

    private async Task<ApiResult> Respond(CommandResult result, string department, string assetId, int successStatus, CancellationToken cancellationToken)
    {
        switch (result.Outcome)
        {
            case CommandOutcome.NotFound:
                return RequestChecks.AssetNotFound(department, assetId);
            case CommandOutcome.Forbidden:
                return ApiResult.Problem(StatusCodes.Status403Forbidden, "same-person", "An exemption needs a second, different person.", result.Reason);
            case CommandOutcome.Refused:
                return ApiResult.Problem(StatusCodes.Status409Conflict, "exemption-not-applicable", "The exemption cannot be changed.", result.Reason);
            default:
                var stored = await store.GetRecordAsync(department, assetId, cancellationToken).ConfigureAwait(false);
                return ApiResult.Json(stored!.Record, result.Outcome == CommandOutcome.Applied ? successStatus : StatusCodes.Status200OK);
        }
    }
}
