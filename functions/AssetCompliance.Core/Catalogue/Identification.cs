namespace AssetCompliance.Core.Catalogue;

/// <summary>Which kind of input a piece of evidence came from (docs/identification.md has the decision table).</summary>
public enum EvidenceKind
{
    /// <summary>The manufacturer as the register writes it.</summary>
    Manufacturer,

    /// <summary>The model number, matched against the catalogue's model patterns.</summary>
    Model,

    /// <summary>The MAC address: its IEEE block (MA-L, MA-M, MA-S) and registrant, or why it carries no maker information.</summary>
    MacAddress,

    /// <summary>
    /// Where the IEEE registry says the MAC block's registrant is (ISO 3166-1 alpha-2 in <see cref="Evidence.Matched"/>),
    /// given when the registrant is not a catalogue vendor and is in mainland China, Hong Kong or Macao.
    /// </summary>
    RegistrantCountry,

    /// <summary>What the device showed when observed on the network (catalogue/fingerprints.json through <see cref="FingerprintCatalogue"/>).</summary>
    Fingerprint,
}

/// <summary>How much a piece of evidence weighs in the decision table (docs/identification.md).</summary>
public enum EvidenceStrength
{
    /// <summary>Says nothing about the maker: an unmatched name, a MAC that carries no maker information, an unlisted registrant.</summary>
    None,

    /// <summary>Points at a maker but may be wrong: a typo-tolerant or partial name, a radio module maker's MAC block, a registrant's country.</summary>
    Weak,

    /// <summary>Identifies a maker on its own: an exact brand or legal name, a model number, a catalogue vendor's MAC block, a fingerprint.</summary>
    Strong,
}

/// <summary>
/// One reason for an identification: what was looked at (<see cref="Input"/>), what it matched
/// (<see cref="Matched"/>: an alias, a model pattern, a registered organisation, a country code) and how
/// (<see cref="Method"/>). Its weight is <see cref="EvidenceTable.StrengthOf"/>.
/// </summary>
public sealed record Evidence(EvidenceKind Kind, string Method, string Input, string Matched, Vendor? Vendor)
{
    /// <summary>Method prefix of a MAC address that carries no maker information (<see cref="MacInformation"/>).</summary>
    public const string NoMakerInformationPrefix = "no-maker-information:";

    /// <summary>Method suffix of a MAC block registered to a chip or radio-module maker (catalogue/registrants.json).</summary>
    public const string ModuleMakerSuffix = ":module-maker";

    /// <summary>True for a MAC address that names no maker (locally administered, group, all-zero, a known placeholder).</summary>
    public bool CarriesNoMakerInformation => Kind == EvidenceKind.MacAddress && Method.StartsWith(NoMakerInformationPrefix, StringComparison.Ordinal);

    /// <summary>True for a MAC block the IEEE registry lists (whether or not the catalogue knows its registrant).</summary>
    public bool IsRegisteredBlock => Kind == EvidenceKind.MacAddress && Method.StartsWith("ieee-", StringComparison.Ordinal);
}

/// <summary>
/// Strong evidence that disagrees about whether the maker is subject to the PRC National Intelligence Law: one side
/// names a PRC-law vendor, the other a vendor that is not (or whose status is contested). <see cref="Settled"/> is
/// true when the side that won (<see cref="Identification.Vendor"/>) outweighs the other outright; the policy never
/// clears such a device (docs/identification.md).
/// </summary>
public sealed record EvidenceConflict(IReadOnlyList<Evidence> PrcSide, IReadOnlyList<Evidence> OtherSide, bool PrcSideWon, bool Settled);

/// <summary>
/// Who made a device, with every piece of evidence. The combination is decided by <see cref="EvidenceTable"/>:
/// hardware evidence (model number, MAC block) outweighs the register's name, and <see cref="RelabelSuspected"/> is
/// set when the register names another maker (or a relabel brand). <see cref="Conflict"/> is set when strong evidence
/// disagrees about a PRC-law maker.
/// </summary>
public sealed record Identification(Vendor? Vendor, IReadOnlyList<Evidence> Evidence, bool RelabelSuspected)
{
    public static Identification None { get; } = new(null, [], false);

    /// <summary>Strong evidence on both sides of the PRC-law question, or null (see <see cref="EvidenceConflict"/>).</summary>
    public EvidenceConflict? Conflict { get; init; }

    /// <summary>The registered organisation of the MAC block when it is not a catalogue vendor (information only).</summary>
    public string? UnlistedMacOrganisation
    {
        get
        {
            foreach (var e in Evidence)
            {
                if (e.Vendor is null && e.IsRegisteredBlock)
                {
                    return e.Matched;
                }
            }

            return null;
        }
    }

    /// <summary>The MAC evidence when the address carries no maker information, else null.</summary>
    public Evidence? MacWithoutMakerInformation
    {
        get
        {
            foreach (var e in Evidence)
            {
                if (e.CarriesNoMakerInformation)
                {
                    return e;
                }
            }

            return null;
        }
    }

    /// <summary>The registrant-country evidence (a MAC block of an unlisted organisation in CN, HK or MO), or null.</summary>
    public Evidence? RegistrantCountry
    {
        get
        {
            foreach (var e in Evidence)
            {
                if (e.Kind == EvidenceKind.RegistrantCountry)
                {
                    return e;
                }
            }

            return null;
        }
    }
}
