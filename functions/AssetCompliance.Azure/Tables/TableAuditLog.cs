using AssetCompliance.Azure.Tables.Rows;
using AssetCompliance.Core.State;
using Azure.Data.Tables;

namespace AssetCompliance.Azure.Tables;

/// <summary>The audit of administrative actions in the Assets table's <c>_audit</c> partition (<see cref="AuditRow"/>).</summary>
public sealed class TableAuditLog(ComplianceTables tables) : IAuditLog
{
    /// <inheritdoc/>
    public async Task RecordAuditAsync(AuditEntry entry, CancellationToken cancellationToken) =>
        await tables.Assets.AddEntityAsync(AuditRow.Write(entry), cancellationToken).ConfigureAwait(false);

    /// <inheritdoc/>
    public async Task<IReadOnlyList<AuditEntry>> GetAuditAsync(string? department, DateTimeOffset? since, CancellationToken cancellationToken)
    {
        var entries = new List<AuditEntry>();
        await foreach (var entity in tables.Assets.QueryAsync<TableEntity>(AuditRow.Filter(department, since), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            entries.Add(AuditRow.Read(entity));
        }

        return entries;
    }
}
