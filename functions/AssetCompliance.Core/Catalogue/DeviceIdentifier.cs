using System.Collections.Concurrent;
using AssetCompliance.Core.Events;

namespace AssetCompliance.Core.Catalogue;

/// <summary>
/// Identifies the real maker of a device from the manufacturer string, the model number and the MAC address (its block
/// and the block's registrant country), combined by <see cref="EvidenceTable"/>. Name and model results are cached by input string because registers repeat the same few hundred
/// values across thousands of rows; that keeps the hot path to dictionary lookups.
/// </summary>
public sealed class DeviceIdentifier
{
    private const int CacheLimit = 50_000;

    private readonly VendorCatalogue _catalogue;
    private readonly NameMatcher _names;
    private readonly ModelMatcher _models;

    // Method groups converted once: passing a matcher's Match to CachedLookup directly allocates a delegate on every call.
    private readonly Func<string, Evidence?> _matchName;
    private readonly Func<string, Evidence?> _matchModel;

    private readonly ConcurrentDictionary<string, Evidence?> _nameCache = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Evidence?> _modelCache = new(StringComparer.Ordinal);

    public DeviceIdentifier(VendorCatalogue catalogue)
    {
        _catalogue = catalogue;
        _names = new NameMatcher(catalogue);
        _models = new ModelMatcher(catalogue, _names);
        _matchName = _names.Match;
        _matchModel = _models.Match;
    }

    public VendorCatalogue Catalogue => _catalogue;

    /// <summary>
    /// Who made a device, by the decision table in <see cref="EvidenceTable"/> (docs/identification.md): each input
    /// gives at most one piece of evidence (a MAC block registered in mainland China, Hong Kong or Macao to an
    /// organisation the catalogue does not know adds its country), strong hardware evidence outweighs the register's
    /// name, and strong evidence that disagrees about a PRC-law maker is returned as <see cref="Identification.Conflict"/>.
    /// </summary>
    public Identification Identify(string? manufacturer, string? model, string? macAddress) => Identify(manufacturer, model, macAddress, []);

    /// <summary>
    /// As <see cref="Identify(string?, string?, string?)"/>, with what the device showed on the network
    /// (<see cref="FingerprintCatalogue.EvidenceOf"/>: at most <see cref="FingerprintCatalogue.MaxEvidence"/>, one per
    /// vendor group) taking part: strong fingerprints weigh as hardware, weak ones decide only when nothing strong does,
    /// and a PRC-law fingerprint against other strong evidence is a <see cref="Identification.Conflict"/>, never cleared.
    /// </summary>
    public Identification Identify(string? manufacturer, string? model, string? macAddress, IReadOnlyList<Evidence> fingerprints)
    {
        if (fingerprints.Count > FingerprintCatalogue.MaxEvidence || fingerprints.Any(f => f.Kind != EvidenceKind.Fingerprint))
        {
            throw new ArgumentException($"at most {FingerprintCatalogue.MaxEvidence} fingerprint evidence items", nameof(fingerprints));
        }

        var name = string.IsNullOrWhiteSpace(manufacturer) ? null : CachedLookup(_nameCache, manufacturer.Trim(), _matchName);
        var modelEvidence = string.IsNullOrWhiteSpace(model) ? null : CachedLookup(_modelCache, model.Trim(), _matchModel);
        var (macEvidence, countryEvidence) = MatchMac(macAddress);

        if (name is null && modelEvidence is null && macEvidence is null && fingerprints.Count == 0)
        {
            return Identification.None;
        }

        // Show the register's side of a conflict even when the catalogue does not know the name.
        var nameEvidence = name ?? (string.IsNullOrWhiteSpace(manufacturer)
            ? null
            : new Evidence(EvidenceKind.Manufacturer, "unmatched", manufacturer.Trim(), string.Empty, null));
        var evidence = new Evidence[(nameEvidence is null ? 0 : 1) + (modelEvidence is null ? 0 : 1) + (macEvidence is null ? 0 : 1) + (countryEvidence is null ? 0 : 1) + fingerprints.Count];
        var count = 0;
        if (nameEvidence is not null) evidence[count++] = nameEvidence;
        if (modelEvidence is not null) evidence[count++] = modelEvidence;
        if (macEvidence is not null) evidence[count++] = macEvidence;
        if (countryEvidence is not null) evidence[count++] = countryEvidence;
        foreach (var fingerprint in fingerprints) evidence[count++] = fingerprint;

        var (vendor, fromHardware, conflict) = EvidenceTable.Decide(evidence);

        // A relabel is suspected when hardware evidence decided and the register names another maker (or a name the
        // catalogue does not know), or names a known relabel brand. A brand of the same corporate group is not a relabel.
        var registered = manufacturer?.Trim();
        var hardwareDisagrees = vendor is not null && fromHardware && !string.IsNullOrEmpty(registered) &&
            (name?.Vendor is null || !name.Vendor.IsSameGroupAs(vendor));
        var knownRelabelBrand = name is not null && name.Method.EndsWith("oem-relabel", StringComparison.Ordinal);
        return new Identification(vendor, evidence, hardwareDisagrees || knownRelabelBrand) { Conflict = conflict };
    }

    /// <summary>
    /// The method prefix of a name matched through the confusable skeleton (<c>suspicious-name:own-brand</c>): the
    /// vendor is identified, and the disguise is evidence in itself.
    /// </summary>
    public const string SuspiciousName = "suspicious-name";

    /// <summary>
    /// The MAC's evidence: why it carries no maker information, or its registered block (with the registrant's
    /// country when that is evidence of its own; see <see cref="OuiAssignment.CountryEvidence"/>).
    /// </summary>
    private (Evidence? Mac, Evidence? Country) MatchMac(string? macAddress)
    {
        if (string.IsNullOrWhiteSpace(macAddress) || !MacAddress.TryParse(macAddress, out var mac))
        {
            return (null, null);
        }

        if (MacInformation.NoMakerReason(mac) is { } reason)
        {
            return (new Evidence(EvidenceKind.MacAddress, Evidence.NoMakerInformationPrefix + reason, mac.ToString(), string.Empty, null), null);
        }

        var assignment = _catalogue.Registry.Lookup(mac);
        return assignment is null
            ? (null, null)
            : (new Evidence(EvidenceKind.MacAddress, assignment.EvidenceMethod, mac.ToString(), assignment.Organisation, assignment.Vendor), assignment.CountryEvidence);
    }

    private static Evidence? CachedLookup(ConcurrentDictionary<string, Evidence?> cache, string input, Func<string, Evidence?> compute)
    {
        if (cache.TryGetValue(input, out var cached))
        {
            return cached;
        }

        var result = compute(input);
        if (cache.Count < CacheLimit)
        {
            cache.TryAdd(input, result);
        }

        return result;
    }
}
