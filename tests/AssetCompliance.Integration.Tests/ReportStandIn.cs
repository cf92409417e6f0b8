using System.Globalization;
using System.Text.Json.Nodes;
using AssetCompliance.Core.Policy;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace AssetCompliance.Integration.Tests;

/// <summary>One device as the stand-in lists it.</summary>
internal sealed record StandInDevice(string AssetId, ComplianceStatus Status, string Vendor, bool Prc, string? SiteId, bool? Sensitive, bool Core, DateTimeOffset Since, Severity? Severity = null);

/// <summary>One remediation plan as the stand-in answers it.</summary>
internal sealed record StandInPlan(string Action, string DueDate, string Owner, string State, string? Notes, bool Overdue);

/// <summary>
/// A loopback server answering like the compliance API the routes a report reads, in the shapes of
/// /work/contract19.md (summary, estate summary, progress, estate progress, asset list with status filter and paging
/// by two, remediation with its 404 problem for "no plan", health), computed from the devices and plans it is given.
/// A test can take a route away (<see cref="Missing"/>: a plain 404, as an API without it answers), change an answer
/// (<see cref="Tamper"/>), or act as a department role (<see cref="Caller"/>: 403 for any other department and the estate).
/// </summary>
internal sealed class ReportStandIn : IAsyncDisposable
{
    public static readonly DateTimeOffset AsOf = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly WebApplication _app;

    private ReportStandIn(WebApplication app) => _app = app;

    public Dictionary<string, List<StandInDevice>> Departments { get; } = new(StringComparer.Ordinal);

    public Dictionary<(string Department, string AssetId), StandInPlan> Plans { get; } = [];

    /// <summary>The caller's department role; null for Compliance.ReadAll.</summary>
    public string? Caller { get; set; }

    /// <summary>Routes answered with a plain 404: summary, estate-summary, progress, estate-progress, assets, remediation, health.</summary>
    public HashSet<string> Missing { get; } = [];

    /// <summary>Changes the answer of a route (named as in <see cref="Missing"/>) before it is sent.</summary>
    public Action<string, JsonNode>? Tamper { get; set; }

    public string PolicyVersion { get; set; } = CompliancePolicy.Default.Version;

    public Uri Address => new(_app.Urls.First() + "/");

    /// <summary>Remediation plans asked for, to show that each open item's plan was read.</summary>
    public int PlanReads;

    /// <summary>Devices whose remediation route answers the API's 404 <c>asset-not-found</c> problem (removed after the list was read).</summary>
    public HashSet<string> Gone { get; } = [];

