using System.Buffers.Binary;
using System.Text.Json;
using AssetCompliance.Core.Events;
using AssetCompliance.Core.Observations;
using AssetCompliance.Core.Policy;
using AssetCompliance.Core.State;
using Azure;
using Azure.Data.Tables;

namespace AssetCompliance.Azure.Tables.Rows;

/// <summary>
/// The record row <c>asset|{assetId}</c>: the record (compressed), the columns the list filters and sweeps query, the
/// history count with the fingerprints of every command applied, and the first <see cref="HistoryRow.EntriesPerRow"/>
/// history entries (<see cref="HistoryRow"/> names them).
/// </summary>
internal static class RecordRow
{
    /// <summary>The record row's own property names (with <see cref="TableRow.Names"/>' kind, asset id, status and severity).</summary>
    internal static class Names
    {
        public const string RecordGz = "RecordGz";
        public const string Commands = "Commands";
        public const string VendorKey = "VendorKey";
        public const string DeviceType = "DeviceType";
        public const string SiteId = "SiteId";
        public const string EvaluatedAt = "EvaluatedAt";
        public const string CatalogueVersion = "CatalogueVersion";
        public const string PolicyVersion = "PolicyVersion";
        public const string ExemptUntil = "ExemptUntil";

        /// <summary>When a binding, unmarked remediation plan becomes overdue (<see cref="RemediationPlan.OverdueFrom"/>); <see cref="NoExemption"/>'s far date otherwise.</summary>
        public const string PlanOverdueFrom = "PlanOverdueFrom";

        /// <summary>Whether the record's remediation plan is marked overdue and open.</summary>
        public const string PlanOverdue = "PlanOverdue";
        public const string MacAddress = "MacAddress";
        public const string SerialNumber = "SerialNumber";
        public const string ObservedOutcome = "ObservedOutcome";
        public const string LastSeenAt = "LastSeenAt";

        /// <summary>A registered record's asset id as host names are compared with it (<see cref="HostNames.Key"/>); empty for a record only observations made.</summary>
        public const string HostKey = "HostKey";

        /// <summary>The first IP address of the record's latest observation (as .NET writes it); empty without one.</summary>
        public const string ObservedIp = "ObservedIp";
    }

    private const string KindValue = "asset";

    /// <summary>The columns a record read needs; the history entries on the same row are left on the server.</summary>
    public static readonly string[] ReadColumns = [Names.RecordGz, Names.Commands, Names.LastSeenAt, Names.HostKey];

    /// <summary>
    /// The columns issue 18 added: a row written before has none of them until a write sends them all. HostKey and
    /// ObservedIp came last: a row without HostKey (<see cref="Read"/>) is sent them all again too.
    /// </summary>
    private static readonly string[] ObservationColumns = [Names.MacAddress, Names.SerialNumber, Names.ObservedOutcome, Names.LastSeenAt, Names.HostKey, Names.ObservedIp];

