namespace AssetCompliance.Core.State;

/// <summary>
/// Port to the compliance records: each device's record with its history, the department summaries, the list
/// queries and the sweeps' scans, and the health probe of the storage behind them. Implementations must make each
/// <see cref="AssetChange"/> atomic with the summary and with the alerts it raises (which the alert outbox then
/// delivers), and must throw on infrastructure failure, so that the message is redelivered rather than lost.
/// </summary>
public interface IRecordStore
{
    Task<StoredRecord?> GetRecordAsync(string department, string assetId, CancellationToken cancellationToken);

    /// <summary>Reads the records of these assets (those that exist) in one department.</summary>
    Task<IReadOnlyDictionary<string, StoredRecord>> GetRecordsAsync(string department, IReadOnlyCollection<string> assetIds, CancellationToken cancellationToken);

    /// <summary>
    /// Commits changes of one department in as few transactions as the 100-entity limit allows. Each change's record,
    /// history, open-index move, alerts (<see cref="AssetChange.Alerts"/>, for the outbox) and summary move are one
    /// transaction: all stored or none.
    /// </summary>
    Task<CommitReport> CommitAsync(string department, IReadOnlyList<AssetChange> changes, CancellationToken cancellationToken);

    Task<IReadOnlyList<HistoryEntry>> GetHistoryAsync(string department, string assetId, CancellationToken cancellationToken);

    /// <summary>The department's maintained counts and its oldest open NonCompliant device; no scan.</summary>
    Task<DepartmentSummary> GetSummaryAsync(string department, CancellationToken cancellationToken);

    /// <summary>Every department that has ever committed a change.</summary>
    Task<IReadOnlyList<string>> GetDepartmentsAsync(CancellationToken cancellationToken);

    /// <summary>One page of a department's records matching the query, in asset order.</summary>
    Task<RecordPage> QueryRecordsAsync(string department, AssetQuery query, int top, string? continuation, CancellationToken cancellationToken);

    /// <summary>Streams a department's records that match a sweep's filter, in asset order.</summary>
    IAsyncEnumerable<StoredRecord> FindRecordsAsync(string department, RecordFilter filter, CancellationToken cancellationToken);

    /// <summary>
    /// Answers whether storage is reachable, for the health endpoint: one bounded attempt that never throws for an
    /// outage (only for the caller's cancellation), so that health can say "unavailable" quickly instead of failing.
    /// </summary>
    Task<StorageProbe> ProbeAsync(CancellationToken cancellationToken);
}
