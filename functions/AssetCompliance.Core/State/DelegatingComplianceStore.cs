namespace AssetCompliance.Core.State;

/// <summary>
/// Passes every call to another store. A base for decorators (fault injection in tests, timing in benchmarks) that
/// override only the calls they care about.
/// </summary>
public abstract class DelegatingComplianceStore(IComplianceStore inner) : IComplianceStore
{
    public virtual Task<StoredRecord?> GetRecordAsync(string department, string assetId, CancellationToken cancellationToken) => inner.GetRecordAsync(department, assetId, cancellationToken);
    public virtual Task<IReadOnlyDictionary<string, StoredRecord>> GetRecordsAsync(string department, IReadOnlyCollection<string> assetIds, CancellationToken cancellationToken) => inner.GetRecordsAsync(department, assetIds, cancellationToken);
    public virtual Task<CommitReport> CommitAsync(string department, IReadOnlyList<AssetChange> changes, CancellationToken cancellationToken) => inner.CommitAsync(department, changes, cancellationToken);
    public virtual Task<IReadOnlyList<HistoryEntry>> GetHistoryAsync(string department, string assetId, CancellationToken cancellationToken) => inner.GetHistoryAsync(department, assetId, cancellationToken);
    public virtual Task<DepartmentSummary> GetSummaryAsync(string department, CancellationToken cancellationToken) => inner.GetSummaryAsync(department, cancellationToken);
    public virtual Task<IReadOnlyList<string>> GetDepartmentsAsync(CancellationToken cancellationToken) => inner.GetDepartmentsAsync(cancellationToken);
    public virtual IAsyncEnumerable<StoredRecord> FindRecordsAsync(string department, RecordFilter filter, CancellationToken cancellationToken) => inner.FindRecordsAsync(department, filter, cancellationToken);
    public virtual Task<RecordPage> QueryRecordsAsync(string department, AssetQuery query, int top, string? continuation, CancellationToken cancellationToken) => inner.QueryRecordsAsync(department, query, top, continuation, cancellationToken);
    public Task<IReadOnlyList<Alerting.OutboxEntry>> GetOutboxEntriesAsync(string department, IReadOnlyCollection<Alerting.OutboxState> states, CancellationToken cancellationToken) => GetOutboxEntriesAsync(department, states, since: null, cancellationToken);
    public virtual Task<IReadOnlyList<Alerting.OutboxEntry>> GetOutboxEntriesAsync(string department, IReadOnlyCollection<Alerting.OutboxState> states, DateTimeOffset? since, CancellationToken cancellationToken) => inner.GetOutboxEntriesAsync(department, states, since, cancellationToken);
    public virtual Task<Alerting.DispatchMark> GetDispatchMarkAsync(string department, CancellationToken cancellationToken) => inner.GetDispatchMarkAsync(department, cancellationToken);
    public virtual Task<IReadOnlyList<Alerting.OutboxEntry>?> ClaimOutboxAsync(string department, IReadOnlyList<Alerting.OutboxEntry> entries, DateTimeOffset leaseUntil, Alerting.DispatchMark? mark, CancellationToken cancellationToken) => inner.ClaimOutboxAsync(department, entries, leaseUntil, mark, cancellationToken);
    public virtual Task<bool> RestoreDispatchMarkAsync(string department, DateTimeOffset claimedAt, DateTimeOffset? previous, CancellationToken cancellationToken) => inner.RestoreDispatchMarkAsync(department, claimedAt, previous, cancellationToken);
    public virtual Task<bool> SettleOutboxAsync(string department, Alerting.OutboxEntry entry, CancellationToken cancellationToken) => inner.SettleOutboxAsync(department, entry, cancellationToken);
    public virtual Task<int> PruneDeliveredAlertsAsync(string department, DateTimeOffset before, CancellationToken cancellationToken) => inner.PruneDeliveredAlertsAsync(department, before, cancellationToken);
    public virtual Task RecordRejectionAsync(Rejection rejection, CancellationToken cancellationToken) => inner.RecordRejectionAsync(rejection, cancellationToken);
    public virtual Task<IReadOnlyList<Rejection>> GetRejectionsAsync(string? department, CancellationToken cancellationToken) => inner.GetRejectionsAsync(department, cancellationToken);
    public virtual Task<StorageProbe> ProbeAsync(CancellationToken cancellationToken) => inner.ProbeAsync(cancellationToken);
}
