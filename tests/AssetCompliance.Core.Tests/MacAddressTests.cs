using AssetCompliance.Core.Events;

namespace AssetCompliance.Core.Tests;

public sealed class MacAddressTests
{
    [Theory]
    [InlineData("BC:AD:28:4F:11:02")]
    [InlineData("bc:ad:28:4f:11:02")]
    [InlineData("BC-AD-28-4F-11-02")]
    [InlineData("bcad.284f.1102")]
    [InlineData("BCAD284F1102")]
    [InlineData("  bcad284f1102 ")]
    public void Every_common_notation_parses_to_the_same_address(string text)
    {
        Assert.True(MacAddress.TryParse(text, out var mac));
        Assert.Equal(0xBCAD284F1102UL, mac.Value);
        Assert.Equal("BC:AD:28:4F:11:02", mac.ToString());
        Assert.Equal(0xBCAD28UL, mac.Prefix(24));
        Assert.Equal(0xBCAD284UL, mac.Prefix(28));
        Assert.Equal(0xBCAD284F1UL, mac.Prefix(36));
    }

    [Theory]
    [InlineData("")]
    [InlineData("BC:AD:28:4F:11")]
    [InlineData("BC:AD:28-4F:11:02")]
    [InlineData("BC:AD:28:4F:11:0G")]
    [InlineData("BCAD.284F-1102")]
    [InlineData("BCAD284F11023")]
    [InlineData("BC::AD:28:4F:1102")]
    public void Malformed_addresses_do_not_parse(string text)
    {
        Assert.False(MacAddress.TryParse(text, out _));
    }

    [Theory]
    [InlineData("bcad-284f-1102")]
    [InlineData("BCAD-284F-1102")]
    [InlineData("bcad:284f:1102")]
    [InlineData("bcad 284f 1102")]
    [InlineData("bcad28-4f1102")]
    [InlineData("bcad28:4f1102")]
    [InlineData("BC AD 28 4F 11 02")]
    [InlineData("bc.ad.28.4f.11.02")]
    [InlineData("bc:ad:28:4f:11:2")]
    [InlineData(" bc-ad-28-4f-11-2 ")]
    public void Register_notations_parse_to_the_same_address_but_not_under_the_contract(string text)
    {
        Assert.True(MacAddress.TryParse(text, MacNotation.Register, out var mac));
        Assert.Equal(0xBCAD284F1102UL, mac.Value);
        Assert.False(MacAddress.TryParse(text, out _));
    }

    [Theory]
    [InlineData("0:1b:63:84:45:e6", 0x001B638445E6UL)]
    [InlineData("a:b:c:d:e:f", 0x0A0B0C0D0E0FUL)]
    public void Six_groups_may_drop_leading_zeros(string text, ulong value)
    {
        Assert.True(MacAddress.TryParse(text, MacNotation.Register, out var mac));
        Assert.Equal(value, mac.Value);
    }

    [Theory]
    [InlineData("4.419E+11")]
    [InlineData("441900000000000")]
    [InlineData("bcad-284f-112")]
    [InlineData("bcad-284f:1102")]
    [InlineData("bc ad 28-4f 11 02")]
    [InlineData("bc:ad:28:4f:11")]
    [InlineData("bc:ad:28:4f:11:02:03")]
    [InlineData("bc:ad:28:4f:11:002")]
    [InlineData("bcad--284f-1102")]
    [InlineData("bcad.284f")]
    [InlineData("zz-zz-zz-zz-zz-zz")]
    [InlineData("-")]
    public void Register_notations_still_refuse_what_is_not_one_address(string text)
    {
        Assert.False(MacAddress.TryParse(text, MacNotation.Register, out _));
    }
}
