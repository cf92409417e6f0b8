using System.Collections.Concurrent;
using System.CommandLine;
using System.Text;
using AssetCompliance.Core.Catalogue;
using AssetCompliance.Core.Policy;
using AssetCompliance.Core.Registers;
using AssetCompliance.Core.State;

namespace AssetCompliance.Cli;

/// <summary>
/// <c>compliance check FILE</c>: evaluates a register export offline with the same identifier and evaluator as the
/// pipeline. Exit code 0 when nothing is NonCompliant, 2 when something is, 1 on error.
/// </summary>
internal static class CheckCommand
{
    public const int ExitClean = 0;
    public const int ExitError = 1;
    public const int ExitNonCompliant = 2;

    public static Command Create()
    {
        var file = new Argument<string>("FILE") { Description = "A register export: CSV with the documented header, or JSON Lines of CloudEvents (.jsonl)." };
        var format = new Option<string>("--format") { Description = "table, json or csv.", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "json", "csv");
        var output = new Option<string?>("--output") { Description = "Write to this file instead of standard output." };
        var check = new Command("check", "Evaluate a register export offline and report every device's compliance.") { file, format, output };
        check.SetAction(async (parse, cancellationToken) =>
        {
            var path = parse.GetValue(file)!;
            if (!File.Exists(path))
            {
                await Console.Error.WriteLineAsync($"error: '{path}' does not exist.");
                return ExitError;
            }

            var outputPath = parse.GetValue(output);
            await using var target = outputPath is null ? Console.OpenStandardOutput() : File.Create(outputPath);
            // Indent JSON only for a person reading a terminal; files and pipes get the compact form.
            var indented = outputPath is null && !Console.IsOutputRedirected;
            return await RunAsync(path, parse.GetValue(format)!, target, Console.Error, indented, cancellationToken);
        });
        return check;
    }

    public static async Task<int> RunAsync(string path, string format, Stream output, TextWriter errorOutput, bool indented, CancellationToken cancellationToken)
    {
        // Reading starts at once; the catalogue loads on another thread meanwhile (both take a few hundred ms).
        var evaluation = Task.Run(() => new RowEvaluator(new DeviceIdentifier(VendorCatalogue.Default), new ComplianceEvaluator(CompliancePolicy.Default)), cancellationToken);
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        var register = new PipelinedRegisterReader<RowOutcome>(file, path, evaluation.ContinueWith(t => (Func<RegisterRow, RowOutcome>)t.Result.Evaluate, cancellationToken, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default), cancellationToken);
        var versions = (await evaluation).Versions;
        await using CheckReport report = format switch
        {
            "json" => new JsonCheckReport(output, indented),
            "csv" => new CsvCheckReport(output),
            _ => new TableCheckReport(output),
        };

        var errors = new List<CheckError>();
        var nonCompliant = 0;
        var progress = ProgressBar.ForFile(new FileInfo(path).Length);
        var rows = 0;
        await report.BeginAsync(versions, cancellationToken);
        await foreach (var outcome in register.ReadAllAsync(cancellationToken))
        {
            progress?.Report(register.BytesRead, ++rows);
            if (outcome.Error is { } error)
            {
                errors.Add(error);
                continue;
            }

            var result = outcome.Result!;
            nonCompliant += result.Status == ComplianceStatus.NonCompliant ? 1 : 0;
            await report.WriteAsync(result, cancellationToken);
        }

        progress?.Complete();
        foreach (var error in errors)
        {
            await errorOutput.WriteLineAsync($"{Path.GetFileName(path)}:{error.Line}: {string.Join("; ", error.Errors)}");
        }

        await report.EndAsync(versions, errors, cancellationToken);
        return nonCompliant > 0 ? ExitNonCompliant : ExitClean;
    }

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

            var identification = identifier.Identify(device.Manufacturer, device.Model, device.MacAddress);
            var evaluation = evaluator.Evaluate(row.Kind, device, identification);
            var vendor = identification.Vendor is { } v ? _vendorViews.GetOrAdd(v, VendorView.From) : null;
            var evidence = new EvidenceSnapshot[identification.Evidence.Count];
            for (var i = 0; i < evidence.Length; i++)
            {
                evidence[i] = EvidenceSnapshot.From(identification.Evidence[i]);
            }

            return new RowOutcome(new CheckResult(row.Line, device.AssetId, device.Department, evaluation.Status, evaluation.Severity,
                evaluation.Rule, vendor, evidence, identification.RelabelSuspected, evaluation.Reasons), null);
        }
    }
}
