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

/// <summary>
/// A report that cannot be wholly read, or not written where asked, writes nothing (an earlier report stays as it
/// was, no part file is left) and exits non-zero with a line that says why: 1 for what was never tried, 2 for a figure
/// not read or not true, 3 for a PDF not printed.
/// </summary>
public sealed class ReportCommandErrorTests
{
    private static readonly string Html = Path.Combine(Directory.CreateTempSubdirectory("report-errors-").FullName, "report.html");

    private static async Task AssertRefusedAsync(ReportStandIn api, string? department, int exit, string reason, string? output = null, string? browser = null, string? policy = null) =>
        await AssertRefusedAsync(api.Address, department, exit, reason, output, browser, policy);

    private static async Task AssertRefusedAsync(Uri api, string? department, int exit, string reason, string? output = null, string? browser = null, string? policy = null)
    {
        output ??= Path.Combine(Directory.CreateTempSubdirectory("report-").FullName, "report.html");
        var folder = Path.GetDirectoryName(Path.GetFullPath(output))!;
        var earlier = File.Exists(output) ? await File.ReadAllTextAsync(output) : null;
        var (code, written, errors) = await ReportCommandTests.RunAsync(api, department, output, browser, policy);
        Assert.True(code == exit, $"exit {code}, expected {exit}: {errors}");
        Assert.Contains(reason, errors, StringComparison.Ordinal);
        Assert.StartsWith("error: ", errors, StringComparison.Ordinal);
        Assert.Equal("", written);
        Assert.Equal(earlier, File.Exists(output) ? await File.ReadAllTextAsync(output) : null);
        if (Directory.Exists(folder) && !folder.StartsWith("/proc", StringComparison.Ordinal))
        {
            Assert.Empty(Directory.GetFiles(folder, "*.part"));
        }
    }

    [Fact]
    public async Task The_API_down_is_exit_2_and_an_earlier_report_stays_as_it_was()
    {
        var output = Path.Combine(Directory.CreateTempSubdirectory("report-").FullName, "report.html");
        await File.WriteAllTextAsync(output, "the report of last month");
        await AssertRefusedAsync(new Uri($"http://127.0.0.1:{LocalRunTests.FreePort()}/"), "HO", ReportCommand.ExitNotRead, "could not be read", output);
    }

    [Theory]
    [InlineData("HO", "403 Forbidden")]
    [InlineData(null, "403 Forbidden")]
    public async Task A_department_role_gets_no_report_of_another_department_nor_of_the_estate(string? department, string reason)
    {
        await using var api = await ReportStandIn.StartSampleAsync();
        api.Caller = "DFE";
        await AssertRefusedAsync(api, department, ReportCommand.ExitNotRead, reason);
        await AssertRefusedAsync(api, department, ReportCommand.ExitNotRead, "a department role reads only its own department");
    }

    [Fact]
    public async Task A_department_role_gets_its_own_report()
    {
        await using var api = await ReportStandIn.StartSampleAsync();
        api.Caller = "DFE";
        var (exit, _, errors) = await ReportCommandTests.RunAsync(api.Address, "DFE", Html);
        Assert.True(exit == 0, errors);
        var html = await File.ReadAllTextAsync(Html);
        Assert.Contains("DFE-CAM-0101", html);
        Assert.DoesNotContain("HO-CAM", html);
    }

    [Fact]
    public async Task An_unknown_department_is_not_a_report_of_zeros()
    {
        await using var api = await ReportStandIn.StartSampleAsync();
        await AssertRefusedAsync(api, "MOJ", ReportCommand.ExitNotRead, "holds no devices of department MOJ");
    }

    [Theory]
    [InlineData("progress", "HO")]
    [InlineData("estate-progress", null)]
    [InlineData("remediation", "HO")]
    [InlineData("summary", "HO")]
    [InlineData("health", "HO")]
    public async Task A_route_the_API_lacks_stops_the_report(string route, string? department)
    {
        await using var api = await ReportStandIn.StartSampleAsync();
        api.Missing.Add(route);
        await AssertRefusedAsync(api, department, ReportCommand.ExitNotRead, "answered 404 Not Found (the API has no such route");
    }

