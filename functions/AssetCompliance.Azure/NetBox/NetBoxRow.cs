using System.Text.Json;
using AssetCompliance.Azure.Tables.Rows;
using AssetCompliance.Core.NetBox;
using Azure.Data.Tables;

namespace AssetCompliance.Azure.NetBox;

/// <summary>A NetBox object's row in <c>{prefix}NetBox</c> (<see cref="TableNetBoxMemory"/>): what its webhooks last applied.</summary>
internal static class NetBoxRow
{
    /// <summary>The row's property names (the asset id is <see cref="TableRow.Names.AssetId"/>).</summary>
    internal static class Names
    {
        public const string VersionTicks = "VersionTicks";
        public const string Deleted = "Deleted";
        public const string RequestId = "RequestId";
        public const string Action = "Action";
        public const string Cells = "Cells";
        public const string LastRevision = "LastRevision";
        public const string Macs = "Macs";
        public const string DeviceId = "DeviceId";
        public const string Mac = "Mac";
    }

    // A register cell is read only to 256 characters; longer text is kept long enough to be known as too long.
    private const int MaxStoredCell = 1024;

    public static TableEntity Write(string department, NetBoxObjectState row) => new(department, row.Key)
    {
        [Names.VersionTicks] = row.VersionTicks,
        [Names.Deleted] = row.Deleted,
        [Names.RequestId] = row.RequestId,
        [Names.Action] = row.Action?.ToString(),
        [TableRow.Names.AssetId] = row.AssetId,
        [Names.Cells] = row.Cells is null ? null : JsonSerializer.Serialize(row.Cells.Select(c => c.Length <= MaxStoredCell ? c : c[..MaxStoredCell])),
        [Names.LastRevision] = row.LastRevision,
        [Names.Macs] = JsonSerializer.Serialize(row.Macs),
        [Names.DeviceId] = row.DeviceId,
        [Names.Mac] = row.Mac,
    };

    public static NetBoxObjectState Read(TableEntity entity) => new()
    {
        Key = entity.RowKey,
        VersionTicks = entity.GetInt64(Names.VersionTicks) ?? 0,
        Deleted = entity.GetBoolean(Names.Deleted) ?? false,
        RequestId = entity.GetString(Names.RequestId),
        Action = Enum.TryParse<NetBoxAction>(entity.GetString(Names.Action), out var action) ? action : null,
        AssetId = entity.GetString(TableRow.Names.AssetId),
        Cells = entity.GetString(Names.Cells) is { } cells ? JsonSerializer.Deserialize<string[]>(cells) : null,
        LastRevision = entity.GetInt64(Names.LastRevision) ?? 0,
        Macs = entity.GetString(Names.Macs) is { } macs ? JsonSerializer.Deserialize<Dictionary<string, string>>(macs) ?? [] : [],
        DeviceId = entity.GetInt64(Names.DeviceId),
        Mac = entity.GetString(Names.Mac),
        ETag = entity.ETag.ToString(),
    };
}
