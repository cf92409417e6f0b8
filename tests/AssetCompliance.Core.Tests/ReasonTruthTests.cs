using System.Text.RegularExpressions;
using AssetCompliance.Core.Catalogue;
using AssetCompliance.Core.Events;
using AssetCompliance.Core.Policy;

namespace AssetCompliance.Core.Tests;

/// <summary>
/// Every reason states only what is true of its device: for a grid of devices (network segment x site sensitivity x
/// device type x kind of maker), each statement a reason makes about the segment, the site or a relabel is checked
/// against the input.
/// </summary>
public sealed partial class ReasonTruthTests
{
    private static readonly DeviceIdentifier Identifier = new(VendorCatalogue.Default);
    private static readonly ComplianceEvaluator Evaluator = new(CompliancePolicy.Default);

    // Kinds of maker: (manufacturer, model, MAC).
    private static readonly (string Kind, string? Manufacturer, string? Model, string? Mac)[] Makers =
    [
        ("prc", "Hikvision", "DS-2CD2143G2-I", "BC:AD:28:4F:11:02"),
        ("trusted", "Axis", "P3245-LVE", "AC:CC:8E:0A:1B:2C"),
        ("contested", "Reolink", null, null),
        ("registry-only", "Intel", null, "00:D0:B7:12:34:56"),
        ("unknown", "Acme", null, null),
        ("blank", null, null, null),
        ("relabel", "Axis", "DS-2CD2143G2-I", "BC:AD:28:4F:11:02"),
        ("trusted-relabel", "Acme Security", "P3245-LVE", "AC:CC:8E:0A:1B:2C"),
        ("conflict", "Hikvision", null, "AC:CC:8E:0A:1B:2C"),
        ("no-maker-mac", "Acme", null, "00:00:00:00:00:00"),
        ("mainland-registrant", "Acme", null, "00:01:7A:12:34:56"),
    ];

    public static TheoryData<string> MakerKinds() => [.. Makers.Select(m => m.Kind)];

    [Theory]
    [MemberData(nameof(MakerKinds))]
    public void Every_reason_states_only_what_is_true_of_the_device(string makerKind)
    {
        var (_, manufacturer, model, mac) = Makers.Single(m => m.Kind == makerKind);
        var identification = Identifier.Identify(manufacturer, model, mac);
        var checkedReasons = 0;
        foreach (var segment in new NetworkSegment?[] { NetworkSegment.Core, NetworkSegment.Segregated, NetworkSegment.Standalone, null })
        {
            foreach (var sensitive in new bool?[] { true, false, null })
            {
                foreach (var type in new DeviceType?[] { DeviceType.Camera, DeviceType.Nvr, DeviceType.Network, DeviceType.AccessControl, null })
                {
                    var device = EvidenceTableTests.Camera(manufacturer, model, mac, sensitive, segment) with { DeviceType = type };
                    var evaluation = Evaluator.Evaluate(AssetEventKind.Upserted, device, identification);
                    var context = $"{makerKind} {type} sensitive={sensitive} segment={segment}: {evaluation.Rule}";
                    Assert.NotEmpty(evaluation.Reasons);
                    foreach (var reason in evaluation.Reasons)
                    {
                        CheckFacts(reason, device, identification, $"{context}\n  \"{reason}\"");
                        checkedReasons++;
                    }
                }
            }
        }

        Assert.True(checkedReasons >= 60);
    }

