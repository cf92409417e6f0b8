using System.Globalization;

namespace AssetCompliance.Core.Observations;

/// <summary>
/// Reads a Microsoft Defender for Endpoint device inventory export (CSV, as the portal's Export writes it). Columns,
/// by any of their names: <c>Device Name</c>, <c>Device IPs</c> (or <c>IP Addresses</c>, <c>IPs</c>, <c>IP</c> as the field reference names it), <c>MAC Address</c>
/// (or <c>MAC Addresses</c>), <c>Vendor</c>, <c>Model</c>, <c>Device Type</c>, <c>Firmware Version</c>,
/// <c>Serial Number</c>, <c>Last Seen</c> (or <c>Last device update</c>). Defender's <c>Vendor</c> is weighed as an
/// inventory's reported vendor (weak: it is often the device's own ONVIF answer). A header without an address column,
/// a row that does not line up, or a cell that is not an address or a time throws <see cref="ObservationReadException"/>
/// naming the file and line.
/// </summary>
public static class DefenderInventoryReader
{
    /// <summary>The observer of every observation read here.</summary>
    public const string Tool = "defender";

    public static IEnumerable<DeviceObservation> Read(Stream stream, string file)
    {
        using var csv = InventoryCsv.Open(stream, file);
        var ips = csv.Column("Device IPs", "IP Addresses", "IPs", "IP Address", "IP");
        var macs = csv.Column("MAC Address", "MAC Addresses", "MacAddress");
        var vendor = csv.Column("Vendor");
        if ((ips < 0 && macs < 0) || vendor < 0)
        {
            throw new ObservationReadException(file, 1, "not a Defender for Endpoint device inventory export: the header needs 'Vendor' and 'Device IPs' or 'MAC Address'");
        }

        var (name, model, type, firmware, serial, seen) = (csv.Column("Device Name", "DeviceName", "Name"), csv.Column("Model"), csv.Column("Device Type", "DeviceType"),
            csv.Column("Firmware Version", "Firmware"), csv.Column("Serial Number", "SerialNumber"), csv.Column("Last Seen", "Last device update", "LastSeen"));
        var any = false;
        while (csv.Read())
        {
            var evidence = new List<ObservedEvidence>();
            if (csv.Cell(vendor) is { } v) evidence.Add(new(ObservedSignal.ReportedVendor, v, Tool));
            if (csv.Cell(firmware) is { } f) evidence.Add(new(ObservedSignal.ServiceProduct, $"firmware {f}", Tool));
            DateTimeOffset? at = null;
            if (csv.Cell(seen) is { } seenText)
            {
                at = RunZeroReader.Time(seenText) ?? (DateTimeOffset.TryParse(seenText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
                    ? parsed : throw new ObservationReadException(file, csv.Line, $"Last Seen: '{seenText}' is not a time"));
            }

            var observation = new DeviceObservation
            {
                Observer = Tool,
                Source = $"{file}:{csv.Line}",
                ObservedAt = at,
                IpAddresses = csv.Addresses(csv.List(ips), "Device IPs"),
                MacAddresses = csv.Macs(csv.List(macs), "MAC Address"),
                Hostnames = csv.Cell(name) is { } n ? [n] : [],
                Model = csv.Cell(model),
                SerialNumber = csv.Cell(serial),
                ReportedType = csv.Cell(type),
                Evidence = evidence,
            };
            if (observation.IpAddresses.Count == 0 && observation.MacAddresses.Count == 0)
            {
                throw new ObservationReadException(file, csv.Line, "a device with neither IP nor MAC address");
            }

            any = true;
            yield return observation;
        }

        if (!any)
        {
            throw new ObservationReadException(file, 1, "no devices after the header");
        }
    }
}
