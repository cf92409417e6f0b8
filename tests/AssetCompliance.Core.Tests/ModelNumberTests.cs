using AssetCompliance.Core.Catalogue;

namespace AssetCompliance.Core.Tests;

/// <summary>
/// Model numbers as registers type them: the compact form and its pattern counterpart, identification through case,
/// separators, brand prefixes, suffixes and board ids, and the catalogue-wide guarantee that no vendor's pattern takes
/// another vendor's real model number.
/// </summary>
public sealed class ModelNumberTests
{
    private static readonly DeviceIdentifier Identifier = new(VendorCatalogue.Default);

    [Theory]
    [InlineData("DS-2CD2143G2-I", "DS2CD2143G2I")]
    [InlineData("ds 2cd2143g2 i", "DS2CD2143G2I")]
    [InlineData("DS_2CD2143G2__I", "DS2CD2143G2I")]
    [InlineData("2.0C-H5A-D1", "2-0CH5AD1")]
    [InlineData("DS-2TD2617-10/PA", "DS2TD2617-10/PA")]
    [InlineData("NVR301 - 08S3", "NVR301-08S3")]
    [InlineData("-DS-", "DS")]
    public void The_compact_form_drops_separators_except_between_digits(string model, string compact)
    {
        Assert.Equal(compact, ModelNumber.Compact(model));
    }

    [Theory]
    [InlineData("ＤＳ－２ＣＤ２１４３Ｇ２－Ｉ", "DS-2CD2143G2-I")]
    [InlineData("  DS-2CD2143G2-I \t", "DS-2CD2143G2-I")]
    [InlineData("Hikvision \t DS-2CD", "Hikvision DS-2CD")]
    public void Normalising_folds_width_and_white_space(string model, string normalised)
    {
        Assert.Equal(normalised, ModelNumber.Normalise(model));
    }

    [Theory]
    [InlineData("^i?DS-[0-9A-Z]", 3)]
    [InlineData("^DS-2CD[0-9]", 6)]
    [InlineData("^TC-[A-Z]{1,2}[0-9]", 4)]
    [InlineData("^(DHI?-)?IPC-H(FW|DW|DBW|DPW|UM)[0-9]", 7)]
    [InlineData("^(FD|IB)[6-9][0-9]{3}(?![0-9])", 6)]
    [InlineData("^IPC[0-9]{3,4}[A-Z]{1,3}(-|$)", 7)]
    [InlineData("^[0-9]{1,2}\\.[0-9]C?-H[0-9]", 4)]
    [InlineData("^X+Y*", 1)]
    public void The_shortest_compact_match_counts_no_separators(string pattern, int length)
    {
        Assert.Equal(length, ModelPatternSyntax.CompactMinimumMatchLength(pattern));
    }

    [Theory]
    [InlineData("^(_[0-9A-Z]+)*$", true)]
    [InlineData("^X(-[A-Z0-9]{1,3})*$", true)]
    [InlineData("^X((A|B)?C)+", true)]
    [InlineData("^X(-[A-Z0-9]{1,3}){0,3}$", false)]
    [InlineData("^X(_[0-9A-Z]{2,8}){0,2}$", false)]
    [InlineData("^(?:DHI?-)?IPC-H(FW|DW)[0-9]+", false)]
    [InlineData("^(AB)+", false)]
    [InlineData("^[(+*]+X", false)]
    public void Patterns_that_could_backtrack_exponentially_are_recognised(string pattern, bool nests)
    {
        Assert.Equal(nests, ModelPatternSyntax.NestsUnboundedRepetition(pattern));
    }

