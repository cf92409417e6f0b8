using System.Net;
using System.Text.RegularExpressions;
using AssetCompliance.Core.Policy;
using AssetCompliance.Core.Reports;
using CsCheck;

namespace AssetCompliance.Core.Tests;

/// <summary>
/// The printed report's HTML (<see cref="ReportHtml"/>): every text from a register or a person is shown as text
/// (escaped), never as markup, and the document is self-contained (no script, no element or address that fetches).
/// </summary>
public sealed partial class ReportHtmlTests
{
    /// <summary>The elements the report is made of; anything else in the output came from the data.</summary>
    private static readonly HashSet<string> Elements =
    [
        "!doctype", "html", "head", "meta", "title", "style", "body", "header", "h1", "h2", "dl", "dt", "dd", "section", "div", "span", "table", "caption", "colgroup",
        "col", "thead", "tbody", "tr", "th", "td", "p", "br", "footer", "svg", "g", "line", "text", "polyline", "desc",
    ];

    private static readonly string[] Hostile =
    [
        "<script>alert(1)</script>", "\"><img src=x onerror=alert(2)>", "' onmouseover='alert(3)", "</td></tr></table><iframe src=//evil>",
        "<style>@import url(//evil/x.css)</style>", "&lt;already&gt; &amp;", "right\u202Eto-left", "nul\u0000 and esc\u001b[2J", "<!-- -->", "<svg onload=alert(4)>",
    ];

