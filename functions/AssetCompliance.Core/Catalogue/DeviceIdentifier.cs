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
    private const int FuzzyMinimumLength = 5;
    private const int LooseTypoMinimumLength = 7;

    private readonly VendorCatalogue _catalogue;
    private readonly Dictionary<string, (Vendor Vendor, VendorAlias Alias)> _aliases = new(StringComparer.Ordinal);

    // The same names keyed by their folded skeleton (ConfusableSkeleton.Fold), for names written with look-alike
    // letters of other scripts. A folded key two vendors share is left out: a disguise that could be either is no match.
    private readonly Dictionary<string, (Vendor Vendor, VendorAlias Alias)> _lookAlikes = new(StringComparer.Ordinal);
    private readonly Lazy<HashSet<string>> _knownCompanies;

    // Method groups converted once: passing MatchName to CachedLookup directly allocates a delegate on every call.
    private readonly Func<string, Evidence?> _matchName;
    private readonly Func<string, Evidence?> _matchModel;

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

        _matchName = MatchName;
        _matchModel = MatchModel;

        // Built on the first typo-tolerant lookup only, once per catalogue: 30,000 registry names cost nothing on the hot path.
        _knownCompanies = new Lazy<HashSet<string>>(
            () => KnownCompaniesByCatalogue.GetValue(_catalogue, _ => BuildKnownCompanies()), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public VendorCatalogue Catalogue => _catalogue;

    /// <summary>
    /// Who made a device, by the decision table in <see cref="EvidenceTable"/> (docs/identification.md): each input
    /// gives at most one piece of evidence (a MAC block registered in mainland China, Hong Kong or Macao to an
    /// organisation the catalogue does not know adds its country), strong hardware evidence outweighs the register's
    /// name, and strong evidence that disagrees about a PRC-law maker is returned as <see cref="Identification.Conflict"/>.
    /// </summary>
    public Identification Identify(string? manufacturer, string? model, string? macAddress)
    {
        var name = string.IsNullOrWhiteSpace(manufacturer) ? null : CachedLookup(_nameCache, manufacturer.Trim(), _matchName);
        var modelEvidence = string.IsNullOrWhiteSpace(model) ? null : CachedLookup(_modelCache, model.Trim(), _matchModel);
        var (macEvidence, countryEvidence) = MatchMac(macAddress);

        if (name is null && modelEvidence is null && macEvidence is null)
        {
            return Identification.None;
        }

        // Show the register's side of a conflict even when the catalogue does not know the name.
        var nameEvidence = name ?? (string.IsNullOrWhiteSpace(manufacturer)
            ? null
            : new Evidence(EvidenceKind.Manufacturer, "unmatched", manufacturer.Trim(), string.Empty, null));
        var evidence = new Evidence[(nameEvidence is null ? 0 : 1) + (modelEvidence is null ? 0 : 1) + (macEvidence is null ? 0 : 1) + (countryEvidence is null ? 0 : 1)];
        var count = 0;
        if (nameEvidence is not null) evidence[count++] = nameEvidence;
        if (modelEvidence is not null) evidence[count++] = modelEvidence;
        if (macEvidence is not null) evidence[count++] = macEvidence;
        if (countryEvidence is not null) evidence[count] = countryEvidence;

        var (vendor, fromHardware, conflict) = EvidenceTable.Decide(evidence);

        // A relabel is suspected when hardware evidence decided and the register names another maker (or a name the
        // catalogue does not know), or names a known relabel brand. A brand of the same corporate group is not a relabel.
        var registered = manufacturer?.Trim();
        var hardwareDisagrees = vendor is not null && fromHardware && !string.IsNullOrEmpty(registered) &&
            (name?.Vendor is null || !name.Vendor.IsSameGroupAs(vendor));
        var knownRelabelBrand = name is not null && name.Method.EndsWith("oem-relabel", StringComparison.Ordinal);
        return new Identification(vendor, evidence, hardwareDisagrees || knownRelabelBrand) { Conflict = conflict };
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

        // A right-to-left override (U+202E) displays the letters after it in reverse: "\u202EnoisivkiH" shows as
        // "Hikvision" in a spreadsheet while its letters spell nothing. Match what the reader sees, and flag it.
        if (manufacturer.Contains(RightToLeftOverride) && MatchWords(normaliser.Tokens(AsDisplayed(manufacturer)), _aliases) is { } reversed)
        {
            return NameEvidence(SuspiciousName, reversed.Match);
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

    private const char RightToLeftOverride = '\u202E';
    private const char PopDirectionalFormatting = '\u202C';

    /// <summary>
    /// The text as a bidi-aware display shows it, for the one control that reorders Latin letters: each run after a
    /// right-to-left override, up to a pop-directional-formatting or the end, reversed (the controls dropped).
    /// </summary>
    internal static string AsDisplayed(string text)
    {
        var result = new System.Text.StringBuilder(text.Length);
        var i = 0;
        while (i < text.Length)
        {
            if (text[i] != RightToLeftOverride)
            {
                result.Append(text[i++]);
                continue;
            }

            var end = text.IndexOf(PopDirectionalFormatting, i + 1);
            var run = text.AsSpan(i + 1, (end < 0 ? text.Length : end) - i - 1).ToArray();
            Array.Reverse(run);
            result.Append(run);
            i = end < 0 ? text.Length : end + 1;
        }

        return result.ToString();
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
        if (key.Length < FuzzyMinimumLength)
        {
            // Too short for any typo rule (the whole name is at least as long as its first word): do not build the
            // guard set of registry names for it, which most short names in a register would otherwise do at start-up.
            return null;
        }

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
    /// neighbours or one letter typed twice, which keep every letter, count ("Dahau", "Sunnell"). From seven letters on, any single edit counts
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
            return key.Length == aliasKey.Length ? IsOneTransposition(key, aliasKey) : IsOneDoubledLetter(key, aliasKey) || IsOneDoubledLetter(aliasKey, key);
        }

        return EditDistance.Bounded(key, aliasKey, 1) <= 1;
    }

    /// <summary>
    /// Whether <paramref name="longer"/> is <paramref name="shorter"/> with one letter typed twice ("Sunnell" for
    /// "Sunell"): a key held down keeps every letter and their order, so, like a swap, it rarely makes another word.
    /// </summary>
    private static bool IsOneDoubledLetter(string longer, string shorter)
    {
        if (longer.Length != shorter.Length + 1)
        {
            return false;
        }

        var i = 0;
        while (i < shorter.Length && longer[i] == shorter[i])
        {
            i++;
        }

        // longer[i] is the extra letter: it must repeat its neighbour, and the rest must agree.
        var doubled = (i > 0 && longer[i] == longer[i - 1]) || (i + 1 < longer.Length && longer[i] == longer[i + 1]);
        return doubled && longer.AsSpan(i + 1).SequenceEqual(shorter.AsSpan(i));
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

    private const int BrandPrefixMaxWords = 3;

    /// <summary>
    /// The vendor whose model-number grammar the model follows. Typing is forgiven generically rather than per pattern
    /// (<see cref="ModelNumber"/>): case, white space, full-width letters, separators omitted or added. The model as
    /// written is tried against every pattern before its compact form is, so a vendor whose pattern fits the exact
    /// spelling wins over one that fits only once the dashes are gone. A leading brand word ("Hikvision DS-2CD…",
    /// "HiLook IPC-B140H") is stripped when it is a catalogue name; the model's own grammar then decides.
    /// Trailing suffixes (lens, region, firmware) need nothing: patterns are anchored at the start only.
    /// </summary>
    private Evidence? MatchModel(string model)
    {
        var text = ModelNumber.Normalise(model);
        return MatchModelText(model, text) ?? MatchAfterBrandPrefix(model, text);
    }

    private Evidence? MatchModelText(string model, string text)
    {
        if (text.Length == 0)
        {
            return null;
        }

        var index = _catalogue.ModelIndex;
        foreach (var pattern in index.Candidates(text[0]))
        {
            if (pattern.Regex.IsMatch(text))
            {
                return ModelEvidence(pattern);
            }
        }

        var compact = ModelNumber.Compact(text);
        if (compact.Length == 0)
        {
            return null;
        }

        foreach (var pattern in index.Candidates(compact[0]))
        {
            if (pattern.CompactRegex?.IsMatch(compact) == true)
            {
                return ModelEvidence(pattern);
            }
        }

        return null;

        Evidence ModelEvidence(ModelPattern pattern) => new(EvidenceKind.Model, "model-pattern", model, pattern.Pattern, pattern.Vendor);
    }

    private Evidence? MatchAfterBrandPrefix(string model, string text)
    {
        // Longest brand first: "Hikvision Digital DS-2CD…" strips two words, not one.
        var ends = new List<int>(BrandPrefixMaxWords);
        for (var i = 1; i < text.Length && ends.Count < BrandPrefixMaxWords; i++)
        {
            if (ModelNumber.IsSeparator(text[i]) && !ModelNumber.IsSeparator(text[i - 1]))
            {
                ends.Add(i);
            }
        }

        for (var k = ends.Count - 1; k >= 0; k--)
        {
            var key = _catalogue.Normaliser.Key(text[..ends[k]]);
            if (key.Length > 0 && _aliases.ContainsKey(key))
            {
                var rest = text[ends[k]..].TrimStart(' ', '-', '_', '.', ':', ',', ';', '/');
                return MatchModelText(model, rest);
            }
        }

        return null;
    }

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

    private void Register(string key, Vendor vendor, VendorAlias alias)
    {
        if (key.Length == 0)
        {
            return;
        }

        // As at catalogue load (VendorCatalogue.RefuseSharedNames): companies of one ownership chain may share a name key;
        // the first registered keeps it, and the verdict is the same either way.
        if (_aliases.TryGetValue(key, out var existing) && existing.Vendor != vendor && !existing.Vendor.IsSameGroupAs(vendor))
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
