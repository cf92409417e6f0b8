using System.Text.Json;
using AssetCompliance.Core.Alerting;
using AssetCompliance.Core.Observations;
using AssetCompliance.Core.Policy;
using AssetCompliance.Core.Processing;
using AssetCompliance.Core.State;

namespace AssetCompliance.Integration.Tests;

/// <summary>
/// One device, one record (docs/reconcile.md "In the pipeline"): a device no register holds is recorded under the key
/// it first showed (its MAC, else its address), and when a later observation shows it under another key (its MAC,
/// another of its MACs) or matches it to a registered device, the records it had are closed into the one it keeps,
/// with what they showed remembered, so that the summary and the observations route count it once and a PRC-made
/// device is never cleared or left without its alert. Azurite for tables.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ObservationIdentityTests(AzuriteFixture azurite)
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-12-01T09:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

    private static async Task<string[]> ListedAsync(StateStores store, string outcome)
    {
        var (status, body) = await TestHttp.SendAsync(TestHttp.Request(TestEvents.Principal("Department.HO"), "?outcome=" + outcome), r => ObservedEvents.Api(store, new ManualTime(Now)).ListAsync(r, "HO", None));
        Assert.Equal(200, status);
        return [.. JsonDocument.Parse(body).RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("assetId").GetString()!).Order(StringComparer.Ordinal)];
    }

    private static async Task<(long Unregistered, long Contradicted)> CountsAsync(StateStores store)
    {
        var counts = (await store.GetSummaryAsync("HO", None)).Counts;
        return (counts.ObservedUnregistered, counts.ObservedContradicted);
    }

    private static async Task<ComplianceRecord> RecordAsync(StateStores store, string assetId) => (await store.GetRecordAsync("HO", assetId, None))!.Record;

    private static async Task<IReadOnlyList<Alert>> AlertsForAsync(StateStores store, string assetId) =>
        [.. (await store.GetOutboxEntriesAsync("HO", [OutboxState.Pending, OutboxState.Sending, OutboxState.Failed, OutboxState.Sent], None)).Select(e => e.Alert).Where(a => a.AssetId == assetId)];

    [Fact]
    public async Task A_device_first_seen_by_its_address_then_with_its_MAC_is_one_device_its_address_record_closed_into_the_MAC_one()
    {
        var store = await azurite.CreateStoreAsync();
        var processor = ObservedEvents.Processor(store, new ManualTime(Now));
        const string ip = "10.20.1.40", mac = "BC:AD:28:00:01:40";
        // A scanner beyond the device's segment sees no MAC: Hikvision NVR firmware on the core LAN.
        await processor.ProcessAsync([TestEvents.Message(ObservedEvents.Observed("HO", "remote-1", ip: ip, observedAt: "2026-11-01T09:00:00Z", evidence: ObservedEvents.Dnvrs))], None);
        Assert.Equal((ComplianceStatus.NonCompliant, Severity.Critical), ((await RecordAsync(store, "observed:" + ip)).Status, (await RecordAsync(store, "observed:" + ip)).Severity));
        Assert.NotEmpty(await AlertsForAsync(store, "observed:" + ip));
        Assert.Equal((1, 0), await CountsAsync(store));

        // The scanner on its segment sees its MAC at the same address, and nothing else (a ping sweep).
        await processor.ProcessAsync([TestEvents.Message(ObservedEvents.Observed("HO", "local-1", mac: mac, ip: ip, observedAt: "2026-11-10T09:00:00Z"))], None);

        var closed = await RecordAsync(store, "observed:" + ip);
        Assert.Equal(ComplianceStatus.Removed, closed.Status);
        Assert.Contains("observed:" + mac, (await store.GetHistoryAsync("HO", closed.AssetId, None))[^1].Reasons[0], StringComparison.Ordinal);
        var kept = await RecordAsync(store, "observed:" + mac);
        // What the address record showed is remembered: the firmware still counts, so it is not cleared.
        Assert.Equal((ComplianceStatus.NonCompliant, Severity.Critical, "hikvision"), (kept.Status, kept.Severity, kept.Vendor?.Key));
        Assert.Contains(kept.Observation!.Evidence, e => e.Value == "DNVRS-Webs");
        Assert.Equal(DateTimeOffset.Parse("2026-11-01T09:00:00Z", System.Globalization.CultureInfo.InvariantCulture), kept.Observation.FirstSeenAt); // first seen by its address
        Assert.NotEmpty(await AlertsForAsync(store, "observed:" + mac)); // the record it is counted under raised its own alert
        Assert.DoesNotContain(await AlertsForAsync(store, "observed:" + ip), a => a.Kind == AlertKind.Resolved); // and closing the other is no "resolved"
        Assert.Equal((1, 0), await CountsAsync(store));
        Assert.Equal(["observed:" + mac], await ListedAsync(store, "unregistered"));

        // The remote scanner again, without the MAC: the device's record by the address it was last seen at.
        var results = await processor.ProcessAsync([TestEvents.Message(ObservedEvents.Observed("HO", "remote-2", ip: ip, observedAt: "2026-11-20T09:00:00Z"))], None);
        Assert.Equal("observed:" + mac, Assert.Single(results).AssetId);
        Assert.Equal(ComplianceStatus.Removed, (await RecordAsync(store, "observed:" + ip)).Status);
        Assert.Equal((1, 0), await CountsAsync(store));
        Assert.Equal(["observed:" + mac], await ListedAsync(store, "unregistered"));
    }

    [Fact]
    public async Task A_device_first_seen_by_its_address_then_matched_to_its_register_entry_is_counted_once_and_keeps_what_it_showed()
    {
        var store = await azurite.CreateStoreAsync();
        var processor = ObservedEvents.Processor(store, new ManualTime(Now));
        const string ip = "10.20.50.41", mac = "02:00:5E:10:00:41";
        await processor.ProcessAsync([TestEvents.Message(ObservedEvents.Observed("HO", "remote-1", ip: ip, observedAt: "2026-11-01T09:00:00Z", evidence: ObservedEvents.Dnvrs))], None);
        Assert.Equal((1, 0), await CountsAsync(store));

        // Registered as an Axis NVR (a MAC of no catalogue block), then seen by its MAC at the same address.
        await processor.ProcessAsync([
            TestEvents.Message(TestEvents.Upsert("HO", "NVR-41", 1, manufacturer: "Axis", deviceType: "nvr", mac: mac, sensitive: false)),
            TestEvents.Message(ObservedEvents.Observed("HO", "local-1", mac: mac, ip: ip, observedAt: "2026-11-10T09:00:00Z")),
        ], None);

        Assert.Equal(ComplianceStatus.Removed, (await RecordAsync(store, "observed:" + ip)).Status);
        var registered = await RecordAsync(store, "NVR-41");
        Assert.Equal(("mac", ReconcileOutcomeKind.Contradicted), (registered.Observation!.MatchedBy, registered.Observation.Outcome));
        Assert.Contains(registered.Observation.Evidence, e => e.Value == "DNVRS-Webs"); // the firmware seen before counts
        Assert.NotEqual(ComplianceStatus.Compliant, registered.Status);
        Assert.Equal((0, 1), await CountsAsync(store));
        Assert.DoesNotContain(await AlertsForAsync(store, "observed:" + ip), a => a.Kind == AlertKind.Resolved);
        Assert.Empty(await ListedAsync(store, "unregistered"));
        Assert.Equal(["NVR-41"], await ListedAsync(store, "contradicted"));

        // Seen again without its MAC at that address: the registered device, matched by the address it was last seen at.
        var results = await processor.ProcessAsync([TestEvents.Message(ObservedEvents.Observed("HO", "remote-2", ip: ip, observedAt: "2026-11-20T09:00:00Z"))], None);
        Assert.Equal("NVR-41", Assert.Single(results).AssetId);
        Assert.Equal("address", (await RecordAsync(store, "NVR-41")).Observation!.MatchedBy);
        Assert.Equal(ComplianceStatus.Removed, (await RecordAsync(store, "observed:" + ip)).Status);
        Assert.Equal((0, 1), await CountsAsync(store));
    }

    [Fact]
    public async Task Two_MACs_in_either_order_and_an_address_and_its_MAC_in_one_batch_are_one_device_each()
    {
        var store = await azurite.CreateStoreAsync();
        var processor = ObservedEvents.Processor(store, new ManualTime(Now));
        await processor.ProcessAsync([TestEvents.Message(Observed("two-1", ["BC:AD:28:00:02:01", "BC:AD:28:00:02:02"], "10.20.50.51", "2026-11-01T09:00:00Z"))], None);
        await processor.ProcessAsync([TestEvents.Message(Observed("two-2", ["BC:AD:28:00:02:02", "BC:AD:28:00:02:01"], "10.20.50.51", "2026-11-02T09:00:00Z"))], None);
        await processor.ProcessAsync([TestEvents.Message(Observed("two-3", ["BC:AD:28:00:02:02"], "10.20.50.52", "2026-11-03T09:00:00Z"))], None);
        // The address and then its MAC in one batch (two scanners' files pushed together).
        await processor.ProcessAsync([
            TestEvents.Message(ObservedEvents.Observed("HO", "batch-ip", ip: "10.20.50.60", observedAt: "2026-11-04T09:00:00Z", evidence: ObservedEvents.Dnvrs)),
            TestEvents.Message(ObservedEvents.Observed("HO", "batch-mac", mac: "BC:AD:28:00:02:60", ip: "10.20.50.60", observedAt: "2026-11-04T09:05:00Z")),
        ], None);

        Assert.Equal(["observed:BC:AD:28:00:02:01", "observed:BC:AD:28:00:02:60"], await ListedAsync(store, "unregistered"));
        Assert.Equal((2, 0), await CountsAsync(store));
        Assert.Contains((await RecordAsync(store, "observed:BC:AD:28:00:02:60")).Observation!.Evidence, e => e.Value == "DNVRS-Webs");
    }

    /// <summary>
    /// Two different MACs at one address are two devices (the address moved), as the offline merger has it; and an
    /// observation without a MAC at an address two such devices have used is neither of them: it keeps a record of
    /// its own, never a guess. Nothing is closed that is not the same device.
    /// </summary>
    [Fact]
    public async Task Two_MACs_at_one_address_are_two_devices_and_an_observation_without_a_MAC_there_is_not_guessed_to_be_either()
    {
        var store = await azurite.CreateStoreAsync();
        var processor = ObservedEvents.Processor(store, new ManualTime(Now));
        const string ip = "10.20.50.70";
        await processor.ProcessAsync([TestEvents.Message(ObservedEvents.Observed("HO", "a", mac: "BC:AD:28:00:03:01", ip: ip, observedAt: "2026-11-01T09:00:00Z", evidence: ObservedEvents.Dnvrs))], None);
        await processor.ProcessAsync([TestEvents.Message(ObservedEvents.Observed("HO", "b", mac: "BC:AD:28:00:03:02", ip: ip, observedAt: "2026-11-02T09:00:00Z"))], None);
        Assert.Equal((2, 0), await CountsAsync(store));

        await processor.ProcessAsync([TestEvents.Message(ObservedEvents.Observed("HO", "c", ip: ip, observedAt: "2026-11-03T09:00:00Z"))], None);

        Assert.Equal(["observed:10.20.50.70", "observed:BC:AD:28:00:03:01", "observed:BC:AD:28:00:03:02"], await ListedAsync(store, "unregistered"));
        Assert.Equal((3, 0), await CountsAsync(store));
    }

    /// <summary>An older observation than the one a device's kept record holds closes nothing: its other records stay as they are.</summary>
    [Fact]
    public async Task An_older_observation_of_the_device_closes_none_of_its_records()
    {
        var store = await azurite.CreateStoreAsync();
        var processor = ObservedEvents.Processor(store, new ManualTime(Now));
        await processor.ProcessAsync([TestEvents.Message(ObservedEvents.Observed("HO", "mac-late", mac: "BC:AD:28:00:04:01", ip: "10.20.50.80", observedAt: "2026-11-20T09:00:00Z"))], None);
        await processor.ProcessAsync([TestEvents.Message(ObservedEvents.Observed("HO", "ip-only", ip: "10.20.50.81", observedAt: "2026-11-21T09:00:00Z", evidence: ObservedEvents.Dnvrs))], None);

        // An old file: the device with its MAC at the second address, older than what its MAC record holds.
        var results = await processor.ProcessAsync([TestEvents.Message(ObservedEvents.Observed("HO", "old-file", mac: "BC:AD:28:00:04:01", ip: "10.20.50.81", observedAt: "2026-11-01T09:00:00Z"))], None);

        Assert.Equal(MessageOutcome.Superseded, Assert.Single(results).Outcome);
        Assert.NotEqual(ComplianceStatus.Removed, (await RecordAsync(store, "observed:10.20.50.81")).Status);
        Assert.Equal((2, 0), await CountsAsync(store));
    }

    /// <summary>
    /// A device whose maker only its MAC block shows (a Hikvision block, no fingerprint), seen later without its MAC by
    /// a scanner beyond its segment: the record keeps the MAC, so the verdict does not fall from NonCompliant Critical
    /// to a device of no known maker; and later scans that list its MACs in another order, or a new MAC before its
    /// first, still find the record.
    /// </summary>
    [Fact]
    public async Task A_device_seen_without_its_MAC_keeps_the_MAC_it_showed_and_is_found_by_it_in_any_order()
    {
        var store = await azurite.CreateStoreAsync();
        var processor = ObservedEvents.Processor(store, new ManualTime(Now));
        const string ip = "10.20.1.90", mac = "BC:AD:28:00:09:01";
        await processor.ProcessAsync([TestEvents.Message(Observed("block-1", [mac, "BC:AD:28:00:09:02"], ip, "2026-11-01T09:00:00Z"))], None);
        var first = await RecordAsync(store, "observed:" + mac);
        Assert.Equal((ComplianceStatus.NeedsReview, "hikvision"), (first.Status, first.Vendor?.Key)); // a Hikvision block of no known device type

        await processor.ProcessAsync([TestEvents.Message(ObservedEvents.Observed("HO", "remote", ip: ip, observedAt: "2026-11-10T09:00:00Z"))], None);
        var after = await RecordAsync(store, "observed:" + mac);
        Assert.Equal((first.Status, first.Severity, "hikvision"), (after.Status, after.Severity, after.Vendor?.Key));
        Assert.Equal(mac, after.Device.MacAddress);

        // Its second MAC first, then a new MAC before its first: the same record each time.
        var results = await processor.ProcessAsync([
            TestEvents.Message(Observed("order-1", ["BC:AD:28:00:09:02", mac], "10.20.1.91", "2026-11-11T09:00:00Z")),
            TestEvents.Message(Observed("order-2", ["BC:AD:28:00:09:03", mac], "10.20.1.92", "2026-11-12T09:00:00Z")),
        ], None);
        Assert.All(results, r => Assert.Equal("observed:" + mac, r.AssetId));
        Assert.Equal((1, 0), await CountsAsync(store));
    }

    /// <summary>
    /// A record closed into another stays closed, in one batch or the next: after the device is seen with its MAC at
    /// two addresses (closing the record its second address named), a scan of that address without a MAC is the
    /// device's MAC record (the closed record says where it went), never the closed one reopened beside it.
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_closed_record_is_not_reopened_by_a_later_observation_of_the_same_device(bool oneBatch)
    {
        var store = await azurite.CreateStoreAsync();
        var processor = ObservedEvents.Processor(store, new ManualTime(Now));
        await processor.ProcessAsync([TestEvents.Message(ObservedEvents.Observed("HO", "remote-1", ip: "10.20.50.121", observedAt: "2026-11-01T09:00:00Z", evidence: ObservedEvents.Dnvrs))], None);
        var both = System.Text.Json.Nodes.JsonNode.Parse(ObservedEvents.Observed("HO", "local-1", mac: "BC:AD:28:00:0A:01", ip: "10.20.50.120", observedAt: "2026-11-10T09:00:00Z"))!;
        both["data"]!["ipAddresses"] = new System.Text.Json.Nodes.JsonArray("10.20.50.120", "10.20.50.121");

        InboundMessage[] messages = [
            TestEvents.Message(both.ToJsonString()),
            TestEvents.Message(ObservedEvents.Observed("HO", "remote-2", ip: "10.20.50.121", observedAt: "2026-11-10T10:00:00Z")),
        ];
        var results = oneBatch
            ? await processor.ProcessAsync(messages, None)
            : [.. await processor.ProcessAsync([messages[0]], None), .. await processor.ProcessAsync([messages[1]], None)];

        Assert.Equal(["observed:BC:AD:28:00:0A:01", "observed:BC:AD:28:00:0A:01"], results.Select(r => r.AssetId));
        Assert.Equal(ComplianceStatus.Removed, (await RecordAsync(store, "observed:10.20.50.121")).Status);
        Assert.Equal(["observed:BC:AD:28:00:0A:01"], await ListedAsync(store, "unregistered"));
        Assert.Equal((1, 0), await CountsAsync(store));
    }

    private static string Observed(string id, string[] macs, string ip, string at)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(ObservedEvents.Observed("HO", id, mac: macs[0], ip: ip, observedAt: at))!;
        node["data"]!["macAddresses"] = new System.Text.Json.Nodes.JsonArray([.. macs.Select(m => (System.Text.Json.Nodes.JsonNode)m)]);
        return node.ToJsonString();
    }
}
