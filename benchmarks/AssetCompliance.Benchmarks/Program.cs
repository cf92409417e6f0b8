using AssetCompliance.Benchmarks;
using BenchmarkDotNet.Running;

// One entry point for every benchmark; benchmarks/README.md lists the commands and the figures they produced.
return args.FirstOrDefault() switch
{
    "check" => await CheckHarness.RunAsync(args[1..]),
    "check-xlsx" => await XlsxCheckHarness.RunAsync(args[1..]),
    "state" => await StateHarness.RunAsync(args[1..]),
    "reevaluate" => await ReevaluateHarness.RunAsync(args[1..]),
    "query" => await QueryHarness.RunAsync(args[1..]),
    "dashboard" => await DashboardHarness.RunAsync(args[1..]),
    "azurite-ops" => await AzuriteOpsHarness.RunAsync(args[1..]),
    "parse-only" => CheckHarness.ParseOnly(args[1]),
    "reconcile" => await ReconcileHarness.RunAsync(args[1..]),
    "parse-nmap" => ReconcileHarness.ParseNmap(args[1]),
    "generate-scan" => ReconcileHarness.GenerateScan(int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture), int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture), args[3]),
    "generate" => CheckHarness.Generate(int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture), args[2]),
    _ => Run(args),
};

static int Run(string[] args)
{
    BenchmarkSwitcher.FromAssembly(typeof(IdentificationBenchmarks).Assembly).Run(args);
    return 0;
}
