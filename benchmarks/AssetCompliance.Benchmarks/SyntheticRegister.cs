using System.Globalization;
using System.Text;

namespace AssetCompliance.Benchmarks;

/// <summary>One row of a generated register, in the register's own words.</summary>
public sealed record SyntheticDevice(
    string AssetId, string Department, string Manufacturer, string Model, string Mac,
    string DeviceType, string SiteId, string SiteSensitive, string NetworkSegment, string InstalledOn, string Status);

/// <summary>
/// A deterministic register shaped like real ones: mostly trusted brands, a fifth PRC hardware under many spellings,
/// relabelled kit with a reseller's name, blanks, typos, network gear whose MAC block is outside the catalogue.
/// The strings repeat the way register values do; MAC addresses are unique per device.
/// </summary>
public static class SyntheticRegister
{
    private sealed record Profile(int Weight, string DeviceType, string[] Names, string[] Models, string[] MacPrefixes);

    // Weights are per mille. MAC prefixes are real IEEE MA-L blocks of the maker named.
    private static readonly Profile[] Profiles =
    [
        new(160, "camera", ["Axis", "AXIS Communications AB", "Axis Communications", "axis"], ["P3245-LVE", "M3106-L Mk II", "Q6135-LE", "AXIS M1135"], ["00408C", "ACCC8E", "B8A44F"]),
        new(90, "camera", ["Hanwha Vision", "Hanwha Techwin", "Samsung Techwin", "Wisenet"], ["XNV-8080R", "QND-6012R", "PNM-9084RQZ"], ["000918", "44B423", "E43022"]),
        new(70, "camera", ["Bosch Security Systems", "BOSCH", "Robert Bosch GmbH"], ["NDE-3503-AL", "FLEXIDOME IP 5000i", "NBN-73023BA"], ["000131", "000463", "000D5C"]),
        new(110, "camera", ["Hikvision", "HIKVISION", "Hangzhou Hikvision Digital Technology Co., Ltd.", "Hik Vision", "HiLook", ""], ["DS-2CD2143G2-I", "DS-2CD2387G2-LU", "iDS-2CD7146G0-IZS", "DS-2DE4425IW-DE"], ["00BC99", "040312", "04EECD"]),
        new(40, "nvr", ["Hikvision", "HIKVISION UK", ""], ["DS-7608NXI-K2", "DS-9632NI-M8"], ["00BC99", "040312"]),
        new(60, "camera", ["Dahua", "DAHUA TECHNOLOGY", "Dahua Technology UK Ltd", ""], ["IPC-HFW2431S-S-S2", "DH-IPC-HDBW2431E", "IPC-HDW3849H-AS-PV"], ["08EDED", "14A78B", "24526A"]),
        new(30, "camera", ["Uniview", "UNV", "Zhejiang Uniview Technologies"], ["IPC2124LB-SF28KM-G", "IPC3614SR3-ADPF28"], ["48EA63", "6CF17E", "88263F"]),
        new(30, "camera", ["Secure View Ltd", "Acme CCTV Supplies", "SafeSite Systems"], ["SV-2000", "ACM-4MP", ""], ["08EDED", "00BC99", "24526A"]),
        new(20, "camera", ["Hikvison", "Dahau", "Hikvsion", "Univeiw"], ["", "CAM-4MP"], ["040312", "14A78B", ""]),
        new(40, "camera", ["Sony", "Canon", "Panasonic i-PRO", "Mobotix", "Vivotek"], ["SNC-VB770", "VB-H47", "WV-S1536LN", "MX-M16B", "FD9389-HV"], ["000095", "00014A", ""]),
        new(120, "network", ["Cisco", "Cisco Systems", "CISCO"], ["C9300-48P", "ISR4331"], ["00000C", "000142", "000143"]),
        new(60, "network", ["Huawei", "HUAWEI TECHNOLOGIES", "ZTE", "ZTE Corporation"], ["S5735-L48T4S-A1", "AR6120", "ZXR10 5960"], ["001882", "001E10", "0015EB", "0019C6"]),
        new(30, "network", ["TP-Link", "TP-LINK Technologies Co., Ltd.", ""], ["TL-SG3428", "Archer C7"], ["000AEB", "001478", "0019E0"]),
        new(40, "access-control", ["Paxton", "HID Global", "Gallagher"], ["Net2 Plus", "iCLASS SE", "T20"], ["", "28CDC1"]),
        new(60, "camera", ["", "Unknown", "N/A"], ["", "4MP Bullet", "IPC-1000"], ["", "", "2CCF67"]),
        new(40, "encoder", ["Hikrobot", "Hikoki", "Hitachi", "Dahle", "Univision"], ["", "DV-100"], ["", ""]),
    ];

