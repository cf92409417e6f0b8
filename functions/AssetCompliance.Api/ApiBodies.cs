using System.Text.Json.Serialization;
using AssetCompliance.Core.Alerting;
using AssetCompliance.Core.Events;
using AssetCompliance.Core.Policy;
using AssetCompliance.Core.State;

namespace AssetCompliance.Api;

// The bodies the routes answer, as named types so that the OpenAPI document's schemas are derived from exactly what is
// serialised (ComplianceJson: camelCase, enums by name, nulls left out unless a member says otherwise). Member order is
// the wire order.

/// <summary>An RFC 9457 problem (<c>application/problem+json</c>): every answer of 400 and above.</summary>
public sealed class Problem
{
    /// <summary><c>https://asset-compliance/problems/{kind}</c>: stable, for clients to switch on.</summary>
    public required string Type { get; init; }
    /// <summary>What went wrong, in a sentence.</summary>
    public required string Title { get; init; }

    /// <summary>The HTTP status, repeated.</summary>
    public required int Status { get; init; }

    /// <summary>What was and was not done, and what to do.</summary>
    public string? Detail { get; init; }

    /// <summary>Every error found, each with the JSON path or parameter it is about (path/message, or line/reason for register rows).</summary>
    public IReadOnlyList<object>? Errors { get; init; }

    /// <summary>Further members of the problem object, written beside the standard ones (RFC 9457 section 3.2).</summary>
    [JsonExtensionData]
    public Dictionary<string, object?>? Extensions { get; init; }
}

/// <summary><c>GET /api/health</c> 200: <c>healthy</c>, or <c>degraded</c> while alerts have failed.</summary>
public sealed record HealthBody(string Status, string Health, string Version, string CatalogueVersion, string PolicyVersion, string Storage, int FailedAlerts);

/// <summary>One page of a department's devices; <c>continuationToken</c> is absent on the last page.</summary>
public sealed record AssetPage(string Department, int Count, IEnumerable<AssetListItem> Items, string? ContinuationToken);

/// <summary>One device in a list: the verdict, then the registered fields as the last event applied carried them.</summary>
public sealed record AssetListItem(
    string AssetId,
    ComplianceStatus Status,
    Severity? Severity,
    string Rule,
    AssetListVendor? Vendor,
    string? DeviceType,
    string? SiteId,
    bool? SiteSensitive,
    IReadOnlyList<string>? UnreadFields,
    bool RelabelSuspected,
    DateTimeOffset StatusSince,
    DateTimeOffset EvaluatedAt,
    long Revision,
    RegisteredDevice Registered);

/// <summary>The identified maker of a listed device.</summary>
public sealed record AssetListVendor(string Key, string Name, string Jurisdiction, bool? SubjectToNationalIntelligenceLaw);

/// <summary><c>POST …/asset-events</c> 202: every event was enqueued.</summary>
public sealed record EventsAccepted(string Department, int Accepted, IEnumerable<string> EventIds);

/// <summary>
/// <c>POST …/register</c>: what was read, planned and sent. The 200/202 body, and the extension members of its 409 and
/// 422 problems. <c>removalsWithheld</c> and <c>refusal</c> are always present (null when none).
/// </summary>
public sealed record RegisterAnswer(
    string Department,
    bool DryRun,
    bool Sync,
    string ReadAs,
    IReadOnlyList<string> Notes,
    int Sent,
    int ToSend,
    int New,
    int Changed,
    int Unchanged,
    int Removed,
    int NotSent,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? RemovalsWithheld,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Refusal,
    IEnumerable<RegisterDeviceLine> Devices,
    IEnumerable<RegisterRowLine> RowErrors,
    IEnumerable<RegisterRowLine> RowWarnings);

/// <summary>A device of a register sync: <c>action</c> New, Changed, Unchanged or Removed; <c>eventId</c> when an event is (or would be) sent.</summary>
public sealed record RegisterDeviceLine(string AssetId, string Action, int Line, string? EventId);

/// <summary>A register row not sent (an error) or sent with a warning.</summary>
public sealed record RegisterRowLine(int Line, string Reason);

/// <summary><c>POST …/netbox</c> 200/202: <c>outcome</c> accepted, duplicate or ignored.</summary>
public sealed record NetBoxAnswer(string Outcome, string Department, string? Object, IReadOnlyList<string> EventIds, string? Message, DateTimeOffset ReceivedAt);

/// <summary>Every evaluation of one device, in order.</summary>
public sealed record AssetHistoryBody(string Department, string AssetId, IReadOnlyList<HistoryEntry> Entries);

/// <summary>The exemption in force (absent when none), the record's status, and every exemption change.</summary>
public sealed record ExemptionsBody(string Department, string AssetId, Exemption? Current, ComplianceStatus Status, IEnumerable<HistoryEntry> Changes);

/// <summary>A department's rejections (<c>department</c> absent for the unattributed ones).</summary>
public sealed record RejectionsBody(string? Department, IEnumerable<RejectionView> Rejections);

/// <summary>One rejected message: <c>body</c> only with <c>includeBody=true</c>; <c>bodyLength</c> as received.</summary>
public sealed record RejectionView(string MessageId, string? EventId, DateTimeOffset ReceivedAt, string Channel, IReadOnlyList<ValidationError> Errors, int BodyLength, string? Body);

