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
}
