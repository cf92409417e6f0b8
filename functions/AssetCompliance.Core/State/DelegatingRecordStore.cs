namespace AssetCompliance.Core.State;

/// <summary>
/// Passes every call to another record store. A base for decorators (fault injection in tests, timing in benchmarks)
/// that override only the calls they care about.
/// </summary>
public abstract class DelegatingRecordStore(IRecordStore inner) : IRecordStore
{
    public virtual Task<StoredRecord?> GetRecordAsync(string department, string assetId, CancellationToken cancellationToken) => inner.GetRecordAsync(department, assetId, cancellationToken);
    public virtual Task<IReadOnlyDictionary<string, StoredRecord>> GetRecordsAsync(string department, IReadOnlyCollection<string> assetIds, CancellationToken cancellationToken) => inner.GetRecordsAsync(department, assetIds, cancellationToken);
    public virtual Task<CommitReport> CommitAsync(string department, IReadOnlyList<AssetChange> changes, CancellationToken cancellationToken) => inner.CommitAsync(department, changes, cancellationToken);
    public virtual Task<IReadOnlyList<HistoryEntry>> GetHistoryAsync(string department, string assetId, CancellationToken cancellationToken) => inner.GetHistoryAsync(department, assetId, cancellationToken);
    public virtual Task<DepartmentSummary> GetSummaryAsync(string department, CancellationToken cancellationToken) => inner.GetSummaryAsync(department, cancellationToken);
    public virtual Task<IReadOnlyList<string>> GetDepartmentsAsync(CancellationToken cancellationToken) => inner.GetDepartmentsAsync(cancellationToken);
    public virtual IAsyncEnumerable<StoredRecord> FindRecordsAsync(string department, RecordFilter filter, CancellationToken cancellationToken) => inner.FindRecordsAsync(department, filter, cancellationToken);
    public virtual Task<RecordPage> QueryRecordsAsync(string department, AssetQuery query, int top, string? continuation, CancellationToken cancellationToken) => inner.QueryRecordsAsync(department, query, top, continuation, cancellationToken);
    public virtual Task<StorageProbe> ProbeAsync(CancellationToken cancellationToken) => inner.ProbeAsync(cancellationToken);
}
