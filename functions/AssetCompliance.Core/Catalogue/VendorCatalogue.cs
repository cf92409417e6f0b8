using System.Reflection;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace AssetCompliance.Core.Catalogue;

/// <summary>
/// A model-number pattern and the vendor whose products use it. <see cref="Family"/> names the product family when the
/// catalogue gives one (<c>modelFamilies</c>), with the real model numbers it was written from in
/// <see cref="Examples"/>; patterns from the older flat <c>modelPatterns</c> list have neither.
/// </summary>
public sealed record ModelPattern(Vendor Vendor, string Pattern, Regex Regex, string? Family = null, IReadOnlyList<string>? Examples = null)
{
    /// <summary>
    /// The same pattern over the compact form of model numbers (<see cref="ModelNumber.Compact"/>): matched against
    /// <c>ModelNumber.Compact(model)</c> it accepts the model with its separators omitted, added or changed.
    /// </summary>
    /// <remarks>Null when the pattern is too broad to be trusted without its separators
    /// (<see cref="ModelPatternSyntax.CompactMinimumLength"/>): it then matches only as written.</remarks>
    public Regex? CompactRegex { get; } = ModelPatternSyntax.CompactMinimumMatchLength(Pattern) >= ModelPatternSyntax.CompactMinimumLength
        ? new(ModelNumber.CompactPattern(Pattern), Regex.Options, Regex.MatchTimeout)
        : null;

    /// <summary>Whether <paramref name="normalised"/> (<see cref="ModelNumber.Normalise"/>) or its compact form matches.</summary>
    public bool Matches(string normalised, string compact) => Regex.IsMatch(normalised) || CompactRegex?.IsMatch(compact) == true;
}

/// <summary>An anchored pattern over IEEE registered-organisation names, used to attribute MAC blocks to vendors.</summary>
public sealed record OrganisationPattern(Vendor Vendor, string Pattern, Regex Regex);

/// <summary>
/// The vendor catalogue (catalogue/vendors.json) with the IEEE registry extract (catalogue/oui.tsv), validated and
/// indexed. Its <see cref="Version"/> is a content hash, recorded with every evaluation so that a stored result can
/// be traced to the exact data it was made with.
/// </summary>
public sealed class VendorCatalogue
{
    // Interpreted, not Compiled: patterns run only on a cache miss, and compiling ~100 of them cost a CLI start-up 100 ms.
    private const RegexOptions PatternOptions = RegexOptions.IgnoreCase | RegexOptions.CultureInvariant;
    private static readonly Lazy<VendorCatalogue> Embedded = new(LoadEmbedded);

    // The Unicode extracts the name matcher uses (catalogue/nfkc-ascii.txt, catalogue/confusables.txt) change what a
    // name identifies as surely as vendors.json does, so they are part of the version: a new extract re-evaluates the
    // stored estate like any other catalogue change.
    private static readonly Lazy<byte[]> NameDataDigest = new(() => SHA256.HashData(
        [.. ReadResource(typeof(VendorCatalogue).Assembly, "AssetCompliance.catalogue.nfkc-ascii.txt"),
         .. ReadResource(typeof(VendorCatalogue).Assembly, "AssetCompliance.catalogue.confusables.txt")]));

    private VendorCatalogue(
        string version,
        IReadOnlyDictionary<string, Vendor> vendors,
        IReadOnlyList<ModelPattern> modelPatterns,
        IReadOnlyList<OrganisationPattern> organisationPatterns,
        OuiRegistry registry,
        VendorNameNormaliser normaliser,
        IReadOnlySet<string> distinctCompanies)
    {
        Version = version;
        Vendors = vendors;
        ModelPatterns = modelPatterns;
        ModelIndex = new ModelPatternIndex(modelPatterns);
        OrganisationPatterns = organisationPatterns;
        Registry = registry;
        Normaliser = normaliser;
        DistinctCompanyKeys = distinctCompanies;
    }

    /// <summary>"cat-" and the first 12 hex digits of the SHA-256 of vendors.json, oui.tsv, registrants.json and the name matcher's Unicode extracts.</summary>
    public string Version { get; }

    public IReadOnlyDictionary<string, Vendor> Vendors { get; }
    public IReadOnlyList<ModelPattern> ModelPatterns { get; }

    /// <summary><see cref="ModelPatterns"/> by the first character of the model number they can match.</summary>
    internal ModelPatternIndex ModelIndex { get; }
    public IReadOnlyList<OrganisationPattern> OrganisationPatterns { get; }
    public OuiRegistry Registry { get; }
    internal VendorNameNormaliser Normaliser { get; }

    /// <summary>Normalised names of real companies that must never be taken for a catalogue vendor by typo tolerance.</summary>
    internal IReadOnlySet<string> DistinctCompanyKeys { get; }

    /// <summary>The catalogue built into this assembly.</summary>
    public static VendorCatalogue Default => Embedded.Value;

