using System.Collections.Concurrent;
using System.CommandLine;
using AssetCompliance.Core.Catalogue;
using AssetCompliance.Core.Policy;
using AssetCompliance.Core.Registers;
using AssetCompliance.Core.State;

namespace AssetCompliance.Cli;

/// <summary>
/// <c>compliance check FILE</c>: evaluates a register export offline with the same identifier and evaluator as the
/// pipeline. The exit code can never pass input that was not read: see <see cref="ExitCodes"/>.
/// </summary>
internal static class CheckCommand
{
    /// <summary>Every row read with every cell in the documented form, at least one device, nothing NonCompliant or NeedsReview.</summary>
    public const int ExitClean = 0;

    /// <summary>Not everything was read: a file check cannot read, a header that does not match, no devices, or any row not read. Wins over 2 and 3.</summary>
    public const int ExitError = 1;

    /// <summary>Everything was read, and at least one device is NonCompliant. Wins over 3.</summary>
    public const int ExitNonCompliant = 2;

    /// <summary>Everything was read and nothing is NonCompliant, but a device is NeedsReview or a cell was not in the documented form.</summary>
    public const int ExitNeedsReview = 3;

    /// <summary>How many rows not read the JSON report lists (all are printed to standard error as they are met).</summary>
    public const int ErrorsListed = 10_000;

    public const string ExitCodes = """
        Exit codes (the first that applies):
          1  not fully read: the file cannot be read (missing, a workbook, a JSON array, binary, empty), the header
             does not match, there are no devices, or any row could not be read. Devices that were read are still
             reported, NonCompliant ones too: a partial read is never a verdict on the register.
          2  every row was read, and at least one device is NonCompliant.
          3  every row was read and nothing is NonCompliant, but a device is NeedsReview or a cell was not in the
             documented form (a warning on its device).
          0  clean: every row and cell read, nothing NonCompliant or NeedsReview.
        """;

    public static Command Create()
    {
        var file = new Argument<string>("FILE") { Description = "A register export: CSV with the documented header, or JSON Lines of CloudEvents (.jsonl)." };
        var format = new Option<string>("--format") { Description = "table, json or csv.", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "json", "csv");
        var output = new Option<string?>("--output") { Description = "Write to this file instead of standard output." };
        var check = new Command("check", "Evaluate a register export offline and report every device's compliance.\n\n" + ExitCodes) { file, format, output };
        check.SetAction((parse, cancellationToken) =>
            ExecuteAsync(parse.GetValue(file)!, parse.GetValue(format)!, parse.GetValue(output), Console.Error, cancellationToken));
        return check;
    }

