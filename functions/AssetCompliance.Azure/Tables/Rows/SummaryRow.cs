using AssetCompliance.Core.Policy;
using AssetCompliance.Core.State;
using Azure;
using Azure.Data.Tables;

namespace AssetCompliance.Azure.Tables.Rows;

/// <summary>
/// The department's <c>summary</c> row: counts by status (<c>Status{status}</c>) and of NonCompliant devices by
/// severity (<c>Severity{severity}</c>), remediation plans by state (<c>Plan{state}</c>) and overdue
/// (<c>OverduePlans</c>), and the oldest open NonCompliant device, so that a summary is one point read.
/// </summary>
internal static class SummaryRow
{
    internal static class Names
    {
        public const string OldestAssetId = "OldestAssetId";
        public const string OldestSince = "OldestSince";
        public const string OldestSeverity = "OldestSeverity";

        /// <summary>The prefix of the plan counts by state (<c>Plan{state}</c>, issue 19).</summary>
        public const string PlanCount = "Plan";

        public const string OverduePlans = "OverduePlans";
        public const string ObservedUnregistered = "ObservedUnregistered";
        public const string ObservedContradicted = "ObservedContradicted";
    }

    private const string KindValue = "summary";

    private static string StatusCount(ComplianceStatus status) => TableRow.Names.Status + status;

    private static string SeverityCount(Severity severity) => TableRow.Names.Severity + severity;

    private static string PlanCount(RemediationState state) => Names.PlanCount + state;

    /// <summary>
    /// The summary row after a transaction's changes, last in the transaction so that its response carries the ETag
    /// the next one must match: merged with the ETag read, or added when the department had none. Every column is
    /// written every time (no oldest item is an empty asset id), so a merge replaces them all.
    /// </summary>
    public static TableTransactionAction Write(string partition, SummaryCounts counts, OpenItem? oldest, string? etag)
    {
        var entity = new TableEntity(partition, StateKeys.Summary) { [TableRow.Names.Kind] = KindValue };
        foreach (var status in Enum.GetValues<ComplianceStatus>()) entity[StatusCount(status)] = counts.ByStatus.GetValueOrDefault(status);
        foreach (var severity in Enum.GetValues<Severity>()) entity[SeverityCount(severity)] = counts.NonCompliantBySeverity.GetValueOrDefault(severity);
        foreach (var state in Enum.GetValues<RemediationState>()) entity[PlanCount(state)] = counts.PlansByState.GetValueOrDefault(state);
        entity[Names.OverduePlans] = counts.OverduePlans;
        entity[Names.OldestAssetId] = oldest?.AssetId ?? "";
        entity[Names.OldestSince] = oldest?.Since ?? DateTimeOffset.UnixEpoch;
        entity[Names.OldestSeverity] = oldest?.Severity?.ToString() ?? "";
        entity[Names.ObservedUnregistered] = counts.ObservedUnregistered;
        entity[Names.ObservedContradicted] = counts.ObservedContradicted;
        return etag is not null
            ? new TableTransactionAction(TableTransactionActionType.UpdateMerge, entity, new ETag(etag))
            : new TableTransactionAction(TableTransactionActionType.Add, entity);
    }

    public static SummarySnapshot Read(string department, TableEntity entity)
    {
        var oldest = entity.GetString(Names.OldestAssetId) is { Length: > 0 } assetId
            ? new OpenItem(department, assetId, entity.GetDateTimeOffset(Names.OldestSince) ?? default,
                Enum.TryParse<Severity>(entity.GetString(Names.OldestSeverity), out var severity) ? severity : null)
            : null;
        return new SummarySnapshot(new SummaryCounts
        {
            ByStatus = Enum.GetValues<ComplianceStatus>().ToDictionary(s => s, s => entity.GetInt64(StatusCount(s)) ?? 0),
            NonCompliantBySeverity = Enum.GetValues<Severity>().ToDictionary(s => s, s => entity.GetInt64(SeverityCount(s)) ?? 0),
            // A row written before issue 19 has no plan columns: no plan was ever recorded then.
            PlansByState = Enum.GetValues<RemediationState>().ToDictionary(s => s, s => entity.GetInt64(PlanCount(s)) ?? 0),
            OverduePlans = entity.GetInt64(Names.OverduePlans) ?? 0,
            ObservedUnregistered = entity.GetInt64(Names.ObservedUnregistered) ?? 0,
            ObservedContradicted = entity.GetInt64(Names.ObservedContradicted) ?? 0,
        }, entity.ETag.ToString(), oldest);
    }
}

/// <summary>A department's summary row as read or last written, with the ETag the next write must match.</summary>
/// <param name="ETag">Null when the department has no summary row yet.</param>
internal sealed record SummarySnapshot(SummaryCounts Counts, string? ETag, OpenItem? Oldest)
{
    public static SummarySnapshot None { get; } = new(SummaryCounts.Empty, null, null);
}
