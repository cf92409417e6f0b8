using AssetCompliance.Core.Events;
using AssetCompliance.Core.Policy;
using AssetCompliance.Core.State;

namespace AssetCompliance.Core.Processing;

/// <summary>
/// Plans the steps of a remediation plan on one record: a department's change (make, change, reopen), the overdue
/// mark, and the close when the device's state shows the outcome. Each step that changes the plan gets a history entry;
/// one that cannot apply is refused with the reason (<see cref="CommandOutcome.Refused"/> for the plan's or device's
/// state, <see cref="CommandOutcome.Unacceptable"/> for a due date the policy does not allow,
/// <see cref="CommandOutcome.PreconditionFailed"/> for a stale <c>If-Match</c>).
/// </summary>
internal sealed class RemediationPlanner(RecordEvaluation evaluation)
{
    /// <summary>The history entry's event type of each step.</summary>
    internal const string Created = "remediation.created", Changed = "remediation.changed", Reopened = "remediation.reopened",
        OverdueType = "remediation.overdue", ClosedType = "remediation.closed";

    /// <summary>The <see cref="CommandResult.Reason"/> of a <see cref="SetRemediation"/> that made a plan where there was none (the route's 201).</summary>
    internal const string MadeReason = "made";

    /// <summary>A department's PUT: the plan made (or reopened) on an eligible device, or changed along the allowed transitions.</summary>
    public PlanStep Set(SetRemediation command, ComplianceRecord? previous, DateTimeOffset now)
    {
        if (previous is null)
        {
            return new PlanStep(CommandOutcome.NotFound, Reason: "no such asset");
        }

        var existing = previous.Remediation;
        if (command.IfMatch is { } ifMatch && (existing is null || !Matches(ifMatch, existing.ETag())))
        {
            return new PlanStep(CommandOutcome.PreconditionFailed, Reason: existing is null
                ? "If-Match names a plan, and the device has none"
                : $"If-Match {ifMatch} is not the plan's current entity tag {existing.ETag()}: it changed since it was read; read it again");
        }

        var change = command.Change;
        var by = command.By ?? new Actor("system", "");
        if (existing is not null && Same(existing, change))
        {
            return new PlanStep(CommandOutcome.NotNeeded, Reason: "the plan is already so");
        }

        var today = DateOnly.FromDateTime(now.UtcDateTime);
        if (existing is null || command.Reopen)
        {
            if (command.Reopen && existing is null)
            {
                return new PlanStep(CommandOutcome.Refused, Reason: "the device has no plan to reopen; leave reopen out to make one");
            }

            if (command.Reopen && !existing!.Terminal)
            {
                return new PlanStep(CommandOutcome.Refused, Reason: $"the plan is {Wire(existing.State)} and open; only a done, cancelled or closed plan is reopened");
            }

            if (Ineligible(previous) is { } why)
            {
                return new PlanStep(CommandOutcome.Refused, Reason: why);
            }

            if (change.State is not (RemediationState.Planned or RemediationState.Ordered))
            {
                return new PlanStep(CommandOutcome.Refused, Reason: $"a plan is {(existing is null ? "made" : "reopened")} planned or ordered, not {Wire(change.State)}");
            }

            if (DueDateProblem(previous, change.DueDate, today, today) is { } problem)
            {
                return new PlanStep(CommandOutcome.Unacceptable, Reason: problem);
            }

            var made = new RemediationPlan
            {
                Action = change.Action, DueDate = change.DueDate, Owner = change.Owner, State = change.State, Notes = change.Notes,
                CreatedAt = now, UpdatedAt = now, UpdatedBy = by,
                MadeOnCoreNetwork = previous.Device.NetworkSegment == NetworkSegment.Core ? true : null,
            };
            var verb = existing is null ? "made" : $"reopened (it was {Describe(existing)})";
            return evaluation.Changed(command, previous, previous with { Remediation = made }, existing is null ? Created : Reopened, HistoryOutcome.RemediationChanged, now,
                [$"Remediation plan {verb} by {by}: {Describe(made)}."]) with { Reason = existing is null ? MadeReason : null };
        }

        if (existing.Terminal)
        {
            return new PlanStep(CommandOutcome.Refused, Reason: $"the plan is {(existing.Closed ? $"closed ({existing.ClosedBecause})" : Wire(existing.State))}; send reopen=true to change it");
        }

        if (!Allowed(existing.State, change.State))
        {
            return new PlanStep(CommandOutcome.Refused, Reason: $"a plan that is {Wire(existing.State)} cannot become {Wire(change.State)} (planned -> ordered, done or cancelled; ordered -> done or cancelled)");
        }

        var createdOn = DateOnly.FromDateTime(existing.CreatedAt.UtcDateTime);
        if (change.DueDate != existing.DueDate && DueDateProblem(previous, change.DueDate, today, createdOn) is { } dueProblem)
        {
            return new PlanStep(CommandOutcome.Unacceptable, Reason: dueProblem);
        }

        var next = existing with
        {
            Action = change.Action, DueDate = change.DueDate, Owner = change.Owner, State = change.State, Notes = change.Notes,
            UpdatedAt = now, UpdatedBy = by,
            // A later due date or a cancellation lifts the mark; a done plan binds until the register shows it done.
            Overdue = existing.Overdue && change.State != RemediationState.Cancelled && change.DueDate == existing.DueDate,
        };
        return evaluation.Changed(command, previous, previous with { Remediation = next }, Changed, HistoryOutcome.RemediationChanged, now,
            [$"Remediation plan changed by {by}: {Describe(next)} (was {Describe(existing)})."]);
    }

