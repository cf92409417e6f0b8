using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using System.Text;
using AssetCompliance.Azure.Emulator;
using AssetCompliance.Azure.Tables;
using AssetCompliance.Core.Catalogue;
using AssetCompliance.Core.Policy;
using AssetCompliance.Core.Processing;
using AssetCompliance.Core.State;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging.Abstractions;

namespace AssetCompliance.Benchmarks;

/// <summary>
/// The re-evaluation sweep against first ingestion of the same department, measured in one run against Azurite:
/// N events (default 20,000) for one department through the production <see cref="AssetEventProcessor"/> in batches of
/// host.json's maxMessageBatchSize, then <see cref="StateSweeps.ReevaluateAsync(CancellationToken)"/> over that department
/// twice: after a policy change that changes only the version (every record is written with the new version, no
/// verdict moves), and after one that no longer counts NVRs as visual surveillance (every record is written again and
/// the NVRs' statuses change, with history entries and alerts). Each sweep runs on a store with a new client and an
/// empty record cache, as a newly deployed instance (a catalogue or policy change is a deployment) does. Rounds
/// alternate ingestion and sweeps on tables of their own; the report gives each round and the medians of the rates
/// and of the ratios sweep/ingestion.
/// </summary>
public static class ReevaluateHarness
{
    private const string Department = "HO";

    public static async Task<int> RunAsync(string[] args)
    {
        var numbers = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).Select(a => int.Parse(a, CultureInfo.InvariantCulture)).ToArray();
        var events = numbers.ElementAtOrDefault(0) is > 0 and var n ? n : 20_000;
        var rounds = numbers.ElementAtOrDefault(1) is > 0 and var r ? r : 3;
        var root = RepositoryRoot.Find();
        var batchSize = StateHarness.MaxMessageBatchSize(root);
        Console.WriteLine("Starting Azurite (in memory)...");
        await using var azurite = await AzuriteProcess.StartAsync(root, progress: null, CancellationToken.None);
        var policyJson = File.ReadAllBytes(Path.Combine(root, "catalogue", "policy.json"));
        var messages = StateHarness.DepartmentMessages(Department, events);
        Console.WriteLine($"{events:N0} events into department {Department}, batches of {batchSize} (host.json); {rounds} round(s); load average {LoadAverage()}.");

        // Warm-up rounds on small tables until the JIT settles, so that neither side pays first compilation.
        for (var round = 1; round <= 8; round++)
        {
            var before = JitInfo.GetCompiledMethodCount();
            await RoundAsync(azurite, $"warm{round}", messages.Take(2 * batchSize).ToArray(), batchSize, policyJson, round, report: false);
            await Task.Delay(TimeSpan.FromMilliseconds(300));
            var compiled = JitInfo.GetCompiledMethodCount() - before;
            Console.WriteLine($"  warm-up round {round}: {compiled:N0} methods JIT-compiled");
            if (compiled < 25) break;
        }

        var results = new List<RoundResult>();
        for (var round = 1; round <= rounds; round++)
        {
            results.Add(await RoundAsync(azurite, $"round{round}", messages, batchSize, policyJson, 100 + round, report: true));
        }