/// <summary>One department's counts, its oldest open NonCompliant device, its remediation plans by state and how many are overdue.</summary>
public sealed record SummaryView(string Department, CountsView Counts, OpenItem? OldestOpenNonCompliant, PlanCountsView Plans, long OverduePlans)
{
    internal static SummaryView From(DepartmentSummary summary) =>
        new(summary.Department, CountsView.From(summary.Counts), summary.OldestOpenNonCompliant, PlanCountsView.From(summary.Counts), summary.Counts.OverduePlans)
        {
            Observations = ObservationCountsView.From(summary.Counts),
        };

    /// <summary>Devices the latest network observation found unregistered or contradicting the register (issue 18).</summary>
    public ObservationCountsView Observations { get; init; } = new(0, 0);
}

/// <summary>Remediation plans by state, open or closed (maintained with the summary, no scan).</summary>
public sealed record PlanCountsView(long Planned, long Ordered, long Done, long Cancelled)
{
    internal static PlanCountsView From(SummaryCounts counts) => new(
        counts.PlansByState.GetValueOrDefault(RemediationState.Planned), counts.PlansByState.GetValueOrDefault(RemediationState.Ordered),
        counts.PlansByState.GetValueOrDefault(RemediationState.Done), counts.PlansByState.GetValueOrDefault(RemediationState.Cancelled));
}

/// <summary>
/// A device's remediation plan (<c>GET</c>/<c>PUT …/assets/{id}/remediation</c>): <c>overdue</c> as the sweep marked it,
/// <c>closed</c> once the device's state showed the outcome (<c>closedAt</c>, <c>closedBecause</c>; null while open).
/// <c>notes</c>, <c>closedAt</c> and <c>closedBecause</c> are always present.
/// </summary>
public sealed record RemediationBody(
    string Department,
    string AssetId,
    RemediationAction Action,
    DateOnly DueDate,
    string Owner,
    RemediationState State,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Notes,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    string UpdatedBy,
    bool Overdue,
    bool Closed,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] DateTimeOffset? ClosedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? ClosedBecause)
{
    internal static RemediationBody From(string department, string assetId, RemediationPlan plan) => new(
        department, assetId, plan.Action, plan.DueDate, plan.Owner, plan.State, plan.Notes, plan.CreatedAt, plan.UpdatedAt, plan.UpdatedBy.Name,
        plan.Overdue, plan.Closed, plan.ClosedAt, plan.ClosedBecause);
}

/// <summary>Device counts: in total, by status, and NonCompliant ones by severity.</summary>
public sealed record CountsView(long Total, IReadOnlyDictionary<ComplianceStatus, long> ByStatus, IReadOnlyDictionary<Severity, long> NonCompliantBySeverity)
{
    internal static CountsView From(SummaryCounts counts) => new(counts.Total, counts.ByStatus, counts.NonCompliantBySeverity);
}

/// <summary>Every department's summary, and their total (plans and overdue plans summed too).</summary>
public sealed record EstateSummaryBody(CountsView Total, OpenItem? OldestOpenNonCompliant, IEnumerable<SummaryView> Departments, PlanCountsView Plans, long OverduePlans)
{
    /// <summary>The estate's devices found unregistered or contradicted by their latest observation (issue 18).</summary>
    public ObservationCountsView Observations { get; init; } = new(0, 0);
}

/// <summary>Outbox rows (webhook URLs are never part of them).</summary>
public sealed record AlertsBody(int Count, IReadOnlyList<AlertView> Alerts);

/// <summary>One alert and its delivery state.</summary>
public sealed record AlertView(
    string Id,
    string Department,
    string AssetId,
    AlertKind Kind,
    ComplianceStatus? StatusBefore,
    ComplianceStatus StatusAfter,
    Severity? SeverityAfter,
    DateTimeOffset OccurredAt,
    OutboxState State,
    int Attempts,
    DateTimeOffset? NotBefore,
    IEnumerable<string> DeliveredTo,
    string? LastError)
{
    internal static AlertView From(OutboxEntry entry) => new(
        entry.Alert.Id, entry.Alert.Department, entry.Alert.AssetId, entry.Alert.Kind, entry.Alert.StatusBefore, entry.Alert.StatusAfter,
        entry.Alert.SeverityAfter, entry.Alert.OccurredAt, entry.State, entry.Attempts, entry.NotBefore, entry.DeliveredTo.Order(StringComparer.Ordinal), entry.LastError);
}

/// <summary>How many failed alerts went back into the outbox.</summary>
public sealed record RetriedBody(int Retried);

/// <summary>The audit of administrative actions, oldest first (<c>GET /api/audit</c>).</summary>
public sealed record AuditBody(int Count, IReadOnlyList<AuditEntry> Entries);

/// <summary>
/// A vendor lookup: the identified maker (absent when none), the evidence, and the MAC block's IEEE registrant when the
/// catalogue does not know the maker (a name, not an identification).
/// </summary>
public sealed record VendorLookupBody(string CatalogueVersion, VendorSnapshot? Vendor, IEnumerable<EvidenceSnapshot> Evidence, bool RelabelSuspected, string? MacRegistrant);
