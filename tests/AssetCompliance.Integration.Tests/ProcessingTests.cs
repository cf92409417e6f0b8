using AssetCompliance.Core.Events;
using AssetCompliance.Azure.Tables;
using AssetCompliance.Core.Policy;
using AssetCompliance.Core.Processing;
using AssetCompliance.Core.State;
using AssetCompliance.Azure.Emulator;
using Azure.Data.Tables;

namespace AssetCompliance.Integration.Tests;

/// <summary>The processor over the real Table Storage adapter (Azurite).</summary>
[Collection(AzuriteCollection.Name)]
public sealed class ProcessingTests(AzuriteFixture azurite)
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task An_upsert_is_evaluated_and_stored_with_its_versions()
    {
        var store = await azurite.CreateStoreAsync();
        var processor = TestEvents.Processor(store);

        var result = await processor.ProcessAsync(TestEvents.Message(TestEvents.Upsert("HO", "CAM-1", 1, mac: "BC:AD:28:4F:11:02")), None);

        Assert.Equal(MessageOutcome.Applied, result.Outcome);
        var stored = await store.GetRecordAsync("HO", "CAM-1", None);
        Assert.NotNull(stored);
        Assert.Equal(ComplianceStatus.NonCompliant, stored!.Record.Status);
        Assert.Equal(Severity.High, stored.Record.Severity);
        Assert.Equal("hikvision", stored.Record.Vendor?.Key);
        Assert.Equal(processor.CatalogueVersion, stored.Record.CatalogueVersion);
        Assert.Equal(processor.PolicyVersion, stored.Record.PolicyVersion);
        Assert.Equal(2, stored.Record.Evidence.Count);
        Assert.Single(await store.GetHistoryAsync("HO", "CAM-1", None));
    }

    [Fact]
    public async Task The_same_event_twice_changes_nothing_the_second_time()
    {
        var store = await azurite.CreateStoreAsync();
        var processor = TestEvents.Processor(store);
        var body = TestEvents.Upsert("HO", "CAM-1", 1);

        await processor.ProcessAsync(TestEvents.Message(body), None);
        var before = await store.GetRecordAsync("HO", "CAM-1", None);
        var second = await processor.ProcessAsync(TestEvents.Message(body), None);

        Assert.Equal(MessageOutcome.Duplicate, second.Outcome);
        var after = await store.GetRecordAsync("HO", "CAM-1", None);
        Assert.Equal(before!.ETag, after!.ETag);
        Assert.Single(await store.GetHistoryAsync("HO", "CAM-1", None));
    }

    [Fact]
    public async Task An_older_revision_never_overwrites_newer_state_and_is_recorded_as_superseded()
    {
        var store = await azurite.CreateStoreAsync();
        var processor = TestEvents.Processor(store);

        await processor.ProcessAsync(TestEvents.Message(TestEvents.Upsert("HO", "CAM-1", 5, manufacturer: "Axis")), None);
        var late = await processor.ProcessAsync(TestEvents.Message(TestEvents.Upsert("HO", "CAM-1", 4, manufacturer: "Hikvision")), None);
        var equal = await processor.ProcessAsync(TestEvents.Message(TestEvents.Upsert("HO", "CAM-1", 5, manufacturer: "Dahua", id: "other-id")), None);

        Assert.Equal(MessageOutcome.Superseded, late.Outcome);
        Assert.Equal(MessageOutcome.Superseded, equal.Outcome);
        var record = (await store.GetRecordAsync("HO", "CAM-1", None))!.Record;
        Assert.Equal((5L, ComplianceStatus.Compliant, "axis"), (record.Revision, record.Status, record.Vendor?.Key));
        var history = await store.GetHistoryAsync("HO", "CAM-1", None);
        Assert.Equal([HistoryOutcome.Applied, HistoryOutcome.Superseded, HistoryOutcome.Superseded], history.Select(h => h.Outcome));
        Assert.Equal([5L, 4L, 5L], history.Select(h => h.Revision));
    }

    [Fact]
    public async Task A_removal_ends_in_removed_and_keeps_the_history_and_description()
    {
        var store = await azurite.CreateStoreAsync();
        var processor = TestEvents.Processor(store);

        await processor.ProcessAsync(TestEvents.Message(TestEvents.Upsert("MOJ", "CAM-9", 1)), None);
        await processor.ProcessAsync(TestEvents.Message(TestEvents.Remove("MOJ", "CAM-9", 2)), None);

        var record = (await store.GetRecordAsync("MOJ", "CAM-9", None))!.Record;
        Assert.Equal(ComplianceStatus.Removed, record.Status);
        Assert.Equal(ComplianceStatus.NonCompliant, record.PreviousStatus);
        Assert.Equal("Hikvision", record.Device.Manufacturer);
        var history = await store.GetHistoryAsync("MOJ", "CAM-9", None);
        Assert.Equal([ComplianceStatus.NonCompliant, ComplianceStatus.Removed], history.Select(h => h.StatusAfter!.Value));
    }

    [Fact]
    public async Task An_invalid_message_is_recorded_whole_with_every_error_and_only_once()
    {
        var store = await azurite.CreateStoreAsync();
        var processor = TestEvents.Processor(store);
        var body = TestEvents.Upsert("DFE", "CAM-1", 1).Replace("\"camera\"", "\"webcam\"").Replace("\"revision\":1", "\"revision\":\"one\"");

        var first = await processor.ProcessAsync(TestEvents.Message(body, "msg-1"), None);
        var redelivered = await processor.ProcessAsync(TestEvents.Message(body, "msg-1"), None);

        Assert.Equal(MessageOutcome.Rejected, first.Outcome);
        Assert.Equal(MessageOutcome.Rejected, redelivered.Outcome);
        var rejection = Assert.Single(await store.GetRejectionsAsync("DFE", None));
        Assert.Equal("msg-1", rejection.MessageId);
        Assert.Equal(body, rejection.Body);
        Assert.Equal(["$.data.revision", "$.data.deviceType"], rejection.Errors.Select(e => e.Path));
        Assert.Null(await store.GetRecordAsync("DFE", "CAM-1", None));
    }

    [Fact]
    public async Task Bodies_that_are_not_json_or_too_long_for_one_property_are_kept_whole()
    {
        var store = await azurite.CreateStoreAsync();
        var processor = TestEvents.Processor(store);
        var huge = "{\"id\": \"" + new string('x', 100_000) + "\"";

        await processor.ProcessAsync(TestEvents.Message(huge, "m-huge"), None);
        await processor.ProcessAsync(TestEvents.Message("not json", "m-text"), None);

        var rejections = await store.GetRejectionsAsync(null, None);
        Assert.Equal(huge, rejections.Single(r => r.MessageId == "m-huge").Body);
        Assert.Equal("not json", rejections.Single(r => r.MessageId == "m-text").Body);
    }

    [Fact]
    public async Task Concurrent_writers_to_one_asset_end_in_the_highest_revision()
    {
        var store = await azurite.CreateStoreAsync();
        var random = new Random(1234);
        var revisions = Enumerable.Range(1, 30).OrderBy(_ => random.Next()).ToArray();
        var workers = Enumerable.Range(0, 3).Select(w => Task.Run(async () =>
        {
            var processor = TestEvents.Processor(store);
            foreach (var revision in revisions.Where((_, i) => i % 3 == w))
            {
                await processor.ProcessAsync(TestEvents.Message(TestEvents.Upsert("HO", "CAM-C", revision, manufacturer: revision % 2 == 0 ? "Axis" : "Dahua")), None);
            }
        }));

        await Task.WhenAll(workers);

        var record = (await store.GetRecordAsync("HO", "CAM-C", None))!.Record;
        Assert.Equal(30, record.Revision);
        Assert.Equal("axis", record.Vendor?.Key);
        var history = await store.GetHistoryAsync("HO", "CAM-C", None);
        Assert.Equal(30, history.Count);
        Assert.Equal(Enumerable.Range(1, 30).Select(i => (long)i), history.Select(h => h.Revision).Order());
    }

    [Fact]
    public async Task A_commit_with_a_stale_etag_is_a_conflict_and_changes_nothing()
    {
        var store = await azurite.CreateStoreAsync();
        var processor = TestEvents.Processor(store);
        await processor.ProcessAsync(TestEvents.Message(TestEvents.Upsert("HO", "CAM-1", 1)), None);
        var stale = await store.GetRecordAsync("HO", "CAM-1", None);
        await processor.ProcessAsync(TestEvents.Message(TestEvents.Upsert("HO", "CAM-1", 2)), None);

        var history = (await store.GetHistoryAsync("HO", "CAM-1", None))[0] with { EventId = "evt-x" };
        var change = new AssetChange("HO", "CAM-1", stale, stale!.Record with { Revision = 3 }, stale.HistoryCount + 1,
            [new CommandWrite("evt-x", Identifiers.Fingerprint("evt-x"), stale.HistoryCount + 1, history)], []);
        var report = await store.CommitAsync("HO", [change], None);

        Assert.Equal([change], report.Conflicted);
        Assert.Empty(report.Committed);
        Assert.Equal(2, (await store.GetRecordAsync("HO", "CAM-1", None))!.Record.Revision);
        Assert.Equal(2, (await store.GetHistoryAsync("HO", "CAM-1", None)).Count);
        // The failed transaction wrote nothing, not even the event's fingerprint, so the event can still be applied later.
        var retried = await processor.ProcessAsync(TestEvents.Message(TestEvents.Upsert("HO", "CAM-1", 3, id: "evt-x")), None);
        Assert.Equal(MessageOutcome.Applied, retried.Outcome);
    }

    [Fact]
    public async Task When_storage_is_unreachable_processing_throws_so_the_message_is_redelivered()
    {
        var processor = TestEvents.Processor(TestEvents.UnreachableStore());

        await Assert.ThrowsAnyAsync<Exception>(() => processor.ProcessAsync(TestEvents.Message(TestEvents.Upsert("HO", "CAM-1", 1)), None));
        await Assert.ThrowsAnyAsync<Exception>(() => processor.ProcessAsync(TestEvents.Message("not json"), None));
    }
}
