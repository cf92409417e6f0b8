using System.Text.RegularExpressions;
using AssetCompliance.Core.Events;

namespace AssetCompliance.Core.Registers;

/// <summary>
/// One kind of register export check knows by its header: how it is told from the others, which of its columns holds
/// each documented field, and how its own codes (a NetBox status, a ServiceNow install_status) read as the values
/// <see cref="RegisterCells"/> reads. Column names are compared as <see cref="RegisterColumns.Key"/> compares them
/// (case, spaces, '_' and punctuation ignored), so "Serial number" and "serial" are found however the export spells them.
/// </summary>
/// <param name="Name">The name <c>--profile</c> and a mapping file give: <c>netbox</c>, <c>servicenow</c>, …</param>
/// <param name="Title">How the report says the file was read: "a NetBox device export".</param>
/// <param name="Source">Where the format's columns and codes were taken from (documentation or source code).</param>
/// <param name="Date">When that source was read, yyyy-MM.</param>
public sealed partial record RegisterProfile(string Name, string Title, string Source, string Date)
{
    /// <summary>
    /// The header is this profile's when, for every group, one of its names is a column: each group is a column the
    /// format always has. Empty for the spreadsheet profile, which is what any other header with an asset id is read as.
    /// </summary>
    public IReadOnlyList<string[]> Detect { get; init; } = [];

    /// <summary>
    /// For each documented field, the export's column names in order of preference: the first present is read, the
    /// others are noted as not read. For <c>asset_id</c> the later names are fallbacks, read per row where the first
    /// is blank (with a warning). A name ending in '*' matches every column whose key starts with it (Snipe-IT custom
    /// fields: <c>_snipeit_mac_address_1</c>).
    /// </summary>
    public IReadOnlyDictionary<string, string[]> Columns { get; init; } = new Dictionary<string, string[]>();

    /// <summary>
    /// Column names the format uses for something else than the documented field a generic synonym would read them as
    /// (a NetBox "Location" is a room within the site, a ServiceNow "Department" a display name, not a code).
    /// </summary>
    public IReadOnlyList<string> Ignore { get; init; } = [];

    /// <summary>
    /// The format's own codes for a field, each read as the canonical text (<c>status</c>: <c>in-service</c> or
    /// <c>removed</c>; <c>device_type</c>: a <see cref="Events.DeviceTypes"/> name). Keys are compared as
    /// <see cref="RegisterColumns.Key"/> compares names. A value not listed goes to the generic rules as written.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Values { get; init; } = new Dictionary<string, IReadOnlyDictionary<string, string>>();

    /// <summary>Whether columns the profile does not name are read by the generic synonyms (<see cref="RegisterColumns"/>) for fields it leaves unmapped.</summary>
    public bool GenericSynonyms { get; init; } = true;

    /// <summary>Whether a cell escaped against spreadsheet formulas with a leading backtick (<c>`=1+2</c>) is read without it.</summary>
    public bool BacktickEscapes { get; init; }

    /// <summary>Whether the export's date cells carry a time of day (<c>2023-04-01 10:15:00</c>) that is dropped before the date is read.</summary>
    public bool DateTimes { get; init; }

    /// <summary>The column, by its names, whose value joins a NetBox interface export (<c>--interfaces</c>): the device name.</summary>
    public string[]? JoinsInterfacesOn { get; init; }

    /// <summary>
    /// The canonical text of one of the format's own codes for <paramref name="field"/> (<see cref="Values"/>), or
    /// null when the code is not listed and the generic rules read it as written. A code in brackets after a label, as
    /// Snipe-IT writes a status ("Ready to Deploy (deployable)"), is read by the bracketed type, else by the label.
    /// The one translation of a profile's codes: a register export and a webhook of the same system read alike.
    /// </summary>
    public string? Code(string field, string text)
    {
        if (!Values.TryGetValue(field, out var codes) || text.Length == 0)
        {
            return null;
        }

        if (codes.TryGetValue(RegisterColumns.Key(text), out var canonical))
        {
            return canonical;
        }

        return Bracketed().Match(text) is { Success: true } bracketed
            && (codes.TryGetValue(RegisterColumns.Key(bracketed.Groups["inner"].Value), out canonical) || codes.TryGetValue(RegisterColumns.Key(bracketed.Groups["outer"].Value), out canonical))
            ? canonical
            : null;
    }

    [GeneratedRegex(@"^(?<outer>.+?)\s*\((?<inner>[^()]+)\)$")]
    private static partial Regex Bracketed();
}

