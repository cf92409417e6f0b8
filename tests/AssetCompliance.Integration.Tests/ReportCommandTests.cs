using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using AssetCompliance.Azure.Api;
using AssetCompliance.Cli;
using UglyToad.PdfPig;

namespace AssetCompliance.Integration.Tests;

/// <summary>
/// <c>compliance report</c> against a loopback server answering like the compliance API (<see cref="ReportStandIn"/>):
/// the PDF printed by the real headless chromium holds the API's figures on its first page (read back with PdfPig,
/// and rendered to an image by poppler's pdftoppm, kept under the test output); the HTML is self-contained and escapes
/// register text; and every figure that cannot be read (API down, 403, an unknown department, a missing route or
/// figure, figures that disagree) stops the report with exit 2 and writes nothing, never a report with zeros.
/// </summary>
public sealed class ReportCommandTests
{
    /// <summary>Where the printed reports and their first-page images are kept for a person to look at.</summary>
    internal static string OutputFolder { get; } = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "report-output")).FullName;

    internal static async Task<(int Exit, string Output, string Errors)> RunAsync(Uri api, string? department, string output, string? browser = null, string? policy = null)
    {
        using var http = new HttpClient();
        var client = new ComplianceApiClient(http, api, null, null, null);
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        var exit = await ReportCommand.ExecuteAsync(new ReportCommand.Settings(department, output) { Browser = browser, PolicyPath = policy }, client, stdout, stderr, CancellationToken.None);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    private static async Task<JsonNode> GetAsync(Uri api, string path)
    {
        using var http = new HttpClient();
        return JsonNode.Parse(await http.GetStringAsync(new Uri(api, path)))!;
    }

    private static string Temp(string name) => Path.Combine(Directory.CreateTempSubdirectory("report-").FullName, name);

    /// <summary>The first page's words, row by row as PdfPig reads them, one space apart.</summary>
    internal static string FirstPageText(string pdf)
    {
        using var document = PdfDocument.Open(pdf);
        Assert.True(document.NumberOfPages >= 2, "the open items start on a page of their own");
        return string.Join(' ', document.GetPage(1).GetWords().Select(w => w.Text));
    }

    /// <summary>
    /// Asserts that the first page shows <paramref name="value"/> as a figure: the number drawn just above the first
    /// line of its <paramref name="label"/> (the same left edge), as the report's figure boxes place them.
    /// </summary>
    internal static void AssertFigure(string pdf, object? value, string label)
    {
        using var document = PdfDocument.Open(pdf);
        var words = document.GetPage(1).GetWords().ToList();
        var first = label.Split(' ').Take(3).ToArray();
        var found = new List<string>();
        for (var i = 0; i + first.Length <= words.Count; i++)
        {
            if (!first.Select((w, k) => words[i + k].Text == w).All(x => x))
            {
                continue;
            }

            var start = words[i].BoundingBox;
            var above = words.Where(w => Math.Abs(w.BoundingBox.Left - start.Left) < 3 && w.BoundingBox.Bottom > start.Top && w.BoundingBox.Bottom - start.Top < 40)
                .MinBy(w => w.BoundingBox.Bottom - start.Top);
            if (above is not null)
            {
                found.Add(above.Text);
            }
        }

        Assert.True(found.Contains(Convert.ToString(value, CultureInfo.InvariantCulture) ?? "(none)"), $"'{label}': the page shows {(found.Count == 0 ? "no figure" : string.Join(", ", found))}, the API {value}");
    }

    /// <summary>
    /// Renders the PDF's first page with pdftoppm at 50 dpi, as PNG (kept beside the PDF) and as grey levels (read here):
    /// an A4 page (413 x 585 pixels) on which some part of the top third (the figures) is dark.
    /// </summary>
    internal static void AssertFirstPageRendersAsA4WithInk(string pdf)
    {
        var prefix = Path.ChangeExtension(pdf, null) + "-page1";
        foreach (var format in (string[])["-png", "-gray"])
        {
            Pdftoppm(format, "-r", "50", "-f", "1", "-l", "1", "-singlefile", pdf, prefix);
        }

        Assert.True(File.Exists(prefix + ".png"), $"pdftoppm wrote no {prefix}.png");
        var (width, height, pixels) = ReadPgm(File.ReadAllBytes(prefix + ".pgm"));
        Assert.InRange(width, 412, 414);
        Assert.InRange(height, 584, 586);
        var top = pixels.AsSpan(0, width * (height / 3)).ToArray();
        var dark = top.Count(p => p < 128);
        Assert.True(dark > top.Length / 100, $"the first page's top third is blank ({dark} dark pixels of {top.Length})");
    }

    private static void Pdftoppm(params string[] arguments)
    {
        var start = new ProcessStartInfo("pdftoppm") { RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("pdftoppm is not installed: run .ci/install-tools (Debian's poppler-utils).", e);
        }

        using (process)
        {
            var errors = process.StandardError.ReadToEnd();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, $"pdftoppm {string.Join(' ', arguments)}: {errors}");
        }
    }

    /// <summary>A binary PGM (P5, 8 bits): width, height and the grey level of each pixel.</summary>
    private static (int Width, int Height, byte[] Pixels) ReadPgm(byte[] file)
    {
        var fields = new List<string>();
        var i = 0;
        while (fields.Count < 4)
        {
            while (char.IsWhiteSpace((char)file[i]))
            {
                i++;
            }

            var start = i;
            while (!char.IsWhiteSpace((char)file[i]))
            {
                i++;
            }

            fields.Add(System.Text.Encoding.ASCII.GetString(file, start, i - start));
        }

        Assert.Equal(("P5", "255"), (fields[0], fields[3]));
        var (width, height) = (int.Parse(fields[1], CultureInfo.InvariantCulture), int.Parse(fields[2], CultureInfo.InvariantCulture));
        return (width, height, file[(i + 1)..(i + 1 + (width * height))]);
    }

    [Fact]
    public async Task A_department_PDF_shows_the_APIs_figures_on_its_first_page()
    {
        await using var api = await ReportStandIn.StartSampleAsync();
        var pdf = Path.Combine(OutputFolder, "department-HO.pdf");
        File.Delete(pdf);

        var (exit, output, errors) = await RunAsync(api.Address, "HO", pdf);

        Assert.True(exit == 0, errors);
        Assert.Contains("department-HO.pdf", output);
        var progress = await GetAsync(api.Address, "api/departments/HO/progress");
        var summary = await GetAsync(api.Address, "api/departments/HO/summary");
        var current = progress["current"]!;
        var text = FirstPageText(pdf);
        Assert.Contains("department HO", text);
        Assert.Contains("24 November 2022", text);
        Assert.Contains("1 December 2026, 12:00 UTC", text);
        AssertFigure(pdf, current["devices"], "devices in the register");
        AssertFigure(pdf, current["prcMade"], "made by companies subject to the PRC National Intelligence Law");
        AssertFigure(pdf, current["prcOnSensitiveSites"], "PRC-made on sensitive sites");
        AssertFigure(pdf, current["prcOnCoreNetworks"], "PRC-made on core networks");
        AssertFigure(pdf, current["openItems"], "open items (NonCompliant)");
        AssertFigure(pdf, summary["counts"]!["byStatus"]!["NeedsReview"], "need review");
        AssertFigure(pdf, summary["counts"]!["byStatus"]!["Advisory"], "advisory (replace early)");
        AssertFigure(pdf, progress["overduePlans"], "overdue remediation plans");
        Assert.Contains($"over a year {progress["openItemsByAge"]!["over365Days"]}", text);
        Assert.Contains($"ordered {progress["plans"]!["ordered"]}", text);
        Assert.Contains("2022-11", text); // the trend chart's first month, drawn on page one
        AssertFirstPageRendersAsA4WithInk(pdf);

        // The open items, with their plans and the register's hostile text shown as text.
        using var document = PdfDocument.Open(pdf);
        var rest = string.Join(' ', document.GetPages().Skip(1).SelectMany(p => p.GetWords()).Select(w => w.Text));
        Assert.Contains("HO-CAM-0001", rest);
        Assert.Contains("<script>alert(", rest); // drawn as text, wrapped in its cell
        Assert.Contains("\"><img src=x", rest);
        Assert.Contains("OVERDUE", rest);
        Assert.DoesNotContain("HO-CAM-0006", rest); // compliant: not an open item
        Assert.Equal(5, api.PlanReads);
    }
}
