using AssetCompliance.Core.Catalogue;
using AssetCompliance.Core.Events;
using AssetCompliance.Core.Policy;
using AssetCompliance.Core.State;

namespace AssetCompliance.Core.Processing;

/// <summary>
/// Works out, without side effects, what a run of commands does to one asset's record: the new record, a history
/// entry per command, the alerts for the transitions, and each command's outcome. The store makes it atomic.
/// </summary>
public sealed class RecordPlanner(DeviceIdentifier identifier, ComplianceEvaluator evaluator)
{
    public string CatalogueVersion => identifier.Catalogue.Version;
    public string PolicyVersion => evaluator.Policy.Version;

    /// <summary>The planned change (null when nothing needs writing) and an outcome for each command, in order.</summary>
    public (AssetChange? Change, IReadOnlyList<CommandResult> Results) Plan(
        string department, string assetId, StoredRecord? stored, IReadOnlyList<RecordCommand> commands, DateTimeOffset now)
    {
        var record = stored?.Record;
        var historyCount = stored?.HistoryCount ?? 0;
        var writes = new List<CommandWrite>();
        var alerts = new List<Alert>();
        var results = new List<CommandResult>(commands.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var applied = stored?.AppliedCommands.ToHashSet() ?? [];
        var recordChanged = false;

        foreach (var command in commands)
        {
            // Every applied command's fingerprint is on the record, so this recognises a repeat however old it is.
            var fingerprint = Identifiers.Fingerprint(command.Id);
            if (!seen.Add(command.Id) || applied.Contains(fingerprint))
            {
                results.Add(new CommandResult(command, CommandOutcome.Duplicate, record?.Status));
                continue;
            }

            var step = command switch
            {
                ApplyAssetEvent e => ApplyEvent(e.Event, record, now),
                Reevaluate r => Reevaluation(r, record, now),
                RequestExemption q => Request(q, record, now),
                GrantExemption g => Grant(g, record, now),
                RefuseExemption f => Refuse(f, record, now),
                RevokeExemption v => Revoke(v, record, now),
                ExpireExemption x => Expire(x, record, now),
                ResetRevision r => Reset(r, record, now),
                _ => throw new ArgumentOutOfRangeException(nameof(commands), command.GetType().Name, "unknown command"),
            };

            if (step.History is null)
            {
                results.Add(new CommandResult(command, step.Outcome, record?.Status, step.Reason));
                continue;
            }

            historyCount++;
            writes.Add(new CommandWrite(command.Id, fingerprint, historyCount, step.History));
            if (step.Record is { } next)
            {
                if (AlertRules.For(record?.Status, record?.Severity, next.Status, next.Severity) is { } kind)
                {
                    alerts.Add(new Alert
                    {
                        Id = Identifiers.Hash($"{department}|{assetId}|{command.Id}"),
                        Kind = kind,
                        Department = department,
                        AssetId = assetId,
                        CauseId = command.Id,
                        OccurredAt = now,
                        StatusBefore = record?.Status,
                        StatusAfter = next.Status,
                        SeverityBefore = record?.Severity,
                        SeverityAfter = next.Severity,
                        Record = next,
                    });
                }

                if (step.Notice is { } notice)
                {
                    // A card per exemption step, besides any status transition's: who asked, who decided, and what.
                    alerts.Add(new Alert
                    {
                        Id = Identifiers.Hash($"{department}|{assetId}|{command.Id}|{notice}"),
                        Kind = notice,
                        Department = department,
                        AssetId = assetId,
                        CauseId = command.Id,
                        OccurredAt = now,
                        StatusBefore = record?.Status,
                        StatusAfter = next.Status,
                        SeverityBefore = record?.Severity,
                        SeverityAfter = next.Severity,
                        Record = next,
                        Note = step.History.Reasons[0],
                    });
                }

                record = next;
                recordChanged = true;
            }

            results.Add(new CommandResult(command, step.Outcome, record?.Status, step.Reason));
        }

        var change = writes.Count == 0
            ? null
            : new AssetChange(department, assetId, stored, recordChanged ? record : null, historyCount, writes, alerts);
        return (change, results);
    }

    private sealed record Step(CommandOutcome Outcome, HistoryEntry? History = null, ComplianceRecord? Record = null, string? Reason = null, AlertKind? Notice = null);

    /// <summary>The policy verdicts an exemption may waive without an explicit pre-emptive waiver.</summary>
    private static bool Exemptible(ComplianceStatus status) =>
        status is ComplianceStatus.NonCompliant or ComplianceStatus.NeedsReview or ComplianceStatus.Advisory;

    private Step ApplyEvent(AssetEvent e, ComplianceRecord? previous, DateTimeOffset now)
    {
        var eventType = e.Kind.ToWire();
        if (previous is not null && previous.RevisionReset is null && e.Revision <= previous.Revision)
        {
            return new Step(CommandOutcome.Superseded, History(e.Id, e.Revision, eventType, e.Time, now, HistoryOutcome.Superseded, previous, previous,
                [$"Revision {e.Revision} is not newer than the stored revision {previous.Revision}; the stored state was kept."]));
        }

        var device = e.Kind == AssetEventKind.Removed && previous is not null ? MergeRemoval(previous.Device, e.Device) : e.Device;
        // A removal ends any exemption; otherwise an exemption in force carries over to the new revision.
        var exemption = e.Kind == AssetEventKind.Removed ? null : ActiveExemption(previous, now);
        var next = Evaluate(device, e.Kind, exemption, previous, now) with
        {
            Revision = e.Revision,
            EventId = e.Id,
            EventTime = e.Time,
            RevisionReset = null, // the reset lets this one event through, then revisions order events again
            PendingExemption = e.Kind == AssetEventKind.Removed ? null : previous?.PendingExemption,
        };
        IReadOnlyList<string> reasons = previous?.RevisionReset is { } reset && e.Revision <= previous.Revision
            ? [$"Applied although revision {e.Revision} is not newer than {previous.Revision}, because the revision was reset{By(reset.By)} on {reset.At:yyyy-MM-dd}.", .. next.Reasons]
            : next.Reasons;
        return new Step(CommandOutcome.Applied, History(e.Id, e.Revision, eventType, e.Time, now, HistoryOutcome.Applied, previous, next, reasons), next);
    }

    private Step Reevaluation(Reevaluate r, ComplianceRecord? previous, DateTimeOffset now)
    {
        if (previous is null)
        {
            return new Step(CommandOutcome.NotFound, Reason: "no such asset");
        }

        if (previous.CatalogueVersion == CatalogueVersion && previous.PolicyVersion == PolicyVersion)
        {
            return new Step(CommandOutcome.NotNeeded, Reason: "already evaluated with the current catalogue and policy");
        }

        var kind = previous.Status == ComplianceStatus.Removed ? AssetEventKind.Removed : AssetEventKind.Upserted;
        var next = Evaluate(previous.Device, kind, ActiveExemption(previous, now), previous, now);
        return Changed(r, previous, next, "compliance.reevaluated", HistoryOutcome.Reevaluated, now,
            [$"Evaluated again because the catalogue or policy changed (catalogue {previous.CatalogueVersion} -> {CatalogueVersion}, policy {previous.PolicyVersion} -> {PolicyVersion}).", .. next.Reasons]);
    }

    private Step Request(RequestExemption q, ComplianceRecord? previous, DateTimeOffset now)
    {
        if (previous is null)
        {
            return new Step(CommandOutcome.NotFound, Reason: "no such asset");
        }

        if (previous.Status == ComplianceStatus.Removed)
        {
            return new Step(CommandOutcome.Refused, Reason: "the device has been removed; there is nothing to exempt");
        }

        // One request at a time, so that an approver approves what they read, never a request swapped in meanwhile.
        if (previous.PendingExemption is { } pending)
        {
            return new Step(CommandOutcome.Refused, Reason: $"exemption request {pending.RequestId} by {pending.RequestedBy} is still pending; an administrator must approve or refuse it first");
        }

        var r = q.Request;
        var next = previous with { PendingExemption = r };
        return Changed(q, previous, next, "exemption.requested", HistoryOutcome.ExemptionChanged, now,
            [$"Exemption requested by {r.RequestedBy} until {r.ExpiresAt:yyyy-MM-dd} (request {r.RequestId}; it takes effect only when a different administrator approves it): {r.Reason}"],
            AlertKind.ExemptionRequested);
    }

    /// <summary>The pending request a decision applies to, or why there is none to decide.</summary>
    private static Step? Undecidable(ComplianceRecord? previous, string? expectedRequestId)
    {
        if (previous is null)
        {
            return new Step(CommandOutcome.NotFound, Reason: "no such asset");
        }

        if (previous.PendingExemption is not { } pending)
        {
            return new Step(CommandOutcome.Refused, Reason: "the device has no pending exemption request");
        }

        return expectedRequestId is not null && expectedRequestId != pending.RequestId
            ? new Step(CommandOutcome.Refused, Reason: $"the pending request is {pending.RequestId}, not {expectedRequestId}")
            : null;
    }

    private Step Grant(GrantExemption g, ComplianceRecord? previous, DateTimeOffset now)
    {
        if (Undecidable(previous, g.ExpectedRequestId) is { } undecidable)
        {
            return undecidable;
        }

        var pending = previous!.PendingExemption!;
        if (g.By is not { } approver || approver.IsSamePersonAs(pending.RequestedBy))
        {
            return new Step(CommandOutcome.Forbidden, Reason: g.By is null || g.By.ObjectId.Length == 0 || pending.RequestedBy.ObjectId.Length == 0
                ? "the approver or the requester has no object id, so they cannot be told apart; an exemption needs two different people"
                : "the approver is the requester; an exemption needs a second, different person to approve it");
        }

        if (previous.Status == ComplianceStatus.Removed)
        {
            return new Step(CommandOutcome.Refused, Reason: "the device has been removed; there is nothing to exempt");
        }

        if (pending.ExpiresAt <= now)
        {
            return new Step(CommandOutcome.Refused, Reason: $"the request's expiry {pending.ExpiresAt:yyyy-MM-dd HH:mm} UTC has passed; refuse it and ask again");
        }

        var verdict = previous.PolicyStatus ?? previous.Status;
        if (!Exemptible(verdict) && !g.Preemptive)
        {
            return new Step(CommandOutcome.Refused, Reason: $"the policy finds the device {verdict}; only a NonCompliant, NeedsReview or Advisory device can be exempted, unless an administrator grants an explicit pre-emptive waiver (preemptive: true)");
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
        var next = Evaluate(previous.Device, AssetEventKind.Upserted, exemption, previous, now) with { PendingExemption = null };
        var kind = exemption.Preemptive ? $"Pre-emptive waiver (the device is {verdict} now)" : "Exemption";
        return Changed(g, previous, next, "exemption.granted", HistoryOutcome.ExemptionChanged, now,
            [$"{kind} granted by {approver} until {exemption.ExpiresAt:yyyy-MM-dd}, requested by {pending.RequestedBy} (request {pending.RequestId}): {exemption.Reason}", .. next.Reasons],
            AlertKind.ExemptionGranted);
    }

    private Step Refuse(RefuseExemption f, ComplianceRecord? previous, DateTimeOffset now)
    {
        if (Undecidable(previous, f.ExpectedRequestId) is { } undecidable)
        {
            return undecidable;
        }

        var pending = previous!.PendingExemption!;
        var next = previous with { PendingExemption = null };
        return Changed(f, previous, next, "exemption.refused", HistoryOutcome.ExemptionChanged, now,
            [$"Exemption request {pending.RequestId} by {pending.RequestedBy} refused{By(f.By?.ToString())}: {f.Reason}"],
            AlertKind.ExemptionRefused);
    }

    private Step Revoke(RevokeExemption v, ComplianceRecord? previous, DateTimeOffset now)
    {
        if (previous is null)
        {
            return new Step(CommandOutcome.NotFound, Reason: "no such asset");
        }

        if (previous.Exemption is null)
        {
            return new Step(CommandOutcome.Refused, Reason: "the device has no exemption to revoke");
        }

        var next = Evaluate(previous.Device, AssetEventKind.Upserted, null, previous, now);
        return Changed(v, previous, next, "exemption.revoked", HistoryOutcome.ExemptionChanged, now,
            [$"Exemption revoked{By(v.By?.ToString() ?? v.RevokedBy)}.", .. next.Reasons], AlertKind.ExemptionRevoked);
    }

    private Step Expire(ExpireExemption x, ComplianceRecord? previous, DateTimeOffset now)
    {
        if (previous?.Exemption is not { } exemption || exemption.ExpiresAt > now || exemption.ExpiresAt != x.ExpiresAt)
        {
            return new Step(CommandOutcome.NotNeeded, Reason: "no exemption has expired");
        }

        var next = Evaluate(previous.Device, AssetEventKind.Upserted, null, previous, now);
        return Changed(x, previous, next, "exemption.expired", HistoryOutcome.ExemptionChanged, now,
            [$"Exemption expired on {exemption.ExpiresAt:yyyy-MM-dd} (granted by {exemption.ApprovedBy?.ToString() ?? exemption.Approver}).", .. next.Reasons], AlertKind.ExemptionExpired);
    }

    private Step Reset(ResetRevision r, ComplianceRecord? previous, DateTimeOffset now)
    {
        if (previous is null)
        {
            return new Step(CommandOutcome.NotFound, Reason: "no such asset");
        }

        // Only the revision gate changes: status, device and evaluation stay as they are until the next event.
        var next = previous with { RevisionReset = new RevisionReset(r.Reason, r.ResetBy, now, previous.Revision) };
        return Changed(r, previous, next, "revision.reset", HistoryOutcome.RevisionReset, now,
            [$"Revision reset{By(r.ResetBy)}: {r.Reason}. The next event for this device applies whatever its revision (stored revision {previous.Revision})."]);
    }

    private static string By(string? who) => who is null ? string.Empty : $" by {who}";

    /// <summary>A change to a stored record that no register event caused (its revision stays; the time is now).</summary>
    private Step Changed(RecordCommand command, ComplianceRecord previous, ComplianceRecord next, string eventType, HistoryOutcome outcome,
        DateTimeOffset now, IReadOnlyList<string> reasons, AlertKind? notice = null) =>
        new(CommandOutcome.Applied, History(command.Id, previous.Revision, eventType, now, now, outcome, previous, next, reasons) with { By = command.By }, next, Notice: notice);

    private static Exemption? ActiveExemption(ComplianceRecord? record, DateTimeOffset now) =>
        record?.Exemption is { } exemption && exemption.ExpiresAt > now ? exemption : null;

    /// <summary>The record the policy (and any exemption) gives this device, carrying over what the previous one knew.</summary>
    private ComplianceRecord Evaluate(RegisteredDevice device, AssetEventKind kind, Exemption? exemption, ComplianceRecord? previous, DateTimeOffset now)
    {
        var identification = identifier.Identify(device.Manufacturer, device.Model, device.MacAddress);
        var evaluation = evaluator.Evaluate(kind, device, identification);
        var exempted = exemption is not null && evaluation.Status is not (ComplianceStatus.Compliant or ComplianceStatus.Removed);
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
        };
    }

    private HistoryEntry History(
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

    /// <summary>
    /// A removal may carry only ids; keep the last known description so that the record still says what was removed.
    /// A field stays marked unread (by either event) only while the merged record has no value for it.
    /// </summary>
    internal static RegisteredDevice MergeRemoval(RegisteredDevice previous, RegisteredDevice removal)
    {
        var merged = MergeValues(previous, removal);
        return merged with
        {
            UnreadFields = UnreadFields.Canonical(previous.UnreadFields.Concat(removal.UnreadFields).Where(path => !UnreadFields.HasValue(merged, path))),
        };
    }

    private static RegisteredDevice MergeValues(RegisteredDevice previous, RegisteredDevice removal) => previous with
    {
        Revision = removal.Revision,
        Manufacturer = removal.Manufacturer ?? previous.Manufacturer,
        Model = removal.Model ?? previous.Model,
        SerialNumber = removal.SerialNumber ?? previous.SerialNumber,
        MacAddress = removal.MacAddress ?? previous.MacAddress,
        DeviceType = removal.DeviceType ?? previous.DeviceType,
        Site = removal.Site ?? previous.Site,
        NetworkSegment = removal.NetworkSegment ?? previous.NetworkSegment,
        InstalledOn = removal.InstalledOn ?? previous.InstalledOn,
    };
}
