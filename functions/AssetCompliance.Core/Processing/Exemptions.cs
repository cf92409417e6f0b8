using System.Text.Json.Serialization;
using AssetCompliance.Core.Events;
using AssetCompliance.Core.State;

namespace AssetCompliance.Core.Processing;

/// <summary>
/// An exemption request as a department or administrator sends it. <see cref="ExpiresAt"/> is read as RFC 3339 with an
/// offset (<see cref="Rfc3339JsonConverter"/>): <c>2027-01-01T00:00:00</c> without one is refused, never read in the
/// host's time zone. <see cref="Approver"/> is optional and informational (whom the requester asks): the approver is
/// whichever different administrator approves it.
/// </summary>
public sealed record ExemptionRequest(string? Reason, string? Approver, [property: JsonConverter(typeof(Rfc3339JsonConverter))] DateTimeOffset? ExpiresAt, string? RequestId);

/// <summary>
/// An administrator's decision on a pending request. <see cref="RequestId"/>, when given, must be the pending request's
/// (so the decision applies to the request the administrator read); <see cref="Preemptive"/> true is the explicit
/// pre-emptive waiver a device the policy does not find NonCompliant, NeedsReview or Advisory needs;
/// <see cref="Reason"/> is required to refuse.
/// </summary>
public sealed record ExemptionDecision(string? RequestId, bool? Preemptive, string? Reason);

/// <summary>
/// Two-person exemptions: a department (or administrator) requests, a different administrator approves or refuses,
/// and an administrator revokes. Validation is here, not in the HTTP layer, so every host refuses the same things:
/// a reason is required, and the expiry must be in the future and at most a year ahead.
/// </summary>
public sealed class Exemptions(CommandProcessor commands, TimeProvider time)
{
    /// <summary>The longest reason a request may give (characters), exemptions and revision resets alike.</summary>
    public const int MaxReasonLength = 2000;

    /// <summary>The longest approver name (characters).</summary>
    public const int MaxApproverLength = 200;

    /// <summary>The longest request id (characters) of an idempotent administrative request.</summary>
    public const int MaxRequestIdLength = 128;

    public static readonly TimeSpan MaxDuration = TimeSpan.FromDays(366);

    /// <summary>The current time of the clock the exemption rules use (for the audit entries of the routes that decide them).</summary>
    public DateTimeOffset Now => time.GetUtcNow();

    /// <summary>Every problem with the request, with the JSON path of the field; empty when it is acceptable.</summary>
    public IReadOnlyList<ValidationError> Validate(ExemptionRequest request)
    {
        var errors = new List<ValidationError>();
        var now = time.GetUtcNow();
        ValidateReasonAndRequestId(request.Reason, request.RequestId, errors);
        if (request.Approver is { Length: > MaxApproverLength })
            errors.Add(new ValidationError("$.approver", $"must be at most {MaxApproverLength} characters"));
        if (request.ExpiresAt is not { } expires)
            errors.Add(new ValidationError("$.expiresAt", "is required (an RFC 3339 date-time)"));
        else if (expires <= now)
            errors.Add(new ValidationError("$.expiresAt", "must be in the future"));
        else if (expires > now + MaxDuration)
            errors.Add(new ValidationError("$.expiresAt", "must be at most 12 months ahead"));
        return errors;
    }

    /// <summary>The problems with an approval: only the request id's length (every field is optional).</summary>
    public static IReadOnlyList<ValidationError> ValidateApproval(ExemptionDecision decision)
    {
        var errors = new List<ValidationError>();
        ValidateRequestId(decision.RequestId, errors);
        if (decision.Reason is { Length: > MaxReasonLength })
            errors.Add(new ValidationError("$.reason", $"must be at most {MaxReasonLength} characters"));
        return errors;
    }

    /// <summary>The problems with a refusal: a reason is required.</summary>
    public static IReadOnlyList<ValidationError> ValidateRefusal(ExemptionDecision decision)
    {
        var errors = new List<ValidationError>();
        ValidateReasonAndRequestId(decision.Reason, decision.RequestId, errors);
        return errors;
    }

    /// <summary>The rules every administrative request shares: a reason is required and bounded; a request id, if given, is 1 to 128 characters.</summary>
    internal static void ValidateReasonAndRequestId(string? reason, string? requestId, List<ValidationError> errors)
    {
        if (string.IsNullOrWhiteSpace(reason))
            errors.Add(new ValidationError("$.reason", "is required"));
        else if (reason.Length > MaxReasonLength)
            errors.Add(new ValidationError("$.reason", $"must be at most {MaxReasonLength} characters"));
        ValidateRequestId(requestId, errors);
    }

    /// <summary>A request id, if given, is 1 to 128 characters.</summary>
    private static void ValidateRequestId(string? requestId, List<ValidationError> errors)
    {
        if (requestId is { } id && (id.Length is 0 or > MaxRequestIdLength))
            errors.Add(new ValidationError("$.requestId", $"must be 1 to {MaxRequestIdLength} characters"));
    }

    /// <summary>
    /// Records the request as pending (after <see cref="Validate"/>); no status changes. A repeated request id changes
    /// nothing; a second request while one is pending is refused.
    /// </summary>
    public async Task<CommandResult> RequestAsync(string department, string assetId, ExemptionRequest request, Actor requester, CancellationToken cancellationToken)
    {
        if (Validate(request) is { Count: > 0 } errors)
        {
            throw new ArgumentException(string.Join("; ", errors), nameof(request));
        }

        var pending = new PendingExemption(request.RequestId ?? Guid.NewGuid().ToString("N"), request.Reason!.Trim(),
            request.ExpiresAt!.Value.ToUniversalTime(), time.GetUtcNow(), requester, string.IsNullOrWhiteSpace(request.Approver) ? null : request.Approver.Trim());
        return await ExecuteAsync(new RequestExemption(department, assetId, pending) { By = requester }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Approves the pending request; <see cref="CommandOutcome.Forbidden"/> when the approver may be the requester.</summary>
    public Task<CommandResult> ApproveAsync(string department, string assetId, ExemptionDecision decision, Actor approver, CancellationToken cancellationToken) =>
        ExecuteAsync(new GrantExemption(Guid.NewGuid().ToString("N"), department, assetId, decision.RequestId, decision.Preemptive == true) { By = approver }, cancellationToken);

    /// <summary>Refuses the pending request (after <see cref="ValidateRefusal"/>).</summary>
    public Task<CommandResult> RefuseAsync(string department, string assetId, ExemptionDecision decision, Actor by, CancellationToken cancellationToken) =>
        ExecuteAsync(new RefuseExemption(Guid.NewGuid().ToString("N"), department, assetId, decision.RequestId, decision.Reason!.Trim()) { By = by }, cancellationToken);

    public Task<CommandResult> RevokeAsync(string department, string assetId, Actor? revokedBy, CancellationToken cancellationToken) =>
        ExecuteAsync(new RevokeExemption(Guid.NewGuid().ToString("N"), department, assetId) { By = revokedBy }, cancellationToken);

    private async Task<CommandResult> ExecuteAsync(RecordCommand command, CancellationToken cancellationToken) =>
        (await commands.ExecuteAsync(command.Department, [command], cancellationToken).ConfigureAwait(false))[0];
}
