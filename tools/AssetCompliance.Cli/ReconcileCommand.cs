using System.CommandLine;
using AssetCompliance.Core.Catalogue;
using AssetCompliance.Core.Events;
using AssetCompliance.Core.Observations;
using AssetCompliance.Core.Policy;
using AssetCompliance.Core.Registers;

namespace AssetCompliance.Cli;

/// <summary>
/// <c>compliance reconcile --register FILE --scan FILE [--scan FILE ...] [--networks FILE]</c>: what the network shows
/// against what the register claims (docs/reconcile.md), with the same identifier and evaluator as <c>check</c>. The
/// exit code never passes input that was not read, nor anything unregistered or contradicted: see <see cref="ExitCodes"/>.
/// </summary>
internal static class ReconcileCommand
{
    /// <summary>Everything read, every observation confirmed, every registered device seen, nothing NonCompliant or NeedsReview.</summary>
    public const int ExitClean = 0;

    /// <summary>Not everything was read: the register, a scan or the networks file, or any register row. Wins over the others.</summary>
    public const int ExitError = 1;

    /// <summary>Everything read, and something was unregistered or contradicted, or a device is NonCompliant.</summary>
    public const int ExitFinding = 2;

    /// <summary>Everything read, nothing as in 2, but a match was ambiguous, a registered device was not seen, or a device is NeedsReview.</summary>
    public const int ExitReview = 3;

    public const string ExitCodes = """
        Exit codes (the first that applies):
          1  not fully read: the register, a scan or the networks file cannot be read (missing, malformed, truncated: the
             message names the file and line), or a register row could not be read. Outcomes of what was read are still
             printed, but they are not a verdict.
          2  a device was seen that the register does not have (unregistered), or whose maker differs from the register's
             (contradicted), or a device is NonCompliant.
          3  an observation matched several register entries (ambiguous), a registered device was not seen, or a device is
             NeedsReview.
          0  every observation confirmed, every registered device seen, nothing NonCompliant or NeedsReview.
        """;

    public static Command Create()
    {
        var register = new Option<string>("--register") { Description = "The register export (CSV, .xlsx or JSONL of events), read as check reads it.", Required = true };
        var scans = new Option<string[]>("--scan") { Description = "A scan or inventory: nmap XML (-oX), runZero asset export (JSONL or CSV) or Defender for Endpoint device inventory (CSV). Repeatable.", Required = true, AllowMultipleArgumentsPerToken = false };
        var networks = new Option<string?>("--networks") { Description = "The department's networks file (docs/schemas/networks.v1.schema.json): subnets to segment and site." };
        var notSeenDays = new Option<int?>("--not-seen-days") { Description = "A registered device whose latest observation is older than this many days is not seen (default: not seen only when no scan saw it)." };
        var format = new Option<string>("--format") { Description = "table, json or csv.", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "json", "csv");
        var output = new Option<string?>("--output") { Description = "Write to this file instead of standard output (never one of the inputs)." };
        var command = new Command("reconcile", "Reconcile what network scans show with what the register claims: confirmed, contradicted, unregistered, not seen, ambiguous; every observed device evaluated with its observed evidence and segment.\n\n" + ExitCodes)
        {
            register, scans, networks, notSeenDays, format, output,
        };
        // The register is read with check's reading options (--delimiter, --profile, --map, --interfaces ...), so a file
        // check reads only with them can be reconciled too.
        var reading = new RegisterOptions();
        reading.AddTo(command);
        command.SetAction((parse, cancellationToken) => reading.Read(parse, Console.Error) is { } options
            ? ExecuteAsync(new Settings(parse.GetValue(register)!, parse.GetValue(scans) ?? [], parse.GetValue(networks),
                parse.GetValue(notSeenDays), parse.GetValue(format)!, parse.GetValue(output)) { Reading = options }, Console.Out, Console.Error, cancellationToken)
            : Task.FromResult(ExitError));
        return command;
    }

    /// <summary>The command's inputs.</summary>
    public sealed record Settings(string Register, IReadOnlyList<string> Scans, string? Networks, int? NotSeenDays, string Format, string? Output)
    {
        /// <summary>The time of the reconciliation (tests fix it).</summary>
        public DateTimeOffset Now { get; init; } = DateTimeOffset.UtcNow;

        /// <summary>How to read the register (<see cref="RegisterOptions"/>); null: everything detected from the file.</summary>
        public RegisterReadOptions? Reading { get; init; }
    }

