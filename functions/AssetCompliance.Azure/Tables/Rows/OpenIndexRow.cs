using AssetCompliance.Core.Policy;
using AssetCompliance.Core.State;
using Azure;
using Azure.Data.Tables;

namespace AssetCompliance.Azure.Tables.Rows;

/// <summary>
/// The index of open NonCompliant devices, <c>open|{statusSince ticks}|{assetId}</c>, oldest first: added and deleted
/// with the record, read only to find the next oldest when a commit removes the current one.
/// </summary>
internal static class OpenIndexRow
{
    internal static class Names
    {
        public const string Since = "Since";
    }

    /// <summary>The index row to delete and the one to add, if the change moves the record in or out of the index.</summary>
    public static (string? Remove, ComplianceRecord? Add) Change(AssetChange change)
    {
        if (change.After is null)
        {
            return (null, null);
        }

        var before = change.Before?.Record is { Status: ComplianceStatus.NonCompliant } b ? StateKeys.Open(b.StatusSince, b.AssetId) : null;
        var after = change.After is { Status: ComplianceStatus.NonCompliant } a ? StateKeys.Open(a.StatusSince, a.AssetId) : null;
        return before == after ? (null, null) : (before, after is null ? null : change.After);
    }

    public static TableTransactionAction Delete(string partition, string rowKey) =>
        new(TableTransactionActionType.Delete, new TableEntity(partition, rowKey), ETag.All);

    public static TableTransactionAction Add(string partition, ComplianceRecord record) =>
        new(TableTransactionActionType.Add, new TableEntity(partition, StateKeys.Open(record.StatusSince, record.AssetId))
        {
            [TableRow.Names.AssetId] = record.AssetId,
            [Names.Since] = record.StatusSince,
            [TableRow.Names.Severity] = record.Severity?.ToString(),
        });

    public static OpenItem Read(string department, TableEntity entity) =>
        new(department, entity.GetString(TableRow.Names.AssetId), entity.GetDateTimeOffset(Names.Since) ?? default,
            Enum.TryParse<Severity>(entity.GetString(TableRow.Names.Severity), out var severity) ? severity : null);
}
