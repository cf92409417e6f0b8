using System.Text;
using AssetCompliance.Azure.ServiceBus;
using AssetCompliance.Azure.Teams;
using AssetCompliance.Cli;
using AssetCompliance.Core.Alerting;
using AssetCompliance.Core.Processing;
using Azure.Messaging.ServiceBus;
using Microsoft.Extensions.Logging.Abstractions;

namespace AssetCompliance.Integration.Tests;

/// <summary>
/// Delivery right after a batch commits, under the default 60 s group window (a hand-moved clock; Azurite; a
/// loopback webhook): a department's first alerts go out at once on every host, later ones within the window wait
/// for its end and go out together, and the window is per department and held in storage, not per instance.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class PostCommitDeliveryTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly DateTimeOffset Start = DateTimeOffset.Parse("2026-11-20T09:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
    private LoopbackWebhook _webhook = null!;

    public async Task InitializeAsync() => _webhook = await LoopbackWebhook.StartAsync();

    public async Task DisposeAsync() => await _webhook.DisposeAsync();

    /// <summary>A central channel and nothing else set: the group window is the configured default.</summary>
    private AlertingOptions Routing() => new() { ApiBaseUrl = new Uri("https://compliance.example/api/"), CentralWebhook = _webhook.Url("central") };

    private static ServiceBusReceivedMessage[] Batch(params (string Department, string AssetId)[] cameras) =>
        [.. cameras.Select(c => ServiceBusModelFactory.ServiceBusReceivedMessage(
            body: BinaryData.FromString(TestEvents.Upsert(c.Department, c.AssetId, 1)), messageId: $"{c.Department}-{c.AssetId}"))];

    private string[][] PostedAssets() => [.. _webhook.Posts.Select(p => AlertDeliveryTests.AssetIdsIn(p.Body).Order(StringComparer.Ordinal).ToArray())];

    [Fact]
    public async Task Under_the_default_window_a_batch_s_alerts_go_out_right_after_its_commit_and_later_ones_together_at_the_window_s_end()
    {
        Assert.Equal(TimeSpan.FromSeconds(60), Routing().ToDispatchSettings().GroupWindow); // what is deployed unless set
        var store = await azurite.CreateStoreAsync();
        var time = new ManualTime(Start);
        var function = TestEvents.Ingest(store, Routing(), time); // the Service Bus trigger
        var sweep = TestEvents.Dispatcher(store, Routing(), time); // the DispatchAlerts timer

        // The first batch: its card is posted as soon as it commits, not a window later.
        await function.Run(Batch(("HO", "CAM-1"), ("HO", "CAM-2")), None);
        Assert.Equal([["CAM-1", "CAM-2"]], PostedAssets());

        // Ten seconds later, another batch of HO: inside the window of that post, so it waits...
        time.Now = Start.AddSeconds(10);
        await function.Run(Batch(("HO", "CAM-3")), None);
        Assert.Single(_webhook.Posts);
        // ...but the window is per department: MOJ's first batch goes out at once.
        await function.Run(Batch(("MOJ", "CAM-9")), None);
        Assert.Equal([["CAM-1", "CAM-2"], ["CAM-9"]], PostedAssets());

        // A third batch at 30 s waits too, and a sweep before the window's end posts nothing.
        time.Now = Start.AddSeconds(30);
        await function.Run(Batch(("HO", "CAM-4")), None);
        time.Now = Start.AddSeconds(59);
        Assert.Equal(0, await sweep.DispatchAsync(None));
        Assert.Equal(2, _webhook.Posts.Count);

        // At the window's end the sweep posts what waited, together in one card.
        time.Now = Start.AddSeconds(60);
        Assert.Equal(2, await sweep.DispatchAsync(None));
        Assert.Equal(["CAM-3", "CAM-4"], PostedAssets()[2]);
        Assert.Empty(await store.GetOutboxEntriesAsync("HO", [OutboxState.Pending, OutboxState.Sending, OutboxState.Failed], None));

        // That post opened a new window: a batch at 100 s waits for 120 s...
        time.Now = Start.AddSeconds(100);
        await function.Run(Batch(("HO", "CAM-5")), None);
        Assert.Equal(3, _webhook.Posts.Count);
        // ...and goes out with the next batch after it (no sweep needed), which after a quiet window is immediate.
        time.Now = Start.AddSeconds(121);
        await function.Run(Batch(("HO", "CAM-6")), None);
        Assert.Equal(["CAM-5", "CAM-6"], PostedAssets()[3]);
        time.Now = Start.AddSeconds(300);
        await function.Run(Batch(("HO", "CAM-7")), None);
        Assert.Equal(["CAM-7"], PostedAssets()[4]);
        Assert.Equal(5, _webhook.Posts.Count);
    }

    [Fact]
    public async Task Every_host_delivers_a_batch_s_alerts_right_after_its_commit_under_the_default_window()
    {
        var store = await azurite.CreateStoreAsync();
        var time = new ManualTime(Start);
        var intake = TestEvents.Intake(store, Routing(), time);

        // The local run's queue consumer (--service-bus), HTTP ingestion's local processing and the file replay,
        // one department each (a department's window would hold the second and third).
        var receiver = new ServiceBusReceiverStandIn();
        await new ServiceBusQueueConsumer(receiver, intake, NullLogger<ServiceBusQueueConsumer>.Instance).ProcessBatchAsync(Batch(("HO", "Q-1")), None);
        await new LocalProcessingPublisher(() => intake, time).PublishAsync([new OutgoingEvent("e-http", "MOJ", Encoding.UTF8.GetBytes(TestEvents.Upsert("MOJ", "H-1", 1)))], None);
        var replay = Path.Combine(Directory.CreateTempSubdirectory("replay-").FullName, "events.jsonl");
        await File.WriteAllLinesAsync(replay, [TestEvents.Upsert("DFE", "R-1", 1), TestEvents.Upsert("DFE", "R-2", 1)]);
        var replayed = 0;
        foreach (var batch in EventFileReplay.Batches(replay, time.GetUtcNow()))
        {
            replayed += (await intake.ProcessAsync(batch, None)).AlertsDelivered;
        }

        Assert.Equal(["HO-Q-1"], receiver.Completed);
        Assert.Equal(2, replayed);
        Assert.Equal([["Q-1"], ["H-1"], ["R-1", "R-2"]], PostedAssets());
    }

    [Fact]
    public async Task A_failed_delivery_after_the_commit_never_fails_the_batch_and_the_sweep_delivers_it_later()
    {
        var store = await azurite.CreateStoreAsync();
        var time = new ManualTime(Start);
        var function = TestEvents.Ingest(store, Routing(), time);
        for (var i = 0; i < 4; i++)
        {
            _webhook.Answer(503); // every attempt of the sender's round
        }

        await function.Run(Batch(("HO", "CAM-1")), None); // does not throw: the events are committed

        Assert.NotNull(await store.GetRecordAsync("HO", "CAM-1", None));
        var waiting = Assert.Single(await store.GetOutboxEntriesAsync("HO", [OutboxState.Pending], None));
        Assert.Equal(1, waiting.Attempts);
        // The retry waits for its backoff and for the window the failed round opened; then the sweep delivers it.
        time.Now = Start.AddMinutes(5);
        Assert.Equal(1, await TestEvents.Dispatcher(store, Routing(), time).DispatchAsync(None));
        Assert.Equal([503, 503, 503, 503, 202], _webhook.Posts.Select(p => p.Answered));
    }

    [Fact]
    public async Task Of_two_dispatchers_that_read_the_same_mark_only_the_first_claims_even_different_rows()
    {
        var store = await azurite.CreateStoreAsync();
        await TestEvents.Processor(store, new ManualTime(Start)).ProcessAsync([TestEvents.Message(TestEvents.Upsert("HO", "CAM-1", 1)), TestEvents.Message(TestEvents.Upsert("HO", "CAM-2", 1))], None);
        var rows = await store.GetOutboxEntriesAsync("HO", [OutboxState.Pending], None);
        var other = azurite.OpenStore(store); // another instance, with its own caches

        // Both find the department never posted (no mark row yet) and claim one row each: the second loses.
        Assert.Equal(DispatchMark.None, await store.GetDispatchMarkAsync("HO", None));
        var mark = await other.GetDispatchMarkAsync("HO", None);
        Assert.NotNull(await store.ClaimOutboxAsync("HO", [rows[0]], Start.AddMinutes(5), new DispatchMark(Start, null), None));
        Assert.Null(await other.ClaimOutboxAsync("HO", [rows[1]], Start.AddMinutes(5), mark with { LastClaimedAt = Start }, None));
        Assert.Equal(OutboxState.Pending, (await store.GetOutboxEntriesAsync("HO", [OutboxState.Pending], None)).Single().State);

        // With a mark row: a claim guarded by a stale read of it loses too, and one with the current ETag wins.
        var current = await store.GetDispatchMarkAsync("HO", None);
        Assert.Equal(Start, current.LastClaimedAt);
        var second = (await store.GetOutboxEntriesAsync("HO", [OutboxState.Pending], None)).Single();
        Assert.NotNull(await store.ClaimOutboxAsync("HO", [second], Start.AddMinutes(7), current with { LastClaimedAt = Start.AddMinutes(2) }, None));
        Assert.Null(await other.ClaimOutboxAsync("HO", [second with { ETag = "W/\"stale\"" }], Start.AddMinutes(7), current with { LastClaimedAt = Start.AddMinutes(2) }, None));
        Assert.Equal(Start.AddMinutes(2), (await other.GetDispatchMarkAsync("HO", None)).LastClaimedAt);
    }

    [Fact]
    public async Task Two_instances_sweeping_at_once_post_each_department_once_per_window()
    {
        var store = await azurite.CreateStoreAsync();
        var time = new ManualTime(Start);
        var departments = new[] { "HO", "MOJ", "DFE" };
        await TestEvents.Processor(store, time).ProcessAsync(
            departments.SelectMany(d => Enumerable.Range(1, 4).Select(i => TestEvents.Message(TestEvents.Upsert(d, $"CAM-{i}", 1)))).ToArray(), None);

        var results = await Task.WhenAll(
            TestEvents.Dispatcher(azurite.OpenStore(store), Routing(), time).DispatchAsync(None),
            TestEvents.Dispatcher(azurite.OpenStore(store), Routing(), time).DispatchAsync(None));

        Assert.Equal(12, results.Sum());
        Assert.Equal(3, _webhook.Posts.Count); // one card per department, whichever instance won it
        Assert.Equal(12, PostedAssets().Sum(a => a.Length));
        // A department posted to is not posted to again within its window, by either instance.
        await TestEvents.Processor(store, time).ProcessAsync([TestEvents.Message(TestEvents.Upsert("HO", "CAM-5", 1))], None);
        time.Now = Start.AddSeconds(30);
        Assert.Equal(0, await TestEvents.Dispatcher(azurite.OpenStore(store), Routing(), time).DispatchAsync(None));
        Assert.Equal(3, _webhook.Posts.Count);
    }

    [Fact]
    public async Task A_claim_of_more_rows_than_one_transaction_holds_moves_the_mark_with_the_first()
    {
        var store = await azurite.CreateStoreAsync();
        var processor = TestEvents.Processor(store, new ManualTime(Start));
        await processor.ProcessAsync(Enumerable.Range(1, 150).Select(i => TestEvents.Message(TestEvents.Upsert("HO", $"CAM-{i:D3}", 1))).ToArray(), None);
        var rows = await store.GetOutboxEntriesAsync("HO", [OutboxState.Pending], None);

        var claimed = await store.ClaimOutboxAsync("HO", rows, Start.AddMinutes(5), new DispatchMark(Start, null), None);

        Assert.Equal(150, claimed!.Count);
        Assert.Equal(Start, (await store.GetDispatchMarkAsync("HO", None)).LastClaimedAt);
        Assert.Equal(150, (await store.GetOutboxEntriesAsync("HO", [OutboxState.Sending], None)).Count);
    }

    /// <summary>Records settlements; Service Bus itself cannot run here.</summary>
    private sealed class ServiceBusReceiverStandIn : ServiceBusReceiver
    {
        public List<string> Completed { get; } = [];

        public override Task CompleteMessageAsync(ServiceBusReceivedMessage message, CancellationToken cancellationToken = default)
        {
            Completed.Add(message.MessageId);
            return Task.CompletedTask;
        }
    }
}
