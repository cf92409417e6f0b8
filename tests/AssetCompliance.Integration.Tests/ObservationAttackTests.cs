using AssetCompliance.Core.Observations;
using AssetCompliance.Core.Policy;
using AssetCompliance.Core.Processing;
using AssetCompliance.Core.State;

namespace AssetCompliance.Integration.Tests;

/// <summary>
/// A reviewer's attacks on issue 18's pipeline half: records only observations make must neither be taken over by a
/// register nor stay closed when the device is seen unregistered again; a hostile department's ids of one kind that
/// look like another's, one MAC in two departments' registers, an observation named after the pipeline's own
/// records, dates far off: each changes only the sender's own records as the contract says, or is refused.
/// Azurite for tables.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ObservationAttackTests(AzuriteFixture azurite)
{
    private static readonly CancellationToken None = CancellationToken.None;

    /// <summary>
    /// A device seen unregistered, then registered (its own record closed), then removed from the register and seen
    /// again: it is unregistered once more, so its own record opens again, evaluated and counted; it never stays Removed.
    /// </summary>
    [Fact]
    public async Task A_device_seen_unregistered_again_after_its_own_record_was_closed_is_open_again_NonCompliant_and_counted()
    {
        var store = await azurite.CreateStoreAsync();
        var processor = ObservedEvents.Processor(store);
        const string mac = "BC:AD:28:00:00:70";
        await processor.ProcessAsync([TestEvents.Message(ObservedEvents.Observed("HO", "seen-1", mac: mac, observedAt: "2026-11-01T09:00:00Z", evidence: ObservedEvents.Dnvrs))], None);
        await processor.ProcessAsync([
            TestEvents.Message(TestEvents.Upsert("HO", "NVR-7", 1, deviceType: "nvr", mac: mac)),
            TestEvents.Message(ObservedEvents.Observed("HO", "seen-2", mac: mac, observedAt: "2026-11-10T09:00:00Z", evidence: ObservedEvents.Dnvrs)),
        ], None);
        Assert.Equal(ComplianceStatus.Removed, (await store.GetRecordAsync("HO", "observed:" + mac, None))!.Record.Status);

        await processor.ProcessAsync([TestEvents.Message(TestEvents.Remove("HO", "NVR-7", 2))], None);
        await processor.ProcessAsync([TestEvents.Message(ObservedEvents.Observed("HO", "seen-3", mac: mac, observedAt: "2026-11-20T09:00:00Z", evidence: ObservedEvents.Dnvrs))], None);

        var own = (await store.GetRecordAsync("HO", "observed:" + mac, None))!.Record;
        Assert.Equal((ComplianceStatus.NonCompliant, Severity.Critical), (own.Status, own.Severity));
        Assert.Equal((ReconcileOutcomeKind.Unregistered, true), (own.Observation!.Outcome, own.Observation.NotRegistered));
        Assert.Equal(1, (await store.GetSummaryAsync("HO", None)).Counts.ObservedUnregistered);
    }

    /// <summary>
    /// The asset ids <c>observed:…</c> belong to the records observations make: a register event that names one is
    /// refused (a rejection saying why), so it can neither take over an observed device's record nor be taken over
    /// by the next observation; the good event beside it is applied.
    /// </summary>
    [Theory]
    [InlineData("observed:BC:AD:28:00:00:80", false)]
    [InlineData("observed:BC:AD:28:00:00:80", true)] // a removal would close the unregistered device's record
    [InlineData("observed:10.20.1.15", false)]
    [InlineData("OBSERVED:BC:AD:28:00:00:80", false)]
    public async Task A_register_event_naming_an_observed_asset_id_is_refused_and_the_observed_record_stays_as_seen(string assetId, bool removal)
    {
        var store = await azurite.CreateStoreAsync();
        var processor = ObservedEvents.Processor(store);
        await processor.ProcessAsync([TestEvents.Message(ObservedEvents.Observed("HO", "seen-1", mac: "BC:AD:28:00:00:80", evidence: ObservedEvents.Dnvrs))], None);

        var results = await processor.ProcessAsync([
            TestEvents.Message(removal ? TestEvents.Remove("HO", assetId, 5) : TestEvents.Upsert("HO", assetId, 5, manufacturer: "Axis")),
            TestEvents.Message(TestEvents.Upsert("HO", "CAM-GOOD", 1, manufacturer: "Axis")),
        ], None);

        Assert.Equal(MessageOutcome.Rejected, results[0].Outcome);
        Assert.Equal(MessageOutcome.Applied, results[1].Outcome);
        var rejection = Assert.Single(await store.GetRejectionsAsync("HO", None));
        Assert.Contains(rejection.Errors, e => e.Path == "$.data.assetId" && e.Message.Contains("observed:", StringComparison.Ordinal));
        var own = (await store.GetRecordAsync("HO", "observed:BC:AD:28:00:00:80", None))!.Record;
        Assert.Equal((ComplianceStatus.NonCompliant, true), (own.Status, own.Observation!.NotRegistered));
        Assert.Equal(1, (await store.GetSummaryAsync("HO", None)).Counts.ObservedUnregistered);
    }
    /// <summary>
    /// An unregistered device the pipeline cannot name (no MAC block, no fingerprint) gets a record of its own that is
    /// held for review, never Compliant: no register stands behind its blanks. An Axis MAC block may be Compliant.
    /// </summary>
    [Fact]
    public async Task An_unregistered_device_of_an_unknown_maker_is_NeedsReview_in_the_pipeline_never_Compliant()
    {
        var store = await azurite.CreateStoreAsync();
        var processor = ObservedEvents.Processor(store);
        await processor.ProcessAsync([
            TestEvents.Message(ObservedEvents.Observed("HO", "unknown-1", ip: "10.20.50.90", evidence: ("http-server", "Web Client"))),
            TestEvents.Message(ObservedEvents.Observed("HO", "axis-1", mac: "AC:CC:8E:0A:05:92", ip: "10.20.50.92")),
        ], None);

        var unknown = (await store.GetRecordAsync("HO", "observed:10.20.50.90", None))!.Record;
        Assert.Equal((ComplianceStatus.NeedsReview, ComplianceEvaluator.UnregisteredUnknownRule), (unknown.Status, unknown.Rule));
        Assert.Equal(ComplianceStatus.Compliant, (await store.GetRecordAsync("HO", "observed:AC:CC:8E:0A:05:92", None))!.Record.Status);
    }
    /// <summary>
    /// Evidence once seen is not forgotten because a later scan did not probe for it: a camera registered as "Secure
    /// Vision" that showed Hikvision NVR firmware stays contradicted and NonCompliant when the next scan sees only its
    /// MAC (a ping sweep, a closed port); the firmware seen before still counts.
    /// </summary>
    [Fact]
    public async Task A_later_scan_that_sees_less_never_clears_what_an_earlier_one_showed()
    {
        var store = await azurite.CreateStoreAsync();
        var processor = ObservedEvents.Processor(store);
        const string mac = "02:00:5E:10:00:01";
        await processor.ProcessAsync([TestEvents.Message(TestEvents.Upsert("HO", "CAM-SV", 1, manufacturer: "Secure Vision", mac: mac))], None);
        await processor.ProcessAsync([TestEvents.Message(ObservedEvents.Observed("HO", "full-scan", mac: mac, ip: "10.20.50.15", observedAt: "2026-11-01T09:00:00Z", evidence: ObservedEvents.Dnvrs))], None);
        var first = (await store.GetRecordAsync("HO", "CAM-SV", None))!.Record;
        Assert.Equal((ComplianceStatus.NonCompliant, ReconcileOutcomeKind.Contradicted), (first.Status, first.Observation!.Outcome));

        await processor.ProcessAsync([TestEvents.Message(ObservedEvents.Observed("HO", "ping-sweep", mac: mac, ip: "10.20.50.15", observedAt: "2026-11-30T09:00:00Z"))], None);

        var after = (await store.GetRecordAsync("HO", "CAM-SV", None))!.Record;
        Assert.Equal((ComplianceStatus.NonCompliant, first.Severity), (after.Status, after.Severity));
        Assert.Equal(ReconcileOutcomeKind.Contradicted, after.Observation!.Outcome);
        Assert.Contains(after.Observation.Evidence, e => e.Value == "DNVRS-Webs");
        Assert.Equal(DateTimeOffset.Parse("2026-11-30T09:00:00Z", System.Globalization.CultureInfo.InvariantCulture), after.Observation.LastSeenAt);
        Assert.Equal(1, (await store.GetSummaryAsync("HO", None)).Counts.ObservedContradicted);
    }
    /// <summary>
    /// An evidence item's tool is bounded like every other text (256 characters): one observation whose 64 tools are
    /// long random text would make a record row larger than Table Storage takes, and the failed commit would cost the
    /// good observations of its batch. It is a rejection naming the field; the good one beside it is applied.
    /// </summary>
    [Fact]
    public async Task An_observation_with_an_over_long_tool_is_a_rejection_and_the_good_one_beside_it_is_applied()
    {
        var store = await azurite.CreateStoreAsync();
        var processor = ObservedEvents.Processor(store);
        var random = new Random(18);
        var big = System.Text.Json.Nodes.JsonNode.Parse(ObservedEvents.Observed("HO", "big-tools", mac: "BC:AD:28:00:00:A1"))!;
        big["data"]!["evidence"] = new System.Text.Json.Nodes.JsonArray([.. Enumerable.Range(0, 64).Select(i => (System.Text.Json.Nodes.JsonNode)new System.Text.Json.Nodes.JsonObject
        {
            ["signal"] = "http-title",
            ["value"] = $"t{i}",
            ["tool"] = new string([.. Enumerable.Range(0, 3000).Select(_ => (char)random.Next('!', '~'))]),
        })]);

        var results = await processor.ProcessAsync([
            TestEvents.Message(big.ToJsonString()),
            TestEvents.Message(ObservedEvents.Observed("HO", "good", mac: "BC:AD:28:00:00:A2", evidence: ObservedEvents.Dnvrs)),
        ], None);

        Assert.Equal([MessageOutcome.Rejected, MessageOutcome.Applied], results.Select(r => r.Outcome));
        var rejection = Assert.Single(await store.GetRejectionsAsync("HO", None));
        Assert.Contains(rejection.Errors, e => e.Path == "$.data.evidence[0].tool");
        Assert.NotNull(await store.GetRecordAsync("HO", "observed:BC:AD:28:00:00:A2", None));
    }
    /// <summary>
    /// The largest observation the contract admits (16 addresses of each kind, every text at its bound, 64 evidence
    /// items of random text that all match a Hikvision firmware fingerprint), sent twice so that the remembered
    /// evidence is merged, commits: the bounds keep a full observation within a record and history row.
    /// </summary>
    [Fact]
    public async Task The_largest_observation_the_contract_admits_commits_and_is_evaluated()
    {
        var store = await azurite.CreateStoreAsync();
        var processor = ObservedEvents.Processor(store);
        var random = new Random(1818);
        string Noise(int length) => new([.. Enumerable.Range(0, length).Select(_ => (char)random.Next('!', '~'))]);
        string Largest(string id, string at)
        {
            var node = System.Text.Json.Nodes.JsonNode.Parse(ObservedEvents.Observed("HO", id, observedAt: at))!;
            var data = node["data"]!;
            data["observer"] = Noise(256);
            data["ipAddresses"] = new System.Text.Json.Nodes.JsonArray([.. Enumerable.Range(1, 16).Select(i => (System.Text.Json.Nodes.JsonNode)$"10.20.1.{i}")]);
            data["macAddresses"] = new System.Text.Json.Nodes.JsonArray([.. Enumerable.Range(1, 16).Select(i => (System.Text.Json.Nodes.JsonNode)$"BC:AD:28:00:01:{i:X2}")]);
            data["hostname"] = Noise(256);
            data["serialNumber"] = Noise(256);
            data["model"] = Noise(256);
            data["reportedType"] = Noise(256);
            data["evidence"] = new System.Text.Json.Nodes.JsonArray([.. Enumerable.Range(0, 64).Select(i => (System.Text.Json.Nodes.JsonNode)new System.Text.Json.Nodes.JsonObject
            {
                ["signal"] = "http-server",
                ["value"] = "DNVRS-Webs " + Noise(245),
                ["tool"] = Noise(64),
                ["port"] = i,
            })]);
            return node.ToJsonString();
        }

        var first = await processor.ProcessAsync([TestEvents.Message(Largest("largest-1", "2026-11-01T09:00:00Z"))], None);
        var second = await processor.ProcessAsync([TestEvents.Message(Largest("largest-2", "2026-11-02T09:00:00Z"))], None);

        Assert.Equal([MessageOutcome.Applied, MessageOutcome.Applied], first.Concat(second).Select(r => r.Outcome));
        var record = (await store.GetRecordAsync("HO", "observed:BC:AD:28:00:01:01", None))!.Record;
        Assert.Equal((ComplianceStatus.NonCompliant, "hikvision"), (record.Status, record.Vendor?.Key));
        Assert.Equal(64, record.Observation!.Evidence.Count);
    }
    /// <summary>An outbox row written before alerts were stored compressed (the alert as JSON text) still reads.</summary>
    [Fact]
    public async Task An_outbox_row_written_with_the_alert_as_text_still_reads()
    {
        var store = await azurite.CreateStoreAsync();
        await ObservedEvents.Processor(store).ProcessAsync([TestEvents.Message(ObservedEvents.Observed("HO", "alerting", mac: "BC:AD:28:00:00:B1", evidence: ObservedEvents.Dnvrs))], None);
        var pending = new[] { Core.Alerting.OutboxState.Pending };
        var written = Assert.Single(await store.GetOutboxEntriesAsync("HO", pending, None));
        var assets = new global::Azure.Data.Tables.TableServiceClient(azurite.ConnectionString).GetTableClient(store.TablePrefix + "Assets");
        var row = await assets.QueryAsync<global::Azure.Data.Tables.TableEntity>(e => e.PartitionKey == "HO").FirstAsync(e => e.ContainsKey("AlertGz"));
        Assert.True(row.Remove("AlertGz"));
        row["Alert"] = System.Text.Json.JsonSerializer.Serialize(written.Alert, ComplianceJson.Options);
        await assets.UpdateEntityAsync(row, row.ETag, global::Azure.Data.Tables.TableUpdateMode.Replace);

        var read = Assert.Single(await store.GetOutboxEntriesAsync("HO", pending, None));
        Assert.Equal((written.Alert.Id, written.Alert.Kind, written.Alert.Record.AssetId), (read.Alert.Id, read.Alert.Kind, read.Alert.Record.AssetId));
    }
    /// <summary>
    /// An observation dated more than a day after it arrives (a scanner's clock years ahead) is a rejection: stored, it
    /// would be "the latest" for ever, so every real observation after it would be kept in the history only and a
    /// Hikvision firmware seen then would never count. The real one beside it is applied; a day's skew is accepted.
    /// </summary>
    [Fact]
    public async Task An_observation_dated_in_the_future_is_a_rejection_and_never_hides_the_real_ones_after_it()
    {
        var store = await azurite.CreateStoreAsync();
        var now = DateTimeOffset.Parse("2026-12-01T09:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        var processor = ObservedEvents.Processor(store, new ManualTime(now));
        const string mac = "BC:AD:28:00:00:C1";
        var results = await processor.ProcessAsync([
            TestEvents.Message(ObservedEvents.Observed("HO", "from-2099", mac: mac, observedAt: "2099-01-01T00:00:00Z")),
            TestEvents.Message(ObservedEvents.Observed("HO", "skewed", mac: "BC:AD:28:00:00:C2", observedAt: "2026-12-01T20:00:00Z")),
        ], None);
        Assert.Equal([MessageOutcome.Rejected, MessageOutcome.Applied], results.Select(r => r.Outcome));
        Assert.Contains(Assert.Single(await store.GetRejectionsAsync("HO", None)).Errors, e => e.Path == "$.data.observedAt");

        await processor.ProcessAsync([TestEvents.Message(ObservedEvents.Observed("HO", "real", mac: mac, observedAt: "2026-12-01T08:00:00Z", evidence: ObservedEvents.Dnvrs))], None);
        var record = (await store.GetRecordAsync("HO", "observed:" + mac, None))!.Record;
        Assert.Equal((ComplianceStatus.NonCompliant, "real"), (record.Status, record.Observation!.EventId));
    }

    /// <summary>
    /// A register event whose id is what an observation's command would be (<c>observed/scan-9</c>) does not make the
    /// observation look applied: the Hikvision firmware it shows is weighed, and the count moves.
    /// </summary>
    [Fact]
    public async Task A_register_event_with_an_observation_s_command_id_does_not_swallow_the_observation()
    {
        var store = await azurite.CreateStoreAsync();
        var processor = ObservedEvents.Processor(store);
        const string mac = "02:00:5E:10:00:09";
        await processor.ProcessAsync([TestEvents.Message(TestEvents.Upsert("HO", "CAM-9", 1, manufacturer: "Axis", mac: mac, sensitive: false, id: "observed/scan-9"))], None);

        var result = Assert.Single(await processor.ProcessAsync([TestEvents.Message(ObservedEvents.Observed("HO", "scan-9", mac: mac, ip: "10.20.50.9", evidence: ObservedEvents.Dnvrs))], None));

        Assert.Equal((MessageOutcome.Applied, "CAM-9"), (result.Outcome, result.AssetId));
        var record = (await store.GetRecordAsync("HO", "CAM-9", None))!.Record;
        Assert.Equal(ReconcileOutcomeKind.Contradicted, record.Observation!.Outcome);
        Assert.Equal(1, (await store.GetSummaryAsync("HO", None)).Counts.ObservedContradicted);
    }

    /// <summary>
    /// One MAC in two departments' registers (a copied row, a device moved): an observation HO sends is matched
    /// within HO only. MOJ's record is neither matched, changed, counted nor made ambiguous by it, and MOJ's own
    /// observation of the MAC is matched to MOJ's record alone.
    /// </summary>
    [Fact]
    public async Task A_MAC_registered_in_two_departments_is_matched_within_the_sender_s_department_only()
    {
        var store = await azurite.CreateStoreAsync();
        var processor = ObservedEvents.Processor(store);
        const string mac = "BC:AD:28:00:07:01";
        await processor.ProcessAsync([
            TestEvents.Message(TestEvents.Upsert("HO", "HO-NVR", 1, deviceType: "nvr", mac: mac)),
            TestEvents.Message(TestEvents.Upsert("MOJ", "MOJ-NVR", 1, deviceType: "nvr", mac: mac)),
        ], None);
        var moj = await store.GetRecordAsync("MOJ", "MOJ-NVR", None);

        var results = await processor.ProcessAsync([TestEvents.Message(ObservedEvents.Observed("HO", "ho-scan", mac: mac, evidence: ObservedEvents.Dnvrs))], None);

        Assert.Equal(("HO-NVR", ReconcileOutcomeKind.Confirmed), (Assert.Single(results).AssetId, (await store.GetRecordAsync("HO", "HO-NVR", None))!.Record.Observation!.Outcome));
        Assert.Equal(moj!.ETag, (await store.GetRecordAsync("MOJ", "MOJ-NVR", None))!.ETag);
        Assert.Null(await store.GetRecordAsync("MOJ", "observed:" + mac, None));

        var mine = await processor.ProcessAsync([TestEvents.Message(ObservedEvents.Observed("MOJ", "moj-scan", mac: mac))], None);
        Assert.Equal("MOJ-NVR", Assert.Single(mine).AssetId);
        Assert.Equal((0, 0), ((await store.GetSummaryAsync("MOJ", None)).Counts.ObservedUnregistered, (await store.GetSummaryAsync("MOJ", None)).Counts.ObservedContradicted));
    }

    /// <summary>
    /// An observation whose host name is one of the pipeline's own asset ids (<c>observed:…</c>) matches nothing by
    /// it (those records are no register entries), and one that names another department's record changes nothing there.
    /// </summary>
    [Theory]
    [InlineData("observed:BC:AD:28:00:07:10")]
    [InlineData("OBSERVED:bc:ad:28:00:07:10")]
    [InlineData("observed:10.20.50.110.ho.internal")]
    public async Task An_observation_named_after_an_observed_record_is_not_matched_to_it(string hostname)
    {
        var store = await azurite.CreateStoreAsync();
        var processor = ObservedEvents.Processor(store);
        await processor.ProcessAsync([TestEvents.Message(ObservedEvents.Observed("HO", "first", mac: "BC:AD:28:00:07:10", evidence: ObservedEvents.Dnvrs))], None);
        var own = await store.GetRecordAsync("HO", "observed:BC:AD:28:00:07:10", None);

        var result = Assert.Single(await processor.ProcessAsync([TestEvents.Message(ObservedEvents.Observed("HO", "named", ip: "10.20.50.111", hostname: hostname))], None));

        Assert.Equal("observed:10.20.50.111", result.AssetId);
        Assert.Equal(own!.ETag, (await store.GetRecordAsync("HO", "observed:BC:AD:28:00:07:10", None))!.ETag);
        Assert.Equal(2, (await store.GetSummaryAsync("HO", None)).Counts.ObservedUnregistered);
    }

    /// <summary>
    /// Dates at the contract's ends: an observation from year 1 is taken (a device seen long ago is still a device,
    /// and never "the latest" over a real one), one dated more than a day ahead is refused; neither costs the batch.
    /// </summary>
    [Fact]
    public async Task Observations_dated_at_the_ends_of_time_neither_hide_a_device_nor_cost_the_batch()
    {
        var store = await azurite.CreateStoreAsync();
        var processor = ObservedEvents.Processor(store, new ManualTime(DateTimeOffset.Parse("2026-12-01T09:00:00Z", System.Globalization.CultureInfo.InvariantCulture)));
        const string mac = "BC:AD:28:00:07:20";

        var results = await processor.ProcessAsync([
            TestEvents.Message(ObservedEvents.Observed("HO", "year-1", mac: mac, observedAt: "0001-01-01T00:00:00Z", evidence: ObservedEvents.Dnvrs)),
            TestEvents.Message(ObservedEvents.Observed("HO", "year-9999", mac: mac, observedAt: "9999-12-31T23:59:59Z")),
            TestEvents.Message(ObservedEvents.Observed("HO", "now", mac: mac, observedAt: "2026-12-01T08:00:00Z")),
        ], None);

        Assert.Equal([MessageOutcome.Applied, MessageOutcome.Rejected, MessageOutcome.Applied], results.Select(r => r.Outcome));
        var record = (await store.GetRecordAsync("HO", "observed:" + mac, None))!.Record;
        Assert.Equal(("now", ComplianceStatus.NonCompliant), (record.Observation!.EventId, record.Status)); // the firmware seen in year 1 still counts
        Assert.Equal(DateTimeOffset.MinValue, record.Observation.FirstSeenAt);
    }
}
