using AssetCompliance.Core.Catalogue;

namespace AssetCompliance.Core.Tests;

/// <summary>
/// Names as registers write them: Unicode compatibility forms, look-alike letters of other scripts, typing errors, and
/// the real companies whose names are one letter from a catalogue vendor's.
/// </summary>
public sealed class NameMatchingTests
{
    private static readonly DeviceIdentifier Identifier = new(VendorCatalogue.Default);

    [Theory]
    [InlineData("ＨＩＫＶＩＳＩＯＮ", "hikvision")]
    [InlineData("Ｈｉｋｖｉｓｉｏｎ　Ｄｉｇｉｔａｌ", "hikvision")]
    [InlineData("ＤＡＨＵＡ", "dahua")]
    [InlineData("Ｕｎｉｖｉｅｗ", "uniview")]
    [InlineData("ＴＰ－ＬＩＮＫ", "tp-link-cn")]
    [InlineData("D\u00E1hua", "dahua")] // precomposed a with acute: diacritics fold to the bare letter
    [InlineData("Hikvis\u00EDon", "hikvision")]
    [InlineData("\u1E0Aahua", "dahua")] // D with dot above
    [InlineData("DAHUA\u2122", "dahua")] // the trade mark sign is punctuation, not "TM"
    [InlineData("Hikvision\u00AE", "hikvision")]
    public void Compatibility_forms_are_folded_by_nfkc_and_are_not_a_disguise(string manufacturer, string vendor)
    {
        var result = Identifier.Identify(manufacturer, null, null);

        Assert.Equal(vendor, result.Vendor?.Key);
        Assert.StartsWith("exact:", Assert.Single(result.Evidence).Method);
    }

    [Theory]
    [InlineData("\u041Dikvision", "hikvision")] // Cyrillic EN
    [InlineData("D\u0430hu\u0430", "dahua")] // two Cyrillic a
    [InlineData("H\u0456kv\u0456s\u0456\u043En", "hikvision")] // Cyrillic i (x3) and o
    [InlineData("\u041D\u0406KV\u0406\u0405\u0406\u041EN", "hikvision")] // capitals: Cyrillic EN, I, DZE, O
    [InlineData("\u0391xis", "axis")] // Greek Alpha: a trusted maker in disguise is still a disguise
    [InlineData("Univi\u0435w", "uniview")] // Cyrillic ie
    [InlineData("\u0422i\u0430ndy", "tiandy")] // Cyrillic TE and a
    [InlineData("\u0425\u041CEYE", "xiongmai")] // Cyrillic HA and EM
    [InlineData("Hikvisi\u043En Digital Technology Co., Ltd.", "hikvision")] // noise words still recognised
    [InlineData("\uFF28\u0456kvision", "hikvision")] // full-width H and a Cyrillic i together
    public void Look_alike_letters_of_other_scripts_identify_the_vendor_and_are_flagged(string manufacturer, string vendor)
    {
        var result = Identifier.Identify(manufacturer, null, null);

        Assert.Equal(vendor, result.Vendor?.Key);
        var evidence = Assert.Single(result.Evidence);
        Assert.StartsWith(DeviceIdentifier.SuspiciousName + ":", evidence.Method);
        Assert.Equal(manufacturer, evidence.Input);
    }

    [Fact]
    public void A_disguised_name_with_a_typo_is_still_flagged()
    {
        var result = Identifier.Identify("H\u0456kv\u0456son", null, null);

        Assert.Equal("hikvision", result.Vendor?.Key);
        Assert.Equal("suspicious-name:typo-tolerant:own-brand", Assert.Single(result.Evidence).Method);
    }

    [Theory]
    [InlineData("\u0420\u043E\u0441\u0441\u0438\u044F")] // "Россия": Cyrillic, no catalogue name behind it
    [InlineData("\u6D77\u5EB7\u5A01\u89C6")] // Hikvision in Chinese characters: not a look-alike, and not (yet) an alias
    [InlineData("Z\u00FCrich Security")]
    public void Other_scripts_without_a_catalogue_name_behind_them_stay_unmatched(string manufacturer)
    {
        Assert.Null(Identifier.Identify(manufacturer, null, null).Vendor);
    }