    public static async Task<int> ExecuteAsync(Settings settings, TextWriter standardOutput, TextWriter errorOutput, CancellationToken cancellationToken)
    {
        var inputs = new[] { settings.Register }.Concat(settings.Scans).Concat(settings.Networks is null ? [] : [settings.Networks]).ToArray();
        foreach (var input in inputs)
        {
            if (CommandFiles.InputProblem(input) is { } problem)
            {
                await errorOutput.WriteLineAsync($"error: {problem}");
                return ExitError;
            }
        }

        if (settings.Scans.Count == 0)
        {
            await errorOutput.WriteLineAsync("error: give at least one --scan FILE.");
            return ExitError;
        }

        if (settings.Output is { } outputPath && inputs.Any(i => CommandFiles.OutputProblem(outputPath, i) is not null))
        {
            await errorOutput.WriteLineAsync($"error: {inputs.Select(i => CommandFiles.OutputProblem(outputPath, i)).First(p => p is not null)}");
            return ExitError;
        }

        if (settings.NotSeenDays is < 0)
        {
            await errorOutput.WriteLineAsync("error: --not-seen-days must be 0 or more.");
            return ExitError;
        }

        NetworkMap? networks = null;
        if (settings.Networks is { } networksPath)
        {
            try
            {
                networks = NetworkMap.Load(networksPath);
            }
            catch (ObservationReadException e)
            {
                await errorOutput.WriteLineAsync(TerminalText.Safe($"error: {e.Message}"));
                return ExitError;
            }
        }

        // The catalogues load, the register is read and each scan is read at once, on their own threads: each takes
        // a good part of a second on a large estate, and none needs another.
        var reconciler = Task.Run(() => new Reconciler(new DeviceIdentifier(VendorCatalogue.Default), new ComplianceEvaluator(CompliancePolicy.Default), FingerprintCatalogue.Default), cancellationToken);
        var register = Task.Run(() => ReadRegister(settings.Register, settings.Reading), cancellationToken);
        var scans = settings.Scans.Select(scan => Task.Run(() => ReadScan(scan), cancellationToken)).ToArray();
        var (entries, registerErrors, registerFailure, removedEntries) = await register;
        var notRead = registerErrors.Count;
        foreach (var error in registerErrors)
        {
            await errorOutput.WriteLineAsync(TerminalText.Safe(error));
        }

        if (registerFailure is not null)
        {
            await errorOutput.WriteLineAsync(TerminalText.Safe($"error: {registerFailure}"));
            return ExitError;
        }

        var observations = new List<DeviceObservation>();
        foreach (var scan in scans)
        {
            var (read, failure) = await scan;
            if (failure is not null)
            {
                // The hosts read before the fault stay out too: a cut-off scan would report the rest as not seen.
                notRead++;
                await errorOutput.WriteLineAsync(TerminalText.Safe($"error: {failure}"));
            }
            else
            {
                observations.AddRange(read);
            }
        }

        var outcomes = (await reconciler).Reconcile(entries, observations, new ReconcileOptions { Networks = networks, NotSeenDays = settings.NotSeenDays, Now = settings.Now, Removed = removedEntries });
        if (notRead > 0)
        {
            // A device may be in the part of a scan that was not read: "not seen" would be a guess, so it is not said.
            outcomes = [.. outcomes.Where(o => o.Outcome != ReconcileOutcomeKind.NotSeen)];
        }

        var (exit, verdict) = Verdict(outcomes, notRead, entries.Count);

        Stream target;
        if (settings.Output is null)
        {
            target = Console.OpenStandardOutput();
        }
        else if (await OpenOutputAsync(settings.Output, inputs, errorOutput) is { } opened)
        {
            target = opened;
        }
        else
        {
            return ExitError;
        }

        await using (target)
        {
            // Indented JSON only for a person at a terminal, as check does; files and pipes get the compact form.
            await ReconcileReport.WriteAsync(settings.Format, outcomes, exit, verdict, target, indented: settings.Output is null && !Console.IsOutputRedirected);
        }

        if (settings.Format != "table")
        {
            await errorOutput.WriteLineAsync($"reconcile: exit {exit}: {verdict}");
        }

        return exit;
    }

