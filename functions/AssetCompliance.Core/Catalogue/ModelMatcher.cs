namespace AssetCompliance.Core.Catalogue;

/// <summary>
/// Matches a register's model number to the vendor whose model-number grammar it follows (the catalogue's patterns,
/// through <see cref="VendorCatalogue.ModelIndex"/>), as written first and then in its compact form, after stripping a
/// leading brand word that is a catalogue name.
/// </summary>
internal sealed class ModelMatcher(VendorCatalogue catalogue, NameMatcher names)
{
    private const int BrandPrefixMaxWords = 3;

    /// <summary>
    /// The vendor whose model-number grammar the model follows. Typing is forgiven generically rather than per pattern
    /// (<see cref="ModelNumber"/>): case, white space, full-width letters, separators omitted or added. The model as
    /// written is tried against every pattern before its compact form is, so a vendor whose pattern fits the exact
    /// spelling wins over one that fits only once the dashes are gone. A leading brand word ("Hikvision DS-2CD…",
    /// "HiLook IPC-B140H") is stripped when it is a catalogue name; the model's own grammar then decides.
    /// Trailing suffixes (lens, region, firmware) need nothing: patterns are anchored at the start only.
    /// </summary>
    public Evidence? Match(string model)
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

        var index = catalogue.ModelIndex;
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
            var key = catalogue.Normaliser.Key(text[..ends[k]]);
            if (key.Length > 0 && names.IsCatalogueName(key))
            {
                var rest = text[ends[k]..].TrimStart(' ', '-', '_', '.', ':', ',', ';', '/');
                return MatchModelText(model, rest);
            }
        }

        return null;
    }
}
