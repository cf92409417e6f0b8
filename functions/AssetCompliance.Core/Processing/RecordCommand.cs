using AssetCompliance.Core.Events;
using AssetCompliance.Core.State;

namespace AssetCompliance.Core.Processing;

/// <summary>
/// Something that may change one device's record: an asset event, a re-evaluation, an exemption granted, revoked or
/// expired. <see cref="Id"/> is unique per change; its fingerprint, kept on the record, makes a repeat harmless.
/// </summary>
public abstract record RecordCommand(string Id, string Department, string AssetId)
{
    /// <summary>Who asked for this command (an API caller); null for register events and timers. Recorded in the history entry.</summary>
    public Actor? By { get; init; }

    /// <summary>
    /// What the record remembers this command by (the input of its fingerprint, <see cref="Identifiers.Fingerprint"/>):
    /// an asset event by its id as the department wrote it; every command the pipeline makes by its id after a NUL,
    /// which no event id can hold (the contract refuses control characters in ids). A department chooses its events'
    /// ids, so without this an event with the id <c>reevaluate/CAM-1/…</c> or <c>observed/scan-9</c> would make that
    /// re-evaluation or observation look applied, and it would never be.
    /// </summary>
    public virtual string MemoryKey => "\0" + Id;
}

/// <summary>A department's register says the device was added, changed or removed.</summary>
public sealed record ApplyAssetEvent(AssetEvent Event) : RecordCommand(Event.Id, Event.Department, Event.AssetId)
{
    /// <inheritdoc/>
    public override string MemoryKey => Id;
}

/// <summary>
/// A network observation (<c>asset.device.observed</c>, contract v1.1) matched to the record <see cref="RecordCommand.AssetId"/>
/// names: a registered device's (<paramref name="Unregistered"/> null), or the record of its own that an unregistered
/// or ambiguous observation gets (<paramref name="Unregistered"/>: the device as the observation shows it, under the
/// asset id <see cref="ObservedState.AssetIdFor"/> derives). <paramref name="State"/> is what reconciling found.
/// </summary>
public sealed record ApplyObservation(string EventId, string Department, string AssetId, ObservedState State, RegisteredDevice? Unregistered)
    : RecordCommand($"observed/{EventId}", Department, AssetId);

/// <summary>
/// Close the record an unregistered device got (<see cref="RecordCommand.AssetId"/>, <c>observed:…</c>) because an
/// observation of the same device (<paramref name="EventId"/>) showed it is <paramref name="IntoAssetId"/>: the
/// registered device it was matched to, or the device's own record under another key (its MAC, where this one was
/// named by the address it was seen at before its MAC was): it is removed, so that the device is counted once.
/// </summary>
public sealed record RetireObserved(string EventId, string Department, string AssetId, string IntoAssetId)
    : RecordCommand($"observed-registered/{EventId}", Department, AssetId);

/// <summary>Evaluate the stored device again because the catalogue or policy changed since it was evaluated.</summary>
public sealed record Reevaluate(string Department, string AssetId, string CatalogueVersion, string PolicyVersion)
    : RecordCommand($"reevaluate/{AssetId}/{CatalogueVersion}/{PolicyVersion}", Department, AssetId);

/// <summary>Ask for an exemption: recorded as pending on the record, no status changes until a second person approves it.</summary>
public sealed record RequestExemption(string Department, string AssetId, PendingExemption Request)
    : RecordCommand($"exemption-requested/{AssetId}/{Request.RequestId}", Department, AssetId);

/// <summary>
/// Approve the pending request (by <see cref="RecordCommand.By"/>, who must be a different person from the requester):
/// the policy is waived until it expires. <paramref name="ExpectedRequestId"/>, when given, must be the pending
/// request's id; <paramref name="Preemptive"/> must be true to waive a device the policy does not find
/// NonCompliant, NeedsReview or Advisory.
/// </summary>
public sealed record GrantExemption(string CommandId, string Department, string AssetId, string? ExpectedRequestId, bool Preemptive)
    : RecordCommand($"exemption-granted/{AssetId}/{CommandId}", Department, AssetId);

