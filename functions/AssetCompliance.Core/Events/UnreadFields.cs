namespace AssetCompliance.Core.Events;

/// <summary>
/// One device field a sender may mark as unread (<c>data.unreadFields</c>): its contract path (relative to
/// <c>data</c>), the register column it comes from, and whether identification or the policy reads it.
/// </summary>
/// <param name="Path">The contract path, such as <c>site.sensitive</c>.</param>
/// <param name="Column">The register's CSV column, such as <c>site_sensitive</c>; reasons name fields by it.</param>
/// <param name="FeedsVerdict">
/// Whether the verdict reads the field: the maker evidence (manufacturer, model, MAC) or the policy (device type,
/// sensitivity, network, install date). An unread serial number or site name changes nothing.
/// </param>
public sealed record UnreadableField(string Path, string Column, bool FeedsVerdict);

/// <summary>
/// The closed list of fields contract v1 lets a sender mark as unread, and the one map between the register's CSV
/// columns and contract paths (used by <c>check</c>, <c>push</c> and the policy's reasons). A field in the list means
/// "the register holds a value here that could not be read", as opposed to absent: "the register holds nothing".
/// The identifiers (asset id, department, site id) and the revision are not in it: without them there is no event.
/// </summary>
public static class UnreadFields
{
    /// <summary>The property of <c>data</c> that carries the list.</summary>
    public const string WireName = "unreadFields";

    /// <summary>Every field that may be listed, in the order lists are kept (the register's column order).</summary>
    public static IReadOnlyList<UnreadableField> All { get; } =
    [
        new("manufacturer", "manufacturer", true),
        new("model", "model", true),
        new("serialNumber", "serial_number", false),
        new("macAddress", "mac_address", true),
        new("deviceType", "device_type", true),
        new("site.name", "site_name", false),
        new("site.sensitive", "site_sensitive", true),
        new("networkSegment", "network_segment", true),
        new("installedOn", "installed_on", true),
    ];

    /// <summary>Every contract path that may be listed, in order.</summary>
    public static IReadOnlyList<string> AllPaths { get; } = All.Select(f => f.Path).ToArray();

    /// <summary>The field at a contract path, or null when the contract does not let it be marked unread.</summary>
    public static UnreadableField? ByPath(string path) => All.FirstOrDefault(f => f.Path == path);

    /// <summary>The field a register column holds, or null for a column without one (asset id, status, site id).</summary>
    public static UnreadableField? ByColumn(string column) => All.FirstOrDefault(f => f.Column == column);

    /// <summary>The paths in the contract's order, each once; paths outside the list are dropped.</summary>
    public static IReadOnlyList<string> Canonical(IEnumerable<string> paths)
    {
        var set = paths.ToHashSet(StringComparer.Ordinal);
        return set.Count == 0 ? [] : AllPaths.Where(set.Contains).ToArray();
    }

    /// <summary>
    /// The device without a value in each of <paramref name="paths"/> and with those paths (and any it already had)
    /// as its <see cref="RegisteredDevice.UnreadFields"/>: a value that was only partly read (text with bytes that are
    /// not UTF-8) is not evidence either way, and the contract never carries a value and an unread mark together.
    /// </summary>
    public static RegisteredDevice MarkUnread(RegisteredDevice device, IEnumerable<string> paths)
    {
        var unread = Canonical([.. device.UnreadFields, .. paths]);
        if (unread.Count == 0)
        {
            return device;
        }

        bool Has(string path) => unread.Contains(path, StringComparer.Ordinal);
        var site = device.Site is { } s && (Has("site.name") || Has("site.sensitive"))
            ? s with { Name = Has("site.name") ? null : s.Name, Sensitive = Has("site.sensitive") ? null : s.Sensitive }
            : device.Site;
        return device with
        {
            Manufacturer = Has("manufacturer") ? null : device.Manufacturer,
            Model = Has("model") ? null : device.Model,
            SerialNumber = Has("serialNumber") ? null : device.SerialNumber,
            MacAddress = Has("macAddress") ? null : device.MacAddress,
            DeviceType = Has("deviceType") ? null : device.DeviceType,
            Site = site,
            NetworkSegment = Has("networkSegment") ? null : device.NetworkSegment,
            InstalledOn = Has("installedOn") ? null : device.InstalledOn,
            UnreadFields = unread,
        };
    }

    /// <summary>Whether the device has a value at a listed path (after <see cref="MarkUnread"/>, never for an unread one).</summary>
    public static bool HasValue(RegisteredDevice device, string path) => path switch
    {
        "manufacturer" => device.Manufacturer is not null,
        "model" => device.Model is not null,
        "serialNumber" => device.SerialNumber is not null,
        "macAddress" => device.MacAddress is not null,
        "deviceType" => device.DeviceType is not null,
        "site.name" => device.Site?.Name is not null,
        "site.sensitive" => device.Site?.Sensitive is not null,
        "networkSegment" => device.NetworkSegment is not null,
        "installedOn" => device.InstalledOn is not null,
        _ => false,
    };
}