    /// <summary>ExemptUntil of a record without an exemption: later than any expiry query asks about.</summary>
    private static readonly DateTimeOffset NoExemption = new(9999, 12, 31, 0, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// The record row of a change, for a transaction: added for a new asset, else a merge that checks the ETag read.
    /// The merge adds the new history entries as new properties and sends only the query columns whose values move,
    /// so the usual change is one entity operation of a few properties, and earlier entries are never sent again. The
    /// columns that are not sent still hold the values of the record the ETag vouches for.
    /// </summary>
    public static TableTransactionAction Write(string partition, AssetChange change)
    {
        var record = new TableEntity(partition, StateKeys.Record(change.AssetId));
        if (change.Before is null)
        {
            record[TableRow.Names.Kind] = KindValue;
            record[TableRow.Names.AssetId] = change.AssetId;
        }

        if (change.After is { } after)
        {
            var previous = change.Before is { } b ? QueryColumns(b.Record).ToDictionary(c => c.Key, c => c.Value, StringComparer.Ordinal) : null;
            var addObservationColumns = change.Before is { HasObservationColumns: false };
            foreach (var (name, value) in QueryColumns(after))
            {
                if (previous is null || !Equals(previous[name], value) || (addObservationColumns && ObservationColumns.Contains(name)))
                {
                    record[name] = value;
                }
            }

            record[Names.RecordGz] = CompressedJson.Write(after);
        }

        record[Names.Commands] = CommandsBytes(change.HistoryCount, change.AppliedCommands);
        foreach (var command in change.Commands.Where(c => HistoryRow.RowOf(c.Sequence) == 0))
        {
            record[HistoryRow.Property(command.Sequence)] = JsonSerializer.Serialize(command.History, ComplianceJson.Options);
        }

        return change.Before is { } before
            ? new TableTransactionAction(TableTransactionActionType.UpdateMerge, record, new ETag(before.ETag))
            : new TableTransactionAction(TableTransactionActionType.Add, record);
    }

    /// <summary>The stored record of a row read with <see cref="ReadColumns"/> (or all of them).</summary>
    public static StoredRecord Read(TableEntity entity)
    {
        var record = CompressedJson.Read<ComplianceRecord>(entity.GetBinary(Names.RecordGz), $"{entity.PartitionKey}/{entity.RowKey}");
        var (historyCount, applied) = ReadCommands(entity);
        return new StoredRecord(record, entity.ETag.ToString(), historyCount, applied) { HasObservationColumns = entity.ContainsKey(Names.LastSeenAt) && entity.GetString(Names.HostKey) is not null };
    }

    /// <summary>
    /// The <c>Commands</c> property: the history count, then the fingerprint of each command applied, oldest first,
    /// as little-endian 64-bit integers. One property rather than two, because each property of a merge costs.
    /// </summary>
    private static byte[] CommandsBytes(long historyCount, IReadOnlyList<ulong> fingerprints)
    {
        var bytes = new byte[(fingerprints.Count + 1) * sizeof(ulong)];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, historyCount);
        for (var i = 0; i < fingerprints.Count; i++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan((i + 1) * sizeof(ulong)), fingerprints[i]);
        }

