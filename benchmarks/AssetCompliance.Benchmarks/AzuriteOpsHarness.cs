using System.Diagnostics;
using System.Globalization;
using AssetCompliance.Azure.Emulator;
using Azure;
using Azure.Data.Tables;

namespace AssetCompliance.Benchmarks;

/// <summary>
/// Diagnostic for choosing the state's write shape by measurement: what each kind of entity operation costs the
/// emulator, in transactions of 100 against a table of a given size, next to single upserts 16 at a time (the state
/// benchmark's baseline). Two entity shapes: a record row's merge (four properties, as the pipeline sends for a
/// typical change) and a row of thirteen typed properties (as the pipeline sent before it sent only changed columns).
/// </summary>
public static class AzuriteOpsHarness
{
    private const int Operations = 2000;

    public static async Task<int> RunAsync(string[] args)
    {
        var prefill = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 30_000;
        await using var azurite = await AzuriteProcess.StartAsync(RepositoryRoot.Find(), progress: null, CancellationToken.None);
        var table = new TableServiceClient(azurite.ConnectionString).GetTableClient("ops");
        await table.CreateIfNotExistsAsync();

        var compressed = new byte[700];
        new Random(1).NextBytes(compressed);
        var history = new string('h', 600);
        TableEntity Small(string pk, string rk) => new(pk, rk)
        {
            ["EvaluatedAt"] = DateTimeOffset.UtcNow, ["RecordGz"] = compressed, ["Commands"] = new byte[24], ["H0000002"] = history,
        };
        TableEntity Wide(string pk, string rk) => new(pk, rk)
        {
            ["Status"] = "NonCompliant", ["Severity"] = "High", ["VendorKey"] = "hikvision", ["DeviceType"] = "camera", ["SiteId"] = "SITE-001",
            ["EvaluatedAt"] = DateTimeOffset.UtcNow, ["CatalogueVersion"] = "2026.11.1", ["PolicyVersion"] = "uk-2022-11",
            ["ExemptUntil"] = DateTimeOffset.MaxValue, ["HistoryCount"] = 2L, ["RecordGz"] = compressed, ["Commands"] = new byte[16], ["H0000002"] = history,
        };

        for (var p = 0; p < 5; p++)
        {
            await TransactAsync(table, Enumerable.Range(0, prefill / 5).Select(i => new TableTransactionAction(TableTransactionActionType.Add, Wide($"P{p}", $"pre|{i:D7}"))));
        }

        Console.WriteLine($"Table prefilled with {prefill:N0} entities; {Operations:N0} operations per line, in transactions of 100 unless stated.");
        for (var round = 1; round <= 2; round++)
        {
            var existing = Enumerable.Range(0, Operations).Select(i => $"pre|{i:D7}").ToArray();
            Report("insert, wide", await TransactAsync(table, existing.Select(k => new TableTransactionAction(TableTransactionActionType.Add, Wide("P0", $"new{round}|{k}")))));
            Report("replace, wide", await TransactAsync(table, existing.Select(k => new TableTransactionAction(TableTransactionActionType.UpdateReplace, Wide("P1", k), ETag.All))));
            Report("merge, wide", await TransactAsync(table, existing.Select(k => new TableTransactionAction(TableTransactionActionType.UpdateMerge, Wide("P2", k), ETag.All))));
            Report("merge, 4 properties", await TransactAsync(table, existing.Select(k => new TableTransactionAction(TableTransactionActionType.UpdateMerge, Small("P3", k), ETag.All))));
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            await Parallel.ForEachAsync(existing, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (k, token) =>
                await table.UpsertEntityAsync(Wide("P4", $"single{round}|{k}"), TableUpdateMode.Replace, token));
            Report("single upserts, 16 at a time", (clock.Elapsed, Process.GetCurrentProcess().TotalProcessorTime - cpu));
        }

        return 0;
    }

    private static async Task<(TimeSpan Elapsed, TimeSpan Cpu)> TransactAsync(TableClient table, IEnumerable<TableTransactionAction> actions)
    {
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        foreach (var chunk in actions.Chunk(100))
        {
            await table.SubmitTransactionAsync(chunk);
        }

        return (clock.Elapsed, Process.GetCurrentProcess().TotalProcessorTime - cpu);
    }

    private static void Report(string what, (TimeSpan Elapsed, TimeSpan Cpu) cost) =>
        Console.WriteLine($"{what,-30} {Operations / cost.Elapsed.TotalSeconds,7:N0} entities/s   client CPU {cost.Cpu.TotalMilliseconds * 1000 / Operations,4:F0} us/entity");
}
