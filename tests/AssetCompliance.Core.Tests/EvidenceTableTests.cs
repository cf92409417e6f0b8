using AssetCompliance.Core.Catalogue;
using AssetCompliance.Core.Events;
using AssetCompliance.Core.Policy;

namespace AssetCompliance.Core.Tests;

/// <summary>
/// The decision table of docs/identification.md, one test row per table row: first what each kind of evidence weighs,
/// then what each combination yields (maker, relabel, conflict) and the verdict for a camera at a sensitive site.
/// </summary>
public sealed class EvidenceTableTests
{
    private static readonly DeviceIdentifier Identifier = new(VendorCatalogue.Default);
    private static readonly ComplianceEvaluator Evaluator = new(CompliancePolicy.Default);

    // Real blocks from catalogue/oui.tsv: registrants in mainland China, Taiwan and Hong Kong that the catalogue does not
    // know, a module maker in mainland China, and Intel (United States), a registrant the catalogue does not list.
    private const string UnknownMainlandMac = "00:01:7A:12:34:56";   // Chengdu Maipu Electric Industrial Co., Ltd. (CN)
    private const string TaiwanMac = "00:00:B4:12:34:56";            // Edimax Technology Co. Ltd. (TW)
    private const string HongKongMac = "00:03:BB:12:34:56";          // Signal Communications Limited (HK)
    private const string QuectelMac = "00:9B:08:12:34:56";           // Quectel Wireless Solutions Co.,Ltd. (CN), module maker
    private const string UnlistedMac = "00:D0:B7:12:34:56";          // Intel Corporation (US), not a catalogue vendor
    private const string HikvisionMac = "BC:AD:28:4F:11:02";
    private const string AxisMac = "AC:CC:8E:0A:1B:2C";

    /// <summary>Strength table (docs/identification.md, "What each kind of evidence weighs"): one row per table row.</summary>
    [Theory]
    [InlineData("name exact", "Hikvision", null, null, EvidenceKind.Manufacturer, EvidenceStrength.Strong)]
    [InlineData("name leading words", "Axis Communications AB Sweden", null, null, EvidenceKind.Manufacturer, EvidenceStrength.Strong)]
    [InlineData("name contains", "Acme Installations (Hikvision)", null, null, EvidenceKind.Manufacturer, EvidenceStrength.Weak)]
    [InlineData("name typo", "Hikvison", null, null, EvidenceKind.Manufacturer, EvidenceStrength.Weak)]
    [InlineData("name unknown", "Secure View Ltd", null, UnlistedMac, EvidenceKind.Manufacturer, EvidenceStrength.None)]
    [InlineData("model pattern", null, "DS-2CD2143G2-I", null, EvidenceKind.Model, EvidenceStrength.Strong)]
    [InlineData("mac no maker information", null, null, "00:00:00:00:00:00", EvidenceKind.MacAddress, EvidenceStrength.None)]
    [InlineData("mac catalogue vendor", null, null, HikvisionMac, EvidenceKind.MacAddress, EvidenceStrength.Strong)]
    [InlineData("mac unlisted registrant", null, null, UnlistedMac, EvidenceKind.MacAddress, EvidenceStrength.None)]
    [InlineData("mac module maker", null, null, QuectelMac, EvidenceKind.MacAddress, EvidenceStrength.None)]
    [InlineData("registrant country", null, null, UnknownMainlandMac, EvidenceKind.RegistrantCountry, EvidenceStrength.Weak)]
    public void Each_kind_of_evidence_weighs_what_the_table_says(string row, string? manufacturer, string? model, string? mac, EvidenceKind kind, EvidenceStrength strength)
    {
        var evidence = Assert.Single(Identifier.Identify(manufacturer, model, mac).Evidence, e => e.Kind == kind);

        Assert.True(strength == EvidenceTable.StrengthOf(evidence), $"{row}: {evidence.Method} weighs {EvidenceTable.StrengthOf(evidence)}");
    }

