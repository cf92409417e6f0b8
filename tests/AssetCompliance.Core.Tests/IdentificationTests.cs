using AssetCompliance.Core.Catalogue;

namespace AssetCompliance.Core.Tests;

public sealed class IdentificationTests
{
    private static readonly DeviceIdentifier Identifier = new(VendorCatalogue.Default);

    [Theory]
    [InlineData("HIKVISION", "hikvision", "exact:own-brand")]
    [InlineData("Hik Vision", "hikvision", "exact:own-brand")]
    [InlineData("Hik-Vision", "hikvision", "exact:own-brand")]
    [InlineData("Hangzhou Hikvision Digital Technology Co., Ltd.", "hikvision", "exact:own-brand")]
    [InlineData("Hikvision (UK) Ltd", "hikvision", "exact:own-brand")]
    [InlineData("HiLook", "hikvision", "exact:own-brand")]
    [InlineData("HiWatch", "hikvision", "exact:own-brand")]
    [InlineData("EZVIZ", "ezviz", "exact:own-brand")]
    [InlineData("Dahua Technology Co., Ltd", "dahua", "exact:own-brand")]
    [InlineData("Zhejiang Dahua Technology", "dahua", "exact:own-brand")]
    [InlineData("UNV", "uniview", "exact:own-brand")]
    [InlineData("Uniview Technologies", "uniview", "exact:own-brand")]
    [InlineData("Imou", "huacheng", "exact:own-brand")]
    [InlineData("Axis Communications AB", "axis", "exact:own-brand")]
    [InlineData("AXIS", "axis", "exact:own-brand")]
    [InlineData("Samsung Techwin", "hanwha", "exact:former-name")]
    [InlineData("Bosch Security Systems GmbH", "bosch", "exact:own-brand")]
    [InlineData("Acme Installations (Hikvision)", "hikvision", "contains:own-brand")]
    [InlineData("Hikvison", "hikvision", "typo-tolerant:own-brand")]
    [InlineData("Dahau", "dahua", "typo-tolerant:own-brand")]
    [InlineData("LTS", "hikvision", "exact:oem-relabel")]
    public void Manufacturer_strings_identify_their_vendor(string manufacturer, string vendor, string method)
    {
        var result = Identifier.Identify(manufacturer, null, null);

        Assert.Equal(vendor, result.Vendor?.Key);
        var evidence = Assert.Single(result.Evidence);
        Assert.Equal(method, evidence.Method);
        Assert.Equal(manufacturer, evidence.Input);
    }

    [Theory]
    [InlineData("Hikoki")]
    [InlineData("Dahle")]
    [InlineData("Univision")]
    [InlineData("Busch")]
    [InlineData("Acme Security")]
    [InlineData("UNVX Ltd")]
    public void Near_miss_names_of_other_companies_stay_unmatched(string manufacturer)
    {
        var result = Identifier.Identify(manufacturer, null, null);

        Assert.True(result.Vendor is null || result.Vendor.SubjectToNationalIntelligenceLaw != true,
            $"{manufacturer} was taken for {result.Vendor?.Key}");
        Assert.Null(result.Vendor);
    }

    [Fact]
    public void Hitachi_is_its_own_maker_not_a_typo_of_hikvision()
    {
        // Hitachi was once only guarded as a near miss; it is now a trusted maker of its own.
        Assert.Equal("hitachi", Identifier.Identify("Hitachi", null, null).Vendor?.Key);
    }

    [Fact]
    public void Hanwha_matches_its_own_entry_not_a_prc_vendor()
    {
        Assert.Equal("hanwha", Identifier.Identify("Hanwha", null, null).Vendor?.Key);
    }

    [Theory]
    [InlineData("DS-2CD2143G2-I", "hikvision")]
    [InlineData("iDS-2CD7A46G0-IZHS", "hikvision")]
    [InlineData("DS-7616NI-K2", "hikvision")]
    [InlineData("IPC-B140H", "hikvision")]
    [InlineData("DH-IPC-HFW2431S-S-S2", "dahua")]
    [InlineData("IPC-HDW2431T-AS-S2", "dahua")]
    [InlineData("IPC-HDBW2431E-S-S2", "dahua")]
    [InlineData("NVR4208-8P-4KS2", "dahua")]
    [InlineData("XVR5108HS-I3", "dahua")]
    [InlineData("HAC-HFW1200T", "dahua")]
    [InlineData("SD49225XA-HNR", "dahua")]
    [InlineData("VTO2202F-P", "dahua")]
    [InlineData("IPC2122LB-SF28-A", "uniview")]
    [InlineData("NVR301-08S3", "uniview")]
    [InlineData("TC-C32XN", "tiandy")]
    [InlineData("CS-C6N", "ezviz")]
    [InlineData("P3245-LVE", "axis")]
    [InlineData("XNV-8080R", "hanwha")]
    [InlineData("NDE-3502-AL", "bosch")]
    [InlineData("WV-S2136", "i-pro")]
    [InlineData("SD9364-EHL", "vivotek")]
    public void Model_numbers_identify_their_vendor(string model, string vendor)
    {
        var result = Identifier.Identify(null, model, null);

        Assert.Equal(vendor, result.Vendor?.Key);
        Assert.Equal("model-pattern", Assert.Single(result.Evidence).Method);
    }

    [Theory]
    [InlineData("IPC-1234")]
    [InlineData("IPC-")]
    [InlineData("NVR-16")]
    [InlineData("CAM-01")]
    public void Ambiguous_model_numbers_identify_nobody(string model)
    {
        Assert.Null(Identifier.Identify(null, model, null).Vendor);
    }

