using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AssetCompliance.Api;
using AssetCompliance.Api.Security;
using AssetCompliance.Azure.Teams;
using AssetCompliance.Cli;
using AssetCompliance.Core.Alerting;
using AssetCompliance.Core.Events;
using AssetCompliance.Core.Observations;
using AssetCompliance.Core.Policy;
using AssetCompliance.Core.Processing;
using AssetCompliance.Core.State;
using AssetCompliance.Functions;
using Azure.Messaging.ServiceBus;
using Microsoft.Extensions.Logging.Abstractions;

namespace AssetCompliance.Integration.Tests;

/// <summary>Contract v1.1 observation events for the tests, as a scanner's sender writes them.</summary>
internal static class ObservedEvents
{
    public static string Observed(string department, string id, string? mac = null, string? ip = "10.20.1.15", string? hostname = null, string? serial = null,
        string observedAt = "2026-11-30T09:04:12Z", params (string Signal, string Value)[] evidence)
    {
        var data = new JsonObject
        {
            ["department"] = department,
            ["observer"] = "nmap 7.93 on soc-scan-01",
            ["observedAt"] = observedAt,
            ["ipAddresses"] = ip is null ? new JsonArray() : new JsonArray(ip),
            ["macAddresses"] = mac is null ? new JsonArray() : new JsonArray(mac),
            ["evidence"] = new JsonArray([.. evidence.Select(e => (JsonNode)new JsonObject { ["signal"] = e.Signal, ["value"] = e.Value, ["tool"] = "nmap", ["port"] = 80 })]),
        };
        if (hostname is not null) data["hostname"] = hostname;
        if (serial is not null) data["serialNumber"] = serial;
        return new JsonObject
        {
            ["specversion"] = "1.0",
            ["id"] = id,
            ["source"] = $"/departments/{department}/observations",
            ["type"] = "asset.device.observed",
            ["time"] = observedAt,
            ["datacontenttype"] = "application/json",
            ["data"] = data,
        }.ToJsonString();
    }

    /// <summary>Hikvision NVR firmware's Server header (catalogue/fingerprints.json: strong).</summary>
    public static readonly (string, string) Dnvrs = ("http-server", "DNVRS-Webs");

    public static string NetworksFile => Path.Combine(RepositoryPaths.Root, "samples", "reconcile", "ho-networks.json");

    public static ObservationSettings Settings(int notSeenDays = 30) => new() { Networks = NetworkMaps.Load(NetworksFile), NotSeenDays = notSeenDays };

    /// <summary>The processor as the hosts build it, with HO's networks file.</summary>
    public static AssetEventProcessor Processor(StateStores store, TimeProvider? time = null, ObservationSettings? settings = null)
    {
        var commands = TestEvents.Commands(store, time);
        return new AssetEventProcessor(commands, store, NullLogger<AssetEventProcessor>.Instance, new ObservationMatcher(store, commands.Planner, settings ?? Settings()));
    }

    public static AssetEventIntake Intake(StateStores store, AlertingOptions? routing = null, TimeProvider? time = null) =>
        new(Processor(store, time), TestEvents.Dispatcher(store, routing, time));

    public static ObservationListApi Api(StateStores store, TimeProvider time, bool trustPrincipal = true, int notSeenDays = 30) =>
        new(store, TestEvents.Authorizer(trustPrincipal), Settings(notSeenDays), time);

    public static ServiceBusReceivedMessage Through(string? topicOf, string body, string messageId) =>
        ServiceBusModelFactory.ServiceBusReceivedMessage(body: BinaryData.FromString(body), messageId: messageId, enqueuedTime: DateTimeOffset.UtcNow,
            properties: topicOf is null ? [] : new Dictionary<string, object> { [SenderVouch.PropertyName] = topicOf });
}