        return bytes;
    }

    /// <summary>The history count and applied fingerprints of a record row; none for a row without them.</summary>
    public static (long HistoryCount, ulong[] Applied) ReadCommands(TableEntity entity)
    {
        var bytes = entity.GetBinary(Names.Commands) ?? [];
        if (bytes.Length < sizeof(ulong))
        {
            return (0, []);
        }

        var applied = new ulong[(bytes.Length / sizeof(ulong)) - 1];
        for (var i = 0; i < applied.Length; i++)
        {
            applied[i] = BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan((i + 1) * sizeof(ulong)));
        }

        return (BinaryPrimitives.ReadInt64LittleEndian(bytes), applied);
    }

    /// <summary>
    /// The record's columns that the list filters and sweeps query. None is ever null (absent values are empty
    /// strings, and no exemption is <see cref="NoExemption"/>), because the row is updated by merge, which would leave
    /// a stale value behind a null.
    /// </summary>
    private static IEnumerable<KeyValuePair<string, object>> QueryColumns(ComplianceRecord record) =>
    [
        new(TableRow.Names.Status, record.Status.ToString()),
        new(TableRow.Names.Severity, record.Severity?.ToString() ?? ""),
        new(Names.VendorKey, record.Vendor?.Key ?? ""),
        new(Names.DeviceType, record.Device.DeviceType?.ToWire() ?? ""),
        new(Names.SiteId, record.Device.Site?.Id ?? ""),
        new(Names.EvaluatedAt, record.EvaluatedAt),
        new(Names.CatalogueVersion, record.CatalogueVersion),
        new(Names.PolicyVersion, record.PolicyVersion),
        new(Names.ExemptUntil, record.Exemption?.ExpiresAt ?? NoExemption),
        new(Names.PlanOverdueFrom, record.Remediation is { Binding: true, Overdue: false } plan ? plan.OverdueFrom : NoExemption),
        new(Names.PlanOverdue, record.Remediation is { Closed: false, Overdue: true }),
        // Issue 18: what observations are matched by (canonical MAC, trimmed upper-case serial) and listed by.
        new(Names.MacAddress, RecordFilter.Identifies.MacKey(record.Device.MacAddress) ?? ""),
        new(Names.SerialNumber, RecordFilter.Identifies.SerialKey(record.Device.SerialNumber) ?? ""),
        new(Names.ObservedOutcome, record.Observation?.Outcome.ToWire() ?? ""),
        new(Names.LastSeenAt, record.Observation?.LastSeenAt ?? DateTimeOffset.UnixEpoch),
        new(Names.HostKey, record.Observation is { NotRegistered: true } ? "" : HostNames.Key(record.AssetId)),
        new(Names.ObservedIp, record.Observation?.IpAddresses.FirstOrDefault() ?? ""),
    ];

    /// <summary>The filter for a department's record rows; every record query starts from it.</summary>
    public static string Range(string department) => TableRow.KeyRange(department, StateKeys.RecordFrom, StateKeys.RecordTo);

    /// <summary>A sweep's filter over the query columns, after <see cref="Range"/>.</summary>
    public static string Filter(string department, RecordFilter filter) => Range(department) + filter switch
    {
        RecordFilter.NotEvaluatedWith v => TableRow.Filter(" and (" + Names.CatalogueVersion + " ne {0} or " + Names.PolicyVersion + " ne {1})", v.CatalogueVersion, v.PolicyVersion),
        RecordFilter.Open => TableRow.Filter(" and (" + TableRow.Names.Status + " eq {0} or " + TableRow.Names.Status + " eq {1})", nameof(ComplianceStatus.NonCompliant), nameof(ComplianceStatus.NeedsReview)),
        RecordFilter.ExemptionExpiredBy e => TableRow.Filter(" and " + Names.ExemptUntil + " le {0}", e.Time),
        RecordFilter.RemediationDueBy d => TableRow.Filter(" and " + Names.PlanOverdueFrom + " le {0}", d.Time),
        RecordFilter.RemediationOverdue => TableRow.Filter(" and " + Names.PlanOverdue + " eq {0}", true),
        RecordFilter.Identifies i => IdentifiesFilter(i),
        _ => "",
    };

    /// <summary>Records with one of the MACs, serials, host-name keys or first observed addresses; a filter with none selects nothing.</summary>
    private static string IdentifiesFilter(RecordFilter.Identifies filter)
    {
        var any = filter.MacAddresses.Select(m => TableRow.Filter(Names.MacAddress + " eq {0}", m))
            .Concat(filter.SerialNumbers.Select(s => TableRow.Filter(Names.SerialNumber + " eq {0}", s)))
            .Concat(filter.HostKeys.Select(h => TableRow.Filter(Names.HostKey + " eq {0}", h)))
            .Concat(filter.IpAddresses.Select(ip => TableRow.Filter(Names.ObservedIp + " eq {0}", ip))).ToArray();
        return any.Length == 0 ? TableRow.Filter(" and " + Names.MacAddress + " eq {0} and " + Names.MacAddress + " ne {0}", "-") : " and (" + string.Join(" or ", any) + ")";
    }

    /// <summary>The observation filter of the list (<see cref="AssetQuery.Observed"/>), after the others.</summary>
    private static string ObservedFilter(AssetQuery query) => query.Observed switch
    {
        null => "",
        ReconcileOutcomeKind.NotSeen => TableRow.Filter(" and " + Names.ObservedOutcome + " ne {0} and " + Names.ObservedOutcome + " ne {1} and " + TableRow.Names.Status + " ne {2} and " + Names.LastSeenAt + " lt {3}",
            ReconcileOutcomeKind.Unregistered.ToWire(), ReconcileOutcomeKind.Ambiguous.ToWire(), nameof(ComplianceStatus.Removed), query.NotSeenBefore ?? DateTimeOffset.MaxValue),
        { } outcome => TableRow.Filter(" and " + Names.ObservedOutcome + " eq {0} and " + TableRow.Names.Status + " ne {1}", outcome.ToWire(), nameof(ComplianceStatus.Removed)),
    };

    /// <summary>
    /// The list's filter: every value goes in as a parameter of CreateQueryFilter (escaped), and the partition is
    /// always the path's department, so neither a filter value nor a continuation token can reach another department.
    /// Values of one parameter are alternatives (or), parameters all apply (and): <see cref="AssetQuery.Matches"/> says the same.
    /// </summary>
    public static string Filter(string department, AssetQuery query)
    {
        var filter = Range(department)
            + TableRow.AnyOf(TableRow.Names.Status, query.Statuses.Select(s => s.ToString()))
            + TableRow.AnyOf(TableRow.Names.Severity, query.Severities.Select(s => s.ToString()))
            + TableRow.AnyOf(Names.SiteId, query.SiteIds)
            + TableRow.AnyOf(Names.VendorKey, query.VendorKeys)
            + TableRow.AnyOf(Names.DeviceType, query.DeviceTypes.Select(t => t.ToWire()));
        filter += ObservedFilter(query);
        return query.ChangedSince is { } since ? filter + " and " + TableRow.Filter(Names.EvaluatedAt + " ge {0}", since) : filter;
    }
}
