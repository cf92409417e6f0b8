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
/// Every host (the queue, the local run, <c>check</c>, re-evaluation sweeps) evaluates through here, so the rule for
/// unread fields (<see cref="UnreadFieldsRule"/>) applies the same everywhere.
/// </summary>
public sealed class ComplianceEvaluator(CompliancePolicy policy)
{
    /// <summary>
    /// The rule of a verdict held back because a field it depends on was not read
    /// (<see cref="RegisteredDevice.UnreadFields"/>): Compliant or Advisory on the fields that were read becomes
    /// NeedsReview, naming the fields. NonCompliant stays NonCompliant (what was read is already enough to act on).
    /// </summary>
    public const string UnreadFieldsRule = "unread-cells-need-review";

    public CompliancePolicy Policy { get; } = policy;

    /// <summary>
    /// The verdict on a device. <paramref name="identification"/> is the identifier's answer for the device's own
    /// manufacturer, model and MAC. Fields in <see cref="RegisteredDevice.UnreadFields"/> count as unknown, and a good
    /// verdict that one of them feeds (<see cref="UnreadableField.FeedsVerdict"/>) is held back for review.
    /// </summary>
    public Evaluation Evaluate(AssetEventKind kind, RegisteredDevice device, Identification identification)
    {
        var evaluation = HoldSuspiciousName(kind, EvaluateRead(kind, device, identification), identification);
        if (kind == AssetEventKind.Removed || device.UnreadFields.Count == 0)
        {
            return evaluation;
        }

        var unread = device.UnreadFields.Select(UnreadFields.ByPath).OfType<UnreadableField>().Where(f => f.FeedsVerdict).Select(f => f.Column).ToArray();
        if (unread.Length == 0)
        {
            return evaluation;
        }

        if (evaluation.Status is ComplianceStatus.Compliant or ComplianceStatus.Advisory)
        {
            // Reasons name register columns (site_sensitive), as check's warnings do.
            return new Evaluation(ComplianceStatus.NeedsReview, null, UnreadFieldsRule,
            [
                .. evaluation.Reasons,
                $"The register's {string.Join(", ", unread)} could not be read, and the verdict depends on {(unread.Length == 1 ? "it" : "them")}: it would be {evaluation.Status} on the cells that were read. Check by hand, or correct the register.",
            ]);
        }

        return evaluation;
    }

    /// <summary>The rule of a verdict held back because the register's manufacturer was written with look-alike letters.</summary>
    public const string SuspiciousNameRule = "suspicious-name-needs-review";

    /// <summary>
    /// A manufacturer written with look-alike letters of other scripts (evidence method <c>suspicious-name:…</c>) is named
    /// in the reasons, and it never clears a device: Compliant becomes NeedsReview. Other verdicts keep their status.
    /// </summary>
    private static Evaluation HoldSuspiciousName(AssetEventKind kind, Evaluation evaluation, Identification identification)
    {
        var suspicious = kind == AssetEventKind.Removed ? null : identification.Evidence.FirstOrDefault(e =>
            e.Kind == EvidenceKind.Manufacturer && e.Method.StartsWith(DeviceIdentifier.SuspiciousName + ":", StringComparison.Ordinal));
        if (suspicious is null)
        {
            return evaluation;
        }

        var reason = $"The register's manufacturer '{suspicious.Input}' is written with look-alike letters of another script and reads as '{suspicious.Matched}' ({suspicious.Method}); a disguised name cannot clear a device.";
        return evaluation.Status == ComplianceStatus.Compliant
            ? new Evaluation(ComplianceStatus.NeedsReview, null, SuspiciousNameRule, [.. evaluation.Reasons, reason])
            : evaluation with { Reasons = [.. evaluation.Reasons, reason] };
    }

    /// <summary>Why a sensitive-site verdict is High without a date: none recorded, or one that could not be read (then it may be Critical).</summary>
    private string NoInstallDate(RegisteredDevice device) => device.UnreadFields.Contains("installedOn")
        ? $"Its install date (the register's installed_on) could not be read: if it was installed on or after {Policy.InstructionDate:yyyy-MM-dd}, this is Critical."
        : "Its install date is not recorded.";

    private Evaluation EvaluateRead(AssetEventKind kind, RegisteredDevice device, Identification identification)
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
                        [maker, $"This {typeName} is at a sensitive site; the direction asks departments to remove and replace it.", device.InstalledOn is null ? NoInstallDate(device) : $"It was installed on {device.InstalledOn:yyyy-MM-dd}, before the instruction."]);
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

        // Fail closed: a maker that is unknown or contested clears a surveillance device only where the register shows it
        // is not exposed. Unknown sensitivity or an unknown network could hide a sensitive site or the core network.
        var exposed = sensitive == true || segment == NetworkSegment.Core;
        if (surveillance && (vendor is null || vendor.SubjectToNationalIntelligenceLaw is null) && (exposed || sensitive is null || segment is null))
        {
            var why = vendor is null
                ? $"The maker of this {typeName} could not be identified from the manufacturer, model or MAC address."
                : $"Whether {vendor.Name} is subject to the PRC National Intelligence Law is contested: {vendor.NationalIntelligenceLawNote}";
            var reasons = new List<string> { why, exposed ? $"It is {(sensitive == true ? "at a sensitive site" : "on the core network")}, so it must be checked by hand." : ExposureUnknown(device) };
            if (identification.UnlistedMacOrganisation is { } organisation)
            {
                reasons.Add($"Its MAC address is registered to {organisation}, which is not in the catalogue.");
            }

            var rule = (vendor is null ? "unidentified" : "contested-vendor") + (exposed ? "-surveillance-exposed" : "-surveillance-exposure-unknown");
            return new(ComplianceStatus.NeedsReview, null, rule, reasons);
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

    /// <summary>Why an unidentified or contested device cannot be cleared: what the register does not say, or what could not be read.</summary>
    private static string ExposureUnknown(RegisteredDevice device)
    {
        var unknown = (device.Site?.Sensitive, device.NetworkSegment) switch
        {
            (null, null) => "whether the site is sensitive or which network the device is on",
            (null, _) => "whether the site is sensitive",
            _ => "which network the device is on",
        };
        var unread = device.UnreadFields.Contains("site.sensitive") || device.UnreadFields.Contains("networkSegment");
        return unread
            ? $"The register's cells for {unknown} could not be read, so it cannot be cleared; correct the register, or check the device by hand."
            : $"The register does not say {unknown}, so it cannot be cleared; record it, or check the device by hand.";
    }
}