    /// <summary>The sweep's mark on a plan that still binds and whose due date has passed, as the plan the sweep read.</summary>
    public PlanStep MarkOverdue(MarkRemediationOverdue command, ComplianceRecord? previous, DateTimeOffset now)
    {
        if (previous?.Remediation is not { } plan || !plan.Binding || plan.Overdue || plan.OverdueFrom > now || plan.UpdatedAt != command.PlanUpdatedAt)
        {
            return new PlanStep(CommandOutcome.NotNeeded, Reason: "no open plan is past its due date");
        }

        var next = plan with { Overdue = true };
        return evaluation.Changed(command, previous, previous with { Remediation = next }, OverdueType, HistoryOutcome.RemediationChanged, now,
            [$"Remediation plan overdue: {Describe(next)}, due {plan.DueDate:yyyy-MM-dd}, owner {plan.Owner}; the device is still {previous.Status}."],
            AlertKind.RemediationOverdue);
    }

    /// <summary>
    /// The plan of <paramref name="next"/> closed when the change from <paramref name="previous"/> shows the outcome, with
    /// the history entry saying why; null when there is no open plan or the outcome is not shown. The device shows it when
    /// it was removed, when it became Compliant (replaced by, or found to be, a compliant device), or when it left the
    /// core network for a segment the register states (segregated or standalone; an unstated one is unknown, not a
    /// move) and is no longer NonCompliant. Called by the event and re-evaluation steps, so the close is in the
    /// commit of the change that showed it.
    /// </summary>
    public (ComplianceRecord Record, HistoryEntry History)? Close(string commandId, string eventType, long revision, DateTimeOffset eventTime,
        ComplianceRecord? previous, ComplianceRecord next, DateTimeOffset now)
    {
        if (previous?.Remediation is not { Closed: false } plan)
        {
            return null;
        }

        var verdict = next.PolicyStatus ?? next.Status;
        var because = next.Status == ComplianceStatus.Removed ? $"the device was removed from the register ({eventType} {commandId})"
            : verdict == ComplianceStatus.Compliant ? $"the device is now Compliant (replaced by, or found to be, a compliant device: {eventType} {commandId})"
            // A segment the register stopped stating is unknown, not off the core network: only a known one shows the move.
            : (previous.Device.NetworkSegment == NetworkSegment.Core || plan.MadeOnCoreNetwork == true)
                && next.Device.NetworkSegment is NetworkSegment.Segregated or NetworkSegment.Standalone && verdict != ComplianceStatus.NonCompliant
                ? $"the device left the core network (now {next.Device.NetworkSegment.Value.ToWire()}) and is no longer NonCompliant ({eventType} {commandId})"
            : null;
        if (because is null)
        {
            return null;
        }

        var closed = plan with
        {
            State = plan.State == RemediationState.Cancelled ? RemediationState.Cancelled : RemediationState.Done,
            Overdue = false,
            ClosedAt = now,
            ClosedBecause = because,
        };
        var record = next with { Remediation = closed };
        var history = evaluation.History($"{commandId}/{ClosedType}", revision, ClosedType, eventTime, now, HistoryOutcome.RemediationChanged, next, record,
            [$"Remediation plan closed: {because}. It was {Describe(plan)}."]);
        return (record, history);
    }

