using AssetCompliance.Core.Alerting;
using AssetCompliance.Core.Catalogue;
using AssetCompliance.Core.Policy;
using AssetCompliance.Core.State;

namespace AssetCompliance.Integration.Tests;

/// <summary>
/// The re-evaluation sweep as it runs for speed (Azurite): pages planned on the records its scan read, the next page
/// planned while the previous commits, and transactions that leave the department's counts alone committed side by
/// side without the summary row. What it writes must be exactly what one change at a time would write.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ReevaluationSweepTests(AzuriteFixture azurite)
{
    private static readonly CancellationToken None = CancellationToken.None;

    /// <summary>Hikvision NVRs (NonCompliant, Advisory once NVRs leave the policy), Hikvision cameras (stay NonCompliant), Axis cameras and NVRs (Compliant).</summary>
    private static string Device(int i) => (i % 4) switch
    {
        0 => TestEvents.Upsert("HO", $"A{i:D4}", 1, deviceType: "nvr"),
        1 => TestEvents.Upsert("HO", $"A{i:D4}", 1),
        2 => TestEvents.Upsert("HO", $"A{i:D4}", 1, manufacturer: "Axis"),
        _ => TestEvents.Upsert("HO", $"A{i:D4}", 1, manufacturer: "Axis", deviceType: "nvr"),
    };

    [Fact]
    public async Task A_sweep_over_many_pages_keeps_counts_open_index_history_and_alerts_as_one_change_at_a_time_would()
    {
        var store = await azurite.CreateStoreAsync();
        await TestEvents.Processor(store).ProcessAsync(Enumerable.Range(0, 1000).Select(i => TestEvents.Message(Device(i))).ToArray(), None);
        var policy = SweepAndExemptionTests.PolicyWithoutNvrs();

        // Pages of 100: ten pages, two in flight, most transactions without the summary row.
        var report = await SweepAndExemptionTests.Sweeps(azurite.OpenStore(store), policy, TimeProvider.System, pageSize: 100).ReevaluateAsync(None);

        Assert.Equal((1000, 1000, true), (report.Examined, report.Changed, report.Complete));
        var summary = await store.GetSummaryAsync("HO", None);
        var counted = await TestEvents.CountByScanAsync(store, "HO");
        foreach (var status in Enum.GetValues<ComplianceStatus>())
            Assert.Equal(counted.ByStatus.GetValueOrDefault(status), summary.Counts.ByStatus.GetValueOrDefault(status));
        foreach (var severity in Enum.GetValues<Severity>())
            Assert.Equal(counted.NonCompliantBySeverity.GetValueOrDefault(severity), summary.Counts.NonCompliantBySeverity.GetValueOrDefault(severity));
        Assert.Equal((250L, 250L, 500L), (summary.Counts.ByStatus[ComplianceStatus.Advisory], summary.Counts.ByStatus[ComplianceStatus.NonCompliant], summary.Counts.ByStatus[ComplianceStatus.Compliant]));
        Assert.Equal(await TestEvents.OldestOpenByScanAsync(store, "HO"), summary.OldestOpenNonCompliant?.AssetId);
        await TestEvents.AssertColumnsAgreeAsync(store, "HO", DateTimeOffset.UtcNow);

        // Every record carries the new versions and exactly one re-evaluation, whether its verdict moved or not.
        await foreach (var stored in store.FindRecordsAsync("HO", new RecordFilter.All(), None))
        {
            Assert.Equal((VendorCatalogue.Default.Version, policy.Version), (stored.Record.CatalogueVersion, stored.Record.PolicyVersion));
        }

        var nvr = await store.GetHistoryAsync("HO", "A0000", None);
        Assert.Equal([HistoryOutcome.Applied, HistoryOutcome.Reevaluated], nvr.Select(h => h.Outcome));
        Assert.Equal((ComplianceStatus.NonCompliant, ComplianceStatus.Advisory), (nvr[1].StatusBefore!.Value, nvr[1].StatusAfter!.Value));
        var camera = await store.GetHistoryAsync("HO", "A0001", None);
        Assert.Equal([HistoryOutcome.Applied, HistoryOutcome.Reevaluated], camera.Select(h => h.Outcome));
        Assert.Equal((ComplianceStatus.NonCompliant, ComplianceStatus.NonCompliant), (camera[1].StatusBefore!.Value, camera[1].StatusAfter!.Value));

        // One Resolved alert per NVR whose verdict moved, none for the records whose verdict stayed.
        var alerts = (await store.GetOutboxEntriesAsync("HO", Enum.GetValues<OutboxState>(), None))
            .Where(e => e.Alert.CauseId.StartsWith("reevaluate/", StringComparison.Ordinal)).ToArray();
        Assert.All(alerts, e => Assert.Equal(AlertKind.Resolved, e.Alert.Kind));
        Assert.Equal(Enumerable.Range(0, 1000).Where(i => i % 4 == 0).Select(i => $"A{i:D4}"), alerts.Select(e => e.Alert.AssetId).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_record_changed_after_the_scan_read_it_is_read_again_and_reevaluated_on_its_new_state()
    {
        var store = await azurite.CreateStoreAsync();
        await TestEvents.Processor(store).ProcessAsync(Enumerable.Range(0, 4).Select(i => TestEvents.Message(Device(i))).ToArray(), None);
        var policy = SweepAndExemptionTests.PolicyWithoutNvrs();

        // Another instance applies revision 2 of A0001 (now an Axis camera: Compliant) after the sweep's scan read
        // revision 1 and before its commit: the sweep's write of A0001 must lose on its ETag, not overwrite revision 2.
        var other = TestEvents.Processor(azurite.OpenStore(store));
        var interfering = new BeforeFirstCommitStore(azurite.OpenStore(store),
            () => other.ProcessAsync([TestEvents.Message(TestEvents.Upsert("HO", "A0001", 2, manufacturer: "Axis"))], None));
        var report = await SweepAndExemptionTests.Sweeps(interfering, policy, TimeProvider.System).ReevaluateAsync(None);

        Assert.Equal((4, 4), (report.Examined, report.Changed));
        var record = (await store.GetRecordAsync("HO", "A0001", None))!.Record;
        Assert.Equal((2L, ComplianceStatus.Compliant, policy.Version), (record.Revision, record.Status, record.PolicyVersion));
        var history = await store.GetHistoryAsync("HO", "A0001", None);
        Assert.Equal([(HistoryOutcome.Applied, 1L), (HistoryOutcome.Applied, 2L), (HistoryOutcome.Reevaluated, 2L)], history.Select(h => (h.Outcome, h.Revision)));
        var summary = await store.GetSummaryAsync("HO", None);
        Assert.Equal((1L, 0L, 3L), (summary.Counts.ByStatus[ComplianceStatus.Advisory], summary.Counts.ByStatus[ComplianceStatus.NonCompliant], summary.Counts.ByStatus[ComplianceStatus.Compliant]));
        Assert.Equal((await TestEvents.CountByScanAsync(store, "HO")).ByStatus[ComplianceStatus.Compliant], summary.Counts.ByStatus[ComplianceStatus.Compliant]);
    }

    /// <summary>Runs <paramref name="interference"/> once, just before the first commit goes to storage.</summary>
    private sealed class BeforeFirstCommitStore(StateStores inner, Func<Task> interference) : StateStores(inner)
    {
        private int _commits;

        public override async Task<CommitReport> CommitAsync(string department, IReadOnlyList<AssetChange> changes, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _commits) == 1)
            {
                await interference();
            }

            return await base.CommitAsync(department, changes, cancellationToken);
        }
    }
}