    private static void CheckFacts(string reason, RegisteredDevice device, Identification identification, string context)
    {
        // Negations that hide which fact they deny ("neither … nor on the core network") are not allowed at all.
        Assert.False(NeitherNor().IsMatch(reason), "an ambiguous negation: " + context);
        Assert.DoesNotContain("not visual surveillance at a sensitive site", reason);

        // Segment.
        if (OnCore().IsMatch(reason)) Assert.True(device.NetworkSegment == NetworkSegment.Core, "says core network: " + context);
        foreach (Match m in OnNamedNetwork().Matches(reason))
        {
            Assert.True(device.NetworkSegment?.ToWire() == m.Groups[1].Value, "says the network: " + context);
        }

        if (reason.Contains("does not say which network", StringComparison.Ordinal)) Assert.Null(device.NetworkSegment);

        // Site.
        if (AtSensitiveSite().IsMatch(reason)) Assert.True(device.Site?.Sensitive == true, "says sensitive: " + context);
        if (reason.Contains("site is not sensitive", StringComparison.Ordinal)) Assert.True(device.Site?.Sensitive == false, "says not sensitive: " + context);
        if (reason.Contains("does not say whether the site is sensitive", StringComparison.Ordinal)) Assert.Null(device.Site?.Sensitive);

        // Type.
        if (NotSurveillance().Match(reason) is { Success: true } type)
        {
            Assert.True(device.DeviceType?.ToWire() == type.Groups[1].Value && !CompliancePolicy.Default.VisualSurveillanceTypes.Contains(device.DeviceType!.Value), "says not surveillance: " + context);
        }

        if (reason.Contains("does not record the device type", StringComparison.Ordinal)) Assert.Null(device.DeviceType);

        // Relabel and registry.
        if (reason.Contains("hardware evidence", StringComparison.Ordinal) || reason.Contains("(OEM relabel)", StringComparison.Ordinal))
        {
            Assert.True(identification.RelabelSuspected, "says relabel: " + context);
        }

        if (reason.StartsWith("Its MAC address is registered to ", StringComparison.Ordinal))
        {
            Assert.Contains(identification.Evidence, e => e.IsRegisteredBlock && reason.Contains(e.Matched, StringComparison.Ordinal));
        }

        if (reason.Contains("could not be identified", StringComparison.Ordinal)) Assert.Null(identification.Vendor);
    }

    [Fact]
    public void A_cisco_switch_on_the_core_network_is_named_and_not_told_it_is_off_the_core_network()
    {
        // The issue's case. Cisco is now a catalogue vendor (a trusted maker): the reason names it, and says nothing
        // untrue about the network it is on.
        var device = EvidenceTableTests.Camera("Cisco", "C9300-48P", "00:00:0C:12:34:56", true, NetworkSegment.Core) with { DeviceType = DeviceType.Network };
        var identification = Identifier.Identify(device.Manufacturer, device.Model, device.MacAddress);
        var evaluation = Evaluator.Evaluate(AssetEventKind.Upserted, device, identification);

        Assert.Equal("cisco", identification.Vendor?.Key);
        Assert.Equal(ComplianceStatus.Compliant, evaluation.Status);
        Assert.DoesNotContain(evaluation.Reasons, r => NeitherNor().IsMatch(r));
    }

    [Fact]
    public void A_switch_whose_maker_is_known_only_to_the_registry_is_named_by_its_registrant()
    {
        var device = EvidenceTableTests.Camera("Intel", null, "00:D0:B7:12:34:56", true, NetworkSegment.Core) with { DeviceType = DeviceType.Network };
        var evaluation = Evaluator.Evaluate(AssetEventKind.Upserted, device, Identifier.Identify(device.Manufacturer, device.Model, device.MacAddress));

        Assert.Equal(ComplianceStatus.Compliant, evaluation.Status);
        Assert.Contains(evaluation.Reasons, r => r.Contains("A device of type network is not visual surveillance equipment", StringComparison.Ordinal));
        Assert.Contains(evaluation.Reasons, r => r.Contains("Intel Corporation", StringComparison.Ordinal) && r.Contains("not a catalogue identification", StringComparison.Ordinal));
        Assert.DoesNotContain(evaluation.Reasons, r => r.Contains("core network", StringComparison.Ordinal));
    }

    [GeneratedRegex(@"\bneither\b.*\bnor\b|\bnor on\b", RegexOptions.IgnoreCase)]
    private static partial Regex NeitherNor();

    [GeneratedRegex(@"(is|connected to the departmental) (on the )?core network|is on the core network")]
    private static partial Regex OnCore();

    [GeneratedRegex(@"(?<!must not be )on the ([a-z]+) network")]
    private static partial Regex OnNamedNetwork();

    [GeneratedRegex(@"(?<!not )(is at a sensitive site|The site is sensitive)")]
    private static partial Regex AtSensitiveSite();

    [GeneratedRegex(@"A device of type ([a-z-]+) is not visual surveillance equipment")]
    private static partial Regex NotSurveillance();
}
