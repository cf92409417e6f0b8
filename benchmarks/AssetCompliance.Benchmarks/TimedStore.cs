using System.Diagnostics;
using AssetCompliance.Core.State;

namespace AssetCompliance.Benchmarks;

/// <summary>Measures where the processor waits on storage (reads of records versus commits), for the benchmark report.</summary>
internal sealed class TimedStore(IComplianceStore inner) : DelegatingComplianceStore(inner)
{
    private long _readTicks;
    private long _commitTicks;

    public TimeSpan ReadTime => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _readTicks));
    public TimeSpan CommitTime => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _commitTicks));

    public override async Task<IReadOnlyDictionary<string, StoredRecord>> GetRecordsAsync(string department, IReadOnlyCollection<string> assetIds, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        try { return await base.GetRecordsAsync(department, assetIds, cancellationToken); }
        finally { Interlocked.Add(ref _readTicks, Stopwatch.GetTimestamp() - start); }
    }

    public override async Task<CommitReport> CommitAsync(string department, IReadOnlyList<AssetChange> changes, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        try { return await base.CommitAsync(department, changes, cancellationToken); }
        finally { Interlocked.Add(ref _commitTicks, Stopwatch.GetTimestamp() - start); }
    }
}
