using AssetCompliance.Core.Catalogue;
using AssetCompliance.Core.Events;
using AssetCompliance.Core.Observations;
using AssetCompliance.Core.Policy;
using AssetCompliance.Core.State;

namespace AssetCompliance.Core.Processing;

/// <summary>
/// Works out, without side effects, what a run of commands does to one asset's record: the new record, a history
/// entry per command, the alerts for the transitions, and each command's outcome. The store makes it atomic.
/// Register events are ordered by revision and evaluated here; the exemption steps are planned by
/// <see cref="ExemptionPlanner"/> and the remediation plan's by <see cref="RemediationPlanner"/> (which also closes a plan
/// when an event or re-evaluation shows its outcome); all build on <see cref="RecordEvaluation"/>.
/// </summary>
public sealed class RecordPlanner
{
    private readonly RecordEvaluation evaluation;
    private readonly ExemptionPlanner exemptions;
    private readonly RemediationPlanner remediation;

    /// <summary>A planner that identifies devices with <paramref name="identifier"/> and judges them with <paramref name="evaluator"/>.</summary>
    public RecordPlanner(DeviceIdentifier identifier, ComplianceEvaluator evaluator)
        : this(identifier, evaluator, FingerprintCatalogue.Default)
    {
    }

    /// <summary>A planner that also weighs observed evidence with <paramref name="fingerprints"/> (loaded against the identifier's catalogue).</summary>
    public RecordPlanner(DeviceIdentifier identifier, ComplianceEvaluator evaluator, FingerprintCatalogue fingerprints)
    {
        evaluation = new RecordEvaluation(identifier, evaluator, fingerprints);
        exemptions = new ExemptionPlanner(evaluation);
        remediation = new RemediationPlanner(evaluation);
    }

    /// <summary>The vendor catalogue's version, as each record and history entry this planner writes records it.</summary>
    public string CatalogueVersion => evaluation.CatalogueVersion;

    /// <summary>The compliance policy's version, as each record and history entry this planner writes records it.</summary>
    public string PolicyVersion => evaluation.PolicyVersion;

    /// <summary>Decides what an observation shows against a registered device, with this planner's identifier and policy.</summary>
    public Reconciler Reconciler => evaluation.Reconciler;

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
            var fingerprint = Identifiers.Fingerprint(command.MemoryKey);
            if (!seen.Add(command.MemoryKey) || applied.Contains(fingerprint))
            {
                results.Add(new CommandResult(command, CommandOutcome.Duplicate, record?.Status));
                continue;
            }

            var step = command switch
            {
                ApplyAssetEvent e => ApplyEvent(e.Event, record, now),
                Reevaluate r => Reevaluation(r, record, now),
                RequestExemption q => exemptions.Request(q, record, now),
                GrantExemption g => exemptions.Grant(g, record, now),
                RefuseExemption f => exemptions.Refuse(f, record, now),
                RevokeExemption v => exemptions.Revoke(v, record, now),
                ExpireExemption x => exemptions.Expire(x, record, now),
                ResetRevision r => Reset(r, record, now),
                SetRemediation p => remediation.Set(p, record, now),
                MarkRemediationOverdue o => remediation.MarkOverdue(o, record, now),
                ApplyObservation o => Observe(o, record, now),
                RetireObserved r => Retire(r, record, now),
                _ => throw new ArgumentOutOfRangeException(nameof(commands), command.GetType().Name, "unknown command"),
            };

            if (step.History is null)
            {
                results.Add(new CommandResult(command, step.Outcome, record?.Status, step.Reason));
                continue;
            }

            historyCount++;
            // Each entry that changes the record carries its progress facts, so the trend can be rebuilt from history.
            var history = step.Record is { } left ? step.History with { Progress = ProgressFacts.Of(left) } : step.History;
            writes.Add(new CommandWrite(command.Id, fingerprint, historyCount, history));
            if (step.Record is { } next)
            {
                next = next with { ProgressAt = ProgressLedger.ProgressAtAfter(record, next, history) };
                if (!step.Quiet && AlertRules.For(record?.Status, record?.Severity, next.Status, next.Severity) is { } kind)
                {
                    alerts.Add(StepAlert(Identifiers.Hash($"{department}|{assetId}|{command.Id}"), kind, department, assetId, command, record, next, now));
                }

                if (step.Notice is { } notice)
                {
                    // A card per exemption step, besides any status transition's: who asked, who decided, and what.
                    alerts.Add(StepAlert(Identifiers.Hash($"{department}|{assetId}|{command.Id}|{notice}"), notice, department, assetId, command, record, next, now)
                        with { Note = step.History.Reasons[0] });
                }

                record = next;
                recordChanged = true;
            }

            if (step.Followup is { } followup)
            {
                // Its own fingerprint, so that the record's list of applied commands stays one entry per id.
                historyCount++;
                writes.Add(new CommandWrite(followup.EventId, Identifiers.Fingerprint(followup.EventId), historyCount, followup));
            }