        var versionRatio = Timings.Median(results.Select(x => x.VersionSweep / x.Ingestion));
        var statusRatio = Timings.Median(results.Select(x => x.StatusSweep / x.Ingestion));
        Console.WriteLine($"medians of {rounds}: ingestion {Timings.Median(results.Select(x => x.Ingestion)),7:N0} events/s; sweep, version only {Timings.Median(results.Select(x => x.VersionSweep)),7:N0} devices/s (ratio {versionRatio:F2}); sweep, statuses change {Timings.Median(results.Select(x => x.StatusSweep)),7:N0} devices/s (ratio {statusRatio:F2})");
        Console.WriteLine($"load average at the end: {LoadAverage()}");
        var pass = versionRatio >= 1 && statusRatio >= 1;
        Console.WriteLine(pass ? "PASS: the sweep is at least as fast as ingestion" : "FAIL: the sweep is slower than ingestion");
        return pass ? 0 : 3;
    }

    private sealed record RoundResult(double Ingestion, double VersionSweep, double StatusSweep);

    private static async Task<RoundResult> RoundAsync(AzuriteProcess azurite, string prefix, IReadOnlyList<InboundMessage> messages, int batchSize, byte[] policyJson, int salt, bool report)
    {
        var connectionString = azurite.ConnectionString;
        var ingestTables = new ComplianceTables(new TableServiceClient(connectionString), prefix);
        await ingestTables.EnsureCreatedAsync(CancellationToken.None);
        var ingestStore = new TableRecordStore(ingestTables);
        var processor = StateHarness.Processor(ingestStore, new TableRejectionStore(ingestTables));
        var cpu = Cpu.Start(azurite.ProcessId);
        var clock = Stopwatch.StartNew();
        foreach (var batch in messages.Chunk(batchSize))
        {
            await processor.ProcessAsync(batch, CancellationToken.None);
        }

        var ingestion = messages.Count / clock.Elapsed.TotalSeconds;
        var ingestedFor = clock.Elapsed;
        if (report) Console.WriteLine($"  [{prefix}] ingestion {ingestedFor.TotalSeconds:F2} s; {cpu.Stop(messages.Count)}");

        if (report)
        {
            // The scan alone (what the sweep reads, nothing written), for the split of the sweep's cost.
            var scanStore = new TableRecordStore(new ComplianceTables(new TableServiceClient(connectionString), prefix));
            var scanCpu = Cpu.Start(azurite.ProcessId);
            var scanClock = Stopwatch.StartNew();
            var scanned = 0;
            await foreach (var _ in scanStore.FindRecordsAsync(Department, new RecordFilter.NotEvaluatedWith("none", "none"), CancellationToken.None)) scanned++;
            Console.WriteLine($"  [{prefix}] scan alone {scanClock.Elapsed.TotalSeconds:F2} s for {scanned:N0} records; {scanCpu.Stop(scanned)}");
        }

        // The same rules under a new version: every record is written again, no verdict moves.
        var sameRules = CompliancePolicy.Load([.. policyJson, .. Encoding.UTF8.GetBytes($"\n{new string(' ', salt)}")]);
        var (versionRate, versionReport, versionTime) = await SweepAsync(azurite, prefix, sameRules, report);

        // NVRs no longer visual surveillance: the NVRs' statuses change (history, alerts, counts), the rest get the new version.
        var withoutNvrs = CompliancePolicy.Load(Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(policyJson)
            .Replace("[\"camera\", \"nvr\",", "[\"camera\",", StringComparison.Ordinal) + new string(' ', salt)));
        var (statusRate, statusReport, statusTime) = await SweepAsync(azurite, prefix, withoutNvrs, report);

        if (versionReport.Changed != messages.Count || statusReport.Changed != messages.Count || !versionReport.Complete || !statusReport.Complete)
        {
            throw new InvalidOperationException($"a sweep did not re-evaluate every record: {versionReport}, {statusReport}");
        }

        if (report)
        {
            var summary = await ingestStore.GetSummaryAsync(Department, CancellationToken.None);
            Console.WriteLine($"[{prefix}] ingestion {ingestion,7:N0} events/s ({messages.Count:N0} in {ingestedFor.TotalSeconds:F2} s) | " +
                $"sweep, version only {versionRate,7:N0} devices/s ({versionTime.TotalSeconds:F2} s, ratio {versionRate / ingestion:F2}) | " +
                $"sweep, statuses change {statusRate,7:N0} devices/s ({statusTime.TotalSeconds:F2} s, ratio {statusRate / ingestion:F2}) | " +
                $"now {summary.Counts.ByStatus[ComplianceStatus.Advisory]:N0} Advisory | load {LoadAverage()}");
        }

        return new RoundResult(ingestion, versionRate, statusRate);
    }

    /// <summary>One sweep on a store with a new client and an empty cache, as a freshly deployed instance runs it.</summary>
    private static async Task<(double Rate, SweepReport Report, TimeSpan Time)> SweepAsync(AzuriteProcess azurite, string prefix, CompliancePolicy policy, bool report)
    {
        var store = new TimedStore(new TableRecordStore(new ComplianceTables(new TableServiceClient(azurite.ConnectionString), prefix)));
        var commands = new CommandProcessor(
            new RecordPlanner(new DeviceIdentifier(VendorCatalogue.Default), new ComplianceEvaluator(policy)),
            store, TimeProvider.System, NullLogger<CommandProcessor>.Instance);
        var sweeps = new StateSweeps(commands, store, TimeProvider.System, NullLogger<StateSweeps>.Instance);
        var cpu = Cpu.Start(azurite.ProcessId);
        var clock = Stopwatch.StartNew();
        var sweep = await sweeps.ReevaluateAsync(CancellationToken.None);
        clock.Stop();
        if (report)
        {
            Console.WriteLine($"  [{prefix}] sweep {clock.Elapsed.TotalSeconds:F2} s; {cpu.Stop(sweep.Changed)}; scan {store.FindTime.TotalSeconds:F2} s, record reads {store.ReadTime.TotalSeconds:F2} s, commits {store.CommitTime.TotalSeconds:F2} s (summed over concurrent calls)");
        }

        return (sweep.Changed / clock.Elapsed.TotalSeconds, sweep, clock.Elapsed);
    }

    /// <summary>
    /// CPU used by this process and by Azurite over a phase, per device: unlike the rates, these hardly depend on what
    /// else the shared machine is running, so they say which side does the work.
    /// </summary>
    private sealed class Cpu
    {
        private readonly Process _azurite;
        private readonly TimeSpan _ownStart;
        private readonly TimeSpan _azuriteStart;

        private Cpu(int azuritePid)
        {
            _azurite = Process.GetProcessById(azuritePid);
            _ownStart = Process.GetCurrentProcess().TotalProcessorTime;
            _azuriteStart = _azurite.TotalProcessorTime;
        }

        public static Cpu Start(int azuritePid) => new(azuritePid);

        public string Stop(int devices)
        {
            _azurite.Refresh();
            var own = Process.GetCurrentProcess().TotalProcessorTime - _ownStart;
            var emulator = _azurite.TotalProcessorTime - _azuriteStart;
            return $"CPU per device: this process {own.TotalMicroseconds / devices:F0} us, Azurite {emulator.TotalMicroseconds / devices:F0} us";
        }
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
}
