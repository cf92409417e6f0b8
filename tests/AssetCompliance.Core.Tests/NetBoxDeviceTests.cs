using System.Text;
using System.Text.Json;
using AssetCompliance.Core.Events;
using AssetCompliance.Core.NetBox;
using AssetCompliance.Core.Registers;

namespace AssetCompliance.Core.Tests;

/// <summary>
/// A NetBox device reads the same from its webhook as from a NetBox device export: the role and status codes are the
/// NetBox profile's (<see cref="RegisterProfiles.NetBox"/>), not a second list in the webhook reader.
/// </summary>
public sealed class NetBoxDeviceTests
{
    private static RegisterRow FromWebhook(string role, string roleSlug, string status, string statusLabel)
    {
        var json = "{\"id\":7,\"name\":\"dev-1\",\"asset_tag\":\"T-1\",\"serial\":\"S1\",\"device_type\":{\"model\":\"X1\",\"manufacturer\":{\"name\":\"Acme\"}},"
            + $"\"role\":{{\"name\":\"{role}\",\"slug\":\"{roleSlug}\"}},\"site\":{{\"slug\":\"hq\",\"name\":\"HQ\"}},\"status\":{{\"value\":\"{status}\",\"label\":\"{statusLabel}\"}}}}";
        var errors = new List<ValidationError>();
        var cells = NetBoxDevice.Cells(JsonDocument.Parse(json).RootElement, "HO", errors);
        Assert.Empty(errors);
        return RegisterCells.Read(1, i => cells![i]);
    }

    private static RegisterRow FromExport(string role, string statusLabel)
    {
        var csv = $"Name,Status,Site,Role,Manufacturer,Type,Asset tag,Serial number\r\ndev-1,{statusLabel},HQ,{role},Acme,X1,T-1,S1\r\n";
        var source = RegisterReader.Open(new MemoryStream(Encoding.UTF8.GetBytes(csv)), "devices.csv", new RegisterReadOptions { Department = "HO" });
        var row = Assert.Single(source.Rows.ToArray());
        Assert.Equal("netbox", source.Profile?.Name);
        return row;
    }

    [Theory]
    [InlineData("Patch Panel", "patch-panel", DeviceType.Other)]
    [InlineData("Console Server", "console-server", DeviceType.Network)]
    [InlineData("CCTV", "cctv", DeviceType.Camera)]
    [InlineData("Access Switch", "access-switch", DeviceType.Network)]
    [InlineData("Wireless AP", "wireless-ap", DeviceType.Network)]
    [InlineData("Fixed Dome", "fixed-dome", DeviceType.Camera)]
    public void A_role_is_read_by_the_webhook_as_the_device_export_reads_it(string role, string slug, DeviceType type)
    {
        var webhook = FromWebhook(role, slug, "active", "Active");
        var export = FromExport(role, "Active");

        Assert.Equal(type, export.Device!.DeviceType);
        Assert.Equal(export.Device.DeviceType, webhook.Device!.DeviceType);
        Assert.Equal(export.Warnings.Where(w => w.Column == "device_type").Select(w => w.Message), webhook.Warnings.Where(w => w.Column == "device_type").Select(w => w.Message));
    }

    [Theory]
    [InlineData("decommissioning", "Decommissioning", AssetEventKind.Upserted)]
    [InlineData("offline", "Offline", AssetEventKind.Upserted)]
    [InlineData("planned", "Planned", AssetEventKind.Upserted)]
    [InlineData("retired", "Retired", AssetEventKind.Removed)] // a status the instance added: the generic words read it
    public void A_status_is_read_by_the_webhook_as_the_device_export_reads_it(string value, string label, AssetEventKind kind)
    {
        var webhook = FromWebhook("Camera", "camera", value, label);
        var export = FromExport("Camera", label);

        Assert.Equal(kind, export.Kind);
        Assert.Equal(export.Kind, webhook.Kind);
        Assert.Equal(export.Warnings.Where(w => w.Column == "status").Select(w => w.Message), webhook.Warnings.Where(w => w.Column == "status").Select(w => w.Message));
    }
}
