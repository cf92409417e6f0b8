using System.Net;
using AssetCompliance.Core.Observations;
using static AssetCompliance.Core.Tests.ObservationTestData;

namespace AssetCompliance.Core.Tests;

/// <summary>The one host-name rule (<see cref="HostNames"/>) and the offline reconciler following it.</summary>
public sealed class HostNameTests
{
    [Theory]
    [InlineData("ho-cam-1.ho.internal", new[] { "ho-cam-1.ho.internal", "ho-cam-1" })]
    [InlineData("ho-cam-1.ho.internal.", new[] { "ho-cam-1.ho.internal", "ho-cam-1" })]
    [InlineData("HO-CAM-1", new[] { "HO-CAM-1" })]
    [InlineData("HO-CAM-1.", new[] { "HO-CAM-1" })]
    [InlineData("10.20.1.15", new[] { "10.20.1.15" })]
    [InlineData("fe80::1", new[] { "fe80::1" })]
    [InlineData(".", new string[0])]
    [InlineData("  ", new string[0])]
    [InlineData(".hidden", new[] { ".hidden" })]
    public void A_host_name_names_an_entry_by_itself_and_its_first_label_without_the_root_dot(string hostname, string[] candidates) =>
        Assert.Equal(candidates, HostNames.Candidates(hostname));

    [Theory]
    [MemberData(nameof(HostNameCases.All), MemberType = typeof(HostNameCases))]
    public void The_reconciler_matches_host_names_by_the_one_rule(string assetId, string hostname, bool matches)
    {
        var seen = new DeviceObservation { Observer = "nmap", Source = "test", IpAddresses = [IPAddress.Parse("10.20.50.5")], Hostnames = [hostname] };

        var outcomes = Reconciling.Value.Reconcile([Entry(assetId, "Axis")], [seen], new ReconcileOptions());

        var observed = Assert.Single(outcomes, o => o.Observation is not null);
        Assert.Equal(matches ? ReconcileOutcomeKind.Confirmed : ReconcileOutcomeKind.Unregistered, observed.Outcome);
        Assert.Equal(matches ? "hostname" : null, observed.MatchedBy);
    }

    /// <summary>The whole name is the more specific: an entry named by it is the match, not also the one named by its first label.</summary>
    [Fact]
    public void The_whole_name_wins_over_its_first_label()
    {
        var seen = new DeviceObservation { Observer = "nmap", Source = "test", IpAddresses = [IPAddress.Parse("10.20.50.6")], Hostnames = ["cam-11.ho"] };

        var outcome = Assert.Single(Reconciling.Value.Reconcile([Entry("cam-11.ho", "Axis"), Entry("CAM-11", "Axis", line: 3)], [seen], new ReconcileOptions()), o => o.Observation is not null);

        Assert.Equal((ReconcileOutcomeKind.Confirmed, "cam-11.ho"), (outcome.Outcome, outcome.Registered!.AssetId));
    }
}
