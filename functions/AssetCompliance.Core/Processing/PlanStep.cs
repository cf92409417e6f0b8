using AssetCompliance.Core.State;

namespace AssetCompliance.Core.Processing;

/// <summary>
/// What one command does to an asset's record, as <see cref="RecordPlanner"/> and <see cref="ExemptionPlanner"/> work
/// it out: the command's outcome; the history entry (null when nothing is written, for example a refusal or a command
/// not needed); the new record (null when the record stays as it is); why, for a command that changed nothing; and the
/// exemption card to send besides any status transition's (null for none); and a second history entry the same command
/// writes after the first (the close of a remediation plan the change showed done; null for none). A quiet step
/// (<paramref name="Quiet"/>) sends no status-transition card: a record closed into another record that carries
/// the same device is no news that the device is resolved.
/// </summary>
internal sealed record PlanStep(CommandOutcome Outcome, HistoryEntry? History = null, ComplianceRecord? Record = null, string? Reason = null, AlertKind? Notice = null,
    HistoryEntry? Followup = null, bool Quiet = false);