/// <summary>
/// The built-in register profiles (<see cref="RegisterProfile"/>), kept here as a table in code rather than as data in
/// <c>catalogue/</c>: an export format is not something analysts review (the vendor catalogue and policy are), each
/// profile's behaviour (fallback ids, backtick escapes, the interface join, time-of-day dates) is code that changes
/// with its tests, and a format change needs a release anyway. Sources and dates are on each profile.
/// </summary>
public static class RegisterProfiles
{
    private const string InService = "in-service";
    private const string Removed = "removed";

    /// <summary>
    /// Device kinds export type columns commonly name (a NetBox role, a Snipe-IT category, a Lansweeper asset type)
    /// that the generic device-type words (<see cref="RegisterValues.DeviceTypeWords"/>) do not hold, added to each
    /// profile's own device_type codes (which win).
    /// </summary>
    private static readonly (string Code, string Canonical)[] CommonTypes = [("video surveillance", "camera"), ("networking", "network")];

    /// <summary>
    /// A device_type table: the common kinds, then the profile's own codes, which override them. A code the generic
    /// words read whole as the same type is left to them, so that a word reads alike, with the same guess warning
    /// (<c>CCTV</c>, <c>Recorder</c>), whichever profile the file is; the profile's table decides only where the
    /// format's word means something else or the generic words do not know it.
    /// </summary>
    private static Dictionary<string, string> Types(params (string Code, string Canonical)[] codes) =>
        Codes([.. ((IEnumerable<(string Code, string Canonical)>)[.. CommonTypes, .. codes]).Where(c => !(RegisterValues.TryDeviceTypeWord(c.Code, out var type, out _) && type.ToWire() == c.Canonical))]);

