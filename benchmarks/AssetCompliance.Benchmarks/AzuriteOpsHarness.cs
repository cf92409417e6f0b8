using System.Diagnostics;
using AssetCompliance.Azure.Emulator;
using Azure;
using Azure.Data.Tables;

namespace AssetCompliance.Benchmarks;

/// <summary>Diagnostic: what one kind of write costs the emulator, so the pipeline's write shape can be chosen by measurement.</summary>
public static class AzuriteOpsHarness
{
    public static async Task<int> RunAsync(string[] args)
    {
        var prefill = args.Length > 0 ? int.Parse(args[0]) : 30_000;
        await using var azurite = await AzuriteProcess.StartAsync(RepositoryRoot.Find(), null, CancellationToken.None);
        var service = new TableServiceClient(azurite.ConnectionString);
        var table = service.GetTableClient("ops");
        await table.CreateIfNotExistsAsync();
        var body = new string('x', 1400);
        TableEntity Entity(string pk, string rk) => new(pk, rk) { ["Body"] = body, ["Status"] = "Compliant" };

        async Task<double> Tx(IEnumerable<TableTransactionAction> actions, int size)
        {
            var all = actions.ToList();
            var sw = Stopwatch.StartNew();
            foreach (var chunk in all.Chunk(size)) await table.SubmitTransactionAsync(chunk);
            return all.Count / sw.Elapsed.TotalSeconds;
        }

        for (var p = 0; p < 5; p++)
            await Tx(Enumerable.Range(0, prefill / 5).Select(i => new TableTransactionAction(TableTransactionActionType.Add, Entity($"P{p}", $"pre|{i:D7}"))), 100);
        Console.WriteLine($"prefilled {prefill:N0}");

        for (var round = 0; round < 2; round++)
        {
            var n = 2000;
            var ins = await Tx(Enumerable.Range(0, n).Select(i => new TableTransactionAction(TableTransactionActionType.Add, Entity("P0", $"new{round}|{i:D7}"))), 100);
            var ins50 = await Tx(Enumerable.Range(0, n).Select(i => new TableTransactionAction(TableTransactionActionType.Add, Entity("P1", $"new{round}|{i:D7}"))), 50);
            var existing = Enumerable.Range(0, n).Select(i => Entity("P2", $"pre|{i:D7}")).ToList();
            var rep = await Tx(existing.Select(e => new TableTransactionAction(TableTransactionActionType.UpdateReplace, e, ETag.All)), 100);
            var merge = await Tx(existing.Select(e => new TableTransactionAction(TableTransactionActionType.UpdateMerge, e, ETag.All)), 100);
            var upRep = await Tx(existing.Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace, e)), 100);
            var upMerge = await Tx(existing.Select(e => new TableTransactionAction(TableTransactionActionType.UpsertMerge, e)), 100);
            var sw = Stopwatch.StartNew();
            await Parallel.ForEachAsync(Enumerable.Range(0, n), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, t) =>
                await table.UpsertEntityAsync(Entity("P3", $"single{round}|{i:D7}"), TableUpdateMode.Replace, t));
            var single = n / sw.Elapsed.TotalSeconds;
            Console.WriteLine($"entities/s  insert tx100 {ins:N0}  insert tx50 {ins50:N0}  replace {rep:N0}  merge {merge:N0}  upsert-replace {upRep:N0}  upsert-merge {upMerge:N0}  single-upsert x16 {single:N0}");
        }

        return 0;
    }
}
