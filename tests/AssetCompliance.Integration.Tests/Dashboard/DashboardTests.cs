using System.Net;
using System.Text.Json.Nodes;
using AssetCompliance.Api.Security;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace AssetCompliance.Integration.Tests.Dashboard;

/// <summary>
/// The dashboard in a real browser (Debian's chromium, headless, through Playwright) against the local run on the
/// sample estate: every figure shown equals the API's answer, a department sees only its own data whatever the
/// address says, hostile register text stays text, each view passes axe-core without a serious or critical
/// violation and works from the keyboard, and the print view prints. Screenshots are kept under the test output
/// (dashboard-screenshots/). One browser and one local run serve the whole class.
/// </summary>
public sealed class DashboardTests(DashboardFixture dashboard) : IClassFixture<DashboardFixture>
{
    private static readonly string ReadAll = CompliancePrincipal.Encode("Central Security", ComplianceRoles.ReadAll);
    private static readonly string HomeOffice = CompliancePrincipal.Encode("Home Office officer", ComplianceRoles.DepartmentPrefix + "HO");

    [Fact]
    public async Task The_estate_overview_shows_exactly_the_API_s_figures_to_ReadAll()
    {
        using var api = dashboard.Api(ReadAll);
        await using var page = await dashboard.OpenAsync(ReadAll);

        var summary = await JsonAsync(api, "summary");
        var shown = await page.FiguresAsync();
        DashboardFigures.AssertShown(DashboardFigures.Estate(summary, await JsonAsync(api, "progress")), shown);
        // The progress and plan routes are there: every figure is a real one, and the fixture's plans are counted.
        Assert.DoesNotContain(DashboardFigures.NotAvailable, shown.Values);
        Assert.Equal(("3", "1"), (shown["estate.plans.planned"], shown["estate.plans.ordered"])); // HO's three and the hostile DCMS device's
        Assert.Equal("Estate overview", await page.Page.TextContentAsync("h1"));
        // The oldest open items: each department's oldest NonCompliant device, oldest first, as the summary says.
        var oldest = summary["departments"]!.AsArray().Select(d => d!["oldestOpenNonCompliant"]).OfType<JsonNode>()
            .OrderBy(o => DateTimeOffset.Parse(o["since"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture))
            .Select(o => $"{o["department"]}/{o["assetId"]}").ToArray();
        Assert.NotEmpty(oldest);
        Assert.Equal(oldest, await AttributesAsync(page, "[data-oldest]", "data-oldest"));
        await page.ScreenshotAsync("estate");
        await page.AssertCleanAsync();
    }

    [Fact]
    public async Task A_department_role_opens_its_own_department_with_exactly_the_API_s_figures_and_open_items()
    {
        using var api = dashboard.Api(HomeOffice);
        await using var page = await dashboard.OpenAsync(HomeOffice);

        Assert.Equal("Department HO", await page.Page.TextContentAsync("h1"));
        var shown = await page.FiguresAsync();
        DashboardFigures.AssertShown(
            DashboardFigures.Department(await JsonAsync(api, "departments/HO/summary"), await JsonAsync(api, "departments/HO/progress")),
            shown);
        Assert.DoesNotContain(DashboardFigures.NotAvailable, shown.Values);
        Assert.Equal(("2", "1"), (shown["department.plans.planned"], shown["department.plans.ordered"]));
        var open = await JsonAsync(api, "departments/HO/assets?status=NonCompliant&top=50");
        Assert.Equal(open["items"]!.AsArray().Select(i => i!["assetId"]!.GetValue<string>()), await AttributesAsync(page, "[data-open-item]", "data-open-item"));
        Assert.NotEmpty(open["items"]!.AsArray());
        // No way to the estate from the navigation: the role does not cover it.
        Assert.Equal(["Department HO"], await page.TextsAsync("#nav a"));
        await page.ScreenshotAsync("department-HO");
        await page.AssertCleanAsync();
    }

    [Theory]
    [InlineData("departments/DFE")]
    [InlineData("estate")]
    [InlineData("departments/DFE/assets/DFE-CAM-0101")]
    [InlineData("departments/MOJ/assets/MOJ-CAM-0201")]
    [InlineData("departments/ho")]
    public async Task A_department_never_sees_another_s_data_even_by_editing_the_address(string fragment)
    {
        await using var page = await dashboard.OpenAsync(HomeOffice);
        Assert.Equal("Department HO", await page.Page.TextContentAsync("h1"));

        var before = page.Answers.Count;
        await page.EditAddressAsync(fragment);

        Assert.Empty(await page.FiguresAsync());
        Assert.Empty(await page.TextsAsync("#view table, #view [data-figure], #view li"));
        Assert.Contains("You do not have access to", await page.Page.TextContentAsync("#view"));
        // What the page asked for after the edit, the API refused: the browser never held another department's data.
        var after = page.Answers.Skip(before).Where(a => a.Path.StartsWith("/api/", StringComparison.Ordinal) && !a.Path.StartsWith("/api/dashboard", StringComparison.Ordinal)).ToArray();
        Assert.NotEmpty(after);
        Assert.All(after, a => Assert.True(a.Status is 403 or 404, $"{a.Path} answered {a.Status}"));
        var text = await page.Page.TextContentAsync("#view") ?? "";
        foreach (var registered in (string[])["Dahua", "Sheffield", "Tiandy", "Petty France", "Bosch"])
        {
            Assert.DoesNotContain(registered, text, StringComparison.Ordinal);
        }

        await page.ScreenshotAsync("refused-" + fragment.Replace('/', '-'));
        await page.AssertCleanAsync();
    }

    [Fact]
    public async Task A_caller_with_two_department_roles_chooses_one_and_a_caller_with_none_is_told_there_is_nothing()
    {
        await using (var page = await dashboard.OpenAsync(CompliancePrincipal.Encode("two hats", "Department.HO", "Department.DFE")))
        {
            Assert.Equal("Your departments", await page.Page.TextContentAsync("h1"));
            Assert.Equal(["DFE", "HO"], await page.TextsAsync("#view a"));
            Assert.Equal(["Department DFE", "Department HO"], await page.TextsAsync("#nav a"));
            await page.Page.ClickAsync("#view a >> text=DFE");
            await page.WaitForViewAsync();
            Assert.Equal("Department DFE", await page.Page.TextContentAsync("h1"));
            Assert.NotEmpty(await page.FiguresAsync());
            await page.AssertCleanAsync();
        }

        await using (var page = await dashboard.OpenAsync(CompliancePrincipal.Encode("no roles")))
        {
            Assert.Equal("No department", await page.Page.TextContentAsync("h1"));
            Assert.Empty(await page.FiguresAsync());
            await page.AssertCleanAsync();
        }
    }

    [Fact]
    public async Task The_device_view_shows_the_API_s_verdict_reasons_evidence_history_exemption_and_plan()
    {
        using var api = dashboard.Api(ReadAll);
        await using var page = await dashboard.OpenAsync(ReadAll, "departments/HO/assets/HO-CAM-0001");

        var path = "departments/HO/assets/HO-CAM-0001";
        var record = await JsonAsync(api, path);
        DashboardFigures.AssertShown(
            DashboardFigures.Device(record, await JsonAsync(api, path + "/exemptions"), await JsonAsync(api, path + "/remediation")),
            await page.FiguresAsync());
        Assert.Equal(record["reasons"]!.AsArray().Select(r => r!.GetValue<string>()), await page.TextsAsync("[data-list=reasons] li"));
        Assert.Equal(record["evidence"]!.AsArray().Select(e => e!["input"]!.GetValue<string>()), await page.TextsAsync("[data-table=evidence] tbody tr td:nth-child(3)"));
        var history = await JsonAsync(api, path + "/history");
        Assert.Equal(history["entries"]!.AsArray().Select(e => e!["outcome"]!.GetValue<string>()), await page.TextsAsync("[data-table=history] tbody tr td:nth-child(3)"));
        await page.ScreenshotAsync("device-HO-CAM-0001");
        await page.AssertCleanAsync();
    }

    [Fact]
    public async Task Hostile_register_text_is_shown_as_text_and_runs_nothing()
    {
        using var api = dashboard.Api(ReadAll);
        var id = Uri.EscapeDataString(DashboardFixture.HostileAssetId);
        var record = await JsonAsync(api, $"departments/{DashboardFixture.HostileDepartment}/assets/{id}");
        Assert.Equal(DashboardFixture.HostileManufacturer, record["device"]!["manufacturer"]!.GetValue<string>()); // stored as sent

        await using var page = await dashboard.OpenAsync(ReadAll, $"departments/{DashboardFixture.HostileDepartment}/assets/{id}");

        Assert.Null(await page.Page.EvaluateAsync<string?>("() => window.__injected ?? null"));
        Assert.Equal(0, await page.Page.Locator("#view img, #view script, #view svg, #view b, #view iframe").CountAsync());
        Assert.Equal("Device " + DashboardFixture.HostileAssetId, await page.Page.TextContentAsync("h1"));
        var shown = await page.TextsAsync("dl.fields dd");
        Assert.Contains(DashboardFixture.HostileManufacturer, shown);
        Assert.Contains(DashboardFixture.HostileModel, shown);
        Assert.Contains(shown, s => s.Contains(DashboardFixture.HostileSiteName, StringComparison.Ordinal));
        // Bidirectional overrides and isolates cannot reorder what the reader sees: they are shown as their code points.
        Assert.Contains("Estates [U+202E]gnp.exe", shown);
        Assert.Contains("PO [U+2066]<b>1</b>[U+2069]", shown);
        Assert.DoesNotContain(await page.Page.TextContentAsync("#view") ?? "", c => c is '\u202E' or '\u2066' or '\u2069');
        await page.ScreenshotAsync("device-hostile");

        // The estate's lists show the id literally too.
        await page.EditAddressAsync("departments/" + DashboardFixture.HostileDepartment);
        Assert.Null(await page.Page.EvaluateAsync<string?>("() => window.__injected ?? null"));
        Assert.Equal(0, await page.Page.Locator("#view img, #view script, #view svg, #view b").CountAsync());
        await page.AssertCleanAsync();
    }

    [Theory]
    [InlineData("ReadAll", "")]
    [InlineData("HomeOffice", "")]
    [InlineData("ReadAll", "departments/HO/assets/HO-CAM-0001")]
    [InlineData("HomeOffice", "departments/DFE")]
    public async Task Every_view_has_no_serious_or_critical_accessibility_violation(string caller, string fragment)
    {
        await using var page = await dashboard.OpenAsync(caller == "ReadAll" ? ReadAll : HomeOffice, fragment);

        var result = await page.Page.RunAxe();

        var serious = result.Violations.Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Html))}").ToArray();
        Assert.True(serious.Length == 0, string.Join("\n", serious));
        Assert.NotEmpty(result.Passes);
        await page.AssertCleanAsync();
    }

    [Fact]
    public async Task The_keyboard_reaches_the_content_and_a_department_and_focus_follows_the_view()
    {
        await using var page = await dashboard.OpenAsync(ReadAll);
        // A view puts the focus on its heading; backwards from there, the navigation and then the skip link.
        Assert.Equal("title", await page.Page.EvaluateAsync<string>("() => document.activeElement.id"));
        for (var i = 0; i < 10 && await page.Page.EvaluateAsync<string>("() => document.activeElement.className") != "skip-link"; i++)
        {
            await page.Page.Keyboard.PressAsync("Shift+Tab");
        }

        Assert.Equal("skip-link", await page.Page.EvaluateAsync<string>("() => document.activeElement.className"));
        await page.Page.Keyboard.PressAsync("Enter");
        Assert.Equal("main", await page.Page.EvaluateAsync<string>("() => document.activeElement.id"));

        for (var i = 0; i < 60 && await page.Page.EvaluateAsync<string>("() => document.activeElement.textContent") != "HO"; i++)
        {
            await page.Page.Keyboard.PressAsync("Tab");
        }

        await page.Page.Keyboard.PressAsync("Enter");
        await page.WaitForViewAsync();
        Assert.Equal("Department HO", await page.Page.TextContentAsync("h1"));
        Assert.Equal("title", await page.Page.EvaluateAsync<string>("() => document.activeElement.id"));
        Assert.Equal("Department HO loaded.", await page.Page.TextContentAsync("[role=status]"));
        await page.AssertCleanAsync();
    }

    [Fact]
    public async Task The_print_view_drops_the_controls_and_prints_to_PDF()
    {
        await using var page = await dashboard.OpenAsync(HomeOffice);

        await page.Page.EmulateMediaAsync(new PageEmulateMediaOptions { Media = Media.Print });

        Assert.False(await page.Page.Locator("#nav").IsVisibleAsync());
        Assert.True(await page.Page.Locator("[data-figure='department.total']").IsVisibleAsync());
        await page.ScreenshotAsync("department-HO-print");
        var pdf = await page.Page.PdfAsync(new PagePdfOptions { Path = Path.Combine(dashboard.OutputDirectory, "department-HO.pdf"), Format = "A4", PrintBackground = true });
        Assert.Equal("%PDF-"u8.ToArray(), pdf[..5]);
        Assert.Contains("/Type /Page", System.Text.Encoding.Latin1.GetString(pdf), StringComparison.Ordinal);
        await page.AssertCleanAsync();
    }

    /// <summary>
    /// The progress figures and the trend chart, drawn from an answer of the agreed shape (/work/contract19.md, part C)
    /// given to the page in place of the route's, so that the page's reading of it is tested before the route exists.
    /// </summary>
    [Fact]
    public async Task Progress_figures_and_the_trend_chart_are_drawn_from_an_answer_of_the_agreed_shape()
    {
        var progress = AgreedProgress("HO", DateTimeOffset.UtcNow);
        await using var page = await dashboard.OpenAsync(HomeOffice, prepare: p => p.RouteAsync("**/api/departments/HO/progress",
            route => route.FulfillAsync(new RouteFulfillOptions { Status = 200, ContentType = "application/json", Body = progress.ToJsonString() })));

        using var api = dashboard.Api(HomeOffice);
        DashboardFigures.AssertShown(DashboardFigures.Department(await JsonAsync(api, "departments/HO/summary"), progress), await page.FiguresAsync());
        Assert.Equal(1, await page.Page.Locator("[data-chart=department] canvas").CountAsync());
        await page.ScreenshotAsync("department-HO-progress");
        await page.AssertCleanAsync();
    }

    /// <summary>A remediation plan of the agreed shape (part B), given to the page in place of the route's answer.</summary>
    [Fact]
    public async Task A_remediation_plan_of_the_agreed_shape_is_shown_on_the_device_view()
    {
        var path = "departments/HO/assets/HO-CAM-0001";
        var plan = new JsonObject
        {
            ["department"] = "HO", ["assetId"] = "HO-CAM-0001", ["action"] = "replace", ["dueDate"] = "2027-03-31", ["owner"] = "Estates <team>",
            ["state"] = "ordered", ["notes"] = "<i>Axis P3245</i> on order", ["createdAt"] = "2026-11-01T09:00:00Z", ["updatedAt"] = "2026-11-02T09:00:00Z",
            ["updatedBy"] = "ho officer", ["overdue"] = false, ["closed"] = false, ["closedAt"] = null, ["closedBecause"] = null,
        };
        await using var page = await dashboard.OpenAsync(ReadAll, path, p => p.RouteAsync("**/api/" + path + "/remediation",
            route => route.FulfillAsync(new RouteFulfillOptions { Status = 200, ContentType = "application/json", Body = plan.ToJsonString() })));

        using var api = dashboard.Api(ReadAll);
        DashboardFigures.AssertShown(DashboardFigures.Device(await JsonAsync(api, path), await JsonAsync(api, path + "/exemptions"), plan), await page.FiguresAsync());
        Assert.Contains("<i>Axis P3245</i> on order", await page.TextsAsync("dl.fields dd"));
        Assert.Equal(0, await page.Page.Locator("#view i").CountAsync());
        await page.AssertCleanAsync();
    }

    /// <summary>
    /// Only the remediation route's own "no plan" problem says there is no plan: another 404 problem (the device was
    /// removed between the page's reads) is the plan not read, shown as a refusal, never "No remediation plan is recorded".
    /// </summary>
    [Fact]
    public async Task A_404_that_is_not_the_remediation_routes_no_plan_is_not_shown_as_no_plan()
    {
        var path = "departments/HO/assets/HO-CAM-0002";
        var gone = new JsonObject { ["type"] = "https://asset-compliance/problems/asset-not-found", ["title"] = "No such asset.", ["status"] = 404, ["detail"] = "Department HO has no asset 'HO-CAM-0002'." };
        await using var page = await dashboard.OpenAsync(ReadAll, path, p => p.RouteAsync("**/api/" + path + "/remediation",
            route => route.FulfillAsync(new RouteFulfillOptions { Status = 404, ContentType = "application/problem+json", Body = gone.ToJsonString() })));

        Assert.False((await page.FiguresAsync()).ContainsKey("device.plan"));
        var text = await page.Page.TextContentAsync("#view") ?? "";
        Assert.DoesNotContain("No remediation plan is recorded", text, StringComparison.Ordinal);
        Assert.Contains("the remediation plan could not be read (404: No such asset.)", text, StringComparison.Ordinal);
    }

    /// <summary>A progress body of the agreed shape: a point per month from 2022-11 to <paramref name="asOf"/>'s month.</summary>
    internal static JsonObject AgreedProgress(string department, DateTimeOffset asOf)
    {
        var trend = new JsonArray();
        var month = new DateTime(2022, 11, 1, 0, 0, 0, DateTimeKind.Utc);
        for (var i = 0; month <= asOf.UtcDateTime; i++, month = month.AddMonths(1))
        {
            trend.Add(new JsonObject { ["month"] = month.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture), ["prcOnSensitiveSites"] = 40 - i / 2, ["prcOnCoreNetworks"] = 12 - i / 4, ["openItems"] = 55 - i });
        }

        var last = trend[^1]!;
        return new JsonObject
        {
            ["department"] = department,
            ["asOf"] = asOf.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
            ["since"] = "2022-11-24",
            ["current"] = new JsonObject { ["devices"] = 1200, ["prcMade"] = 61, ["prcOnSensitiveSites"] = last["prcOnSensitiveSites"]!.DeepClone(), ["prcOnCoreNetworks"] = last["prcOnCoreNetworks"]!.DeepClone(), ["openItems"] = last["openItems"]!.DeepClone() },
            ["trend"] = trend,
            ["openItemsByAge"] = new JsonObject { ["under30Days"] = 3, ["from30To90Days"] = 4, ["from90To365Days"] = 5, ["over365Days"] = 6 },
            ["plans"] = new JsonObject { ["planned"] = 0, ["ordered"] = 0, ["done"] = 0, ["cancelled"] = 0 },
            ["overduePlans"] = 0,
        };
    }

    private static async Task<IReadOnlyList<string>> AttributesAsync(DashboardPage page, string selector, string attribute) =>
        await page.Page.EvalOnSelectorAllAsync<string[]>(selector, "(els, a) => els.map(e => e.getAttribute(a))", attribute);

    private static async Task<JsonNode> JsonAsync(HttpClient api, string path)
    {
        using var response = await api.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {body}");
        return JsonNode.Parse(body)!;
    }
}
