using AssetCompliance.Core.Events;

namespace AssetCompliance.Core.State;

/// <summary>
/// The stored record, the concurrency token needed to update it safely, how many history entries it has, and the
/// fingerprints of the commands applied to it (<see cref="Identifiers.Fingerprint"/>), oldest first, so that a
/// redelivery is recognised from the record alone.
/// </summary>
public sealed record StoredRecord(ComplianceRecord Record, string ETag, long HistoryCount, IReadOnlyList<ulong> AppliedCommands)
{
    /// <summary>
    /// How many command fingerprints a record keeps. They share one binary property with the history count, which
    /// holds at most 64 KiB: 8,000 fingerprints and the count take 64,008 bytes. (8,192 did not fit with the count,
    /// and a device reaching it would have failed every later write.) An asset needs this many changes,
    /// re-evaluations and exemption steps before its oldest are forgotten; a repeat of a forgotten event is then
    /// recorded as superseded (its revision is old), never applied again.
    /// </summary>
    public const int AppliedCommandLimit = 8000;

    /// <summary>
    /// Whether the stored row has the columns observations are matched and listed by (issue 18; rows written before
    /// have not): false makes the next write send them whatever the diff says, so that a device registered before
    /// observations existed is found by its MAC from its next change on. True for anything not read from storage.
    /// </summary>
    public bool HasObservationColumns { get; init; } = true;

    public StoredRecord(ComplianceRecord record, string etag, long historyCount)
        : this(record, etag, historyCount, [])
    {
    }
}

/// <summary>One command's trace in storage: its history entry, numbered, and its fingerprint for the record.</summary>
/// <param name="Fingerprint"><see cref="Identifiers.Fingerprint"/> of <paramref name="CommandId"/>, computed once by the planner.</param>
/// <param name="Sequence">The history entry's number for the asset (1-based); history is read back in this order.</param>
public sealed record CommandWrite(string CommandId, ulong Fingerprint, long Sequence, HistoryEntry History);

/// <summary>
/// Everything a run of commands changes for one asset, committed together or not at all: a history entry per command
/// (and its fingerprint on the record), the record (or only its history count when every command was superseded), the alerts for the
/// outbox, and the department summary moved by <see cref="Delta"/>.
/// </summary>
/// <param name="Before">The record as read, with its ETag; null when the asset was not known.</param>
/// <param name="After">The record to store; null when only history grows.</param>
public sealed record AssetChange(
    string Department,
    string AssetId,
    StoredRecord? Before,
    ComplianceRecord? After,
    long HistoryCount,
    IReadOnlyList<CommandWrite> Commands,
    IReadOnlyList<Alert> Alerts)
{
    /// <summary>The record's applied-command fingerprints after this change (the newest last).</summary>
    public IReadOnlyList<ulong> AppliedCommands =>
        [.. (Before?.AppliedCommands ?? []).Concat(Commands.Select(c => c.Fingerprint)).TakeLast(StoredRecord.AppliedCommandLimit)];

    /// <summary>How many commands one change may carry, so that it always fits one 100-entity transaction.</summary>
    public const int MaxCommands = 30;

    public SummaryDelta Delta => After is null ? SummaryDelta.None : SummaryDelta.Between(Before?.Record, After);
}

/// <summary>What became of each change in a commit: committed, or lost an optimistic-concurrency race (read the record
/// again and plan once more; a command another writer committed meanwhile is then seen as a repeat).</summary>
public sealed record CommitReport(IReadOnlyList<AssetChange> Committed, IReadOnlyList<AssetChange> Conflicted);
