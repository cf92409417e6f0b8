using System.Globalization;
using System.Net;
using System.Text;
using AssetCompliance.Core.Policy;

namespace AssetCompliance.Core.Reports;

/// <summary>
/// A <see cref="ComplianceReport"/> as one self-contained HTML document for print (A4): inline CSS, the trend as an
/// inline SVG (<see cref="TrendChart"/>), no script and no external resource (a Content-Security-Policy that allows
/// none, so a browser printing it fetches nothing). The figures are on the first page; then the departments (estate
/// reports), the open items with their plans. Every text that came from a register or a person (asset and site ids,
/// makers, owners, notes, department names) is HTML-escaped.
/// </summary>
public static class ReportHtml
{
    /// <summary>A whole number as the report prints it (thousands grouped, invariant culture), e.g. <c>12,345</c>.</summary>
    public static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>The report's title line.</summary>
    public static string Title(ComplianceReport report) =>
        report.Department is null ? "PRC-made surveillance equipment: the whole estate" : $"PRC-made surveillance equipment: department {report.Department}";

    /// <summary>The HTML document.</summary>
    public static string Render(ComplianceReport report)
    {
        var html = new StringBuilder(16_384 + report.OpenItems.Count * 400);
        var p = report.Progress;
        html.Append("<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n")
            .Append("<title>").Append(E(Title(report))).Append("</title>\n<style>").Append(Css).Append("</style>\n</head>\n<body>\n");

        html.Append("<header>\n<h1>").Append(E(Title(report))).Append("</h1>\n<dl class=\"meta\">\n");
        Meta(html, "Department", report.Department ?? $"All departments ({report.Departments.Count})");
        Meta(html, "As of", report.AsOf.ToUniversalTime().ToString("d MMMM yyyy, HH:mm 'UTC'", CultureInfo.InvariantCulture));
        Meta(html, "Policy", $"{report.PolicyName} (version {report.PolicyVersion})");
        Meta(html, "Instruction date", report.InstructionDate.ToString("d MMMM yyyy", CultureInfo.InvariantCulture));
        Meta(html, "Source", report.Source);
        html.Append("</dl>\n</header>\n");

        html.Append("<section aria-labelledby=\"figures\">\n<h2 id=\"figures\">The figures now</h2>\n<div class=\"figures\">\n");
        Figure(html, "devices", p.Current.Devices, "devices in the register");
        Figure(html, "prcMade", p.Current.PrcMade, "made by companies subject to the PRC National Intelligence Law");
        Figure(html, "prcOnSensitiveSites", p.Current.PrcOnSensitiveSites, "PRC-made on sensitive sites");
        Figure(html, "prcOnCoreNetworks", p.Current.PrcOnCoreNetworks, "PRC-made on core networks");
        Figure(html, "openItems", p.Current.OpenItems, "open items (NonCompliant)");
        Figure(html, "needsReview", report.Counts.Of(ComplianceStatus.NeedsReview), "need review");
        Figure(html, "advisory", report.Counts.Of(ComplianceStatus.Advisory), "advisory (replace early)");
        Figure(html, "overduePlans", p.OverduePlans, "overdue remediation plans");
        html.Append("</div>\n<div class=\"tables\">\n");
        SmallTable(html, "Open items by age", [("under 30 days", p.OpenItemsByAge.Under30Days), ("30 to 90 days", p.OpenItemsByAge.From30To90Days),
            ("90 days to a year", p.OpenItemsByAge.From90To365Days), ("over a year", p.OpenItemsByAge.Over365Days)]);
        SmallTable(html, "Remediation plans", [("planned", p.Plans.Planned), ("ordered", p.Plans.Ordered), ("done", p.Plans.Done), ("cancelled", p.Plans.Cancelled), ("overdue", p.OverduePlans)]);
        SmallTable(html, "Devices by status", [.. Enum.GetValues<ComplianceStatus>().Select(s => (s.ToString(), report.Counts.Of(s))), ("total", report.Counts.Total)]);
        html.Append("</div>\n</section>\n");

        html.Append("<section aria-labelledby=\"trend\">\n<h2 id=\"trend\">Since ").Append(E(report.InstructionDate.ToString("d MMMM yyyy", CultureInfo.InvariantCulture))).Append("</h2>\n")
            .Append(TrendChart.Svg(p.Trend)).Append("\n</section>\n");

        if (report.Departments.Count > 0)
        {
            html.Append("<section aria-labelledby=\"departments\">\n<h2 id=\"departments\">Departments</h2>\n<table>\n<thead><tr><th scope=\"col\">Department</th><th scope=\"col\">Devices</th><th scope=\"col\">PRC-made</th>")
                .Append("<th scope=\"col\">on sensitive sites</th><th scope=\"col\">on core networks</th><th scope=\"col\">Open items</th><th scope=\"col\">Need review</th><th scope=\"col\">Overdue plans</th></tr></thead>\n<tbody>\n");
            foreach (var d in report.Departments)
            {
                html.Append("<tr><th scope=\"row\">").Append(E(d.Department)).Append("</th>");
                foreach (var value in (long[])[d.Progress.Current.Devices, d.Progress.Current.PrcMade, d.Progress.Current.PrcOnSensitiveSites, d.Progress.Current.PrcOnCoreNetworks,
                    d.Progress.Current.OpenItems, d.Counts.Of(ComplianceStatus.NeedsReview), d.Progress.OverduePlans])
                {
                    html.Append("<td class=\"n\">").Append(Number(value)).Append("</td>");
                }

                html.Append("</tr>\n");
            }

            html.Append("</tbody>\n</table>\n</section>\n");
        }

        OpenItems(html, report);
        html.Append("<footer>Read from ").Append(E(report.Source)).Append(" at ").Append(E(report.AsOf.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)))
            .Append(". Every figure is as the compliance API answered it; a figure it could not give stops the report rather than printing as zero.</footer>\n</body>\n</html>\n");
        return html.ToString();
    }

    private static void OpenItems(StringBuilder html, ComplianceReport report)
    {
        html.Append("<section class=\"items\" aria-labelledby=\"items\">\n<h2 id=\"items\">Open items and plans (").Append(Number(report.OpenItems.Count)).Append(")</h2>\n");
        if (report.OpenItems.Count == 0)
        {
            html.Append("<p>No device is NonCompliant, needs review or is advisory.</p>\n</section>\n");
            return;
        }

        html.Append("<table>\n<colgroup>").Append(report.Department is null ? "<col class=\"dept\">" : "")
            .Append("<col class=\"asset\"><col class=\"status\"><col class=\"maker\"><col class=\"type\"><col class=\"site\"><col class=\"since\"><col class=\"plan\"></colgroup>\n")
            .Append("<thead><tr>").Append(report.Department is null ? "<th scope=\"col\">Dept</th>" : "")
            .Append("<th scope=\"col\">Asset</th><th scope=\"col\">Status</th><th scope=\"col\">Maker</th><th scope=\"col\">Type</th><th scope=\"col\">Site</th>")
            .Append("<th scope=\"col\">Open since</th><th scope=\"col\">Plan</th></tr></thead>\n<tbody>\n");
        foreach (var item in report.OpenItems)
        {
            var a = item.Asset;
            html.Append("<tr>");
            if (report.Department is null)
            {
                Cell(html, item.Department);
            }

            Cell(html, a.AssetId);
            Cell(html, a.Severity is { } severity ? $"{a.Status} ({severity})" : a.Status.ToString());
            Cell(html, a.Vendor is { } v ? v.Name + (v.SubjectToNationalIntelligenceLaw == true ? " (PRC)" : "") : "unidentified");
            Cell(html, a.DeviceType ?? "");
            Cell(html, a.SiteId is null ? "" : a.SiteId + (a.SiteSensitive == true ? " (sensitive)" : ""));
            Cell(html, a.StatusSince.ToUniversalTime().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            if (item.Plan is { } plan)
            {
                html.Append("<td class=\"plan").Append(plan.Overdue ? " overdue" : "").Append("\">")
                    .Append(E($"{plan.Action} by {plan.DueDate:yyyy-MM-dd}, {plan.State}{(plan.Closed ? " (closed)" : "")}{(plan.Overdue ? ", OVERDUE" : "")}; owner {plan.Owner}"));
                if (!string.IsNullOrEmpty(plan.Notes))
                {
                    html.Append("<br><span class=\"notes\">").Append(E(plan.Notes)).Append("</span>");
                }

                html.Append("</td>");
            }
            else
            {
                html.Append("<td class=\"plan none\">no plan</td>");
            }

            html.Append("</tr>\n");
        }

        html.Append("</tbody>\n</table>\n</section>\n");
    }

    private static void Meta(StringBuilder html, string term, string value) =>
        html.Append("<dt>").Append(E(term)).Append("</dt><dd>").Append(E(value)).Append("</dd>\n");

    private static void Figure(StringBuilder html, string key, long value, string label) =>
        html.Append("<div class=\"figure\"><span class=\"value\" data-figure=\"").Append(key).Append("\">").Append(Number(value))
            .Append("</span><span class=\"label\">").Append(E(label)).Append("</span></div>\n");

    private static void SmallTable(StringBuilder html, string caption, IEnumerable<(string Label, long Value)> rows)
    {
        html.Append("<table class=\"small\"><caption>").Append(E(caption)).Append("</caption><tbody>");
        foreach (var (label, value) in rows)
        {
            html.Append("<tr><th scope=\"row\">").Append(E(label)).Append("</th><td class=\"n\">").Append(Number(value)).Append("</td></tr>");
        }

        html.Append("</tbody></table>\n");
    }

    private static void Cell(StringBuilder html, string text) => html.Append("<td>").Append(E(text)).Append("</td>");

    /// <summary>
    /// Text as HTML: markup characters and quotes escaped (WebUtility), and control and invisible format characters
    /// shown as their code, so that register text can neither add markup, reorder what a reader sees, nor make two
    /// different values look the same.
    /// </summary>
    internal static string E(string text)
    {
        var shown = new StringBuilder(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            // Every invisible format character (bidirectional controls, zero-width space, byte order mark, soft hyphen,
            // tag characters) and the line and paragraph separators, as the cards and the dashboard show them; the
            // zero-width joiner and non-joiner stay, since scripts and emoji need them. A lone surrogate is U+FFFD.
            if (Rune.IsControl(rune) || rune.Value is 0x2028 or 0x2029
                || (Rune.GetUnicodeCategory(rune) == UnicodeCategory.Format && rune.Value is not (0x200C or 0x200D)))
            {
                shown.Append(CultureInfo.InvariantCulture, $"[U+{rune.Value:X4}]");
            }
            else
            {
                shown.Append(rune.ToString());
            }
        }

        return WebUtility.HtmlEncode(shown.ToString());
    }

    private const string Css = """

        @page { size: A4; margin: 14mm 12mm; }
        * { box-sizing: border-box; }
        body { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; font-size: 9.5pt; color: #111; margin: 0; }
        h1 { font-size: 16pt; margin: 0 0 4mm; }
        h2 { font-size: 12pt; margin: 5mm 0 2mm; border-bottom: 0.4mm solid #1d3c6e; color: #1d3c6e; }
        dl.meta { display: grid; grid-template-columns: 32mm 1fr; gap: 1mm 3mm; margin: 0; }
        dl.meta dt { font-weight: bold; }
        dl.meta dd { margin: 0; }
        .figures { display: grid; grid-template-columns: repeat(4, 1fr); gap: 2.5mm; }
        .figure { border: 0.3mm solid #1d3c6e; border-radius: 1.5mm; padding: 2mm; break-inside: avoid; }
        .figure .value { display: block; font-size: 18pt; font-weight: bold; }
        .figure .label { display: block; font-size: 8pt; }
        .tables { display: flex; gap: 4mm; margin-top: 3mm; align-items: flex-start; }
        table { border-collapse: collapse; width: 100%; }
        table.small { width: auto; flex: 1; }
        caption { text-align: left; font-weight: bold; padding-bottom: 1mm; }
        th, td { border: 0.2mm solid #999; padding: 0.8mm 1.5mm; text-align: left; vertical-align: top; overflow-wrap: break-word; }
        td.n { text-align: right; font-variant-numeric: tabular-nums; }
        thead { display: table-header-group; }
        tr { break-inside: avoid; }
        td.overdue { font-weight: bold; }
        td.none { color: #555; }
        .notes { font-size: 8pt; color: #333; }
        .items { break-before: page; }
        .items table { table-layout: fixed; font-size: 8pt; }
        .items col.dept { width: 7%; } .items col.asset { width: 14%; } .items col.status { width: 15%; } .items col.maker { width: 13%; }
        .items col.type { width: 8%; } .items col.site { width: 13%; } .items col.since { width: 11%; } .items col.plan { width: 26%; }
        svg { width: 100%; height: auto; }
        footer { margin-top: 5mm; font-size: 7.5pt; color: #444; }

        """;
}
