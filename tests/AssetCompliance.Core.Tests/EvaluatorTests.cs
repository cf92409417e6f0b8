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

    /// <summary>An Axis camera at a non-sensitive site on a segregated network: Compliant when every field was read.</summary>
    private static RegisteredDevice Axis() => new()
    {
        AssetId = "A1",
        Department = "HO",
        Revision = 1,
        Manufacturer = "Axis",
        Model = "P3265-LVE",
        SerialNumber = "S1",
        MacAddress = "AC:CC:8E:00:00:01",
        DeviceType = DeviceType.Camera,
        Site = new Site("S1", "Site", false),
        NetworkSegment = NetworkSegment.Segregated,
        InstalledOn = new DateOnly(2021, 1, 2),
    };

    private static Evaluation EvaluateAsSent(RegisteredDevice device, params string[] unread)
    {
        var sent = UnreadFields.MarkUnread(device, unread);
        return Evaluator.Evaluate(AssetEventKind.Upserted, sent, Identifier.Identify(sent.Manufacturer, sent.Model, sent.MacAddress));
    }

    [Theory]
    [InlineData("manufacturer", "manufacturer")]
    [InlineData("model", "model")]
    [InlineData("macAddress", "mac_address")]
    [InlineData("deviceType", "device_type")]
    [InlineData("site.sensitive", "site_sensitive")]
    [InlineData("networkSegment", "network_segment")]
    [InlineData("installedOn", "installed_on")]
    public void A_compliant_verdict_that_an_unread_field_feeds_is_held_back_for_review(string path, string column)
    {
        Assert.Equal(ComplianceStatus.Compliant, EvaluateAsSent(Axis()).Status);

        var held = EvaluateAsSent(Axis(), path);

        Assert.Equal((ComplianceStatus.NeedsReview, (Severity?)null, ComplianceEvaluator.UnreadFieldsRule), (held.Status, held.Severity, held.Rule));
        Assert.Contains($"The register's {column} could not be read", held.Reasons[^1]);
        Assert.Contains("it would be Compliant", held.Reasons[^1]);
    }

    [Fact]
    public void An_advisory_verdict_is_held_back_too_and_every_unread_field_is_named()
    {
        // HiLook (Hikvision) at a non-sensitive site on a standalone network: Advisory on what was read.
        var hilook = Axis() with { Manufacturer = "HiLook", Model = null, MacAddress = null, NetworkSegment = NetworkSegment.Standalone };
        Assert.Equal(ComplianceStatus.Advisory, EvaluateAsSent(hilook).Status);

        var held = EvaluateAsSent(hilook, "installedOn", "macAddress");

        Assert.Equal((ComplianceStatus.NeedsReview, ComplianceEvaluator.UnreadFieldsRule), (held.Status, held.Rule));
        Assert.Contains("The register's mac_address, installed_on could not be read, and the verdict depends on them: it would be Advisory", held.Reasons[^1]);
    }

    [Theory]
    [InlineData("serialNumber")]
    [InlineData("site.name")]
    public void A_field_the_verdict_does_not_read_does_not_hold_it_back(string path)
    {
        var result = EvaluateAsSent(Axis(), path);

        Assert.Equal((ComplianceStatus.Compliant, "compliant"), (result.Status, result.Rule));
    }

    /// <summary>A Hikvision camera (by its model) at a sensitive site, installed after the instruction.</summary>
    private static RegisteredDevice Hikvision() => Axis() with
    {
        Manufacturer = "Hikvision", Model = "DS-2CD2143G2-I", MacAddress = "BC:AD:28:00:00:01", Site = new Site("S1", "Site", true), InstalledOn = new DateOnly(2023, 1, 1),
    };

    [Theory]
    [InlineData("networkSegment")]
    [InlineData("macAddress")]
    [InlineData("manufacturer")]
    [InlineData("serialNumber")]
    public void A_non_compliant_verdict_on_what_was_read_stays_non_compliant(string path)
    {
        var result = EvaluateAsSent(Hikvision(), path);

        Assert.Equal((ComplianceStatus.NonCompliant, Severity.Critical, "prc-surveillance-deployed-on-sensitive-site-after-instruction"), (result.Status, result.Severity, result.Rule));
        Assert.DoesNotContain(result.Reasons, r => r.Contains("could not be read", StringComparison.Ordinal));
    }

    [Fact]
    public void An_unread_device_type_of_a_prc_device_is_never_left_as_advisory()
    {
        // Unknown, the type is no surveillance evidence, so the policy says Advisory on what was read: held back.
        var result = EvaluateAsSent(Hikvision(), "deviceType");

        Assert.Equal((ComplianceStatus.NeedsReview, ComplianceEvaluator.UnreadFieldsRule), (result.Status, result.Rule));
        Assert.Contains("it would be Advisory", result.Reasons[^1]);
    }

    [Fact]
    public void An_unread_install_date_at_a_sensitive_site_is_high_and_says_it_may_be_critical()
    {
        var hikvision = Hikvision();

        var unread = EvaluateAsSent(hikvision, "installedOn");
        var absent = EvaluateAsSent(hikvision with { InstalledOn = null });

        Assert.Equal((ComplianceStatus.NonCompliant, Severity.High), (unread.Status, unread.Severity));
        Assert.Contains(unread.Reasons, r => r.Contains("installed_on) could not be read", StringComparison.Ordinal) && r.Contains("Critical", StringComparison.Ordinal));
        Assert.Contains("Its install date is not recorded.", absent.Reasons);
    }

    [Fact]
    public void A_removed_device_with_unread_fields_is_removed()
    {
        var device = UnreadFields.MarkUnread(Axis(), ["site.sensitive"]);

        Assert.Equal(ComplianceStatus.Removed, Evaluator.Evaluate(AssetEventKind.Removed, device, Identifier.Identify("Axis", null, null)).Status);
    }

    [Fact]
    public void Marking_a_field_unread_clears_its_value_and_keeps_the_contract_order()
    {
        var device = UnreadFields.MarkUnread(Axis(), ["installedOn", "site.sensitive", "model", "site.sensitive"]);

        Assert.Equal(["model", "site.sensitive", "installedOn"], device.UnreadFields);
        Assert.Equal((null, null, (DateOnly?)null), (device.Model, device.Site!.Sensitive, device.InstalledOn));
        Assert.Equal(("Axis", "Site"), (device.Manufacturer, device.Site.Name));
    }

    [Fact]
    public void The_policy_and_catalogue_have_content_versions()
    {
        Assert.Matches("^pol-[0-9a-f]{12}$", CompliancePolicy.Default.Version);
        Assert.Matches("^cat-[0-9a-f]{12}$", VendorCatalogue.Default.Version);
        Assert.Equal(new DateOnly(2022, 11, 24), CompliancePolicy.Default.InstructionDate);
    }
}