    /// <summary>The catalogue from vendors.json and oui.tsv, with the built-in registrants.json.</summary>
    public static VendorCatalogue Load(ReadOnlySpan<byte> vendorsJson, string ouiTsv) => Load(vendorsJson, ouiTsv, RegistrantCatalogue.Default);

    /// <summary>The catalogue from vendors.json, oui.tsv and registrants.json (chip and module makers among registrants).</summary>
    public static VendorCatalogue Load(ReadOnlySpan<byte> vendorsJson, string ouiTsv, RegistrantCatalogue registrants)
    {
        var document = JsonSerializer.Deserialize(vendorsJson, CatalogueJsonContext.Default.CatalogueDocument)
            ?? throw new InvalidDataException("vendors.json is empty");
        var vendors = BuildVendors(document);
        var registry = OuiRegistry.Parse(ouiTsv, vendors, registrants);

        var models = new List<ModelPattern>();
        var organisations = new List<OrganisationPattern>();
        foreach (var doc in document.Vendors)
        {
            var vendor = vendors[doc.Key];
            models.AddRange(doc.ModelPatterns.Select(p => new ModelPattern(vendor, p, CompileModelPattern(p, doc.Key))));
            models.AddRange(doc.ModelFamilies.Select(f => new ModelPattern(vendor, f.Pattern, CompileModelPattern(f.Pattern, doc.Key), f.Family, f.Examples)));
            organisations.AddRange(doc.OuiOrganisations.Select(p => new OrganisationPattern(vendor, p, CompileAnchored(p, doc.Key))));
        }

        var normaliser = new VendorNameNormaliser(document.NameNoiseWords);
        var distinct = document.DistinctCompanies.Select(normaliser.Key).Where(k => k.Length > 0).ToHashSet(StringComparer.Ordinal);
        RefuseSharedNames(vendors.Values, normaliser, distinct);

        var hash = SHA256.HashData([.. vendorsJson, .. System.Text.Encoding.UTF8.GetBytes(ouiTsv), .. registrants.Content, .. NameDataDigest.Value]);
        var version = "cat-" + Convert.ToHexStringLower(hash)[..12];
        return new VendorCatalogue(version, vendors, models, organisations, registry, normaliser, distinct) { Registrants = registrants };
    }

    private static Regex CompileModelPattern(string pattern, string vendorKey) =>
        ModelPatternSyntax.NestsUnboundedRepetition(pattern)
            ? throw new InvalidDataException($"vendor '{vendorKey}': model pattern '{pattern}' repeats a group that itself repeats without bound; it would backtrack exponentially on a near-miss (bound the inner or the outer repetition)")
            : CompileAnchored(pattern, vendorKey);

    /// <summary>The chip and module makers among IEEE registrants this catalogue weighs as such.</summary>
    public RegistrantCatalogue Registrants { get; private init; } = RegistrantCatalogue.Empty;

    /// <summary>
    /// One name, one entity: a register that writes a vendor's legal name or one of its aliases must reach that vendor (or
    /// a company of its own ownership chain) and no other. Two entities whose names normalise to one key (the Shenzhen company's legal name "TP-LINK Technologies
    /// Co., Ltd." is the brand "TP-Link") would make the answer depend on load order and flag genuine devices as
    /// relabels, so the catalogue is refused with both keys named. A name listed as a distinct company must not be a
    /// vendor's name either: it would be refused by typo tolerance and taken by the exact match at once.
    /// </summary>
    private static void RefuseSharedNames(IEnumerable<Vendor> vendors, VendorNameNormaliser normaliser, IReadOnlySet<string> distinct)
    {
        var owners = new Dictionary<string, (Vendor Vendor, string Name)>(StringComparer.Ordinal);
        foreach (var vendor in vendors)
        {
            foreach (var name in vendor.Aliases.Select(a => a.Name).Prepend(vendor.LegalName))
            {
                var key = normaliser.Key(name);
                if (key.Length == 0)
                {
                    continue;
                }

                // Within one ownership chain, and under the same law, the answer does not depend on which entity the key
                // reaches ("Shanghai ZTE Technologies" is a ZTE company and normalises to "ZTE"). Unrelated entities, or a
                // PRC-law company and a contested one of its group, must not share a name.
                if (owners.TryGetValue(key, out var owner) && owner.Vendor != vendor &&
                    (!owner.Vendor.IsSameGroupAs(vendor) || owner.Vendor.SubjectToNationalIntelligenceLaw != vendor.SubjectToNationalIntelligenceLaw))
                {
                    throw new InvalidDataException(
                        $"name '{name}' of vendor '{vendor.Key}' normalises to '{key}', as '{owner.Name}' of vendor '{owner.Vendor.Key}' does: one name must identify one entity");
                }

                if (distinct.Contains(key))
                {
                    throw new InvalidDataException($"name '{name}' of vendor '{vendor.Key}' is also listed in distinctCompanies");
                }

                owners.TryAdd(key, (vendor, name));
            }
        }
    }

