using AssetCompliance.Core.Catalogue;
using AssetCompliance.Core.Events;

namespace AssetCompliance.Core.Policy;

/// <summary>
/// The sentences a verdict's reasons are made of, each true of the register and the evidence it describes: the
/// conflict's two sides, a relabel, the MAC registrant, what the MAC says beyond the maker, the site, the network and
/// what is not known. <see cref="ComplianceEvaluator"/> decides the status and rule, and picks these.
/// </summary>
internal sealed class EvaluationSentences(CompliancePolicy policy)
{
    /// <summary>The opening of every sentence about the MAC block's registrant.</summary>
    internal const string MacRegisteredTo = "Its MAC address is registered to ";

    // Shared and never added to: EvidenceNotes returns it when there is nothing to note.
    private static readonly List<string> NoNotes = [];

    /// <summary>Why a sensitive-site verdict is High without a date: none recorded, or one that could not be read (then it may be Critical).</summary>
    public string NoInstallDate(RegisteredDevice device) => device.UnreadFields.Contains("installedOn")
        ? $"Its install date (the register's installed_on) could not be read: if it was installed on or after {policy.InstructionDate:yyyy-MM-dd}, this is Critical."
        : "Its install date is not recorded.";

    /// <summary>Both sides of a conflict, each piece of evidence with what it points at.</summary>
    public static string ConflictSentence(EvidenceConflict conflict) =>
        $"The evidence conflicts: {string.Join(" and ", conflict.PrcSide.Select(Describe))} point{(conflict.PrcSide.Count == 1 ? "s" : "")} to a maker subject to the PRC National Intelligence Law, " +
        $"but {string.Join(" and ", conflict.OtherSide.Select(Describe))} point{(conflict.OtherSide.Count == 1 ? "s" : "")} to {(conflict.OtherSide.All(e => e.Vendor?.SubjectToNationalIntelligenceLaw == false) ? "a maker that is not" : "a maker whose status is contested")}.";

    public static string Describe(Evidence e) => e.Kind switch
    {
        EvidenceKind.Manufacturer => $"the register's manufacturer \"{e.Input}\" ({e.Vendor!.Name})",
        EvidenceKind.Model => $"the model number \"{e.Input}\" ({e.Vendor!.Name})",
        EvidenceKind.MacAddress => $"the MAC address {e.Input} (block registered to {e.Matched}, {e.Vendor!.Name})",
        _ => $"the {e.Kind} \"{e.Input}\" ({e.Vendor?.Name})",
    };

    /// <summary>Why the register's name is not the maker: a relabel brand, or hardware evidence naming another maker.</summary>
    public static string? RelabelSentence(RegisteredDevice device, Identification identification)
    {
        var name = identification.Evidence.FirstOrDefault(e => e.Kind == EvidenceKind.Manufacturer);
        if (name?.Vendor is { } named && name.Method.EndsWith("oem-relabel", StringComparison.Ordinal) && identification.Vendor is { } maker && named.IsSameGroupAs(maker))
        {
            return $"\"{device.Manufacturer}\" is a brand under which {maker.Name} hardware is sold (OEM relabel).";
        }

        var hardware = identification.Evidence.Where(e => e.Kind is EvidenceKind.Model or EvidenceKind.MacAddress or EvidenceKind.Fingerprint && e.Vendor is not null && identification.Vendor is { } v && e.Vendor.IsSameGroupAs(v)).ToArray();
        if (hardware.Length == 0 || identification.Vendor is null)
        {
            return null;
        }

        var said = name?.Vendor is { } other ? $"{other.Name}" : "a name the catalogue does not know";
        return $"The register's manufacturer \"{device.Manufacturer}\" ({said}) differs from the hardware evidence ({string.Join(", ", hardware.Select(e => e.Kind switch
        {
            EvidenceKind.Model => $"model number {e.Input}",
            EvidenceKind.Fingerprint => $"seen on the network: {e.Input}",
            _ => $"MAC block of {e.Matched}",
        }))}), which says {identification.Vendor.Name}; the hardware was trusted.";
    }

    // One sentence per registrant (and country), built once: network gear outside the catalogue fills whole registers,
    // and the check of a 100,000-row register formats it for every row otherwise. Bounded like the identifier's caches.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string, bool), string> _registrySentences = new();

    public string RegistrySentence(string organisation, bool mainland)
    {
        if (_registrySentences.TryGetValue((organisation, mainland), out var sentence))
        {
            return sentence;
        }

        sentence = $"{MacRegisteredTo}{organisation} in the IEEE registry{(mainland ? ", a registrant in mainland China" : "")}, which is not in the catalogue: that names the block's registrant, not a catalogue identification.";
        if (_registrySentences.Count < 10_000)
        {
            _registrySentences.TryAdd((organisation, mainland), sentence);
        }

        return sentence;
    }

    /// <summary>What the MAC evidence says that is not a maker: no maker information, or where an unlisted registrant is.</summary>
    public static List<string> EvidenceNotes(Identification identification)
    {
        if (identification.MacWithoutMakerInformation is null && identification.RegistrantCountry is null)
        {
            return NoNotes;
        }

        var notes = new List<string>();
        if (identification.MacWithoutMakerInformation is { } mac)
        {
            notes.Add($"Its MAC address {mac.Input} carries no maker information: {MacInformation.Describe(mac.Method[Evidence.NoMakerInformationPrefix.Length..])}; it was not used as evidence.");
        }

        if (identification.RegistrantCountry is { } country && country.Matched is "HK" or "MO")
        {
            notes.Add($"Its MAC block's registrant, {country.Input}, is in {(country.Matched == "HK" ? "Hong Kong" : "Macao")}, a PRC special administrative region with its own legal system: the catalogue treats such registrants as contested, not as PRC-law makers.");
        }

        return notes;
    }

    /// <summary>The register's site sensitivity as a sentence that is true of it.</summary>
    public static string SiteFact(RegisteredDevice device) => device.Site?.Sensitive switch
    {
        true => "The site is sensitive.",
        false => "The site is not sensitive.",
        null => device.UnreadFields.Contains("site.sensitive") ? "The register's cell for whether the site is sensitive could not be read." : "The register does not say whether the site is sensitive.",
    };

    /// <summary>The register's network segment as a sentence that is true of it.</summary>
    public static string NetworkFact(RegisteredDevice device) => device.NetworkSegment switch
    {
        NetworkSegment.Core => "The device is on the core network.",
        { } other => $"The device is on the {other.ToWire()} network.",
        null => device.UnreadFields.Contains("networkSegment") ? "The register's cell for which network the device is on could not be read." : "The register does not say which network the device is on.",
    };

    /// <summary>
    /// The sentence that says the direction does not apply: names the register's device type, or says it is not
    /// recorded (a missing type is never claimed to be a non-surveillance type; check and push warn about it).
    /// </summary>
    public static string NotSurveillance(RegisteredDevice device) => device.DeviceType is { } type
        ? $"A device of type {type.ToWire()} is not visual surveillance equipment"
        : "Its device type is not recorded, so it is not treated as visual surveillance equipment";

    /// <summary>Why an unidentified or contested device cannot be cleared: what the register does not say, or what could not be read.</summary>
    public static string ExposureUnknown(RegisteredDevice device)
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
