using AssetCompliance.Core.Catalogue;
using AssetCompliance.Core.Events;
using AssetCompliance.Core.Policy;
using AssetCompliance.Core.State;

namespace AssetCompliance.Core.Processing;

/// <summary>
/// The pieces every planned step is built from: the record the catalogue and policy (and any exemption) give a device,
/// and the history entry that says what a step did, stamped with the catalogue and policy versions in use.
/// </summary>
internal sealed class RecordEvaluation(DeviceIdentifier identifier, ComplianceEvaluator evaluator)
{
    /// <summary>The version of the vendor catalogue the devices are identified with.</summary>
    public string CatalogueVersion => identifier.Catalogue.Version;

    /// <summary>The version of the policy the devices are judged by.</summary>
    public string PolicyVersion => evaluator.Policy.Version;

    /// <summary>The policy the devices are judged by (its remediation limits too).</summary>
    public CompliancePolicy Policy => evaluator.Policy;

    /// <summary>The exemption on the record while it is still in force at <paramref name="now"/>, else null.</summary>
    public static Exemption? ActiveExemption(ComplianceRecord? record, DateTimeOffset now) =>
        record?.Exemption is { } exemption && exemption.ExpiresAt > now ? exemption : null;

    /// <summary>
    /// The policy verdicts an exemption waives (and may be granted for without an explicit pre-emptive waiver): an
    /// allow-list, so that a verdict not named here (Compliant, Removed, or one added later) is never turned Exempt.
    /// </summary>
    public static bool Exemptible(ComplianceStatus status) =>
        status is ComplianceStatus.NonCompliant or ComplianceStatus.NeedsReview or ComplianceStatus.Advisory;

    /// <summary>" by {who}" for a history reason, or nothing when nobody is named.</summary>
    public static string By(string? who) => who is null ? string.Empty : $" by {who}";

    /// <summary>The record the policy (and any exemption) gives this device, carrying over what the previous one knew.</summary>
    public ComplianceRecord Evaluate(RegisteredDevice device, AssetEventKind kind, Exemption? exemption, ComplianceRecord? previous, DateTimeOffset now)
    {
        var identification = identifier.Identify(device.Manufacturer, device.Model, device.MacAddress);
        var evaluation = evaluator.Evaluate(kind, device, identification);
        var exempted = exemption is not null && Exemptible(evaluation.Status);
        var status = exempted ? ComplianceStatus.Exempt : evaluation.Status;
        var severity = exempted ? null : evaluation.Severity;
        var reasons = exempted
            ? [$"Exempt until {exemption!.ExpiresAt:yyyy-MM-dd} (approved by {exemption.Approver}): {exemption.Reason}", .. evaluation.Reasons]
            : evaluation.Reasons;
        var changed = previous is null || previous.Status != status || previous.Severity != severity;
        return new ComplianceRecord
        {
            Department = device.Department,
            AssetId = device.AssetId,
            Revision = previous?.Revision ?? device.Revision,
            EventId = previous?.EventId ?? string.Empty,
            EventTime = previous?.EventTime ?? now,
            Device = device,
            Status = status,
            Severity = severity,
            Rule = exempted ? "exempt" : evaluation.Rule,
            Reasons = reasons,
            Vendor = identification.Vendor is { } vendor ? VendorSnapshot.From(vendor) : null,
            Evidence = identification.Evidence.Select(EvidenceSnapshot.From).ToArray(),
            RelabelSuspected = identification.RelabelSuspected,
            CatalogueVersion = CatalogueVersion,
            PolicyVersion = PolicyVersion,
            FirstSeen = previous?.FirstSeen ?? now,
            StatusSince = changed ? now : previous!.StatusSince,
            EvaluatedAt = now,
            PreviousStatus = changed ? previous?.Status : previous!.PreviousStatus,
            Exemption = exempted || (exemption is not null && kind != AssetEventKind.Removed) ? exemption : null,
            PolicyStatus = evaluation.Status,
            PolicySeverity = evaluation.Severity,
            RevisionReset = previous?.RevisionReset, // a re-evaluation or exemption change keeps a pending reset
            PendingExemption = previous?.PendingExemption, // a re-evaluation keeps a request pending; a decision clears it
            Remediation = previous?.Remediation, // the plan stays; RemediationPlanner.Close ends it when the outcome shows
        };
    }

    /// <summary>
    /// The history entry for one step. A superseded event keeps the stored record's catalogue and policy versions (it
    /// was not evaluated); every other step records the versions in use now.
    /// </summary>
    public HistoryEntry History(
        string id, long revision, string eventType, DateTimeOffset eventTime, DateTimeOffset now, HistoryOutcome outcome,
        ComplianceRecord? before, ComplianceRecord after, IReadOnlyList<string> reasons) => new()
    {
        Department = after.Department,
        AssetId = after.AssetId,
        EventId = id,
        Revision = revision,
        EventType = eventType,
        EventTime = eventTime,
        RecordedAt = now,
        Outcome = outcome,
        StatusBefore = before?.Status,
        StatusAfter = after.Status,
        SeverityBefore = before?.Severity,
        SeverityAfter = after.Severity,
        Reasons = reasons,
        CatalogueVersion = outcome == HistoryOutcome.Superseded ? after.CatalogueVersion : CatalogueVersion,
        PolicyVersion = outcome == HistoryOutcome.Superseded ? after.PolicyVersion : PolicyVersion,
    };

    /// <summary>A change to a stored record that no register event caused (its revision stays; the time is now).</summary>
    public PlanStep Changed(RecordCommand command, ComplianceRecord previous, ComplianceRecord next, string eventType, HistoryOutcome outcome,
        DateTimeOffset now, IReadOnlyList<string> reasons, AlertKind? notice = null) =>
        new(CommandOutcome.Applied, History(command.Id, previous.Revision, eventType, now, now, outcome, previous, next, reasons) with { By = command.By }, next, Notice: notice);
}
