using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
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
/// Throughput of the production processor against Azurite, against a naive baseline measured in the same run:
/// 20,000 events for 5 departments (10% redelivered duplicates, 5% out-of-order older revisions) through
/// <see cref="AssetEventProcessor"/> in batches of host.json's maxMessageBatchSize, doing all of its work
/// (parse, identify, evaluate, history, repeat detection, outbox, summary). The baseline writes the same number of single
/// entities one by one with 16-way concurrency and does nothing else.
/// </summary>
public static class StateHarness
{
    public static async Task<int> RunAsync(string[] args)
    {
        // "--cold": one warm-up round only (connections and first compilation), as a freshly started instance sees it.
        var cold = args.Contains("--cold");
        var events = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).Select(a => int.Parse(a, CultureInfo.InvariantCulture)).FirstOrDefault(20_000);
        var root = RepositoryRoot.Find();
        var batchSize = MaxMessageBatchSize(root);
        Console.WriteLine("Starting Azurite (in memory)...");
        await using var azurite = await AzuriteProcess.StartAsync(root, progress: null, CancellationToken.None);
        var service = new TableServiceClient(azurite.ConnectionString);

        var messages = GenerateMessages(events);
        Console.WriteLine($"{messages.Count:N0} messages: {events:N0} distinct events for 5 departments, plus duplicates and out-of-order revisions.");

        await WarmUpAsync(service, messages, batchSize, maxRounds: cold ? 1 : 16);
        await NaiveAsync(service, "naivewarm", 2 * batchSize);

        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var (jitCountBefore, jitTimeBefore) = (JitInfo.GetCompiledMethodCount(), JitInfo.GetCompilationTime());
        var pipeline = Stopwatch.StartNew();
        var results = await ProcessAsync(service, "bench", messages, batchSize);
        pipeline.Stop();
        var pipelineCpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        var (jitCount, jitTime) = (JitInfo.GetCompiledMethodCount() - jitCountBefore, JitInfo.GetCompilationTime() - jitTimeBefore);

        var baseline = Stopwatch.StartNew();
        await NaiveAsync(service, "naive", messages.Count);
        baseline.Stop();

