using System.Collections.Concurrent;
using System.CommandLine;
using AssetCompliance.Core.Catalogue;
using AssetCompliance.Core.Events;
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
          1  not fully read: the file cannot be read (missing, an .xls or encrypted workbook, a JSON array, binary, empty), the header
             does not match, there are no devices, or any row could not be read. Devices that were read are still
             reported, NonCompliant ones too: a partial read is never a verdict on the register.
          2  every row was read, and at least one device is NonCompliant.
          3  every row was read and nothing is NonCompliant, but a device is NeedsReview or a cell was not in the
             documented form (a warning on its device: a stray quote, bytes that are not UTF-8, a control
             character, a duplicate asset id, a department code in another case, text over 256 characters, ...).
          0  clean: every row and cell read, nothing NonCompliant or NeedsReview.
        """;

    public static Command Create()
    {
        var file = new Argument<string>("FILE") { Description = "A register export: CSV or an .xlsx workbook with our fields or a profile's header (above), or JSON Lines of CloudEvents (.jsonl), reported per device at its last revision." };
        var format = new Option<string>("--format") { Description = "table, json or csv.", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "json", "csv");
        var output = new Option<string?>("--output") { Description = "Write to this file instead of standard output. Opened after the register, and never the register itself or a link to it." };
        var check = new Command("check", "Evaluate a register export offline and report every device's compliance.\n\n" + RegisterOptions.Help + "\n" + ExitCodes) { file, format, output };
        var reading = new RegisterOptions();
        reading.AddTo(check);
        check.SetAction((parse, cancellationToken) => reading.Read(parse, Console.Error) is { } options
            ? ExecuteAsync(parse.GetValue(file)!, parse.GetValue(format)!, parse.GetValue(output), Console.Error, cancellationToken, options)
            : Task.FromResult(ExitError));
        return check;
    }

    /// <summary>
    /// The command as the shell runs it: the report to <paramref name="outputPath"/> or standard output, messages to
    /// <paramref name="errorOutput"/>. A missing input or output folder, or a file that cannot be opened, is an error
    /// message and exit 1, never an exception. The output is opened only after the register has been opened, and
    /// emptied only once it is known not to be the register (by path, through symbolic links, and by the file itself
    /// for hard links): so neither a link to the register nor an unreadable register ever costs a file.
    /// </summary>
    public static async Task<int> ExecuteAsync(string path, string format, string? outputPath, TextWriter errorOutput, CancellationToken cancellationToken, RegisterReadOptions? options = null)
    {
        if ((CommandFiles.InputProblem(path) ?? (outputPath is null ? null : CommandFiles.OutputProblem(outputPath, path))) is { } problem)
        {
            await errorOutput.WriteLineAsync($"error: {problem}");
            return ExitError;
        }

        try
        {
            if (await CommandFiles.OpenInputAsync(path, errorOutput) is not { } input)
            {
                return ExitError;
            }

            await using var _ = input;
            if (!input.CanSeek)
            {
                await errorOutput.WriteLineAsync(NotAFile(path));
                return ExitError;
            }

            Stream target;
            if (outputPath is null)
            {
                target = Console.OpenStandardOutput();
            }
            else if (CommandFiles.OpenOutput(outputPath, input, out var outputProblem) is { } opened)
            {
                target = opened;
            }
            else
            {
                await errorOutput.WriteLineAsync($"error: {outputProblem}");
                return ExitError;
            }

            await using (target)
            {
                // Indent JSON only for a person reading a terminal; files and pipes get the compact form.
                var indented = outputPath is null && !Console.IsOutputRedirected;
                return await RunAsync(input, path, format, target, errorOutput, indented, cancellationToken, options);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await errorOutput.WriteLineAsync($"error: {e.Message}");
            return ExitError;
        }
    }

    private static string NotAFile(string path) =>
        $"error: '{path}' is not a regular file (a pipe?); check reads files, so that a bad record can be skipped by going back to the line after it.";

    /// <summary>Checks the register at <paramref name="path"/>, writing the report to <paramref name="output"/>; the exit code as <see cref="ExitCodes"/> says.</summary>
    public static async Task<int> RunAsync(string path, string format, Stream output, TextWriter errorOutput, bool indented, CancellationToken cancellationToken, RegisterReadOptions? options = null)
    {
        if (await CommandFiles.OpenInputAsync(path, errorOutput) is not { } file)
        {
            return ExitError;
        }

        await using var _ = file;
        return await RunAsync(file, path, format, output, errorOutput, indented, cancellationToken, options);
    }

    /// <summary>Checks the register open as <paramref name="file"/> (seekable), named <paramref name="path"/> in messages.</summary>
    internal static async Task<int> RunAsync(Stream file, string path, string format, Stream output, TextWriter errorOutput, bool indented, CancellationToken cancellationToken, RegisterReadOptions? options = null)
    {
        var name = Path.GetFileName(path);
        if (!file.CanSeek)
        {
            await errorOutput.WriteLineAsync(NotAFile(path));
            return ExitError;
        }

        // Reading starts at once; the catalogue loads on another thread meanwhile (both take a few hundred ms).
        var evaluation = Task.Run(() => new RowEvaluator(new DeviceIdentifier(VendorCatalogue.Default), new ComplianceEvaluator(CompliancePolicy.Default)), cancellationToken);
        // The start of the file is read here, to say how it is read (delimiter, encoding) in the summary.
        var source = RegisterReader.Open(file, path, options);
        var register = new PipelinedRegisterReader<RowOutcome>(file, source.Rows, evaluation.ContinueWith(t => (Func<RegisterRow, RowOutcome>)t.Result.Evaluate, cancellationToken, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default), cancellationToken);
        var versions = (await evaluation).Versions;
        await using CheckReport report = format switch
        {
            "json" => new JsonCheckReport(output, indented),
            "csv" => new CsvCheckReport(output),
            _ => new TableCheckReport(output),
        };

        var errors = new List<CheckError>();
        var revisions = source.Events ? new LatestRevisions<CheckResult>(r => r.Status) : null;
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
                // Reading itself failed (the file went away, a disk error): every row read before it has been
                // reported (the reader hands them over first), the rest is counted as not read, the reason is in
                // the report's errors, and the exit code says so.
                notRead++;
                progress?.Complete();
                var failure = new CheckError(0, [$"reading stopped after {rows} row{Plural(rows)}, so the rest of the file is not read: {e.Message}"]);
                errors.Add(failure);
                await errorOutput.WriteLineAsync(TerminalText.Safe($"{name}: {failure.Errors[0]}"));
                await report.WriteErrorAsync(failure, cancellationToken);
                break;
            }

            var outcome = outcomes.Current;
            rows++; // not inside the call below: a null progress bar would skip the count
            progress?.Report(register.BytesRead, rows);
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

            if (revisions is not null)
            {
                // An event file is reported per device, once every event is read: a later line may hold a later revision.
                revisions.Add(outcome.Row!, outcome.Result!);
                continue;
            }

            await WriteDeviceAsync(outcome.Result!);
        }

        progress?.Complete();
        var rowEvaluator = await evaluation;
        foreach (var latest in revisions?.Latest() ?? [])
        {
            // A removal is stored merged with the revision before it, and the pipeline judges the merged device: so does check.
            var result = latest.Row.Kind == AssetEventKind.Removed && rowEvaluator.Evaluate(latest.Row).Result is { } merged ? merged : latest.Value;
            await WriteDeviceAsync(result with { Line = latest.Row.Line, Warnings = latest.Warnings, Registered = latest.Row.Registered });
        }

        foreach (var note in source.Notes)
        {
            await errorOutput.WriteLineAsync(TerminalText.Safe($"{name}:1: warning: header: {note}"));
        }

        async Task WriteDeviceAsync(CheckResult result)
        {
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

        var (exit, verdict) = Verdict(devices, notRead, byStatus.GetValueOrDefault(ComplianceStatus.NonCompliant), byStatus.GetValueOrDefault(ComplianceStatus.NeedsReview), withWarnings);
        var summary = new CheckSummary(devices, byStatus, withWarnings, notRead, notRead - errors.Count, exit, verdict, source.ReadAs, source.Notes, revisions?.Events);
        await report.EndAsync(versions, errors, summary, cancellationToken);
        if (format != "table")
        {
            await errorOutput.WriteLineAsync(TerminalText.Safe($"{name}: exit {exit}: {verdict} (read as {source.ReadAs}{(revisions is null ? "" : $"; {revisions.Events} events for {devices} devices")})"));
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
    private sealed record RowOutcome(CheckResult? Result, CheckError? Error, RegisterRow? Row = null);

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
            // As push sends it: unread cells marked and without values, so text over the contract's 256 characters
            // (unread) never reaches identification, whose name matching costs more than linear time in its length.
            var (identification, evaluation) = RegisterEvaluation.Evaluate(identifier, evaluator, row);
            var vendor = identification.Vendor is { } v ? _vendorViews.GetOrAdd(v, VendorView.From) : null;
            var evidence = new EvidenceSnapshot[identification.Evidence.Count];
            for (var i = 0; i < evidence.Length; i++)
            {
                evidence[i] = EvidenceSnapshot.From(identification.Evidence[i]);
            }

            return new RowOutcome(new CheckResult(row.Line, device.AssetId, device.Department, evaluation.Status, evaluation.Severity,
                evaluation.Rule, vendor, evidence, identification.RelabelSuspected, evaluation.Reasons, row.Warnings,
                identification.Vendor is null ? identification.UnlistedMacOrganisation : null, row.Registered), null, row);
        }
    }
}