    [Fact]
    public void A_module_makers_block_attributed_to_a_catalogue_vendor_is_weak_and_a_fingerprint_is_strong()
    {
        // HiSilicon's block is attributed to a catalogue vendor but is a chip maker's; nothing produces fingerprints yet.
        var hisilicon = VendorCatalogue.Default.Registry.Lookup(new MacAddress(0xBCAD28000001))!.Vendor!;
        var module = new Evidence(EvidenceKind.MacAddress, "ieee-ma-l:000000" + Evidence.ModuleMakerSuffix, "00:00:00:00:00:01", "Hisilicon Technologies Co., Ltd", hisilicon);
        var fingerprint = new Evidence(EvidenceKind.Fingerprint, "http-banner", "Server: Hikvision-Webs", "Hikvision-Webs", hisilicon);

        Assert.Equal(EvidenceStrength.Weak, EvidenceTable.StrengthOf(module));
        Assert.Equal(EvidenceStrength.Strong, EvidenceTable.StrengthOf(fingerprint));
    }

    /// <summary>
    /// Combination table (docs/identification.md, "What a combination yields"): maker, relabel, conflict, and the verdict
    /// for a camera at a sensitive site on a segregated network, installed before the instruction.
    /// </summary>
    [Theory]
    [InlineData("1 all agree", "Hikvision", "DS-2CD2143G2-I", HikvisionMac, "hikvision", false, "none", "prc-surveillance-on-sensitive-site")]
    [InlineData("2 name only", "Hikvision", null, null, "hikvision", false, "none", "prc-surveillance-on-sensitive-site")]
    [InlineData("3 same group", "HiLook", "DS-2CD1043G0-I", HikvisionMac, "hikvision", false, "none", "prc-surveillance-on-sensitive-site")]
    [InlineData("4 unknown name, PRC hardware", "Secure View Ltd", null, "3C:EF:8C:21:9A:04", "dahua", true, "none", "prc-surveillance-on-sensitive-site")]
    [InlineData("5 trusted name, PRC MAC", "Axis", null, HikvisionMac, "hikvision", true, "prc-won", "prc-surveillance-on-sensitive-site")]
    [InlineData("6 trusted name, PRC model and MAC", "Axis", "DS-2CD2143G2-I", HikvisionMac, "hikvision", true, "prc-won", "prc-surveillance-on-sensitive-site")]
    [InlineData("7 PRC name and model, trusted MAC (the issue's case)", "Hikvision", "DS-2CD2143G2-I", AxisMac, "hikvision", false, "prc-won", "prc-surveillance-on-sensitive-site")]
    [InlineData("8 PRC name, trusted MAC", "Hikvision", null, AxisMac, "axis", true, "other-won", ComplianceEvaluator.ConflictRule)]
    [InlineData("9 PRC name, trusted model and MAC", "Hikvision", "P3245-LVE", AxisMac, "axis", true, "other-won", ComplianceEvaluator.ConflictRule)]
    [InlineData("10 trusted name and model, PRC MAC", "Axis", "P3245-LVE", HikvisionMac, "axis", false, "other-won", ComplianceEvaluator.ConflictRule)]
    [InlineData("11 PRC model, trusted MAC, no name", null, "DS-2CD2143G2-I", AxisMac, "axis", false, "other-won", ComplianceEvaluator.ConflictRule)]
    [InlineData("12 trusted model, PRC MAC, no name: a tie", null, "P3245-LVE", HikvisionMac, "hikvision", false, "prc-tie", ComplianceEvaluator.ConflictRule)]
    [InlineData("13 weak PRC name, trusted MAC", "Hikvison", null, AxisMac, "axis", true, "other-won", ComplianceEvaluator.ConflictRule)]
    [InlineData("14 PRC name, MAC without maker information", "Hikvision", null, "00:00:00:00:00:00", "hikvision", false, "none", "prc-surveillance-on-sensitive-site")]
    [InlineData("15 PRC name, module maker's MAC", "Hikvision", null, QuectelMac, "hikvision", false, "none", "prc-surveillance-on-sensitive-site")]
    [InlineData("16 trusted name, unlisted mainland registrant", "Axis", null, UnknownMainlandMac, "axis", false, "none", ComplianceEvaluator.PrcRegisteredMacRule)]
    [InlineData("17 contested name, trusted MAC", "Reolink", null, AxisMac, "axis", true, "none", "compliant")]
    [InlineData("18 PRC model, contested name", "Reolink", "DS-2CD2143G2-I", null, "hikvision", true, "prc-won", "prc-surveillance-on-sensitive-site")]
    public void Each_combination_yields_what_the_table_says(string row, string? manufacturer, string? model, string? mac, string vendor, bool relabel, string conflict, string rule)
    {
        var identification = Identifier.Identify(manufacturer, model, mac);
        var device = Camera(manufacturer, model, mac, sensitive: true, NetworkSegment.Segregated);
        var evaluation = Evaluator.Evaluate(AssetEventKind.Upserted, device, identification);

        var actualConflict = identification.Conflict switch
        {
            null => "none",
            { PrcSideWon: true, Settled: true } => "prc-won",
            { PrcSideWon: true } => "prc-tie",
            _ => "other-won",
        };
        Assert.True((vendor, relabel, conflict, rule) == (identification.Vendor?.Key, identification.RelabelSuspected, actualConflict, evaluation.Rule),
            $"{row}: got {identification.Vendor?.Key}, relabel {identification.RelabelSuspected}, conflict {actualConflict}, rule {evaluation.Rule}");
        if (identification.Conflict is { } c)
        {
            // Both sides are named in the reasons (and so on the card, which shows every reason).
            var all = string.Join(" ", evaluation.Reasons);
            Assert.All(c.PrcSide.Concat(c.OtherSide), e => Assert.Contains(e.Input, all));
            Assert.NotEqual(ComplianceStatus.Compliant, evaluation.Status);
        }
    }

