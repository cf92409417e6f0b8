using AssetCompliance.Core.Catalogue;
using AssetCompliance.Core.Events;
using AssetCompliance.Core.Observations;
using AssetCompliance.Core.Policy;
using AssetCompliance.Core.State;

namespace AssetCompliance.Core.Processing;

/// <summary>
/// The pieces every planned step is built from: the record the catalogue and policy (and any exemption) give a device,
/// and the history entry that says what a step did, stamped with the catalogue and policy versions in use.
/// </summary>
internal sealed class RecordEvaluation(DeviceIdentifier identifier, ComplianceEvaluator evaluator, FingerprintCatalogue fingerprints)
{
    /// <summary>Decides observation outcomes (confirmed, contradicted, ...) with the same identifier and policy.</summary>
    public Reconciler Reconciler { get; } = new(identifier, evaluator, fingerprints);

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

    /// <summary>
    /// The record the policy (and any exemption) gives this device, carrying over what the previous one knew. The
    /// device's latest observation (<paramref name="observed"/>, else the previous record's) takes part: its
    /// fingerprints and MAC in identification, and the segment its address is in replaces the register's (the
    /// device is where it was seen), so a PRC-made device seen on a core subnet is NonCompliant Critical whatever the
    /// register says. When the register's maker fields change under a stored observation, the outcome (confirmed or
    /// contradicted) is decided again.
    /// </summary>
    public ComplianceRecord Evaluate(RegisteredDevice device, AssetEventKind kind, Exemption? exemption, ComplianceRecord? previous, DateTimeOffset now, ObservedState? observed = null)
    {
        observed ??= Redecided(device, previous);
        var identification = observed is null
            ? identifier.Identify(device.Manufacturer, device.Model, device.MacAddress)
            : identifier.Identify(device.Manufacturer, device.Model, device.MacAddress ?? observed.MacAddresses.FirstOrDefault(), fingerprints.EvidenceOf(observed.Evidence));
        var placed = observed?.Network is { } network ? device with { NetworkSegment = network.Segment } : device;
        // A device only observations describe has no register behind its blanks: its unknowns hold it for review.
        var evaluation = observed is { NotRegistered: true }
            ? evaluator.EvaluateUnregistered(kind, placed, identification)
            : evaluator.Evaluate(kind, placed, identification);
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
            Observation = observed,
        };
    }

    /// <summary>
    /// The previous record's observation, decided again when the register's maker fields (manufacturer, model, MAC)
    /// changed since it was stored; as it was otherwise. A record only observations made keeps its own.
    /// </summary>
    private ObservedState? Redecided(RegisteredDevice device, ComplianceRecord? previous)
    {
        if (previous?.Observation is not { NotRegistered: false } stored ||
            (previous.Device.Manufacturer == device.Manufacturer && previous.Device.Model == device.Model && previous.Device.MacAddress == device.MacAddress))
        {
            return previous?.Observation;
        }

        var outcome = Reconciler.Decide(device, stored.ToObservation(), stored.MatchedBy, [], networks: null);
        var where = stored.Network is { } n ? $" It was seen on {n.Subnet} ({n.Segment.ToWire()}{(n.Site is null ? "" : $", site {n.Site}")})." : "";
        return stored with
        {
            Outcome = outcome.Outcome,
            RegisteredMaker = outcome.RegisteredMaker,
            ObservedMaker = outcome.ObservedMaker,
            Explanation = outcome.Explanation + where,
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