    private static Regex CompileAnchored(string pattern, string vendorKey)
    {
        if (!pattern.StartsWith('^'))
        {
            throw new InvalidDataException($"vendor '{vendorKey}': pattern '{pattern}' must be anchored with '^' so that it cannot match in the middle of a string");
        }

        // Patterns that could backtrack exponentially are refused above, so the timeout only guards against a
        // pathological input; 100 ms fired spuriously in a plain anchored match on a loaded 2-core host.
        return new Regex(pattern, PatternOptions, TimeSpan.FromSeconds(1));
    }

    private static Dictionary<string, Vendor> BuildVendors(CatalogueDocument document)
    {
        var sources = document.Sources.ToDictionary(s => s.Key, s => new CatalogueSource(s.Key, s.Value.Title, s.Value.Url, s.Value.Date), StringComparer.Ordinal);
        var vendors = new Dictionary<string, Vendor>(StringComparer.Ordinal);
        foreach (var doc in document.Vendors)
        {
            if (!vendors.TryAdd(doc.Key, new Vendor(doc.Key, doc.Name, doc.LegalName, doc.Jurisdiction, doc.Confidence)))
            {
                throw new InvalidDataException($"vendor key '{doc.Key}' appears twice");
            }
        }

        foreach (var doc in document.Vendors)
        {
            var vendor = vendors[doc.Key];
            if (doc.Parent is not null)
            {
                vendor.Parent = vendors.GetValueOrDefault(doc.Parent)
                    ?? throw new InvalidDataException($"vendor '{doc.Key}': parent '{doc.Parent}' is not in the catalogue");
            }

            vendor.Note = doc.Note;
            // Every claim cites sources the catalogue defines: a brand's link, a model family, the registry names.
            foreach (var id in doc.Aliases.SelectMany(a => a.Sources).Concat(doc.ModelFamilies.SelectMany(f => f.Sources)).Concat(doc.OuiOrganisationSources))
            {
                Resolve(id);
            }

            vendor.Aliases = doc.Aliases.Select(a => new VendorAlias(a.Name, ParseRelationship(a.Relationship, doc.Key), a.Until)).ToArray();
            vendor.Listings = doc.Listings.Select(l => new VendorListing(l.List, l.Since, Resolve(l.Source))).ToArray();
            vendor.Sources = doc.Sources.Select(id => sources.GetValueOrDefault(id)
                ?? throw new InvalidDataException($"vendor '{doc.Key}': source '{id}' is not in 'sources'")).ToArray();
            foreach (var former in doc.FormerParents)
            {
                if (!vendors.ContainsKey(former.Vendor))
                {
                    throw new InvalidDataException($"vendor '{doc.Key}': former parent '{former.Vendor}' is not in the catalogue");
                }
            }

            string Resolve(string id) => sources.ContainsKey(id) ? id : throw new InvalidDataException($"vendor '{doc.Key}': source '{id}' is not in 'sources'");
        }

        foreach (var doc in document.Vendors)
        {
            var vendor = vendors[doc.Key];
            var chain = new List<Vendor>();
            for (var v = vendor; v is not null; v = v.Parent)
            {
                if (chain.Contains(v))
                {
                    throw new InvalidDataException($"vendor '{doc.Key}': the parent chain loops");
                }

                chain.Add(v);
            }

            vendor.OwnershipChain = chain;
            if (doc.NationalIntelligenceLaw is { } overrideDoc)
            {
                vendor.SubjectToNationalIntelligenceLaw = overrideDoc.Subject;
                vendor.NationalIntelligenceLawNote = overrideDoc.Note;
            }
            else
            {
                // Derived: the 2017 law binds organisations under PRC jurisdiction, and control passes down the chain.
                var prcLink = chain.FirstOrDefault(v => v.Jurisdiction == "CN");
                vendor.SubjectToNationalIntelligenceLaw = prcLink is not null;
                vendor.NationalIntelligenceLawNote = prcLink is null
                    ? null
                    : prcLink == vendor ? "Incorporated in the PRC." : $"Owned through {prcLink.Name}, incorporated in the PRC.";
            }
        }

        return vendors;
    }

    private static AliasRelationship ParseRelationship(string value, string vendorKey) => value switch
    {
        "own-brand" => AliasRelationship.OwnBrand,
        "subsidiary" => AliasRelationship.Subsidiary,
        "oem-relabel" => AliasRelationship.OemRelabel,
        "former-subsidiary" => AliasRelationship.FormerSubsidiary,
        "former-name" => AliasRelationship.FormerName,
        _ => throw new InvalidDataException($"vendor '{vendorKey}': unknown alias relationship '{value}'"),
    };

    private static VendorCatalogue LoadEmbedded()
    {
        var assembly = typeof(VendorCatalogue).Assembly;
        var vendors = ReadResource(assembly, "AssetCompliance.catalogue.vendors.json");
        var oui = System.Text.Encoding.UTF8.GetString(ReadResource(assembly, "AssetCompliance.catalogue.oui.tsv"));
        return Load(vendors, oui);
    }

    internal static byte[] ReadResource(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"embedded resource '{name}' is missing from {assembly.GetName().Name}");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }
}