    /// <summary>
    /// Only the remediation route's own "no plan" problem is a device without a plan: a 404 that says the device is
    /// gone (removed after the list was read) or any other problem is a figure not read, never "no plan".
    /// </summary>
    [Fact]
    public async Task A_404_that_is_not_the_remediation_routes_no_plan_stops_the_report()
    {
        await using var api = await ReportStandIn.StartSampleAsync();
        api.Gone.Add("HO-CAM-0001");
        await AssertRefusedAsync(api, "HO", ReportCommand.ExitNotRead, "answered 404");
    }

    [Theory]
    [InlineData("progress", "current", "prcOnCoreNetworks", false)]
    [InlineData("progress", "current", "prcOnSensitiveSites", true)]
    [InlineData("progress", null, "overduePlans", false)]
    [InlineData("progress", "plans", "ordered", false)]
    [InlineData("progress", "openItemsByAge", "over365Days", true)]
    [InlineData("summary", "counts", "total", false)]
    [InlineData("summary", "counts", "byStatus", false)]
    [InlineData("assets", null, "items", false)]
    [InlineData("remediation", null, "dueDate", false)]
    [InlineData("remediation", null, "overdue", true)]
    [InlineData("health", null, "policyVersion", false)]
    public async Task A_figure_missing_or_null_stops_the_report_rather_than_printing_zero(string route, string? parent, string figure, bool asNull)
    {
        await using var api = await ReportStandIn.StartSampleAsync();
        api.Tamper = (r, node) =>
        {
            if (r == route && (parent is null ? node : node[parent]) is JsonObject holder)
            {
                if (asNull)
                {
                    holder[figure] = null;
                }
                else
                {
                    holder.Remove(figure);
                }
            }
        };
        await AssertRefusedAsync(api, "HO", ReportCommand.ExitNotRead, "answered without a figure the report needs");
    }

    [Theory]
    [InlineData("summary", "HO")]
    [InlineData("progress", "HO")]
    [InlineData("estate-summary", null)]
    public async Task Figures_that_disagree_stop_the_report(string route, string? department)
    {
        await using var api = await ReportStandIn.StartSampleAsync();
        api.Tamper = (r, node) =>
        {
            switch (r == route ? r : "")
            {
                case "summary":
                    node["counts"]!["byStatus"]!["NonCompliant"] = 4;
                    break;
                case "progress":
                    node["current"]!["openItems"] = 2;
                    break;
                case "estate-summary":
                    node["departments"]!.AsArray().Add(JsonNode.Parse("""{"department":"MOD","counts":{"total":1,"byStatus":{"Compliant":1},"nonCompliantBySeverity":{}}}"""));
                    break;
            }
        };
        await AssertRefusedAsync(api, department, ReportCommand.ExitNotRead, "the estate changed while it was read; run the report again");
    }

    [Fact]
    public async Task An_API_evaluating_with_another_policy_is_not_reported_under_this_one()
    {
        await using var api = await ReportStandIn.StartSampleAsync();
        api.PolicyVersion = "pol-000000000000";
        await AssertRefusedAsync(api, "HO", ReportCommand.ExitNotRead, "the API evaluates with policy version pol-000000000000");
    }

    [Fact]
    public async Task An_output_that_cannot_be_written_is_exit_1_before_the_API_is_read()
    {
        await using var api = await ReportStandIn.StartSampleAsync();
        var folder = Directory.CreateTempSubdirectory("report-").FullName;
        await AssertRefusedAsync(api, "HO", ReportCommand.ExitUsage, "does not exist", Path.Combine(folder, "missing", "report.html"));
        await AssertRefusedAsync(api, "HO", ReportCommand.ExitUsage, "is a folder", folder + ".html" is var f && Directory.CreateDirectory(f) is not null ? f : "");
        await AssertRefusedAsync(api, "HO", ReportCommand.ExitUsage, "cannot be written", "/proc/report.html");
        await AssertRefusedAsync(api, "HO", ReportCommand.ExitUsage, "must end in .pdf or .html", Path.Combine(folder, "report.txt"));
        Assert.Equal(0, api.PlanReads);
    }

