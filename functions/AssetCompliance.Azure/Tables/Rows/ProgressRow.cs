using AssetCompliance.Core.State;
using Azure;
using Azure.Data.Tables;

namespace AssetCompliance.Azure.Tables.Rows;

/// <summary>
/// A department's <c>progress|{yyyy-MM}</c> rows, one per month that has any figure: the trend's change dated in the
/// month (<c>Devices</c>, <c>PrcMade</c>, <c>PrcOnSensitiveSites</c>, <c>PrcOnCoreNetworks</c>, <c>OpenItems</c>) and
/// how many of today's open items opened on each of its days (<c>Opened01</c> to <c>Opened31</c>). Moved in the same
/// transaction as the records and the summary row, each with its own ETag as well.
/// </summary>
internal static class ProgressRow
{
    internal static class Names
    {
        public const string Devices = "Devices";
        public const string PrcMade = "PrcMade";
        public const string PrcOnSensitiveSites = "PrcOnSensitiveSites";
        public const string PrcOnCoreNetworks = "PrcOnCoreNetworks";
        public const string OpenItems = "OpenItems";

        /// <summary>The prefix of the open items' day counts: <c>Opened01</c> … <c>Opened31</c>.</summary>
        public const string Opened = "Opened";
    }

    private const string KindValue = "progress";

    private static string OpenedOn(int day) => Names.Opened + day.ToString("D2", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The month's row with these values, replacing the one whose ETag was read, or added when there was none.</summary>
    public static TableTransactionAction Write(string partition, string month, ProgressMonth value, string? etag)
    {
        var entity = new TableEntity(partition, StateKeys.Progress(month))
        {
            [TableRow.Names.Kind] = KindValue,
            [Names.Devices] = value.Change.Devices,
            [Names.PrcMade] = value.Change.PrcMade,
            [Names.PrcOnSensitiveSites] = value.Change.PrcOnSensitiveSites,
            [Names.PrcOnCoreNetworks] = value.Change.PrcOnCoreNetworks,
            [Names.OpenItems] = value.Change.OpenItems,
        };
        for (var day = 1; day <= ProgressMonth.Days; day++) entity[OpenedOn(day)] = value.OpenedByDay[day - 1];
        return etag is not null
            ? new TableTransactionAction(TableTransactionActionType.UpdateReplace, entity, new ETag(etag))
            : new TableTransactionAction(TableTransactionActionType.Add, entity);
    }

    /// <summary>Deletes a month's row (a rebuild that finds nothing in it), whatever its ETag: the summary row's guards the rebuild.</summary>
    public static TableTransactionAction Delete(string partition, string month) =>
        new(TableTransactionActionType.Delete, new TableEntity(partition, StateKeys.Progress(month)), ETag.All);

    public static (string Month, ProgressMonth Value) Read(TableEntity entity)
    {
        long Get(string name) => entity.GetInt64(name) ?? 0;
        var change = new ProgressFigures(Get(Names.Devices), Get(Names.PrcMade), Get(Names.PrcOnSensitiveSites), Get(Names.PrcOnCoreNetworks), Get(Names.OpenItems));
        return (entity.RowKey[StateKeys.ProgressFrom.Length..], new ProgressMonth(change, [.. Enumerable.Range(1, ProgressMonth.Days).Select(d => Get(OpenedOn(d)))]));
    }

    /// <summary>The filter of a department's progress rows.</summary>
    public static string Filter(string partition) => TableRow.KeyRange(partition, StateKeys.ProgressFrom, StateKeys.ProgressTo);

    /// <summary>Whether committing the change moves the department's progress rows.</summary>
    public static bool Moves(AssetChange change) => !MoveOf(change).IsZero;

    /// <summary>
    /// <see cref="ProgressLedger.Of(AssetChange)"/>, worked out once per change: the commit asks for it when it sorts,
    /// packs and builds the transactions, and again after a lost race.
    /// </summary>
    public static ProgressLedger MoveOf(AssetChange change) => MovesByChange.GetValue(change, ProgressLedger.Of);

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<AssetChange, ProgressLedger> MovesByChange = new();
}

/// <summary>A department's progress rows as read or last written, each with the ETag the next write must match.</summary>
internal sealed record ProgressSnapshot(IReadOnlyDictionary<string, (ProgressMonth Value, string ETag)> Months)
{
    public static ProgressSnapshot None { get; } = new(new Dictionary<string, (ProgressMonth, string)>());

    public ProgressLedger Ledger => new(Months.Select(m => KeyValuePair.Create(m.Key, m.Value.Value)));
}