        var pipelineRate = messages.Count / pipeline.Elapsed.TotalSeconds;
        var baselineRate = messages.Count / baseline.Elapsed.TotalSeconds;
        Console.WriteLine($"outcomes:  {string.Join(", ", results.GroupBy(r => r.Outcome).OrderBy(g => g.Key).Select(g => $"{g.Count():N0} {g.Key}"))}");
        Console.WriteLine($"pipeline:  {pipelineRate,8:N0} events/s  ({messages.Count:N0} in {pipeline.Elapsed.TotalSeconds:F2} s; batches of {batchSize} as host.json sets, all of its work; {pipelineCpu.TotalSeconds:F1} s of CPU in this process, {jitCount:N0} methods JIT-compiled in {jitTime.TotalSeconds:F2} s)");
        Console.WriteLine($"baseline:  {baselineRate,8:N0} entities/s ({messages.Count:N0} single upserts in {baseline.Elapsed.TotalSeconds:F2} s, 16 concurrent)");
        Console.WriteLine($"ratio:     {pipelineRate / baselineRate:F2}");
        Console.WriteLine(pipelineRate / baselineRate >= 2 ? "PASS: at least 2x the naive baseline" : "FAIL: under 2x the naive baseline");
        return pipelineRate / baselineRate >= 2 ? 0 : 3;
    }

    /// <summary>The production processor over a record store and a rejection store, without logging.</summary>
    internal static AssetEventProcessor Processor(IRecordStore store, IRejectionStore rejections)
    {
        var commands = new CommandProcessor(
            new RecordPlanner(new DeviceIdentifier(VendorCatalogue.Default), new ComplianceEvaluator(CompliancePolicy.Default)),
            store, TimeProvider.System, NullLogger<CommandProcessor>.Instance);
        return new AssetEventProcessor(commands, rejections, NullLogger<AssetEventProcessor>.Instance);
    }

    /// <summary>One event per device of a synthetic register, all in one department.</summary>
    internal static List<InboundMessage> DepartmentMessages(string department, int count) =>
        SyntheticRegister.Generate(count).Select((d, i) => Message(ToEvent(d with { AssetId = $"{department}-{i:D7}", Department = department, Status = "in-service" }, 1, $"{department}-{i:D7}-r1"), i)).ToList();

    /// <summary>The batch size the function app is configured with, so that the benchmark cannot drift from it.</summary>
    internal static int MaxMessageBatchSize(string root)
    {
        using var hostJson = JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "host.json")));
        return hostJson.RootElement.GetProperty("extensions").GetProperty("serviceBus").GetProperty("maxMessageBatchSize").GetInt32();
    }

    /// <summary>
    /// Runs rounds of two batches on tables of their own until a round JIT-compiles almost nothing, so that the
    /// measured run sees the steady state of a long-lived function instance. Tiered compilation delays promoting hot
    /// methods until new code has stopped appearing for a while; with a single short warm-up most of that work lands
    /// inside the measured run (on two cores it took a fifth of the CPU there), which a worker that has been running
    /// for an hour never pays.
    /// </summary>
    private static async Task WarmUpAsync(TableServiceClient service, IReadOnlyList<InboundMessage> messages, int batchSize, int maxRounds)
    {
        const int SettledBelow = 25;
        var sample = messages.Take(2 * batchSize).ToArray();
        for (var round = 1; round <= maxRounds; round++)
        {
            var before = JitInfo.GetCompiledMethodCount();
            await ProcessAsync(service, $"warm{round}", sample, batchSize, report: false);
            // Background tier-up starts after a quiet period of about 100 ms; give it the time a live worker has.
            await Task.Delay(TimeSpan.FromMilliseconds(300));
            var compiled = JitInfo.GetCompiledMethodCount() - before;
            Console.WriteLine($"  warm-up round {round}: {compiled:N0} methods JIT-compiled");
            if (compiled < SettledBelow)
            {
                return;
            }
        }

        Console.WriteLine($"  note: the JIT had not settled after {maxRounds} warm-up round(s); the figures include compilation.");
    }

    private static async Task<List<MessageResult>> ProcessAsync(TableServiceClient service, string prefix, IReadOnlyList<InboundMessage> messages, int batchSize, bool report = true)
    {
        var tables = new ComplianceTables(service, prefix);
        await tables.EnsureCreatedAsync(CancellationToken.None);
        var store = new TimedStore(new TableRecordStore(tables));
        var processor = Processor(store, new TableRejectionStore(tables));
        var results = new List<MessageResult>(messages.Count);
        foreach (var batch in messages.Chunk(batchSize))
        {
            results.AddRange(await processor.ProcessAsync(batch, CancellationToken.None));
        }

        if (report) Console.WriteLine($"  [{prefix}] time in the store, summed over concurrent departments: reads {store.ReadTime.TotalSeconds:F2} s, commits {store.CommitTime.TotalSeconds:F2} s");

        return results;
    }

    private static async Task NaiveAsync(TableServiceClient service, string tableName, int count)
    {
        var table = service.GetTableClient(tableName);
        await table.CreateIfNotExistsAsync();
        var padding = new string('x', 300);
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, token) =>
            await table.UpsertEntityAsync(new TableEntity($"D{i % 5}", $"asset|{i:D7}") { ["Status"] = "Compliant", ["Body"] = padding }, TableUpdateMode.Replace, token));
    }

    /// <summary>Realistic devices from the synthetic register, as contract-v1 events with revisions per asset.</summary>
    private static List<InboundMessage> GenerateMessages(int count)
    {
        var random = new Random(7);
        var devices = SyntheticRegister.Generate(count / 4);
        var distinct = new List<(string Body, int Order)>(count);
        for (var i = 0; i < count; i++)
        {
            var device = devices[i % devices.Count];
            var revision = (i / devices.Count) + 1;
            distinct.Add((ToEvent(device, revision, $"{device.AssetId}-r{revision}"), i));
        }

        var messages = new List<InboundMessage>(count + (count / 10));
        foreach (var (body, order) in distinct)
        {
            messages.Add(Message(body, order));
        }

        // 5% out of order: swap an event with a later one for the same asset (the newer arrives first).
        for (var i = 0; i < count / 20; i++)
        {
            var a = random.Next(count - devices.Count);
            (messages[a], messages[a + devices.Count]) = (messages[a + devices.Count], messages[a]);
        }

        // 10% duplicates: redeliveries of earlier messages, a little later in the stream.
        for (var i = 0; i < count / 10; i++)
        {
            var original = messages[random.Next(messages.Count)];
            messages.Insert(Math.Min(messages.Count, random.Next(messages.Count)), original with { DeliveryCount = 2 });
        }

        return messages;
    }

    private static InboundMessage Message(string body, int order) =>
        new($"m{order}", Encoding.UTF8.GetBytes(body), 1, DateTimeOffset.UtcNow, "benchmark") { Vouch = SenderVouch.Operator }; // every department's events, as a replay

    private static string ToEvent(SyntheticDevice d, int revision, string id)
    {
        var data = new JsonObject
        {
            ["assetId"] = d.AssetId,
            ["department"] = d.Department,
            ["revision"] = revision,
            ["deviceType"] = d.DeviceType,
            ["site"] = new JsonObject { ["id"] = d.SiteId, ["sensitive"] = d.SiteSensitive.Length == 0 ? null : d.SiteSensitive == "true" },
        };
        if (d.Manufacturer.Length > 0) data["manufacturer"] = d.Manufacturer;
        if (d.Model.Length > 0) data["model"] = d.Model;
        if (d.Mac.Length > 0) data["macAddress"] = d.Mac;
        if (d.NetworkSegment.Length > 0) data["networkSegment"] = d.NetworkSegment;
        var removed = d.Status == "removed" && revision > 1;
        return new JsonObject
        {
            ["specversion"] = "1.0",
            ["id"] = id,
            ["source"] = $"/departments/{d.Department}/asset-register",
            ["type"] = removed ? "asset.device.removed" : "asset.device.upserted",
            ["subject"] = d.AssetId,
            ["time"] = "2026-11-20T09:00:00Z",
            ["datacontenttype"] = "application/json",
            ["data"] = data,
        }.ToJsonString();
    }
}
