using System.CommandLine;
using AssetCompliance.Core.Events;
using AssetCompliance.Core.Policy;
using AssetCompliance.Core.Reports;
using AssetCompliance.Core.State;

namespace AssetCompliance.Cli;

/// <summary>
/// <c>compliance report [--department D | --estate] --output report.pdf|report.html</c>: the printable report of a
/// department or of the whole estate (figures, the trend since the instruction date, every open item with its
/// remediation plan), read from the compliance API (<see cref="ComplianceReportBuilder"/>), rendered by
/// <see cref="ReportHtml"/> and, for a .pdf, printed by headless chromium (<see cref="ChromiumPdf"/>). Nothing is
/// written unless every figure was read: see <see cref="ExitCodes"/>. The file appears whole or not at all (written
/// beside it, then moved into place), so an earlier report is never left half overwritten.
/// </summary>
internal static class ReportCommand
{
    /// <summary>The report was written.</summary>
    public const int ExitWritten = 0;

    /// <summary>Nothing was tried: an option, the output path or the policy file is wrong.</summary>
    public const int ExitUsage = 1;

    /// <summary>The figures could not all be read, or a report of them would not be true; nothing written.</summary>
    public const int ExitNotRead = 2;

    /// <summary>The figures were read, but the PDF could not be printed (no chromium, or it failed); nothing written.</summary>
    public const int ExitNotPrinted = 3;

    public const string ExitCodes = """
        Exit codes (nothing is written unless the code is 0):
          0  the report was written, every figure read from the API.
          1  nothing was tried: --department and --estate together, a bad department name, --output not a .pdf or .html
             file, in a folder that does not exist or cannot be written, or the same file as an input (the policy file,
             the browser), or a policy file that cannot be read.
          2  a figure could not be read: the API does not answer, refuses (401, 403: a department role reads only its own
             department, the estate needs Compliance.ReadAll), lacks a route (an older API), answers without a figure;
             or the department is unknown to the API, the API evaluates with another policy, or figures that must agree
             do not (the estate changed while it was read: run it again).
          3  the figures were read but the PDF could not be printed: chromium is not installed (apt-get install
             chromium) or failed.
        """;

    /// <summary>What to report and where: <see cref="Department"/> null for the whole estate.</summary>
    public sealed record Settings(string? Department, string Output)
    {
        /// <summary>A policy file to name on the report instead of the built-in one (it must be the API's: its version is compared).</summary>
        public string? PolicyPath { get; init; }

        /// <summary>The browser for a PDF (<see cref="ChromiumPdf.Find"/>).</summary>
        public string? Browser { get; init; }
    }