    private static readonly string[] Departments = ["HO", "MOJ", "DFE", "DWP", "HMRC"];
    private static readonly string[] Segments = ["core", "segregated", "standalone", ""];
    private static readonly string[] Sensitivity = ["true", "false", ""];

    public static IReadOnlyList<SyntheticDevice> Generate(int count, int seed = 20221124)
    {
        var random = new Random(seed);
        var totalWeight = Profiles.Sum(p => p.Weight);
        var devices = new List<SyntheticDevice>(count);
        for (var i = 0; i < count; i++)
        {
            var pick = random.Next(totalWeight);
            var profile = Profiles[0];
            foreach (var p in Profiles)
            {
                if (pick < p.Weight)
                {
                    profile = p;
                    break;
                }

                pick -= p.Weight;
            }

            var department = Departments[i % Departments.Length];
            var prefix = Pick(random, profile.MacPrefixes);
            var mac = prefix.Length == 0
                ? string.Empty
                : FormatMac(random, prefix, i);
            var installed = new DateOnly(2016, 1, 1).AddDays(random.Next(3600)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            devices.Add(new SyntheticDevice(
                $"{department}-{i:D7}", department, Pick(random, profile.Names), Pick(random, profile.Models), mac,
                profile.DeviceType, $"{department}-SITE-{random.Next(40):D2}", Pick(random, Sensitivity), Pick(random, Segments),
                installed, random.Next(50) == 0 ? "removed" : "in-service"));
        }

        return devices;
    }

    /// <summary>Writes the devices as a register export in the documented CSV layout.</summary>
    public static void WriteCsv(IEnumerable<SyntheticDevice> devices, TextWriter writer)
    {
        writer.WriteLine("asset_id,department,manufacturer,model,serial_number,mac_address,device_type,site_id,site_name,site_sensitive,network_segment,installed_on,status");
        var builder = new StringBuilder();
        foreach (var d in devices)
        {
            builder.Clear();
            builder.Append(d.AssetId).Append(',').Append(d.Department).Append(',').Append(Csv(d.Manufacturer)).Append(',')
                .Append(Csv(d.Model)).Append(",SN-").Append(d.AssetId).Append(',').Append(d.Mac).Append(',').Append(d.DeviceType).Append(',')
                .Append(d.SiteId).Append(",Site ").Append(d.SiteId).Append(',').Append(d.SiteSensitive).Append(',').Append(d.NetworkSegment)
                .Append(',').Append(d.InstalledOn).Append(',').Append(d.Status);
            writer.WriteLine(builder);
        }
    }

    private static string Csv(string value) =>
        value.IndexOfAny([',', '"']) < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static string Pick(Random random, string[] values) => values[random.Next(values.Length)];

    // Registers write MACs every way; the notation follows the row so each kind appears.
    private static string FormatMac(Random random, string prefix, int row)
    {
        var value = (Convert.ToUInt64(prefix, 16) << 24) | (uint)random.Next(1 << 24);
        var hex = value.ToString("X12", CultureInfo.InvariantCulture);
        return (row % 4) switch
        {
            0 => string.Join(':', Enumerable.Range(0, 6).Select(b => hex.Substring(b * 2, 2))),
            1 => string.Join('-', Enumerable.Range(0, 6).Select(b => hex.Substring(b * 2, 2))).ToLowerInvariant(),
            2 => $"{hex[..4]}.{hex[4..8]}.{hex[8..]}".ToLowerInvariant(),
            _ => hex,
        };
    }
}
