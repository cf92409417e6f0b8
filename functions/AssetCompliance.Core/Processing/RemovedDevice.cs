using AssetCompliance.Core.Events;

namespace AssetCompliance.Core.Processing;

/// <summary>What a removal event leaves of a device's description: the removal's values over the last known ones.</summary>
internal static class RemovedDevice
{
    /// <summary>
    /// A removal may carry only ids; keep the last known description so that the record still says what was removed.
    /// A field stays marked unread (by either event) only while the merged record has no value for it.
    /// </summary>
    internal static RegisteredDevice Merge(RegisteredDevice previous, RegisteredDevice removal)
    {
        var merged = MergeValues(previous, removal);
        return merged with
        {
            UnreadFields = UnreadFields.Canonical(previous.UnreadFields.Concat(removal.UnreadFields).Where(path => !UnreadFields.HasValue(merged, path))),
        };
    }

    private static RegisteredDevice MergeValues(RegisteredDevice previous, RegisteredDevice removal) => previous with
    {
        Revision = removal.Revision,
        Manufacturer = removal.Manufacturer ?? previous.Manufacturer,
        Model = removal.Model ?? previous.Model,
        SerialNumber = removal.SerialNumber ?? previous.SerialNumber,
        MacAddress = removal.MacAddress ?? previous.MacAddress,
        DeviceType = removal.DeviceType ?? previous.DeviceType,
        Site = removal.Site ?? previous.Site,
        NetworkSegment = removal.NetworkSegment ?? previous.NetworkSegment,
        InstalledOn = removal.InstalledOn ?? previous.InstalledOn,
    };
}
