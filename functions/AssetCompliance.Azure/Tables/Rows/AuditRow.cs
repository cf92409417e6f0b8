using System.Globalization;
using System.Text.Json;
using AssetCompliance.Core.State;
using Azure.Data.Tables;

namespace AssetCompliance.Azure.Tables.Rows;

/// <summary>
/// An audit entry's row in the Assets table's <c>_audit</c> partition (beside <c>_departments</c>, which no department
/// code can equal): row key <c>{At ticks, 19 digits}|{id}</c>, so that key order is time order; the entry as JSON and
/// its department as a column the department-scoped read filters on (empty for an action over every department).
/// </summary>
internal static class AuditRow
{
    internal static class Names
    {
        public const string AuditEntry = "AuditEntry";
        public const string AuditDepartment = "AuditDepartment";
    }

    public const string Partition = "_audit";

    private const string KindValue = "audit";

    public static string Key(DateTimeOffset at, string id) => at.UtcTicks.ToString("D19", CultureInfo.InvariantCulture) + "|" + id;

    public static TableEntity Write(AuditEntry entry) => new(Partition, Key(entry.At, entry.Id))
    {
        [TableRow.Names.Kind] = KindValue,
        [Names.AuditDepartment] = entry.Department ?? "",
        [Names.AuditEntry] = JsonSerializer.Serialize(entry, ComplianceJson.Options),
    };

    /// <summary>The filter of a read: the partition, from <paramref name="since"/>'s key on, and one department's rows when given.</summary>
    public static string Filter(string? department, DateTimeOffset? since)
    {
        // Keys begin with 19 digits, so ':' (the character after '9') bounds them all from above.
        var filter = TableRow.KeyRange(Partition, since is { } s ? Key(s, "") : "", ":");
        return department is null ? filter : filter + TableRow.Filter(" and " + Names.AuditDepartment + " eq {0}", department);
    }

    public static AuditEntry Read(TableEntity entity) => JsonSerializer.Deserialize<AuditEntry>(entity.GetString(Names.AuditEntry), ComplianceJson.Options)!;
}
