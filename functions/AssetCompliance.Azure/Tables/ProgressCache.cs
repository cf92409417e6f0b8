using System.Collections.Concurrent;
using AssetCompliance.Azure.Tables.Rows;
using Azure.Data.Tables;

namespace AssetCompliance.Azure.Tables;

/// <summary>
/// The progress rows this instance last read or wrote, with their ETags, per department, for the commit chain (as
/// <see cref="SummaryCache"/> is for the summary row): a stale entry costs one failed transaction and a re-read.
/// </summary>
internal sealed class ProgressCache(TableClient assets)
{
    private readonly ConcurrentDictionary<string, ProgressSnapshot> _snapshots = new(StringComparer.Ordinal);

    /// <summary>The cached rows, or the stored ones.</summary>
    public async Task<ProgressSnapshot> GetForCommitAsync(string department, CancellationToken cancellationToken) =>
        _snapshots.TryGetValue(department, out var cached) ? cached : await ReadAsync(assets, department, cancellationToken).ConfigureAwait(false);

    /// <summary>Reads the stored rows and caches them: another writer moved them.</summary>
    public async Task<ProgressSnapshot> RefreshAsync(string department, CancellationToken cancellationToken) =>
        _snapshots[department] = await ReadAsync(assets, department, cancellationToken).ConfigureAwait(false);

    public void Remember(string department, ProgressSnapshot snapshot) => _snapshots[department] = snapshot;

    /// <summary>One range query over the department's progress rows (a few dozen: one per month), never cached.</summary>
    public static async Task<ProgressSnapshot> ReadAsync(TableClient assets, string department, CancellationToken cancellationToken)
    {
        var months = new Dictionary<string, (Core.State.ProgressMonth, string)>(StringComparer.Ordinal);
        await foreach (var entity in assets.QueryAsync<TableEntity>(ProgressRow.Filter(department), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            var (month, value) = ProgressRow.Read(entity);
            months[month] = (value, entity.ETag.ToString());
        }

        return new ProgressSnapshot(months);
    }
}