    /// <summary>Strong PRC evidence in conflict never yields Compliant, at any site, on any network, for any surveillance type.</summary>
    [Theory]
    [InlineData("Hikvision", null, AxisMac)]
    [InlineData("Axis", "P3245-LVE", HikvisionMac)]
    [InlineData(null, "DS-2CD2143G2-I", AxisMac)]
    [InlineData("Dahua", "P3245-LVE", AxisMac)]
    public void A_conflict_with_a_prc_maker_is_never_compliant(string? manufacturer, string? model, string mac)
    {
        foreach (var sensitive in new bool?[] { true, false, null })
        {
            foreach (var segment in new NetworkSegment?[] { NetworkSegment.Core, NetworkSegment.Segregated, NetworkSegment.Standalone, null })
            {
                foreach (var type in new[] { "camera", "nvr", "video-intercom", "network" })
                {
                    var device = Camera(manufacturer, model, mac, sensitive, segment) with { DeviceType = DeviceTypes.TryParse(type, out var t) ? t : null };
                    var evaluation = Evaluator.Evaluate(AssetEventKind.Upserted, device, Identifier.Identify(manufacturer, model, mac));
                    Assert.True(evaluation.Status != ComplianceStatus.Compliant, $"{manufacturer}/{model}/{mac} {type} {sensitive} {segment}: {evaluation.Rule}");
                }
            }
        }
    }

