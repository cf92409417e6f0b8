using System.Text.Json;
using System.Text.Json.Serialization;

namespace AssetCompliance.Core.State;

/// <summary>What a department will do about a device (wire names in lower case).</summary>
public enum RemediationAction
{
    [JsonStringEnumMemberName("replace")] Replace,
    [JsonStringEnumMemberName("remove")] Remove,
    [JsonStringEnumMemberName("relocate")] Relocate,
    [JsonStringEnumMemberName("disconnect")] Disconnect,
}

/// <summary>
/// Where a plan stands, as the department says (wire names in lower case). <c>planned</c> may become
/// <c>ordered</c>, <c>done</c> or <c>cancelled</c>; <c>ordered</c> may become <c>done</c> or <c>cancelled</c>;
/// <c>done</c> and <c>cancelled</c> are terminal until reopened explicitly. What the register shows is
/// <see cref="RemediationPlan.ClosedAt"/>, which no department sets.
/// </summary>
public enum RemediationState
{
    [JsonStringEnumMemberName("planned")] Planned,
    [JsonStringEnumMemberName("ordered")] Ordered,
    [JsonStringEnumMemberName("done")] Done,
    [JsonStringEnumMemberName("cancelled")] Cancelled,
}

/// <summary>
/// A department's plan to remediate one NonCompliant, NeedsReview or Advisory device (issue 19): stored on the record
/// (<see cref="ComplianceRecord.Remediation"/>) and changed only by commands, each a history entry.
/// </summary>
public sealed record RemediationPlan
{
    public required RemediationAction Action { get; init; }

    /// <summary>The day (UTC) by which it is to be done; overdue from the next day on.</summary>
    public required DateOnly DueDate { get; init; }

    /// <summary>Who answers for it (free text, 1 to <c>Remediations.MaxOwnerLength</c> characters).</summary>
    public required string Owner { get; init; }

    public required RemediationState State { get; init; }

    public string? Notes { get; init; }

    /// <summary>When the plan was made, or last reopened (the due-date limit counts from that day).</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When a person last changed it (marking it overdue or closing it does not count).</summary>
    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Who last changed it; the history entry has their object id.</summary>
    public required Actor UpdatedBy { get; init; }

    /// <summary>
    /// True when the device was on the core network when the plan was made (or reopened), so that a later move to a
    /// stated segment off it closes the plan even when a change in between left the segment unstated; null otherwise
    /// (left out of the stored JSON, so a plan made before this field keeps its entity tag).
    /// </summary>
    public bool? MadeOnCoreNetwork { get; init; }

    /// <summary>Set by the overdue sweep when an open plan's due date has passed; cleared by a later due date, a cancellation or the close.</summary>
    public bool Overdue { get; init; }

    /// <summary>When the device's state showed the outcome (removed, compliant, off the core network); null while open.</summary>
    public DateTimeOffset? ClosedAt { get; init; }

    /// <summary>Why it closed, in a sentence; null while open.</summary>
    public string? ClosedBecause { get; init; }

    /// <summary>Whether the register showed the outcome.</summary>
    [JsonIgnore]
    public bool Closed => ClosedAt is not null;

    /// <summary>Whether its due date still binds: not closed and not cancelled (a <c>done</c> plan binds until the register shows it done).</summary>
    [JsonIgnore]
    public bool Binding => !Closed && State != RemediationState.Cancelled;

    /// <summary>Whether the department may change it only by reopening it (done, cancelled or closed).</summary>
    [JsonIgnore]
    public bool Terminal => Closed || State is RemediationState.Done or RemediationState.Cancelled;

    /// <summary>The first instant (UTC) at which the plan is past its due date: the start of the day after it.</summary>
    [JsonIgnore]
    public DateTimeOffset OverdueFrom => new(DueDate.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    /// <summary>
    /// The plan's entity tag for <c>If-Match</c>: a strong tag, quoted, from a hash of the plan as stored, so that it
    /// changes with every change of the plan and with nothing else on the record (an asset event that leaves the plan
    /// as it is does not make a client's copy stale).
    /// </summary>
    public string ETag() => $"\"{Events.Identifiers.Hash(JsonSerializer.Serialize(this, ComplianceJson.Options))[..20]}\"";
}
