using System.Collections.Concurrent;

namespace AssetCompliance.Azure.Tables;

/// <summary>
/// Rows of one kind this instance last read or wrote, with their ETags, per department, for the commit chain: a commit
/// starts from the cached snapshot, and a stale one costs one failed transaction and a re-read
/// (<see cref="SummaryCache"/>, <see cref="ProgressCache"/>).
/// </summary>
/// <typeparam name="TSnapshot">The rows as read, with their ETags.</typeparam>
internal abstract class DepartmentRowCache<TSnapshot>
{
    private readonly ConcurrentDictionary<string, TSnapshot> _snapshots = new(StringComparer.Ordinal);

    /// <summary>The stored rows, read now, never from the cache.</summary>
    protected abstract Task<TSnapshot> ReadStoredAsync(string department, CancellationToken cancellationToken);

    /// <summary>The cached rows, or the stored ones (not cached: the caller caches what it commits).</summary>
    public async Task<TSnapshot> GetForCommitAsync(string department, CancellationToken cancellationToken) =>
        _snapshots.TryGetValue(department, out var cached) ? cached : await ReadStoredAsync(department, cancellationToken).ConfigureAwait(false);

    /// <summary>Reads the stored rows and caches them: another writer moved them.</summary>
    public async Task<TSnapshot> RefreshAsync(string department, CancellationToken cancellationToken) =>
        _snapshots[department] = await ReadStoredAsync(department, cancellationToken).ConfigureAwait(false);

    /// <summary>Caches what a commit wrote.</summary>
    public void Remember(string department, TSnapshot snapshot) => _snapshots[department] = snapshot;

    /// <summary>The cached rows, if any.</summary>
    protected bool TryGetCached(string department, out TSnapshot snapshot) => _snapshots.TryGetValue(department, out snapshot!);
}
