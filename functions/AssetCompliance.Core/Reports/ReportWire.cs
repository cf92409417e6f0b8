using System.Text.Json;
using AssetCompliance.Core.Policy;
using AssetCompliance.Core.State;

namespace AssetCompliance.Core.Reports;

// The answers of the compliance API that a printed report is made of, as the report reads them (issue 19's agreed
// shapes, /api/... routes). Every figure is `required`: an answer without one is refused by ReportJson rather than
// read as zero, because a report that shows a zero it never read tells the Cabinet Office something false.

/// <summary>Device counts of a summary: <c>total</c>, <c>byStatus</c> and NonCompliant ones <c>nonCompliantBySeverity</c> (a status or severity absent from a map has no devices).</summary>
public sealed record ReportCounts
{
    public required long Total { get; init; }
    public required IReadOnlyDictionary<ComplianceStatus, long> ByStatus { get; init; }
    public required IReadOnlyDictionary<Severity, long> NonCompliantBySeverity { get; init; }

    /// <summary>The devices of <paramref name="status"/>.</summary>
    public long Of(ComplianceStatus status) => ByStatus.GetValueOrDefault(status);
}

/// <summary><c>GET /api/departments/{d}/summary</c>, and each department of the estate summary (the oldest open item is not read: the report lists them all).</summary>
public sealed record ReportSummary
{
    public required string Department { get; init; }
    public required ReportCounts Counts { get; init; }
}

/// <summary><c>GET /api/summary</c>: the estate's total and every department's summary.</summary>
public sealed record ReportEstateSummary
{
    public required ReportCounts Total { get; init; }
    public required IReadOnlyList<ReportSummary> Departments { get; init; }
}

/// <summary>The figures of now: devices, PRC-made ones, those on sensitive sites and on core networks, open (NonCompliant) items.</summary>
public sealed record ProgressCurrent
{
    public required long Devices { get; init; }
    public required long PrcMade { get; init; }
    public required long PrcOnSensitiveSites { get; init; }
    public required long PrcOnCoreNetworks { get; init; }
    public required long OpenItems { get; init; }
}

/// <summary>One month of the trend, <c>month</c> as <c>YYYY-MM</c>: the values at the month's end (the last point: now).</summary>
public sealed record ProgressPoint
{
    public required string Month { get; init; }
    public required long PrcOnSensitiveSites { get; init; }
    public required long PrcOnCoreNetworks { get; init; }
    public required long OpenItems { get; init; }
}

/// <summary>Open items by how long they have been open.</summary>
public sealed record OpenItemsByAge
{
    public required long Under30Days { get; init; }
    public required long From30To90Days { get; init; }
    public required long From90To365Days { get; init; }
    public required long Over365Days { get; init; }
}

/// <summary>Remediation plans by state.</summary>
public sealed record PlanCounts
{
    public required long Planned { get; init; }
    public required long Ordered { get; init; }
    public required long Done { get; init; }
    public required long Cancelled { get; init; }
}

/// <summary>The progress figures of a department or of the estate (the estate's <c>estate</c> member).</summary>
public record ProgressFigures
{
    public required ProgressCurrent Current { get; init; }
    public required IReadOnlyList<ProgressPoint> Trend { get; init; }
    public required OpenItemsByAge OpenItemsByAge { get; init; }
    public required PlanCounts Plans { get; init; }
    public required long OverduePlans { get; init; }
}

/// <summary><c>GET /api/departments/{d}/progress</c>, and each department of <c>GET /api/progress</c>.</summary>
public sealed record DepartmentProgress : ProgressFigures
{
    public required string Department { get; init; }
    public required DateTimeOffset AsOf { get; init; }
    public required DateOnly Since { get; init; }
}

/// <summary><c>GET /api/progress</c>: the estate's figures and every department's.</summary>
public sealed record EstateProgress
{
    public required DateTimeOffset AsOf { get; init; }
    public required DateOnly Since { get; init; }
    public required ProgressFigures Estate { get; init; }
    public required IReadOnlyList<DepartmentProgress> Departments { get; init; }
}

/// <summary>The identified maker of a listed device.</summary>
public sealed record ReportVendor
{
    public required string Name { get; init; }
    public bool? SubjectToNationalIntelligenceLaw { get; init; }
}

/// <summary>One device of <c>GET /api/departments/{d}/assets</c>, the fields a report lists.</summary>
public sealed record ReportAsset
{
    public required string AssetId { get; init; }
    public required ComplianceStatus Status { get; init; }
    public Severity? Severity { get; init; }
    public required string Rule { get; init; }
    public ReportVendor? Vendor { get; init; }
    public string? DeviceType { get; init; }
    public string? SiteId { get; init; }
    public bool? SiteSensitive { get; init; }
    public required DateTimeOffset StatusSince { get; init; }
}

/// <summary>One page of the asset list; <c>continuationToken</c> absent on the last.</summary>
public sealed record ReportAssetPage
{
    public required IReadOnlyList<ReportAsset> Items { get; init; }
    public string? ContinuationToken { get; init; }
}

/// <summary><c>GET /api/departments/{d}/assets/{id}/remediation</c>: a device's remediation plan.</summary>
public sealed record RemediationPlanView
{
    public required string Department { get; init; }
    public required string AssetId { get; init; }
    public required string Action { get; init; }
    public required DateOnly DueDate { get; init; }
    public required string Owner { get; init; }
    public required string State { get; init; }
    public string? Notes { get; init; }
    public required bool Overdue { get; init; }
    public required bool Closed { get; init; }
}

/// <summary><c>GET /api/health</c>: the policy version the API evaluates with.</summary>
public sealed record ReportHealth
{
    public required string PolicyVersion { get; init; }
    public required string CatalogueVersion { get; init; }
}

/// <summary>How the report reads the API's answers: the API's JSON conventions, and a missing or null figure refused.</summary>
public static class ReportJson
{
    /// <summary><see cref="ComplianceJson.Options"/>, with every required member and non-null annotation enforced.</summary>
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(ComplianceJson.Options) { RespectNullableAnnotations = true, RespectRequiredConstructorParameters = true };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    /// <summary>The answer as <typeparamref name="T"/>.</summary>
    /// <exception cref="JsonException">A figure is missing, null or of the wrong type, or the body is not JSON.</exception>
    public static T Read<T>(ReadOnlySpan<byte> json) where T : class =>
        JsonSerializer.Deserialize<T>(json, Options) ?? throw new JsonException($"the answer is null, not a {typeof(T).Name}");
}