    [Fact]
    public async Task The_output_is_never_an_input_of_the_report()
    {
        await using var api = await ReportStandIn.StartSampleAsync();
        var folder = Directory.CreateTempSubdirectory("report-").FullName;
        var policy = Path.Combine(folder, "policy.html");
        await File.WriteAllBytesAsync(policy, await File.ReadAllBytesAsync(Path.Combine(RepositoryPaths.Root, "catalogue", "policy.json")));
        await AssertRefusedAsync(api, "HO", ReportCommand.ExitUsage, "an input of the report", policy, policy: policy);
        var link = Path.Combine(folder, "link.html");
        File.CreateSymbolicLink(link, policy);
        await AssertRefusedAsync(api, "HO", ReportCommand.ExitUsage, "an input of the report", link, policy: policy);
        Assert.StartsWith("{", await File.ReadAllTextAsync(policy), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_chromium_a_PDF_is_exit_3_naming_how_to_install_it()
    {
        await using var api = await ReportStandIn.StartSampleAsync();
        var pdf = Path.Combine(Directory.CreateTempSubdirectory("report-").FullName, "report.pdf");
        await AssertRefusedAsync(api, "HO", ReportCommand.ExitNotPrinted, "apt-get install chromium", pdf, browser: "/nonexistent/chromium");
        Assert.Equal(0, api.PlanReads); // known before the API is read
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // the stand-in browser is a shell script
    public async Task A_browser_that_fails_to_print_is_exit_3_and_writes_nothing()
    {
        await using var api = await ReportStandIn.StartSampleAsync();
        var folder = Directory.CreateTempSubdirectory("report-").FullName;
        var browser = Path.Combine(folder, "broken-chromium");
        await File.WriteAllTextAsync(browser, "#!/bin/sh\necho 'cannot open display' >&2\nexit 1\n");
        File.SetUnixFileMode(browser, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        var pdf = Path.Combine(folder, "report.pdf");
        await File.WriteAllTextAsync(pdf, "%PDF-1.4 last month's");
        await AssertRefusedAsync(api, "HO", ReportCommand.ExitNotPrinted, "exited with 1 without writing a PDF: cannot open display", pdf, browser: browser);
    }

    [Fact]
    public async Task The_command_line_refuses_a_department_and_the_estate_together()
    {
        var pdf = Path.Combine(Directory.CreateTempSubdirectory("report-").FullName, "report.pdf");
        var root = new System.CommandLine.RootCommand { ReportCommand.Create() };
        Assert.Equal(ReportCommand.ExitUsage, await root.Parse(["report", "--department", "HO", "--estate", "--output", pdf]).InvokeAsync());
        Assert.Equal(ReportCommand.ExitUsage, await root.Parse(["report", "--department", "ho!", "--output", pdf, "--api", $"http://127.0.0.1:{LocalRunTests.FreePort()}"]).InvokeAsync());
        Assert.Equal(ReportCommand.ExitUsage, await root.Parse(["report", "--output", pdf, "--api", "https://func-ac.azurewebsites.net"]).InvokeAsync()); // no --api-client-id
        Assert.False(File.Exists(pdf));
    }
}

/// <summary>
/// The estate's report (Compliance.ReadAll): every department's line, the estate's figures, every department's open
/// items with their plans, in one self-contained HTML file, and as a PDF kept under the test output.
/// </summary>
public sealed class EstateReportTests
{
    [Fact]
    public async Task The_estate_report_has_every_departments_figures_and_open_items()
    {
        await using var api = await ReportStandIn.StartSampleAsync();
        var html = Path.Combine(ReportCommandTests.OutputFolder, "estate.html");
        var pdf = Path.Combine(ReportCommandTests.OutputFolder, "estate.pdf");

        var (exit, _, errors) = await ReportCommandTests.RunAsync(api.Address, null, html);
        Assert.True(exit == 0, errors);
        (exit, _, errors) = await ReportCommandTests.RunAsync(api.Address, null, pdf);
        Assert.True(exit == 0, errors);

        using var http = new HttpClient();
        var progress = JsonNode.Parse(await http.GetStringAsync(new Uri(api.Address, "api/progress")))!;
        var page = await File.ReadAllTextAsync(html);
        var estate = progress["estate"]!["current"]!;
        foreach (var figure in (string[])["devices", "prcMade", "prcOnSensitiveSites", "prcOnCoreNetworks", "openItems"])
        {
            Assert.Contains($"data-figure=\"{figure}\">{estate[figure]}<", page, StringComparison.Ordinal);
        }

        Assert.Contains("All departments (2)", page, StringComparison.Ordinal);
        foreach (var department in progress["departments"]!.AsArray())
        {
            var current = department!["current"]!;
            Assert.Contains($"<tr><th scope=\"row\">{department["department"]}</th><td class=\"n\">{current["devices"]}</td><td class=\"n\">{current["prcMade"]}</td><td class=\"n\">{current["prcOnSensitiveSites"]}</td><td class=\"n\">{current["prcOnCoreNetworks"]}</td><td class=\"n\">{current["openItems"]}</td>", page, StringComparison.Ordinal);
        }

        Assert.Contains("<td>DFE</td><td>DFE-CAM-0101</td>", page, StringComparison.Ordinal);
        Assert.Contains("<td>HO</td><td>HO-CAM-0001</td>", page, StringComparison.Ordinal);
        Assert.Contains("Dahua &lt;script&gt;alert(1)&lt;/script&gt;", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<img", page, StringComparison.Ordinal);
        Assert.Contains("the whole estate", ReportCommandTests.FirstPageText(pdf), StringComparison.Ordinal);
        ReportCommandTests.AssertFigure(pdf, estate["prcOnSensitiveSites"], "PRC-made on sensitive sites");
        ReportCommandTests.AssertFirstPageRendersAsA4WithInk(pdf);
    }
}

/// <summary>
/// <c>compliance report</c> against the local run on the sample estate (Azurite, the real routes): the summary and the
/// open items, the progress figures and a plan made through the run's remediation route are the run's own (the
/// loopback proxy in front of it, which sets the caller, must make up no answer: <see cref="ReportProxy.StandIns"/>). The run's
/// own authoriser refuses a department role another department's report and the estate's (403, exit 2), and a
/// department the run has no devices of is no report of zeros.
/// </summary>
public sealed class LocalRunReportTests
{
    [Fact]
    public async Task A_report_of_the_sample_estate_shows_the_local_runs_figures()
    {
        var port = LocalRunTests.FreePort();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var log = new StringWriter();
        var sample = Path.Combine(RepositoryPaths.Root, "samples", "asset-events.jsonl");
        var run = Task.Run(() => new RunCommand(TextWriter.Synchronized(log)).ExecuteAsync(
            // Its own emulator (no storage given): the shared one keeps the samples as the sample replay test expects them.
            new RunCommand.Settings([sample], port, null, Verbose: false, AlertsDir: Directory.CreateTempSubdirectory("alerts-").FullName), cancel.Token));
        using var http = new HttpClient(new ValidatingHandler()) { BaseAddress = new Uri($"http://127.0.0.1:{port}/api/") };
        await LocalRunTests.WaitUntilServingAsync(http, run, log);
        await using var proxy = await ReportProxy.StartAsync(new Uri($"http://127.0.0.1:{port}/"));
        // A real plan through the run's own route, so the report's plan figures and its open-items table are the run's.
        var due = DateTime.UtcNow.AddDays(30).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        using (var made = await http.PutAsync("departments/HO/assets/HO-CAM-0001/remediation", new StringContent(
            $$"""{"action":"replace","dueDate":"{{due}}","owner":"HO Estates","state":"ordered","notes":"PO 4411"}""", System.Text.Encoding.UTF8, "application/json")))
        {
            Assert.True(made.StatusCode == System.Net.HttpStatusCode.Created, await made.Content.ReadAsStringAsync());
        }

        var pdf = Path.Combine(ReportCommandTests.OutputFolder, "local-run-HO.pdf");
        var (exit, _, errors) = await ReportCommandTests.RunAsync(proxy.Address, "HO", pdf);
        var html = Path.Combine(ReportCommandTests.OutputFolder, "local-run-HO.html");
        var (htmlExit, _, htmlErrors) = await ReportCommandTests.RunAsync(proxy.Address, "HO", html);
        var summary = JsonNode.Parse(await http.GetStringAsync("departments/HO/summary"))!;
        var open = JsonNode.Parse(await http.GetStringAsync("departments/HO/assets?status=NonCompliant&status=NeedsReview&status=Advisory&top=1000"))!;
        using var plain = new HttpClient();
        var progress = JsonNode.Parse(await plain.GetStringAsync(new Uri(proxy.Address, "api/departments/HO/progress")))!;

        // The run's own authoriser and store: a department no register came from, and a department role asking for
        // another department's report or the estate's.
        var refused = Path.Combine(Directory.CreateTempSubdirectory("report-").FullName, "refused.html");
        var unknown = await ReportCommandTests.RunAsync(proxy.Address, "DWP", refused);
        proxy.Principal = AssetCompliance.Api.Security.CompliancePrincipal.Encode("dfe-officer", "Department.DFE");
        var otherDepartment = await ReportCommandTests.RunAsync(proxy.Address, "HO", refused);
        var estate = await ReportCommandTests.RunAsync(proxy.Address, null, refused);
        var own = await ReportCommandTests.RunAsync(proxy.Address, "DFE", refused);
        await cancel.CancelAsync();
        Assert.Equal(0, await run);

        Assert.True(exit == 0, errors);
        Assert.True(htmlExit == 0, htmlErrors);
        var current = progress["current"]!;
        Assert.Equal(summary["counts"]!["byStatus"]!["NonCompliant"]!.GetValue<long>(), current["openItems"]!.GetValue<long>());
        Assert.True(current["openItems"]!.GetValue<long>() > 0, "the sample estate has open items in HO");
        ReportCommandTests.AssertFigure(pdf, current["devices"], "devices in the register");
        ReportCommandTests.AssertFigure(pdf, current["prcOnSensitiveSites"], "PRC-made on sensitive sites");
        ReportCommandTests.AssertFigure(pdf, current["prcOnCoreNetworks"], "PRC-made on core networks");
        ReportCommandTests.AssertFigure(pdf, current["openItems"], "open items (NonCompliant)");
        ReportCommandTests.AssertFigure(pdf, summary["counts"]!["byStatus"]!["NeedsReview"] ?? 0, "need review");
        ReportCommandTests.AssertFirstPageRendersAsA4WithInk(pdf);
        Assert.Equal((ReportCommand.ExitNotRead, ReportCommand.ExitNotRead, ReportCommand.ExitNotRead), (unknown.Exit, otherDepartment.Exit, estate.Exit));
        Assert.Contains("holds no devices of department DWP", unknown.Errors, StringComparison.Ordinal);
        Assert.Contains("/api/departments/HO/summary answered 403", otherDepartment.Errors, StringComparison.Ordinal);
        Assert.Contains("/api/summary answered 403", estate.Errors, StringComparison.Ordinal);
        Assert.True(own.Exit == 0, own.Errors);
        Assert.DoesNotContain("HO-CAM", await File.ReadAllTextAsync(refused), StringComparison.Ordinal);

        // Every figure came from the run's own routes: the proxy made up none.
        Assert.Equal(0, proxy.StandIns);
        Assert.Equal(1, progress["plans"]!["ordered"]!.GetValue<long>());
        Assert.Contains("ordered 1", ReportCommandTests.FirstPageText(pdf), StringComparison.Ordinal);
        var page = await File.ReadAllTextAsync(html);
        Assert.Contains($"replace by {due}, ordered; owner HO Estates", page, StringComparison.Ordinal);
        var items = open["items"]!.AsArray();
        Assert.Contains($"Open items and plans ({items.Count})", page, StringComparison.Ordinal);
        foreach (var item in items)
        {
            Assert.Contains($"<td>{item!["assetId"]}</td>", page, StringComparison.Ordinal);
        }
    }
}
