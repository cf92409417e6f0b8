using System.Globalization;
using System.Text.Json.Nodes;

namespace AssetCompliance.Integration.Tests.Dashboard;

/// <summary>
/// What each figure of a dashboard view must show, computed from the API's own answers: one line per figure, named as
/// the page names it (<c>data-figure</c>). A value the API does not have (its route answered 404 without a problem,
/// or the member is absent) must show "not available", never a zero.
/// </summary>
internal static class DashboardFigures
{
    public const string NotAvailable = "not available";

    /// <summary>The estate overview, from <c>GET /api/summary</c> and <c>GET /api/progress</c> (null: not there).</summary>
    public static Dictionary<string, string> Estate(JsonNode summary, JsonNode? progress)
    {
        var f = new Dictionary<string, string>(StringComparer.Ordinal);
        Counts(f, "estate", summary["total"]!);
        Progress(f, "estate", progress?["estate"], summary);
        foreach (var department in summary["departments"]!.AsArray())
        {
            var code = department!["department"]!.GetValue<string>();
            var p = progress?["departments"]?.AsArray().FirstOrDefault(d => d?["department"]?.GetValue<string>() == code);
            var name = "departments." + code;
            Add(f, name + ".total", department["counts"]!["total"]);
            Add(f, name + ".NonCompliant", department["counts"]!["byStatus"]!["NonCompliant"]);
            Add(f, name + ".NeedsReview", department["counts"]!["byStatus"]!["NeedsReview"]);
            Add(f, name + ".prcOnSensitiveSites", p?["current"]?["prcOnSensitiveSites"]);
            Add(f, name + ".prcOnCoreNetworks", p?["current"]?["prcOnCoreNetworks"]);
            Add(f, name + ".change", LastChange(p?["trend"]));
            Add(f, name + ".overduePlans", department["overduePlans"]);
        }

        return f;
    }

    /// <summary>A department's view, from its summary and progress (null: not there).</summary>
    public static Dictionary<string, string> Department(JsonNode summary, JsonNode? progress)
    {
        var f = new Dictionary<string, string>(StringComparer.Ordinal);
        Counts(f, "department", summary["counts"]!);
        Progress(f, "department", progress, summary);
        return f;
    }

    /// <summary>A device's view, from its record, exemptions and remediation plan (null: the route is not there; a problem body: no plan).</summary>
    public static Dictionary<string, string> Device(JsonNode record, JsonNode exemptions, JsonNode? plan)
    {
        var f = new Dictionary<string, string>(StringComparer.Ordinal);
        Add(f, "device.status", record["status"]);
        Add(f, "device.severity", record["severity"] ?? JsonValue.Create("none"));
        Add(f, "device.rule", record["rule"]);
        Add(f, "device.revision", record["revision"]);
        Add(f, "device.exemption", exemptions["current"] is { } current
            ? $"Exempt until {current["expiresAt"]!.GetValue<string>()[..10]}: {current["reason"]?.GetValue<string>()}" : "No exemption is in force.");
        if (plan is null || plan["type"] is not null)
        {
            Assert.True(plan is null || plan["type"]!.GetValue<string>() == "https://asset-compliance/problems/remediation-not-found", $"the plan was not read: {plan}");
            Add(f, "device.plan", plan is null ? null : "No remediation plan is recorded.");
        }
        else
        {
            Add(f, "device.plan.action", plan["action"]);
            Add(f, "device.plan.dueDate", plan["dueDate"]);
            Add(f, "device.plan.state", plan["state"]);
            Add(f, "device.plan.overdue", plan["overdue"] is { } overdue ? (overdue.GetValue<bool>() ? "yes" : "no") : null);
        }

        return f;
    }