    private static Dictionary<string, string> Codes(params (string Code, string Canonical)[] codes)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (code, canonical) in codes)
        {
            map[RegisterColumns.Key(code)] = canonical;
        }

        return map;
    }

    /// <summary>
    /// NetBox device list, "Current view" (table column names: Name, Status, Tenant, Site, Location, Rack, Role,
    /// Manufacturer, Type, Serial number, Asset tag, …) and "All data" (field names: name, status, role,
    /// device_type, serial, asset_tag, site, …). A device has no MAC: MACs come from an interface export (or the MAC
    /// address objects of NetBox 4.2+) given with <c>--interfaces</c>, joined on the device name.
    /// Status: offline, active, planned, staged, failed, inventory and decommissioning are all still in the
    /// estate (NetBox deletes a device that is gone), so all read as in service: a planned Hikvision camera is flagged.
    /// </summary>
    public static readonly RegisterProfile NetBox = new("netbox", "a NetBox device export",
        "netbox-community/netbox: netbox/dcim/tables/devices.py (DeviceTable columns), dcim/forms/bulk_import.py (DeviceImportForm fields), dcim/choices.py (DeviceStatusChoices), dcim/tables/devices.py InterfaceTable and MACAddressTable (4.2+)", "2026-12")
    {
        Detect = [["name"], ["role", "device role", "device_role"], ["type", "device type", "device_type"], ["site"]],
        Columns = new Dictionary<string, string[]>
        {
            ["asset_id"] = ["asset tag", "asset_tag", "name"],
            ["manufacturer"] = ["manufacturer"],
            ["model"] = ["type", "device type", "device_type", "model"],
            ["serial_number"] = ["serial number", "serial"],
            ["device_type"] = ["role", "device role", "device_role"],
            ["site_name"] = ["site"],
            ["status"] = ["status"],
        },
        Ignore = ["location", "tenant", "platform", "tags", "region", "site group", "rack", "id"],
        Values = new Dictionary<string, IReadOnlyDictionary<string, string>>
        {
            ["status"] = Codes(("active", InService), ("offline", InService), ("planned", InService), ("staged", InService),
                ("failed", InService), ("inventory", InService), ("decommissioning", InService)),
            ["device_type"] = Types(("cctv", "camera"), ("cctv camera", "camera"), ("cctv-camera", "camera"), ("security camera", "camera"), ("cameras", "camera"),
                ("network video recorder", "nvr"), ("video recorder", "nvr"), ("switch", "network"), ("access switch", "network"), ("core switch", "network"),
                ("router", "network"), ("firewall", "network"), ("access point", "network"), ("wireless ap", "network"), ("patch panel", "other"),
                ("server", "other"), ("pdu", "other"), ("console server", "network")),
        },
        JoinsInterfacesOn = ["name"],
    };

    /// <summary>
    /// ServiceNow CMDB list export of cmdb_ci or cmdb_ci_hardware (and subclasses such as cmdb_ci_ip_camera), with field
    /// names (name, manufacturer, model_id, serial_number, mac_address, location, install_status, sys_class_name) or
    /// their labels (Name, Model ID, Serial number, MAC Address, Location, Status, Class). install_status is a choice:
    /// 1 Installed, 2 On Order, 3 In Maintenance, 4 Pending Install, 5 Pending Repair, 6 In Stock, 7 Retired,
    /// 8 Stolen, 100 Absent; only Retired and Stolen are gone from the estate. Reference fields export their display
    /// values ("Hangzhou Hikvision Digital Technology Co., Ltd."); install_date is a date-time.
    /// </summary>
    public static readonly RegisterProfile ServiceNow = new("servicenow", "a ServiceNow CMDB export (cmdb_ci)",
        "ServiceNow product documentation: CMDB table and class descriptions (cmdb_ci, cmdb_ci_hardware, cmdb_ci_ip_camera), Configuration Item install_status choices", "2026-12")
    {
        // A CI's name, and its product model reference ("Model ID" is ServiceNow's own label) or a field only ServiceNow
        // names so (sys_id, sys_class_name, install_status): a list export need not include model_id.
        Detect = [["name"], ["model_id", "model id", "sys_id", "sys_class_name", "install_status", "sys_updated_on"]],
        Columns = new Dictionary<string, string[]>
        {
            ["asset_id"] = ["asset_tag", "asset tag", "name", "sys_id"],
            ["manufacturer"] = ["manufacturer"],
            ["model"] = ["model_number", "model number", "model_id", "model id"],
            ["serial_number"] = ["serial_number", "serial number"],
            ["mac_address"] = ["mac_address", "mac address"],
            ["device_type"] = ["sys_class_name", "class"],
            ["site_name"] = ["location"],
            ["installed_on"] = ["install_date", "installed"],
            ["status"] = ["install_status", "install status", "status"],
        },
        Ignore = ["department", "company", "assigned_to", "assigned to", "category", "subcategory"],
        Values = new Dictionary<string, IReadOnlyDictionary<string, string>>
        {
            ["status"] = Codes(("1", InService), ("installed", InService), ("2", InService), ("on order", InService), ("3", InService), ("in maintenance", InService),
                ("4", InService), ("pending install", InService), ("5", InService), ("pending repair", InService), ("6", InService), ("in stock", InService),
                ("7", Removed), ("retired", Removed), ("8", Removed), ("stolen", Removed), ("100", InService), ("absent", InService)),
            ["device_type"] = Types(("cmdb_ci_ip_camera", "camera"), ("ip camera", "camera"), ("cmdb_ci_ip_switch", "network"), ("ip switch", "network"),
                ("cmdb_ci_ip_router", "network"), ("ip router", "network"), ("cmdb_ci_ip_firewall", "network"), ("ip firewall", "network"),
                ("cmdb_ci_wap_network", "network"), ("wireless access point", "network"), ("cmdb_ci_netgear", "network"), ("network gear", "network"),
                ("cmdb_ci_computer", "other"), ("computer", "other"), ("cmdb_ci_server", "other"), ("server", "other"), ("cmdb_ci_win_server", "other"),
                ("windows server", "other"), ("cmdb_ci_linux_server", "other"), ("linux server", "other"), ("cmdb_ci_printer", "other"), ("printer", "other")),
        },
        DateTimes = true,
        JoinsInterfacesOn = ["name"],
    };

    /// <summary>
    /// Snipe-IT custom asset report (Reports → Custom Asset Report): a UTF-8 byte-order mark, English column labels
    /// (Asset Tag, Asset Name, Model, Model No., Category, Manufacturer, Serial, Location, Status, …) and each chosen
    /// custom field by its name; a MAC is usually a custom field ("MAC Address", stored as _snipeit_mac_address_N).
    /// Cells starting with = + - @ are escaped with a leading backtick, which is removed. Status labels are the
    /// instance's own; Archived and Lost/Stolen are the stock ones for assets gone from the estate.
    /// </summary>
    public static readonly RegisterProfile SnipeIt = new("snipeit", "a Snipe-IT asset export",
        "grokability/snipe-it: app/Http/Controllers/ReportsController.php (postCustom: header labels, BOM, formula escaping), database/seeders/StatuslabelSeeder.php", "2026-12")
    {
        // The report's labels (trans() of admin/hardware/form.name, table.asset_tag, general.model_no, …); "Model No."
        // always comes with "Model".
        Detect = [["asset tag"], ["asset name"], ["model no", "checked out to", "default location", "purchase cost", "eol", "order number", "last audit", "next audit", "supplier", "category", "warranty expires"]],
        Columns = new Dictionary<string, string[]>
        {
            ["asset_id"] = ["asset tag", "asset name", "serial"],
            ["manufacturer"] = ["manufacturer"],
            ["model"] = ["model no", "model number", "model"],
            ["serial_number"] = ["serial"],
            ["mac_address"] = ["mac address", "mac", "snipeitmac*", "ethernet mac"],
            ["device_type"] = ["category"],
            ["site_name"] = ["location", "default location"],
            ["status"] = ["status"],
        },
        Ignore = ["department", "company", "type", "id", "supplier"],
        Values = new Dictionary<string, IReadOnlyDictionary<string, string>>
        {
            // The report writes "Label (type)": "Ready to Deploy (deployable)", "Lost/Stolen (archived)"; the type decides.
            ["status"] = Codes(("deployable", InService), ("deployed", InService), ("pending", InService), ("undeployable", InService), ("archived", Removed),
                ("ready to deploy", InService), ("broken", InService), ("out for repair", InService), ("out for diagnostics", InService),
                ("lost/stolen", Removed), ("lost", Removed), ("stolen", Removed)),
            ["device_type"] = Types(("cameras", "camera"), ("cctv", "camera"), ("cctv camera", "camera"), ("cctv cameras", "camera"), ("ip cameras", "camera"),
                ("recorders", "nvr"), ("switches", "network"), ("switch", "network"), ("networking", "network"), ("network", "network"), ("routers", "network"),
                ("access points", "network"), ("laptops", "other"), ("laptop", "other"), ("desktops", "other"), ("desktop", "other"), ("mobile phones", "other"),
                ("monitors", "other"), ("printers", "other"), ("tablets", "other")),
        },
        BacktickEscapes = true,
    };

    /// <summary>
    /// Lansweeper asset export (classic reports: AssetName, AssetID, AssetType/Type, IPAddress, Mac, Manufacturer,
    /// Model, Serialnumber, Location, Lastseen; Lansweeper Sites: Name, Type, IP address, MAC, Manufacturer, Model,
    /// Serial number, First seen, Last seen). Asset types are Lansweeper's (Windows, Linux, Camera, Switch, Router,
    /// Printer, Network device, …). State: Active, Non-active, and user states; Sold, Stolen, Disposed and Scrapped are gone.
    /// </summary>
    public static readonly RegisterProfile Lansweeper = new("lansweeper", "a Lansweeper asset export",
        "Lansweeper-public/MCP-server-lansweeper (GraphQL asset details: basic info, custom fields, network adapters); Lansweeper classic report tables tblAssets/tblAssetCustom", "2026-12")
    {
        // Classic reports select tblAssets.AssetName, Lastseen and tsysAssetTypes.AssetTypename; Sites exports label them.
        // Not the MAC: a report need not select tblAssets.Mac, and without it the export is still Lansweeper's (MAC unknown).
        Detect = [["assetname", "asset name", "name"], ["lastseen", "last seen", "firstseen", "first seen"],
            ["assettype", "asset type", "assettypename", "asset type name", "type", "sub type", "subtype"]],
        Columns = new Dictionary<string, string[]>
        {
            ["asset_id"] = ["assetname", "asset name", "name", "assetid", "asset id", "asset key", "assetunique"],
            ["manufacturer"] = ["manufacturer", "make"],
            ["model"] = ["model"],
            ["serial_number"] = ["serialnumber", "serial number", "serial"],
            ["mac_address"] = ["mac", "mac address", "macaddress"],
            ["device_type"] = ["assettypename", "asset type name", "assettype", "asset type", "type", "sub type", "subtype"],
            ["site_name"] = ["location", "building", "site"],
            ["status"] = ["state", "asset state", "statename"],
            ["installed_on"] = ["installed", "install date"],
        },
        Ignore = ["department", "domain", "description", "ipaddress", "ip address"],
        Values = new Dictionary<string, IReadOnlyDictionary<string, string>>
        {
            ["status"] = Codes(("active", InService), ("non-active", InService), ("nonactive", InService), ("broken", InService), ("in stock", InService), ("spare", InService),
                ("sold", Removed), ("stolen", Removed), ("disposed", Removed), ("scrapped", Removed), ("retired", Removed)),
            ["device_type"] = Types(("camera", "camera"), ("ip camera", "camera"), ("switch", "network"), ("router", "network"), ("firewall", "network"),
                ("network device", "network"), ("wireless access point", "network"), ("wireless", "network"), ("windows", "other"), ("linux", "other"),
                ("apple mac", "other"), ("printer", "other"), ("nas", "other"), ("ip phone", "other"), ("vmware guest", "other"), ("monitor", "other")),
        },
        DateTimes = true,
    };

    /// <summary>
    /// Microsoft Defender for Endpoint device inventory export (Assets → Devices → Export): Name, Device ID, Domain, IP
    /// addresses, MAC address, Device category, Device type, Device subtype, Vendor, Model, Risk level, Exposure level,
    /// OS platform, Onboarding status, Discovery sources, First seen, Last device update, Tags. No site, status or
    /// install date: a seen device is in service, and its site is unknown. The asset id is the Device ID, else the
    /// name, else the MAC (cameras discovered on the network often have no name).
    /// </summary>
    public static readonly RegisterProfile Defender = new("defender", "a Microsoft Defender for Endpoint device inventory export",
        "MicrosoftDocs/defender-docs: defender-endpoint/machines-view-overview.md (device inventory columns, export), device-discovery.md (IoT devices), advanced-hunting-deviceinfo-table.md (DeviceCategory, DeviceType, Vendor, Model)", "2026-12")
    {
        Detect = [["name", "device name", "devicename", "computer name", "machine name"], ["device type", "devicetype"], ["vendor"],
            ["risk level", "exposure level", "onboarding status", "discovery sources", "device category", "device subtype", "os platform", "device id", "deviceid",
             "sensor health state", "health status", "last device update", "machine id", "criticality level"]],
        Columns = new Dictionary<string, string[]>
        {
            ["asset_id"] = ["device id", "deviceid", "machine id", "name", "device name", "devicename", "computer name", "machine name", "mac address", "macaddress", "mac addresses"],
            ["manufacturer"] = ["vendor"],
            ["model"] = ["model"],
            ["mac_address"] = ["mac address", "macaddress", "mac addresses", "mac"],
            ["device_type"] = ["device type", "devicetype", "device subtype", "devicesubtype"],
        },
        Ignore = ["tags", "domain", "os platform", "os distribution", "ip addresses", "ip", "device category", "devicecategory", "device subtype", "devicesubtype"],
        Values = new Dictionary<string, IReadOnlyDictionary<string, string>>
        {
            ["device_type"] = Types(("camera", "camera"), ("ip camera", "camera"), ("surveillance camera", "camera"), ("network video recorder", "nvr"),
                ("network device", "network"), ("networkdevice", "network"), ("router", "network"), ("switch", "network"), ("firewall", "network"),
                ("access point", "network"), ("wireless access point", "network"), ("workstation", "other"), ("server", "other"), ("mobile", "other"),
                ("smartphone", "other"), ("tablet", "other"), ("printer", "other"), ("voip", "other"), ("smart tv", "other"), ("game console", "other"),
                ("audio and video", "other"), ("nas", "other")),
        },
    };

    /// <summary>
    /// A spreadsheet (contractor, estates team, our own CSV) with the documented fields in any order and spelling,
    /// read through the generic synonyms (<see cref="RegisterColumns"/>). What any header with an asset id column is
    /// read as when no other profile fits.
    /// </summary>
    public static readonly RegisterProfile Spreadsheet = new("spreadsheet", "a register spreadsheet (documented fields by name or usual synonym)",
        "docs: the documented register columns and their synonyms (RegisterColumns)", "2026-12");

    /// <summary>Every built-in profile, the spreadsheet last.</summary>
    public static readonly IReadOnlyList<RegisterProfile> All = [NetBox, ServiceNow, SnipeIt, Lansweeper, Defender, Spreadsheet];

    /// <summary>The names <c>--profile</c> accepts.</summary>
    public static IReadOnlyList<string> Names { get; } = All.Select(p => p.Name).ToArray();

    /// <summary>The profile of a name (any case, "snipe-it" as "snipeit"), or null.</summary>
    public static RegisterProfile? Find(string name) => All.FirstOrDefault(p => RegisterColumns.Key(p.Name) == RegisterColumns.Key(name));
}
