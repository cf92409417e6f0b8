using AssetCompliance.Azure.NetBox;
using AssetCompliance.Core.NetBox;

namespace AssetCompliance.Integration.Tests;

/// <summary>The NetBox replay memory's Table Storage adapter against Azurite: what is written is read back, and a stale write changes nothing.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class NetBoxMemoryTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Rows_round_trip_and_a_write_over_a_changed_or_existing_row_is_refused_whole()
    {
        var memory = new TableNetBoxMemory(azurite.CreateServiceClient(), AzuriteFixture.UniquePrefix());
        var device = new NetBoxObjectState
        {
            Key = "dcim.device:12", VersionTicks = 638_680_000_000_000_000, RequestId = "req-1", Action = NetBoxAction.Updated, AssetId = "HO-CAM-1",
            Cells = ["HO-CAM-1", "HO", "Hikvision", new string('x', 2000)], LastRevision = 42,
            Macs = new Dictionary<string, string> { ["dcim.interface:5"] = "BC:AD:28:4F:11:02" },
        };
        var iface = new NetBoxObjectState { Key = "dcim.interface:5", VersionTicks = 1, DeviceId = 12, Mac = "BC:AD:28:4F:11:02", Action = NetBoxAction.Created };

        Assert.True(await memory.TrySaveAsync("HO", [device, iface], default));
        var read = await memory.GetAsync("HO", ["dcim.device:12", "dcim.interface:5", "dcim.device:99"], default);

        var stored = read["dcim.device:12"];
        Assert.Equal((device.VersionTicks, "req-1", NetBoxAction.Updated, "HO-CAM-1", 42L), (stored.VersionTicks, stored.RequestId, stored.Action, stored.AssetId, stored.LastRevision));
        Assert.Equal("BC:AD:28:4F:11:02", stored.Macs["dcim.interface:5"]);
        Assert.Equal(1024, stored.Cells![3].Length); // long text is kept long enough to be known as too long
        Assert.Equal((12L, "BC:AD:28:4F:11:02"), (read["dcim.interface:5"].DeviceId, read["dcim.interface:5"].Mac));
        Assert.False(read.ContainsKey("dcim.device:99"));
        Assert.Empty(await memory.GetAsync("MOJ", ["dcim.device:12"], default)); // departments are partitions

        // A second writer that read before the first wrote: its write is refused, and so is the row beside it.
        Assert.True(await memory.TrySaveAsync("HO", [stored with { LastRevision = 43 }], default));
        Assert.False(await memory.TrySaveAsync("HO", [stored with { LastRevision = 44 }, new NetBoxObjectState { Key = "dcim.interface:6", Mac = "AA:AA:AA:AA:AA:AA" }], default));
        Assert.False(await memory.TrySaveAsync("HO", [iface], default)); // exists already: a new row must not overwrite it
        var after = await memory.GetAsync("HO", ["dcim.device:12", "dcim.interface:6"], default);
        Assert.Equal(43, after["dcim.device:12"].LastRevision);
        Assert.False(after.ContainsKey("dcim.interface:6"));
    }
}