/// <summary>Refuse the pending request, for a reason.</summary>
public sealed record RefuseExemption(string CommandId, string Department, string AssetId, string? ExpectedRequestId, string Reason)
    : RecordCommand($"exemption-refused/{AssetId}/{CommandId}", Department, AssetId);

/// <summary>End an exemption early.</summary>
public sealed record RevokeExemption(string RequestId, string Department, string AssetId)
    : RecordCommand($"exemption-revoked/{AssetId}/{RequestId}", Department, AssetId);

/// <summary>End an exemption whose expiry has passed (the timer's sweep).</summary>
public sealed record ExpireExemption(string Department, string AssetId, DateTimeOffset ExpiresAt)
    : RecordCommand($"exemption-expired/{AssetId}/{ExpiresAt.UtcTicks}", Department, AssetId);

/// <summary>
/// An administrator's recovery of a record whose stored revision no register can exceed (a revision sent by mistake,
/// a register renumbered from 1): the next asset event for the device applies whatever its revision. The record and
/// its history are kept; the reset is a history entry with who did it and why.
/// </summary>
public sealed record ResetRevision(string RequestId, string Department, string AssetId, string Reason, string? ResetBy)
    : RecordCommand($"revision-reset/{AssetId}/{RequestId}", Department, AssetId);

/// <summary>
/// Make, change or reopen the device's remediation plan (a department's PUT). <paramref name="IfMatch"/>, when given,
/// must be the stored plan's <see cref="RemediationPlan.ETag"/> (or <c>*</c>: any plan), checked on the record the
/// commit is guarded by, so a plan changed meanwhile (by a person, the sweep or an event's close) is never overwritten.
/// <paramref name="Reopen"/> must be true to change a done, cancelled or closed plan.
/// </summary>
public sealed record SetRemediation(string CommandId, string Department, string AssetId, RemediationChange Change, string? IfMatch, bool Reopen)
    : RecordCommand($"remediation-set/{AssetId}/{CommandId}", Department, AssetId);

/// <summary>
/// Mark an open plan overdue (the sweep). The id names the plan's version (<see cref="RemediationPlan.UpdatedAt"/>), so
/// a repeat is recognised and a plan changed since is judged afresh.
/// </summary>
public sealed record MarkRemediationOverdue(string Department, string AssetId, DateTimeOffset PlanUpdatedAt)
    : RecordCommand($"remediation-overdue/{AssetId}/{PlanUpdatedAt.UtcTicks}", Department, AssetId);

/// <summary>The fields of a plan as a department sends them, read and checked (<c>Remediations.Validate</c>).</summary>
public sealed record RemediationChange(RemediationAction Action, DateOnly DueDate, string Owner, RemediationState State, string? Notes);

public enum CommandOutcome
{
    /// <summary>The record changed (an event applied, a re-evaluation or exemption recorded).</summary>
    Applied,

    /// <summary>An older or equal revision: recorded in the history, the stored state kept.</summary>
    Superseded,

    /// <summary>The command was carried out before; nothing changed.</summary>
    Duplicate,

    /// <summary>Nothing to do (the record is already current, there is no exemption to expire).</summary>
    NotNeeded,

    /// <summary>The command cannot apply to the record as it is (a removed device, no exemption to revoke).</summary>
    Refused,

    /// <summary>The department has no such asset.</summary>
    NotFound,

    /// <summary>The caller may not do this to this record (an approver who is the requester): nothing changed.</summary>
    Forbidden,

    /// <summary>The caller's <c>If-Match</c> does not name what is stored (the plan changed meanwhile): nothing changed.</summary>
    PreconditionFailed,

    /// <summary>The request is well formed but breaks a rule that depends on the record (a due date past the policy's limit): nothing changed.</summary>
    Unacceptable,
}

/// <summary>
/// What became of one command, with the record's status after it, and why (for a command that changed nothing; for a
/// remediation plan made where there was none, "made": <see cref="Remediations.Made"/>).
/// </summary>
public sealed record CommandResult(RecordCommand Command, CommandOutcome Outcome, Policy.ComplianceStatus? Status = null, string? Reason = null);
