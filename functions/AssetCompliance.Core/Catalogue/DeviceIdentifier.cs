using System.Collections.Concurrent;
using AssetCompliance.Core.Events;

namespace AssetCompliance.Core.Catalogue;

/// <summary>
/// Identifies the real maker of a device from three kinds of evidence: the manufacturer string, the model number and
/// the MAC address. Name and model results are cached by input string because registers repeat the same few hundred
/// values across thousands of rows; that keeps the hot path to dictionary lookups.
/// </summary>
public sealed class DeviceIdentifier
{
    private const int CacheLimit = 50_000;
    private const int FuzzyMinimumLength = 5;
    private const int LooseTypoMinimumLength = 7;

    private readonly VendorCatalogue _catalogue;
    private readonly Dictionary<string, (Vendor Vendor, VendorAlias Alias)> _aliases = new(StringComparer.Ordinal);

    // The same names keyed by their folded skeleton (ConfusableSkeleton.Fold), for names written with look-alike
    // letters of other scripts. A folded key two vendors share is left out: a disguise that could be either is no match.
    private readonly Dictionary<string, (Vendor Vendor, VendorAlias Alias)> _lookAlikes = new(StringComparer.Ordinal);
    private readonly Lazy<HashSet<string>> _knownCompanies;

    // One set per catalogue, shared by every identifier made from it: building it reads 30,000 registry names.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<VendorCatalogue, HashSet<string>> KnownCompaniesByCatalogue = new();
    private readonly ConcurrentDictionary<string, Evidence?> _nameCache = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Evidence?> _modelCache = new(StringComparer.Ordinal);

