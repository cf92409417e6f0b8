namespace AssetCompliance.Core.Catalogue;

/// <summary>
/// How a piece of evidence reads for a person (<c>lookup</c>, the Teams card): what it matched, or why it names no
/// maker. One wording everywhere, so that a registrant the catalogue does not know is never shown as an identification.
/// </summary>
public static class EvidenceText
{
    /// <summary>What <paramref name="evidence"/> came to.</summary>
    public static string Outcome(Evidence evidence) => Outcome(evidence.Kind, evidence.Method, evidence.Matched, evidence.Vendor is not null);

    /// <summary>What a piece of evidence came to, from its stored parts (<c>EvidenceSnapshot</c>).</summary>
    /// <param name="kind">Its kind.</param>
    /// <param name="method">Its method (<see cref="Evidence.Method"/>).</param>
    /// <param name="matched">What it matched; empty when nothing.</param>
    /// <param name="hasVendor">Whether it named a catalogue vendor.</param>
    public static string Outcome(EvidenceKind kind, string method, string matched, bool hasVendor)
    {
        if (method.StartsWith(Evidence.NoMakerInformationPrefix, StringComparison.Ordinal))
        {
            return "carries no maker information: " + MacInformation.Describe(method[Evidence.NoMakerInformationPrefix.Length..]);
        }

        if (kind == EvidenceKind.RegistrantCountry)
        {
            return matched switch
            {
                "CN" => "registrant in mainland China (PRC)",
                "HK" => "registrant in Hong Kong (PRC SAR; treated as contested)",
                "MO" => "registrant in Macao (PRC SAR; treated as contested)",
                _ => "registrant in " + matched,
            };
        }

        if (matched.Length == 0)
        {
            return "no match";
        }

        if (kind == EvidenceKind.MacAddress && method.EndsWith(Evidence.ModuleMakerSuffix, StringComparison.Ordinal))
        {
            return $"{matched} (a chip or radio-module maker: says who made the radio, weak evidence)";
        }

        return kind == EvidenceKind.MacAddress && !hasVendor ? $"{matched} (IEEE registrant, not in the catalogue)" : matched;
    }

    /// <summary>The kind as stored (<c>EvidenceSnapshot.Kind</c>) back to the enum; unknown text is a fingerprint.</summary>
    public static EvidenceKind KindOf(string stored) => stored switch
    {
        "manufacturer" => EvidenceKind.Manufacturer,
        "model" => EvidenceKind.Model,
        "macAddress" => EvidenceKind.MacAddress,
        "registrantCountry" => EvidenceKind.RegistrantCountry,
        _ => EvidenceKind.Fingerprint,
    };
}
