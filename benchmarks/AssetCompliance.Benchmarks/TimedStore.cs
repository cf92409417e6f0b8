using System.Diagnostics;
using AssetCompliance.Core.State;

namespace AssetCompliance.Benchmarks;

/// <summary>Measures where the processor waits on storage (reads of records versus commits), for the benchmark report.</summary>
internal sealed class TimedStore(IRecordStore inner) : DelegatingRecordStore(inner)
{
    private long _readTicks;
    private long _commitTicks;
    private long _findTicks;

    public TimeSpan ReadTime => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _readTicks));
    public TimeSpan CommitTime => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _commitTicks));

    /// <summary>Time spent waiting for the next record of a sweep's scan (the query pages and their decoding).</summary>
    public TimeSpan FindTime => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _findTicks));

    public override async IAsyncEnumerable<StoredRecord> FindRecordsAsync(string department, RecordFilter filter, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var records = base.FindRecordsAsync(department, filter, cancellationToken).GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            var start = Stopwatch.GetTimestamp();
            bool more;
            try { more = await records.MoveNextAsync(); }
            finally { Interlocked.Add(ref _findTicks, Stopwatch.GetTimestamp() - start); }
            if (!more) yield break;
            yield return records.Current;
        }
    }

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
