using AssetCompliance.Core.Events;
using AssetCompliance.Core.Policy;
using AssetCompliance.Core.State;

using static AssetCompliance.Core.Processing.RecordEvaluation;

namespace AssetCompliance.Core.Processing;

/// <summary>
/// Plans the steps of a two-person exemption on one record: request, approve (by a different administrator, told apart
/// by object id), refuse, revoke and expire. Each step that changes the record gets a history entry naming who acted
/// and an exemption card (<see cref="PlanStep.Notice"/>); a step that cannot apply is refused with the reason.
/// </summary>
internal sealed class ExemptionPlanner(RecordEvaluation evaluation)
{
    /// <summary>A request, pending until a different administrator decides it; it does not change the status yet.</summary>
    public PlanStep Request(RequestExemption q, ComplianceRecord? previous, DateTimeOffset now)
    {
        if (previous is null)
        {
            return new PlanStep(CommandOutcome.NotFound, Reason: "no such asset");
        }

        if (previous.Status == ComplianceStatus.Removed)
        {
            return new PlanStep(CommandOutcome.Refused, Reason: "the device has been removed; there is nothing to exempt");
        }

        // One request at a time, so that an approver approves what they read, never a request swapped in meanwhile.
        if (previous.PendingExemption is { } pending)
        {
            return new PlanStep(CommandOutcome.Refused, Reason: $"exemption request {pending.RequestId} by {pending.RequestedBy} is still pending; an administrator must approve or refuse it first");
        }

        var r = q.Request;
        var next = previous with { PendingExemption = r };
        return evaluation.Changed(q, previous, next, "exemption.requested", HistoryOutcome.ExemptionChanged, now,
            [$"Exemption requested by {r.RequestedBy} until {r.ExpiresAt:yyyy-MM-dd} (request {r.RequestId}; it takes effect only when a different administrator approves it): {r.Reason}"],
            AlertKind.ExemptionRequested);
    }

    /// <summary>The pending request a decision applies to, or why there is none to decide.</summary>
    private static PlanStep? Undecidable(ComplianceRecord? previous, string? expectedRequestId)
    {
        if (previous is null)
        {
            return new PlanStep(CommandOutcome.NotFound, Reason: "no such asset");
        }

        if (previous.PendingExemption is not { } pending)
        {
            return new PlanStep(CommandOutcome.Refused, Reason: "the device has no pending exemption request");
        }

        return expectedRequestId is not null && expectedRequestId != pending.RequestId
            ? new PlanStep(CommandOutcome.Refused, Reason: $"the pending request is {pending.RequestId}, not {expectedRequestId}")
            : null;
    }