    [Fact]
    public void A_plain_ascii_name_is_never_flagged()
    {
        var names = VendorCatalogue.Default.Vendors.Values
            .SelectMany(v => v.Aliases.Select(a => a.Name).Append(v.LegalName).Append(v.Name))
            .Concat(["H1kvision", "Hikvisi0n", "Hikvlsion", "DAHUA", "Dahau", "Acme (Hikvision)", "Axis Communications AB"])
            .ToArray();
        Assert.True(names.Length > 100);
        foreach (var name in names)
        {
            var result = Identifier.Identify(name, null, null);
            Assert.DoesNotContain(result.Evidence, e => e.Method.StartsWith(DeviceIdentifier.SuspiciousName, StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData("\u202EnoisivkiH", "hikvision")] // shows as "Hikvision"
    [InlineData("Acme \u202EauhaD\u202C Ltd", "dahua")] // shows as "Acme Dahua Ltd"
    public void A_name_reversed_behind_a_right_to_left_override_is_matched_as_displayed_and_flagged(string manufacturer, string vendor)
    {
        var result = Identifier.Identify(manufacturer, null, null);

        Assert.Equal(vendor, result.Vendor?.Key);
        Assert.StartsWith(DeviceIdentifier.SuspiciousName + ":", Assert.Single(result.Evidence).Method);
    }

    [Theory]
    [InlineData("Hikvison", "hikvision")]
    [InlineData("Hikvsion", "hikvision")]
    [InlineData("Hikivsion", "hikvision")]
    [InlineData("Hikvisoin", "hikvision")]
    [InlineData("Hikvission", "hikvision")]
    [InlineData("Dahau", "dahua")]
    [InlineData("Dauha", "dahua")]
    [InlineData("Univeiw", "uniview")]
    [InlineData("Tiadny", "tiandy")]
    [InlineData("Milesihgt", "milesight")]
    [InlineData("Hikvison Ltd", "hikvision")]
    [InlineData("Sunnell", "sunell")]
    [InlineData("Dahhua", "dahua")]
    [InlineData("Tianddy", "tiandy")]
    public void Genuine_typing_errors_still_match(string manufacturer, string vendor)
    {
        var result = Identifier.Identify(manufacturer, null, null);

        Assert.Equal(vendor, result.Vendor?.Key);
        Assert.StartsWith("typo-tolerant:", Assert.Single(result.Evidence).Method);
    }

    /// <summary>Real companies and brands one edit from a catalogue name (most are IEEE registrants themselves).</summary>
    [Theory]
    [InlineData("Tandy")] // RadioShack's former name, one letter from Tiandy
    [InlineData("Tandy Corporation")]
    [InlineData("Dahle")]
    [InlineData("Hikoki")]
    [InlineData("Axiom")]
    [InlineData("Hanwa")]
    [InlineData("Hivision")] // Hivision Co., Ltd (IEEE registrant), one letter from Hikvision
    [InlineData("Huafei")]
    [InlineData("Kemacom")]
    [InlineData("Redlink")]
    [InlineData("ReeLink")]
    [InlineData("Tiandi")]
    [InlineData("EZVIS Limited")]
    [InlineData("Gentec")]
    [InlineData("Genelec")]
    [InlineData("Kenetec")]
    [InlineData("Honewell Oy")]
    [InlineData("Jorex")]
    [InlineData("Sunvell")]
    [InlineData("Snell")]
    [InlineData("Telink")]
    [InlineData("Toplink")]
    [InlineData("TCPlink")]
    [InlineData("Caton")]
    [InlineData("Dosch")]
    [InlineData("Hosch")]
    [InlineData("BMEYE")]
    [InlineData("HiConnect")]
    [InlineData("Amada")]
    [InlineData("Synergies")]
    public void Real_brands_near_a_catalogue_name_are_not_turned_into_it(string manufacturer)
    {
        var result = Identifier.Identify(manufacturer, null, null);

        Assert.Null(result.Vendor);
    }

    [Fact]
    public void No_registry_organisation_is_typo_matched_to_a_vendor()
    {
        // Systematic: the IEEE registry names ~30,000 real companies. None that is not itself a catalogue vendor may
        // become one by typo tolerance.
        var organisations = VendorCatalogue.Default.Registry.Assignments
            .Where(a => a.Vendor is null).Select(a => a.Organisation).Distinct(StringComparer.Ordinal).ToArray();
        Assert.True(organisations.Length > 20_000);
        var identifier = new DeviceIdentifier(VendorCatalogue.Default);
        var typoMatched = organisations
            .Select(o => (Organisation: o, Result: identifier.Identify(o, null, null)))
            .Where(r => r.Result.Evidence.Any(e => e.Method.StartsWith("typo-tolerant:", StringComparison.Ordinal)))
            .Select(r => $"{r.Organisation} -> {r.Result.Vendor?.Key}")
            .ToArray();

        Assert.Empty(typoMatched);
    }

    [Theory]
    [InlineData("tandy", "tiandy", false)] // a letter added
    [InlineData("dahua", "dahau", true)] // swapped neighbours
    [InlineData("dahua", "dahla", false)] // a letter changed
    [InlineData("dahua", "ahdua", false)] // first letter differs
    [InlineData("hikvision", "hikvison", true)]
    [InlineData("hikvision", "hivision", true)] // the rule allows it; the registry guard refuses the real company
    [InlineData("uniview", "univeiw", true)]
    [InlineData("uniview", "unview", false)]
    [InlineData("hikvision", "hikvision", false)]
    public void Typo_rule_scales_with_length(string alias, string input, bool expected)
    {
        Assert.Equal(expected, TypoTolerance.IsLikelyTypo(input, alias));
    }
}

/// <summary>What a suspicious name means for the verdict: it is in the reasons, and it never clears a device.</summary>
public sealed class SuspiciousNameVerdictTests
{
    private static readonly DeviceIdentifier Identifier = new(VendorCatalogue.Default);
    private static readonly Policy.ComplianceEvaluator Evaluator = new(Policy.CompliancePolicy.Default);

    [Theory]
    [InlineData("\u0391xis", "camera", false, "segregated", Policy.ComplianceStatus.NeedsReview, "suspicious-name-needs-review")] // would be Compliant
    [InlineData("\u0391xis", "network", null, null, Policy.ComplianceStatus.NeedsReview, "suspicious-name-needs-review")]
    [InlineData("D\u0430hu\u0430", "camera", true, "segregated", Policy.ComplianceStatus.NonCompliant, "prc-surveillance-on-sensitive-site")]
    [InlineData("\u041Dikvision", "camera", false, "standalone", Policy.ComplianceStatus.Advisory, "prc-surveillance-on-non-sensitive-site")]
    public void A_suspicious_name_is_a_reason_and_never_clears(string manufacturer, string type, bool? sensitive, string? segment, Policy.ComplianceStatus status, string rule)
    {
        Events.DeviceTypes.TryParse(type, out var deviceType);
        Events.NetworkSegment? networkSegment = segment is null ? null : Events.NetworkSegments.TryParse(segment, out var s) ? s : throw new ArgumentException(segment);
        var device = new Events.RegisteredDevice
        {
            AssetId = "A1", Department = "HO", Revision = 1, Manufacturer = manufacturer, DeviceType = deviceType,
            Site = new Events.Site("S1", null, sensitive), NetworkSegment = networkSegment,
        };

        var result = Evaluator.Evaluate(Events.AssetEventKind.Upserted, device, Identifier.Identify(manufacturer, null, null));

        Assert.Equal((status, rule), (result.Status, result.Rule));
        Assert.Contains(result.Reasons, r => r.Contains("look-alike letters", StringComparison.Ordinal) && r.Contains("suspicious-name:", StringComparison.Ordinal));
    }

    [Fact]
    public void A_plain_name_gets_no_such_reason()
    {
        var device = new Events.RegisteredDevice { AssetId = "A1", Department = "HO", Revision = 1, Manufacturer = "Axis", DeviceType = Events.DeviceType.Camera, Site = new Events.Site("S1", null, false), NetworkSegment = Events.NetworkSegment.Segregated };

        var result = Evaluator.Evaluate(Events.AssetEventKind.Upserted, device, Identifier.Identify("Axis", null, null));

        Assert.Equal(Policy.ComplianceStatus.Compliant, result.Status);
        Assert.DoesNotContain(result.Reasons, r => r.Contains("look-alike", StringComparison.Ordinal));
    }
}
