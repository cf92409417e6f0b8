using AssetCompliance.Core.Alerting;

namespace AssetCompliance.Azure.Tables;

/// <summary>Row keys in a department's partition. Asset ids cannot contain '|', so no key can reach another kind.</summary>
internal static class StateKeys
{
    /// <summary>Lists every department that has state, so that cross-department views read a list, not the table.</summary>
    public const string DepartmentsPartition = "_departments";

    public const string Summary = "summary";

    /// <summary>When the department's alerts were last claimed for posting (<see cref="DispatchMark"/>).</summary>
    public const string Dispatch = "dispatch";
    public const string RecordFrom = "asset|";
    public const string RecordTo = "asset}";
    public const string OpenFrom = "open|";
    public const string OpenTo = "open}";
    public const string OutboxFrom = "outbox|";
    public const string OutboxTo = "outbox}";

    public static string Record(string assetId) => $"asset|{assetId}";

    /// <summary>Open NonCompliant devices sorted by how long they have been so: the first row is the oldest.</summary>
    public static string Open(DateTimeOffset since, string assetId) => $"open|{since.UtcTicks:D19}|{assetId}";

    /// <summary>Outbox rows (alerts not yet delivered everywhere) in the order their transitions happened.</summary>
    public static string Outbox(DateTimeOffset occurredAt, string alertId) => $"outbox|{occurredAt.UtcTicks:D19}|{alertId}";

    /// <summary>The first outbox key at or after <paramref name="time"/>.</summary>
    public static string OutboxAt(DateTimeOffset time) => $"outbox|{time.UtcTicks:D19}|";

    public const string DeliveredFrom = "sent|";
    public const string DeliveredTo = "sent}";

    /// <summary>Delivered alerts, moved out of the outbox range, in the order their transitions happened.</summary>
    public static string Delivered(DateTimeOffset occurredAt, string alertId) => $"sent|{occurredAt.UtcTicks:D19}|{alertId}";

    /// <summary>The first delivered key at or after <paramref name="time"/>: everything below it happened earlier.</summary>
    public static string DeliveredAt(DateTimeOffset time) => $"sent|{time.UtcTicks:D19}|";

    public const string ProgressFrom = "progress|";
    public const string ProgressTo = "progress}";

    /// <summary>The department's progress row of one month (<c>yyyy-MM</c>), in month order.</summary>
    public static string Progress(string month) => $"progress|{month}";

    /// <summary>One asset's history row <paramref name="row"/> (1 and up; the first 100 entries live on the record row).</summary>
    public static string HistoryRow(string assetId, long row) => $"history|{assetId}|{row:D9}";

    /// <summary>All of one asset's history rows: asset ids hold no '|', and '~' sorts after every digit, so the range is exact.</summary>
    public static (string From, string To) HistoryRows(string assetId) => ($"history|{assetId}|", $"history|{assetId}|~");
}