    [Fact]
    public void A_catalogue_pattern_that_could_backtrack_exponentially_is_refused_at_load()
    {
        var json = """
            { "schemaVersion": 1, "nameNoiseWords": [], "distinctCompanies": [], "sources": { "S": { "title": "t t", "url": "https://x", "date": "2026" } },
              "vendors": [ { "key": "v", "name": "V", "legalName": "V Ltd", "jurisdiction": "GB", "parent": null, "confidence": "high", "sources": ["S"],
                "modelPatterns": ["^V(_[0-9A-Z]+)*$"] } ] }
            """u8.ToArray();

        var error = Assert.Throws<InvalidDataException>(() => VendorCatalogue.Load(json, string.Empty));
        Assert.Contains("^V(_[0-9A-Z]+)*$", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_pattern_separator_becomes_a_gap_that_never_joins_two_digits()
    {
        var compact = new System.Text.RegularExpressions.Regex(ModelNumber.CompactPattern("^SD[0-9]{4}-[A-Z]"));

        Assert.Matches(compact, "SD9364EHL");
        Assert.DoesNotMatch(compact, "SD49225XAHNR");
        Assert.Equal("^[A-Z-]" + ModelNumber.CompactGap + "x", ModelNumber.CompactPattern("^[A-Z-]\\-x"));
    }

    [Theory]
    // Separators omitted, added or changed, and case.
    [InlineData("DS2CD2143G2I", "hikvision")]
    [InlineData("ds-2cd2143g2-i", "hikvision")]
    [InlineData("DS 2CD2143G2 I", "hikvision")]
    [InlineData("DS_2CD2143G2_I", "hikvision")]
    [InlineData("DS-2CD-2143G2-I", "hikvision")]
    [InlineData("DS2DE4425IWDE", "hikvision")]
    [InlineData("DS7608NI-I2", "hikvision")]
    [InlineData("IPCHFW2431SSS2", "dahua")]
    [InlineData("IPC HDW2441TM S", "dahua")]
    [InlineData("IPC2122LBAF28KA2", "uniview")]
    [InlineData("MSC2964FPD", "milesight")]
    [InlineData("RLC810A", "reolink")]
    [InlineData("XNV8080R", "hanwha")]
    [InlineData("FD9389HV", "vivotek")]
    // Vendor prefixes as devices report them, and a brand typed before the model.
    [InlineData("DH-IPC-HFW2431S-S-S2", "dahua")]
    [InlineData("DHI-IPC-HFW2431S", "dahua")]
    [InlineData("DHI-NVR4108HS-8P-4KS2", "dahua")]
    [InlineData("Hikvision DS-2CD2143G2-I", "hikvision")]
    [InlineData("HIKVISION-DS-2CD2143G2-I", "hikvision")]
    [InlineData("Hikvision Digital Technology: DS-2CD2143G2-I", "hikvision")]
    [InlineData("HiLook IPC-B140H", "hikvision")]
    [InlineData("Dahua IPC-HFW2431S", "dahua")]
    [InlineData("AXIS M3106-L Mk II", "axis")]
    // Without the vendor prefix.
    [InlineData("2CD2143G2-I", "hikvision")]
    [InlineData("2CD2143G2I", "hikvision")]
    [InlineData("2DE4425IW-DE", "hikvision")]
    [InlineData("HFW2431S", "dahua")]
    [InlineData("hdw2441tm-s", "dahua")]
    [InlineData("DH-HFW2431S", "dahua")]
    // Trailing lens, region and firmware suffixes.
    [InlineData("DS-2CD2143G2-I(2.8mm)", "hikvision")]
    [InlineData("DS-2CD2143G2-IS/UK", "hikvision")]
    [InlineData("IPC-HFW2431S-S-S2 V2.800", "dahua")]
    // Full width, as some spreadsheets hold it.
    [InlineData("ＤＳ－２ＣＤ２１４３Ｇ２－Ｉ", "hikvision")]
    // Product families beyond network cameras.
    [InlineData("DS-2TD2637-10/P", "hikvision")]
    [InlineData("DS-KH6310", "hikvision")]
    [InlineData("DS-K1T605MF-B", "hikvision")]
    [InlineData("DS-PWA64-Kit1-WE", "hikvision")]
    [InlineData("DS-7316HQHI-K4", "hikvision")]
    [InlineData("TPC-BF1241-T", "dahua")]
    [InlineData("ASI7214Y", "dahua")]
    [InlineData("VTH2621G-P", "dahua")]
    // Board ids a device reports as its model.
    [InlineData("IVG-85HG50PYA-S", "xiongmai")]
    [InlineData("HI3516EV300_85H50AI", "xiongmai")]
    [InlineData("BLK18EV-0235-38X38-B-V1.01", "xiongmai")]
    public void Model_numbers_as_registers_type_them_identify_their_vendor(string model, string vendor)
    {
        var result = Identifier.Identify(null, model, null);

        Assert.Equal(vendor, result.Vendor?.Key);
        Assert.Equal("model-pattern", Assert.Single(result.Evidence).Method);
        Assert.Equal(model, result.Evidence[0].Input);
    }

    [Theory]
    // A broad namespace pattern never matches without its dash: a Synology NAS is not a Hikvision device.
    [InlineData("DS920+")]
    [InlineData("DS1621xs+")]
    // Five digits after SD is a Dahua PTZ, never a Vivotek; the five-digit form alone is not enough for Vivotek.
    [InlineData("SD49225")]
    [InlineData("TCP-IP")]
    [InlineData("Hikvision")]
    [InlineData("Hikvision CAM-01")]
    [InlineData("--")]
    [InlineData("50H20")]
    public void Near_misses_identify_no_vendor(string model)
    {
        Assert.Null(Identifier.Identify(null, model, null).Vendor);
    }

    [Theory]
    [InlineData("SD49225XA-HNR", "dahua")]
    [InlineData("SD49225XAHNR", "dahua")]
    [InlineData("LNB9242B", "lorex")]
    [InlineData("LND-6010R", "hanwha")]
    [InlineData("NVR301-08S3", "uniview")]
    [InlineData("NVR2108-8P-4KS2", "dahua")]
    [InlineData("CD9381-HNTV", "vivotek")]
    [InlineData("CD43-E", "verkada")]
    public void Look_alike_model_numbers_of_different_vendors_stay_apart(string model, string vendor)
    {
        Assert.Equal(vendor, Identifier.Identify(null, model, null).Vendor?.Key);
    }

    public static TheoryData<string, string, string> FamilyExamples() => CatalogueDataTests.FamilyExamples();

    /// <summary>
    /// The hard guarantee behind zero false positives on model numbers: no real model number of one vendor matches any
    /// pattern (as written or compact) of a vendor outside its corporate group, so the order of the catalogue never
    /// decides who made a device.
    /// </summary>
    [Theory]
    [MemberData(nameof(FamilyExamples))]
    public void No_family_example_matches_another_vendors_pattern(string vendorKey, string family, string example)
    {
        var owner = VendorCatalogue.Default.Vendors[vendorKey];
        var normalised = ModelNumber.Normalise(example);
        var compact = ModelNumber.Compact(normalised);
        var taken = VendorCatalogue.Default.ModelPatterns
            .Where(p => !p.Vendor.IsSameGroupAs(owner) && p.Matches(normalised, compact))
            .Select(p => $"{p.Vendor.Key} {p.Pattern}")
            .ToList();

        Assert.True(taken.Count == 0, $"{example} ({vendorKey}, {family}) is also matched by: {string.Join("; ", taken)}");
    }

    /// <summary>
    /// The first-character index is only a shortcut: for every example, as written, in lower case and compact, each
    /// pattern that matches it is among the candidates the index offers.
    /// </summary>
    [Theory]
    [MemberData(nameof(FamilyExamples))]
    public void The_first_character_index_never_hides_a_matching_pattern(string vendorKey, string family, string example)
    {
        var catalogue = VendorCatalogue.Default;
        foreach (var text in new[] { ModelNumber.Normalise(example), ModelNumber.Normalise(example).ToLowerInvariant() })
        {
            var compact = ModelNumber.Compact(text);
            var raw = catalogue.ModelIndex.Candidates(text[0]).ToArray();
            var squeezed = catalogue.ModelIndex.Candidates(compact[0]).ToArray();
            foreach (var pattern in catalogue.ModelPatterns)
            {
                Assert.True(!pattern.Regex.IsMatch(text) || raw.Contains(pattern), $"{pattern.Pattern} matches '{text}' ({vendorKey} {family}) but is not indexed under '{text[0]}'");
                Assert.True(pattern.CompactRegex?.IsMatch(compact) != true || squeezed.Contains(pattern), $"{pattern.Pattern} matches '{compact}' but is not indexed under '{compact[0]}'");
            }
        }
    }

    /// <summary>
    /// Every real example still identifies its vendor in lower case, and, when its family allows compact matching,
    /// typed without separators or with spaces for dashes. A separator between two digits is kept: dropping it makes
    /// another number (<c>HI3516EV300_85H50AI</c>), which no pattern should guess at.
    /// </summary>
    [Theory]
    [MemberData(nameof(FamilyExamples))]
    public void Every_family_example_typed_compactly_or_in_lower_case_identifies_its_vendor(string vendorKey, string family, string example)
    {
        var owner = VendorCatalogue.Default.Vendors[vendorKey];
        var pattern = VendorCatalogue.Default.ModelPatterns.First(p => p.Vendor.Key == vendorKey && p.Family == family);
        var variants = new List<string> { example.ToLowerInvariant() };
        if (pattern.CompactRegex is not null)
        {
            variants.Add(WithoutSeparators(example));
            variants.Add(example.Replace('-', ' '));
        }

        foreach (var variant in variants)
        {
            var vendor = Identifier.Identify(null, variant, null).Vendor;
            Assert.True(vendor?.IsSameGroupAs(owner) == true, $"'{variant}' ({family}) identified as {vendor?.Key ?? "none"}, not {vendorKey}");
        }
    }

    private static string WithoutSeparators(string model)
    {
        var kept = new System.Text.StringBuilder(model.Length);
        for (var i = 0; i < model.Length; i++)
        {
            var betweenDigits = i > 0 && i + 1 < model.Length && char.IsAsciiDigit(model[i - 1]) && char.IsAsciiDigit(model[i + 1]);
            if (!ModelNumber.IsSeparator(model[i]) || betweenDigits)
            {
                kept.Append(model[i]);
            }
        }

        return kept.ToString();
    }
}
