using System.Net.Http.Json;
using System.Text.Json;
using AssetCompliance.Azure.Tables;
using AssetCompliance.Azure.Teams;
using AssetCompliance.Core.Alerting;
using AssetCompliance.Core.Policy;
using AssetCompliance.Core.State;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging.Abstractions;

namespace AssetCompliance.Integration.Tests;

/// <summary>The outbox delivered to a real loopback webhook that accepts, throttles, fails and refuses (Azurite).</summary>
[Collection(AzuriteCollection.Name)]
public sealed class AlertDeliveryTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly CancellationToken None = CancellationToken.None;

    /// <summary>Where the tests' fake clocks start.</summary>
    private static readonly DateTimeOffset Start = new(2026, 11, 20, 9, 0, 0, TimeSpan.Zero);
    private LoopbackWebhook _webhook = null!;

    public async Task InitializeAsync() => _webhook = await LoopbackWebhook.StartAsync();

    public async Task DisposeAsync() => await _webhook.DisposeAsync();

    /// <param name="senderTime">The sender's clock (its rate gate and retries): a <see cref="DemandClock"/> for tests of spacing and waits.</param>
    private AlertDispatcher Dispatcher(StateStores store, TimeSpan? minInterval = null, AlertingOptions? routing = null, TimeProvider? time = null, TimeProvider? senderTime = null)
    {
        routing ??= new AlertingOptions { ApiBaseUrl = new Uri("https://compliance.example/api/"), CentralWebhook = _webhook.Url("central") };
        var sender = new TeamsWebhookSender(new HttpClient(), new TeamsSenderSettings { MinInterval = minInterval ?? TimeSpan.Zero, RetryBase = TimeSpan.FromMilliseconds(50) }, senderTime ?? TimeProvider.System);
        return new AlertDispatcher(store, store, sender, routing, new AlertCardBuilder(routing.ApiBaseUrl!),
            new DispatchSettings { GroupWindow = TimeSpan.Zero, RetryBase = TimeSpan.Zero, DeliveredRetention = routing.ToDispatchSettings().DeliveredRetention },
            time ?? TimeProvider.System, NullLogger<AlertDispatcher>.Instance);
    }

    /// <summary>The assets a posted card has buttons for (its first five devices).</summary>
    internal static IEnumerable<string> AssetIdsIn(JsonDocument post) =>
        post.RootElement.GetProperty("attachments")[0].GetProperty("content").GetProperty("actions").EnumerateArray()
            .Select(a => a.GetProperty("title").GetString()!).Where(t => t.StartsWith("Open ", StringComparison.Ordinal)).Select(t => t[5..]);

    private Task<StateStores> StoreWithTransitionsAsync(params (string Department, string AssetId)[] cameras) => StoreWithTransitionsAsync(null, cameras);

    /// <param name="time">The clock the transitions are committed on (the wall clock unless given).</param>
    private async Task<StateStores> StoreWithTransitionsAsync(TimeProvider? time, params (string Department, string AssetId)[] cameras)
    {
        var store = await azurite.CreateStoreAsync();
        await TestEvents.Processor(store, time).ProcessAsync(cameras.Select(c => TestEvents.Message(TestEvents.Upsert(c.Department, c.AssetId, 1))).ToArray(), None);
        return store;
    }

    [Fact]
    public async Task A_department_s_transitions_go_out_as_one_card_in_the_workflows_envelope_and_never_again()
    {
        var store = await StoreWithTransitionsAsync(("HO", "CAM-1"), ("HO", "CAM-2"), ("HO", "CAM-3"), ("MOJ", "CAM-9"));
        var dispatcher = Dispatcher(store);

        Assert.Equal(4, await dispatcher.DispatchAsync(None));
        Assert.Equal(0, await dispatcher.DispatchAsync(None));

        var posts = _webhook.Posts.ToArray();
        Assert.Equal(2, posts.Length);
        var ho = posts.Single(p => AssetIdsIn(p.Body).Contains("CAM-1")).Body.RootElement;
        Assert.Equal("message", ho.GetProperty("type").GetString());
        var attachment = Assert.Single(ho.GetProperty("attachments").EnumerateArray());
        Assert.Equal("application/vnd.microsoft.card.adaptive", attachment.GetProperty("contentType").GetString());
        Assert.Equal(JsonValueKind.Null, attachment.GetProperty("contentUrl").ValueKind);
        Assert.Equal("1.4", attachment.GetProperty("content").GetProperty("version").GetString());
        Assert.Equal(["CAM-1", "CAM-2", "CAM-3"], AssetIdsIn(posts.Single(p => AssetIdsIn(p.Body).Contains("CAM-1")).Body).Order());
        Assert.All(await store.GetOutboxEntriesAsync("HO", [OutboxState.Pending, OutboxState.Sending, OutboxState.Failed, OutboxState.Sent], None),
            e => Assert.Equal((OutboxState.Sent, 1), (e.State, e.Attempts)));
    }

    [Fact]
    public async Task Throttling_and_server_errors_are_retried_honouring_retry_after_and_deliver_once()
    {
        var store = await StoreWithTransitionsAsync(("HO", "CAM-1"));
        _webhook.Answer(429, retryAfterSeconds: 1);
        _webhook.Answer(500);
        _webhook.Answer(503);
        // The sender waits on a clock that moves only by the waits it asks for: the arrival times below are exact.
        var clock = new DemandClock(Start);
        _webhook.Clock = clock;

        Assert.Equal(1, await clock.DriveAsync(Dispatcher(store, senderTime: clock).DispatchAsync(None)));

        var posts = _webhook.Posts.ToArray();
        Assert.Equal([429, 500, 503, 202], posts.Select(p => p.Answered));
        Assert.True(posts[1].At - posts[0].At >= TimeSpan.FromSeconds(1), $"waited {(posts[1].At - posts[0].At).TotalSeconds:F2} s after a Retry-After of 1 s");
        Assert.Equal(3, clock.Requested.Count); // one wait before each retry: the Retry-After, then two backoffs
        Assert.Equal(OutboxState.Sent, Assert.Single(await store.GetOutboxEntriesAsync("HO", [OutboxState.Sent], None)).State);
    }

    [Fact]
    public async Task A_card_refused_as_too_large_is_split_and_a_refused_post_is_recorded_as_failed_without_its_secret()
    {
        var store = await StoreWithTransitionsAsync(("HO", "CAM-1"), ("HO", "CAM-2"), ("HO", "CAM-3"), ("HO", "CAM-4"));
        _webhook.Answer(413);
        Assert.Equal(4, await Dispatcher(store).DispatchAsync(None));
        var posts = _webhook.Posts.ToArray();
        Assert.Equal([413, 202, 202], posts.Select(p => p.Answered));
        Assert.Equal(["CAM-1", "CAM-2"], AssetIdsIn(posts[1].Body).Order());
        Assert.Equal(["CAM-3", "CAM-4"], AssetIdsIn(posts[2].Body).Order());

        var refused = await StoreWithTransitionsAsync(("DFE", "CAM-5"));
        _webhook.Answer(400, body: "Flow not found for https://prod.example/workflows/abc?sig=SECRET-SIGNATURE");
        Assert.Equal(0, await Dispatcher(refused).DispatchAsync(None));
        var failed = Assert.Single(await refused.GetOutboxEntriesAsync("DFE", [OutboxState.Failed], None));
        Assert.Contains("HTTP 400", failed.LastError);
        Assert.DoesNotContain("SECRET-SIGNATURE", failed.LastError);
        Assert.Equal(0, await Dispatcher(refused).DispatchAsync(None)); // failed rows are not retried

        // The failed-alerts view shows it, with the redacted response and no webhook URL.
        var (_, text) = await TestHttp.SendAsync(TestHttp.Request(TestEvents.Principal(), "?status=failed"), r => TestEvents.StateApi(refused).GetAlertsAsync(r, None));
        Assert.Contains("\"count\": 1", text);
        Assert.Contains("CAM-5", text);
        Assert.DoesNotContain("SECRET-SIGNATURE", text);
        Assert.DoesNotContain("/workflows/", text);
        var health = await TestEvents.ComplianceApi(refused).GetHealthAsync(TestHttp.Request(null), None);
        Assert.Equal(1, JsonSerializer.SerializeToElement(health.Payload, ComplianceJson.Options).GetProperty("failedAlerts").GetInt32());
    }

    [Fact]
    public async Task Every_post_has_a_content_length_equal_to_its_body_and_is_never_chunked_so_a_receiver_requiring_a_length_accepts_it()
    {
        // A receiver that answers 411 to any post without a length: cards, the halves of a split card and digests
        // must all get through it.
        _webhook.RequireContentLength = true;
        var store = await StoreWithTransitionsAsync(("HO", "CAM-1"), ("HO", "CAM-2"), ("HO", "CAM-3"), ("MOJ", "CAM-9"));
        _webhook.Answer(413); // the first card (HO's, oldest first) is split in two

        Assert.Equal(4, await Dispatcher(store).DispatchAsync(None));
        Assert.Equal(2, await Dispatcher(store).SendDigestsAsync(None));

        var posts = _webhook.Posts.ToArray();
        Assert.Equal([413, 202, 202, 202, 202, 202], posts.Select(p => p.Answered));
        Assert.All(posts, p => Assert.Equal(((long?)p.BodyBytes, (string?)null), (p.ContentLength, p.TransferEncoding)));
        Assert.All(posts, p => Assert.True(p.BodyBytes > 100, $"{p.BodyBytes} bytes"));
        Assert.Equal(2, posts.Count(p => p.Body.RootElement.ToString().Contains("daily digest", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_chunked_post_is_refused_by_a_receiver_requiring_a_length_and_a_411_fails_the_alert_without_retrying()
    {
        // The receiver really refuses what the sender used to send (PostAsJsonAsync streams the body, chunked).
        _webhook.RequireContentLength = true;
        using (var chunked = await new HttpClient().PostAsJsonAsync(_webhook.Url("central"), new { type = "message" }))
        {
            Assert.Equal(411, (int)chunked.StatusCode);
        }

        Assert.Equal((null, "chunked"), (_webhook.Posts.Single().ContentLength, _webhook.Posts.Single().TransferEncoding));

        // A 411 from further along (a proxy that wants a length anyway) is a permanent refusal: one post, no retry.
        _webhook.RequireContentLength = false;
        var store = await StoreWithTransitionsAsync(("HO", "CAM-1"));
        _webhook.Answer(411, body: "Length Required");
        Assert.Equal(0, await Dispatcher(store).DispatchAsync(None));
        Assert.Equal([411, 411], _webhook.Posts.Select(p => p.Answered));
        var failed = Assert.Single(await store.GetOutboxEntriesAsync("HO", [OutboxState.Failed], None));
        Assert.Contains("Rejected (HTTP 411)", failed.LastError);
    }

    [Theory]
    [InlineData(200, DeliveryStatus.Accepted)]
    [InlineData(202, DeliveryStatus.Accepted)]
    [InlineData(204, DeliveryStatus.Accepted)]
    [InlineData(400, DeliveryStatus.Rejected)]
    [InlineData(401, DeliveryStatus.Rejected)]
    [InlineData(403, DeliveryStatus.Rejected)]
    [InlineData(404, DeliveryStatus.Rejected)]
    [InlineData(408, DeliveryStatus.RetryLater)]
    [InlineData(411, DeliveryStatus.Rejected)]
    [InlineData(413, DeliveryStatus.TooLarge)]
    [InlineData(415, DeliveryStatus.Rejected)]
    [InlineData(429, DeliveryStatus.RetryLater)]
    [InlineData(500, DeliveryStatus.RetryLater)]
    [InlineData(502, DeliveryStatus.RetryLater)]
    [InlineData(503, DeliveryStatus.RetryLater)]
    [InlineData(504, DeliveryStatus.RetryLater)]
    public void Webhook_answers_are_classified_in_one_place(int status, DeliveryStatus expected) =>
        Assert.Equal(expected, TeamsWebhookSender.Classify((System.Net.HttpStatusCode)status));

    [Fact]
    public async Task Health_counts_failed_alerts_at_most_once_a_minute_however_often_it_is_probed()
    {
        var refused = await StoreWithTransitionsAsync(("DFE", "CAM-5"), ("HO", "CAM-1"));
        var counting = new CountingStore(refused);
        var time = new ManualTime(DateTimeOffset.UtcNow);
        var api = new AssetCompliance.Api.ComplianceApi(counting, counting, counting, new AssetCompliance.Core.Catalogue.DeviceIdentifier(AssetCompliance.Core.Catalogue.VendorCatalogue.Default),
            CompliancePolicy.Default, TestEvents.Authorizer(), time);
        async Task<(string Status, int Failed)> ProbeAsync()
        {
            var body = JsonSerializer.SerializeToElement((await api.GetHealthAsync(TestHttp.Request(null), None)).Payload, ComplianceJson.Options);
            return (body.GetProperty("status").GetString()!, body.GetProperty("failedAlerts").GetInt32());
        }

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(("healthy", 0), await ProbeAsync());
        }

        Assert.Equal(2, counting.OutboxReads); // one read per department, for five probes

        _webhook.Answer(400);
        _webhook.Answer(400);
        await Dispatcher(refused).DispatchAsync(None);
        time.Now += TimeSpan.FromSeconds(30);
        Assert.Equal(("healthy", 0), await ProbeAsync()); // still the count of 30 s ago
        time.Now += TimeSpan.FromSeconds(31);
        Assert.Equal(("degraded", 2), await ProbeAsync());
        Assert.Equal(4, counting.OutboxReads);
    }

    private sealed class CountingStore(StateStores inner) : StateStores(inner)
    {
        private int _outboxReads;

        public int OutboxReads => _outboxReads;

        public override Task<IReadOnlyList<OutboxEntry>> GetOutboxEntriesAsync(string department, IReadOnlyCollection<OutboxState> states, DateTimeOffset? since, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _outboxReads);
            return base.GetOutboxEntriesAsync(department, states, since, cancellationToken);
        }
    }

    [Fact]
    public async Task Delivered_alerts_leave_the_range_the_dispatcher_reads_and_are_pruned_after_the_retention()
    {
        var store = await StoreWithTransitionsAsync(("HO", "CAM-1"), ("HO", "CAM-2"), ("HO", "CAM-3"));
        Assert.Equal(3, await Dispatcher(store).DispatchAsync(None));
        await TestEvents.Processor(store).ProcessAsync([TestEvents.Message(TestEvents.Upsert("HO", "CAM-4", 1))], None);

        // What the dispatcher reads every minute holds only what is still to do; the delivered rows moved whole.
        var table = azurite.CreateServiceClient().GetTableClient(store.TablePrefix + "Assets");
        Assert.Equal(["CAM-4"], await AssetIdsInRangeAsync(table, "outbox|", "outbox}"));
        Assert.Equal(["CAM-1", "CAM-2", "CAM-3"], await AssetIdsInRangeAsync(table, "sent|", "sent}"));
        var sent = await store.GetOutboxEntriesAsync("HO", [OutboxState.Sent], None);
        Assert.Equal(["CAM-1", "CAM-2", "CAM-3"], sent.Select(e => e.Alert.AssetId).Order(StringComparer.Ordinal));
        Assert.All(sent, e => Assert.Equal((OutboxState.Sent, 1, "central", AlertKind.Opened), (e.State, e.Attempts, string.Join(',', e.DeliveredTo), e.Alert.Kind)));
        var all = await store.GetOutboxEntriesAsync("HO", Enum.GetValues<OutboxState>(), None);
        Assert.Equal(["CAM-1", "CAM-2", "CAM-3", "CAM-4"], all.Select(e => e.Alert.AssetId).Order(StringComparer.Ordinal));
        Assert.Equal(all.OrderBy(e => e.Alert.OccurredAt), all); // oldest first, across both ranges

        // A delivery record is kept for the retention (default 90 days), then pruned; what is undelivered never is.
        var occurred = sent.Max(e => e.Alert.OccurredAt);
        var routing = new AlertingOptions { ApiBaseUrl = new Uri("https://compliance.example/api/"), CentralWebhook = _webhook.Url("central") };
        Assert.Equal(0, await Dispatcher(store, routing: routing, time: new ManualTime(occurred + TimeSpan.FromDays(89))).PruneDeliveredAsync(None));
        Assert.Equal(3, await Dispatcher(store, routing: routing, time: new ManualTime(occurred + TimeSpan.FromDays(91))).PruneDeliveredAsync(None));
        Assert.Empty(await AssetIdsInRangeAsync(table, "sent|", "sent}"));
        Assert.Equal(["CAM-4"], (await store.GetOutboxEntriesAsync("HO", Enum.GetValues<OutboxState>(), None)).Select(e => e.Alert.AssetId));
        Assert.Equal(ComplianceStatus.NonCompliant, Assert.Single(await store.GetHistoryAsync("HO", "CAM-1", None)).StatusAfter); // the transition itself stays in the history
    }

    private static async Task<string[]> AssetIdsInRangeAsync(TableClient table, string from, string to)
    {
        var ids = new List<string>();
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq 'HO' and RowKey ge {from} and RowKey lt {to}")))
        {
            ids.Add(row.GetString("AssetId"));
        }

        return [.. ids.Order(StringComparer.Ordinal)];
    }

    [Fact]
    public async Task Failed_alerts_go_back_to_the_outbox_on_an_administrator_s_retry_and_reach_only_the_targets_that_refused()
    {
        var store = await StoreWithTransitionsAsync(("HO", "CAM-1"), ("MOJ", "CAM-2"));
        var routing = new AlertingOptions
        {
            ApiBaseUrl = new Uri("https://compliance.example/api/"),
            CentralWebhook = _webhook.Url("central"),
            DepartmentWebhooks = { ["HO"] = _webhook.Url("ho") },
        };
        _webhook.Answer(400, body: "flow disabled");   // central refuses HO's card
        Assert.Equal(1, await Dispatcher(store, routing: routing).DispatchAsync(None)); // MOJ's card reaches central
        var failed = Assert.Single(await store.GetOutboxEntriesAsync("HO", [OutboxState.Failed], None));
        Assert.Equal(["department:HO"], failed.DeliveredTo); // the department's own channel accepted it

        var api = TestEvents.StateApi(store);
        var (forbidden, _) = await TestHttp.SendAsync(TestHttp.Request(TestEvents.Principal(AssetCompliance.Api.Security.ComplianceRoles.ReadAll), method: "POST"), r => api.RetryFailedAlertsAsync(r, None));
        var (status, text) = await TestHttp.SendAsync(TestHttp.Request(TestEvents.Principal(), method: "POST"), r => api.RetryFailedAlertsAsync(r, None));
        Assert.Equal((403, 200), (forbidden, status));
        Assert.Equal(1, JsonDocument.Parse(text).RootElement.GetProperty("retried").GetInt32());

        var posted = _webhook.Posts.Count;
        Assert.Equal(1, await Dispatcher(store, routing: routing).DispatchAsync(None));
        var retry = Assert.Single(_webhook.Posts.Skip(posted));
        Assert.Equal("central", retry.Path);
        Assert.Equal(["CAM-1"], AssetIdsIn(retry.Body));
        Assert.Empty(await store.GetOutboxEntriesAsync("HO", [OutboxState.Failed, OutboxState.Pending], None));
        Assert.Equal((1, "central,department:HO"), (await store.GetOutboxEntriesAsync("HO", [OutboxState.Sent], None)) is [var sent] ? (sent.Attempts, string.Join(',', sent.DeliveredTo.Order(StringComparer.Ordinal))) : default);
    }

    [Fact]
    public async Task A_tool_polling_alerts_since_a_time_gets_only_the_transitions_from_then_delivered_or_not()
    {
        // Commits and deliveries on a clock the test moves: "before" and "after" are set, not slept for.
        var time = new ManualTime(Start);
        var store = await StoreWithTransitionsAsync(time, ("HO", "CAM-OLD"));
        Assert.Equal(1, await Dispatcher(store, time: time).DispatchAsync(None)); // delivered: in the delivered log
        time.Now += TimeSpan.FromSeconds(1);
        var between = time.Now;
        time.Now += TimeSpan.FromSeconds(1);
        await TestEvents.Processor(store, time).ProcessAsync([TestEvents.Message(TestEvents.Upsert("HO", "CAM-NEW", 1))], None); // pending

        var api = TestEvents.StateApi(store);
        async Task<string[]> AssetsAsync(string query)
        {
            var (status, text) = await TestHttp.SendAsync(TestHttp.Request(TestEvents.Principal(), query), r => api.GetAlertsAsync(r, None));
            Assert.True(status == 200, text);
            return [.. JsonDocument.Parse(text).RootElement.GetProperty("alerts").EnumerateArray().Select(a => a.GetProperty("assetId").GetString()!)];
        }

        Assert.Equal(["CAM-OLD", "CAM-NEW"], await AssetsAsync("?department=HO"));
        Assert.Equal(["CAM-NEW"], await AssetsAsync($"?department=HO&since={Uri.EscapeDataString(between.ToString("O"))}"));
        Assert.Equal(["CAM-OLD"], await AssetsAsync($"?status=sent&since={Uri.EscapeDataString(between.AddMinutes(-5).ToString("O"))}"));
        Assert.Empty(await AssetsAsync($"?status=sent&since={Uri.EscapeDataString(between.ToString("O"))}"));

        var (bad, problem) = await TestHttp.SendAsync(TestHttp.Request(TestEvents.Principal(), "?since=yesterday"), r => api.GetAlertsAsync(r, None));
        Assert.Equal(400, bad);
        Assert.Contains("since", problem);
    }

    /// <summary>
    /// The issue's sample for the alerts route: status=failed&amp;status=pending lists both (the values were combined
    /// as enum flags, and failed|pending read as failed alone); a repeated one-value parameter is refused.
    /// </summary>
    [Fact]
    public async Task Repeated_alert_states_are_alternatives_and_a_repeated_department_or_since_is_refused()
    {
        var store = await StoreWithTransitionsAsync(("HO", "CAM-1"), ("HO", "CAM-2"));
        _webhook.Answer(400);
        await Dispatcher(store).DispatchAsync(None); // CAM-1, CAM-2: failed
        await TestEvents.Processor(store).ProcessAsync([TestEvents.Message(TestEvents.Upsert("HO", "CAM-3", 1))], None);
        await Dispatcher(store).DispatchAsync(None); // CAM-3: sent (failed rows are not retried)
        await TestEvents.Processor(store).ProcessAsync([TestEvents.Message(TestEvents.Upsert("HO", "CAM-4", 1))], None); // CAM-4: pending

        var api = TestEvents.StateApi(store);
        async Task<(int Status, string Text)> GetAsync(string query) => await TestHttp.SendAsync(TestHttp.Request(TestEvents.Principal(), query), r => api.GetAlertsAsync(r, None));
        async Task<string[]> AssetsAsync(string query)
        {
            var (status, text) = await GetAsync(query);
            Assert.True(status == 200, text);
            return [.. JsonDocument.Parse(text).RootElement.GetProperty("alerts").EnumerateArray().Select(a => a.GetProperty("assetId").GetString()!).Order(StringComparer.Ordinal)];
        }

        Assert.Equal(["CAM-1", "CAM-2", "CAM-4"], await AssetsAsync("?status=failed&status=pending"));
        Assert.Equal(["CAM-1", "CAM-2", "CAM-3"], await AssetsAsync("?status=sent&status=failed&department=HO"));
        Assert.Equal(["CAM-1", "CAM-2"], await AssetsAsync("?status=failed&status=failed"));
        Assert.Equal(["CAM-4"], await AssetsAsync("?status=Pending"));
        Assert.Equal(["CAM-1", "CAM-2", "CAM-3", "CAM-4"], await AssetsAsync(""));

        foreach (var query in new[] { "?department=HO&department=MOJ", "?department=HO&department=HO", "?since=2026-01-01T00:00:00Z&since=2027-01-01T00:00:00Z" })
        {
            var (status, text) = await GetAsync(query);
            Assert.True(status == 400, $"{query}: {status} {text}");
            Assert.Contains("takes one value", text);
        }

        foreach (var query in new[] { "?status=failed,pending", "?status=2", "?status=" })
        {
            Assert.Equal(400, (await GetAsync(query)).Status);
        }
    }

    [Fact]
    public async Task Two_dispatchers_running_at_once_post_every_alert_exactly_once()
    {
        var departments = new[] { "HO", "MOJ", "DFE" };
        var store = await StoreWithTransitionsAsync(departments.SelectMany(d => Enumerable.Range(1, 8).Select(i => (d, $"CAM-{i}"))).ToArray());

        var results = await Task.WhenAll(Dispatcher(azurite.OpenStore(store)).DispatchAsync(None), Dispatcher(azurite.OpenStore(store)).DispatchAsync(None));

        Assert.Equal(24, results.Sum());
        var posted = _webhook.Posts.SelectMany(p => DevicesIn(p.Body)).ToArray();
        Assert.Equal(24, posted.Length);
        Assert.Equal(24, posted.Distinct().Count());
    }

    /// <summary>(department, asset) of every device block in a posted card.</summary>
    private static IEnumerable<(string Department, string AssetId)> DevicesIn(JsonDocument post) =>
        post.RootElement.GetProperty("attachments")[0].GetProperty("content").GetProperty("body").EnumerateArray()
            .Where(e => e.GetProperty("type").GetString() == "Container")
            .Select(c =>
            {
                var lines = c.GetProperty("items").EnumerateArray().Select(CardLine).ToArray();
                var department = lines.First(l => l.StartsWith("Department: ", StringComparison.Ordinal))["Department: ".Length..];
                return (department, lines[0][(lines[0].LastIndexOf(' ') + 1)..]);
            });

    /// <summary>The text a card element shows (its runs joined).</summary>
    internal static string CardLine(JsonElement element) =>
        string.Concat(element.GetProperty("inlines").EnumerateArray().Select(r => r.GetProperty("text").GetString()));

    [Fact]
    public async Task Every_transition_of_a_throttling_and_failing_webhook_is_delivered_exactly_once()
    {
        // Eight devices: as many as one card shows in full (more would be summarised as "and N more").
        var store = await StoreWithTransitionsAsync(Enumerable.Range(1, 8).Select(i => ("HO", $"CAM-{i}")).ToArray());
        _webhook.Answer(429, retryAfterSeconds: 0);
        _webhook.Answer(500);
        _webhook.Answer(502);
        _webhook.Answer(503);   // the sender gives up this round: the rows go back to pending

        var first = await Dispatcher(store).DispatchAsync(None);
        var second = await Dispatcher(store).DispatchAsync(None);

        Assert.Equal((0, 8), (first, second));
        var delivered = _webhook.Posts.Where(p => p.Answered == 202).SelectMany(p => DevicesIn(p.Body)).ToArray();
        Assert.Equal(8, delivered.Length);
        Assert.Equal(8, delivered.Distinct().Count());
        Assert.All(await store.GetOutboxEntriesAsync("HO", [OutboxState.Sent], None), e => Assert.Equal(2, e.Attempts));
    }

    [Fact]
    public async Task Twenty_alerts_of_one_department_are_all_shown_across_the_cards_of_one_round_and_each_is_sent_once()
    {
        // The finding: 50 alerts were claimed for one card, the card showed the eight or so that fit and counted the
        // rest as "and N more", and every one was marked delivered: the rest never appeared in Teams.
        var assets = Enumerable.Range(1, 20).Select(i => $"CAM-{i:D2}").ToArray();
        var store = await StoreWithTransitionsAsync([.. assets.Select(a => ("HO", a))]);

        Assert.Equal(20, await Dispatcher(store).DispatchAsync(None));
        Assert.Equal(0, await Dispatcher(store).DispatchAsync(None));

        var posts = _webhook.Posts.ToArray();
        Assert.True(posts.Length > 1, "twenty devices fit in one card: the test no longer splits");
        Assert.All(posts, p => Assert.True(p.BodyBytes <= AlertCardBuilder.MaxPayloadBytes, $"{p.BodyBytes} bytes"));
        var shown = posts.SelectMany(p => DevicesIn(p.Body)).ToArray();
        Assert.Equal(assets, shown.Select(d => d.AssetId).Order(StringComparer.Ordinal)); // every device shown, once
        Assert.All(shown, d => Assert.Equal("HO", d.Department));
        var sent = await store.GetOutboxEntriesAsync("HO", [OutboxState.Sent], None);
        Assert.Equal(assets, sent.Select(e => e.Alert.AssetId).Order(StringComparer.Ordinal));
        Assert.All(sent, e => Assert.Equal("1 central", $"{e.Attempts} {string.Join(',', e.DeliveredTo)}"));
        Assert.Empty(await store.GetOutboxEntriesAsync("HO", [OutboxState.Pending, OutboxState.Sending, OutboxState.Failed], None));
    }

    [Fact]
    public async Task Posts_to_one_webhook_are_spaced_by_the_rate_limit()
    {
        var store = await StoreWithTransitionsAsync(("HO", "CAM-1"), ("MOJ", "CAM-1"), ("DFE", "CAM-1"));

        // The rate gate waits on a clock that moves only by the waits it asks for, and the webhook stamps arrivals on
        // it: the spacing is what the sender requested, exact, however loaded the machine.
        var clock = new DemandClock(Start);
        _webhook.Clock = clock;

        await clock.DriveAsync(Dispatcher(store, minInterval: TimeSpan.FromMilliseconds(400), senderTime: clock).DispatchAsync(None));

        var times = _webhook.Posts.Select(p => p.At).Order().ToArray();
        Assert.Equal(3, times.Length);
        Assert.All(times.Zip(times.Skip(1)), pair => Assert.True(pair.Second - pair.First >= TimeSpan.FromMilliseconds(400), $"{(pair.Second - pair.First).TotalMilliseconds} ms apart"));
    }

    [Fact]
    public async Task Without_a_configured_channel_alerts_stay_in_the_outbox()
    {
        var store = await StoreWithTransitionsAsync(("HO", "CAM-1"));

        Assert.Equal(0, await Dispatcher(store, routing: new AlertingOptions { ApiBaseUrl = new Uri("https://x.example/api/") }).DispatchAsync(None));

        Assert.Single(await store.GetOutboxEntriesAsync("HO", [OutboxState.Pending], None));
        Assert.Empty(_webhook.Posts);
    }

    [Fact]
    public async Task The_daily_digest_lists_each_department_s_open_items_oldest_first()
    {
        // Commits on a clock the test moves: CAM-OLD is older by a set second, not by a sleep.
        var time = new ManualTime(Start);
        var store = await StoreWithTransitionsAsync(time, ("HO", "CAM-OLD"));
        time.Now += TimeSpan.FromSeconds(1);
        await TestEvents.Processor(store, time).ProcessAsync([
            TestEvents.Message(TestEvents.Upsert("HO", "CAM-NEW", 1, segment: "core")),
            TestEvents.Message(TestEvents.Upsert("HO", "AXIS", 1, manufacturer: "Axis")),
            TestEvents.Message(TestEvents.Upsert("MOJ", "AXIS", 1, manufacturer: "Axis")),
        ], None);

        Assert.Equal(1, await Dispatcher(store, time: time).SendDigestsAsync(None));

        var post = Assert.Single(_webhook.Posts).Body.RootElement;
        var lines = post.GetProperty("attachments")[0].GetProperty("content").GetProperty("body").EnumerateArray().Select(CardLine).ToArray();
        Assert.StartsWith("HO daily digest: 2 open", lines[0]);
        Assert.StartsWith("CAM-OLD: ", lines[2]);
        Assert.StartsWith("CAM-NEW: Critical NonCompliant", lines[3]);
        Assert.DoesNotContain(lines, l => l.Contains("AXIS", StringComparison.Ordinal));
    }
}
