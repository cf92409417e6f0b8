using System.Text;
using AssetCompliance.Core.Events;
using AssetCompliance.Core.Registers;

namespace AssetCompliance.Core.Tests;

/// <summary>
/// One device-type vocabulary: a word the generic words hold reads alike, with the same guess warning, whichever
/// profile the file is read as; a profile's own table decides only its format's words.
/// </summary>
public sealed class ProfileVocabularyTests
{
    private static RegisterRow Read(string csv, string profile)
    {
        var source = RegisterReader.Open(new MemoryStream(Encoding.UTF8.GetBytes(csv)), "register.csv", new RegisterReadOptions { Department = "HO" });
        var row = Assert.Single(source.Rows.ToArray());
        Assert.Equal(profile, source.Profile?.Name);
        return row;
    }

    private static RegisterRow SnipeIt(string category) =>
        Read($"Asset Tag,Asset Name,Model No.,Category,Manufacturer,Serial,Location,Status\r\nT-1,cam-1,X1,{category},Acme,S1,HQ,Ready to Deploy (deployable)\r\n", "snipeit");

    private static RegisterRow Spreadsheet(string type) =>
        Read($"asset_id,manufacturer,model,serial_number,device_type,site_name\r\nT-1,Acme,X1,S1,{type},HQ\r\n", "spreadsheet");

    private static string[] TypeWarnings(RegisterRow row) => row.Warnings.Where(w => w.Column == "device_type").Select(w => w.Message).ToArray();

    [Theory]
    [InlineData("CCTV", DeviceType.Camera)]
    [InlineData("Recorder", DeviceType.Nvr)]
    [InlineData("Video Recorder", DeviceType.Nvr)]
    [InlineData("IP Cameras", DeviceType.Camera)]
    [InlineData("Switches", DeviceType.Network)]
    public void A_generic_word_reads_alike_in_a_profile_export_and_a_spreadsheet(string word, DeviceType type)
    {
        var profiled = SnipeIt(word);
        var generic = Spreadsheet(word);

        Assert.Equal(type, generic.Device!.DeviceType);
        Assert.Equal(type, profiled.Device!.DeviceType);
        Assert.Equal(TypeWarnings(generic), TypeWarnings(profiled));
    }

    [Theory]
    [InlineData("Laptops", DeviceType.Other)]
    [InlineData("Video Surveillance", DeviceType.Camera)]
    [InlineData("Networking", DeviceType.Network)]
    public void A_profile_still_reads_its_formats_own_words(string word, DeviceType type) =>
        Assert.Equal(type, SnipeIt(word).Device!.DeviceType);
}
