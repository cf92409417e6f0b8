using AssetCompliance.Core.Catalogue;
using AssetCompliance.Core.Events;
using static AssetCompliance.Core.Policy.EvaluationSentences;

namespace AssetCompliance.Core.Policy;

/// <summary>
/// The rules the UK direction of 24 November 2022 implies, for a single device. Pure: same inputs, same verdict.
/// Every host (the queue, the local run, <c>check</c>, re-evaluation sweeps) evaluates through here, so the rule for
/// unread fields (<see cref="UnreadFieldsRule"/>) applies the same everywhere.
/// </summary>
public sealed class ComplianceEvaluator(CompliancePolicy policy)
{
    private readonly EvaluationSentences _sentences = new(policy);

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

    /// <summary>The rule of a device seen on the network and held by no register whose maker or type nothing identified.</summary>
    public const string UnregisteredUnknownRule = "unregistered-device-needs-review";

    /// <summary>
    /// The verdict on a device that observations alone describe (seen, and held by no register: unregistered or
    /// ambiguous): <see cref="Evaluate"/>'s, except that no register stands behind its blanks, so an unknown maker
    /// (or one whose status is contested) never clears it, and an unknown device type never makes a PRC-law maker's
    /// device merely advised: such a verdict becomes NeedsReview. A maker known not to be subject to the law stays
    /// as evaluated.
    /// </summary>
    public Evaluation EvaluateUnregistered(AssetEventKind kind, RegisteredDevice device, Identification identification)
    {
        var evaluation = Evaluate(kind, device, identification);
        var lawStatus = identification.Vendor?.SubjectToNationalIntelligenceLaw;
        var held = evaluation.Status switch
        {
            ComplianceStatus.Compliant => lawStatus != false,
            ComplianceStatus.Advisory => lawStatus != false && device.DeviceType is null,
            _ => false,
        };
        return held
            ? new Evaluation(ComplianceStatus.NeedsReview, null, UnregisteredUnknownRule,
            [
                .. evaluation.Reasons,
                $"It is on no register, so nobody has said {(lawStatus is null ? "who made it or what it is" : "what kind of device it is")}: it would be {evaluation.Status} on what was seen. Identify it by hand, then register or remove it.",
            ])
            : evaluation;
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

    private Evaluation EvaluateRead(AssetEventKind kind, RegisteredDevice device, Identification identification)
    {
        if (kind == AssetEventKind.Removed)
        {
            return new(ComplianceStatus.Removed, null, "removed", ["The device was removed from the register."]);
        }

        var evaluation = EvaluateIdentified(device, identification);
        // What the MAC says beyond the maker: no maker information at all, or an unlisted registrant's country.
        var notes = EvidenceNotes(identification);
        if (evaluation.Status == ComplianceStatus.Compliant && PrcRegisteredMac(device, identification) is { } registrant)
        {
            // A visual-surveillance device whose MAC block is registered in mainland China to an organisation the
            // catalogue does not know is never cleared: the registrant may be its real maker.
            var maker = identification.Vendor is { } named
                ? $"The evidence names {named.Name}, but the MAC block is not {named.Name}'s."
                : $"The maker of this {device.DeviceType!.Value.ToWire()} could not be identified from the manufacturer, model or MAC address.";
            return new(ComplianceStatus.NeedsReview, null, PrcRegisteredMacRule,
                [maker, registrant, SiteFact(device), NetworkFact(device), .. notes, "It cannot be cleared until its maker is known; check the device by hand."]);
        }

        return notes.Count == 0 ? evaluation : evaluation with { Reasons = [.. evaluation.Reasons.Where(r => !notes.Contains(r)), .. notes] };
    }

    /// <summary>The rule of a surveillance device held back because its MAC block is registered in mainland China to an organisation the catalogue does not know.</summary>
    public const string PrcRegisteredMacRule = "prc-registered-mac-surveillance";

    /// <summary>The rule of a surveillance device whose strong evidence disagrees about a PRC-law maker (never cleared).</summary>
    public const string ConflictRule = "conflicting-evidence-prc-maker";

    private Evaluation EvaluateIdentified(RegisteredDevice device, Identification identification)
    {
        var vendor = identification.Vendor;
        var surveillance = device.DeviceType is { } type && Policy.VisualSurveillanceTypes.Contains(type);
        var sensitive = device.Site?.Sensitive;
        var segment = device.NetworkSegment;
        var typeName = device.DeviceType?.ToWire() ?? "device";

        // Strong evidence that disagrees about a PRC-law maker, where the PRC side did not win outright: never cleared.
        if (identification.Conflict is { } conflict && (!conflict.PrcSideWon || !conflict.Settled))
        {
            var reasons = new List<string> { ConflictSentence(conflict) };
            if (surveillance)
            {
                reasons.Add(SiteFact(device));
                reasons.Add(NetworkFact(device));
                reasons.Add("It cannot be cleared while the evidence conflicts: check the device by hand (a MAC address can belong to a radio module or an encoder in front of it, or be mistyped in the register).");
                return new(ComplianceStatus.NeedsReview, null, ConflictRule, reasons);
            }

            reasons.Add(device.DeviceType is null
                ? "The register does not record the device type, so the direction is not known to apply; consider it in a wider risk review."
                : $"{NotSurveillance(device)}, so the direction does not apply; consider it in a wider risk review.");
            return new(ComplianceStatus.Advisory, null, ConflictRule + "-other-device", reasons);
        }

        if (vendor is not null && vendor.SubjectToNationalIntelligenceLaw == true)
        {
            var maker = $"{vendor.Name} ({vendor.LegalName}) is subject to the PRC National Intelligence Law: {vendor.NationalIntelligenceLawNote}";
            var also = new List<string>();
            if (identification.RelabelSuspected && RelabelSentence(device, identification) is { } relabel)
            {
                also.Add(relabel);
            }

            if (identification.Conflict is { } settled)
            {
                also.Add(ConflictSentence(settled) + " The PRC side outweighs it.");
            }

            if (!surveillance)
            {
                return new(ComplianceStatus.Advisory, null, "prc-law-vendor-other-device",
                    [maker, .. also, device.DeviceType is null
                        ? "The register does not record the device type, so it is not known to be visual surveillance equipment; consider it in a wider risk review."
                        : $"{NotSurveillance(device)}, so the direction does not apply; consider it in a wider risk review."]);
            }

            if (segment == NetworkSegment.Core)
            {
                return new(ComplianceStatus.NonCompliant, Severity.Critical, "prc-surveillance-on-core-network",
                    [maker, .. also, $"This {typeName} is connected to the departmental core network, which the direction forbids at any site."]);
            }

            if (sensitive == true)
            {
                var deployedAfter = device.InstalledOn is { } installed && installed >= Policy.InstructionDate;
                return deployedAfter
                    ? new(ComplianceStatus.NonCompliant, Severity.Critical, "prc-surveillance-deployed-on-sensitive-site-after-instruction",
                        [maker, .. also, $"This {typeName} is at a sensitive site.", $"It was installed on {device.InstalledOn:yyyy-MM-dd}, on or after the instruction of {Policy.InstructionDate:yyyy-MM-dd} to cease such deployments."])
                    : new(ComplianceStatus.NonCompliant, Severity.High, "prc-surveillance-on-sensitive-site",
                        [maker, .. also, $"This {typeName} is at a sensitive site; the direction asks departments to remove and replace it.", device.InstalledOn is null ? _sentences.NoInstallDate(device) : $"It was installed on {device.InstalledOn:yyyy-MM-dd}, before the instruction."]);
            }

            if (sensitive is null)
            {
                return new(ComplianceStatus.NeedsReview, null, "prc-surveillance-site-sensitivity-unknown",
                    [maker, .. also, "The register does not say whether the site is sensitive; record it to decide."]);
            }

            if (segment is null)
            {
                return new(ComplianceStatus.NeedsReview, null, "prc-surveillance-network-segment-unknown",
                    [maker, .. also, "The site is not sensitive, but the register does not say which network the device is on; it must not be on the core network."]);
            }

            var notExposed = $"The site is not sensitive and the device is on the {segment.Value.ToWire()} network; the direction asks departments to consider extending the mitigation.";
            if (identification.Conflict is not null)
            {
                // Conflicting evidence is at least NeedsReview (issue 14), even where the PRC side outweighs it and the
                // site would otherwise only be advised: someone must look at which maker it really is.
                return new(ComplianceStatus.NeedsReview, null, ConflictRule,
                    [maker, .. also, notExposed, "It cannot be cleared or merely advised while the evidence conflicts: check the device by hand."]);
            }

            return new(ComplianceStatus.Advisory, null, "prc-surveillance-on-non-sensitive-site", [maker, .. also, notExposed]);
        }

        // Fail closed: a maker that is unknown or contested clears a surveillance device only where the register shows it
        // is not exposed. Unknown sensitivity or an unknown network could hide a sensitive site or the core network.
        var exposed = sensitive == true || segment == NetworkSegment.Core;
        var registry = identification.UnlistedMacOrganisation is { } organisation ? _sentences.RegistrySentence(organisation, identification.RegistrantCountry?.Matched == "CN") : null;
        if (surveillance && (vendor is null || vendor.SubjectToNationalIntelligenceLaw is null) && (exposed || sensitive is null || segment is null))
        {
            var why = vendor is null
                ? $"The maker of this {typeName} could not be identified from the manufacturer, model or MAC address."
                : $"Whether {vendor.Name} is subject to the PRC National Intelligence Law is contested: {vendor.NationalIntelligenceLawNote}";
            var reasons = new List<string> { why, exposed ? $"It is {(sensitive == true ? "at a sensitive site" : "on the core network")}, so it must be checked by hand." : ExposureUnknown(device) };
            if (registry is not null)
            {
                reasons.Add(registry);
            }

            var rule = (vendor is null ? "unidentified" : "contested-vendor") + (exposed ? "-surveillance-exposed" : "-surveillance-exposure-unknown");
            return new(ComplianceStatus.NeedsReview, null, rule, reasons);
        }

        // Only true statements: what the maker is, then why that is enough for this device.
        // Reached for a surveillance device of an unknown or contested maker only when the site is not sensitive and the
        // network is recorded and not the core network (the branch above holds back every other case).
        string Scope() => !surveillance
            ? device.DeviceType is null
                ? "The register does not record the device type, so it is not treated as visual surveillance equipment."
                : $"{NotSurveillance(device)}, so the direction does not apply."
            : $"the site is not sensitive and the device is on the {segment?.ToWire()} network.";
        var compliantReasons = new List<string>();
        if (vendor is null)
        {
            compliantReasons.Add(surveillance
                ? $"The maker of this {typeName} could not be identified, but it is not exposed: {Scope()}"
                : $"The maker could not be identified from the catalogue. {Scope()}");
        }
        else if (vendor.SubjectToNationalIntelligenceLaw == false)
        {
            compliantReasons.Add($"{vendor.Name} ({vendor.UltimateOwner.Name}, {vendor.UltimateOwner.Jurisdiction}) is not subject to the PRC National Intelligence Law.");
        }
        else
        {
            compliantReasons.Add($"{vendor.Name}'s status is contested, but it is not exposed: {Scope()}");
        }

        if (registry is not null)
        {
            compliantReasons.Add(registry);
        }

        if (identification.RelabelSuspected && RelabelSentence(device, identification) is { } relabelled)
        {
            compliantReasons.Add(relabelled);
        }

        return new(ComplianceStatus.Compliant, null, "compliant", compliantReasons);
    }

    /// <summary>The reason for <see cref="PrcRegisteredMacRule"/>, or null when it does not apply.</summary>
    private string? PrcRegisteredMac(RegisteredDevice device, Identification identification)
    {
        if (device.DeviceType is not { } type || !Policy.VisualSurveillanceTypes.Contains(type) ||
            identification.RegistrantCountry is not { Matched: "CN" } country)
        {
            return null;
        }

        var mac = identification.Evidence.First(e => e.IsRegisteredBlock);
        var module = mac.Method.EndsWith(Evidence.ModuleMakerSuffix, StringComparison.Ordinal);
        // A radio module maker's block beside a strong identification of a maker outside PRC law is only the radio.
        if (module && identification.Vendor is { SubjectToNationalIntelligenceLaw: false })
        {
            return null;
        }

        return module
            ? $"{MacRegisteredTo}{country.Input}, a chip or radio-module maker in mainland China: that says who made the radio, not the {type.ToWire()}, whose maker the catalogue does not know."
            : $"{MacRegisteredTo}{country.Input}, an organisation in mainland China that the catalogue does not know: it may be the real maker of this {type.ToWire()}.";
    }
}