    [Theory]
    [InlineData("00:00:00:00:00:00", "all-zero")]
    [InlineData("FF:FF:FF:FF:FF:FF", "broadcast")]
    [InlineData("01:00:5E:00:00:FB", "group")]
    [InlineData("33:33:00:00:00:01", "group")]
    [InlineData("01:23:45:67:89:AB", "group")]
    [InlineData("02:00:00:00:00:00", "locally-administered")] // what Android 6+ returns to apps
    [InlineData("52:54:00:12:34:56", "locally-administered")] // QEMU's default
    [InlineData("DE:AD:BE:EF:00:01", "locally-administered")]
    [InlineData("12:34:56:78:9A:BC", "locally-administered")]
    [InlineData("AA:BB:CC:DD:EE:FF", "locally-administered")]
    [InlineData("44:44:44:44:44:44", "repeated-octet")]
    [InlineData("00:00:5E:00:01:01", "iana-protocol")] // VRRP virtual router
    [InlineData("00:00:5E:00:53:01", "iana-protocol")] // RFC 7042 documentation range
    [InlineData("00:11:22:33:44:55", "placeholder:example-sequence")]
    [InlineData("00:01:02:03:04:05", "placeholder:example-sequence")]
    [InlineData("00:90:4C:C5:12:38", "placeholder:broadcom-nvram-default")]
    public void Macs_that_carry_no_maker_information_are_said_to_be_so_and_are_never_evidence(string mac, string reason)
    {
        var identification = Identifier.Identify(null, null, mac);
        var evidence = Assert.Single(identification.Evidence);

        Assert.Equal(Evidence.NoMakerInformationPrefix + reason, evidence.Method);
        Assert.Equal((null, null, ""), (identification.Vendor, identification.UnlistedMacOrganisation, evidence.Matched));
        var evaluation = Evaluator.Evaluate(AssetEventKind.Upserted, Camera(null, null, mac, false, NetworkSegment.Segregated), identification);
        Assert.Contains(evaluation.Reasons, r => r.Contains("carries no maker information", StringComparison.Ordinal));
        Assert.DoesNotContain(evaluation.Reasons, r => r.Contains("XEROX", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("00:00:00:00:00:01")] // inside XEROX's block but not all zero: a registered address
    [InlineData("BC:AD:28:00:00:00")]
    [InlineData("00:11:22:33:44:56")]
    public void Ordinary_universal_addresses_are_still_looked_up(string mac)
    {
        Assert.True(Identifier.Identify(null, null, mac).Evidence.Single().IsRegisteredBlock);
    }

    [Fact]
    public void A_surveillance_device_with_a_mac_registered_in_mainland_china_to_an_unknown_organisation_is_never_cleared()
    {
        var identification = Identifier.Identify("Acme", "X-100", UnknownMainlandMac);
        var evaluation = Evaluator.Evaluate(AssetEventKind.Upserted, Camera("Acme", "X-100", UnknownMainlandMac, false, NetworkSegment.Segregated), identification);

        var country = Assert.Single(identification.Evidence, e => e.Kind == EvidenceKind.RegistrantCountry);
        Assert.Equal(("CN", "Chengdu Maipu Electric Industrial Co., Ltd."), (country.Matched, country.Input));
        Assert.Equal((ComplianceStatus.NeedsReview, ComplianceEvaluator.PrcRegisteredMacRule), (evaluation.Status, evaluation.Rule));
        Assert.Contains(evaluation.Reasons, r => r.Contains("Chengdu Maipu", StringComparison.Ordinal) && r.Contains("mainland China", StringComparison.Ordinal));

        // Exposed, it is held back as unidentified, and the reasons still say where the registrant is.
        var exposed = Evaluator.Evaluate(AssetEventKind.Upserted, Camera("Acme", "X-100", UnknownMainlandMac, true, NetworkSegment.Segregated), identification);
        Assert.Equal("unidentified-surveillance-exposed", exposed.Rule);
        Assert.Contains(exposed.Reasons, r => r.Contains("Chengdu Maipu", StringComparison.Ordinal) && r.Contains("mainland China", StringComparison.Ordinal));

        // Not visual surveillance: the fact is shown, the direction does not apply.
        var network = Evaluator.Evaluate(AssetEventKind.Upserted, Camera("Acme", null, UnknownMainlandMac, false, NetworkSegment.Segregated) with { DeviceType = DeviceType.Network }, identification);
        Assert.Equal(ComplianceStatus.Compliant, network.Status);
    }

    [Fact]
    public void Taiwan_registrants_are_not_prc_and_hong_kong_registrants_are_shown_as_contested()
    {
        var taiwan = Identifier.Identify("Acme", null, TaiwanMac);
        var hongKong = Identifier.Identify("Acme", null, HongKongMac);

        Assert.DoesNotContain(taiwan.Evidence, e => e.Kind == EvidenceKind.RegistrantCountry);
        Assert.Equal("HK", hongKong.RegistrantCountry?.Matched);
        var tw = Evaluator.Evaluate(AssetEventKind.Upserted, Camera("Acme", null, TaiwanMac, false, NetworkSegment.Segregated), taiwan);
        var hk = Evaluator.Evaluate(AssetEventKind.Upserted, Camera("Acme", null, HongKongMac, false, NetworkSegment.Segregated), hongKong);
        Assert.Equal((ComplianceStatus.Compliant, ComplianceStatus.Compliant), (tw.Status, hk.Status));
        Assert.Contains(hk.Reasons, r => r.Contains("Hong Kong", StringComparison.Ordinal) && r.Contains("contested", StringComparison.Ordinal));
        // Exposed, the HK registrant's device is held back like any unidentified one.
        var exposed = Evaluator.Evaluate(AssetEventKind.Upserted, Camera("Acme", null, HongKongMac, true, NetworkSegment.Segregated), hongKong);
        Assert.Equal(ComplianceStatus.NeedsReview, exposed.Status);
    }

    [Fact]
    public void A_module_makers_block_says_who_made_the_radio_not_the_camera()
    {
        var withAxis = Identifier.Identify("Axis", "P3245-LVE", QuectelMac);
        var alone = Identifier.Identify("Acme", null, QuectelMac);

        Assert.Equal("axis", withAxis.Vendor?.Key);
        Assert.EndsWith(Evidence.ModuleMakerSuffix, withAxis.Evidence.Single(e => e.Kind == EvidenceKind.MacAddress).Method);
        Assert.Equal(ComplianceStatus.Compliant, Evaluator.Evaluate(AssetEventKind.Upserted, Camera("Axis", "P3245-LVE", QuectelMac, false, NetworkSegment.Segregated), withAxis).Status);
        var unknown = Evaluator.Evaluate(AssetEventKind.Upserted, Camera("Acme", null, QuectelMac, false, NetworkSegment.Segregated), alone);
        Assert.Equal((ComplianceStatus.NeedsReview, ComplianceEvaluator.PrcRegisteredMacRule), (unknown.Status, unknown.Rule));
        Assert.Contains(unknown.Reasons, r => r.Contains("radio-module maker", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("XEROX CORPORATION\nM/S 105-50C\nWEBSTER NY 14580\nUnited States", "US")]
    [InlineData("Acme\nStreet\nChina", "CN")]
    [InlineData("Acme\nStreet\nHong Kong SAR China", "HK")]
    [InlineData("Acme\nStreet\nMacao SAR China", "MO")]
    [InlineData("Acme\nStreet\nTaiwan", "TW")]
    [InlineData("Acme\nStreet\nNew Taipei Taiwan 235", "TW")]
    [InlineData("Acme\nStreet\nShenZhen GuangDong 518100", "CN")]
    [InlineData("Acme\nStreet\nTürkiye", "TR")]
    [InlineData("Private", "")]
    [InlineData("Acme\nStreet\nSomewhere 12345", "")]
    [InlineData("Acme", "")]
    public void Registrant_countries_map_to_iso_codes_and_unmapped_lines_stay_empty(string entry, string code)
    {
        Assert.Equal(code, RegistrantCountries.FromEntry(entry));
    }

    [Fact]
    public void The_shipped_registry_carries_countries_for_almost_every_block()
    {
        var registry = VendorCatalogue.Default.Registry;
        var hikvision = registry.Lookup(new MacAddress(0xBCAD28000001));
        var cisco = registry.Lookup(new MacAddress(0x00000C000001));

        Assert.Equal(("CN", "US"), (hikvision?.Country, cisco?.Country));
    }

    [Theory]
    [InlineData("BCAD28\tAcme\t\tChina", "country 'China'")]
    [InlineData("BCAD28\tAcme\tnobody\tCN", "vendor 'nobody'")]
    public void A_registry_line_with_a_bad_country_or_vendor_is_refused_with_its_line_number(string line, string message)
    {
        var json = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "catalogue", "vendors.json"));

        var error = Assert.Throws<InvalidDataException>(() => VendorCatalogue.Load(json, "# registry-date: x\n" + line + "\n"));
        Assert.Contains("line 2", error.Message);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void A_registry_written_before_the_country_column_still_loads()
    {
        var json = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "catalogue", "vendors.json"));

        var catalogue = VendorCatalogue.Load(json, "BCAD28\tHangzhou Hikvision Digital Technology Co.,Ltd.\thikvision\n");
        var assignment = catalogue.Registry.Lookup(new MacAddress(0xBCAD28000001));
        Assert.Equal(("hikvision", ""), (assignment?.Vendor?.Key, assignment?.Country));
    }

    [Fact]
    public void Registrants_json_loads_and_every_organisation_it_names_is_in_the_registry()
    {
        var registrants = RegistrantCatalogue.Default;
        var tsv = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "catalogue", "oui.tsv")).Where(l => l.Length > 0 && l[0] != '#').Select(l => l.Split('\t')[1]).ToHashSet(StringComparer.Ordinal);

