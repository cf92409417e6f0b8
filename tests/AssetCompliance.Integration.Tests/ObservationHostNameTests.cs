using AssetCompliance.Core.Observations;
using AssetCompliance.Core.Processing;
using AssetCompliance.Core.Tests;

namespace AssetCompliance.Integration.Tests;

/// <summary>
/// The pipeline's matcher follows the offline reconciler's host-name rule (<see cref="HostNames"/>, the same cases as
/// Core.Tests' HostNameTests): a stored record is found by its asset id whatever the casing of the id or the name, by
/// a fully qualified name's first label, and without the trailing root dot. Azurite for tables.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ObservationHostNameTests(AzuriteFixture azurite)
{
    [Theory]
    [MemberData(nameof(HostNameCases.All), MemberType = typeof(HostNameCases))]
    public async Task The_pipeline_matches_host_names_by_the_one_rule(string assetId, string hostname, bool matches)
    {
        var store = await azurite.CreateStoreAsync();
        var processor = ObservedEvents.Processor(store);
        await processor.ProcessAsync([TestEvents.Message(TestEvents.Upsert("HO", assetId, 1, manufacturer: "Axis"))], CancellationToken.None);

        var result = Assert.Single(await processor.ProcessAsync([TestEvents.Message(ObservedEvents.Observed("HO", "named", ip: "10.20.50.5", hostname: hostname))], CancellationToken.None));

        Assert.Equal(MessageOutcome.Applied, result.Outcome);
        Assert.Equal(matches ? assetId : "observed:10.20.50.5", result.AssetId);
        var record = (await store.GetRecordAsync("HO", result.AssetId!, CancellationToken.None))!.Record;
        Assert.Equal(matches ? ("hostname", ReconcileOutcomeKind.Confirmed) : (null, ReconcileOutcomeKind.Unregistered), (record.Observation!.MatchedBy, record.Observation.Outcome));
    }

    [Fact]
    public async Task The_whole_name_wins_over_its_first_label_and_two_ids_differing_only_in_case_are_ambiguous()
    {
        var store = await azurite.CreateStoreAsync();
        var processor = ObservedEvents.Processor(store);
        await processor.ProcessAsync([
            TestEvents.Message(TestEvents.Upsert("HO", "cam-11.ho", 1, manufacturer: "Axis")),
            TestEvents.Message(TestEvents.Upsert("HO", "CAM-11", 1, manufacturer: "Axis")),
            TestEvents.Message(TestEvents.Upsert("HO", "Cam-12", 1, manufacturer: "Axis")),
            TestEvents.Message(TestEvents.Upsert("HO", "CAM-12", 1, manufacturer: "Axis")),
        ], CancellationToken.None);

        var results = await processor.ProcessAsync([
            TestEvents.Message(ObservedEvents.Observed("HO", "whole", ip: "10.20.50.6", hostname: "cam-11.ho")),
            TestEvents.Message(ObservedEvents.Observed("HO", "cased", ip: "10.20.50.7", hostname: "cam-12.ho.internal")),
        ], CancellationToken.None);

        Assert.Equal(["cam-11.ho", "observed:10.20.50.7"], results.Select(r => r.AssetId));
        var ambiguous = (await store.GetRecordAsync("HO", "observed:10.20.50.7", CancellationToken.None))!.Record.Observation!;
        Assert.Equal((ReconcileOutcomeKind.Ambiguous, "hostname"), (ambiguous.Outcome, ambiguous.MatchedBy));
        Assert.Equal(["CAM-12", "Cam-12"], ambiguous.Candidates.Order(StringComparer.Ordinal));
    }
}
