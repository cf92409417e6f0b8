using CsvHelper;

namespace AssetCompliance.Core.Registers;

/// <summary>
/// The MACs of a NetBox interface export (<c>--interfaces FILE</c>), by device name, for joining to a NetBox device
/// export, which has no MAC. Read from any of the exports NetBox gives: the interface list, "Current view" (Device,
/// Name, …, MAC Address) or "All data" (device, name, …, mac_address; primary_mac_address in 4.2+), and the MAC
/// address list of NetBox 4.2+ (MAC Address, Parent or Device, Interface, Primary), where MACs are their own objects.
/// A cell may list several MACs (comma- or space-separated). A device's MACs are in file order, primary ones first.
/// A ServiceNow network adapter export (cmdb_ci_network_adapter: name, cmdb_ci, mac_address) is read the same way,
/// for a CMDB whose hardware CIs carry no MAC of their own.
/// </summary>
public sealed class NetBoxInterfaces
{
    // "cmdb_ci" / "Configuration item": a ServiceNow cmdb_ci_network_adapter export, whose adapters name their CI.
    private static readonly string[] DeviceNames = ["device", "parent", "device name", "assigned_object_parent", "assigned object parent", "assigned object device", "cmdb_ci", "configuration item"];
    private static readonly string[] MacNames = ["primary_mac_address", "primary mac address", "mac address", "mac_address", "mac addresses", "mac_addresses", "mac"];
    private static readonly string[] PrimaryNames = ["primary", "is_primary", "is primary"];

    private readonly Dictionary<string, List<(string Mac, bool Primary)>> _byDevice;

    private NetBoxInterfaces(string name, Dictionary<string, List<(string Mac, bool Primary)>> byDevice, int interfaces)
    {
        Name = name;
        _byDevice = byDevice;
        Interfaces = interfaces;
    }

    /// <summary>The file's name, for notes and warnings.</summary>
    public string Name { get; }

    /// <summary>How many rows of the file carried a MAC.</summary>
    public int Interfaces { get; }

    /// <summary>The device names the file gives MACs for.</summary>
    public IEnumerable<string> Devices => _byDevice.Keys;

    /// <summary>The MACs of a device, primary first, each once; none when the file names no interface of it with a MAC.</summary>
    public IReadOnlyList<string> Macs(string device) => _byDevice.TryGetValue(device, out var macs)
        ? macs.OrderByDescending(m => m.Primary).Select(m => m.Mac).Distinct(StringComparer.OrdinalIgnoreCase).ToArray()
        : [];

    /// <summary>
    /// Reads a UTF-8 (BOM or not) interface or MAC address export, comma-, semicolon- or tab-delimited. Returns null
    /// with <paramref name="error"/> when the file has no device and MAC columns, or is not CSV: the join is then not
    /// made at all, never made from part of a file. A row without a device or a MAC is skipped (an interface without one).
    /// </summary>
    public static NetBoxInterfaces? Read(Stream stream, string name, out string? error)
    {
        error = null;
        var head = new byte[64 * 1024];
        var length = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        stream.Position = 0;
        if (CsvDelimiter.Detect(head.AsSpan(0, length), length < head.Length, out _, out var delimiterError) is not { } delimiter)
        {
            error = $"{name}: {delimiterError}";
            return null;
        }

        using var csv = CsvReader.Create(stream, new CsvReaderOptions { HasHeader = false, Separator = delimiter, TrimWhitespace = true, SkipEmptyLines = true, MaxRecordSize = RegisterReader.MaxRecordBytes, FieldCountMismatch = CsvFieldCountHandling.Allow }, leaveOpen: true);
        if (!csv.Read())
        {
            error = $"{name}: is empty";
            return null;
        }

        var keys = Enumerable.Range(0, csv.FieldCount).Select(i => RegisterColumns.Key(csv.GetString(i).Trim('\uFEFF'))).ToArray();
        int Find(string[] names) => names.Select(n => Array.IndexOf(keys, RegisterColumns.Key(n))).FirstOrDefault(i => i >= 0, -1);
        var (device, mac, primary) = (Find(DeviceNames), Find(MacNames), Find(PrimaryNames));
        if (device < 0 || mac < 0)
        {
            error = $"{name}: is not a NetBox interface or MAC address export: it needs a {(device < 0 ? "'Device' (or 'Parent') column" : "")}{(device < 0 && mac < 0 ? " and a " : "")}{(mac < 0 ? "'MAC Address' column" : "")}; its columns are {string.Join(", ", Enumerable.Range(0, keys.Length).Select(i => csv.GetString(i)))}";
            return null;
        }

        var byDevice = new Dictionary<string, List<(string, bool)>>(StringComparer.Ordinal);
        var interfaces = 0;
        while (csv.Read())
        {
            var deviceName = device < csv.FieldCount ? csv.GetString(device).Trim() : "";
            var macs = mac < csv.FieldCount ? csv.GetString(mac).Split([',', ' ', ';', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : [];
            if (deviceName.Length == 0 || macs.Length == 0)
            {
                continue;
            }

            var isPrimary = primary >= 0 && primary < csv.FieldCount && csv.GetString(primary).Trim().ToLowerInvariant() is "true" or "yes" or "1" or "✔" or "✓";
            interfaces++;
            if (!byDevice.TryGetValue(deviceName, out var list))
            {
                byDevice[deviceName] = list = [];
            }

            list.AddRange(macs.Select(m => (m, isPrimary)));
        }

        return new NetBoxInterfaces(name, byDevice, interfaces);
    }
}