    /// <summary>
    /// The report file opened as check opens it (<see cref="CommandFiles.OpenOutput"/>), with every input held open
    /// meanwhile, so that a report path that is a hard link to the register, a scan or the networks file is refused
    /// rather than emptied; null after saying why.
    /// </summary>
    private static async Task<FileStream?> OpenOutputAsync(string outputPath, string[] inputs, TextWriter errorOutput)
    {
        var held = new List<FileStream>();
        try
        {
            foreach (var input in inputs)
            {
                if (await CommandFiles.OpenInputAsync(input, errorOutput) is not { } stream)
                {
                    return null;
                }

                held.Add(stream);
            }

            if (CommandFiles.OpenOutput(outputPath, held[0], out var problem) is { } output)
            {
                return output;
            }

            await errorOutput.WriteLineAsync(TerminalText.Safe($"error: {problem}"));
            return null;
        }
        finally
        {
            foreach (var stream in held)
            {
                await stream.DisposeAsync();
            }
        }
    }

    private static (List<RegisterEntry> Entries, List<string> Errors, string? Failure, List<RegisterEntry> Removed) ReadRegister(string path, RegisterReadOptions? options)
    {
        var entries = new List<RegisterEntry>();
        var removed = new List<RegisterEntry>();
        var errors = new List<string>();
        var name = Path.GetFileName(path);
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
            var source = RegisterReader.Open(file, path, options);

            // An event file holds every revision of a device: as check does, each device counts at its latest
            // revision (a removal last means it is gone), not once per event, which would match it with itself.
            var revisions = source.Events ? new LatestRevisions<int>(_ => ComplianceStatus.Compliant) : null;
            foreach (var row in source.Rows)
            {
                if (row.Device is null)
                {
                    errors.Add($"{name}:{row.Line}: {string.Join("; ", row.Errors)}");
                }
                else if (revisions is not null)
                {
                    revisions.Add(row, 0);
                }
                else
                {
                    // A retired row is never not seen; seen, it is named as the register's entry that says it is gone.
                    (row.Kind == AssetEventKind.Upserted ? entries : removed).Add(RegisterEntry.From(row));
                }
            }

            foreach (var latest in revisions?.Latest() ?? [])
            {
                (latest.Row.Kind == AssetEventKind.Upserted ? entries : removed).Add(new RegisterEntry(latest.Row.Device!, latest.Row.Line));
            }

            return (entries, errors, null, removed);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            return (entries, errors, $"{name}: {e.Message}", removed);
        }
    }

    private static (List<DeviceObservation> Observations, string? Failure) ReadScan(string path)
    {
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
            return ([.. ScanReader.Read(file, Path.GetFileName(path))], null);
        }
        catch (ObservationReadException e)
        {
            return ([], e.Message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return ([], $"{Path.GetFileName(path)}: {e.Message}");
        }
    }

    /// <summary>The exit code by the precedence of <see cref="ExitCodes"/>, and why, in words.</summary>
    public static (int Exit, string Verdict) Verdict(IReadOnlyList<ReconcileOutcome> outcomes, int notRead, int registered)
    {
        // One pass over the outcomes (a /16 has over 100,000), not one per kind and status.
        var byKind = new int[Enum.GetValues<ReconcileOutcomeKind>().Length];
        var (nonCompliant, needsReview) = (0, 0);
        foreach (var o in outcomes)
        {
            byKind[(int)o.Outcome]++;
            nonCompliant += o.Evaluation?.Status == ComplianceStatus.NonCompliant ? 1 : 0;
            needsReview += o.Evaluation?.Status == ComplianceStatus.NeedsReview ? 1 : 0;
        }

        int Count(ReconcileOutcomeKind kind) => byKind[(int)kind];
        var counts = string.Join(", ", Enum.GetValues<ReconcileOutcomeKind>().Select(k => (k, n: Count(k))).Where(c => c.n > 0).Select(c => $"{c.n} {c.k.ToWire()}"));
        if (notRead > 0)
        {
            return (ExitError, $"not fully read: {notRead} input{(notRead == 1 ? "" : "s")} or register row{(notRead == 1 ? "" : "s")} could not be read, so this is not a verdict ({counts}).");
        }

        if (registered == 0)
        {
            return (ExitError, "the register holds no devices in service, so there is nothing to reconcile.");
        }

        if (Count(ReconcileOutcomeKind.Unregistered) + Count(ReconcileOutcomeKind.Contradicted) + nonCompliant > 0)
        {
            return (ExitFinding, $"{counts}; {nonCompliant} NonCompliant.");
        }

        if (Count(ReconcileOutcomeKind.Ambiguous) + Count(ReconcileOutcomeKind.NotSeen) + needsReview > 0)
        {
            return (ExitReview, $"{counts}; {needsReview} NeedsReview.");
        }

        return (ExitClean, $"clean: {counts}.");
    }
}