    /// <summary>
    /// The command as the shell runs it: the report to <paramref name="outputPath"/> or standard output, messages to
    /// <paramref name="errorOutput"/>. A missing input or output folder, or a file that cannot be opened, is an error
    /// message and exit 1, never an exception.
    /// </summary>
    public static async Task<int> ExecuteAsync(string path, string format, string? outputPath, TextWriter errorOutput, CancellationToken cancellationToken)
    {
        if ((InputProblem(path) ?? (outputPath is null ? null : OutputProblem(outputPath, path))) is { } problem)
        {
            await errorOutput.WriteLineAsync($"error: {problem}");
            return ExitError;
        }

        try
        {
            await using var target = outputPath is null ? Console.OpenStandardOutput() : File.Create(outputPath);
            // Indent JSON only for a person reading a terminal; files and pipes get the compact form.
            var indented = outputPath is null && !Console.IsOutputRedirected;
            return await RunAsync(path, format, target, errorOutput, indented, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await errorOutput.WriteLineAsync($"error: {e.Message}");
            return ExitError;
        }
    }

    /// <summary>Why <paramref name="path"/> cannot be read, or null.</summary>
    public static string? InputProblem(string path) =>
        Directory.Exists(path) ? $"'{path}' is a folder, not a register file."
        : !File.Exists(path) ? $"'{path}' does not exist."
        : null;

    /// <summary>Why the report cannot be written to <paramref name="outputPath"/>, or null.</summary>
    public static string? OutputProblem(string outputPath, string inputPath)
    {
        var full = Path.GetFullPath(outputPath);
        var folder = Path.GetDirectoryName(full);
        return Directory.Exists(full) ? $"--output '{outputPath}' is a folder; give a file name."
            : folder is not null && !Directory.Exists(folder) ? $"--output '{outputPath}': the folder '{folder}' does not exist."
            : string.Equals(full, Path.GetFullPath(inputPath), StringComparison.Ordinal) ? $"--output '{outputPath}' is the register itself; writing the report there would destroy it."
            : null;
    }

    public static async Task<int> RunAsync(string path, string format, Stream output, TextWriter errorOutput, bool indented, CancellationToken cancellationToken)
    {
        var name = Path.GetFileName(path);
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await errorOutput.WriteLineAsync($"error: '{path}' cannot be read: {e.Message}");
            return ExitError;
        }

        await using var _ = file;
        if (!file.CanSeek)
        {
            await errorOutput.WriteLineAsync($"error: '{path}' is not a regular file (a pipe?); check reads files, so that a bad record can be skipped by going back to the line after it.");
            return ExitError;
        }

        // Reading starts at once; the catalogue loads on another thread meanwhile (both take a few hundred ms).
        var evaluation = Task.Run(() => new RowEvaluator(new DeviceIdentifier(VendorCatalogue.Default), new ComplianceEvaluator(CompliancePolicy.Default)), cancellationToken);
        var register = new PipelinedRegisterReader<RowOutcome>(file, path, evaluation.ContinueWith(t => (Func<RegisterRow, RowOutcome>)t.Result.Evaluate, cancellationToken, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default), cancellationToken);
        var versions = (await evaluation).Versions;
        await using CheckReport report = format switch
        {
            "json" => new JsonCheckReport(output, indented),
            "csv" => new CsvCheckReport(output),
            _ => new TableCheckReport(output),
        };

        var errors = new List<CheckError>();
        var byStatus = new SortedDictionary<ComplianceStatus, int>();
        var (devices, withWarnings, notRead) = (0, 0, 0);
        var progress = ProgressBar.ForFile(file.Length);
        var rows = 0;
        await report.BeginAsync(versions, cancellationToken);
        await using var outcomes = register.ReadAllAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            try
            {
                if (!await outcomes.MoveNextAsync())
                {
                    break;
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Reading itself failed (the file went away, a disk error): what was read stays reported, the rest
                // is counted as not read, and the exit code says so.
                notRead++;
                progress?.Complete();
                await errorOutput.WriteLineAsync(TerminalText.Safe($"{name}: reading stopped after {rows} rows: {e.Message}"));
                break;
            }

            var outcome = outcomes.Current;
            progress?.Report(register.BytesRead, ++rows);
            if (outcome.Error is { } error)
            {
                notRead++;
                if (errors.Count < ErrorsListed)
                {
                    errors.Add(error);
                }

                progress?.Complete();
                await errorOutput.WriteLineAsync(TerminalText.Safe(error.Line > 0 ? $"{name}:{error.Line}: {string.Join("; ", error.Errors)}" : $"{name}: {string.Join("; ", error.Errors)}"));
                await report.WriteErrorAsync(error, cancellationToken);
                continue;
            }

            var result = outcome.Result!;
            devices++;
            byStatus[result.Status] = byStatus.GetValueOrDefault(result.Status) + 1;
            if (result.Warnings.Count > 0)
            {
                withWarnings++;
                progress?.Complete();
                foreach (var warning in result.Warnings)
                {
                    await errorOutput.WriteLineAsync(TerminalText.Safe($"{name}:{result.Line}: warning: {result.AssetId}: {Describe(warning)}"));
                }
            }

            await report.WriteAsync(result, cancellationToken);
        }

        progress?.Complete();
        var (exit, verdict) = Verdict(devices, notRead, byStatus.GetValueOrDefault(ComplianceStatus.NonCompliant), byStatus.GetValueOrDefault(ComplianceStatus.NeedsReview), withWarnings);
        var summary = new CheckSummary(devices, byStatus, withWarnings, notRead, notRead - errors.Count, exit, verdict);
        await report.EndAsync(versions, errors, summary, cancellationToken);
        if (format != "table")
        {
            await errorOutput.WriteLineAsync(TerminalText.Safe($"{name}: exit {exit}: {verdict}"));
        }

        return exit;
    }