    private static void Counts(Dictionary<string, string> f, string prefix, JsonNode counts)
    {
        Add(f, prefix + ".total", counts["total"]);
        foreach (var (status, n) in counts["byStatus"]!.AsObject()) Add(f, $"{prefix}.byStatus.{status}", n);
        foreach (var (severity, n) in counts["nonCompliantBySeverity"]!.AsObject()) Add(f, $"{prefix}.severity.{severity}", n);
    }

    private static void Progress(Dictionary<string, string> f, string prefix, JsonNode? progress, JsonNode summary)
    {
        Add(f, prefix + ".prcMade", progress?["current"]?["prcMade"]);
        Add(f, prefix + ".prcOnSensitiveSites", progress?["current"]?["prcOnSensitiveSites"]);
        Add(f, prefix + ".prcOnCoreNetworks", progress?["current"]?["prcOnCoreNetworks"]);
        Add(f, prefix + ".openItems", progress?["current"]?["openItems"]);
        Add(f, prefix + ".age.under30Days", progress?["openItemsByAge"]?["under30Days"]);
        Add(f, prefix + ".age.from30To90Days", progress?["openItemsByAge"]?["from30To90Days"]);
        Add(f, prefix + ".age.from90To365Days", progress?["openItemsByAge"]?["from90To365Days"]);
        Add(f, prefix + ".age.over365Days", progress?["openItemsByAge"]?["over365Days"]);
        // Plans are counted with the summary (part B's maintained counts), not with the progress figures.
        Add(f, prefix + ".plans.planned", summary["plans"]?["planned"]);
        Add(f, prefix + ".plans.ordered", summary["plans"]?["ordered"]);
        Add(f, prefix + ".plans.done", summary["plans"]?["done"]);
        Add(f, prefix + ".plans.cancelled", summary["plans"]?["cancelled"]);
        Add(f, prefix + ".overduePlans", summary["overduePlans"]);
        if (progress?["trend"] is JsonArray { Count: > 0 } trend)
        {
            foreach (var point in trend)
            {
                foreach (var key in (string[])["prcOnSensitiveSites", "prcOnCoreNetworks", "openItems"])
                {
                    Add(f, $"{prefix}.trend.{point!["month"]}.{key}", point[key]);
                }
            }
        }
        else
        {
            Add(f, prefix + ".trend", null);
        }
    }

    /// <summary>The change of open items over the trend's last month, in the page's words.</summary>
    private static string? LastChange(JsonNode? trend)
    {
        if (trend is not JsonArray { Count: >= 2 } points)
        {
            return null;
        }

        var change = points[^1]!["openItems"]!.GetValue<long>() - points[^2]!["openItems"]!.GetValue<long>();
        return change == 0 ? "no change" : change > 0 ? $"up {Number(change)}" : $"down {Number(-change)}";
    }

    private static void Add(Dictionary<string, string> figures, string name, JsonNode? value) =>
        figures.Add(name, value switch
        {
            null => NotAvailable,
            JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.Number => Number(long.Parse(v.ToJsonString(), CultureInfo.InvariantCulture)),
            JsonValue v when v.TryGetValue<string>(out var s) && s.Length > 0 => s,
            _ => NotAvailable,
        });

    private static void Add(Dictionary<string, string> figures, string name, string? value) => Add(figures, name, value is null ? null : JsonValue.Create(value));

    private static string Number(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>Every figure shown equals the API's, and every figure shown is one the API gives (none unchecked).</summary>
    public static void AssertShown(IReadOnlyDictionary<string, string> expected, IReadOnlyDictionary<string, string> shown)
    {
        var wrong = expected.Where(e => !shown.TryGetValue(e.Key, out var s) || s != e.Value)
            .Select(e => $"{e.Key}: the API says '{e.Value}', the page shows '{shown.GetValueOrDefault(e.Key) ?? "(nothing)"}'")
            .Concat(shown.Keys.Except(expected.Keys).Select(k => $"{k}: shown ('{shown[k]}') but not checked against the API"))
            .ToArray();
        Assert.True(wrong.Length == 0, string.Join("\n", wrong));
    }
}
