using AssetCompliance.Azure.Tables.Rows;
using Azure.Data.Tables;

namespace AssetCompliance.Azure.Tables;

/// <summary>
/// The progress rows this instance last read or wrote, with their ETags, per department, for the commit chain (as
/// <see cref="SummaryCache"/> is for the summary row): a stale entry costs one failed transaction and a re-read.
/// </summary>
internal sealed class ProgressCache(TableClient assets) : DepartmentRowCache<ProgressSnapshot>
{
    protected override Task<ProgressSnapshot> ReadStoredAsync(string department, CancellationToken cancellationToken) =>
        ReadAsync(assets, department, cancellationToken);

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
