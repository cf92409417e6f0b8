using System.Text;
using System.Text.Json;
using AssetCompliance.Api.Security;
using AssetCompliance.Core.Events;
using AssetCompliance.Core.Processing;
using AssetCompliance.Core.State;

namespace AssetCompliance.Integration.Tests;

/// <summary>
/// A record whose stored revision no register will exceed (the highest revision the contract allows, sent by
/// mistake) can be recovered by an administrator: the next event applies whatever its revision, and everything,
/// the reset included, stays in the history.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class RevisionResetTests(AzuriteFixture azurite)
{
    private static readonly CancellationToken None = CancellationToken.None;

    private static async Task<(int Status, string Body)> ResetAsync(StateStores store, string department, string assetId, object? body, string? principal = null)
    {
        var request = TestHttp.Request(principal ?? CompliancePrincipal.Encode("admin@example", ComplianceRoles.Admin), method: "POST",
            body: body is null ? [] : body as byte[] ?? JsonSerializer.SerializeToUtf8Bytes(body));
        return await TestHttp.SendAsync(request, r => TestEvents.StateApi(store).ResetRevisionAsync(r, department, assetId, default));
    }

    [Fact]
    public async Task A_device_stuck_on_the_highest_revision_is_recovered_by_a_reset_and_the_history_keeps_everything()
    {
        var store = await azurite.CreateStoreAsync();
        var processor = TestEvents.Processor(store);
        Assert.Equal(MessageOutcome.Applied, (await processor.ProcessAsync(TestEvents.Message(TestEvents.Upsert("HO", "CAM-1", AssetEventParser.MaxRevision)), None)).Outcome);
        var renumbered = TestEvents.Upsert("HO", "CAM-1", 1, manufacturer: "Axis", id: "renumbered-1");
        Assert.Equal(MessageOutcome.Superseded, (await processor.ProcessAsync(TestEvents.Message(renumbered), None)).Outcome);

        var (status, body) = await ResetAsync(store, "HO", "CAM-1", new { reason = "Register renumbered after migration", requestId = "reset-1" });

        Assert.Equal(200, status);
        using (var record = JsonDocument.Parse(body))
        {
            var reset = record.RootElement.GetProperty("revisionReset");
            Assert.Equal("admin@example", reset.GetProperty("by").GetString());
            Assert.Equal(AssetEventParser.MaxRevision, reset.GetProperty("storedRevision").GetInt64());
        }

        // The same event id stays a duplicate (each id applies once); a new event of any revision now applies.
        Assert.Equal(MessageOutcome.Duplicate, (await processor.ProcessAsync(TestEvents.Message(renumbered), None)).Outcome);
        var next = TestEvents.Upsert("HO", "CAM-1", 1, manufacturer: "Axis", id: "renumbered-1b");
        Assert.Equal(MessageOutcome.Applied, (await processor.ProcessAsync(TestEvents.Message(next), None)).Outcome);
        var stored = (await store.GetRecordAsync("HO", "CAM-1", None))!.Record;
        Assert.Equal((1L, "Axis", (RevisionReset?)null), (stored.Revision, stored.Device.Manufacturer, stored.RevisionReset));

        // The reset let one event through: revisions order events again from 1.
        Assert.Equal(MessageOutcome.Superseded, (await processor.ProcessAsync(TestEvents.Message(TestEvents.Upsert("HO", "CAM-1", 1, id: "again-1")), None)).Outcome);
        Assert.Equal(MessageOutcome.Applied, (await processor.ProcessAsync(TestEvents.Message(TestEvents.Upsert("HO", "CAM-1", 2)), None)).Outcome);

        var history = await store.GetHistoryAsync("HO", "CAM-1", None);
        Assert.Equal(
            [HistoryOutcome.Applied, HistoryOutcome.Superseded, HistoryOutcome.RevisionReset, HistoryOutcome.Applied, HistoryOutcome.Superseded, HistoryOutcome.Applied],
            history.Select(h => h.Outcome));
        var entry = history[2];
        Assert.Equal("revision.reset", entry.EventType);
        Assert.Contains("by admin@example: Register renumbered after migration", entry.Reasons[0], StringComparison.Ordinal);
        Assert.Contains("because the revision was reset by admin@example", history[3].Reasons[0], StringComparison.Ordinal);

        // Repeating the request (same requestId) changes nothing.
        Assert.Equal(200, (await ResetAsync(store, "HO", "CAM-1", new { reason = "Register renumbered after migration", requestId = "reset-1" })).Status);
        Assert.Equal(6, (await store.GetHistoryAsync("HO", "CAM-1", None)).Count);
    }

    [Fact]
    public async Task A_reset_survives_a_reevaluation_or_an_exemption_until_the_next_event()
    {
        var store = await azurite.CreateStoreAsync();
        await TestEvents.Processor(store).ProcessAsync(TestEvents.Message(TestEvents.Upsert("HO", "CAM-1", 50)), None);
        Assert.Equal(200, (await ResetAsync(store, "HO", "CAM-1", new { reason = "wrong revision" })).Status);

        var grant = TestHttp.Request(CompliancePrincipal.Encode("ho", "Department.HO"), method: "POST",
            body: JsonSerializer.SerializeToUtf8Bytes(new { reason = "Replacement ordered", approver = "SIRO", expiresAt = DateTimeOffset.UtcNow.AddDays(30) }));
        Assert.Equal(202, (await TestHttp.SendAsync(grant, r => TestEvents.StateApi(store).RequestExemptionAsync(r, "HO", "CAM-1", default))).Status);
        Assert.Equal(200, (await TestEvents.ApproveExemptionAsync(TestEvents.StateApi(store), "HO", "CAM-1")).Status);
        Assert.Equal(AssetCompliance.Core.Policy.ComplianceStatus.Exempt, (await store.GetRecordAsync("HO", "CAM-1", None))!.Record.Status);

        Assert.NotNull((await store.GetRecordAsync("HO", "CAM-1", None))!.Record.RevisionReset);
        Assert.Equal(MessageOutcome.Applied, (await TestEvents.Processor(store).ProcessAsync(TestEvents.Message(TestEvents.Upsert("HO", "CAM-1", 3)), None)).Outcome);
    }

    [Theory]
    [InlineData("HO", "CAM-404", "{\"reason\":\"x\"}", 404)]
    [InlineData("HO", "CAM-1", "{}", 400)]
    [InlineData("HO", "CAM-1", "{\"reason\":\"  \"}", 400)]
    [InlineData("HO", "CAM-1", "", 400)]
    [InlineData("HO", "CAM-1", "{\"reason\":\"\\ud800\"", 400)]
    [InlineData("HO", "CAM-1", "{\"reason\":\"\\ud800\"}", 400)]
    [InlineData("H O", "CAM-1", "{\"reason\":\"x\"}", 400)]
    public async Task A_reset_request_that_cannot_apply_is_a_problem(string department, string assetId, string body, int expected)
    {
        var store = await azurite.CreateStoreAsync();
        await TestEvents.Processor(store).ProcessAsync(TestEvents.Message(TestEvents.Upsert("HO", "CAM-1", 1)), None);

        var (status, text) = await ResetAsync(store, department, assetId, Encoding.UTF8.GetBytes(body));

        Assert.True(expected == status, text);
        Assert.Contains("https://asset-compliance/problems/", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reset_request_with_a_byte_order_mark_is_read()
    {
        var store = await azurite.CreateStoreAsync();
        await TestEvents.Processor(store).ProcessAsync(TestEvents.Message(TestEvents.Upsert("HO", "CAM-1", 1)), None);

        var (status, text) = await ResetAsync(store, "HO", "CAM-1", (byte[])[0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("{\"reason\":\"mistake\"}")]);

        Assert.True(status == 200, text);
    }
}
