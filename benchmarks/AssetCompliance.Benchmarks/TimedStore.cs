using System.Diagnostics;
using AssetCompliance.Core.State;

namespace AssetCompliance.Benchmarks;

/// <summary>Measures where the processor waits on storage (reads of records versus commits), for the benchmark report.</summary>
internal sealed class TimedStore(IComplianceStore inner) : IComplianceStore
{
    private long _readTicks;
    private long _commitTicks;

    public TimeSpan ReadTime => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _readTicks));
    public TimeSpan CommitTime => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _commitTicks));

    public async Task<IReadOnlyDictionary<string, StoredRecord>> GetRecordsAsync(string department, IReadOnlyCollection<string> assetIds, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        try { return await inner.GetRecordsAsync(department, assetIds, cancellationToken); }
        finally { Interlocked.Add(ref _readTicks, Stopwatch.GetTimestamp() - start); }
    }

    public async Task<CommitReport> CommitAsync(string department, IReadOnlyList<AssetChange> changes, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        try { return await inner.CommitAsync(department, changes, cancellationToken); }
        finally { Interlocked.Add(ref _commitTicks, Stopwatch.GetTimestamp() - start); }
    }

    public Task<StoredRecord?> GetRecordAsync(string department, string assetId, CancellationToken cancellationToken) => inner.GetRecordAsync(department, assetId, cancellationToken);
    public Task<IReadOnlyList<HistoryEntry>> GetHistoryAsync(string department, string assetId, CancellationToken cancellationToken) => inner.GetHistoryAsync(department, assetId, cancellationToken);
    public Task<DepartmentSummary> GetSummaryAsync(string department, CancellationToken cancellationToken) => inner.GetSummaryAsync(department, cancellationToken);
    public Task<IReadOnlyList<string>> GetDepartmentsAsync(CancellationToken cancellationToken) => inner.GetDepartmentsAsync(cancellationToken);
    public IAsyncEnumerable<StoredRecord> FindRecordsAsync(string department, RecordFilter filter, CancellationToken cancellationToken) => inner.FindRecordsAsync(department, filter, cancellationToken);
    public Task<IReadOnlyList<Alert>> GetOutboxAsync(string department, CancellationToken cancellationToken) => inner.GetOutboxAsync(department, cancellationToken);
    public Task RecordRejectionAsync(Rejection rejection, CancellationToken cancellationToken) => inner.RecordRejectionAsync(rejection, cancellationToken);
    public Task<IReadOnlyList<Rejection>> GetRejectionsAsync(string? department, CancellationToken cancellationToken) => inner.GetRejectionsAsync(department, cancellationToken);
    public Task<bool> IsAvailableAsync(CancellationToken cancellationToken) => inner.IsAvailableAsync(cancellationToken);
}
