using AssetCompliance.Core.State;

namespace AssetCompliance.Integration.Tests;

/// <summary>Fault injection at the store port: the Nth commit fails as a storage outage would.</summary>
internal sealed class FaultyStore(IComplianceStore inner, int failOnCommit) : IComplianceStore
{
    private int _commits;

    public Task<CommitReport> CommitAsync(string department, IReadOnlyList<AssetChange> changes, CancellationToken cancellationToken) =>
        Interlocked.Increment(ref _commits) == failOnCommit
            ? throw new IOException("injected storage failure")
            : inner.CommitAsync(department, changes, cancellationToken);

    public Task<StoredRecord?> GetRecordAsync(string department, string assetId, CancellationToken cancellationToken) => inner.GetRecordAsync(department, assetId, cancellationToken);
    public Task<IReadOnlyDictionary<string, StoredRecord>> GetRecordsAsync(string department, IReadOnlyCollection<string> assetIds, CancellationToken cancellationToken) => inner.GetRecordsAsync(department, assetIds, cancellationToken);
    public Task<IReadOnlyList<HistoryEntry>> GetHistoryAsync(string department, string assetId, CancellationToken cancellationToken) => inner.GetHistoryAsync(department, assetId, cancellationToken);
    public Task<DepartmentSummary> GetSummaryAsync(string department, CancellationToken cancellationToken) => inner.GetSummaryAsync(department, cancellationToken);
    public Task<IReadOnlyList<string>> GetDepartmentsAsync(CancellationToken cancellationToken) => inner.GetDepartmentsAsync(cancellationToken);
    public IAsyncEnumerable<StoredRecord> FindRecordsAsync(string department, RecordFilter filter, CancellationToken cancellationToken) => inner.FindRecordsAsync(department, filter, cancellationToken);
    public Task<IReadOnlyList<Alert>> GetOutboxAsync(string department, CancellationToken cancellationToken) => inner.GetOutboxAsync(department, cancellationToken);
    public Task RecordRejectionAsync(Rejection rejection, CancellationToken cancellationToken) => inner.RecordRejectionAsync(rejection, cancellationToken);
    public Task<IReadOnlyList<Rejection>> GetRejectionsAsync(string? department, CancellationToken cancellationToken) => inner.GetRejectionsAsync(department, cancellationToken);
    public Task<bool> IsAvailableAsync(CancellationToken cancellationToken) => inner.IsAvailableAsync(cancellationToken);
}