    /// <summary>
    /// The approval of the pending request by a second, different person; the device becomes Exempt (or waived
    /// pre-emptively, when the policy does not find it exemptible and the approver says so explicitly).
    /// </summary>
    public PlanStep Grant(GrantExemption g, ComplianceRecord? previous, DateTimeOffset now)
    {
        if (Undecidable(previous, g.ExpectedRequestId) is { } undecidable)
        {
            return undecidable;
        }

        var pending = previous!.PendingExemption!;
        if (g.By is not { } approver || approver.IsSamePersonAs(pending.RequestedBy))
        {
            return new PlanStep(CommandOutcome.Forbidden, Reason: g.By is not { HasObjectId: true } || !pending.RequestedBy.HasObjectId
                ? "the approver or the requester has no object id, so they cannot be told apart; an exemption needs two different people"
                : "the approver is the requester; an exemption needs a second, different person to approve it");
        }

        if (previous.Status == ComplianceStatus.Removed)
        {
            return new PlanStep(CommandOutcome.Refused, Reason: "the device has been removed; there is nothing to exempt");
        }

        if (pending.ExpiresAt <= now)
        {
            return new PlanStep(CommandOutcome.Refused, Reason: $"the request's expiry {pending.ExpiresAt:yyyy-MM-dd HH:mm} UTC has passed; refuse it and ask again");
        }

        var verdict = previous.PolicyStatus ?? previous.Status;
        if (!Exemptible(verdict) && !g.Preemptive)
        {
            return new PlanStep(CommandOutcome.Refused, Reason: $"the policy finds the device {verdict}; only a NonCompliant, NeedsReview or Advisory device can be exempted, unless an administrator grants an explicit pre-emptive waiver (preemptive: true)");
        }

        var exemption = new Exemption
        {
            Reason = pending.Reason,
            Approver = approver.Name,
            ExpiresAt = pending.ExpiresAt,
            GrantedAt = now,
            RequestedBy = pending.RequestedBy.Name,
            Requester = pending.RequestedBy,
            ApprovedBy = approver,
            Preemptive = !Exemptible(verdict),
        };
        var next = evaluation.Evaluate(previous.Device, AssetEventKind.Upserted, exemption, previous, now) with { PendingExemption = null };
        var kind = exemption.Preemptive ? $"Pre-emptive waiver (the device is {verdict} now)" : "Exemption";
        return evaluation.Changed(g, previous, next, "exemption.granted", HistoryOutcome.ExemptionChanged, now,
            [$"{kind} granted by {approver} until {exemption.ExpiresAt:yyyy-MM-dd}, requested by {pending.RequestedBy} (request {pending.RequestId}): {exemption.Reason}", .. next.Reasons],
            AlertKind.ExemptionGranted);
    }

    /// <summary>The refusal of the pending request; the status stays as it is.</summary>
    public PlanStep Refuse(RefuseExemption f, ComplianceRecord? previous, DateTimeOffset now)
    {
        if (Undecidable(previous, f.ExpectedRequestId) is { } undecidable)
        {
            return undecidable;
        }

        var pending = previous!.PendingExemption!;
        var next = previous with { PendingExemption = null };
        return evaluation.Changed(f, previous, next, "exemption.refused", HistoryOutcome.ExemptionChanged, now,
            [$"Exemption request {pending.RequestId} by {pending.RequestedBy} refused{By(f.By?.ToString())}: {f.Reason}"],
            AlertKind.ExemptionRefused);
    }

    /// <summary>The end of an exemption in force before its expiry; the device is evaluated again without it.</summary>
    public PlanStep Revoke(RevokeExemption v, ComplianceRecord? previous, DateTimeOffset now)
    {
        if (previous is null)
        {
            return new PlanStep(CommandOutcome.NotFound, Reason: "no such asset");
        }

        if (previous.Exemption is null)
        {
            return new PlanStep(CommandOutcome.Refused, Reason: "the device has no exemption to revoke");
        }

        var next = evaluation.Evaluate(previous.Device, AssetEventKind.Upserted, null, previous, now);
        return evaluation.Changed(v, previous, next, "exemption.revoked", HistoryOutcome.ExemptionChanged, now,
            [$"Exemption revoked{By(v.By?.ToString())}.", .. next.Reasons], AlertKind.ExemptionRevoked);
    }

    /// <summary>
    /// The end of an exemption whose expiry has passed, as the sweep found it; not needed when the record's exemption
    /// is another one (a new grant since) or has not expired.
    /// </summary>
    public PlanStep Expire(ExpireExemption x, ComplianceRecord? previous, DateTimeOffset now)
    {
        if (previous?.Exemption is not { } exemption || exemption.ExpiresAt > now || exemption.ExpiresAt != x.ExpiresAt)
        {
            return new PlanStep(CommandOutcome.NotNeeded, Reason: "no exemption has expired");
        }

        var next = evaluation.Evaluate(previous.Device, AssetEventKind.Upserted, null, previous, now);
        return evaluation.Changed(x, previous, next, "exemption.expired", HistoryOutcome.ExemptionChanged, now,
            [$"Exemption expired on {exemption.ExpiresAt:yyyy-MM-dd} (granted by {exemption.ApprovedBy?.ToString() ?? exemption.Approver}).", .. next.Reasons], AlertKind.ExemptionExpired);
    }
}
