using System.Text;
using AssetCompliance.Azure;
using AssetCompliance.Azure.ServiceBus;
using AssetCompliance.Azure.Teams;
using AssetCompliance.Cli;
using AssetCompliance.Core.Alerting;
using AssetCompliance.Core.Processing;
using Azure.Messaging.ServiceBus;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace AssetCompliance.Integration.Tests;

/// <summary>
/// Delivery right after a batch commits, under the default 60 s group window (a hand-moved clock; Azurite; a
/// loopback webhook): a department's first alerts go out at once on every host, later ones within the window wait
/// for its end and go out together, and the window is per department and held in storage, not per instance. And
/// delivery after a commit is bounded: a webhook that never answers cannot hold the batch; what it cut short is
/// released to the outbox at once and delivered by the sweep (the budget's timer runs on a clock the test moves).
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
            body: BinaryData.FromString(TestEvents.Upsert(c.Department, c.AssetId, 1)), messageId: $"{c.Department}-{c.AssetId}", properties: TestEvents.OwnTopic(TestEvents.Upsert(c.Department, c.AssetId, 1))))];

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
        await function.IngestAssetEvents(Batch(("HO", "CAM-1"), ("HO", "CAM-2")), None);
        Assert.Equal([["CAM-1", "CAM-2"]], PostedAssets());

        // Ten seconds later, another batch of HO: inside the window of that post, so it waits...
        time.Now = Start.AddSeconds(10);
        await function.IngestAssetEvents(Batch(("HO", "CAM-3")), None);
        Assert.Single(_webhook.Posts);
        // ...but the window is per department: MOJ's first batch goes out at once.
        await function.IngestAssetEvents(Batch(("MOJ", "CAM-9")), None);
        Assert.Equal([["CAM-1", "CAM-2"], ["CAM-9"]], PostedAssets());

        // A third batch at 30 s waits too, and a sweep before the window's end posts nothing.
        time.Now = Start.AddSeconds(30);
        await function.IngestAssetEvents(Batch(("HO", "CAM-4")), None);
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
        await function.IngestAssetEvents(Batch(("HO", "CAM-5")), None);
        Assert.Equal(3, _webhook.Posts.Count);
        // ...and goes out with the next batch after it (no sweep needed), which after a quiet window is immediate.
        time.Now = Start.AddSeconds(121);
        await function.IngestAssetEvents(Batch(("HO", "CAM-6")), None);
        Assert.Equal(["CAM-5", "CAM-6"], PostedAssets()[3]);
        time.Now = Start.AddSeconds(300);
        await function.IngestAssetEvents(Batch(("HO", "CAM-7")), None);
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
        _webhook.Answer(503);
        _webhook.Answer(503);

        await function.IngestAssetEvents(Batch(("HO", "CAM-1")), None); // does not throw: the events are committed

        Assert.NotNull(await store.GetRecordAsync("HO", "CAM-1", None));
        var waiting = Assert.Single(await store.GetOutboxEntriesAsync("HO", [OutboxState.Pending], None));
        Assert.Equal(1, waiting.Attempts);
        Assert.Single(_webhook.Posts); // one attempt after the commit: the sender's retries are the sweep's
        // The retry waits for its backoff and for the window the failed round opened; then the sweep delivers it,
        // retrying in full (the second 503 is retried within the same sweep).
        time.Now = Start.AddMinutes(5);
        Assert.Equal(1, await TestEvents.Dispatcher(store, Routing(), time).DispatchAsync(None));
        Assert.Equal([503, 503, 202], _webhook.Posts.Select(p => p.Answered));
    }

    /// <summary>
    /// Every host's intake whose dispatcher runs on <paramref name="clock"/>, a clock whose timers (the post-commit
    /// budget) fire only when the test moves it; the events are committed on the wall clock.
    /// </summary>
    private static AssetEventIntake Intake(StateStores store, AlertingOptions routing, TimeProvider clock) =>
        new(TestEvents.Processor(store), TestEvents.Dispatcher(store, routing, clock));

    /// <summary>Polls (bounded, never asserting on time) until <paramref name="done"/> or the work ends.</summary>
    private static async Task UntilAsync(Func<bool> done, Task work)
    {
        for (var i = 0; i < 1200 && !done() && !work.IsCompleted; i++)
        {
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task A_webhook_that_never_answers_cannot_hold_a_batch_and_the_sweep_delivers_each_alert_once_when_it_answers()
    {
        // The finding: a webhook that accepts connections and never answers held a one-event ingestion for 127 s
        // (four attempts of 30 s, departments one after another); in Azure, the Service Bus batch and its lock.
        var store = await azurite.CreateStoreAsync();
        var clock = new FakeTimeProvider(Start);
        var routing = Routing(); // the default budget, 5 s, passed on the test's clock
        _webhook.Hang();

        var run = Intake(store, routing, clock).ProcessAsync(
            [.. Batch(("HO", "CAM-1"), ("MOJ", "CAM-2"), ("DFE", "CAM-3")).Select(ServiceBusInbound.From)], None);
        await UntilAsync(() => _webhook.Unanswered == 3, run); // the departments post at once, not one after another
        Assert.Equal(3, _webhook.Unanswered);
        Assert.False(run.IsCompleted);
        clock.Advance(routing.ToDispatchSettings().PostCommitBudget);
        var result = await run;

        // The batch came back with its results, committed; nothing was delivered, and nothing was lost or left claimed.
        Assert.All(result.Results, r => Assert.Equal(MessageOutcome.Applied, r.Outcome));
        Assert.Equal(0, result.AlertsDelivered);
        Assert.Empty(_webhook.Posts);
        foreach (var department in new[] { "HO", "MOJ", "DFE" })
        {
            var entry = Assert.Single(await store.GetOutboxEntriesAsync(department, [OutboxState.Pending, OutboxState.Sending, OutboxState.Failed], None));
            Assert.Equal(OutboxState.Pending, entry.State); // released at once, not Sending for the lease's 5 minutes
            Assert.Equal(0, entry.Attempts); // a cut post is no verdict on the webhook
            Assert.True(entry.NotBefore is null || entry.NotBefore <= clock.GetUtcNow());
            Assert.Empty(entry.DeliveredTo);
            Assert.Contains("cut short", entry.LastError, StringComparison.Ordinal);
        }

        // Once the webhook answers, the sweep (full effort, no budget) delivers each alert, once, after the window
        // that the cut post opened: posting again at once would hammer a webhook that may just be slow.
        // The server sees the cut posts' clients give up later than they do: wait for that, so that the release answers
        // none of them (an answer would record a post that the client, cut, never saw).
        await _webhook.AbandonedAsync(3);
        _webhook.Release();
        var sweep = TestEvents.Dispatcher(store, routing, clock);
        clock.SetUtcNow(Start.AddSeconds(30));
        Assert.Equal(0, await sweep.DispatchAsync(None));
        clock.SetUtcNow(Start.AddSeconds(60));
        Assert.Equal(3, await sweep.DispatchAsync(None));
        Assert.Equal(["CAM-1", "CAM-2", "CAM-3"], PostedAssets().SelectMany(a => a).Order(StringComparer.Ordinal));
        foreach (var department in new[] { "HO", "MOJ", "DFE" })
        {
            Assert.Empty(await store.GetOutboxEntriesAsync(department, [OutboxState.Pending, OutboxState.Sending, OutboxState.Failed], None));
        }
    }

    /// <summary>Records each request's card (its assets) as it leaves, before any answer: a post that started.</summary>
    private sealed class StartedPosts() : DelegatingHandler(new HttpClientHandler())
    {
        public System.Collections.Concurrent.ConcurrentQueue<string[]> Assets { get; } = new();

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            using var body = System.Text.Json.JsonDocument.Parse(await request.Content!.ReadAsByteArrayAsync(cancellationToken));
            Assets.Enqueue([.. AlertDeliveryTests.AssetIdsIn(body)]);
            return await base.SendAsync(request, cancellationToken);
        }
    }

    [Fact]
    public async Task Departments_cut_by_the_budget_while_queued_behind_the_webhook_s_rate_limit_stay_due_and_the_sweep_posts_them_at_once()
    {
        // The finding: every department posts to the central channel first, one post a second (the sender's
        // default), so with a 5 s budget and four departments at a time the later ones are cut while waiting for
        // their turn, before any request left; their claim had moved the department's mark, so a department that
        // posted nothing was held for the whole 60 s window.
        var store = await azurite.CreateStoreAsync();
        var clock = new FakeTimeProvider(Start);
        var routing = Routing(); // the default window (60 s) and budget (5 s)
        var departments = new[] { "HO", "MOJ", "DFE", "DWP", "HMRC", "DEFRA", "DFT" };
        using var started = new StartedPosts();
        var intake = new AssetEventIntake(TestEvents.Processor(store),
            TestEvents.Dispatcher(store, routing, clock, new HttpClient(started), new TeamsSenderSettings(), clock)); // the default MinInterval, 1 s
        Assert.Equal(TimeSpan.FromSeconds(1), new TeamsSenderSettings().MinInterval);

        var run = intake.ProcessAsync([.. Batch([.. departments.Select(d => (d, $"{d}-CAM-1"))]).Select(ServiceBusInbound.From)], None);
        await UntilAsync(() => !started.Assets.IsEmpty, run); // the first department's card is out; the others queue behind it
        clock.Advance(routing.ToDispatchSettings().PostCommitBudget);
        await run;

        bool Started(string department) => started.Assets.Any(a => a.Contains($"{department}-CAM-1"));
        var cut = departments.Where(d => !Started(d)).ToArray();
        Assert.NotEmpty(cut); // seven departments at one post a second cannot all go out within 5 s
        foreach (var department in cut)
        {
            // Posted nothing: still due, now, not held by a window no post started.
            var entry = Assert.Single(await store.GetOutboxEntriesAsync(department, [OutboxState.Pending, OutboxState.Sending, OutboxState.Failed], None));
            Assert.Equal((OutboxState.Pending, 0), (entry.State, entry.Attempts));
            Assert.True(entry.NotBefore is null || entry.NotBefore <= clock.GetUtcNow(), $"{department} is due at {entry.NotBefore}");
            var mark = await store.GetDispatchMarkAsync(department, None);
            Assert.True(mark.LastClaimedAt is null || mark.LastClaimedAt + routing.ToDispatchSettings().GroupWindow <= clock.GetUtcNow(),
                $"{department} posted nothing and is held by a window from {mark.LastClaimedAt}");
        }

        // The sweep, at the same moment, posts every one of them: nothing waits for the window.
        Assert.Equal(cut.Length, await TestEvents.Dispatcher(store, routing, clock).DispatchAsync(None));
        Assert.Equal(cut.Select(d => $"{d}-CAM-1").Order(StringComparer.Ordinal), PostedAssets().SelectMany(a => a).Where(a => cut.Any(d => a == $"{d}-CAM-1")).Order(StringComparer.Ordinal));
        foreach (var department in cut)
        {
            Assert.Empty(await store.GetOutboxEntriesAsync(department, [OutboxState.Pending, OutboxState.Sending, OutboxState.Failed], None));
        }
    }

    [Fact]
    public async Task A_post_cut_short_keeps_the_channels_that_accepted_and_the_sweep_posts_only_to_the_others()
    {
        var store = await azurite.CreateStoreAsync();
        var clock = new FakeTimeProvider(Start);
        await using var silent = await LoopbackWebhook.StartAsync();
        silent.Hang();
        var routing = Routing();
        routing.DepartmentWebhooks["HO"] = silent.Url("ho");

        var run = Intake(store, routing, clock).ProcessAsync([.. Batch(("HO", "CAM-1")).Select(ServiceBusInbound.From)], None);
        await UntilAsync(() => silent.Unanswered == 1, run);
        Assert.Equal(1, silent.Unanswered);
        clock.Advance(routing.ToDispatchSettings().PostCommitBudget);
        await run;

        Assert.Equal([["CAM-1"]], PostedAssets()); // the central channel answered first
        var entry = Assert.Single(await store.GetOutboxEntriesAsync("HO", [OutboxState.Pending, OutboxState.Sending], None));
        Assert.Equal((OutboxState.Pending, 0), (entry.State, entry.Attempts));
        Assert.Equal(["central"], entry.DeliveredTo);

        await silent.AbandonedAsync(1); // the cut post's client gave up, as the server sees it: the release answers nothing
        silent.Release();
        clock.SetUtcNow(Start.AddSeconds(60));
        Assert.Equal(1, await TestEvents.Dispatcher(store, routing, clock).DispatchAsync(None));
        Assert.Single(_webhook.Posts); // the central channel is not posted to twice
        Assert.Equal(["CAM-1"], AlertDeliveryTests.AssetIdsIn(Assert.Single(silent.Posts).Body));
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("0.1", true)]
    [InlineData("60", true)]
    [InlineData("0", false)]
    [InlineData("61", false)]
    [InlineData("-1", false)]
    public void The_post_commit_budget_is_a_validated_setting_of_a_few_seconds_by_default(string? seconds, bool valid)
    {
        var settings = new Dictionary<string, string?> { ["ComplianceStorage:ConnectionString"] = "UseDevelopmentStorage=true" };
        if (seconds is not null)
        {
            settings["Alerting:PostCommitBudgetSeconds"] = seconds;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        using var provider = new ServiceCollection().AddAssetCompliance(configuration).BuildServiceProvider();
        var read = () => provider.GetRequiredService<DispatchSettings>();

        if (valid)
        {
            Assert.Equal(TimeSpan.FromSeconds(seconds is null ? 5 : double.Parse(seconds, System.Globalization.CultureInfo.InvariantCulture)), read().PostCommitBudget);
        }
        else
        {
            Assert.Contains("PostCommitBudgetSeconds", Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(read).Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_shutdown_during_a_post_after_the_commit_releases_the_alert_for_the_sweep()
    {
        var store = await azurite.CreateStoreAsync();
        var clock = new FakeTimeProvider(Start); // never moved: the budget does not end
        _webhook.Hang();
        using var stopping = new CancellationTokenSource();

        var run = Intake(store, Routing(), clock).ProcessAsync([TestEvents.Message(TestEvents.Upsert("HO", "CAM-1", 1))], stopping.Token);
        await UntilAsync(() => _webhook.Unanswered == 1, run);
        Assert.Equal(1, _webhook.Unanswered);
        await stopping.CancelAsync();
        var result = await run;

        Assert.Equal(MessageOutcome.Applied, Assert.Single(result.Results).Outcome);
        var entry = Assert.Single(await store.GetOutboxEntriesAsync("HO", [OutboxState.Pending, OutboxState.Sending], None));
        Assert.Equal(OutboxState.Pending, entry.State);
    }

    [Fact]
    public async Task After_the_commit_a_retry_after_is_kept_for_later_not_waited_for()
    {
        var store = await azurite.CreateStoreAsync();
        var time = new ManualTime(Start);
        _webhook.Answer(429, retryAfterSeconds: 120);

        await TestEvents.Ingest(store, Routing(), time).IngestAssetEvents(Batch(("HO", "CAM-1")), None);

        var entry = Assert.Single(await store.GetOutboxEntriesAsync("HO", [OutboxState.Pending], None));
        Assert.Equal(1, entry.Attempts);
        Assert.True(entry.NotBefore >= Start.AddSeconds(120), $"the next try is due at {entry.NotBefore}, before the webhook's Retry-After");
        Assert.Equal([429], _webhook.Posts.Select(p => p.Answered));

        time.Now = Start.AddSeconds(90); // past the window, not past Retry-After
        Assert.Equal(0, await TestEvents.Dispatcher(store, Routing(), time).DispatchAsync(None));
        time.Now = Start.AddSeconds(121);
        Assert.Equal(1, await TestEvents.Dispatcher(store, Routing(), time).DispatchAsync(None));
        Assert.Equal([429, 202], _webhook.Posts.Select(p => p.Answered));
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