    [Theory]
    [InlineData("BC:AD:28:4F:11:02", "hikvision", "ieee-ma-l:BCAD28")]
    [InlineData("bc-ad-28-4f-11-02", "hikvision", "ieee-ma-l:BCAD28")]
    [InlineData("bcad.284f.1102", "hikvision", "ieee-ma-l:BCAD28")]
    [InlineData("3CEF8C112233", "dahua", "ieee-ma-l:3CEF8C")]
    [InlineData("AC:CC:8E:0A:1B:2C", "axis", "ieee-ma-l:ACCC8E")]
    public void Mac_addresses_identify_their_registrant(string mac, string vendor, string method)
    {
        var result = Identifier.Identify(null, null, mac);

        Assert.Equal(vendor, result.Vendor?.Key);
        Assert.Equal(method, Assert.Single(result.Evidence).Method);
    }

    [Fact]
    public void The_longest_registered_prefix_wins()
    {
        var catalogue = VendorCatalogue.Default;
        var mas = catalogue.Registry.Lookup(new Events.MacAddress(0x8C1F64000001));
        Assert.NotNull(mas);
        Assert.Equal("MA-S", mas!.Block);
    }

    [Fact]
    public void A_mac_outside_the_catalogue_reports_its_registered_organisation()
    {
        var result = Identifier.Identify(null, null, "00:00:00:12:34:56");

        Assert.Null(result.Vendor);
        Assert.Equal("XEROX CORPORATION", result.UnlistedMacOrganisation);
        Assert.Null(result.MacWithoutMakerInformation);
    }

    [Fact]
    public void Hardware_evidence_decides_against_the_register_and_flags_a_relabel()
    {
        // The model number and the MAC block agree on Hikvision: two hardware sources outweigh the register's name.
        var result = Identifier.Identify("Axis", "DS-2CD2143G2-I", "BC:AD:28:4F:11:02");

        Assert.Equal("hikvision", result.Vendor?.Key);
        Assert.True(result.RelabelSuspected);
        Assert.Equal(3, result.Evidence.Count);
        Assert.Contains(result.Evidence, e => e.Vendor?.Key == "axis");
        Assert.True(result.Conflict is { PrcSideWon: true, Settled: true });
    }

    [Fact]
    public void A_single_prc_mac_against_a_trusted_name_and_model_is_a_conflict_not_a_verdict()
    {
        // This test used to expect Hikvision: the MAC decided alone. A MAC can belong to a radio module, an encoder in
        // front of the camera or be a typo, so one MAC no longer outweighs a name and a model number that agree; the
        // conflict with a PRC maker is kept, and the policy never clears it.
        var result = Identifier.Identify("Axis", "P3245-LVE", "BC:AD:28:4F:11:02");

        Assert.Equal("axis", result.Vendor?.Key);
        Assert.NotNull(result.Conflict);
        Assert.False(result.Conflict!.PrcSideWon);
        Assert.Equal("hikvision", Assert.Single(result.Conflict.PrcSide).Vendor?.Key);
        Assert.Equal(["axis", "axis"], result.Conflict.OtherSide.Select(e => e.Vendor?.Key));
    }

    [Fact]
    public void An_unknown_reseller_name_on_prc_hardware_is_a_suspected_relabel()
    {
        var result = Identifier.Identify("Secure View Ltd", "SV-4MP", "3C:EF:8C:21:9A:04");

        Assert.Equal("dahua", result.Vendor?.Key);
        Assert.True(result.RelabelSuspected);
        var registerSide = Assert.Single(result.Evidence, e => e.Kind == EvidenceKind.Manufacturer);
        Assert.Equal(("unmatched", "Secure View Ltd"), (registerSide.Method, registerSide.Input));
    }

    [Fact]
    public void A_brand_of_the_same_group_is_not_a_relabel()
    {
        var result = Identifier.Identify("HiLook", "DS-2CD1043G0-I", "BC:AD:28:4F:11:02");

        Assert.Equal("hikvision", result.Vendor?.Key);
        Assert.False(result.RelabelSuspected);
    }

    [Fact]
    public void Subsidiaries_inherit_prc_jurisdiction_through_the_chain()
    {
        var ezviz = VendorCatalogue.Default.Vendors["ezviz"];

        Assert.True(ezviz.SubjectToNationalIntelligenceLaw);
        Assert.Equal(["ezviz", "hikvision", "cetc"], ezviz.OwnershipChain.Select(v => v.Key));
    }

    [Theory]
    [InlineData("reolink")]
    [InlineData("lorex")]
    [InlineData("amcrest")]
    [InlineData("swann")]
    [InlineData("tp-link")]
    public void Contested_vendors_carry_an_open_question_with_a_note(string key)
    {
        var vendor = VendorCatalogue.Default.Vendors[key];

        Assert.Null(vendor.SubjectToNationalIntelligenceLaw);
        Assert.False(string.IsNullOrWhiteSpace(vendor.NationalIntelligenceLawNote));
    }

    [Theory]
    [InlineData("axis")]
    [InlineData("hanwha")]
    [InlineData("bosch")]
    [InlineData("avigilon")]
    [InlineData("mobotix")]
    [InlineData("vivotek")]
    [InlineData("verkada")]
    [InlineData("i-pro")]
    [InlineData("sony")]
    [InlineData("canon")]
    [InlineData("milestone")]
    [InlineData("genetec")]
    [InlineData("honeywell")]
    public void Trusted_vendors_are_known_and_not_subject(string key)
    {
        Assert.False(VendorCatalogue.Default.Vendors[key].SubjectToNationalIntelligenceLaw);
    }
}
