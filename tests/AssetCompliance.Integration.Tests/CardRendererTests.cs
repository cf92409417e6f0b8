using System.Diagnostics;
using System.Text.Json;
using AssetCompliance.Azure.Emulator;
using AssetCompliance.Cli;
using AssetCompliance.Core.Alerting;
using Microsoft.Extensions.Logging.Abstractions;

namespace AssetCompliance.Integration.Tests;

/// <summary>
/// Every card the pipeline posts for the sample estate, and a truncated card for hundreds of devices, rendered by the
/// official Adaptive Cards JavaScript renderer (npm <c>adaptivecards</c>, pinned in tools/card-renderer) as schema 1.4,
/// with no parse or validation warning.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class CardRendererTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Every_card_renders_in_the_official_renderer_without_warnings()
    {
        var directory = Directory.CreateTempSubdirectory("cards-").FullName;
        try
        {
            var store = await azurite.CreateStoreAsync();
            var processor = TestEvents.Processor(store);
            foreach (var batch in EventFileReplay.Batches(Path.Combine(RepositoryPaths.Root, "samples", "asset-events.jsonl"), DateTimeOffset.UtcNow))
            {
                await processor.ProcessAsync(batch, CancellationToken.None);
            }

            // Three hundred devices in one department: the card must truncate and still render.
            await processor.ProcessAsync(Enumerable.Range(1, 300).Select(i => TestEvents.Message(TestEvents.Upsert("DWP", $"BULK-{i:D3}", 1, segment: i % 2 == 0 ? "core" : "segregated"))).ToArray(), CancellationToken.None);

            var sender = new FileAlertSender(directory, TextWriter.Null, TimeProvider.System);
            var dispatcher = new AlertDispatcher(store, sender, new SingleTargetRouting(FileAlertSender.Target(directory)),
                new AlertCardBuilder(new Uri("https://compliance.example/api/")), new DispatchSettings { GroupWindow = TimeSpan.Zero, MaxAlertsPerCard = 300 },
                TimeProvider.System, NullLogger<AlertDispatcher>.Instance);
            Assert.True(await dispatcher.DispatchAsync(CancellationToken.None) > 300);
            Assert.True(await dispatcher.SendDigestsAsync(CancellationToken.None) >= 3); // the daily digests too
            var cards = Directory.GetFiles(directory, "*.json");
            Assert.True(cards.Length >= 4);

            var results = await RenderAsync(cards);

            Assert.Equal(cards.Length, results.Count);
            Assert.All(results, r => Assert.True(r.GetProperty("ok").GetBoolean(), r.ToString()));
            Assert.All(results, r => Assert.True(r.GetProperty("elements").GetInt32() > 10));
            // The rendered text is what a channel shows: a device block per alert, or a digest.
            Assert.All(results, r => Assert.Matches("— [A-Z]+-|daily digest", r.GetProperty("text").GetString()!));
            Assert.Contains(results, r => r.GetProperty("text").GetString()!.Contains("CRITICAL: non-compliant — HO-CAM-0003", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task<List<JsonElement>> RenderAsync(IEnumerable<string> files)
    {
        var tool = Path.Combine(RepositoryPaths.Root, "tools", "card-renderer");
        await NpmTool.EnsureInstalledAsync(tool, Path.Combine(tool, "node_modules", "adaptivecards", "dist", "adaptivecards.js"), null, CancellationToken.None);
        var start = new ProcessStartInfo("node") { WorkingDirectory = tool, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("render.js");
        foreach (var file in files) start.ArgumentList.Add(file);
        using var node = Process.Start(start)!;
        var output = await node.StandardOutput.ReadToEndAsync();
        var errors = await node.StandardError.ReadToEndAsync();
        await node.WaitForExitAsync();
        Assert.True(node.ExitCode == 0, $"renderer exit {node.ExitCode}:\n{output}\n{errors}");
        return output.Split('\n').Where(l => l.StartsWith('{')).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
    }
}