    private static ComplianceReport Report(string text)
    {
        var counts = new ReportCounts
        {
            Total = 3,
            ByStatus = new Dictionary<ComplianceStatus, long> { [ComplianceStatus.NonCompliant] = 1, [ComplianceStatus.NeedsReview] = 1, [ComplianceStatus.Compliant] = 1 },
            NonCompliantBySeverity = new Dictionary<Severity, long> { [Severity.Critical] = 1 },
        };
        var figures = new ProgressFigures
        {
            Current = new ProgressCurrent { Devices = 3, PrcMade = 2, PrcOnSensitiveSites = 1, PrcOnCoreNetworks = 1, OpenItems = 1 },
            Trend = [new ProgressPoint { Month = "2022-11", PrcOnSensitiveSites = 4, PrcOnCoreNetworks = 2, OpenItems = 3 }, new ProgressPoint { Month = text, PrcOnSensitiveSites = 1, PrcOnCoreNetworks = 1, OpenItems = 1 }],
            OpenItemsByAge = new OpenItemsByAge { Under30Days = 1, From30To90Days = 0, From90To365Days = 0, Over365Days = 0 },
            Plans = new PlanCounts { Planned = 1, Ordered = 0, Done = 0, Cancelled = 0 },
            OverduePlans = 1,
        };
        var asset = new ReportAsset
        {
            AssetId = text, Status = ComplianceStatus.NonCompliant, Severity = Severity.Critical, Rule = text, Vendor = new ReportVendor { Name = text, SubjectToNationalIntelligenceLaw = true },
            DeviceType = text, SiteId = text, SiteSensitive = true, StatusSince = new DateTimeOffset(2025, 1, 2, 0, 0, 0, TimeSpan.Zero),
        };
        var plan = new RemediationPlanView { Department = text, AssetId = text, Action = text, DueDate = new DateOnly(2026, 3, 31), Owner = text, State = text, Notes = text, Overdue = true, Closed = false };
        return new ComplianceReport
        {
            Department = null, AsOf = new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero), PolicyName = text, PolicyVersion = text, InstructionDate = new DateOnly(2022, 11, 24), Source = text,
            Counts = counts, Progress = figures, Departments = [new ReportDepartment(text, counts, figures)],
            OpenItems = [new ReportItem(text, asset, plan), new ReportItem(text, asset with { Status = ComplianceStatus.NeedsReview, Severity = null }, null)],
        };
    }

    private static void AssertShownAsText(string text)
    {
        var html = ReportHtml.Render(Report(text));
        foreach (Match tag in Tag().Matches(html))
        {
            Assert.Contains(tag.Groups["name"].Value.ToLowerInvariant(), Elements);
            Assert.DoesNotMatch(EventAttribute(), tag.Value);
        }

        // One style sheet, the report's own, that loads nothing (text that says url( is only text).
        var style = Assert.Single(Style().Matches(html)).Groups["css"].Value;
        Assert.DoesNotContain("url(", style, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("@import", style, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("\u202E", html, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b", html, StringComparison.Ordinal);
        Assert.DoesNotContain("\u0000", html, StringComparison.Ordinal);
        // Only the SVG namespace is an address in the markup: nothing is fetched.
        Assert.Equal(["http://www.w3.org/2000/svg"], Address().Matches(string.Concat(Tag().Matches(html).Select(m => m.Value))).Select(m => m.Value).Distinct());
        Assert.Contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none';", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Hostile_register_text_is_shown_as_text_never_as_markup()
    {
        foreach (var text in Hostile)
        {
            AssertShownAsText(text);
        }

        var html = ReportHtml.Render(Report(Hostile[0]));
        Assert.Contains(WebUtility.HtmlEncode(Hostile[0]), html, StringComparison.Ordinal);
        Assert.Contains("right[U+202E]to-left", ReportHtml.Render(Report("right\u202Eto-left")), StringComparison.Ordinal);
    }

    /// <summary>
    /// Every invisible format character, not only the bidirectional ones, is shown as its code point (as in the cards
    /// and the dashboard): a zero-width space, a byte order mark or a soft hyphen would make two owners or ids look
    /// the same; the zero-width joiner and non-joiner stay, since scripts and emoji need them.
    /// </summary>
    [Theory]
    [InlineData("Estates\u200BTeam", "Estates[U+200B]Team")]
    [InlineData("\uFEFFHO-CAM-0001", "[U+FEFF]HO-CAM-0001")]
    [InlineData("re\u00ADplace", "re[U+00AD]place")]
    [InlineData("line\u2028two", "line[U+2028]two")]
    [InlineData("tag\U000E0041", "tag[U+E0041]")]
    [InlineData("\u0915\u094D\u200D\u0937", "\u0915\u094D\u200D\u0937")]
    public void Invisible_format_characters_are_shown_as_their_code_point(string text, string shown) =>
        Assert.Equal(System.Net.WebUtility.HtmlEncode(shown), ReportHtml.E(text));

    [Fact]
    public void Generated_hostile_text_is_shown_as_text_never_as_markup()
    {
        var hostileChar = Gen.Frequency((4, Gen.Char["<>&\"'=/ ;:()`!-"]), (3, Gen.Char['a', 'z']), (1, Gen.Char['\u0000', '\u001f']), (1, Gen.Char["\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f"]));
        var texts = Gen.OneOf(hostileChar.Array[1, 40].Select(c => new string(c)), Gen.Int[0, Hostile.Length - 1].Select(i => Hostile[i])).Array[150];
        Check.Sample(texts, all => Array.ForEach(all, AssertShownAsText), seed: "0N0XIzNsQ0O2", iter: 1, threads: 1);
    }

    [Fact]
    public void The_first_section_holds_every_figure_of_the_progress_route()
    {
        var html = ReportHtml.Render(Report("x"));
        var first = html[..html.IndexOf("<section aria-labelledby=\"trend\">", StringComparison.Ordinal)];
        foreach (var (key, value) in (ReadOnlySpan<(string, long)>)[("devices", 3), ("prcMade", 2), ("prcOnSensitiveSites", 1), ("prcOnCoreNetworks", 1), ("openItems", 1), ("needsReview", 1), ("overduePlans", 1)])
        {
            Assert.Contains($"data-figure=\"{key}\">{value}<", first, StringComparison.Ordinal);
        }
    }

    [GeneratedRegex(@"<\s*/?\s*(?<name>!?[a-zA-Z][a-zA-Z0-9-]*)[^>]*>")]
    private static partial Regex Tag();

    [Theory]
    [InlineData(0, 1, 1)]
    [InlineData(1, 1, 1)]
    [InlineData(4, 4, 1)]
    [InlineData(5, 6, 2)]
    [InlineData(7, 8, 2)]
    [InlineData(9, 10, 5)]
    [InlineData(50_000, 60_000, 20_000)]
    [InlineData(123_456, 150_000, 50_000)]
    public void The_trend_axis_runs_in_round_steps_to_just_above_the_largest_value(long largest, long top, long step) =>
        Assert.Equal((top, step), TrendChart.Scale(largest));

    [Fact]
    public void The_trend_has_a_point_per_month_per_line_the_last_at_the_values_of_now()
    {
        ProgressPoint Point(int month, long sensitive) => new() { Month = $"2023-{month:D2}", PrcOnSensitiveSites = sensitive, PrcOnCoreNetworks = 0, OpenItems = 0 };
        var svg = TrendChart.Svg([Point(1, 8), Point(2, 4), Point(3, 0)]);
        var lines = Regex.Matches(svg, "points=\"(?<p>[^\"]*)\"").Select(m => m.Groups["p"].Value.Split(' ')).ToList();
        Assert.Equal(3, lines.Count);
        Assert.All(lines, l => Assert.Equal(3, l.Length));
        var ys = lines[0].Select(p => double.Parse(p.Split(',')[1], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.True(ys[0] < ys[1] && ys[1] < ys[2], "a falling count is drawn falling"); // SVG's y grows downwards
        Assert.Contains("Now: PRC-made on sensitive sites 0", svg, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"<style>(?<css>.*?)</style>", RegexOptions.Singleline)]
    private static partial Regex Style();

    [GeneratedRegex(@"\son[a-z]+\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex EventAttribute();

    [GeneratedRegex(@"(https?:)?//[^\s""'<>]+")]
    private static partial Regex Address();
}
