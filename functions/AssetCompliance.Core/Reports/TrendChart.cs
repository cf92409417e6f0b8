using System.Globalization;
using System.Text;

namespace AssetCompliance.Core.Reports;

/// <summary>
/// The monthly trend as an inline SVG line chart (no script, no font or library to fetch): PRC-made devices on
/// sensitive sites, on core networks, and open items, one point per month. The lines differ in dash as well as
/// colour, so that the chart reads on a black-and-white print; a title and description name it for screen readers.
/// </summary>
public static class TrendChart
{
    private const double Width = 720, Height = 250, Left = 48, Right = 12, Top = 28, Bottom = 34;

    private static readonly (string Name, string Colour, string Dash, Func<ProgressPoint, long> Value)[] Series =
    [
        ("PRC-made on sensitive sites", "#b3261e", "", p => p.PrcOnSensitiveSites),
        ("PRC-made on core networks", "#1d3c6e", "6 3", p => p.PrcOnCoreNetworks),
        ("open items", "#6b6b00", "2 2", p => p.OpenItems),
    ];

    /// <summary>
    /// The top of the value axis and its step: a step of 1, 2 or 5 times a power of ten that divides the axis into
    /// at most four parts and reaches <paramref name="largest"/> (0 to 1 for an empty or all-zero trend).
    /// </summary>
    internal static (long Top, long Step) Scale(long largest)
    {
        var step = 1L;
        while (step * 4 < largest)
        {
            step = step.ToString(CultureInfo.InvariantCulture)[0] switch { '1' => step * 2, '2' => step / 2 * 5, _ => step * 2 };
        }

        return (Math.Max(step, (largest + step - 1) / step * step), step);
    }

    /// <summary>The chart of <paramref name="trend"/> (months in order, <c>YYYY-MM</c>).</summary>
    public static string Svg(IReadOnlyList<ProgressPoint> trend)
    {
        var svg = new StringBuilder();
        var last = trend.Count > 0 ? trend[^1] : null;
        var description = last is null ? "No months to show."
            : $"From {trend[0].Month} to {last.Month}. Now: " + string.Join("; ", Series.Select(s => $"{s.Name} {ReportHtml.Number(s.Value(last))}")) + ".";
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {Width} {Height}\" role=\"img\" aria-labelledby=\"trend-title trend-desc\">")
            .Append("<title id=\"trend-title\">Trend by month</title><desc id=\"trend-desc\">").Append(ReportHtml.E(description)).Append("</desc>");
        var (max, step) = Scale(trend.Count == 0 ? 0 : trend.Max(p => Series.Max(s => s.Value(p))));
        var plotWidth = Width - Left - Right;
        var plotHeight = Height - Top - Bottom;
        double X(int i) => Left + (trend.Count <= 1 ? plotWidth / 2 : plotWidth * i / (trend.Count - 1));
        double Y(long v) => Top + plotHeight - (plotHeight * v / max);

        // Grid lines at round values from 0 to the top of the scale.
        svg.Append(CultureInfo.InvariantCulture, $"<g font-size=\"10\" fill=\"#333\" stroke=\"none\">");
        for (var v = 0L; v <= max; v += step)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{Y(v):0.#}\" y2=\"{Y(v):0.#}\" stroke=\"#ccc\" stroke-width=\"0.6\"/>")
                .Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 4}\" y=\"{Y(v) + 3:0.#}\" text-anchor=\"end\">{ReportHtml.Number(v)}</text>");
        }

        for (var i = 0; i < trend.Count; i++)
        {
            // The first and last month are labelled, and each January not within three months of them (the labels
            // would overlap); the first label starts at its point and the last ends at it, so that neither is cut off.
            var anchor = i == 0 ? "start" : i == trend.Count - 1 ? "end" : "middle";
            if (i == 0 || i == trend.Count - 1 || (trend[i].Month.EndsWith("-01", StringComparison.Ordinal) && i >= 3 && i <= trend.Count - 4))
            {
                svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{X(i):0.#}\" y=\"{Height - Bottom + 14}\" text-anchor=\"{anchor}\">{ReportHtml.E(trend[i].Month)}</text>");
            }
        }

        svg.Append("</g>");
        foreach (var (name, colour, dash, value) in Series)
        {
            var points = string.Join(' ', trend.Select((p, i) => string.Create(CultureInfo.InvariantCulture, $"{X(i):0.#},{Y(value(p)):0.#}")));
            svg.Append(CultureInfo.InvariantCulture, $"<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\"{(dash.Length > 0 ? $" stroke-dasharray=\"{dash}\"" : "")} points=\"{points}\"><title>{ReportHtml.E(name)}</title></polyline>");
        }

        // The legend, above the plot.
        var x = Left;
        foreach (var (name, colour, dash, _) in Series)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{x}\" x2=\"{x + 22}\" y1=\"12\" y2=\"12\" stroke=\"{colour}\" stroke-width=\"2\"{(dash.Length > 0 ? $" stroke-dasharray=\"{dash}\"" : "")}/>")
                .Append(CultureInfo.InvariantCulture, $"<text x=\"{x + 26}\" y=\"15\" font-size=\"10\" fill=\"#111\">{ReportHtml.E(name)}</text>");
            x += 200;
        }

        return svg.Append("</svg>").ToString();
    }
}
