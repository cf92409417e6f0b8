using System.Text.Json;
using AssetCompliance.Core.State;
using Azure.Data.Tables;

namespace AssetCompliance.Azure.Tables.Rows;

/// <summary>
/// History entries: property <c>H</c> and the entry's number in seven digits, on the record row for entries 1 to
/// <see cref="EntriesPerRow"/> and on history rows <c>history|{assetId}|{n}</c> for the rest. A row's entries are added
/// by merges and never rewritten.
/// </summary>
internal static class HistoryRow
{
    internal static class Names
    {
        /// <summary>The prefix of a history entry's property; seven digits follow.</summary>
        public const string EntryPrefix = "H";
    }

    private const string KindValue = "history";

    /// <summary>
    /// History entries per row. Entries 1 to 100 are properties of the record row itself, so that the usual change
    /// (one event) is one entity operation; entries 101 to 200 go to history row 1, and so on. 100 entries of a few KB
    /// each stay far inside the 1 MB and 252-property limits of an entity, next to the record row's 14 other properties.
    /// </summary>
    internal const int EntriesPerRow = 100;

    /// <summary>Which row holds history entry <paramref name="sequence"/> (1-based): 0 is the record row.</summary>
    public static long RowOf(long sequence) => (sequence - 1) / EntriesPerRow;

    /// <summary>The property holding history entry <paramref name="sequence"/>: 'H' and seven digits, so that ordinal order is the history's.</summary>
    public static string Property(long sequence) => Names.EntryPrefix + sequence.ToString("D7", System.Globalization.CultureInfo.InvariantCulture);

    private static bool IsProperty(string name) =>
        name.Length == 8 && name.StartsWith(Names.EntryPrefix, StringComparison.Ordinal) && name.AsSpan(1).IndexOfAnyExceptInRange('0', '9') < 0;

    /// <summary>The history rows (beyond the record row) that this change's entries go to, with their entries.</summary>
    public static IEnumerable<IGrouping<long, CommandWrite>> RowsOf(AssetChange change) =>
        change.Commands.Where(c => RowOf(c.Sequence) > 0).GroupBy(c => RowOf(c.Sequence));

    /// <summary>
    /// One history row's new entries, by merge: the record's ETag in the same transaction is what guards them against
    /// a concurrent writer.
    /// </summary>
    public static TableTransactionAction Write(string partition, string assetId, IGrouping<long, CommandWrite> row)
    {
        var entity = new TableEntity(partition, StateKeys.HistoryRow(assetId, row.Key)) { [TableRow.Names.Kind] = KindValue, [TableRow.Names.AssetId] = assetId };
        foreach (var command in row)
        {
            entity[Property(command.Sequence)] = JsonSerializer.Serialize(command.History, ComplianceJson.Options);
        }

        return new TableTransactionAction(TableTransactionActionType.UpsertMerge, entity);
    }

    /// <summary>Adds the entries of a record or history row to <paramref name="entries"/>, keyed by property name.</summary>
    public static void Collect(TableEntity entity, SortedList<string, HistoryEntry> entries)
    {
        foreach (var (name, value) in entity)
        {
            if (IsProperty(name) && value is string json)
            {
                entries[name] = JsonSerializer.Deserialize<HistoryEntry>(json, ComplianceJson.Options)!;
            }
        }
    }
}
