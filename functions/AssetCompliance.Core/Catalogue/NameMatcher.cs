namespace AssetCompliance.Core.Catalogue;

/// <summary>
/// Matches a register's manufacturer string to a catalogue vendor: by whole name, leading words or a run of whole
/// words; a right-to-left override read as displayed; look-alike letters of other scripts through the confusable
/// skeleton (flagged as <see cref="DeviceIdentifier.SuspiciousName"/>); and typing errors (<see cref="TypoTolerance"/>),
/// never taking one real company (a catalogue distinct company, an IEEE registrant) for another. Its name
/// dictionaries are built once per identifier from the catalogue's aliases and legal names.
/// </summary>
internal sealed class NameMatcher
{
    private const int FuzzyMinimumLength = TypoTolerance.MinimumLength;

    private readonly VendorCatalogue _catalogue;
    private readonly Dictionary<string, (Vendor Vendor, VendorAlias Alias)> _aliases = new(StringComparer.Ordinal);

    // The same names keyed by their folded skeleton (ConfusableSkeleton.Fold), for names written with look-alike
    // letters of other scripts. A folded key two vendors share is left out: a disguise that could be either is no match.
    private readonly Dictionary<string, (Vendor Vendor, VendorAlias Alias)> _lookAlikes = new(StringComparer.Ordinal);
    private readonly Lazy<HashSet<string>> _knownCompanies;

    // One set per catalogue, shared by every identifier made from it: building it reads 30,000 registry names.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<VendorCatalogue, HashSet<string>> KnownCompaniesByCatalogue = new();

    /// <summary>Builds the name dictionaries; throws <see cref="InvalidDataException"/> if two unrelated vendors claim one name.</summary>
    public NameMatcher(VendorCatalogue catalogue)
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

    /// <summary>Whether <paramref name="key"/> (a normalised name key) is a catalogue alias or legal name.</summary>
    public bool IsCatalogueName(string key) => _aliases.ContainsKey(key);

    /// <summary>The manufacturer evidence for a (trimmed) manufacturer string, or null when it names no catalogue vendor.</summary>
    public Evidence? Match(string manufacturer)
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
            if (!TypoTolerance.IsLikelyTypo(key, aliasKey))
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

    internal static string Wire(AliasRelationship relationship) => relationship switch
    {
        AliasRelationship.OwnBrand => "own-brand",
        AliasRelationship.Subsidiary => "subsidiary",
        AliasRelationship.OemRelabel => "oem-relabel",
        AliasRelationship.FormerSubsidiary => "former-subsidiary",
        _ => "former-name",
    };
}
