using System.Diagnostics;
using System.Globalization;
using AssetCompliance.Azure.Emulator;
using AssetCompliance.Azure.Tables;
using AssetCompliance.Core.Policy;
using AssetCompliance.Core.State;
using Azure.Data.Tables;

namespace AssetCompliance.Benchmarks;

/// <summary>
/// Query latency on a large department in Azurite: the first page of <c>status=NonCompliant</c> and the summary, each
/// measured many times after loading the department through the production processor. Targets: under 300 ms and
/// under 50 ms. Reported as medians and 95th percentiles, not asserted in a test (the machine is shared).
/// </summary>
public static class QueryHarness
{
    public static async Task<int> RunAsync(string[] args)
    {
        var devices = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 50_000;
        var root = RepositoryRoot.Find();
        Console.WriteLine("Starting Azurite (in memory)...");
        await using var azurite = await AzuriteProcess.StartAsync(root, progress: null, CancellationToken.None);
        var tables = new ComplianceTables(new TableServiceClient(azurite.ConnectionString), "query");
        await tables.EnsureCreatedAsync(CancellationToken.None);
        var store = new TableRecordStore(tables);

        var load = Stopwatch.StartNew();
        var messages = StateHarness.DepartmentMessages("HO", devices);
        var processor = StateHarness.Processor(store, new TableRejectionStore(tables));
        foreach (var batch in messages.Chunk(StateHarness.MaxMessageBatchSize(root)))
        {
            await processor.ProcessAsync(batch, CancellationToken.None);
        }

        var summary = await store.GetSummaryAsync("HO", CancellationToken.None);
        Console.WriteLine($"Loaded {summary.Counts.Total:N0} devices into HO in {load.Elapsed.TotalSeconds:F0} s: {summary.Counts.ByStatus[ComplianceStatus.NonCompliant]:N0} NonCompliant.");

        // One client, as a function instance keeps: neither call reads the instance's record cache (both go to storage).
        var reader = new TableRecordStore(new ComplianceTables(new TableServiceClient(azurite.ConnectionString), "query"));
        var page = await MeasureAsync(25, async () =>
        {
            var result = await reader.QueryRecordsAsync("HO", new AssetQuery { Statuses = [ComplianceStatus.NonCompliant] }, 100, null, CancellationToken.None);
            if (result.Records.Count != 100) throw new InvalidOperationException($"first page had {result.Records.Count} records");
        });
        var summaries = await MeasureAsync(50, () => reader.GetSummaryAsync("HO", CancellationToken.None));

        Console.WriteLine($"first page of status=NonCompliant (100): median {page.Median:F1} ms, p95 {page.P95:F1} ms  (target < 300 ms) {(page.Median < 300 ? "PASS" : "FAIL")}");
        Console.WriteLine($"department summary:                      median {summaries.Median:F1} ms, p95 {summaries.P95:F1} ms  (target < 50 ms) {(summaries.Median < 50 ? "PASS" : "FAIL")}");
        return page.Median < 300 && summaries.Median < 50 ? 0 : 3;
    }

    private static async Task<(double Median, double P95)> MeasureAsync(int runs, Func<Task> action)
    {
        await action(); // warm-up: connection and JIT
        var times = new List<double>(runs);
        for (var i = 0; i < runs; i++)
        {
            var clock = Stopwatch.StartNew();
            await action();
            times.Add(clock.Elapsed.TotalMilliseconds);
        }

        times.Sort();
        return (times[times.Count / 2], times[(int)(times.Count * 0.95)]);
    }
}