/// <summary>
/// Issue 18's pipeline half: observations arrive as events through the same processor (Service Bus, HTTP, push,
/// the local run), are matched against the department's stored records and stored with history, take part in the
/// verdict (a PRC-made device seen on a core subnet is NonCompliant Critical whatever the register says), are
/// counted in the summary by delta, listed by outcome, and carded. Azurite for tables, a loopback Teams webhook,
/// Service Bus messages from <see cref="ServiceBusModelFactory"/>.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ObservationPipelineTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-12-01T09:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
    private LoopbackWebhook _webhook = null!;

    public async Task InitializeAsync() => _webhook = await LoopbackWebhook.StartAsync();

    public async Task DisposeAsync() => await _webhook.DisposeAsync();

    private AlertingOptions Routing() => new() { ApiBaseUrl = new Uri("https://compliance.example/api/"), CentralWebhook = _webhook.Url("central") };

    private static async Task<JsonElement> SummaryAsync(StateStores store, string department)
    {
        var (status, body) = await TestHttp.SendAsync(TestHttp.Request(TestEvents.Principal(ComplianceRoles.ReadAll)), r => TestEvents.StateApi(store).GetDepartmentSummaryAsync(r, department, None));
        Assert.Equal(200, status);
        return JsonDocument.Parse(body).RootElement.GetProperty("observations").Clone();
    }

    [Fact]
    public async Task An_unregistered_Hikvision_firmware_device_on_a_core_subnet_ends_NonCompliant_Critical_with_an_alert_card_posted()
    {
        var store = await azurite.CreateStoreAsync();
        var function = new ServiceBusFunctions(ObservedEvents.Intake(store, Routing(), new ManualTime(Now)));
        await function.IngestAssetEvents([ObservedEvents.Through("HO", TestEvents.Upsert("HO", "CAM-1", 1, manufacturer: "Axis", mac: "00:40:8C:00:00:01"), "register")], None);
        Assert.Empty(_webhook.Posts); // an Axis camera: nothing to say

        // 10.20.1.15 is in HO's corporate LAN 10.20.0.0/16 (core), outside the segregated CCTV VLAN 10.20.50.0/24.
        await function.IngestAssetEvents([ObservedEvents.Through("HO", ObservedEvents.Observed("HO", "scan-1", mac: "BC:AD:28:4F:11:99", evidence: ObservedEvents.Dnvrs), "scan-1")], None);

        var stored = await store.GetRecordAsync("HO", "observed:BC:AD:28:4F:11:99", None);
        Assert.NotNull(stored);
        var record = stored!.Record;
        Assert.Equal((ComplianceStatus.NonCompliant, Severity.Critical), (record.Status, record.Severity));
        Assert.Equal("hikvision", record.Vendor?.Key);
        var seen = record.Observation!;
        Assert.Equal((ReconcileOutcomeKind.Unregistered, true), (seen.Outcome, seen.NotRegistered));
        Assert.Equal(("10.20.0.0/16", NetworkSegment.Core, "HO-2MS"), (seen.Network!.Subnet, seen.Network.Segment, seen.Network.Site));
        var history = Assert.Single(await store.GetHistoryAsync("HO", record.AssetId, None));
        Assert.Equal((HistoryOutcome.Observed, "asset.device.observed"), (history.Outcome, history.EventType));
        Assert.Contains("unregistered", history.Reasons[0], StringComparison.Ordinal);

        // The alert went out after the commit, saying what was seen, where, and why it matters.
        var post = Assert.Single(_webhook.Posts);
        Assert.Equal(["observed:BC:AD:28:4F:11:99"], AlertDeliveryTests.AssetIdsIn(post.Body));
        var card = post.Body.RootElement.GetRawText();
        foreach (var expected in new[] { "CRITICAL", "UNREGISTERED", "10.20.1.15", "MAC BC:AD:28:4F:11:99", "subnet 10.20.0.0/16", "core segment", "site HO-2MS", "DNVRS-Webs", "Why it matters" })
        {
            Assert.Contains(expected, card, StringComparison.Ordinal);
        }

        // Counted once, by the transaction that made the record; the Axis camera is untouched.
        Assert.Equal(1, (await store.GetSummaryAsync("HO", None)).Counts.ObservedUnregistered);
        var counts = await SummaryAsync(store, "HO");
        Assert.Equal((1, 0), (counts.GetProperty("unregistered").GetInt64(), counts.GetProperty("contradicted").GetInt64()));
        Assert.Null((await store.GetRecordAsync("HO", "CAM-1", None))!.Record.Observation);

        // The same observation again (a redelivery) changes nothing and posts nothing.
        await function.IngestAssetEvents([ObservedEvents.Through("HO", ObservedEvents.Observed("HO", "scan-1", mac: "BC:AD:28:4F:11:99", evidence: ObservedEvents.Dnvrs), "scan-1")], None);
        Assert.Equal(stored.ETag, (await store.GetRecordAsync("HO", record.AssetId, None))!.ETag);
        Assert.Single(_webhook.Posts);
        Assert.Equal(1, (await store.GetSummaryAsync("HO", None)).Counts.ObservedUnregistered);
    }

    [Fact]
    public async Task A_device_registered_as_Axis_that_shows_Hikvision_firmware_is_contradicted_never_cleared_and_confirmed_once_the_register_is_corrected()
    {
        var store = await azurite.CreateStoreAsync();
        var processor = ObservedEvents.Processor(store);
        // Registered as an Axis camera (by its serial, no MAC) on a segregated network at a site that is not sensitive: alone, compliant.
        await processor.ProcessAsync([TestEvents.Message(Serial(TestEvents.Upsert("HO", "CAM-7", 1, manufacturer: "Axis", sensitive: false), "AX-77"))], None);
        Assert.Equal(ComplianceStatus.Compliant, (await store.GetRecordAsync("HO", "CAM-7", None))!.Record.Status);

        // Seen in the CCTV VLAN (segregated) with a Hikvision MAC and NVR firmware.
        await processor.ProcessAsync([TestEvents.Message(ObservedEvents.Observed("HO", "scan-7", mac: "bc:ad:28:12:34:56", ip: "10.20.50.20", serial: "AX-77", evidence: ObservedEvents.Dnvrs))], None);
        var record = (await store.GetRecordAsync("HO", "CAM-7", None))!.Record;
        Assert.Equal((ReconcileOutcomeKind.Contradicted, "serial", false), (record.Observation!.Outcome, record.Observation.MatchedBy, record.Observation.NotRegistered));
        Assert.Equal("Hikvision", record.Observation.ObservedMaker);
        Assert.NotEqual(ComplianceStatus.Compliant, record.Status);
        var afterObservation = record.Status;
        Assert.Equal((0, 1), Counts(await store.GetSummaryAsync("HO", None)));

        // The register sends the same Axis row again: the observed firmware still takes part, so it is not cleared.
        await processor.ProcessAsync([TestEvents.Message(Serial(TestEvents.Upsert("HO", "CAM-7", 2, manufacturer: "Axis", sensitive: false), "AX-77"))], None);
        record = (await store.GetRecordAsync("HO", "CAM-7", None))!.Record;
        Assert.Equal(afterObservation, record.Status);
        Assert.Equal(ReconcileOutcomeKind.Contradicted, record.Observation!.Outcome);

        // The register is corrected to Hikvision: the stored observation now agrees (confirmed), the count moves back.
        await processor.ProcessAsync([TestEvents.Message(Serial(TestEvents.Upsert("HO", "CAM-7", 3, manufacturer: "Hikvision", sensitive: false), "AX-77"))], None);
        record = (await store.GetRecordAsync("HO", "CAM-7", None))!.Record;
        Assert.Equal(ReconcileOutcomeKind.Confirmed, record.Observation!.Outcome);
        Assert.NotEqual(ComplianceStatus.Compliant, record.Status);
        Assert.Equal((0, 0), Counts(await store.GetSummaryAsync("HO", None)));
        Assert.Equal(4, (await store.GetHistoryAsync("HO", "CAM-7", None)).Count);
    }

    private static (long Unregistered, long Contradicted) Counts(DepartmentSummary summary) => (summary.Counts.ObservedUnregistered, summary.Counts.ObservedContradicted);

    [Fact]
    public async Task An_observation_matches_by_MAC_then_serial_then_host_name_and_a_key_two_records_share_is_ambiguous_never_guessed()
    {
        var store = await azurite.CreateStoreAsync();
        var processor = ObservedEvents.Processor(store);
        await processor.ProcessAsync([
            TestEvents.Message(TestEvents.Upsert("HO", "CAM-MAC", 1, mac: "BC:AD:28:00:00:01")),
            TestEvents.Message(Serial(TestEvents.Upsert("HO", "CAM-SERIAL", 1), "ds-0042")),
            TestEvents.Message(TestEvents.Upsert("HO", "HO-CAM-0003", 1)),
            TestEvents.Message(TestEvents.Upsert("HO", "DUP-1", 1, mac: "BC:AD:28:00:00:09")),
            TestEvents.Message(TestEvents.Upsert("HO", "DUP-2", 1, mac: "bc-ad-28-00-00-09")),
        ], None);
        var duplicates = await store.GetRecordsAsync("HO", ["DUP-1", "DUP-2"], None);

        var results = await processor.ProcessAsync([
            TestEvents.Message(ObservedEvents.Observed("HO", "o-mac", mac: "BC:AD:28:00:00:01", hostname: "HO-CAM-0003", evidence: ObservedEvents.Dnvrs)), // MAC wins over the host name
            TestEvents.Message(ObservedEvents.Observed("HO", "o-serial", ip: "10.20.50.31", serial: "DS-0042")),
            TestEvents.Message(ObservedEvents.Observed("HO", "o-name", ip: "10.20.50.13", hostname: "ho-cam-0003.ho.internal")),
            TestEvents.Message(ObservedEvents.Observed("HO", "o-dup", mac: "BC:AD:28:00:00:09", ip: "10.20.50.40")),
        ], None);

        Assert.All(results, r => Assert.Equal(MessageOutcome.Applied, r.Outcome));
        Assert.Equal(["CAM-MAC", "CAM-SERIAL", "HO-CAM-0003", "observed:BC:AD:28:00:00:09"], results.Select(r => r.AssetId));
        Assert.Equal(("mac", ReconcileOutcomeKind.Confirmed), Matched(await store.GetRecordAsync("HO", "CAM-MAC", None)));
        Assert.Equal(("serial", ReconcileOutcomeKind.Confirmed), Matched(await store.GetRecordAsync("HO", "CAM-SERIAL", None)));
        Assert.Equal(("hostname", ReconcileOutcomeKind.Confirmed), Matched(await store.GetRecordAsync("HO", "HO-CAM-0003", None)));
        var ambiguous = (await store.GetRecordAsync("HO", "observed:BC:AD:28:00:00:09", None))!.Record.Observation!;
        Assert.Equal((ReconcileOutcomeKind.Ambiguous, "mac", true), (ambiguous.Outcome, ambiguous.MatchedBy, ambiguous.NotRegistered));
        Assert.Equal(["DUP-1", "DUP-2"], ambiguous.Candidates.Order(StringComparer.Ordinal));
        // Neither candidate was touched: no guess.
        var after = await store.GetRecordsAsync("HO", ["DUP-1", "DUP-2"], None);
        Assert.Equal(duplicates.Values.Select(d => d.ETag).Order(), after.Values.Select(d => d.ETag).Order());
        Assert.Equal((0, 0), Counts(await store.GetSummaryAsync("HO", None))); // ambiguous is neither count
    }

    private static string Serial(string upsert, string serial)
    {
        var node = JsonNode.Parse(upsert)!;
        node["data"]!["serialNumber"] = serial;
        return node.ToJsonString();
    }

    private static (string?, ReconcileOutcomeKind?) Matched(StoredRecord? stored) => (stored?.Record.Observation?.MatchedBy, stored?.Record.Observation?.Outcome);

    [Fact]
    public async Task The_observations_route_lists_each_outcome_paged_works_out_not_seen_at_read_time_and_keeps_to_the_department()
    {
        var store = await azurite.CreateStoreAsync();
        var time = new ManualTime(Now);
        var processor = ObservedEvents.Processor(store, time);
        await processor.ProcessAsync([
            TestEvents.Message(TestEvents.Upsert("HO", "NEVER", 1)),
            TestEvents.Message(TestEvents.Upsert("HO", "OLD", 1, mac: "BC:AD:28:00:00:02")),
            TestEvents.Message(TestEvents.Upsert("HO", "FRESH", 1, mac: "BC:AD:28:00:00:03")),
            TestEvents.Message(TestEvents.Upsert("HO", "GONE", 1)),
            TestEvents.Message(TestEvents.Remove("HO", "GONE", 2)),
            TestEvents.Message(TestEvents.Upsert("MOJ", "MOJ-1", 1)),
        ], None);
        await processor.ProcessAsync([
            TestEvents.Message(ObservedEvents.Observed("HO", "o-old", mac: "BC:AD:28:00:00:02", observedAt: "2026-10-20T09:00:00Z")),
            TestEvents.Message(ObservedEvents.Observed("HO", "o-fresh", mac: "BC:AD:28:00:00:03", observedAt: "2026-11-30T09:00:00Z")),
            TestEvents.Message(ObservedEvents.Observed("HO", "o-new-1", mac: "BC:AD:28:00:00:04", evidence: ObservedEvents.Dnvrs)),
            TestEvents.Message(ObservedEvents.Observed("HO", "o-new-2", mac: null, ip: "10.20.50.99", evidence: ObservedEvents.Dnvrs)),
        ], None);
        var api = ObservedEvents.Api(store, time);
        async Task<(int Status, JsonElement Body)> List(string query, string? principal = null)
        {
            var (status, body) = await TestHttp.SendAsync(TestHttp.Request(principal ?? TestEvents.Principal("Department.HO"), query), r => api.ListAsync(r, "HO", None));
            return (status, JsonDocument.Parse(body).RootElement.Clone());
        }

        static string[] Ids(JsonElement page) => [.. page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("assetId").GetString()!).Order(StringComparer.Ordinal)];

        Assert.Equal(["FRESH", "OLD"], Ids((await List("?outcome=confirmed")).Body));
        Assert.Equal(["NEVER", "OLD"], Ids((await List("?outcome=notSeen")).Body)); // removed and observed-only records are not "not seen"
        var unregistered = (await List("?outcome=unregistered")).Body;
        Assert.Equal(["observed:10.20.50.99", "observed:BC:AD:28:00:00:04"], Ids(unregistered));
        var item = unregistered.GetProperty("items").EnumerateArray().First(i => i.GetProperty("assetId").GetString() == "observed:10.20.50.99");
        Assert.False(item.GetProperty("registered").GetBoolean());
        Assert.Equal(("10.20.50.0/24", "segregated"), (item.GetProperty("network").GetProperty("subnet").GetString(), item.GetProperty("network").GetProperty("segment").GetString()));
        Assert.Equal("DNVRS-Webs", item.GetProperty("evidence")[0].GetProperty("value").GetString());
        Assert.Empty(Ids((await List("?outcome=contradicted")).Body));
        Assert.Empty(Ids((await List("?outcome=ambiguous")).Body));

        // With a longer window, OLD was seen recently enough.
        var wide = ObservedEvents.Api(store, time, notSeenDays: 60);
        var (_, wideBody) = await TestHttp.SendAsync(TestHttp.Request(TestEvents.Principal("Department.HO"), "?outcome=notSeen"), r => wide.ListAsync(r, "HO", None));
        Assert.Equal(["NEVER"], Ids(JsonDocument.Parse(wideBody).RootElement));

        // Paged: one at a time, through the continuation token, the same two records.
        var first = (await List("?outcome=confirmed&top=1")).Body;
        var token = first.GetProperty("continuationToken").GetString()!;
        var second = (await List($"?outcome=confirmed&top=1&continuationToken={Uri.EscapeDataString(token)}")).Body;
        Assert.Equal(["FRESH", "OLD"], Ids(first).Concat(Ids(second)).Order(StringComparer.Ordinal));

        // A bad or missing outcome is a 400; MOJ's caller is refused HO's list and a token of HO's is no use to MOJ.
        Assert.Equal(400, (await List("?outcome=seen")).Status);
        Assert.Equal(400, (await List("")).Status);
        Assert.Equal(403, (await List("?outcome=notSeen", TestEvents.Principal("Department.MOJ"))).Status);
        var (mojStatus, _) = await TestHttp.SendAsync(TestHttp.Request(TestEvents.Principal("Department.MOJ"), $"?outcome=confirmed&continuationToken={Uri.EscapeDataString(token)}"), r => api.ListAsync(r, "MOJ", None));
        Assert.Equal(400, mojStatus);
        var (_, moj) = await TestHttp.SendAsync(TestHttp.Request(TestEvents.Principal("Department.MOJ"), "?outcome=notSeen"), r => api.ListAsync(r, "MOJ", None));
        Assert.Equal(["MOJ-1"], Ids(JsonDocument.Parse(moj).RootElement));
    }

    /// <summary>
    /// Hostile observations through HO's topic: another department's, one nothing vouches for, oversized, with a bad
    /// MAC, with script text in the Server header. Each bad one is a rejection of HO's (or unattributed), never the
    /// batch's failure; the good ones beside them are applied, and the script text reaches the card as text.
    /// </summary>
    [Fact]
    public async Task Hostile_observations_are_rejections_that_lose_nothing_beside_them()
    {
        var store = await azurite.CreateStoreAsync();
        var function = new ServiceBusFunctions(ObservedEvents.Intake(store, Routing(), new ManualTime(Now)));
        var oversized = JsonNode.Parse(ObservedEvents.Observed("HO", "big", mac: "BC:AD:28:00:00:20"))!;
        oversized["data"]!["evidence"] = new JsonArray([.. Enumerable.Range(0, 65).Select(i => (JsonNode)new JsonObject { ["signal"] = "http-title", ["value"] = $"t{i}", ["tool"] = "nmap" })]);
        var longValue = ObservedEvents.Observed("HO", "long", mac: "BC:AD:28:00:00:21", evidence: ("http-server", new string('A', 300)));
        var script = "<script>alert(document.cookie)</script> DNVRS-Webs [click](http://evil.test) {{DATE(2026-01-01T00:00:00Z)}}";

        await function.IngestAssetEvents([
            ObservedEvents.Through("HO", ObservedEvents.Observed("MOJ", "theirs", mac: "BC:AD:28:00:00:10", evidence: ObservedEvents.Dnvrs), "theirs"),
            ObservedEvents.Through(null, ObservedEvents.Observed("HO", "unvouched", mac: "BC:AD:28:00:00:11"), "unvouched"),
            ObservedEvents.Through("HO", oversized.ToJsonString(), "big"),
            ObservedEvents.Through("HO", longValue, "long"),
            ObservedEvents.Through("HO", ObservedEvents.Observed("HO", "bad-mac", mac: "BC:AD:28:00:00", evidence: ObservedEvents.Dnvrs), "bad-mac"),
            ObservedEvents.Through("HO", ObservedEvents.Observed("HO", "script", mac: "BC:AD:28:00:00:30", evidence: ("http-server", script)), "script"),
        ], None);

        Assert.Null(await store.GetRecordAsync("MOJ", "observed:BC:AD:28:00:00:10", None));
        Assert.Empty(await store.GetRejectionsAsync("MOJ", None));
        var rejections = (await store.GetRejectionsAsync("HO", None)).ToDictionary(r => r.MessageId);
        Assert.Equal(["bad-mac", "big", "long", "theirs"], rejections.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("'MOJ'", Assert.Single(rejections["theirs"].Errors).Message, StringComparison.Ordinal);
        Assert.Equal("$.data.evidence", Assert.Single(rejections["big"].Errors).Path);
        Assert.Equal("$.data.evidence[0].value", Assert.Single(rejections["long"].Errors).Path);
        Assert.Equal("$.data.macAddresses[0]", Assert.Single(rejections["bad-mac"].Errors).Path);
        Assert.Equal("unvouched", Assert.Single(await store.GetRejectionsAsync(null, None)).MessageId);

        // The good one beside them: applied (a Hikvision MAC block of no known device type, on no register: held for
        // review, which raises its card), and the card shows the header as text.
        var scripted = (await store.GetRecordAsync("HO", "observed:BC:AD:28:00:00:30", None))!.Record;
        Assert.Equal(("hikvision", ReconcileOutcomeKind.Unregistered), (scripted.Vendor?.Key, scripted.Observation?.Outcome));
        var outbox = Assert.Single(await store.GetOutboxEntriesAsync("HO", [OutboxState.Pending, OutboxState.Sending, OutboxState.Failed, OutboxState.Sent], None));
        Assert.Equal((ComplianceStatus.NeedsReview, ComplianceEvaluator.UnregisteredUnknownRule), (scripted.Status, scripted.Rule));
        Assert.Equal(AlertKind.Opened, outbox.Alert.Kind);
        var card = Assert.Single(_webhook.Posts).Body.RootElement;
        Assert.Contains("NEEDS REVIEW", card.GetRawText(), StringComparison.Ordinal);
        var texts = card.GetProperty("attachments")[0].GetProperty("content").GetRawText();
        Assert.Contains("alert(document.cookie)", texts, StringComparison.Ordinal);
        Assert.DoesNotContain("{{DATE(", JsonDocument.Parse(texts).RootElement.ToString(), StringComparison.Ordinal); // the date function defused
    }

    [Fact]
    public async Task The_http_route_takes_observations_validated_all_or_nothing_for_its_own_department()
    {
        var store = await azurite.CreateStoreAsync();
        var api = new IngestionApi(new LocalProcessingPublisher(() => ObservedEvents.Intake(store), TimeProvider.System), TestEvents.Authorizer());
        Task<(int Status, string Body)> Post(string body) =>
            TestHttp.SendAsync(TestHttp.Request(CompliancePrincipal.Encode("ho", "Department.HO"), method: "POST", body: Encoding.UTF8.GetBytes(body)), r => api.IngestAsync(r, "HO", None));

        var (status, _) = await Post($"[{TestEvents.Upsert("HO", "CAM-1", 1, mac: "BC:AD:28:00:00:40")},{ObservedEvents.Observed("HO", "http-1", mac: "BC:AD:28:00:00:40", evidence: ObservedEvents.Dnvrs)}]");
        Assert.Equal(202, status);
        Assert.Equal(ReconcileOutcomeKind.Confirmed, (await store.GetRecordAsync("HO", "CAM-1", None))!.Record.Observation?.Outcome);

        var (theirs, body) = await Post(ObservedEvents.Observed("MOJ", "http-2", mac: "BC:AD:28:00:00:41"));
        Assert.Equal(400, theirs);
        Assert.Contains("$.data.department", body, StringComparison.Ordinal);
        var (bad, badBody) = await Post($"[{ObservedEvents.Observed("HO", "http-3", mac: "BC:AD:28:00:00:42")},{ObservedEvents.Observed("HO", "http-4", mac: "not-a-mac")}]");
        Assert.Equal(400, bad);
        Assert.Contains("$[1].data.macAddresses[0]", badBody, StringComparison.Ordinal);
        Assert.Null(await store.GetRecordAsync("HO", "observed:BC:AD:28:00:00:42", None)); // all or nothing
        Assert.Null(await store.GetRecordAsync("MOJ", "observed:BC:AD:28:00:00:41", None));
    }

    [Fact]
    public async Task Push_observations_dry_run_prints_one_valid_event_per_device_seen_and_the_local_run_s_replay_applies_them()
    {
        var scan = Path.Combine(RepositoryPaths.Root, "samples", "reconcile", "ho-nmap.xml");
        using var output = new MemoryStream();
        var report = new StringWriter();

        var exit = await PushCommand.RunObservationsAsync(scan, "HO", new PushCommand.JsonLinesPublisher(output), report, None);

        Assert.Equal(0, exit);
        var lines = Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        int expected;
        using (var read = File.OpenRead(scan))
        {
            expected = ScanReader.Read(read, "ho-nmap.xml").Count();
        }

        Assert.Equal(expected, lines.Length);
        Assert.All(lines, l => Assert.Equal("HO", AssetCompliance.Core.Events.ObservationEventParser.Parse(Encoding.UTF8.GetBytes(l)).Department));
        Assert.Contains($"{expected} observation event(s) from ho-nmap.xml for HO", report.ToString(), StringComparison.Ordinal);

        // Stable ids: a second push of the same scan sends the same events.
        using var again = new MemoryStream();
        await PushCommand.RunObservationsAsync(scan, "HO", new PushCommand.JsonLinesPublisher(again), TextWriter.Null, None);
        Assert.Equal(output.ToArray(), again.ToArray());

        // What push prints is what the local run replays (compliance run --events FILE): the same processor applies it.
        var file = Path.Combine(Directory.CreateTempSubdirectory("observed-").FullName, "observed.jsonl");
        await File.WriteAllLinesAsync(file, [TestEvents.Upsert("HO", "HO-CAM-0001", 1, manufacturer: "Axis"), .. lines]);
        var store = await azurite.CreateStoreAsync();
        var processor = ObservedEvents.Processor(store);
        var results = new List<MessageResult>();
        foreach (var batch in EventFileReplay.Batches(file, Now))
        {
            results.AddRange(await processor.ProcessAsync(batch, None));
        }

        Assert.DoesNotContain(results, r => r.Outcome == MessageOutcome.Rejected);
        Assert.Equal(lines.Length + 1, results.Count);
        Assert.Equal("hostname", (await store.GetRecordAsync("HO", "HO-CAM-0001", None))!.Record.Observation?.MatchedBy);
        Assert.True((await store.GetSummaryAsync("HO", None)).Counts.ObservedUnregistered > 0);
    }

    [Fact]
    public async Task Push_observations_of_a_scan_that_does_not_read_sends_nothing_and_exits_1()
    {
        var scan = Path.Combine(Directory.CreateTempSubdirectory("scan-").FullName, "cut.xml");
        var whole = await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.Root, "samples", "reconcile", "ho-nmap.xml"));
        await File.WriteAllTextAsync(scan, whole[..(whole.IndexOf("<runstats", StringComparison.Ordinal))]);
        using var output = new MemoryStream();
        var report = new StringWriter();

        Assert.Equal(1, await PushCommand.RunObservationsAsync(scan, "HO", new PushCommand.JsonLinesPublisher(output), report, None));

        Assert.Equal(0, output.Length);
        Assert.Contains("Nothing was sent", report.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_local_run_with_a_networks_file_replays_observations_and_serves_them_and_a_bad_networks_file_stops_it()
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("observed-").FullName, "observed.jsonl");
        await File.WriteAllLinesAsync(file, [ObservedEvents.Observed("HO", "run-1", mac: "BC:AD:28:4F:11:99", evidence: ObservedEvents.Dnvrs)]);
        var alerts = Directory.CreateTempSubdirectory("alerts-").FullName;
        var port = LocalRunTestsPort();
        using var cancel = new CancellationTokenSource();
        var output = new StringWriter();
        var run = Task.Run(() => new RunCommand(TextWriter.Synchronized(output)).ExecuteAsync(
            new RunCommand.Settings([file], port, null, Verbose: false, AlertsDir: alerts, Networks: ObservedEvents.NetworksFile), cancel.Token));
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/api/") };
            await LocalRunTests.WaitUntilServingAsync(http, run, output);
            var page = JsonDocument.Parse(await http.GetStringAsync("departments/HO/observations?outcome=unregistered")).RootElement;
            var item = Assert.Single(page.GetProperty("items").EnumerateArray());
            Assert.Equal(("observed:BC:AD:28:4F:11:99", "NonCompliant", "Critical", "core"),
                (item.GetProperty("assetId").GetString(), item.GetProperty("status").GetString(), item.GetProperty("severity").GetString(), item.GetProperty("network").GetProperty("segment").GetString()));
            Assert.Contains("UNREGISTERED", await File.ReadAllTextAsync(Assert.Single(Directory.GetFiles(alerts, "*.json"))), StringComparison.Ordinal);
        }
        finally
        {
            await cancel.CancelAsync();
            await run;
        }

        var bad = Path.Combine(Path.GetDirectoryName(file)!, "bad-networks.json");
        await File.WriteAllTextAsync(bad, """{ "schemaVersion": 1, "department": "HO", "networks": [ { "cidr": "10.20.0.1/16", "segment": "core" } ] }""");
        var refused = new StringWriter();
        Assert.Equal(1, await new RunCommand(refused).ExecuteAsync(new RunCommand.Settings([file], LocalRunTestsPort(), azurite.ConnectionString, Verbose: false, AlertsDir: alerts, Networks: bad), None));
        Assert.Contains("bad-networks.json", refused.ToString(), StringComparison.Ordinal);
        Assert.Contains("$.networks[0].cidr", refused.ToString(), StringComparison.Ordinal);
    }

    private static int LocalRunTestsPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    [Fact]
    public async Task A_device_seen_unregistered_and_registered_later_is_counted_once_its_own_record_closed_when_next_seen()
    {
        var store = await azurite.CreateStoreAsync();
        var processor = ObservedEvents.Processor(store);
        await processor.ProcessAsync([TestEvents.Message(ObservedEvents.Observed("HO", "first-seen", mac: "BC:AD:28:00:00:50", observedAt: "2026-11-01T09:00:00Z", evidence: ObservedEvents.Dnvrs))], None);
        Assert.Equal(1, (await store.GetSummaryAsync("HO", None)).Counts.ObservedUnregistered);

        // Registered (a register event and the next scan in one batch: the event first, so the scan finds it).
        await processor.ProcessAsync([
            TestEvents.Message(TestEvents.Upsert("HO", "NVR-9", 1, deviceType: "nvr", mac: "BC:AD:28:00:00:50")),
            TestEvents.Message(ObservedEvents.Observed("HO", "next-scan", mac: "BC:AD:28:00:00:50", observedAt: "2026-11-30T09:00:00Z", evidence: ObservedEvents.Dnvrs)),
        ], None);

        Assert.Equal(ReconcileOutcomeKind.Confirmed, (await store.GetRecordAsync("HO", "NVR-9", None))!.Record.Observation?.Outcome);
        var closed = (await store.GetRecordAsync("HO", "observed:BC:AD:28:00:00:50", None))!.Record;
        Assert.Equal(ComplianceStatus.Removed, closed.Status);
        Assert.Contains("NVR-9", (await store.GetHistoryAsync("HO", closed.AssetId, None))[^1].Reasons[0], StringComparison.Ordinal);
        Assert.Equal((0, 0), Counts(await store.GetSummaryAsync("HO", None)));
        var (_, body) = await TestHttp.SendAsync(TestHttp.Request(TestEvents.Principal("Department.HO"), "?outcome=unregistered"), r => ObservedEvents.Api(store, new ManualTime(Now)).ListAsync(r, "HO", None));
        Assert.Empty(JsonDocument.Parse(body).RootElement.GetProperty("items").EnumerateArray()); // closed: no longer unregistered, as the count says
    }

    /// <summary>
    /// A record row written before observations existed has no MacAddress column to be matched by: its next write
    /// sends the observation columns whatever the diff says, and from then on an observation finds it by its MAC.
    /// </summary>
    [Fact]
    public async Task A_record_row_written_before_observations_gets_their_columns_on_its_next_write()
    {
        var store = await azurite.CreateStoreAsync();
        var processor = ObservedEvents.Processor(store);
        await processor.ProcessAsync([TestEvents.Message(TestEvents.Upsert("HO", "CAM-OLD", 1, mac: "BC:AD:28:00:00:60"))], None);
        var assets = new global::Azure.Data.Tables.TableServiceClient(azurite.ConnectionString).GetTableClient(store.TablePrefix + "Assets");
        var row = (await assets.GetEntityAsync<global::Azure.Data.Tables.TableEntity>("HO", "asset|CAM-OLD")).Value;
        foreach (var column in new[] { "MacAddress", "SerialNumber", "ObservedOutcome", "LastSeenAt", "HostKey", "ObservedIp" })
        {
            Assert.True(row.Remove(column), column);
        }

        await assets.UpdateEntityAsync(row, row.ETag, global::Azure.Data.Tables.TableUpdateMode.Replace); // as the row was before
        var fresh = ObservedEvents.Processor(store); // and as a host started after the upgrade reads it, without a cache

        await fresh.ProcessAsync([TestEvents.Message(TestEvents.Upsert("HO", "CAM-OLD", 2, mac: "BC:AD:28:00:00:60"))], None);
        var rewritten = (await assets.GetEntityAsync<global::Azure.Data.Tables.TableEntity>("HO", "asset|CAM-OLD")).Value;
        Assert.Equal(("BC:AD:28:00:00:60", "CAM-OLD", ""), (rewritten.GetString("MacAddress"), rewritten.GetString("HostKey"), rewritten.GetString("ObservedIp")));

        await fresh.ProcessAsync([TestEvents.Message(ObservedEvents.Observed("HO", "after-upgrade", mac: "BC:AD:28:00:00:60"))], None);
        Assert.Equal(("mac", ReconcileOutcomeKind.Confirmed), Matched(await store.GetRecordAsync("HO", "CAM-OLD", None)));
        // And by the columns issue 18 added last: its host name in another casing, its address without the MAC.
        await fresh.ProcessAsync([TestEvents.Message(ObservedEvents.Observed("HO", "by-name", ip: "10.20.50.61", hostname: "cam-old.ho.internal", observedAt: "2026-11-30T10:00:00Z"))], None);
        Assert.Equal(("hostname", ReconcileOutcomeKind.Confirmed), Matched(await store.GetRecordAsync("HO", "CAM-OLD", None)));
        Assert.Equal("CAM-OLD", Assert.Single(await fresh.ProcessAsync([TestEvents.Message(ObservedEvents.Observed("HO", "by-address", ip: "10.20.50.61", observedAt: "2026-11-30T11:00:00Z"))], None)).AssetId);
        Assert.Null(await store.GetRecordAsync("HO", "observed:BC:AD:28:00:00:60", None));
    }

    [Fact]
    public void A_networks_folder_holds_one_file_per_department_and_a_second_file_for_one_is_refused()
    {
        var folder = Directory.CreateTempSubdirectory("networks-").FullName;
        File.Copy(ObservedEvents.NetworksFile, Path.Combine(folder, "ho.json"));
        File.WriteAllText(Path.Combine(folder, "moj.json"), """{ "schemaVersion": 1, "department": "MOJ", "networks": [ { "cidr": "10.30.0.0/16", "segment": "core" } ] }""");

        var maps = NetworkMaps.Load(folder);

        Assert.Equal(["HO", "MOJ"], maps.Departments);
        Assert.Null(maps.For("DFE")); // no file: segment unknown, never "not core"
        File.Copy(ObservedEvents.NetworksFile, Path.Combine(folder, "ho-again.json"));
        var error = Assert.Throws<ObservationReadException>(() => NetworkMaps.Load(folder));
        Assert.Contains("department HO already has a networks file", error.Message, StringComparison.Ordinal);
        Assert.Throws<ObservationReadException>(() => NetworkMaps.Load(Path.Combine(folder, "absent.json")));
    }
}
