using AssetCompliance.Core.Catalogue;
using AssetCompliance.Core.Events;

namespace AssetCompliance.Core.Policy;

public enum ComplianceStatus
{
    Compliant,
    NonCompliant,
    Advisory,
    NeedsReview,
    Exempt,
    Removed,
}

/// <summary>How urgent a non-compliance is. Only <see cref="ComplianceStatus.NonCompliant"/> carries one.</summary>
public enum Severity
{
    High,
    Critical,
}

/// <summary>The policy's verdict on one device: status, severity where it applies, the rule that decided, and why.</summary>
public sealed record Evaluation(ComplianceStatus Status, Severity? Severity, string Rule, IReadOnlyList<string> Reasons);

/// <summary>
/// The rules the UK direction of 24 November 2022 implies, for a single device. Pure: same inputs, same verdict.
/// </summary>
public sealed class ComplianceEvaluator(CompliancePolicy policy)
{
    public CompliancePolicy Policy { get; } = policy;

    public Evaluation Evaluate(AssetEventKind kind, RegisteredDevice device, Identification identification)
    {
        if (kind == AssetEventKind.Removed)
        {
            return new(ComplianceStatus.Removed, null, "removed", ["The device was removed from the register."]);
        }

        var vendor = identification.Vendor;
        var surveillance = device.DeviceType is { } type && Policy.VisualSurveillanceTypes.Contains(type);
        var sensitive = device.Site?.Sensitive;
        var segment = device.NetworkSegment;
        var typeName = device.DeviceType?.ToWire() ?? "device";

        if (vendor is not null && vendor.SubjectToNationalIntelligenceLaw == true)
        {
            var maker = $"{vendor.Name} ({vendor.LegalName}) is subject to the PRC National Intelligence Law: {vendor.NationalIntelligenceLawNote}";
            if (!surveillance)
            {
                return new(ComplianceStatus.Advisory, null, "prc-law-vendor-other-device",
                    [maker, $"A {typeName} is not visual surveillance equipment, so the direction does not apply; consider it in a wider risk review."]);
            }

            if (segment == NetworkSegment.Core)
            {
                return new(ComplianceStatus.NonCompliant, Severity.Critical, "prc-surveillance-on-core-network",
                    [maker, $"This {typeName} is connected to the departmental core network, which the direction forbids at any site."]);
            }

            if (sensitive == true)
            {
                var deployedAfter = device.InstalledOn is { } installed && installed >= Policy.InstructionDate;
                return deployedAfter
                    ? new(ComplianceStatus.NonCompliant, Severity.Critical, "prc-surveillance-deployed-on-sensitive-site-after-instruction",
                        [maker, $"This {typeName} is at a sensitive site.", $"It was installed on {device.InstalledOn:yyyy-MM-dd}, on or after the instruction of {Policy.InstructionDate:yyyy-MM-dd} to cease such deployments."])
                    : new(ComplianceStatus.NonCompliant, Severity.High, "prc-surveillance-on-sensitive-site",
                        [maker, $"This {typeName} is at a sensitive site; the direction asks departments to remove and replace it.", device.InstalledOn is null ? "Its install date is not recorded." : $"It was installed on {device.InstalledOn:yyyy-MM-dd}, before the instruction."]);
            }

            if (sensitive is null)
            {
                return new(ComplianceStatus.NeedsReview, null, "prc-surveillance-site-sensitivity-unknown",
                    [maker, "The register does not say whether the site is sensitive; record it to decide."]);
            }

            if (segment is null)
            {
                return new(ComplianceStatus.NeedsReview, null, "prc-surveillance-network-segment-unknown",
                    [maker, "The site is not sensitive, but the register does not say which network the device is on; it must not be on the core network."]);
            }

            return new(ComplianceStatus.Advisory, null, "prc-surveillance-on-non-sensitive-site",
                [maker, $"The site is not sensitive and the device is on the {segment.Value.ToWire()} network; the direction asks departments to consider extending the mitigation."]);
        }

        var exposed = sensitive == true || segment == NetworkSegment.Core;
        if (surveillance && exposed && (vendor is null || vendor.SubjectToNationalIntelligenceLaw is null))
        {
            var where = sensitive == true ? "at a sensitive site" : "on the core network";
            var why = vendor is null
                ? $"The maker of this {typeName} could not be identified from the manufacturer, model or MAC address."
                : $"Whether {vendor.Name} is subject to the PRC National Intelligence Law is contested: {vendor.NationalIntelligenceLawNote}";
            var reasons = new List<string> { why, $"It is {where}, so it must be checked by hand." };
            if (identification.UnlistedMacOrganisation is { } organisation)
            {
                reasons.Add($"Its MAC address is registered to {organisation}, which is not in the catalogue.");
            }

            return new(ComplianceStatus.NeedsReview, null, vendor is null ? "unidentified-surveillance-exposed" : "contested-vendor-surveillance-exposed", reasons);
        }

        // Fail closed: a maker that is unknown or contested clears a surveillance device only where the register shows it
        // is not exposed. Unknown sensitivity or an unknown network could hide a sensitive site or the core network.
        if (surveillance && (vendor is null || vendor.SubjectToNationalIntelligenceLaw is null) && (sensitive is null || segment is null))
        {
            var why = vendor is null
                ? $"The maker of this {typeName} could not be identified from the manufacturer, model or MAC address."
                : $"Whether {vendor.Name} is subject to the PRC National Intelligence Law is contested: {vendor.NationalIntelligenceLawNote}";
            var unknown = (sensitive, segment) switch
            {
                (null, null) => "whether the site is sensitive or which network the device is on",
                (null, _) => "whether the site is sensitive",
                _ => "which network the device is on",
            };
            var reasons = new List<string> { why, $"The register does not say {unknown}, so it cannot be cleared; record it, or check the device by hand." };
            if (identification.UnlistedMacOrganisation is { } organisation)
            {
                reasons.Add($"Its MAC address is registered to {organisation}, which is not in the catalogue.");
            }

            return new(ComplianceStatus.NeedsReview, null, vendor is null ? "unidentified-surveillance-exposure-unknown" : "contested-vendor-surveillance-exposure-unknown", reasons);
        }

        var compliantReasons = new List<string>
        {
            vendor is null
                ? "The maker could not be identified, and the device is neither visual surveillance at a sensitive site nor on the core network."
                : vendor.SubjectToNationalIntelligenceLaw == false
                    ? $"{vendor.Name} ({vendor.UltimateOwner.Name}, {vendor.UltimateOwner.Jurisdiction}) is not subject to the PRC National Intelligence Law."
                    : $"{vendor.Name}'s status is contested, but the device is not visual surveillance at a sensitive site or on the core network.",
        };
        if (identification.RelabelSuspected)
        {
            compliantReasons.Add("The register's manufacturer differs from the hardware evidence; the hardware was trusted.");
        }

        return new(ComplianceStatus.Compliant, null, "compliant", compliantReasons);
    }
}
