using AssetCompliance.Azure.Tables.Rows;
using Azure.Data.Tables;

namespace AssetCompliance.Azure.Tables;

/// <summary>
/// The summary rows this instance last read or wrote, with their ETags, per department: the commit chain starts from
/// the cached one (a stale entry costs one failed transaction and a re-read), and the record store consults it to
/// decide whether to read a whole department.
/// </summary>
internal sealed class SummaryCache(TableClient assets) : DepartmentRowCache<SummarySnapshot>
{
    /// <summary>The cached summary, or the stored one (then cached).</summary>
    public async Task<SummarySnapshot> GetAsync(string department, CancellationToken cancellationToken)
    {
        if (TryGetCached(department, out var cached))
        {
            return cached;
        }

        var stored = await ReadAsync(department, cancellationToken).ConfigureAwait(false);
        Remember(department, stored);
        return stored;
    }

    protected override Task<SummarySnapshot> ReadStoredAsync(string department, CancellationToken cancellationToken) => ReadAsync(department, cancellationToken);

    /// <summary>One point read of the summary row, never cached (the API's reads always go to storage).</summary>
    public async Task<SummarySnapshot> ReadAsync(string department, CancellationToken cancellationToken)
    {
        var response = await assets.GetEntityIfExistsAsync<TableEntity>(department, StateKeys.Summary, cancellationToken: cancellationToken).ConfigureAwait(false);
        return response.HasValue && response.Value is { } entity ? SummaryRow.Read(department, entity) : SummarySnapshot.None;
    }
}