    /// <summary>The exit code, by the precedence of <see cref="ExitCodes"/>, and why, in words.</summary>
    public static (int Exit, string Verdict) Verdict(int devices, int notRead, int nonCompliant, int needsReview, int withWarnings)
    {
        if (notRead > 0)
        {
            return (ExitError, $"not fully read: {notRead} row{Plural(notRead)} could not be read{(devices > 0 ? $"; the {devices} device{Plural(devices)} read{(nonCompliant > 0 ? $", {nonCompliant} NonCompliant," : "")} are not a verdict on the whole register" : "")}.");
        }

        if (devices == 0)
        {
            return (ExitError, "no devices were read, so there is no verdict.");
        }

        if (nonCompliant > 0)
        {
            return (ExitNonCompliant, $"{nonCompliant} device{Plural(nonCompliant)} NonCompliant.");
        }

        if (needsReview > 0 || withWarnings > 0)
        {
            var parts = new List<string>();
            if (needsReview > 0) parts.Add($"{needsReview} device{Plural(needsReview)} NeedsReview");
            if (withWarnings > 0) parts.Add($"{withWarnings} device{Plural(withWarnings)} with cells not in the documented form");
            return (ExitNeedsReview, $"needs review: {string.Join(", ", parts)}.");
        }

        return (ExitClean, $"clean: all {devices} device{Plural(devices)} read, nothing NonCompliant or NeedsReview.");
    }

    /// <summary>A warning as one line: <c>installed_on '24/11/2022' read as 2022-11-24, ...</c>.</summary>
    public static string Describe(CellWarning warning) => $"{warning.Column} '{warning.Value}' {warning.Message}";

    public static string Describe(IReadOnlyList<CellWarning> warnings) => string.Join("; ", warnings.Select(Describe));

    private static string Plural(int count) => count == 1 ? "" : "s";

    /// <summary>A row's verdict, or why the row could not be read.</summary>
    private sealed record RowOutcome(CheckResult? Result, CheckError? Error);

    /// <summary>Identifies and evaluates one row; runs on the reading thread.</summary>
    private sealed class RowEvaluator(DeviceIdentifier identifier, ComplianceEvaluator evaluator)
    {
        private readonly ConcurrentDictionary<Vendor, VendorView> _vendorViews = new();

        public CheckVersions Versions { get; } = new(identifier.Catalogue.Version, evaluator.Policy.Version);

        public RowOutcome Evaluate(RegisterRow row)
        {
            if (row.Device is not { } device)
            {
                return new RowOutcome(null, new CheckError(row.Line, row.Errors));
            }

            try
            {
                return EvaluateDevice(row, device);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // One row the identifier or evaluator cannot handle is one row not read, not the end of the check.
                return new RowOutcome(null, new CheckError(row.Line, [$"could not be evaluated ({e.GetType().Name}: {e.Message})"]));
            }
        }

        private RowOutcome EvaluateDevice(RegisterRow row, Core.Events.RegisteredDevice device)
        {
            var evaluated = RegisterEvaluation.Device(row); // as push sends it: unread cells marked, without values
            var identification = identifier.Identify(evaluated.Manufacturer, evaluated.Model, evaluated.MacAddress);
            var evaluation = RegisterEvaluation.Evaluate(evaluator, row, identification);
            var vendor = identification.Vendor is { } v ? _vendorViews.GetOrAdd(v, VendorView.From) : null;
            var evidence = new EvidenceSnapshot[identification.Evidence.Count];
            for (var i = 0; i < evidence.Length; i++)
            {
                evidence[i] = EvidenceSnapshot.From(identification.Evidence[i]);
            }

            return new RowOutcome(new CheckResult(row.Line, device.AssetId, device.Department, evaluation.Status, evaluation.Severity,
                evaluation.Rule, vendor, evidence, identification.RelabelSuspected, evaluation.Reasons, row.Warnings), null);
        }
    }
}