        Assert.True(registrants.Registrants.Count >= 8);
        Assert.All(registrants.Registrants, r => Assert.NotEmpty(r.Sources));
        Assert.All(registrants.Registrants.SelectMany(r => r.Organisations), o => Assert.Contains(o, tsv));
        Assert.Contains(registrants.Registrants, r => r.Key == "espressif" && r.Role == RegistrantRole.ChipMaker);
        Assert.Contains(registrants.Registrants, r => r.Key == "quectel" && r.Role == RegistrantRole.ModuleMaker);
    }

    [Theory]
    [InlineData("""{"registrants":[{"key":"a","name":"A","role":"chip-maker","headquarters":"CN","organisations":["X"],"sources":["S"]}],"sources":{}}""", "source 'S'")]
    [InlineData("""{"registrants":[{"key":"a","name":"A","role":"radio","headquarters":"CN","organisations":["X"],"sources":["S"]}],"sources":{"S":{"title":"t","url":"u","date":"d"}}}""", "unknown role")]
    [InlineData("""{"registrants":[{"key":"a","name":"A","role":"chip-maker","headquarters":"CN","organisations":["X"],"sources":["S"]},{"key":"b","name":"B","role":"chip-maker","headquarters":"CN","organisations":["X"],"sources":["S"]}],"sources":{"S":{"title":"t","url":"u","date":"d"}}}""", "both 'a' and 'b'")]
    public void A_bad_registrants_file_is_refused_with_the_entry_named(string json, string message)
    {
        var error = Assert.Throws<InvalidDataException>(() => RegistrantCatalogue.Load(System.Text.Encoding.UTF8.GetBytes(json)));
        Assert.Contains(message, error.Message);
    }

    internal static RegisteredDevice Camera(string? manufacturer, string? model, string? mac, bool? sensitive, NetworkSegment? segment) => new()
    {
        AssetId = "A1",
        Department = "HO",
        Revision = 1,
        Manufacturer = manufacturer,
        Model = model,
        MacAddress = mac,
        DeviceType = DeviceType.Camera,
        Site = new Site("S1", "Site", sensitive),
        NetworkSegment = segment,
        InstalledOn = new DateOnly(2020, 1, 1),
    };
}