            results.Add(new CommandResult(command, step.Outcome, record?.Status, step.Reason));
        }

        var change = writes.Count == 0
            ? null
            : new AssetChange(department, assetId, stored, recordChanged ? record : null, historyCount, writes, alerts);
        return (change, results);
    }

    /// <summary>An outbox alert of <paramref name="kind"/> for a command that took the record from <paramref name="before"/> to <paramref name="next"/>.</summary>
    private static Alert StepAlert(string id, AlertKind kind, string department, string assetId, RecordCommand command,
        ComplianceRecord? before, ComplianceRecord next, DateTimeOffset now) => new()
    {
        Id = id,
        Kind = kind,
        Department = department,
        AssetId = assetId,
        CauseId = command.Id,
        OccurredAt = now,
        StatusBefore = before?.Status,
        StatusAfter = next.Status,
        SeverityBefore = before?.Severity,
        SeverityAfter = next.Severity,
        Record = next,
    };

    /// <summary>
    /// A register event: superseded when its revision is not newer than the stored one (unless the revision was
    /// reset), else evaluated, carrying over an exemption in force and a pending request (a removal ends both).
    /// </summary>
    private PlanStep ApplyEvent(AssetEvent e, ComplianceRecord? previous, DateTimeOffset now)
    {
        var eventType = e.Kind.ToWire();
        if (previous is not null && previous.RevisionReset is null && e.Revision <= previous.Revision)
        {
            return new PlanStep(CommandOutcome.Superseded, evaluation.History(e.Id, e.Revision, eventType, e.Time, now, HistoryOutcome.Superseded, previous, previous,
                [$"Revision {e.Revision} is not newer than the stored revision {previous.Revision}; the stored state was kept."]));
        }

        var device = e.Kind == AssetEventKind.Removed && previous is not null ? RemovedDevice.Merge(previous.Device, e.Device) : e.Device;
        // A removal ends any exemption; otherwise an exemption in force carries over to the new revision.
        var exemption = e.Kind == AssetEventKind.Removed ? null : RecordEvaluation.ActiveExemption(previous, now);
        var next = evaluation.Evaluate(device, e.Kind, exemption, previous, now) with
        {
            Revision = e.Revision,
            EventId = e.Id,
            EventTime = e.Time,
            RevisionReset = null, // the reset lets this one event through, then revisions order events again
            PendingExemption = e.Kind == AssetEventKind.Removed ? null : previous?.PendingExemption,
        };
        IReadOnlyList<string> reasons = previous?.RevisionReset is { } reset && e.Revision <= previous.Revision
            ? [$"Applied although revision {e.Revision} is not newer than {previous.Revision}, because the revision was reset{RecordEvaluation.By(reset.By)} on {reset.At:yyyy-MM-dd}.", .. next.Reasons]
            : next.Reasons;
        var history = evaluation.History(e.Id, e.Revision, eventType, e.Time, now, HistoryOutcome.Applied, previous, next, reasons);
        return WithClose(new PlanStep(CommandOutcome.Applied, history, next), e.Id, eventType, e.Revision, e.Time, previous, now);
    }

    /// <summary>The step, with the remediation plan closed in the same commit when the change shows the plan's outcome.</summary>
    private PlanStep WithClose(PlanStep step, string commandId, string eventType, long revision, DateTimeOffset eventTime, ComplianceRecord? previous, DateTimeOffset now) =>
        step.Record is { } next && remediation.Close(commandId, eventType, revision, eventTime, previous, next, now) is { } close
            ? step with { Record = close.Record, Followup = close.History }
            : step;

    /// <summary>The stored device evaluated again, when the catalogue or policy version has changed since it was.</summary>
    private PlanStep Reevaluation(Reevaluate r, ComplianceRecord? previous, DateTimeOffset now)
    {
        if (previous is null)
        {
            return new PlanStep(CommandOutcome.NotFound, Reason: "no such asset");
        }

        if (previous.CatalogueVersion == CatalogueVersion && previous.PolicyVersion == PolicyVersion)
        {
            return new PlanStep(CommandOutcome.NotNeeded, Reason: "already evaluated with the current catalogue and policy");
        }

        var kind = previous.Status == ComplianceStatus.Removed ? AssetEventKind.Removed : AssetEventKind.Upserted;
        var next = evaluation.Evaluate(previous.Device, kind, RecordEvaluation.ActiveExemption(previous, now), previous, now);
        var step = evaluation.Changed(r, previous, next, "compliance.reevaluated", HistoryOutcome.Reevaluated, now,
            [$"Evaluated again because the catalogue or policy changed (catalogue {previous.CatalogueVersion} -> {CatalogueVersion}, policy {previous.PolicyVersion} -> {PolicyVersion}).", .. next.Reasons]);
        return WithClose(step, r.Id, "compliance.reevaluated", previous.Revision, now, previous, now);
    }

    /// <summary>
    /// A network observation: the record (a registered device's, or the unregistered device's own) evaluated with what
    /// was seen, and a history entry saying what reconciling found. An observation older than the one stored is kept
    /// in the history only (the stored one stays). A record an unregistered PRC-made device gets raises a card of its
    /// own when its verdict alone raises none.
    /// </summary>
    private PlanStep Observe(ApplyObservation o, ComplianceRecord? previous, DateTimeOffset now)
    {
        var state = o.State;
        // A device seen unregistered is there, whatever its own record said before: one closed when the device was
        // matched to a register entry opens again (with what was seen now) once the device is seen unregistered again.
        var device = o.Unregistered ?? previous?.Device;
        if (device is null)
        {
            return new PlanStep(CommandOutcome.NotFound, Reason: "the matched device is no longer stored");
        }

        if (previous?.Observation is { } stored && stored.LastSeenAt > state.LastSeenAt)
        {
            return new PlanStep(CommandOutcome.Superseded, evaluation.History(o.Id, previous.Revision, ObservationEventParser.Type, state.LastSeenAt, now, HistoryOutcome.Superseded, previous, previous,
                [$"Observed {state.LastSeenAt:yyyy-MM-dd HH:mm} UTC by {state.Observer}, before the observation stored ({stored.LastSeenAt:yyyy-MM-dd HH:mm} UTC); the stored one was kept.", state.Explanation]));
        }

        state = state with { FirstSeenAt = previous?.Observation is { } first && first.FirstSeenAt < state.FirstSeenAt ? first.FirstSeenAt : state.FirstSeenAt };
        var kind = previous?.Status == ComplianceStatus.Removed && !state.NotRegistered ? AssetEventKind.Removed : AssetEventKind.Upserted;
        var next = evaluation.Evaluate(device, kind, RecordEvaluation.ActiveExemption(previous, now), previous, now, state);
        if (previous is null)
        {
            next = next with { EventId = o.EventId, EventTime = state.LastSeenAt };
        }

        var opened = previous is null || previous.Status == ComplianceStatus.Removed;
        var notice = opened && state.NotRegistered && next.Vendor?.SubjectToNationalIntelligenceLaw == true &&
            AlertRules.For(previous?.Status, previous?.Severity, next.Status, next.Severity) is null
            ? AlertKind.ObservedUnregistered
            : (AlertKind?)null;
        var history = evaluation.History(o.Id, next.Revision, ObservationEventParser.Type, state.LastSeenAt, now, HistoryOutcome.Observed, previous, next,
            [$"Observed by {state.Observer}: {state.Outcome.ToWire()}. {state.Explanation}", .. next.Reasons]);
        return new PlanStep(CommandOutcome.Applied, history, next, Notice: notice);
    }

    /// <summary>The record of a device once unregistered, closed (removed) because the device is now seen as a registered one, or under its other key.</summary>
    private PlanStep Retire(RetireObserved r, ComplianceRecord? previous, DateTimeOffset now)
    {
        if (previous?.Observation is not { NotRegistered: true } || previous.Status == ComplianceStatus.Removed)
        {
            return new PlanStep(CommandOutcome.NotNeeded, Reason: "no open record of an unregistered device");
        }

        // Quiet: the device is not resolved; the record it is closed into carries it (and cards it when it changes).
        var closed = evaluation.Evaluate(previous.Device, AssetEventKind.Removed, null, previous, now);
        var next = closed with { Observation = closed.Observation! with { ClosedInto = r.IntoAssetId } };
        return evaluation.Changed(r, previous, next, ObservationEventParser.Type, HistoryOutcome.Observed, now,
            [r.IntoAssetId.StartsWith(ObservedState.AssetIdPrefix, StringComparison.Ordinal)
                ? $"Observation {r.EventId} showed this device is {r.IntoAssetId} (it shares its MAC address, or was seen at its address without one): this record of it is closed, and the device is counted there, with what this record showed."
                : $"Observation {r.EventId} matched the registered device {r.IntoAssetId}: this record of the device as seen unregistered is closed, and the device is counted there, with what this record showed."]) with { Quiet = true };
    }

    /// <summary>A revision reset: the next event for the device applies whatever its revision.</summary>
    private PlanStep Reset(ResetRevision r, ComplianceRecord? previous, DateTimeOffset now)
    {
        if (previous is null)
        {
            return new PlanStep(CommandOutcome.NotFound, Reason: "no such asset");
        }

        // Only the revision gate changes: status, device and evaluation stay as they are until the next event.
        var next = previous with { RevisionReset = new RevisionReset(r.Reason, r.ResetBy, now, previous.Revision) };
        return evaluation.Changed(r, previous, next, "revision.reset", HistoryOutcome.RevisionReset, now,
            [$"Revision reset{RecordEvaluation.By(r.ResetBy)}: {r.Reason}. The next event for this device applies whatever its revision (stored revision {previous.Revision})."]);
    }
}
