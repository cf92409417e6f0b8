using AssetCompliance.Core.Catalogue;
using AssetCompliance.Core.Events;
using AssetCompliance.Core.Policy;

namespace AssetCompliance.Core.Tests;

public sealed class EvaluatorTests
{
    private static readonly DeviceIdentifier Identifier = new(VendorCatalogue.Default);
    private static readonly ComplianceEvaluator Evaluator = new(CompliancePolicy.Default);

    // manufacturer, device type, sensitive (null = unknown), segment (null = unknown), installed, expected status, severity, rule
    [Theory]
    [InlineData("Hikvision", "camera", true, "core", "2019-01-01", ComplianceStatus.NonCompliant, Severity.Critical, "prc-surveillance-on-core-network")]
    [InlineData("Hikvision", "camera", false, "core", null, ComplianceStatus.NonCompliant, Severity.Critical, "prc-surveillance-on-core-network")]
    [InlineData("Hikvision", "camera", null, "core", null, ComplianceStatus.NonCompliant, Severity.Critical, "prc-surveillance-on-core-network")]
    [InlineData("Dahua", "nvr", true, "segregated", "2022-11-23", ComplianceStatus.NonCompliant, Severity.High, "prc-surveillance-on-sensitive-site")]
    [InlineData("Dahua", "dvr", true, "segregated", "2022-11-24", ComplianceStatus.NonCompliant, Severity.Critical, "prc-surveillance-deployed-on-sensitive-site-after-instruction")]
    [InlineData("Uniview", "encoder", true, null, null, ComplianceStatus.NonCompliant, Severity.High, "prc-surveillance-on-sensitive-site")]
    [InlineData("Tiandy", "video-intercom", null, "segregated", null, ComplianceStatus.NeedsReview, null, "prc-surveillance-site-sensitivity-unknown")]
    [InlineData("EZVIZ", "camera", false, null, null, ComplianceStatus.NeedsReview, null, "prc-surveillance-network-segment-unknown")]
    [InlineData("HiLook", "camera", false, "standalone", null, ComplianceStatus.Advisory, null, "prc-surveillance-on-non-sensitive-site")]
    [InlineData("Huawei", "network", true, "core", null, ComplianceStatus.Advisory, null, "prc-law-vendor-other-device")]
    [InlineData("Hikvision", "access-control", true, "core", null, ComplianceStatus.Advisory, null, "prc-law-vendor-other-device")]
    [InlineData("", "camera", true, "segregated", null, ComplianceStatus.NeedsReview, null, "unidentified-surveillance-exposed")]
    [InlineData("Acme", "nvr", false, "core", null, ComplianceStatus.NeedsReview, null, "unidentified-surveillance-exposed")]
    [InlineData("Reolink", "camera", true, "segregated", null, ComplianceStatus.NeedsReview, null, "contested-vendor-surveillance-exposed")]
    [InlineData("", "camera", null, "segregated", null, ComplianceStatus.NeedsReview, null, "unidentified-surveillance-exposure-unknown")]
    [InlineData("Acme", "nvr", false, null, null, ComplianceStatus.NeedsReview, null, "unidentified-surveillance-exposure-unknown")]
    [InlineData("Acme", "camera", null, null, null, ComplianceStatus.NeedsReview, null, "unidentified-surveillance-exposure-unknown")]
    [InlineData("Reolink", "camera", null, "standalone", null, ComplianceStatus.NeedsReview, null, "contested-vendor-surveillance-exposure-unknown")]
    [InlineData("Axis", "camera", null, null, null, ComplianceStatus.Compliant, null, "compliant")]
    [InlineData("Acme", "network", null, null, null, ComplianceStatus.Compliant, null, "compliant")]
    [InlineData("Acme", "camera", false, "segregated", null, ComplianceStatus.Compliant, null, "compliant")]
    [InlineData("Acme", "network", true, "core", null, ComplianceStatus.Compliant, null, "compliant")]
    [InlineData("Axis", "camera", true, "core", null, ComplianceStatus.Compliant, null, "compliant")]
    [InlineData("Reolink", "camera", false, "standalone", null, ComplianceStatus.Compliant, null, "compliant")]
    public void Every_policy_branch(string manufacturer, string type, bool? sensitive, string? segment, string? installed, ComplianceStatus status, Severity? severity, string rule)
    {
        DeviceTypes.TryParse(type, out var deviceType);
        NetworkSegment? networkSegment = segment is null ? null : NetworkSegments.TryParse(segment, out var s) ? s : throw new ArgumentException(segment);
        var device = new RegisteredDevice
        {
            AssetId = "A1",
            Department = "HO",
            Revision = 1,
            Manufacturer = manufacturer,
            DeviceType = deviceType,
            Site = new Site("S1", null, sensitive),
            NetworkSegment = networkSegment,
            InstalledOn = installed is null ? null : DateOnly.Parse(installed, System.Globalization.CultureInfo.InvariantCulture),
        };

        var result = Evaluator.Evaluate(AssetEventKind.Upserted, device, Identifier.Identify(device.Manufacturer, null, null));

        Assert.Equal((status, severity, rule), (result.Status, result.Severity, result.Rule));
        Assert.NotEmpty(result.Reasons);
    }

    [Fact]
    public void A_removed_device_is_removed_whatever_it_is()
    {
        var device = new RegisteredDevice { AssetId = "A1", Department = "HO", Revision = 2, Manufacturer = "Hikvision", DeviceType = DeviceType.Camera };

        var result = Evaluator.Evaluate(AssetEventKind.Removed, device, Identifier.Identify("Hikvision", null, null));

        Assert.Equal(ComplianceStatus.Removed, result.Status);
        Assert.Null(result.Severity);
    }

    [Fact]
    public void The_policy_and_catalogue_have_content_versions()
    {
        Assert.Matches("^pol-[0-9a-f]{12}$", CompliancePolicy.Default.Version);
        Assert.Matches("^cat-[0-9a-f]{12}$", VendorCatalogue.Default.Version);
        Assert.Equal(new DateOnly(2022, 11, 24), CompliancePolicy.Default.InstructionDate);
    }
}
