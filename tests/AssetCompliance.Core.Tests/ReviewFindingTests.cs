using AssetCompliance.Core.Catalogue;
using AssetCompliance.Core.Events;
using AssetCompliance.Core.Policy;

namespace AssetCompliance.Core.Tests;

/// <summary>
/// Cases two fresh reviewers found after the issue 14 merge, one test per kind: model patterns of PRC makers that took
/// other makers' real model numbers (false positives), weak or same-group PRC evidence that let a device be cleared,
/// a chip maker's block naming the camera's maker, and a settled conflict that was only advised on.
/// </summary>
public sealed class ReviewFindingTests
{
    private static readonly DeviceIdentifier Identifier = new(VendorCatalogue.Default);
    private static readonly ComplianceEvaluator Evaluator = new(CompliancePolicy.Default);

    /// <summary>Real model numbers of non-PRC products whose prefix a PRC maker's pattern used to take.</summary>
    [Theory]
    [InlineData("DS-920+")]        // Synology NAS
    [InlineData("DS-1621+")]
    [InlineData("DS-218")]
    [InlineData("DS-160")]         // Bosch request-to-exit detector
    [InlineData("DS-938Z")]        // Bosch motion detector
    [InlineData("DS-PDL1-WA")]     // Bosch detector
    [InlineData("DS7240V2")]       // Bosch intrusion panel
    [InlineData("DS7400XI")]
    [InlineData("DS-C9148S-K9")]   // Cisco MDS switch
    [InlineData("ASR1001-X")]      // Cisco ASR router
    [InlineData("ASR1002-HX")]
    [InlineData("CS-KIT-K9")]      // Cisco Webex
    [InlineData("CS-R55-K9")]
    [InlineData("CS-DESKPRO-K9")]
    [InlineData("CS-BAR-T-K9")]
    [InlineData("TD-4550DNWB")]    // Brother label printers
    [InlineData("TD-4420DN")]
    [InlineData("TD-2130N")]
    public void A_non_prc_model_number_is_never_taken_for_a_prc_makers(string model)
    {
        var identification = Identifier.Identify(null, model, null);

        Assert.NotEqual(true, identification.Vendor?.SubjectToNationalIntelligenceLaw);
    }

    /// <summary>The PRC makers' real model numbers next to those prefixes still identify them.</summary>
    [Theory]
    [InlineData("DS-2CD2143G2-I", "hikvision")]
    [InlineData("DS-7608NI-K2", "hikvision")]
    [InlineData("DS-9632NI-I8", "hikvision")]
    [InlineData("DS-7204HQHI-K1", "hikvision")]
    [InlineData("DS-KV6113-WPE1", "hikvision")]
    [InlineData("DS-6701HUHI", "hikvision")]
    [InlineData("DHI-ASI7214Y-V3", "dahua")]
    [InlineData("CS-C6N", "ezviz")]
    [InlineData("CS-CV310", "ezviz")]
    [InlineData("TD-9422E3-A", "tvt")]
    [InlineData("SDC X2241-10-LI", "huawei")]
    public void The_prc_makers_own_model_numbers_still_identify_them(string model, string vendor)
    {
        Assert.True(Identifier.Identify(null, model, null).Vendor?.IsSameGroupAs(VendorCatalogue.Default.Vendors[vendor]) == true, model);
    }

    /// <summary>Weak PRC evidence beside a trusted MAC never clears a camera, exposed or not.</summary>
    [Theory]
    [InlineData("Hikvison", true, NetworkSegment.Core)]
    [InlineData("Hikvison", false, NetworkSegment.Standalone)]
    [InlineData("Acme Installations (Hikvision)", true, NetworkSegment.Segregated)]
    public void A_weak_prc_name_beside_a_trusted_mac_is_a_conflict_not_a_clearance(string manufacturer, bool sensitive, NetworkSegment segment)
    {
        var device = EvidenceTableTests.Camera(manufacturer, null, "AC:CC:8E:12:34:56", sensitive, segment);
        var identification = Identifier.Identify(manufacturer, null, device.MacAddress);
        var evaluation = Evaluator.Evaluate(AssetEventKind.Upserted, device, identification);

        Assert.NotNull(identification.Conflict);
        Assert.Equal(ComplianceStatus.NeedsReview, evaluation.Status);
        Assert.Equal(ComplianceEvaluator.ConflictRule, evaluation.Rule);
    }

    [Fact]
    public void A_prc_name_and_a_contested_mac_of_one_group_are_a_conflict_too()
    {
        // "TP-Link" is the Shenzhen company's brand; the MAC block is TP-Link Systems Inc.'s (contested).
        var device = EvidenceTableTests.Camera("TP-Link", null, "00:31:92:12:34:56", false, NetworkSegment.Segregated);
        var identification = Identifier.Identify(device.Manufacturer, null, device.MacAddress);
        var evaluation = Evaluator.Evaluate(AssetEventKind.Upserted, device, identification);

        Assert.NotNull(identification.Conflict);
        Assert.NotEqual(ComplianceStatus.Compliant, evaluation.Status);
    }

    [Fact]
    public void A_chip_makers_block_alone_does_not_name_the_cameras_maker()
    {
        // 84:8A:59 is registered to HiSilicon (Huawei's chip arm), listed as a chip maker in catalogue/registrants.json.
        var device = EvidenceTableTests.Camera(null, null, "84:8A:59:12:34:56", true, NetworkSegment.Segregated);
        var identification = Identifier.Identify(null, null, device.MacAddress);
        var evaluation = Evaluator.Evaluate(AssetEventKind.Upserted, device, identification);

        Assert.Null(identification.Vendor);
        Assert.Equal(ComplianceStatus.NeedsReview, evaluation.Status);
    }

    [Fact]
    public void A_settled_conflict_at_a_site_that_would_only_be_advised_is_held_for_review()
    {
        // Hikvision name and model outweigh an Axis MAC; on a non-sensitive site the PRC rules would only advise.
        var device = EvidenceTableTests.Camera("Hikvision", "DS-2CD2143G2-I", "AC:CC:8E:12:34:56", false, NetworkSegment.Standalone);
        var identification = Identifier.Identify(device.Manufacturer, device.Model, device.MacAddress);
        var evaluation = Evaluator.Evaluate(AssetEventKind.Upserted, device, identification);

        Assert.Equal("hikvision", identification.Vendor?.Key);
        Assert.Equal((ComplianceStatus.NeedsReview, ComplianceEvaluator.ConflictRule), (evaluation.Status, evaluation.Rule));
        Assert.Contains(evaluation.Reasons, r => r.Contains("Axis", StringComparison.Ordinal));
    }
}