    public static async Task<ReportStandIn> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var standIn = new ReportStandIn(app);
        app.MapGet("/api/health", () => standIn.Answer("health", null, () => new JsonObject { ["status"] = "healthy", ["health"] = "healthy", ["version"] = "0.1.0", ["catalogueVersion"] = "cat-test", ["policyVersion"] = standIn.PolicyVersion, ["storage"] = "available", ["failedAlerts"] = 0 }));
        app.MapGet("/api/summary", () => standIn.Answer("estate-summary", "*", () => new JsonObject
        {
            ["total"] = Counts(standIn.Departments.Values.SelectMany(d => d)),
            ["departments"] = new JsonArray([.. standIn.Departments.Keys.Order(StringComparer.Ordinal).Select(d => (JsonNode)standIn.Summary(d))]),
        }));
        app.MapGet("/api/departments/{d}/summary", (string d) => standIn.Answer("summary", d, () => standIn.Summary(d)));
        app.MapGet("/api/progress", () => standIn.Answer("estate-progress", "*", () => new JsonObject
        {
            ["asOf"] = AsOf.ToString("O", CultureInfo.InvariantCulture),
            ["since"] = "2022-11-24",
            ["estate"] = standIn.Progress(null, standIn.Departments.Values.SelectMany(d => d)),
            ["departments"] = new JsonArray([.. standIn.Departments.Keys.Order(StringComparer.Ordinal).Select(d => (JsonNode)standIn.Progress(d, standIn.Departments[d]))]),
        }));
        app.MapGet("/api/departments/{d}/progress", (string d) => standIn.Answer("progress", d, () => standIn.Progress(d, standIn.Devices(d))));
        app.MapGet("/api/departments/{d}/assets", (string d, HttpRequest r) => standIn.Answer("assets", d, () =>
        {
            var statuses = r.Query["status"].Select(s => Enum.Parse<ComplianceStatus>(s!)).ToHashSet();
            var matching = standIn.Devices(d).Where(x => statuses.Count == 0 || statuses.Contains(x.Status)).ToList();
            var skip = int.Parse(r.Query["continuationToken"].FirstOrDefault() ?? "0", CultureInfo.InvariantCulture);
            var page = new JsonObject { ["department"] = d, ["count"] = Math.Min(2, matching.Count - skip), ["items"] = new JsonArray([.. matching.Skip(skip).Take(2).Select(x => (JsonNode)Item(d, x))]) };
            if (skip + 2 < matching.Count)
            {
                page["continuationToken"] = (skip + 2).ToString(CultureInfo.InvariantCulture);
            }

            return page;
        }));
        app.MapGet("/api/departments/{d}/assets/{id}/remediation", (string d, string id) =>
        {
            Interlocked.Increment(ref standIn.PlanReads);
            if (standIn.Gone.Contains(id))
            {
                return Results.Problem(title: "No such asset.", detail: $"Department {d} has no asset '{id}'.", statusCode: 404, type: "https://asset-compliance/problems/asset-not-found");
            }

            return standIn.Answer("remediation", d, () => standIn.Plans.TryGetValue((d, id), out var plan) ? Plan(d, id, plan) : null);
        });
        await app.StartAsync();
        return standIn;
    }

    /// <summary>The sample estate the report tests use: two departments, open items of every kind, plans (one overdue), hostile register text.</summary>
    public static async Task<ReportStandIn> StartSampleAsync()
    {
        var standIn = await StartAsync();
        var old = new DateTimeOffset(2024, 3, 1, 0, 0, 0, TimeSpan.Zero);
        standIn.Departments["HO"] =
        [
            new("HO-CAM-0001", ComplianceStatus.NonCompliant, "Hikvision", true, "HO-LON-1", true, false, old, Severity.Critical),
            new("HO-CAM-0002", ComplianceStatus.NonCompliant, "Dahua <script>alert(1)</script>", true, "\"><img src=x onerror=alert(2)>", true, true, old.AddDays(200), Severity.Critical),
            new("HO-CAM-0003", ComplianceStatus.NonCompliant, "Hikvision", true, "HO-MAN-2", false, true, AsOf.AddDays(-40), Severity.High),
            new("HO-CAM-0004", ComplianceStatus.NeedsReview, "Uniview", true, "HO-MAN-2", null, false, AsOf.AddDays(-10)),
            new("HO-CAM-0005", ComplianceStatus.Advisory, "Hikvision", true, "HO-LDS-3", false, false, AsOf.AddDays(-400)),
            new("HO-CAM-0006", ComplianceStatus.Compliant, "Axis", false, "HO-LON-1", true, false, old),
            new("HO-CAM-0007", ComplianceStatus.Compliant, "Axis", false, "HO-LON-1", true, true, old),
        ];
        standIn.Departments["DFE"] =
        [
            new("DFE-CAM-0101", ComplianceStatus.NonCompliant, "Hikvision", true, "DFE-1", true, false, AsOf.AddDays(-5), Severity.High),
            new("DFE-CAM-0102", ComplianceStatus.Compliant, "Bosch", false, "DFE-1", true, false, old),
        ];
        standIn.Plans[("HO", "HO-CAM-0001")] = new("replace", "2026-06-30", "Estates team", "ordered", "PO 1234 <b>raised</b> & approved", true);
        standIn.Plans[("HO", "HO-CAM-0003")] = new("relocate", "2027-03-31", "J. O'Brien \u202Eevil", "planned", null, false);
        return standIn;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private List<StandInDevice> Devices(string department) => Departments.GetValueOrDefault(department) ?? [];

    /// <summary>The route's answer: <paramref name="body"/>, or its 404 problem when that is null (a device without a plan).</summary>
    private IResult Answer(string route, string? department, Func<JsonNode?> body)
    {
        if (Missing.Contains(route))
        {
            return Results.NotFound();
        }

        if (Caller is not null && department is not null && department != Caller)
        {
            return Results.Problem(title: "Forbidden", detail: department == "*" ? "The estate needs Compliance.ReadAll." : $"The caller has no role for department {department}.", statusCode: 403);
        }

        if (body() is not { } node)
        {
            return Results.Problem(title: "The device has no remediation plan.", detail: "PUT one.", statusCode: 404, type: "https://asset-compliance/problems/remediation-not-found");
        }

        Tamper?.Invoke(route, node);
        return Results.Text(node.ToJsonString(), "application/json");
    }

    private JsonObject Summary(string department)
    {
        var devices = Devices(department);
        var summary = new JsonObject { ["department"] = department, ["counts"] = Counts(devices) };
        if (devices.Where(d => d.Status == ComplianceStatus.NonCompliant).MinBy(d => d.Since) is { } oldest)
        {
            summary["oldestOpenNonCompliant"] = new JsonObject { ["department"] = department, ["assetId"] = oldest.AssetId, ["since"] = oldest.Since.ToString("O", CultureInfo.InvariantCulture), ["severity"] = oldest.Severity?.ToString() };
        }

        return summary;
    }

    private static JsonObject Counts(IEnumerable<StandInDevice> devices)
    {
        var list = devices.ToList();
        var byStatus = new JsonObject();
        foreach (var group in list.GroupBy(d => d.Status))
        {
            byStatus[group.Key.ToString()] = group.Count();
        }

        var bySeverity = new JsonObject();
        foreach (var group in list.Where(d => d.Severity is not null).GroupBy(d => d.Severity!.Value))
        {
            bySeverity[group.Key.ToString()] = group.Count();
        }

        return new JsonObject { ["total"] = list.Count, ["byStatus"] = byStatus, ["nonCompliantBySeverity"] = bySeverity };
    }

    /// <summary>The progress figures of the devices; the trend falls month by month towards today's values, from twice them in 2022-11.</summary>
    private JsonObject Progress(string? department, IEnumerable<StandInDevice> devices) =>
        ProgressOf(department, devices, Plans.Where(p => department is null || p.Key.Department == department).Select(p => p.Value));

    /// <summary>Progress figures in the agreed shape, computed from <paramref name="devices"/> and <paramref name="plans"/> (also for a proxy in front of an API without the route).</summary>
    internal static JsonObject ProgressOf(string? department, IEnumerable<StandInDevice> devices, IEnumerable<StandInPlan> planList)
    {
        var list = devices.Where(d => d.Status != ComplianceStatus.Removed).ToList();
        var prc = list.Where(d => d.Prc).ToList();
        var (sensitive, core, open) = (prc.Count(d => d.Sensitive == true), prc.Count(d => d.Core), list.Count(d => d.Status == ComplianceStatus.NonCompliant));
        var months = ((AsOf.Year - 2022) * 12) + AsOf.Month - 11 + 1;
        var trend = new JsonArray();
        for (var i = 0; i < months; i++)
        {
            var extra = months - 1 - i; // 0 at the last point: now
            trend.Add(new JsonObject
            {
                ["month"] = new DateOnly(2022, 11, 1).AddMonths(i).ToString("yyyy-MM", CultureInfo.InvariantCulture),
                ["prcOnSensitiveSites"] = sensitive + (sensitive * extra / months),
                ["prcOnCoreNetworks"] = core + (core * extra / months),
                ["openItems"] = open + (open * extra / months),
            });
        }

        var openItems = list.Where(d => d.Status == ComplianceStatus.NonCompliant).Select(d => (AsOf - d.Since).TotalDays).ToList();
        var plans = planList.ToList();
        var body = new JsonObject
        {
            ["current"] = new JsonObject { ["devices"] = list.Count, ["prcMade"] = prc.Count, ["prcOnSensitiveSites"] = sensitive, ["prcOnCoreNetworks"] = core, ["openItems"] = open },
            ["trend"] = trend,
            ["openItemsByAge"] = new JsonObject { ["under30Days"] = openItems.Count(a => a < 30), ["from30To90Days"] = openItems.Count(a => a is >= 30 and < 90), ["from90To365Days"] = openItems.Count(a => a is >= 90 and < 365), ["over365Days"] = openItems.Count(a => a >= 365) },
            ["plans"] = new JsonObject { ["planned"] = plans.Count(p => p.State == "planned"), ["ordered"] = plans.Count(p => p.State == "ordered"), ["done"] = plans.Count(p => p.State == "done"), ["cancelled"] = plans.Count(p => p.State == "cancelled") },
            ["overduePlans"] = plans.Count(p => p.Overdue),
        };
        if (department is not null)
        {
            body["department"] = department;
            body["asOf"] = AsOf.ToString("O", CultureInfo.InvariantCulture);
            body["since"] = "2022-11-24";
        }

        return body;
    }

    private static JsonObject Item(string department, StandInDevice d) => new()
    {
        ["assetId"] = d.AssetId,
        ["status"] = d.Status.ToString(),
        ["severity"] = d.Severity?.ToString(),
        ["rule"] = d.Status == ComplianceStatus.NonCompliant ? "sensitive-site" : "none",
        ["vendor"] = new JsonObject { ["key"] = d.Vendor.ToLowerInvariant().Split(' ')[0], ["name"] = d.Vendor, ["jurisdiction"] = d.Prc ? "CN" : "SE", ["subjectToNationalIntelligenceLaw"] = d.Prc },
        ["deviceType"] = "camera",
        ["siteId"] = d.SiteId,
        ["siteSensitive"] = d.Sensitive,
        ["relabelSuspected"] = false,
        ["statusSince"] = d.Since.ToString("O", CultureInfo.InvariantCulture),
        ["evaluatedAt"] = AsOf.ToString("O", CultureInfo.InvariantCulture),
        ["revision"] = 1,
        ["registered"] = new JsonObject { ["assetId"] = d.AssetId, ["department"] = department, ["revision"] = 1 },
    };

    private static JsonObject Plan(string department, string assetId, StandInPlan p) => new()
    {
        ["department"] = department,
        ["assetId"] = assetId,
        ["action"] = p.Action,
        ["dueDate"] = p.DueDate,
        ["owner"] = p.Owner,
        ["state"] = p.State,
        ["notes"] = p.Notes,
        ["createdAt"] = "2026-01-05T10:00:00Z",
        ["updatedAt"] = "2026-02-05T10:00:00Z",
        ["updatedBy"] = "officer@ho.gov.uk",
        ["overdue"] = p.Overdue,
        ["closed"] = false,
        ["closedAt"] = null,
        ["closedBecause"] = null,
    };
}
