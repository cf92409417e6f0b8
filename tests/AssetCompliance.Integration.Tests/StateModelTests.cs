using AssetCompliance.Azure.Tables;
using AssetCompliance.Core.Policy;
using AssetCompliance.Core.Processing;
using AssetCompliance.Core.State;

namespace AssetCompliance.Integration.Tests;

/// <summary>Summary counters, the open-item index and the outbox, committed with each change (Azurite).</summary>
[Collection(AzuriteCollection.Name)]
public sealed class StateModelTests(AzuriteFixture azurite)
{
    private static readonly CancellationToken None = CancellationToken.None;

    private static void AssertSameCounts(SummaryCounts expected, SummaryCounts actual)
    {
        foreach (var status in Enum.GetValues<ComplianceStatus>())
            Assert.True(expected.ByStatus.GetValueOrDefault(status) == actual.ByStatus.GetValueOrDefault(status), $"{status}: expected {expected.ByStatus.GetValueOrDefault(status)}, maintained {actual.ByStatus.GetValueOrDefault(status)}");
        foreach (var severity in Enum.GetValues<Severity>())
            Assert.True(expected.NonCompliantBySeverity.GetValueOrDefault(severity) == actual.NonCompliantBySeverity.GetValueOrDefault(severity), $"{severity}");
    }

