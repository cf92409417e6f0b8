using System.Collections.Concurrent;
using System.Text.Json;
using AssetCompliance.Azure.Tables;
using AssetCompliance.Core.Policy;
using AssetCompliance.Core.Processing;
using AssetCompliance.Core.State;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;

namespace AssetCompliance.Integration.Tests;

/// <summary>
/// The progress figures (issue 19) against Azurite: maintained in the records' transactions through every kind of
/// change (upserts, removals, status and severity changes, site and network moves, late and superseded events,
/// exemptions), under concurrent writers, equal to a recount of the records and to a rebuild from history, and read
/// from the progress rows alone.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ProgressTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset AsOf = T("2026-06-15T12:00:00Z");

    private static DateTimeOffset T(string instant) => DateTimeOffset.Parse(instant, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Processes one event as the pipeline would a day after the register's time (so items open on that day).</summary>
    private static async Task SendAsync(StateStores store, ManualTime clock, string json, DateTimeOffset time, DateTimeOffset? processedAt = null)
    {
        clock.Now = processedAt ?? time.AddDays(1);
        await TestEvents.Processor(store, clock).ProcessAsync([TestEvents.Message(ProgressKit.At(json, time))], CancellationToken.None);
    }

    private static async Task<JsonElement> ProgressAsync(StateStores store, string department, DateTimeOffset asOf, string? principal = null)
    {
        var (status, body) = await TestHttp.SendAsync(TestHttp.Request(principal ?? TestEvents.Principal()),
            r => ProgressKit.Api(store, new ManualTime(asOf)).GetDepartmentProgressAsync(r, department, default));
        Assert.True(status == 200, body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private static JsonElement Point(JsonElement progress, string month) =>
        progress.GetProperty("trend").EnumerateArray().Single(p => p.GetProperty("month").GetString() == month);

    private static (long Sensitive, long Core, long Open) Values(JsonElement point) =>
        (point.GetProperty("prcOnSensitiveSites").GetInt64(), point.GetProperty("prcOnCoreNetworks").GetInt64(), point.GetProperty("openItems").GetInt64());

    [Fact]
    public async Task Figures_follow_upserts_removals_status_and_severity_changes_site_and_network_moves_and_a_late_event()
    {
        var store = await azurite.CreateStoreAsync();
        var clock = new ManualTime(AsOf);

        // A PRC-made camera on a sensitive site (NonCompliant High), one on the core network (Critical), a compliant
        // maker's camera on both, and a PRC-made camera elsewhere (Advisory).
        await SendAsync(store, clock, TestEvents.Upsert("HO", "CAM-1", 1), T("2023-01-10T09:00:00Z"));
        await SendAsync(store, clock, TestEvents.Upsert("HO", "CAM-2", 1, sensitive: false, segment: "core"), T("2023-03-05T09:00:00Z"));
        await SendAsync(store, clock, TestEvents.Upsert("HO", "CAM-3", 1, manufacturer: "Axis", segment: "core"), T("2023-03-20T09:00:00Z"));
        await SendAsync(store, clock, TestEvents.Upsert("HO", "CAM-4", 1, sensitive: false), T("2024-02-01T09:00:00Z"));
        var early = await ProgressAsync(store, "HO", AsOf);
        Assert.Equal(4, early.GetProperty("current").GetProperty("devices").GetInt64());
        Assert.Equal(3, early.GetProperty("current").GetProperty("prcMade").GetInt64());

        await SendAsync(store, clock, TestEvents.Remove("HO", "CAM-1", 2), T("2024-05-01T09:00:00Z"));                          // removal
        await SendAsync(store, clock, TestEvents.Upsert("HO", "CAM-4", 2, sensitive: true), T("2024-07-01T09:00:00Z"));         // site move: Advisory -> NonCompliant
        await SendAsync(store, clock, TestEvents.Upsert("HO", "CAM-2", 2, sensitive: false, segment: "segregated"), T("2025-01-15T09:00:00Z")); // off the core: Advisory
        await SendAsync(store, clock, TestEvents.Upsert("HO", "CAM-4", 3, sensitive: true, segment: "core"), T("2025-03-01T09:00:00Z")); // severity High -> Critical

        var progress = await ProgressAsync(store, "HO", AsOf);
        Assert.Equal("2022-11-24", progress.GetProperty("since").GetString());
        var current = progress.GetProperty("current");
        Assert.Equal(3, current.GetProperty("devices").GetInt64());
        Assert.Equal(2, current.GetProperty("prcMade").GetInt64());
        Assert.Equal(1, current.GetProperty("prcOnSensitiveSites").GetInt64());
        Assert.Equal(1, current.GetProperty("prcOnCoreNetworks").GetInt64());
        Assert.Equal(1, current.GetProperty("openItems").GetInt64());

        var trend = progress.GetProperty("trend").EnumerateArray().ToList();
        Assert.Equal(44, trend.Count); // 2022-11 to 2026-06
        Assert.Equal("2022-11", trend[0].GetProperty("month").GetString());
        Assert.Equal("2026-06", trend[^1].GetProperty("month").GetString());
        Assert.Equal((0, 0, 0), Values(Point(progress, "2022-12")));
        Assert.Equal((1, 0, 1), Values(Point(progress, "2023-01")));
        Assert.Equal((1, 1, 2), Values(Point(progress, "2023-03")));
        Assert.Equal((1, 1, 2), Values(Point(progress, "2024-04")));
        Assert.Equal((0, 1, 1), Values(Point(progress, "2024-05")));
        Assert.Equal((1, 1, 2), Values(Point(progress, "2024-07")));
        Assert.Equal((1, 0, 1), Values(Point(progress, "2025-01")));
        Assert.Equal((1, 1, 1), Values(Point(progress, "2025-03")));
        Assert.Equal((1, 1, 1), Values(trend[^1]));

        // A late event with an older time: a new PRC-made camera on a sensitive site, registered in June 2023 and
        // received only now, moves June 2023 and every month after it, and no month before.
        await SendAsync(store, clock, TestEvents.Upsert("HO", "CAM-5", 1, manufacturer: "Dahua"), T("2023-06-01T09:00:00Z"), processedAt: T("2026-06-01T09:00:00Z"));
        // A superseded revision and a redelivery change nothing.
        await SendAsync(store, clock, TestEvents.Upsert("HO", "CAM-2", 1, sensitive: true, id: "HO-CAM-2-stale"), T("2026-06-02T09:00:00Z"));
        await SendAsync(store, clock, TestEvents.Upsert("HO", "CAM-4", 3, sensitive: true, segment: "core"), T("2025-03-01T09:00:00Z"));
        var late = await ProgressAsync(store, "HO", AsOf);
        Assert.Equal((1, 1, 2), Values(Point(late, "2023-05")));
        Assert.Equal((2, 1, 3), Values(Point(late, "2023-06")));
        Assert.Equal((1, 1, 2), Values(Point(late, "2024-05")));
        Assert.Equal((2, 1, 2), Values(Point(late, "2026-06")));

        // Open items by age at the reader's clock: CAM-4 Critical since 2 March 2025 (over a year), CAM-5 since 1 June 2026.
        var ages = late.GetProperty("openItemsByAge");
        Assert.Equal(1, ages.GetProperty("under30Days").GetInt64());
        Assert.Equal(0, ages.GetProperty("from30To90Days").GetInt64());
        Assert.Equal(0, ages.GetProperty("from90To365Days").GetInt64());
        Assert.Equal(1, ages.GetProperty("over365Days").GetInt64());
        var later = (await ProgressAsync(store, "HO", T("2026-08-15T00:00:00Z"))).GetProperty("openItemsByAge");
        Assert.Equal(1, later.GetProperty("from30To90Days").GetInt64());
        Assert.Equal(0, late.GetProperty("overduePlans").GetInt64());
        Assert.Equal(0, late.GetProperty("plans").GetProperty("planned").GetInt64());

        // Every history entry that changed the record carries the facts the rebuild needs.
        var history = await store.GetHistoryAsync("HO", "CAM-4", default);
        Assert.All(history, h => Assert.NotNull(h.Progress));
        Assert.Equal(new ProgressFacts(true, true, true), history[^1].Progress);

        await AssertAgreesWithRecordsAsync(store, "HO", AsOf);
    }

    [Fact]
    public async Task An_exemption_and_a_move_of_an_exempt_device_move_the_figures()
    {
        var store = await azurite.CreateStoreAsync();
        var clock = new ManualTime(T("2026-03-01T09:00:00Z"));
        await SendAsync(store, clock, TestEvents.Upsert("DFE", "CAM-1", 1), T("2026-02-01T09:00:00Z"));
        var state = TestEvents.StateApi(store, clock);
        clock.Now = T("2026-03-10T09:00:00Z");
        var request = TestHttp.Json($$"""{"reason":"replacement ordered","approver":"CISO","expiresAt":"2026-09-01T00:00:00Z"}""");
        Assert.Equal(202, (await TestHttp.SendAsync(TestHttp.Request(TestEvents.Principal(), method: "POST", body: request), r => state.RequestExemptionAsync(r, "DFE", "CAM-1", default))).Status);
        Assert.Equal(200, (await TestEvents.ApproveExemptionAsync(state, "DFE", "CAM-1")).Status);

        var exempt = await ProgressAsync(store, "DFE", T("2026-03-15T00:00:00Z"));
        Assert.Equal((1, 0, 0), Values(Point(exempt, "2026-03")));
        Assert.Equal((1, 0, 1), Values(Point(exempt, "2026-02")));

        // Exempt stays Exempt when it moves off the sensitive site: no count by status moves, the progress does.
        await SendAsync(store, clock, TestEvents.Upsert("DFE", "CAM-1", 2, sensitive: false), T("2026-03-20T09:00:00Z"));
        Assert.Equal(ComplianceStatus.Exempt, (await store.GetRecordAsync("DFE", "CAM-1", default))!.Record.Status);
        var moved = await ProgressAsync(store, "DFE", T("2026-03-25T00:00:00Z"));
        Assert.Equal(0, moved.GetProperty("current").GetProperty("prcOnSensitiveSites").GetInt64());
        Assert.Equal(1, moved.GetProperty("current").GetProperty("prcMade").GetInt64());
        await AssertAgreesWithRecordsAsync(store, "DFE", T("2026-03-25T00:00:00Z"));
    }

    /// <summary>
    /// Two instances with their own caches process events of one department at once, for the same devices and for
    /// different ones: the progress rows lose no update (each transaction carries the summary's and the rows' ETags).
    /// </summary>
    [Fact]
    public async Task Concurrent_writers_of_one_department_lose_no_progress_update()
    {
        var first = await azurite.CreateStoreAsync();
        var second = azurite.OpenStore(first);
        var clock = new ManualTime(T("2026-05-01T00:00:00Z"));
        var random = new Random(1919);
        var batches = Enumerable.Range(0, 2).Select(writer => Enumerable.Range(0, 6).Select(round => Enumerable.Range(0, 25).Select(i =>
        {
            var asset = $"CAM-{random.Next(30)}";
            var revision = round * 100 + writer * 50 + i + 1;
            var time = T("2023-01-01T00:00:00Z").AddDays(random.Next(1200));
            var json = random.Next(8) == 0
                ? TestEvents.Remove("MOD", asset, revision)
                : TestEvents.Upsert("MOD", asset, revision, manufacturer: random.Next(3) == 0 ? "Axis" : "Hikvision", sensitive: random.Next(2) == 0, segment: random.Next(3) == 0 ? "core" : "segregated");
            return TestEvents.Message(ProgressKit.At(json, time));
        }).ToList()).ToList()).ToList();

        await Task.WhenAll(
            Task.Run(async () => { foreach (var batch in batches[0]) await TestEvents.Processor(first, clock).ProcessAsync(batch, CancellationToken.None); }),
            Task.Run(async () => { foreach (var batch in batches[1]) await TestEvents.Processor(second, clock).ProcessAsync(batch, CancellationToken.None); }));

        await AssertAgreesWithRecordsAsync(first, "MOD", T("2026-05-02T00:00:00Z"));
    }

    /// <summary>
    /// A fixed-seed run of every kind of change over many devices and months, in batches of varied size from three
    /// instances: the maintained figures equal a recount of the stored records and a rebuild from their history.
    /// </summary>
    [Fact]
    public async Task Maintained_figures_equal_a_recount_of_the_records_and_a_rebuild_from_history_for_a_seeded_run()
    {
        var store = await azurite.CreateStoreAsync();
        StateStores[] instances = [store, azurite.OpenStore(store), azurite.OpenStore(store)];
        var random = new Random(20221124);
        var clock = new ManualTime(T("2023-01-01T00:00:00Z"));
        var revisions = new Dictionary<string, long>();
        string[] makers = ["Hikvision", "Dahua", "Axis", "Amcrest", "Bosch"];
        for (var round = 0; round < 12; round++)
        {
            clock.Now = clock.Now.AddDays(random.Next(20, 120));
            var messages = new List<AssetCompliance.Core.Processing.InboundMessage>();
            for (var i = random.Next(5, 40); i > 0; i--)
            {
                var asset = $"D-{random.Next(60)}";
                var revision = revisions.GetValueOrDefault(asset) + random.Next(-1, 3); // sometimes stale or repeated
                revisions[asset] = Math.Max(revisions.GetValueOrDefault(asset), revision);
                var time = random.Next(6) == 0 ? T("2021-06-01T00:00:00Z").AddDays(random.Next(500)) : clock.Now.AddDays(-random.Next(400));
                var json = random.Next(10) == 0
                    ? TestEvents.Remove("DWP", asset, Math.Max(1, revision))
                    : TestEvents.Upsert("DWP", asset, Math.Max(1, revision), manufacturer: makers[random.Next(makers.Length)],
                        sensitive: random.Next(4) switch { 0 => null, 1 => false, _ => true },
                        segment: random.Next(4) switch { 0 => null, 1 => "core", _ => "segregated" },
                        deviceType: random.Next(5) == 0 ? "network" : "camera");
                messages.Add(TestEvents.Message(ProgressKit.At(json, time)));
            }

            // Split the round between the instances, at once.
            await Task.WhenAll(instances.Select((instance, n) => TestEvents.Processor(instance, clock).ProcessAsync([.. messages.Where((_, i) => i % instances.Length == n)], CancellationToken.None)));
        }

        await AssertAgreesWithRecordsAsync(store, "DWP", clock.Now.AddDays(3));
    }

    /// <summary>
    /// A store from before the figures (no progress rows, history without facts) gets its trend from the rebuild
    /// route; its answer and the figures then agree with the records, and a rebuild that loses a race to a commit
    /// starts again instead of overwriting it.
    /// </summary>
    [Fact]
    public async Task The_rebuild_restores_the_rows_of_a_store_from_before_and_starts_again_when_a_commit_races_it()
    {
        var store = await azurite.CreateStoreAsync();
        var clock = new ManualTime(AsOf);
        await SendAsync(store, clock, TestEvents.Upsert("HMRC", "CAM-1", 1), T("2023-02-01T09:00:00Z"));
        await SendAsync(store, clock, TestEvents.Upsert("HMRC", "CAM-2", 1, segment: "core"), T("2024-02-01T09:00:00Z"));
        await SendAsync(store, clock, TestEvents.Remove("HMRC", "CAM-1", 2), T("2025-02-01T09:00:00Z"));
        var maintained = await ProgressKit.Store(store).GetProgressAsync("HMRC", default);

        // What a store from before looks like: no progress rows.
        var assets = new TableServiceClient(azurite.ConnectionString).GetTableClient(store.TablePrefix + "Assets");
        await foreach (var row in assets.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {"HMRC"} and RowKey ge {"progress|"} and RowKey lt {"progress}"}")))
        {
            await assets.DeleteEntityAsync(row.PartitionKey, row.RowKey);
        }

        Assert.True((await ProgressKit.Store(store).GetProgressAsync("HMRC", default)).IsZero);
        var (status, body) = await TestHttp.SendAsync(TestHttp.Request(TestEvents.Principal(), "?department=HMRC", "POST"),
            r => ProgressKit.Api(store, new ManualTime(AsOf)).RebuildProgressAsync(r, default));
        Assert.True(status == 200, body);
        Assert.Equal(1, JsonDocument.Parse(body).RootElement.GetProperty("departments")[0].GetProperty("current").GetProperty("prcOnCoreNetworks").GetInt64());
        Assert.Equal(Normal(maintained), Normal(await ProgressKit.Store(store).GetProgressAsync("HMRC", default)));
        Assert.Contains((await store.Audit!.GetAuditAsync("HMRC", null, default)), e => e.Action == AssetCompliance.Api.RouteTable.RebuildProgress.Id);

        // A commit while the rebuild reads the records: the rebuild's replace is refused and it starts again.
        var racing = new RacingStore(store, async () => await SendAsync(store, clock, TestEvents.Upsert("HMRC", "CAM-3", 1), T("2025-06-01T09:00:00Z")));
        var rebuilt = await new ProgressRebuild(racing, ProgressKit.Store(store), Microsoft.Extensions.Logging.Abstractions.NullLogger<ProgressRebuild>.Instance).RebuildAsync("HMRC", default);
        Assert.Equal(2, rebuilt.Single().Attempts);
        Assert.Equal(2, rebuilt.Single().Current.PrcOnSensitiveSites);
        await AssertAgreesWithRecordsAsync(store, "HMRC", AsOf);

        // The processing path goes on from the rebuilt rows (its cached ETags are stale: it reads them again).
        await SendAsync(store, clock, TestEvents.Remove("HMRC", "CAM-3", 2), T("2025-07-01T09:00:00Z"));
        await AssertAgreesWithRecordsAsync(store, "HMRC", AsOf);
    }

    /// <summary>
    /// A month whose moves cancelled out (a device added and removed in it) is an empty row, which a rebuild deletes;
    /// an instance that remembered the row's ETag reads the rows again instead of failing every batch on it.
    /// </summary>
    [Fact]
    public async Task A_rebuild_that_deletes_an_empty_month_does_not_stall_an_instance_that_remembered_it()
    {
        var store = await azurite.CreateStoreAsync();
        var clock = new ManualTime(AsOf);
        await SendAsync(store, clock, TestEvents.Upsert("DFT", "CAM-1", 1), T("2025-04-02T09:00:00Z"));
        await SendAsync(store, clock, TestEvents.Remove("DFT", "CAM-1", 2), T("2025-04-20T09:00:00Z"));
        Assert.True((await ProgressKit.Store(store).GetProgressAsync("DFT", default)).Months["2025-04"].IsZero);

        await ProgressKit.Rebuild(store).RebuildAsync("DFT", default);
        Assert.False((await ProgressKit.Store(store).GetProgressAsync("DFT", default)).Months.ContainsKey("2025-04"));

        await SendAsync(store, clock, TestEvents.Upsert("DFT", "CAM-2", 1), T("2025-04-10T09:00:00Z"), processedAt: T("2025-04-25T09:00:00Z"));
        Assert.Equal(1, (await store.GetRecordAsync("DFT", "CAM-2", default))!.HistoryCount);
        await AssertAgreesWithRecordsAsync(store, "DFT", AsOf);
    }

    /// <summary>Reading the progress routes touches only the progress rows: one range query per department (and the department list), whatever the records.</summary>
    [Fact]
    public async Task Reading_progress_queries_only_the_progress_rows()
    {
        var store = await azurite.CreateStoreAsync();
        var clock = new ManualTime(AsOf);
        await TestEvents.Processor(store, clock).ProcessAsync([.. Enumerable.Range(0, 150).Select(i => TestEvents.Message(TestEvents.Upsert(i % 2 == 0 ? "HO" : "MOJ", $"CAM-{i}", 1)))], CancellationToken.None);

        var requests = new ConcurrentQueue<string>();
        var options = TableStorageOptions.DataClientOptions();
        options.AddPolicy(new RecordingPolicy(requests), HttpPipelinePosition.PerCall);
        var counted = StateStores.Over(new ComplianceTables(new TableServiceClient(azurite.ConnectionString, options), store.TablePrefix));
        var api = ProgressKit.Api(counted, new ManualTime(AsOf));

        var (status, body) = await TestHttp.SendAsync(TestHttp.Request(TestEvents.Principal()), r => api.GetDepartmentProgressAsync(r, "HO", default));
        Assert.Equal(200, status);
        Assert.Equal(75, JsonDocument.Parse(body).RootElement.GetProperty("current").GetProperty("prcOnSensitiveSites").GetInt64());
        // The progress rows (one range query) and the summary row, whose maintained plan counts the figures show.
        Assert.Equal(2, requests.Count);
        Assert.Single(requests, r => r.Contains("progress%7C", StringComparison.OrdinalIgnoreCase));
        Assert.Single(requests, r => r.Contains("summary", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(requests, r => r.Contains("asset%7C", StringComparison.OrdinalIgnoreCase));

        requests.Clear();
        (status, body) = await TestHttp.SendAsync(TestHttp.Request(TestEvents.Principal()), r => api.GetEstateProgressAsync(r, default));
        Assert.Equal(200, status);
        var estate = JsonDocument.Parse(body).RootElement;
        Assert.Equal(150, estate.GetProperty("estate").GetProperty("current").GetProperty("devices").GetInt64());
        Assert.Equal(["HO", "MOJ"], estate.GetProperty("departments").EnumerateArray().Select(d => d.GetProperty("department").GetString()));
        Assert.Equal(5, requests.Count); // the department list, then each department's progress rows and summary row
        Assert.Equal(2, requests.Count(r => r.Contains("progress%7C", StringComparison.OrdinalIgnoreCase)));
        Assert.Equal(2, requests.Count(r => r.Contains("summary", StringComparison.OrdinalIgnoreCase) && !r.Contains("progress%7C", StringComparison.OrdinalIgnoreCase)));
        Assert.DoesNotContain(requests, r => r.Contains("asset%7C", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The progress rows without zero months (a row whose moves cancelled out reads as nothing).</summary>
    private static List<(string, ProgressFigures, string)> Normal(ProgressLedger ledger) =>
        [.. ledger.Months.Where(m => !m.Value.IsZero).Select(m => (m.Key, m.Value.Change, string.Join(',', m.Value.OpenedByDay)))];

    /// <summary>
    /// The maintained figures against the stored records: the current figures and the open items' ages equal a recount
    /// of the records, and every month's row equals a rebuild from the records' history.
    /// </summary>
    private static async Task AssertAgreesWithRecordsAsync(StateStores store, string department, DateTimeOffset asOf)
    {
        var maintained = await ProgressKit.Store(store).GetProgressAsync(department, default);
        var records = new List<ComplianceRecord>();
        await foreach (var stored in store.FindRecordsAsync(department, new RecordFilter.All(), default))
        {
            records.Add(stored.Record);
        }

        var recount = records.Aggregate(default(ProgressFigures), (sum, r) => sum + ProgressFigures.Of(r));
        Assert.Equal(recount, maintained.Current);
        var summary = await store.GetSummaryAsync(department, default);
        Assert.Equal(summary.Counts.ByStatus.GetValueOrDefault(ComplianceStatus.NonCompliant), maintained.Current.OpenItems);

        var open = records.Where(r => r.Status == ComplianceStatus.NonCompliant).Select(r => DateOnly.FromDateTime(asOf.UtcDateTime).DayNumber - DateOnly.FromDateTime(r.StatusSince.UtcDateTime).DayNumber).ToList();
        Assert.Equal(new OpenItemsByAge(open.Count(a => a < 30), open.Count(a => a is >= 30 and < 90), open.Count(a => a is >= 90 and < 365), open.Count(a => a >= 365)), maintained.Ages(asOf));

        var rebuilt = new List<ProgressLedger>();
        foreach (var record in records)
        {
            rebuilt.Add(ProgressLedger.FromHistory(record, await store.GetHistoryAsync(department, record.AssetId, default)));
        }

        Assert.Equal(Normal(new ProgressLedger(rebuilt.SelectMany(l => l.Months))), Normal(maintained));
        var trend = maintained.Trend(asOf);
        Assert.Equal(recount, trend[^1].Value);
        Assert.All(trend, p => Assert.True(p.Value.Devices >= 0 && p.Value.PrcOnSensitiveSites >= 0 && p.Value.PrcOnCoreNetworks >= 0 && p.Value.OpenItems >= 0, $"{p.Month}: {p.Value}"));
    }

    /// <summary>Runs <paramref name="race"/> once, the first time the rebuild reads the department's records.</summary>
    private sealed class RacingStore(StateStores inner, Func<Task> race) : StateStores(inner)
    {
        private int _raced;

        public override async IAsyncEnumerable<StoredRecord> FindRecordsAsync(string department, RecordFilter filter, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await foreach (var record in base.FindRecordsAsync(department, filter, cancellationToken))
            {
                yield return record;
            }

            if (Interlocked.Exchange(ref _raced, 1) == 0)
            {
                await race();
            }
        }
    }

    /// <summary>Records each request's method and URL.</summary>
    private sealed class RecordingPolicy(ConcurrentQueue<string> requests) : HttpPipelineSynchronousPolicy
    {
        public override void OnSendingRequest(HttpMessage message) => requests.Enqueue($"{message.Request.Method} {message.Request.Uri}");
    }
}