    public static Command Create()
    {
        var department = new Option<string?>("--department") { Description = "The department to report on (its role, Compliance.ReadAll or Compliance.Admin). Without it, the whole estate." };
        var estate = new Option<bool>("--estate") { Description = "Report on the whole estate (needs Compliance.ReadAll): every department's figures, the estate's trend and every open item." };
        var output = new Option<string>("--output") { Description = "The report file: .pdf (printed by headless chromium) or .html (self-contained: inline CSS and chart, no external resources).", Required = true };
        var policy = new Option<string?>("--policy") { Description = "The policy file the API evaluates with, to name on the report (default: the built-in catalogue/policy.json). Its version must be the API's." };
        var browser = new Option<string?>("--browser") { Description = "The chromium executable for a PDF (default: CHROMIUM, else chromium or chromium-browser on PATH)." };
        var api = new ComplianceApiOptions("For the report");
        var command = new Command("report", "Write the printable compliance report of a department or of the whole estate, for the Cabinet Office: the figures, the trend since the instruction date, the open items and their remediation plans, read from the compliance API.\n\n" + ExitCodes)
        {
            department, estate, output, policy, browser,
        };
        api.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (parse.GetValue(estate) && parse.GetValue(department) is not null)
            {
                await Console.Error.WriteLineAsync("error: give --department D or --estate, not both.");
                return ExitUsage;
            }

            if (await api.CreateAsync(parse, Console.Error, "report") is not { } created)
            {
                return ExitUsage;
            }

            var settings = new Settings(parse.GetValue(department), parse.GetValue(output)!) { PolicyPath = parse.GetValue(policy), Browser = parse.GetValue(browser) };
            return await ExecuteAsync(settings, created.Client, Console.Out, Console.Error, cancellationToken);
        });
        return command;
    }

    /// <summary>Reads the report from <paramref name="source"/> and writes it; the exit code (<see cref="ExitCodes"/>).</summary>
    public static async Task<int> ExecuteAsync(Settings settings, IReportSource source, TextWriter output, TextWriter errors, CancellationToken cancellationToken)
    {
        if (settings.Department is { } d && Identifiers.DepartmentError(d) is { } departmentError)
        {
            await errors.WriteLineAsync(TerminalText.Safe($"error: --department {departmentError}."));
            return ExitUsage;
        }

        var pdf = Path.GetExtension(settings.Output).ToLowerInvariant() switch
        {
            ".pdf" => true,
            ".html" or ".htm" => false,
            _ => (bool?)null,
        };
        if (pdf is null)
        {
            await errors.WriteLineAsync(TerminalText.Safe($"error: --output '{settings.Output}' must end in .pdf or .html."));
            return ExitUsage;
        }

        CompliancePolicy policy;
        try
        {
            policy = settings.PolicyPath is null ? CompliancePolicy.Default : CompliancePolicy.Load(await File.ReadAllBytesAsync(settings.PolicyPath, cancellationToken));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Text.Json.JsonException or InvalidDataException or ArgumentException)
        {
            await errors.WriteLineAsync(TerminalText.Safe($"error: --policy '{settings.PolicyPath}' cannot be read: {e.Message}"));
            return ExitUsage;
        }

        var browser = pdf.Value ? ChromiumPdf.Find(settings.Browser) : null;
        if (pdf.Value && browser is null)
        {
            await errors.WriteLineAsync(TerminalText.Safe($"error: {(settings.Browser is null ? "no chromium was found" : $"--browser '{settings.Browser}' does not exist")}: {ChromiumPdf.InstallHint}. Nothing was read or written."));
            return ExitNotPrinted;
        }

        if (OutputProblem(settings.Output, [settings.PolicyPath, browser]) is { } problem)
        {
            await errors.WriteLineAsync(TerminalText.Safe($"error: {problem}"));
            return ExitUsage;
        }

        // The report is written beside its place and moved there when whole: the folder's writability is known before
        // the API is read, and a failure later leaves any earlier report as it was.
        var full = Path.GetFullPath(settings.Output);
        var part = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.part");
        try
        {
            await using (new FileStream(part, FileMode.CreateNew, FileAccess.Write))
            {
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await errors.WriteLineAsync(TerminalText.Safe($"error: --output '{settings.Output}' cannot be written: {e.Message}"));
            return ExitUsage;
        }

        try
        {
            ComplianceReport report;
            try
            {
                report = await ComplianceReportBuilder.BuildAsync(source, settings.Department, policy, cancellationToken);
            }
            catch (DependencyUnavailableException e)
            {
                await errors.WriteLineAsync(TerminalText.Safe($"error: the report needs every figure, and {e.Reason}. Nothing was written."));
                return ExitNotRead;
            }
            catch (ReportRefusedException e)
            {
                await errors.WriteLineAsync(TerminalText.Safe($"error: {e.Message}. Nothing was written."));
                return ExitNotRead;
            }

            var html = ReportHtml.Render(report);
            if (pdf.Value)
            {
                if (await ChromiumPdf.PrintAsync(browser!, html, part, cancellationToken) is { } failure)
                {
                    await errors.WriteLineAsync($"error: the figures were read, but the PDF could not be printed: {failure}. Nothing was written.");
                    return ExitNotPrinted;
                }
            }
            else
            {
                await File.WriteAllTextAsync(part, html, cancellationToken);
            }

            File.Move(part, full, overwrite: true);
            await output.WriteLineAsync(TerminalText.Safe($"{settings.Output}: {ReportHtml.Title(report)}, as of {report.AsOf.ToUniversalTime():yyyy-MM-dd HH:mm} UTC: "
                + $"{ReportHtml.Number(report.Progress.Current.PrcOnSensitiveSites)} PRC-made on sensitive sites, {ReportHtml.Number(report.Progress.Current.PrcOnCoreNetworks)} on core networks, "
                + $"{ReportHtml.Number(report.OpenItems.Count)} open items, {ReportHtml.Number(report.Progress.OverduePlans)} overdue plans."));
            return ExitWritten;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await errors.WriteLineAsync(TerminalText.Safe($"error: --output '{settings.Output}' cannot be written: {e.Message}. Nothing was written."));
            return ExitUsage;
        }
        finally
        {
            File.Delete(part); // gone already when moved into place
        }
    }

    /// <summary>Why the report cannot be written to <paramref name="path"/>, or null: a folder, a missing folder, or one of the <paramref name="inputs"/> (links followed).</summary>
    private static string? OutputProblem(string path, IEnumerable<string?> inputs)
    {
        var full = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(full);
        if (Directory.Exists(full))
        {
            return $"--output '{path}' is a folder; give a file name.";
        }

        if (folder is not null && !Directory.Exists(folder))
        {
            return $"--output '{path}': the folder '{folder}' does not exist.";
        }

        foreach (var input in inputs.OfType<string>())
        {
            if (File.Exists(input) && string.Equals(CommandFiles.RealPath(full), CommandFiles.RealPath(input), StringComparison.Ordinal))
            {
                return $"--output '{path}' is '{input}', an input of the report; writing the report there would destroy it.";
            }
        }

        return null;
    }
}