    [Fact]
    public async Task The_summary_follows_every_transition_and_names_the_oldest_open_item()
    {
        var store = await azurite.CreateStoreAsync();
        var time = new ManualTime(DateTimeOffset.Parse("2026-11-20T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var processor = TestEvents.Processor(store, time);

        await processor.ProcessAsync(TestEvents.Message(TestEvents.Upsert("HO", "OLD", 1)), None);            // NonCompliant High
        time.Now = time.Now.AddHours(1);
        await processor.ProcessAsync(TestEvents.Message(TestEvents.Upsert("HO", "NEW", 1, segment: "core")), None); // NonCompliant Critical
        await processor.ProcessAsync(TestEvents.Message(TestEvents.Upsert("HO", "AXIS", 1, manufacturer: "Axis")), None); // Compliant
        await processor.ProcessAsync(TestEvents.Message(TestEvents.Upsert("HO", "AXIS", 1, manufacturer: "Axis")), None); // duplicate

        var summary = await store.GetSummaryAsync("HO", None);
        Assert.Equal(2, summary.Counts.ByStatus[ComplianceStatus.NonCompliant]);
        Assert.Equal(1, summary.Counts.ByStatus[ComplianceStatus.Compliant]);
        Assert.Equal(1, summary.Counts.NonCompliantBySeverity[Severity.High]);
        Assert.Equal(1, summary.Counts.NonCompliantBySeverity[Severity.Critical]);
        Assert.Equal("OLD", summary.OldestOpenNonCompliant?.AssetId);

        // The oldest is removed: the next oldest takes its place, and the counts move.
        await processor.ProcessAsync(TestEvents.Message(TestEvents.Remove("HO", "OLD", 2)), None);
        summary = await store.GetSummaryAsync("HO", None);
        Assert.Equal("NEW", summary.OldestOpenNonCompliant?.AssetId);
        Assert.Equal(1, summary.Counts.ByStatus[ComplianceStatus.Removed]);
        AssertSameCounts(await TestEvents.CountByScanAsync(store, "HO"), summary.Counts);
        Assert.Contains("HO", await store.GetDepartmentsAsync(None));
    }

    [Fact]
    public async Task Alerts_are_written_for_transitions_only_and_never_twice()
    {
        var store = await azurite.CreateStoreAsync();
        var processor = TestEvents.Processor(store);

        await processor.ProcessAsync(TestEvents.Message(TestEvents.Upsert("HO", "CAM", 1)), None);                  // opened (High)
        await processor.ProcessAsync(TestEvents.Message(TestEvents.Upsert("HO", "CAM", 1)), None);                  // duplicate: nothing
        await processor.ProcessAsync(TestEvents.Message(TestEvents.Upsert("HO", "CAM", 2)), None);                  // same state: nothing
        await processor.ProcessAsync(TestEvents.Message(TestEvents.Upsert("HO", "CAM", 3, segment: "core")), None); // escalated
        await processor.ProcessAsync(TestEvents.Message(TestEvents.Remove("HO", "CAM", 4)), None);                  // resolved

        var alerts = (await store.GetOutboxEntriesAsync("HO", Enum.GetValues<AssetCompliance.Core.Alerting.OutboxState>(), None)).Select(e => e.Alert).ToArray();
        Assert.Equal([AlertKind.Opened, AlertKind.Escalated, AlertKind.Resolved], alerts.Select(a => a.Kind));
        Assert.Equal(ComplianceStatus.Removed, alerts[2].StatusAfter);
        Assert.Equal("HO-CAM-3", alerts[1].CauseId);
    }

    [Fact]
    public async Task A_batch_larger_than_one_transaction_keeps_per_asset_order_and_rejects_bad_messages_alone()
    {
        var store = await azurite.CreateStoreAsync();
        var processor = TestEvents.Processor(store);
        var batch = new List<InboundMessage>();
        // 45 revisions of one asset (more than one change carries) interleaved with 60 other assets: well over 100 entities.
        for (var i = 1; i <= 60; i++)
        {
            batch.Add(TestEvents.Message(TestEvents.Upsert("DFE", $"A{i:D3}", 1, manufacturer: i % 2 == 0 ? "Axis" : "Hikvision")));
            if (i <= 45) batch.Add(TestEvents.Message(TestEvents.Upsert("DFE", "BUSY", i, segment: i % 2 == 0 ? "core" : "segregated")));
            if (i == 30) batch.Add(TestEvents.Message("{ not json"));
        }

        var results = await processor.ProcessAsync(batch, None);

        Assert.Equal(MessageOutcome.Rejected, Assert.Single(results, r => r.Outcome == MessageOutcome.Rejected).Outcome);
        Assert.Equal(105, results.Count(r => r.Outcome == MessageOutcome.Applied));
        var busy = (await store.GetRecordAsync("DFE", "BUSY", None))!;
        Assert.Equal(45, busy.Record.Revision);
        Assert.Equal(Enumerable.Range(1, 45).Select(i => (long)i), (await store.GetHistoryAsync("DFE", "BUSY", None)).Select(h => h.Revision));
        AssertSameCounts(await TestEvents.CountByScanAsync(store, "DFE"), (await store.GetSummaryAsync("DFE", None)).Counts);
    }

    /// <summary>
    /// The property the whole design exists for: a storm of events with duplicates, reordering and concurrent
    /// processors ends in exactly the state a sequential replay of each asset's highest revision implies, with one
    /// history entry per distinct event and a summary equal to a recount.
    /// </summary>
    [Fact]
    public async Task An_event_storm_ends_in_the_state_of_the_highest_revisions_and_consistent_summaries()
    {
        var store = await azurite.CreateStoreAsync();
        var random = new Random(4242);
        string[] departments = ["HO", "MOJ", "DWP", "DFE"];
        var events = new List<(string Department, string AssetId, long Revision, string Body)>();
        foreach (var department in departments)
        {
            for (var a = 0; a < 70; a++)
            {
                var revisions = random.Next(1, 15);
                for (var r = 1; r <= revisions; r++)
                {
                    var removed = r == revisions && random.Next(5) == 0;
                    var body = removed
                        ? TestEvents.Remove(department, $"D{a:D2}", r)
                        : TestEvents.Upsert(department, $"D{a:D2}", r, manufacturer: random.Next(3) == 0 ? "Axis" : "Hikvision",
                            sensitive: random.Next(3) switch { 0 => true, 1 => false, _ => null }, segment: random.Next(3) == 0 ? "core" : "segregated");
                    events.Add((department, $"D{a:D2}", r, body));
                }
            }
        }

        // Reorder everything, then repeat a fifth of the events (redelivery).
        Assert.True(events.Count > 2000, $"the storm should be several thousand events, not {events.Count}");
        var deliveries = events.Concat(events.Where(_ => random.Next(5) == 0)).OrderBy(_ => random.Next()).ToList();
        var batches = deliveries.Chunk(37).ToArray();
        // Four instances, each with its own store and caches, over the same tables.
        var processors = Enumerable.Range(0, 4).Select(_ => TestEvents.Processor(azurite.OpenStore(store))).ToArray();
        await Parallel.ForEachAsync(batches.Select((b, i) => (b, i)), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (item, token) =>
            await processors[item.i % 4].ProcessAsync(item.b.Select(e => TestEvents.Message(e.Body)).ToArray(), token));

        // Expected: each asset's highest revision, evaluated alone.
        var expectedStore = await azurite.CreateStoreAsync();
        var sequential = TestEvents.Processor(expectedStore);
        var highest = events.GroupBy(e => (e.Department, e.AssetId)).Select(g => g.MaxBy(e => e.Revision)).ToArray();
        foreach (var e in highest)
        {
            await sequential.ProcessAsync(TestEvents.Message(e.Body), None);
        }

        foreach (var e in highest)
        {
            var actual = (await store.GetRecordAsync(e.Department, e.AssetId, None))!;
            var expected = (await expectedStore.GetRecordAsync(e.Department, e.AssetId, None))!;
            Assert.Equal((expected.Record.Revision, expected.Record.Status, expected.Record.Severity), (actual.Record.Revision, actual.Record.Status, actual.Record.Severity));
            var history = await store.GetHistoryAsync(e.Department, e.AssetId, None);
            var distinct = events.Count(x => x.Department == e.Department && x.AssetId == e.AssetId);
            Assert.Equal(distinct, history.Count);
            Assert.Equal(distinct, history.Select(h => h.EventId).Distinct().Count());
            Assert.Equal(actual.HistoryCount, history.Count);
        }

        foreach (var department in departments)
        {
            var summary = await store.GetSummaryAsync(department, None);
            AssertSameCounts(await TestEvents.CountByScanAsync(store, department), summary.Counts);
            Assert.Equal(await TestEvents.OldestOpenByScanAsync(store, department), summary.OldestOpenNonCompliant?.AssetId);
            await TestEvents.AssertColumnsAgreeAsync(store, department, DateTimeOffset.UtcNow);
        }
    }

    /// <summary>
    /// A record keeps the fingerprint of every command applied to it, so a redelivery is recognised however many
    /// changes came after it; and history past the 100 entries the record row holds goes to history rows and reads
    /// back whole, in order.
    /// </summary>
    [Fact]
    public async Task A_repeat_is_recognised_however_long_ago_and_a_long_history_reads_back_whole_and_in_order()
    {
        var store = await azurite.CreateStoreAsync();
        var processor = TestEvents.Processor(store);
        const int revisions = 2 * AssetCompliance.Azure.Tables.Rows.HistoryRow.EntriesPerRow + 30;
        foreach (var batch in Enumerable.Range(1, revisions).Chunk(45))
        {
            // Alternate the segment so that the record really changes (severity moves between High and Critical) on every revision.
            await processor.ProcessAsync(batch.Select(r => TestEvents.Message(TestEvents.Upsert("HMRC", "LONG", r, segment: r % 2 == 0 ? "core" : "segregated"))).ToArray(), None);
        }

        // Redeliveries of the first event, one from the second history row and the last: each a duplicate, none written.
        var fresh = TestEvents.Processor(azurite.OpenStore(store));
        var repeats = await fresh.ProcessAsync([TestEvents.Message(TestEvents.Upsert("HMRC", "LONG", 1)), TestEvents.Message(TestEvents.Upsert("HMRC", "LONG", 150, segment: "core")), TestEvents.Message(TestEvents.Upsert("HMRC", "LONG", revisions, segment: "core"))], None);
        Assert.All(repeats, r => Assert.Equal(MessageOutcome.Duplicate, r.Outcome));

        // An old revision under a new id is not a repeat: it is superseded, and that is history too.
        var late = await fresh.ProcessAsync(TestEvents.Message(TestEvents.Upsert("HMRC", "LONG", 3, id: "late-resend-of-3")), None);
        Assert.Equal(MessageOutcome.Superseded, late.Outcome);

        var history = await store.GetHistoryAsync("HMRC", "LONG", None);
        Assert.Equal(revisions + 1, history.Count);
        Assert.Equal(Enumerable.Range(1, revisions).Select(r => (long)r).Append(3), history.Select(h => h.Revision));
        Assert.Equal(HistoryOutcome.Superseded, history[^1].Outcome);
        var stored = (await store.GetRecordAsync("HMRC", "LONG", None))!;
        Assert.Equal((revisions, (long)revisions + 1), (stored.Record.Revision, stored.HistoryCount));
        AssertSameCounts(await TestEvents.CountByScanAsync(store, "HMRC"), (await store.GetSummaryAsync("HMRC", None)).Counts);
        await TestEvents.AssertColumnsAgreeAsync(store, "HMRC", DateTimeOffset.UtcNow);
    }

    /// <summary>
    /// The documented limit, reached for real: the fingerprints must still fit one binary property (64 KiB, which
    /// Azurite enforces as the service does), the newest are kept, and a forgotten event is superseded, not reapplied.
    /// </summary>
    [Fact]
    public async Task A_device_past_the_fingerprint_limit_keeps_the_newest_and_never_applies_a_forgotten_event_twice()
    {
        var store = await azurite.CreateStoreAsync();
        var processor = TestEvents.Processor(store);
        var revisions = StoredRecord.AppliedCommandLimit + 150;
        foreach (var batch in Enumerable.Range(1, revisions).Chunk(1000))
        {
            await processor.ProcessAsync(batch.Select(r => TestEvents.Message(TestEvents.Upsert("DWP", "BUSY", r))).ToArray(), None);
        }

        var stored = (await store.GetRecordAsync("DWP", "BUSY", None))!;
        Assert.Equal((revisions, (long)revisions, StoredRecord.AppliedCommandLimit), (stored.Record.Revision, stored.HistoryCount, stored.AppliedCommands.Count));

        var fresh = TestEvents.Processor(azurite.OpenStore(store));
        Assert.Equal(MessageOutcome.Duplicate, (await fresh.ProcessAsync(TestEvents.Message(TestEvents.Upsert("DWP", "BUSY", revisions)), None)).Outcome);
        Assert.Equal(MessageOutcome.Duplicate, (await fresh.ProcessAsync(TestEvents.Message(TestEvents.Upsert("DWP", "BUSY", revisions - StoredRecord.AppliedCommandLimit + 1)), None)).Outcome);
        // Revision 1's fingerprint was dropped: its redelivery is recorded as superseded, and the record is untouched.
        Assert.Equal(MessageOutcome.Superseded, (await fresh.ProcessAsync(TestEvents.Message(TestEvents.Upsert("DWP", "BUSY", 1)), None)).Outcome);
        var after = (await store.GetRecordAsync("DWP", "BUSY", None))!;
        Assert.Equal((revisions, (long)revisions + 1), (after.Record.Revision, after.HistoryCount));
    }

    [Fact]
    public async Task A_storage_failure_mid_batch_is_redelivered_and_ends_as_if_nothing_failed()
    {
        var store = await azurite.CreateStoreAsync();
        var faulty = new FaultyStore(store, failOnCommit: 2);
        var batch = Enumerable.Range(1, 40)
            .Select(i => TestEvents.Message(TestEvents.Upsert(i % 2 == 0 ? "HO" : "MOJ", $"C{i % 7}", i)))
            .ToArray();

        await Assert.ThrowsAsync<IOException>(() => TestEvents.Processor(faulty).ProcessAsync(batch, None));
        await TestEvents.Processor(faulty).ProcessAsync(batch, None); // the redelivery

        var clean = await azurite.CreateStoreAsync();
        await TestEvents.Processor(clean).ProcessAsync(batch, None);
        foreach (var department in new[] { "HO", "MOJ" })
        {
            for (var c = 0; c < 7; c++)
            {
                var actual = await store.GetRecordAsync(department, $"C{c}", None);
                var expected = await clean.GetRecordAsync(department, $"C{c}", None);
                Assert.Equal(expected?.Record.Revision, actual?.Record.Revision);
                Assert.Equal(expected?.HistoryCount, actual?.HistoryCount);
            }

            AssertSameCounts((await clean.GetSummaryAsync(department, None)).Counts, (await store.GetSummaryAsync(department, None)).Counts);
        }
    }
}
