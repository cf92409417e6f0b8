using System.Net;
using System.Text;
using AssetCompliance.Core.Events;
using AssetCompliance.Core.Observations;

namespace AssetCompliance.Core.Tests;

/// <summary>What <c>push --observations</c> sends: one contract v1.1 event per device, valid under schema and parser, with stable ids, and the contract's limits kept with a warning rather than the device lost.</summary>
public sealed class ObservationEventWriterTests
{
    private static readonly DateTimeOffset FileTime = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);

    private static bool SchemaValid(byte[] json) => ObservationEventTests.SchemaValid(ObservationEventTests.Schema.Value, Encoding.UTF8.GetString(json));

    [Fact]
    public void An_observation_becomes_one_valid_event_of_the_department_that_reads_back_the_same_with_a_stable_id()
    {
        var observation = new DeviceObservation
        {
            Observer = "nmap",
            Source = "scan.xml:12",
            ObservedAt = new DateTimeOffset(2026, 11, 30, 10, 4, 12, TimeSpan.FromHours(1)),
            IpAddresses = [IPAddress.Parse("10.20.1.15")],
            MacAddresses = [new MacAddress(0xBCAD284F1199)],
            Hostnames = ["rec-2ms-01"],
            Evidence = [new ObservedEvidence(ObservedSignal.HttpServer, "DNVRS-Webs", "nmap", 80)],
        };

        var draft = ObservationEventWriter.Write(observation, "HO", FileTime);

        Assert.Empty(draft.Errors);
        Assert.Empty(draft.Warnings);
        Assert.True(SchemaValid(draft.Event!));
        var read = ObservationEventParser.Parse(draft.Event!);
        Assert.Equal(("HO", draft.EventId), (read.Department, read.EventId));
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 9, 4, 12, TimeSpan.Zero), read.Observation!.ObservedAt);
        Assert.Equal(observation.Evidence, read.Observation.Evidence);
        Assert.Equal(observation.MacAddresses, read.Observation.MacAddresses);
        Assert.Equal(draft.EventId, ObservationEventWriter.Write(observation, "HO", FileTime.AddDays(1)).EventId); // the tool's time, not the file's
        Assert.NotEqual(draft.EventId, ObservationEventWriter.Write(observation, "MOJ", FileTime).EventId);
        Assert.Equal(FileTime, ObservationEventParser.Parse(ObservationEventWriter.Write(observation with { ObservedAt = null }, "HO", FileTime).Event!).Observation!.ObservedAt);
    }

    [Fact]
    public void What_exceeds_the_contract_is_shortened_or_left_out_with_a_warning_and_the_device_is_still_sent()
    {
        var observation = new DeviceObservation
        {
            Observer = "nmap",
            Source = "scan.xml:40",
            ObservedAt = FileTime,
            IpAddresses = [.. Enumerable.Range(1, 20).Select(i => IPAddress.Parse($"10.20.1.{i}"))],
            Evidence = [new ObservedEvidence(ObservedSignal.TlsSubject, "CN=" + new string('x', 400), "nmap " + new string('v', 100), 443),
                .. Enumerable.Range(0, 70).Select(i => new ObservedEvidence(ObservedSignal.HttpTitle, $"title {i}", "nmap", 80))],
        };

        var draft = ObservationEventWriter.Write(observation, "HO", FileTime);

        Assert.Empty(draft.Errors);
        Assert.Equal(4, draft.Warnings.Count); // addresses, evidence items, the value, the tool
        Assert.True(SchemaValid(draft.Event!));
        var read = ObservationEventParser.Parse(draft.Event!).Observation!;
        Assert.Equal(ObservedDeviceData.MaxAddresses, read.IpAddresses.Count);
        Assert.Equal(ObservedDeviceData.MaxEvidence, read.Evidence.Count);
        Assert.Equal(AssetEventParser.MaxTextLength, read.Evidence[0].Value.Length);
        Assert.StartsWith("CN=xxx", read.Evidence[0].Value, StringComparison.Ordinal);
        Assert.Equal(ObservedDeviceData.MaxToolLength, read.Evidence[0].Tool.Length);
    }

    [Fact]
    public void An_observation_the_contract_cannot_carry_is_not_sent_with_the_parser_s_reason()
    {
        var observation = new DeviceObservation { Observer = "nmap", Source = "scan.xml:7", ObservedAt = FileTime, Hostnames = ["only-a-name"] };

        var draft = ObservationEventWriter.Write(observation, "HO", FileTime);

        Assert.Null(draft.Event);
        Assert.Contains(draft.Errors, e => e.Contains("at least one IP address or MAC address", StringComparison.Ordinal));
    }
}

/// <summary>
/// MACs that name no device (all zeros, broadcast, a multicast group: what tools write when they do not know) are no
/// identity: the contract refuses them, push leaves them out with a warning, and reconcile never merges or matches by them.
/// </summary>
public sealed class PlaceholderMacTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);

    private static DeviceObservation Seen(string ip, string mac, params ObservedEvidence[] evidence) => new()
    {
        Observer = "defender",
        Source = "inventory.csv",
        ObservedAt = At,
        IpAddresses = [IPAddress.Parse(ip)],
        MacAddresses = [MacAddress.TryParse(mac, out var m) ? m : throw new ArgumentException(mac)],
        Evidence = evidence,
    };

    [Theory]
    [InlineData("00:00:00:00:00:00")]
    [InlineData("FF:FF:FF:FF:FF:FF")]
    [InlineData("01:00:5E:00:00:FB")]
    public void A_placeholder_mac_is_refused_by_the_contract_left_out_by_push_and_never_a_key_in_reconcile(string mac)
    {
        Assert.False(MacAddress.TryParse(mac, out var parsed) && parsed.NamesDevice);

        var draft = ObservationEventWriter.Write(Seen("10.20.50.7", mac), "HO", At);
        Assert.Empty(draft.Errors);
        Assert.Contains(draft.Warnings, w => w.Contains(mac, StringComparison.Ordinal));
        var read = ObservationEventParser.Parse(draft.Event!).Observation!;
        Assert.Empty(read.MacAddresses);

        var body = System.Text.Json.Nodes.JsonNode.Parse(draft.Event!)!;
        body["data"]!["macAddresses"] = new System.Text.Json.Nodes.JsonArray(mac);
        var refused = ObservationEventParser.Parse(System.Text.Encoding.UTF8.GetBytes(body.ToJsonString()));
        Assert.Null(refused.Observation);
        Assert.Contains(refused.Errors, e => e.Path == "$.data.macAddresses[0]");

        // Two devices a tool gave the same placeholder: two unregistered devices, and no register entry matched by it.
        var register = new[] { ObservationTestData.Entry("HO-1", "Axis", mac) };
        var outcomes = ObservationTestData.Reconciling.Value.Reconcile(register,
            [Seen("10.20.3.40", mac, new ObservedEvidence(ObservedSignal.HttpServer, "DNVRS-Webs", "nmap", 80)), Seen("10.20.50.9", mac)], new ReconcileOptions { Now = At });
        Assert.Equal(2, outcomes.Count(o => o.Outcome == ReconcileOutcomeKind.Unregistered));
        Assert.Contains(outcomes, o => o.Outcome == ReconcileOutcomeKind.NotSeen && o.Registered!.AssetId == "HO-1");
    }
}
