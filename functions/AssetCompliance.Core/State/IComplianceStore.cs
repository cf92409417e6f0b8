namespace AssetCompliance.Core.State;

/// <summary>The stored record, the concurrency token needed to update it safely, and how many history entries it has.</summary>
public sealed record StoredRecord(ComplianceRecord Record, string ETag, long HistoryCount);

/// <summary>
/// Everything one event changes in its department's partition, committed together or not at all: the event marker
/// (which makes redelivery harmless), the history entry, and the new record when the event is applied.
/// </summary>
/// <param name="Sequence">The new history entry's number (1-based); history is read back in this order.</param>
/// <param name="NewRecord">The record to store, or null when the event was superseded and only history grows.</param>
/// <param name="ExpectedETag">The ETag of the record that was read, or null when there was none.</param>
public sealed record StateChange(string Department, string AssetId, string EventId, long Sequence, HistoryEntry History, ComplianceRecord? NewRecord, string? ExpectedETag);

public enum CommitOutcome
{
    Committed,

    /// <summary>The event was committed before (a redelivery): nothing was changed.</summary>
    AlreadyApplied,

    /// <summary>Another writer changed the record since it was read; read again and retry.</summary>
    Conflict,
}

/// <summary>
/// Port to compliance state. Implementations must make <see cref="CommitAsync"/> atomic and must throw on
/// infrastructure failure, so that the message is redelivered rather than lost.
/// </summary>
public interface IComplianceStore
{
    Task<StoredRecord?> GetRecordAsync(string department, string assetId, CancellationToken cancellationToken);

    Task<CommitOutcome> CommitAsync(StateChange change, CancellationToken cancellationToken);

    Task<IReadOnlyList<HistoryEntry>> GetHistoryAsync(string department, string assetId, CancellationToken cancellationToken);

    /// <summary>Records an invalid input. Idempotent per message id, so a redelivered rejection is stored once.</summary>
    Task RecordRejectionAsync(Rejection rejection, CancellationToken cancellationToken);

    Task<IReadOnlyList<Rejection>> GetRejectionsAsync(string? department, CancellationToken cancellationToken);

    /// <summary>Answers whether storage is reachable, for the health endpoint.</summary>
    Task<bool> IsAvailableAsync(CancellationToken cancellationToken);
}
