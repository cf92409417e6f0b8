using AssetCompliance.Api.Security;
using AssetCompliance.Core.Events;
using AssetCompliance.Core.Processing;
using AssetCompliance.Core.State;
using Microsoft.AspNetCore.Http;

namespace AssetCompliance.Api;

/// <summary>
/// The remediation plan routes (issue 19): <c>GET</c> and <c>PUT …/assets/{id}/remediation</c>. The plan's entity tag
/// goes out in <c>ETag</c>; a <c>PUT</c> with <c>If-Match</c> applies only while the stored plan still has that tag,
/// checked on the record the commit is guarded by (so an asset event or the overdue sweep changing the plan meanwhile
/// answers 412, and nothing is lost).
/// </summary>
public sealed class RemediationApi(IRecordStore store, Remediations remediations, ComplianceAuthorizer authorizer)
{
    /// <summary>The query parameters of the <c>PUT</c>.</summary>
    internal static readonly QueryParameter[] PutParameters =
    [
        QueryParameter.One("reopen", "true to change a done, cancelled or closed plan (reopened planned or ordered, its due date counted from today as for a new plan); without it such a plan answers 409.", "boolean"),
    ];

    /// <summary>The device's plan (open or closed) with its <c>ETag</c>; 404 when the device or the plan is absent.</summary>
    public async Task<ApiResult> GetAsync(HttpRequest request, string department, string assetId, CancellationToken cancellationToken)
    {
        if (RouteTable.GetRemediation.Admit(request, authorizer, department, assetId) is { } refused)
        {
            return refused;
        }

        if (await store.GetRecordAsync(department, assetId, cancellationToken).ConfigureAwait(false) is not { } stored)
        {
            return RequestChecks.AssetNotFound(department, assetId);
        }

        return stored.Record.Remediation is { } plan
            ? ApiResult.Json(RemediationBody.From(department, assetId, plan)).WithETag(plan.ETag())
            : ApiResult.Problem(StatusCodes.Status404NotFound, "remediation-not-found", "The device has no remediation plan.",
                $"{department}/{assetId} has no plan; PUT one (action, dueDate, owner, state, notes) while it is NonCompliant, NeedsReview or Advisory.");
    }

    /// <summary>
    /// Makes (201), changes or reopens (200) the plan, or answers 200 unchanged for the same fields again; 400 for a
    /// body or <c>If-Match</c> that is not well formed, 404 no such device, 409 a transition or device the rules refuse,
    /// 412 a stale <c>If-Match</c>, 422 a due date the policy does not allow.
    /// </summary>
    public async Task<ApiResult> PutAsync(HttpRequest request, string department, string assetId, CancellationToken cancellationToken)
    {
        if (RouteTable.PutRemediation.Admit(request, authorizer, department, assetId, out var principal) is { } refused)
        {
            return refused;
        }

        var errors = new List<ValidationError>();
        var reopen = new QueryReader(request.Query, errors).Flag("reopen");
        if (errors.Count > 0)
        {
            return RequestChecks.InvalidQuery(errors);
        }

        if (IfMatch(request, out var ifMatch) is { } badHeader)
        {
            return badHeader;
        }

        var (invalid, body) = await JsonRequestBody.ReadAsync<RemediationRequest>(request, "remediation plan", "invalid-remediation", Remediations.Validate, cancellationToken).ConfigureAwait(false);
        if (invalid is not null)
        {
            return invalid;
        }

        var result = await remediations.SetAsync(department, assetId, body!, ifMatch, reopen, principal!.Actor, cancellationToken).ConfigureAwait(false);
        switch (result.Outcome)
        {
            case CommandOutcome.NotFound:
                return RequestChecks.AssetNotFound(department, assetId);
            case CommandOutcome.PreconditionFailed:
                return ApiResult.Problem(StatusCodes.Status412PreconditionFailed, "remediation-changed", "The plan is not the one If-Match names.", result.Reason);
            case CommandOutcome.Unacceptable:
                return ApiResult.Problem(StatusCodes.Status422UnprocessableEntity, "remediation-due-date", "The due date is not allowed.", result.Reason,
                    [new ValidationError("$.dueDate", result.Reason ?? "is not allowed")]);
            case CommandOutcome.Refused:
                return ApiResult.Problem(StatusCodes.Status409Conflict, "remediation-not-applicable", "The plan cannot be changed so.", result.Reason);
        }

        var stored = await store.GetRecordAsync(department, assetId, cancellationToken).ConfigureAwait(false);
        var plan = stored!.Record.Remediation!;
        return ApiResult.Json(RemediationBody.From(department, assetId, plan), Remediations.Made(result) ? StatusCodes.Status201Created : StatusCodes.Status200OK).WithETag(plan.ETag());
    }

    /// <summary>
    /// The <c>If-Match</c> header: absent (null: unconditional), <c>*</c>, or a comma-separated list of quoted entity
    /// tags, kept as sent for the planner to compare strongly (a weak tag never matches). Anything else is a 400.
    /// </summary>
    private static ApiResult? IfMatch(HttpRequest request, out string? ifMatch)
    {
        var values = request.Headers.IfMatch;
        ifMatch = values.Count == 0 ? null : string.Join(", ", values.Select(v => v?.Trim()));
        if (ifMatch is null || ifMatch == "*")
        {
            return null;
        }

        var tags = ifMatch.Split(',', StringSplitOptions.TrimEntries);
        return tags.All(t => (t.StartsWith("W/\"", StringComparison.Ordinal) || t.StartsWith('"')) && t.EndsWith('"') && t.Length >= 2)
            ? null
            : ApiResult.Problem(StatusCodes.Status400BadRequest, "invalid-if-match", "The If-Match header is not valid.",
                "If-Match takes * or quoted entity tags as the ETag header gave them, e.g. If-Match: \"3f2a…\".");
    }
}
