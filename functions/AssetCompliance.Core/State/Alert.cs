using AssetCompliance.Core.Policy;

namespace AssetCompliance.Core.State;

/// <summary>What kind of transition an alert reports.</summary>
public enum AlertKind
{
    /// <summary>The device became <c>NonCompliant</c> or <c>NeedsReview</c>.</summary>
    Opened,

    /// <summary>A <c>NonCompliant</c> device went from <c>High</c> to <c>Critical</c>.</summary>
    Escalated,

    /// <summary>A device that was <c>NonCompliant</c> or <c>NeedsReview</c> no longer is (compliant, removed, exempt, advisory).</summary>
    Resolved,

    /// <summary>Someone asked for an exemption (nothing changed yet; an administrator must decide).</summary>
    ExemptionRequested,

    /// <summary>A second person approved an exemption request: the exemption is in force.</summary>
    ExemptionGranted,

    /// <summary>An administrator refused an exemption request.</summary>
    ExemptionRefused,

    /// <summary>An administrator ended an exemption early.</summary>
    ExemptionRevoked,

    /// <summary>An exemption reached its expiry and ended.</summary>
    ExemptionExpired,

    /// <summary>An open remediation plan passed its due date (the overdue sweep).</summary>
    RemediationOverdue,
    /// <summary>
    /// A device no register lists was seen on the network and identified as made by a company subject to the PRC
    /// National Intelligence Law, and its verdict alone raised no card (issue 18).
    /// </summary>
    ObservedUnregistered,
}

/// <summary>
/// A status transition worth telling people about. Written to the outbox in the same transaction as the change that
/// caused it, so an alert exists if and only if its transition was committed; the dispatcher posts it from there.
/// </summary>
public sealed record Alert
{
    public required string Id { get; init; }
    public required AlertKind Kind { get; init; }
    public required string Department { get; init; }
    public required string AssetId { get; init; }
    public required string CauseId { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
    public ComplianceStatus? StatusBefore { get; init; }
    public required ComplianceStatus StatusAfter { get; init; }
    public Severity? SeverityBefore { get; init; }
    public Severity? SeverityAfter { get; init; }

    /// <summary>The record as the transition left it: everything a card needs, as it was at that moment.</summary>
    public required ComplianceRecord Record { get; init; }

    /// <summary>For the exemption kinds: what was done and by whom (one line, shown on the card); null otherwise.</summary>
    public string? Note { get; init; }

    /// <summary>Whether this is one of the exemption steps rather than a status transition.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsExemptionStep => Kind is >= AlertKind.ExemptionRequested and <= AlertKind.ExemptionExpired;

    /// <summary>Whether this is a remediation plan's notice (overdue) rather than a status transition.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsRemediationStep => Kind == AlertKind.RemediationOverdue;
}

/// <summary>Which transitions raise an alert: transitions, not events, in the manner of Alertmanager's firing/resolved.</summary>
public static class AlertRules
{
    private static bool IsOpen(ComplianceStatus? status) => status is ComplianceStatus.NonCompliant or ComplianceStatus.NeedsReview;

    public static AlertKind? For(ComplianceStatus? before, Severity? severityBefore, ComplianceStatus after, Severity? severityAfter)
    {
        if (IsOpen(after) && before != after)
        {
            return AlertKind.Opened;
        }

        if (before == ComplianceStatus.NonCompliant && after == ComplianceStatus.NonCompliant &&
            severityBefore == Severity.High && severityAfter == Severity.Critical)
        {
            return AlertKind.Escalated;
        }

        return IsOpen(before) && !IsOpen(after) ? AlertKind.Resolved : null;
    }
}