    public DeviceIdentifier(VendorCatalogue catalogue)
    {
        _catalogue = catalogue;
        foreach (var vendor in catalogue.Vendors.Values)
        {
            foreach (var alias in vendor.Aliases)
            {
                Register(catalogue.Normaliser.Key(alias.Name), vendor, alias);
            }

        }

        // A register may carry the legal name; it identifies the vendor as surely as a brand. The loader has refused a
        // catalogue where a legal name and another vendor's alias share a key, so this cannot take a name from anyone.
        foreach (var vendor in catalogue.Vendors.Values)
        {
            Register(catalogue.Normaliser.Key(vendor.LegalName), vendor, new VendorAlias(vendor.LegalName, AliasRelationship.OwnBrand, null));
        }

        var shared = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, entry) in _aliases)
        {
            var folded = ConfusableSkeleton.Fold(key);
            if (_lookAlikes.TryGetValue(folded, out var existing) && existing.Vendor != entry.Vendor)
            {
                shared.Add(folded);
            }

            _lookAlikes.TryAdd(folded, entry);
        }

        foreach (var folded in shared)
        {
            _lookAlikes.Remove(folded);
        }

        // Built on the first typo-tolerant lookup only, once per catalogue: 30,000 registry names cost nothing on the hot path.
        _knownCompanies = new Lazy<HashSet<string>>(
            () => KnownCompaniesByCatalogue.GetValue(_catalogue, _ => BuildKnownCompanies()), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public VendorCatalogue Catalogue => _catalogue;

    public Identification Identify(string? manufacturer, string? model, string? macAddress)
    {
        var name = string.IsNullOrWhiteSpace(manufacturer) ? null : CachedLookup(_nameCache, manufacturer.Trim(), MatchName);
        var modelEvidence = string.IsNullOrWhiteSpace(model) ? null : CachedLookup(_modelCache, model.Trim(), MatchModel);
        var macEvidence = MatchMac(macAddress);

        if (name is null && modelEvidence is null && macEvidence is null)
        {
            return Identification.None;
        }

        // Show the register's side of a conflict even when the catalogue does not know the name.
        var nameEvidence = name ?? (string.IsNullOrWhiteSpace(manufacturer)
            ? null
            : new Evidence(EvidenceKind.Manufacturer, "unmatched", manufacturer.Trim(), string.Empty, null));
        var evidence = new Evidence[(nameEvidence is null ? 0 : 1) + (modelEvidence is null ? 0 : 1) + (macEvidence is null ? 0 : 1)];
        var count = 0;
        if (nameEvidence is not null) evidence[count++] = nameEvidence;
        if (modelEvidence is not null) evidence[count++] = modelEvidence;
        if (macEvidence is not null) evidence[count] = macEvidence;

        // Hardware decides: the MAC block's registrant, then the model number, then what the register says.
        var hardware = macEvidence?.Vendor ?? modelEvidence?.Vendor;
        var vendor = hardware ?? name?.Vendor;

        // A relabel is suspected when the hardware points at one maker and the register names another (or a name the
        // catalogue does not know). A brand of the same corporate group is not a relabel.
        var registered = manufacturer?.Trim();
        var hardwareDisagrees = hardware is not null && !string.IsNullOrEmpty(registered) &&
            (name?.Vendor is null || !name.Vendor.IsSameGroupAs(hardware));
        var knownRelabelBrand = name is not null && name.Method.EndsWith("oem-relabel", StringComparison.Ordinal);
        var relabel = hardwareDisagrees || knownRelabelBrand;
        return new Identification(vendor, evidence, relabel);
    }

    private Evidence? MatchName(string manufacturer)
    {
        var normaliser = _catalogue.Normaliser;
        var tokens = normaliser.Tokens(manufacturer);
        if (tokens.Count == 0)
        {
            return null;
        }

        if (MatchWords(tokens, _aliases) is { } plain)
        {
            return NameEvidence(plain.How, plain.Match);
        }

        // Look-alike letters of other scripts ("Нikvision" with a Cyrillic EN, "Dаhuа" with Cyrillic a): matched through
        // the confusable skeleton and reported as suspicious, because a register does not write a maker's name so by
        // accident. Only names with such letters take this path, so a plain-ASCII name is never flagged.
        // The extract is parsed on first use: a register of ASCII names never loads it.
        if (ConfusableSkeleton.HasNonAscii(manufacturer) && ConfusableSkeleton.Default.HasLookAlikes(manufacturer))
        {
            var lookAlike = normaliser.Tokens(ConfusableSkeleton.Default.ToAsciiLookAlikes(manufacturer));
            var folded = lookAlike.Select(ConfusableSkeleton.Fold).ToArray();
            if (folded.Length > 0 && MatchWords(folded, _lookAlikes) is { } disguised)
            {
                return NameEvidence(SuspiciousName, disguised.Match);
            }

            var fuzzyLookAlike = FuzzyName(lookAlike);
            return fuzzyLookAlike is null ? null : fuzzyLookAlike with { Method = SuspiciousName + ":" + fuzzyLookAlike.Method, Input = manufacturer };
        }

        var fuzzy = FuzzyName(tokens);
        return fuzzy is null ? null : fuzzy with { Input = manufacturer };

        Evidence NameEvidence(string how, (Vendor Vendor, VendorAlias Alias) match) =>
            new(EvidenceKind.Manufacturer, $"{how}:{Wire(match.Alias.Relationship)}", manufacturer, match.Alias.Name, match.Vendor);
    }

    /// <summary>
    /// The method prefix of a name matched through the confusable skeleton (<c>suspicious-name:own-brand</c>): the
    /// vendor is identified, and the disguise is evidence in itself.
    /// </summary>
    public const string SuspiciousName = "suspicious-name";

    /// <summary>Whole name, then leading words, then any run of whole words, against one of the name dictionaries.</summary>
    private static (string How, (Vendor Vendor, VendorAlias Alias) Match)? MatchWords(
        IReadOnlyList<string> tokens, Dictionary<string, (Vendor Vendor, VendorAlias Alias)> names)
    {
        if (names.TryGetValue(string.Concat(tokens), out var exact))
        {
            return ("exact", exact);
        }

        // Leading words: "Axis Communications AB Sweden" begins with the alias "Axis".
        for (var count = tokens.Count - 1; count >= 1; count--)
        {
            if (names.TryGetValue(string.Concat(tokens.Take(count)), out var prefix))
            {
                return ("leading-words", prefix);
            }
        }

        // Any run of whole words: "Acme Installations (Hikvision)". Short aliases are excluded: "UNV" inside a
        // reseller's name is more likely a coincidence than a maker.
        for (var start = 1; start < tokens.Count; start++)
        {
            for (var count = tokens.Count - start; count >= 1; count--)
            {
                var window = string.Concat(tokens.Skip(start).Take(count));
                if (window.Length >= FuzzyMinimumLength && names.TryGetValue(window, out var inner))
                {
                    return ("contains", inner);
                }
            }
        }

        return null;
    }

    /// <summary>
    /// Typing errors ("Hikvison", "Dahau", "Univeiw"), never one real company taken for another: a name the catalogue
    /// lists as a distinct company, or one the IEEE registry knows as an organisation of its own, is not a typo.
    /// </summary>
    private Evidence? FuzzyName(IReadOnlyList<string> tokens)
    {
        if (tokens.Count == 0)
        {
            return null;
        }

        var key = string.Concat(tokens);
        var known = _knownCompanies.Value;
        if (tokens.Any(_catalogue.DistinctCompanyKeys.Contains) || known.Contains(key) || known.Contains(tokens[0]))
        {
            return null;
        }

        return FuzzyMatch(key) ?? (tokens.Count > 1 ? FuzzyMatch(tokens[0]) : null);
    }

    private Evidence? FuzzyMatch(string key)
    {
        if (key.Length < FuzzyMinimumLength)
        {
            return null;
        }

        (Vendor Vendor, VendorAlias Alias)? found = null;
        foreach (var (aliasKey, candidate) in _aliases)
        {
            if (!IsLikelyTypo(key, aliasKey))
            {
                continue;
            }

            if (found is { } previous && previous.Vendor != candidate.Vendor)
            {
                return null;
            }

            found = candidate;
        }

        return found is { } match
            ? new Evidence(EvidenceKind.Manufacturer, $"typo-tolerant:{Wire(match.Alias.Relationship)}", key, match.Alias.Name, match.Vendor)
            : null;
    }

    /// <summary>
    /// One edit, scaled to length: in a word of five or six letters a changed, added or dropped letter makes another
    /// word as often as a typo ("Tandy" is one letter from "Tiandy", "Dahle" from "Dahl"), so only two swapped
    /// neighbours, which keep every letter, count ("Dahau"). From seven letters on, any single edit counts
    /// ("Hikvison"). The first letter must agree in both cases: registers mistype the middle of a word, not its start.
    /// </summary>
    internal static bool IsLikelyTypo(string key, string aliasKey)
    {
        if (aliasKey.Length < FuzzyMinimumLength || key.Length == 0 || key[0] != aliasKey[0] || key == aliasKey)
        {
            return false;
        }

        if (Math.Min(key.Length, aliasKey.Length) < LooseTypoMinimumLength)
        {
            return key.Length == aliasKey.Length && IsOneTransposition(key, aliasKey);
        }

        return EditDistance.Bounded(key, aliasKey, 1) <= 1;
    }

    private static bool IsOneTransposition(string a, string b)
    {
        var first = -1;
        for (var i = 0; i < a.Length; i++)
        {
            if (a[i] == b[i])
            {
                continue;
            }

            if (first >= 0)
            {
                return i == first + 1 && a[first] == b[i] && a[i] == b[first] && a.AsSpan(i + 1).SequenceEqual(b.AsSpan(i + 1));
            }

            first = i;
        }

        return false;
    }

    /// <summary>
    /// Normalised names of real companies that typo tolerance must leave alone: the catalogue's distinctCompanies and
    /// every organisation in the IEEE registry that is not a catalogue vendor (about 30,000 real companies), as the
    /// whole name and as its first word ("Axiom Memory Solutions" guards "Axiom").
    /// </summary>
    private HashSet<string> BuildKnownCompanies()
    {
        var normaliser = _catalogue.Normaliser;
        var known = new HashSet<string>(_catalogue.DistinctCompanyKeys, StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var assignment in _catalogue.Registry.Assignments)
        {
            if (assignment.Vendor is not null || !seen.Add(assignment.Organisation))
            {
                continue;
            }

            var (key, firstWord) = normaliser.KeyAndFirstWord(assignment.Organisation);
            if (key.Length == 0 || _aliases.ContainsKey(key))
            {
                continue;
            }

            known.Add(key);
            if (!_aliases.ContainsKey(firstWord))
            {
                known.Add(firstWord);
            }
        }

        return known;
    }

    private Evidence? MatchModel(string model)
    {
        foreach (var pattern in _catalogue.ModelPatterns)
        {
            if (pattern.Regex.IsMatch(model))
            {
                return new Evidence(EvidenceKind.Model, "model-pattern", model, pattern.Pattern, pattern.Vendor);
            }
        }

        return null;
    }

    private Evidence? MatchMac(string? macAddress)
    {
        if (string.IsNullOrWhiteSpace(macAddress) || !MacAddress.TryParse(macAddress, out var mac))
        {
            return null;
        }

        var assignment = _catalogue.Registry.Lookup(mac);
        return assignment is null
            ? null
            : new Evidence(EvidenceKind.MacAddress, assignment.EvidenceMethod, mac.ToString(), assignment.Organisation, assignment.Vendor);
    }

    private void Register(string key, Vendor vendor, VendorAlias alias)
    {
        if (key.Length == 0)
        {
            return;
        }

        if (_aliases.TryGetValue(key, out var existing) && existing.Vendor != vendor)
        {
            throw new InvalidDataException($"name '{alias.Name}' is claimed by both '{existing.Vendor.Key}' and '{vendor.Key}'");
        }

        _aliases.TryAdd(key, (vendor, alias));
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

    internal static string Wire(AliasRelationship relationship) => relationship switch
    {
        AliasRelationship.OwnBrand => "own-brand",
        AliasRelationship.Subsidiary => "subsidiary",
        AliasRelationship.OemRelabel => "oem-relabel",
        AliasRelationship.FormerSubsidiary => "former-subsidiary",
        _ => "former-name",
    };
}
