using System.Text.Json;
using AssetCompliance.Core.Alerting;
using AssetCompliance.Core.State;
using Azure;
using Azure.Data.Tables;

namespace AssetCompliance.Azure.Tables.Rows;

/// <summary>
/// An alert's row: <c>outbox|{occurredAt ticks}|{alertId}</c> while it is not delivered everywhere (pending, sending or
/// failed), then <c>sent|…</c> with its delivery record. Both carry the alert (compressed JSON, as a record row carries
/// its record: an alert holds the record, and a full observation's evidence made the text larger than a property
/// takes, which failed the commit of its whole batch) and its delivery state.
/// </summary>
internal static class OutboxRow
{
    internal static class Names
    {
        public const string AlertKind = "AlertKind";
        public const string Alert = "Alert";

        /// <summary>The alert as gzip-compressed JSON (<see cref="CompressedJson"/>); rows written before it hold the text property named by the constant above.</summary>
        public const string AlertGz = "AlertGz";
        public const string State = "State";
        public const string Attempts = "Attempts";
        public const string NotBefore = "NotBefore";
        public const string DeliveredTo = "DeliveredTo";
        public const string LastError = "LastError";
        public const string LeaseUntil = "LeaseUntil";
    }

    private const string KindValue = "alert";

    private static readonly string[] StateValues = [.. Enum.GetValues<OutboxState>().Select(s => s.ToString().ToLowerInvariant())];

    /// <summary>How a state is stored: its name in lower case (<c>pending</c>, <c>sending</c>, <c>sent</c>, <c>failed</c>).</summary>
    public static string StateValue(OutboxState state) => StateValues[(int)state];

    /// <summary>A new alert's pending row, added in the transaction of the change that raised it.</summary>
    public static TableTransactionAction Add(string partition, Alert alert) =>
        new(TableTransactionActionType.Add, new TableEntity(partition, StateKeys.Outbox(alert.OccurredAt, alert.Id))
        {
            [TableRow.Names.Kind] = KindValue,
            [TableRow.Names.AssetId] = alert.AssetId,
            [Names.AlertKind] = alert.Kind.ToString(),
            [Names.State] = StateValue(OutboxState.Pending),
            [Names.AlertGz] = CompressedJson.Write(alert),
        });

    /// <summary>A claim of the row until <paramref name="leaseUntil"/>: a merge guarded by the row's ETag.</summary>
    public static TableTransactionAction Claim(string partition, OutboxEntry entry, DateTimeOffset leaseUntil) =>
        new(TableTransactionActionType.UpdateMerge,
            new TableEntity(partition, StateKeys.Outbox(entry.Alert.OccurredAt, entry.Alert.Id))
            {
                [Names.State] = StateValue(OutboxState.Sending),
                [Names.LeaseUntil] = leaseUntil,
            },
            new ETag(entry.ETag));

    /// <summary>A row's delivery outcome as properties, the lease cleared (null).</summary>
    private static IEnumerable<KeyValuePair<string, object?>> Outcome(OutboxEntry entry) =>
    [
        new(Names.State, StateValue(entry.State)),
        new(Names.Attempts, entry.Attempts),
        new(Names.NotBefore, entry.NotBefore),
        new(Names.DeliveredTo, string.Join(',', entry.DeliveredTo.Order(StringComparer.Ordinal))),
        new(Names.LastError, entry.LastError),
        new(Names.LeaseUntil, null),
    ];

    /// <summary>The outcome of a row still in the outbox, to merge over it.</summary>
    public static TableEntity Settled(string partition, OutboxEntry entry)
    {
        var entity = new TableEntity(partition, StateKeys.Outbox(entry.Alert.OccurredAt, entry.Alert.Id));
        foreach (var (name, value) in Outcome(entry))
        {
            entity[name] = value;
        }

        return entity;
    }

    /// <summary>A delivered alert's row in the delivered log: the alert and the outcome's values that are set.</summary>
    public static TableEntity Delivered(string partition, OutboxEntry entry)
    {
        var entity = new TableEntity(partition, StateKeys.Delivered(entry.Alert.OccurredAt, entry.Alert.Id))
        {
            [TableRow.Names.Kind] = KindValue,
            [TableRow.Names.AssetId] = entry.Alert.AssetId,
            [Names.AlertKind] = entry.Alert.Kind.ToString(),
            [Names.AlertGz] = CompressedJson.Write(entry.Alert),
        };
        foreach (var (name, value) in Outcome(entry).Where(p => p.Value is not null))
        {
            entity[name] = value;
        }

        return entity;
    }

    public static OutboxEntry Read(TableEntity entity) => new(
        entity.GetBinary(Names.AlertGz) is { } compressed
            ? CompressedJson.Read<Alert>(compressed, $"{entity.PartitionKey}/{entity.RowKey}")
            : JsonSerializer.Deserialize<Alert>(entity.GetString(Names.Alert), ComplianceJson.Options)!,
        entity.ETag.ToString(),
        Enum.TryParse<OutboxState>(entity.GetString(Names.State), ignoreCase: true, out var state) ? state : OutboxState.Pending,
        entity.GetInt32(Names.Attempts) ?? 0,
        entity.GetDateTimeOffset(Names.NotBefore),
        (entity.GetString(Names.DeliveredTo) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal),
        entity.GetString(Names.LastError),
        entity.GetDateTimeOffset(Names.LeaseUntil));

    /// <summary>Only the rows in these states (a subset of pending, sending and failed), after a key range of the outbox.</summary>
    public static string InStates(IEnumerable<OutboxState> states) => TableRow.AnyOf(Names.State, states.Select(StateValue));
}