    /// <summary>Why a plan cannot be made for the device as it is, or null when it can.</summary>
    private static string? Ineligible(ComplianceRecord record)
    {
        var verdict = record.PolicyStatus ?? record.Status;
        return record.Status == ComplianceStatus.Removed || !RecordEvaluation.Exemptible(verdict)
            ? $"the device is {(record.Status == ComplianceStatus.Removed ? ComplianceStatus.Removed : verdict)}; a remediation plan is for a NonCompliant, NeedsReview or Advisory device"
            : null;
    }

    /// <summary>A due date not in the past (UTC) and no later than the policy's limit for the device, counted from <paramref name="from"/>.</summary>
    private string? DueDateProblem(ComplianceRecord record, DateOnly due, DateOnly today, DateOnly from)
    {
        if (due < today)
        {
            return $"dueDate {due:yyyy-MM-dd} is in the past (today is {today:yyyy-MM-dd} UTC)";
        }

        var urgency = RemediationPolicy.UrgencyOf(record.PolicyStatus ?? record.Status, record.PolicySeverity ?? record.Severity) ?? "Critical";
        var days = evaluation.Policy.Remediation.MaxDaysFor(urgency);
        var latest = from.AddDays(days);
        return due > latest
            ? $"dueDate {due:yyyy-MM-dd} is later than the policy allows for a {urgency} device: at most {days} days from {from:yyyy-MM-dd}, so {latest:yyyy-MM-dd} (policy {evaluation.PolicyVersion}, remediation.maxDueDays)"
            : null;
    }

    /// <summary>Whether an <c>If-Match</c> list names the tag (<c>*</c> names any): strong comparison, so a weak tag never matches.</summary>
    private static bool Matches(string ifMatch, string etag) =>
        ifMatch.Split(',', StringSplitOptions.TrimEntries).Any(t => t == "*" || t == etag);

    private static bool Allowed(RemediationState from, RemediationState to) => from == to || (from, to) switch
    {
        (RemediationState.Planned, _) => true,
        (RemediationState.Ordered, RemediationState.Done or RemediationState.Cancelled) => true,
        _ => false,
    };

    private static bool Same(RemediationPlan plan, RemediationChange change) =>
        plan.Action == change.Action && plan.DueDate == change.DueDate && plan.Owner == change.Owner && plan.State == change.State && plan.Notes == change.Notes;

    /// <summary>The lower-case wire name of a state or action.</summary>
    internal static string Wire<T>(T value) where T : struct, Enum => value.ToString().ToLowerInvariant();

    private static string Describe(RemediationPlan plan) =>
        $"{Wire(plan.Action)} by {plan.DueDate:yyyy-MM-dd}, owner {plan.Owner}, {Wire(plan.State)}{(plan.Notes is { } notes ? $" ({notes})" : "")}";
}
