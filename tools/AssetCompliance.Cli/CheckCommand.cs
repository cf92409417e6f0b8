using System.CommandLine;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
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

    private sealed record VendorView(string Key, string Name, string UltimateOwner, string Jurisdiction, bool? SubjectToNationalIntelligenceLaw, IReadOnlyList<VendorListing> Listings);

    // Severity and vendor are written as null, not left out: consumers of the JSON rely on every key being present.
    private sealed record ResultView(int Line, string AssetId, string Department, ComplianceStatus Status,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] Severity? Severity, string Rule,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] VendorView? Vendor,
        IReadOnlyList<EvidenceSnapshot> Evidence, bool RelabelSuspected, IReadOnlyList<string> Reasons);

    private sealed record ErrorView(int Line, IReadOnlyList<string> Errors);

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

            await using var target = parse.GetValue(output) is { } outputPath
                ? new StreamWriter(outputPath, false, new UTF8Encoding(false))
                : new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false)) { AutoFlush = false };
            return await RunAsync(path, parse.GetValue(format)!, target, Console.Error, cancellationToken);
        });
        return check;
    }

    public static async Task<int> RunAsync(string path, string format, TextWriter output, TextWriter errorOutput, CancellationToken cancellationToken)
    {
        var identifier = new DeviceIdentifier(VendorCatalogue.Default);
        var evaluator = new ComplianceEvaluator(CompliancePolicy.Default);
        var results = new List<ResultView>();
        var errors = new List<ErrorView>();
        using (var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16))
        {
            foreach (var row in RegisterReader.Read(reader, path))
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (row.Device is not { } device)
                {
                    errors.Add(new ErrorView(row.Line, row.Errors));
                    continue;
                }

                var identification = identifier.Identify(device.Manufacturer, device.Model, device.MacAddress);
                var evaluation = evaluator.Evaluate(row.Kind, device, identification);
                var vendor = identification.Vendor is { } v
                    ? new VendorView(v.Key, v.Name, v.UltimateOwner.Name, v.Jurisdiction, v.SubjectToNationalIntelligenceLaw, v.Listings)
                    : null;
                results.Add(new ResultView(row.Line, device.AssetId, device.Department, evaluation.Status, evaluation.Severity, evaluation.Rule, vendor,
                    identification.Evidence.Select(EvidenceSnapshot.From).ToArray(), identification.RelabelSuspected, evaluation.Reasons));
            }
        }

        foreach (var error in errors)
        {
            await errorOutput.WriteLineAsync($"{Path.GetFileName(path)}:{error.Line}: {string.Join("; ", error.Errors)}");
        }

        switch (format)
        {
            case "json":
                await output.WriteLineAsync(JsonSerializer.Serialize(new
                {
                    catalogueVersion = identifier.Catalogue.Version,
                    policyVersion = evaluator.Policy.Version,
                    results,
                    errors,
                }, ComplianceJson.Indented));
                break;
            case "csv":
                await output.WriteLineAsync("line,asset_id,department,status,severity,rule,vendor,jurisdiction,subject_to_nil,relabel_suspected,reasons");
                foreach (var r in results)
                {
                    await output.WriteLineAsync(string.Join(',', new[]
                    {
                        r.Line.ToString(System.Globalization.CultureInfo.InvariantCulture), r.AssetId, r.Department, r.Status.ToString(), r.Severity?.ToString() ?? "", r.Rule,
                        r.Vendor?.Name ?? "", r.Vendor?.Jurisdiction ?? "", r.Vendor?.SubjectToNationalIntelligenceLaw?.ToString().ToLowerInvariant() ?? "",
                        r.RelabelSuspected ? "true" : "false", string.Join(" ", r.Reasons),
                    }.Select(Csv)));
                }

                break;
            default:
                await output.WriteLineAsync($"{"ASSET",-20} {"DEPT",-6} {"STATUS",-13} {"SEVERITY",-9} {"VENDOR",-22} RELABEL");
                foreach (var r in results)
                {
                    await output.WriteLineAsync($"{Trim(r.AssetId, 20),-20} {Trim(r.Department, 6),-6} {r.Status,-13} {r.Severity?.ToString() ?? "-",-9} {Trim(r.Vendor?.Name ?? "(unidentified)", 22),-22} {(r.RelabelSuspected ? "yes" : "")}");
                }

                var counts = results.GroupBy(r => r.Status).OrderBy(g => g.Key).Select(g => $"{g.Count()} {g.Key}");
                await output.WriteLineAsync($"{results.Count} devices: {string.Join(", ", counts)}; {errors.Count} rows not readable. Catalogue {identifier.Catalogue.Version}, policy {evaluator.Policy.Version}.");
                break;
        }

        await output.FlushAsync(cancellationToken);
        return results.Any(r => r.Status == ComplianceStatus.NonCompliant) ? ExitNonCompliant : ExitClean;
    }

    private static string Trim(string value, int width) => value.Length <= width ? value : value[..(width - 1)] + "…";

    private static string Csv(string value) =>
        value.IndexOfAny([',', '"', '\n', '\r']) < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
