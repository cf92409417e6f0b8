using AssetCompliance.Core.Catalogue;

namespace AssetCompliance.Core.Tests;

/// <summary>
/// Non-PRC makers that registers hold are identified by name and by their IEEE blocks, with their owners, and are never
/// subject to the PRC law; registrants that are PRC-incorporated or merely share a name stay unmapped.
/// </summary>
public sealed class TrustedMakerTests
{
    private static readonly DeviceIdentifier Identifier = new(VendorCatalogue.Default);

    [Theory]
    [InlineData("00:00:0C:12:34:56", "cisco")]
    [InlineData("00:15:6D:12:34:56", "ubiquiti")]
    [InlineData("00:0B:D6:12:34:56", "paxton")]
    [InlineData("00:11:32:12:34:56", "synology")]
    [InlineData("7C:1E:B3:12:34:56", "2n")]
    [InlineData("00:10:8D:12:34:56", "johnson-controls")]
    [InlineData("00:06:5B:12:34:56", "dell")]
    [InlineData("00:B4:63:12:34:56", "ring")]
    public void Registry_blocks_of_trusted_makers_identify_them(string mac, string vendor)
    {
        var identification = Identifier.Identify(null, null, mac);

        Assert.Equal(vendor, identification.Vendor?.Key);
        Assert.False(identification.Vendor!.SubjectToNationalIntelligenceLaw);
    }

    [Theory]
    [InlineData("B4:37:D8:12:34:56")] // D-Link (Shanghai) Limited Corp., CN
    [InlineData("28:C8:25:12:34:56")] // DellKing Industrial Co., Ltd, CN
    [InlineData("68:97:4B:12:34:56")] // Shenzhen Costar Electronics Co. Ltd., CN
    [InlineData("00:22:A7:12:34:56")] // Tyco Electronics AMP GmbH (TE Connectivity, not Johnson Controls)
    public void Registrants_that_only_share_a_trusted_makers_name_are_not_mapped_to_it(string mac)
    {
        Assert.Null(Identifier.Identify(null, null, mac).Vendor);
    }

    [Theory]
    [InlineData("Paxton", "paxton")]
    [InlineData("Paxton Access Ltd", "paxton")]
    [InlineData("HID Global", "hid")]
    [InlineData("Gallagher", "gallagher")]
    [InlineData("Cisco Systems", "cisco")]
    [InlineData("Cisco Meraki", "meraki")]
    [InlineData("Geutebruck", "geutebruck")]
    [InlineData("Geutebrück GmbH", "geutebruck")]
    [InlineData("Ubiquiti Networks", "ubiquiti")]
    [InlineData("Illustra", "johnson-controls")]
    [InlineData("IndigoVision", "indigovision")]
    [InlineData("Pelco", "pelco")]
    [InlineData("Hewlett Packard Enterprise", "hpe")]
    [InlineData("Samsung Electronics", "samsung-electronics")]
    public void Trusted_makers_are_identified_by_the_names_registers_use(string manufacturer, string vendor)
    {
        Assert.Equal(vendor, Identifier.Identify(manufacturer, null, null).Vendor?.Key);
    }

    [Theory]
    [InlineData("2n", "axis")]
    [InlineData("meraki", "cisco")]
    [InlineData("hid", "assa-abloy")]
    [InlineData("ring", "amazon")]
    [InlineData("flir", "teledyne")]
    [InlineData("juniper", "hpe")]
    [InlineData("pelco", "motorola")]
    [InlineData("indigovision", "motorola")]
    [InlineData("mobotix", "konica-minolta")]
    public void Owners_are_in_the_chain(string vendor, string owner)
    {
        var chain = VendorCatalogue.Default.Vendors[vendor].OwnershipChain.Select(v => v.Key);

        Assert.Contains(owner, chain);
    }

    [Fact]
    public void No_trusted_maker_added_by_the_survey_is_subject_to_the_prc_law()
    {
        string[] keys = ["pelco", "indigovision", "vicon", "arecont", "johnson-controls", "idis", "dallmeier", "geutebruck", "videotec", "2n",
            "paxton", "gallagher", "assa-abloy", "hid", "suprema", "cisco", "meraki", "ubiquiti", "rhombus", "eagle-eye", "arlo", "amazon", "ring",
            "google", "teledyne", "flir", "konica-minolta", "synology", "qnap", "d-link", "zyxel", "netgear", "hpe", "juniper", "hp-inc", "fortinet",
            "palo-alto", "extreme", "dell", "apple", "samsung-electronics"];

        Assert.All(keys, key => Assert.False(VendorCatalogue.Default.Vendors[key].SubjectToNationalIntelligenceLaw, key));
    }

    [Fact]
    public void Lenovo_is_not_added_as_a_trusted_maker()
    {
        // PRC-headquartered; its status is left to analysts (docs/catalogue-coverage.md).
        Assert.Null(Identifier.Identify("Lenovo", null, null).Vendor);
    }
}
