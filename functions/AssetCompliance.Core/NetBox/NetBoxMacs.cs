using System.Text.Json;
using AssetCompliance.Core.Events;

namespace AssetCompliance.Core.NetBox;

/// <summary>
/// The MAC side of the webhook's mapping: where an interface or MAC object's MAC belongs (<see cref="ReadSource"/>),
/// which of a device's MACs the contract carries (<see cref="Chosen"/>), and a device's cells with it (<see cref="WithMac"/>).
/// </summary>
internal static class NetBoxMacs
{
    /// <summary>The device and MAC of an interface (<c>device.id</c>; <c>primary_mac_address</c> from 4.2, <c>mac_address</c>) or of a MAC object (its assigned interface's device).</summary>
    public static (long? DeviceId, string? Mac) ReadSource(NetBoxChange change, List<ValidationError> errors)
    {
        var data = change.Data;
        JsonElement? owner;
        string? mac;
        var macPath = "$.data.mac_address";
        if (change.Model == NetBoxModel.Interface)
        {
            owner = NetBoxDevice.Nested(data, "device", "$.data.device", errors);
            var primary = NetBoxDevice.Nested(data, "primary_mac_address", "$.data.primary_mac_address", errors);
            macPath = primary is null ? macPath : "$.data.primary_mac_address.mac_address";
            mac = NetBoxPayload.String(primary ?? data, "mac_address", macPath, errors, required: false);
        }
        else
        {
            mac = NetBoxPayload.String(data, "mac_address", "$.data.mac_address", errors, required: false);
            var assignedType = NetBoxPayload.String(data, "assigned_object_type", "$.data.assigned_object_type", errors, required: false);
            owner = assignedType == "dcim.interface" && NetBoxDevice.Nested(data, "assigned_object", "$.data.assigned_object", errors) is { } assigned
                ? NetBoxDevice.Nested(assigned, "device", "$.data.assigned_object.device", errors)
                : null; // unassigned, or on a virtual machine's interface: no device of the register
        }

        long? deviceId = null;
        if (owner is { } o)
        {
            if (o.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.Number && id.TryGetInt64(out var value) && value > 0)
            {
                deviceId = value;
            }
            else
            {
                errors.Add(new ValidationError(change.Model == NetBoxModel.Interface ? "$.data.device.id" : "$.data.assigned_object.device.id", "must be the device's NetBox id, a positive integer"));
            }
        }

        if (mac is not { Length: > 0 })
        {
            return (deviceId, null);
        }

        if (!MacAddress.TryParse(mac, MacNotation.Register, out var address))
        {
            errors.Add(new ValidationError(macPath, $"'{NetBoxPayload.Shown(mac)}' is not a MAC address"));
            return (deviceId, null);
        }

        return (deviceId, address.ToString());
    }

    /// <summary>
    /// The device's MAC: of its interfaces' MACs the one with the lowest interface id (NetBox numbers interfaces as
    /// they are made, so usually the first port), else of its MAC objects the lowest id. One MAC is what the contract carries.
    /// </summary>
    public static string? Chosen(IReadOnlyDictionary<string, string> macs) => macs
        .OrderBy(m => m.Key.StartsWith("dcim.interface:", StringComparison.Ordinal) ? 0 : 1)
        .ThenBy(m => long.TryParse(m.Key[(m.Key.IndexOf(':', StringComparison.Ordinal) + 1)..], out var id) ? id : long.MaxValue)
        .Select(m => m.Value).FirstOrDefault();

    /// <summary>A copy of a device's cells with its chosen MAC, when it has one; the cells themselves are not changed.</summary>
    public static string[] WithMac(string[] cells, IReadOnlyDictionary<string, string> macs)
    {
        var copy = (string[])cells.Clone();
        if (Chosen(macs) is { } mac)
        {
            copy[Registers.RegisterCells.Column.MacAddress] = mac;
        }

        return copy;
    }
}
