using AssetCompliance.Core.Observations;
using AssetCompliance.Core.Policy;
using AssetCompliance.Core.Processing;
using AssetCompliance.Core.State;

namespace AssetCompliance.Integration.Tests;

/// <summary>
/// A reviewer's attacks on issue 18's pipeline half: records only observations make must neither be taken over by a
/// register nor stay closed when the device is seen unregistered again. Azurite for tables.
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
}
