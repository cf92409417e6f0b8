using System.Collections.Concurrent;
using AssetCompliance.Azure.Tables.Rows;
using Azure.Data.Tables;

namespace AssetCompliance.Azure.Tables;

/// <summary>
/// The summary rows this instance last read or wrote, with their ETags, per department: the commit chain starts from
/// the cached one (a stale entry costs one failed transaction and a re-read), and the record store consults it to
/// decide whether to read a whole department.
/// </summary>
internal sealed class SummaryCache(TableClient assets)
{
    private readonly ConcurrentDictionary<string, SummarySnapshot> _summaries = new(StringComparer.Ordinal);

    /// <summary>The cached summary, or the stored one (then cached).</summary>
    public async Task<SummarySnapshot> GetAsync(string department, CancellationToken cancellationToken)
    {
        if (_summaries.TryGetValue(department, out var cached))
        {
            return cached;
        }

        return _summaries[department] = await ReadAsync(department, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The cached summary, or the stored one (not cached: the caller caches what it commits).</summary>
    public async Task<SummarySnapshot> GetForCommitAsync(string department, CancellationToken cancellationToken) =>
        _summaries.TryGetValue(department, out var cached) ? cached : await ReadAsync(department, cancellationToken).ConfigureAwait(false);

    /// <summary>Reads the stored summary and caches it: another writer moved it.</summary>
    public async Task<SummarySnapshot> RefreshAsync(string department, CancellationToken cancellationToken) =>
        _summaries[department] = await ReadAsync(department, cancellationToken).ConfigureAwait(false);

    public void Remember(string department, SummarySnapshot summary) => _summaries[department] = summary;

    /// <summary>One point read of the summary row, never cached (the API's reads always go to storage).</summary>
    public async Task<SummarySnapshot> ReadAsync(string department, CancellationToken cancellationToken)
    {
        var response = await assets.GetEntityIfExistsAsync<TableEntity>(department, StateKeys.Summary, cancellationToken: cancellationToken).ConfigureAwait(false);
        return response.HasValue && response.Value is { } entity ? SummaryRow.Read(department, entity) : SummarySnapshot.None;
    }
}
