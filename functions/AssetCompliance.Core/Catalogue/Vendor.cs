namespace AssetCompliance.Core.Catalogue;

/// <summary>How a brand or name relates to the vendor that makes the hardware.</summary>
public enum AliasRelationship
{
    OwnBrand,
    Subsidiary,
    OemRelabel,
    FormerSubsidiary,
    FormerName,
}

public sealed record VendorAlias(string Name, AliasRelationship Relationship, DateOnly? Until);

/// <summary>A list that names the vendor (FCC Covered List, NDAA s.889, US Entity List, DoD 1260H).</summary>
public sealed record VendorListing(string List, DateOnly Since, string Source);

public sealed record CatalogueSource(string Id, string Title, string Url, string Date);

/// <summary>
/// A company in the catalogue: a maker of devices, or an owner further up a maker's chain. Whether it is subject to
/// the PRC National Intelligence Law is derived from the jurisdictions up its parent chain unless the catalogue
/// overrides it, and is null where the question is open.
/// </summary>
public sealed class Vendor
{
    internal Vendor(string key, string name, string legalName, string jurisdiction, string confidence)
    {
        Key = key;
        Name = name;
        LegalName = legalName;
        Jurisdiction = jurisdiction;
        Confidence = confidence;
    }

    public string Key { get; }
    public string Name { get; }
    public string LegalName { get; }

    /// <summary>ISO 3166-1 alpha-2 code of the country the company is incorporated in.</summary>
    public string Jurisdiction { get; }

    public string Confidence { get; }
    public Vendor? Parent { get; internal set; }
    public IReadOnlyList<VendorAlias> Aliases { get; internal set; } = [];
    public IReadOnlyList<VendorListing> Listings { get; internal set; } = [];
    public IReadOnlyList<CatalogueSource> Sources { get; internal set; } = [];
    public string? Note { get; internal set; }
    public bool? SubjectToNationalIntelligenceLaw { get; internal set; }
    public string? NationalIntelligenceLawNote { get; internal set; }

    /// <summary>This vendor, then its parent, up to the ultimate owner.</summary>
    public IReadOnlyList<Vendor> OwnershipChain { get; internal set; } = [];

    public Vendor UltimateOwner => OwnershipChain[^1];

    /// <summary>True when <paramref name="other"/> is this vendor or sits above or below it in one ownership chain.</summary>
    public bool IsSameGroupAs(Vendor other) => OwnershipChain.Contains(other) || other.OwnershipChain.Contains(this);

    public override string ToString() => Key;
}
