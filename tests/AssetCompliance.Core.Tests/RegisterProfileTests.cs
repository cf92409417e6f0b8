using System.Text;
using AssetCompliance.Core.Catalogue;
using AssetCompliance.Core.Events;
using AssetCompliance.Core.Policy;
using AssetCompliance.Core.Registers;
using AssetCompliance.Testing;

namespace AssetCompliance.Core.Tests;

/// <summary>
/// Registers read as departments export them (samples/registers, written from each format's documentation with
/// invented data): the profile detected from the header, its columns and codes, the verdicts they lead to, and what a
/// field the export lacks means (unknown, said once, never clean).
/// </summary>
public sealed class RegisterProfileTests
{
    private static readonly ComplianceEvaluator Evaluator = new(CompliancePolicy.Default);
    private static readonly DeviceIdentifier Identifier = new(VendorCatalogue.Default);

    private static string Sample(string name) => Path.Combine(AppContext.BaseDirectory, "samples", "registers", name);

    private static (RegisterSource Source, RegisterRow[] Rows) OpenFile(string name, RegisterReadOptions? options = null)
    {
        var source = RegisterReader.Open(new MemoryStream(File.ReadAllBytes(Sample(name))), name, options);
        return (source, source.Rows.ToArray());
    }

    private static (RegisterSource Source, RegisterRow[] Rows) OpenText(string text, RegisterReadOptions? options = null)
    {
        var source = RegisterReader.Open(new MemoryStream(Encoding.UTF8.GetBytes(text)), "register.csv", options);
        return (source, source.Rows.ToArray());
    }

    private static NetBoxInterfaces Interfaces(string text, string name = "interfaces.csv") =>
        NetBoxInterfaces.Read(new MemoryStream(Encoding.UTF8.GetBytes(text)), name, out var error) ?? throw new InvalidOperationException(error);

    private static RegisterRow Row(RegisterRow[] rows, string assetId) => rows.Single(r => r.Device?.AssetId == assetId);

    private static ComplianceStatus Verdict(RegisterRow row) => RegisterEvaluation.Evaluate(Identifier, Evaluator, row).Evaluation.Status;

    private static string Errors(RegisterRow[] rows) => string.Join("; ", rows.SelectMany(r => r.Errors));

    [Theory]
    [InlineData("netbox-devices.csv", "netbox", "HO-CAM-0001", "HO-CAM-0002")]
    [InlineData("netbox-devices-all.csv", "netbox", "HO-CAM-0001", "HO-CAM-0002")]
    [InlineData("servicenow-cmdb_ci_hardware.csv", "servicenow", "P10101", "P10102")]
    [InlineData("snipeit-assets.csv", "snipeit", "DFE-CAM-0001", "+44-CAM-7")]
    [InlineData("lansweeper-assets.csv", "lansweeper", "HMRC-CAM-0201", "HMRC-CAM-0202")]
    [InlineData("contractor-cameras.csv", "spreadsheet", "CAM-001", "CAM-002")]
    public void Each_profile_sample_is_detected_and_its_hikvision_camera_is_non_compliant_and_its_axis_one_compliant(string file, string profile, string hikvision, string axis)
    {
        var (source, rows) = OpenFile(file);

        Assert.Empty(Errors(rows));
        Assert.Equal(profile, source.Profile!.Name);
        Assert.Equal(ComplianceStatus.NonCompliant, Verdict(Row(rows, hikvision)));
        Assert.Equal(ComplianceStatus.Compliant, Verdict(Row(rows, axis)));
        if (profile != "spreadsheet")
        {
            Assert.Contains($"read as {source.Profile.Title} (detected)", source.ReadAs);
        }
    }

    [Fact]
    public void A_defender_export_has_no_site_so_its_hikvision_camera_needs_review_until_a_column_is_mapped_as_sensitivity()
    {
        var (source, rows) = OpenFile("defender-device-inventory.csv");
        var hikvision = "8f1e0c3a6b2d4e5f8a9b0c1d2e3f4a5b6c7d8e9f";

        Assert.Equal("defender", source.Profile!.Name);
        Assert.Equal(ComplianceStatus.NeedsReview, Verdict(Row(rows, hikvision)));
        Assert.Equal(ComplianceStatus.Compliant, Verdict(Row(rows, "9a2f1d4b7c3e5f6a9b0c1d2e3f4a5b6c7d8e9f0a"))); // Axis: the maker decides, whatever the site
        Assert.Contains(source.Notes, n => n.StartsWith("no column is read as site_sensitive: whether a site is sensitive is unknown", StringComparison.Ordinal));
        Assert.All(rows, r => Assert.DoesNotContain(r.Warnings, w => w.Column is "site_id" or "site_sensitive" or "department"));
        Assert.Equal("00:bc:99:05:01:21", Row(rows, hikvision).Device!.MacAddress);
        Assert.Equal(DeviceType.Camera, Row(rows, hikvision).Device!.DeviceType);

        var (_, mapped) = OpenFile("defender-device-inventory.csv", new RegisterReadOptions { Columns = [("Tags", "site_sensitive")] });
        Assert.Equal(ComplianceStatus.NonCompliant, Verdict(Row(mapped, hikvision)));
    }

    [Fact]
    public void A_cell_listing_several_macs_reads_one_block_and_holds_two_blocks_back()
    {
        var (_, rows) = OpenText("Device Name,Device ID,MAC addresses,Device type,Vendor,Model,Exposure level\r\n"
            + "cam-1,d1,\"00:40:8c:00:00:01, 00:40:8c:00:00:02\",Camera,Axis,P3265-LVE,Low\r\n"
            + "cam-2,d2,00:40:8c:00:00:03;00:bc:99:00:00:04,Camera,Axis,P3265-LVE,Low\r\n");

        // One rule for a cell listing MACs, whichever profile it comes from (RegisterMacs): one block reads the first,
        // said in a warning that is not unread; two blocks are no MAC evidence.
        Assert.Equal("00:40:8C:00:00:01", rows[0].Device!.MacAddress);
        Assert.Contains(rows[0].Warnings, w => w.Column == "mac_address" && !w.Unread && w.Message.Contains("the first, 00:40:8C:00:00:01, is read", StringComparison.Ordinal));
        Assert.Contains(rows[1].Warnings, w => w.Column == "mac_address" && w.Unread && w.Message.Contains("in 2 different blocks", StringComparison.Ordinal));
        Assert.Equal(ComplianceStatus.NeedsReview, Verdict(rows[1])); // an Axis name beside a Hikvision block is never cleared blind
    }

    [Fact]
    public void A_snipe_it_status_is_read_by_its_type_in_brackets()
    {
        var (_, rows) = OpenText("Asset Tag,Asset Name,Model,Model No.,Manufacturer,Status\r\nT-1,a,m,P3265-LVE,Axis,Lost/Stolen (archived)\r\nT-2,b,m,P3265-LVE,Axis,Spare shelf (deployable)\r\nT-3,c,m,P3265-LVE,Axis,Archived\r\n");

        Assert.Equal([AssetEventKind.Removed, AssetEventKind.Upserted, AssetEventKind.Removed], rows.Select(r => r.Kind));
        Assert.All(rows, r => Assert.DoesNotContain(r.Warnings, w => w.Column == "status"));
    }

    [Fact]
    public void A_workbook_of_a_profile_export_is_detected_below_a_title_row()
    {
        var workbook = new XlsxWorkbook().Sheet("Devices",
            ["Home Office CCTV devices (exported from NetBox)"],
            ["Name", "Status", "Site", "Role", "Manufacturer", "Type", "Asset tag", "Site sensitive"],
            ["cam-1", "Active", "Marsham Street", "CCTV Camera", "Hikvision", "DS-2CD2143G2-I", "HO-CAM-1", "Yes"]).ToBytes();
        var source = RegisterReader.Open(new MemoryStream(workbook), "devices.xlsx", new RegisterReadOptions { Department = "HO" });
        var row = Assert.Single(source.Rows);

        Assert.Equal("netbox", source.Profile!.Name);
        Assert.Equal(("HO-CAM-1", "HO"), (row.Device!.AssetId, row.Device.Department));
        Assert.Equal(ComplianceStatus.NonCompliant, Verdict(row));
        Assert.StartsWith("Excel workbook; read as a NetBox device export (detected)", source.ReadAs);
    }

    [Fact]
    public void The_netbox_table_view_reads_its_display_names_and_codes_and_falls_back_to_the_name_with_a_warning()
    {
        var (source, rows) = OpenFile("netbox-devices.csv");

        var camera = Row(rows, "HO-CAM-0001").Device!;
        Assert.Equal(("Hikvision", "DS-2CD2143G2-I", "J51234567", DeviceType.Camera, "Marsham Street", true), (camera.Manufacturer, camera.Model, camera.SerialNumber, camera.DeviceType, camera.Site!.Name, camera.Site.Sensitive));
        Assert.Equal(DeviceType.Network, Row(rows, "sw-mst-01").Device!.DeviceType); // role "Access Switch"
        Assert.Contains(Row(rows, "sw-mst-01").Warnings, w => w.Column == "asset_id" && w.Message.Contains("is read from 'Name', as 'Asset tag' is blank", StringComparison.Ordinal));
        // Planned and Decommissioning are still in the estate: evaluated, not removed.
        Assert.All(rows, r => Assert.Equal(AssetEventKind.Upserted, r.Kind));
        Assert.Equal(ComplianceStatus.NeedsReview, Verdict(Row(rows, "HO-CAM-0009"))); // Hikvision, not sensitive, network unknown
        Assert.Contains(source.Notes, n => n.Contains("NetBox keeps MACs on interfaces: give --interfaces", StringComparison.Ordinal));
        Assert.Contains(source.Notes, n => n.StartsWith("no column is read as network_segment", StringComparison.Ordinal));
    }

    [Fact]
    public void The_netbox_all_data_export_reads_field_names_and_custom_fields()
    {
        var (_, rows) = OpenFile("netbox-devices-all.csv");

        var camera = Row(rows, "HO-CAM-0001").Device!;
        Assert.Equal(("DS-2CD2143G2-I", NetworkSegment.Segregated, true), (camera.Model, camera.NetworkSegment!.Value, camera.Site!.Sensitive));
        Assert.Equal(NetworkSegment.Core, Row(rows, "sw-mst-01").Device!.NetworkSegment);
    }

    [Fact]
    public void Netbox_interfaces_join_by_device_name_two_blocks_are_unread_one_block_is_read_and_strays_are_noted()
    {
        var interfaces = NetBoxInterfaces.Read(File.OpenRead(Sample("netbox-interfaces.csv")), "netbox-interfaces.csv", out var error)!;
        Assert.Null(error);
        var (source, rows) = OpenFile("netbox-devices.csv", new RegisterReadOptions { Interfaces = interfaces });

        Assert.Equal("00:BC:99:12:34:56", Row(rows, "HO-CAM-0001").Device!.MacAddress);
        Assert.Equal("70:1F:53:00:00:01", Row(rows, "sw-mst-01").Device!.MacAddress); // two MACs of one block: the first, no warning
        Assert.DoesNotContain(Row(rows, "sw-mst-01").Warnings, w => w.Column == "mac_address");
        var nvr = Row(rows, "HO-NVR-0001");
        Assert.Contains(nvr.Warnings, w => w.Column == "mac_address" && w.Unread && w.Message.Contains("in 2 different blocks", StringComparison.Ordinal));
        Assert.Null(RegisterEvaluation.Device(nvr).MacAddress);
        Assert.Null(Row(rows, "HO-CAM-0003").Device!.MacAddress); // no interface
        Assert.Contains(source.Notes, n => n == "1 device has no interface with a MAC in netbox-interfaces.csv: no MAC evidence for it");
        Assert.Contains(source.Notes, n => n.Contains("'ap-gone-99'", StringComparison.Ordinal));
        Assert.Contains(RegisterEvaluation.Evaluate(Identifier, Evaluator, Row(rows, "HO-CAM-0001")).Identification.Evidence, e => e.Kind == EvidenceKind.MacAddress && e.Vendor?.Name == "Hikvision");
    }

    [Fact]
    public void A_netbox_4_2_mac_address_export_is_joined_primary_first()
    {
        var interfaces = Interfaces("MAC Address,Parent,Interface,Primary,Description\r\n00:40:8C:00:00:09,cam-1,eth0,False,\r\n00:40:8C:00:00:01,cam-1,eth0,True,\r\n");
        var (_, rows) = OpenText("Name,Status,Site,Role,Manufacturer,Type,Asset tag\r\ncam-1,Active,HQ,Camera,Axis,P3265-LVE,T-1\r\n", new RegisterReadOptions { Interfaces = interfaces });

        Assert.Equal("00:40:8C:00:00:01", Assert.Single(rows).Device!.MacAddress);
        Assert.Equal(["00:40:8C:00:00:01", "00:40:8C:00:00:09"], interfaces.Macs("cam-1"));
    }

    [Fact]
    public void An_interface_file_without_device_or_mac_columns_is_refused_whole()
    {
        Assert.Null(NetBoxInterfaces.Read(new MemoryStream("Name,Type\r\neth0,1000base-t\r\n"u8.ToArray()), "ifaces.csv", out var error));
        Assert.Contains("ifaces.csv: is not a NetBox interface or MAC address export", error);
        Assert.Contains("'Device' (or 'Parent') column and a 'MAC Address' column", error);

        // The device export must have the name to join on.
        var (_, rows) = OpenText("Asset tag,Manufacturer,Model\r\nT-1,Axis,P3265\r\n", new RegisterReadOptions { Interfaces = Interfaces("Device,MAC Address\r\ncam,00:40:8C:00:00:01\r\n") });
        Assert.Contains("--interfaces joins a NetBox interface export on the device name", Errors(rows));
    }

    [Fact]
    public void Servicenow_install_status_codes_and_date_times_are_read()
    {
        var (_, rows) = OpenFile("servicenow-cmdb_ci_hardware.csv");

        var camera = Row(rows, "P10101");
        Assert.Equal((new DateOnly(2023, 3, 14), DeviceType.Camera), (camera.Device!.InstalledOn!.Value, camera.Device.DeviceType!.Value));
        Assert.Equal(Severity.Critical, RegisterEvaluation.Evaluate(Identifier, Evaluator, camera).Evaluation.Severity);
        Assert.Equal(AssetEventKind.Removed, Row(rows, "P10103").Kind); // install_status 7, Retired
        Assert.Empty(camera.Warnings);
        // A CI with no asset tag is reported by its name, warned.
        Assert.Contains(Row(rows, "MOJ-CAM-0105").Warnings, w => w.Column == "asset_id");
        Assert.Equal(ComplianceStatus.NeedsReview, Verdict(Row(rows, "MOJ-CAM-0105")));
    }

    [Fact]
    public void A_servicenow_ci_without_a_mac_takes_its_network_adapters_macs()
    {
        var adapters = Interfaces("name,cmdb_ci,mac_address,ip_address\r\neth0,CAM-1,00:bc:99:00:00:01,10.0.0.1\r\n");
        var (_, rows) = OpenText("name,manufacturer,model_id,mac_address,sys_class_name,u_site_sensitive\r\nCAM-1,Unbranded,Dome 4MP,,cmdb_ci_ip_camera,true\r\n", new RegisterReadOptions { Interfaces = adapters });

        Assert.Equal("00:bc:99:00:00:01", Assert.Single(rows).Device!.MacAddress);
        Assert.Equal(ComplianceStatus.NonCompliant, Verdict(rows[0])); // a Hikvision MAC block on a sensitive site
    }

    [Fact]
    public void A_servicenow_export_with_labels_and_display_values_is_read_the_same()
    {
        var (source, rows) = OpenText("Name,Class,Manufacturer,Model ID,Serial number,MAC Address,Location,Status,Installed,Site sensitive\r\n"
            + "CAM-1,IP Camera,\"Hangzhou Hikvision Digital Technology Co., Ltd.\",Hikvision DS-2CD2143G2-I,J1,00:bc:99:00:00:01,Gatehouse,Installed,2023-03-14 09:30:00,true\r\n"
            + "CAM-2,IP Camera,Axis Communications AB,Axis P3265-LVE,A2,00:40:8c:00:00:02,Gatehouse,Retired,2019-01-01 08:00:00,true\r\n");

        Assert.Equal("servicenow", source.Profile!.Name);
        Assert.Equal(ComplianceStatus.NonCompliant, Verdict(Row(rows, "CAM-1")));
        Assert.Equal(AssetEventKind.Removed, Row(rows, "CAM-2").Kind);
    }

    [Fact]
    public void A_field_with_several_columns_reads_the_first_that_is_not_blank_row_by_row()
    {
        var (source, rows) = OpenText("name,manufacturer,model_id,model_number,serial_number,location,install_status\r\n"
            + "CAM-1,Hikvision,Hikvision DS-2CD2143G2-I,,J1,Gatehouse,1\r\n"
            + "CAM-2,Axis,Axis P3265-LVE,P3265-LVE,A2,Gatehouse,1\r\n");

        Assert.Equal("servicenow", source.Profile!.Name); // a plain list export: name and model_id suffice
        Assert.Equal(["Hikvision DS-2CD2143G2-I", "P3265-LVE"], rows.Select(r => r.Device!.Model));
        Assert.Contains("column 3 'model_id' is read as model where 'model_number' is blank", source.Notes);
        Assert.All(rows, r => Assert.DoesNotContain(r.Warnings, w => w.Column == "model"));
    }

    [Fact]
    public void A_snipe_it_export_keeps_its_byte_order_mark_out_and_its_backtick_escapes_are_removed()
    {
        var (source, rows) = OpenFile("snipeit-assets.csv");

        Assert.Contains("byte-order mark", source.ReadAs);
        Assert.Equal("+44-CAM-7", rows[1].Device!.AssetId);
        Assert.Empty(rows[1].Warnings);
        Assert.Equal("00-40-8C-07-00-02", rows[1].Device!.MacAddress); // the "MAC Address" custom field
        Assert.Equal(AssetEventKind.Removed, Row(rows, "DFE-CAM-0003").Kind); // Archived
        Assert.Equal(DeviceType.Camera, rows[0].Device!.DeviceType); // category "CCTV Cameras"

        // A custom field named as the database column (_snipeit_mac_address_1) is the MAC too.
        var (_, custom) = OpenText("\uFEFFAsset Tag,Asset Name,Model No.,Manufacturer,Category,_snipeit_mac_address_1\r\nT-1,Cam,DS-2CD2143G2-I,Hikvision,Cameras,00:bc:99:00:00:01\r\n");
        Assert.Equal("00:bc:99:00:00:01", Assert.Single(custom).Device!.MacAddress);
    }

    [Fact]
    public void Lansweeper_states_and_types_are_read()
    {
        var (_, rows) = OpenFile("lansweeper-assets.csv");

        Assert.Equal(AssetEventKind.Removed, Row(rows, "HMRC-CAM-0199").Kind); // Sold
        Assert.Equal(DeviceType.Other, Row(rows, "HMRC-PC-0301").Device!.DeviceType); // Windows
        Assert.Equal("00-BC-99-02-02-01", Row(rows, "HMRC-CAM-0201").Device!.MacAddress);

        // A classic report's own column names (tsysAssetTypes.AssetTypename, tblState.Statename).
        var (source, report) = OpenText("icon,AssetName,AssetTypename,IPAddress,Mac,Manufacturer,Model,Serialnumber,Statename,Lastseen\r\n"
            + "camera.png,CAM-7,Camera,10.0.0.7,00BC99000007,Hikvision,DS-2CD2143G2-I,J7,Active,2026-11-30 09:00:00\r\n");
        Assert.Equal("lansweeper", source.Profile!.Name);
        Assert.Equal((DeviceType.Camera, AssetEventKind.Upserted), (Assert.Single(report).Device!.DeviceType!.Value, report[0].Kind));
    }

    [Fact]
    public void A_servicenow_export_without_model_id_is_still_read_as_servicenow()
    {
        // A list export of the columns a user chose, with field names: no model_id. It was read as a spreadsheet:
        // install_status 7 (Retired) was not read, sys_class_name was no device type, and a blank asset_tag refused the row.
        const string Export = "\"sys_id\",\"name\",\"asset_tag\",\"manufacturer\",\"model_number\",\"serial_number\",\"mac_address\",\"location\",\"install_status\",\"sys_class_name\",\"install_date\"\r\n"
            + "\"a1b2\",\"CAM-9\",\"P100\",\"Hangzhou Hikvision Digital Technology Co., Ltd.\",\"DS-2CD2143G2-I\",\"J9\",\"BC:AD:28:00:00:99\",\"Leeds\",\"7\",\"cmdb_ci_ip_camera\",\"2021-03-04 00:00:00\"\r\n"
            + "\"a1b3\",\"SW-9\",\"\",\"Cisco\",\"C9300\",\"F9\",\"\",\"Leeds\",\"1\",\"cmdb_ci_ip_switch\",\"\"\r\n";
        var (source, rows) = OpenText(Export);

        Assert.Equal("servicenow", source.Profile!.Name);
        Assert.Equal(AssetEventKind.Removed, Row(rows, "P100").Kind);
        Assert.Equal((DeviceType.Network, AssetEventKind.Upserted), (Row(rows, "SW-9").Device!.DeviceType!.Value, Row(rows, "SW-9").Kind));
        Assert.All(rows, r => Assert.Empty(r.Errors));
    }

    [Fact]
    public void A_lansweeper_report_without_a_mac_column_is_still_read_as_lansweeper()
    {
        // A classic report need not select tblAssets.Mac: its AssetName, AssetTypename and Lastseen are Lansweeper's.
        // It was read as a spreadsheet (asset id 'AssetID', no device type: the switch NeedsReview), and --profile lansweeper refused it.
        const string Report = "\uFEFF\"AssetID\",\"AssetName\",\"AssetTypename\",\"IPAddress\",\"Manufacturer\",\"Model\",\"Serialnumber\",\"Lastseen\",\"State\"\r\n"
            + "\"101\",\"CAM-LOBBY\",\"Camera\",\"10.1.1.1\",\"Hikvision\",\"DS-2CD2143G2-I\",\"J1\",\"01/12/2026 09:00:00\",\"Active\"\r\n"
            + "\"102\",\"SW1\",\"Switch\",\"10.1.1.2\",\"Cisco\",\"C9300\",\"FOC1\",\"01/12/2026 09:00:00\",\"Sold\"\r\n";
        foreach (var options in new[] { RegisterReadOptions.Detect, new RegisterReadOptions { Profile = "lansweeper" } })
        {
            var (source, rows) = OpenText(Report, options);
            Assert.Equal("lansweeper", source.Profile!.Name);
            Assert.Equal((DeviceType.Camera, AssetEventKind.Upserted), (Row(rows, "CAM-LOBBY").Device!.DeviceType!.Value, Row(rows, "CAM-LOBBY").Kind));
            Assert.Equal(AssetEventKind.Removed, Row(rows, "SW1").Kind);
        }
    }

    [Fact]
    public void A_header_two_profiles_fit_equally_is_refused_naming_both_and_a_chosen_profile_reads_it()
    {
        const string Header = "name,role,type,site,model_id,install_status,sys_class_name";
        const string Line = "cam-1,Camera,DS-2CD2143G2-I,HQ,Hikvision DS-2CD2143G2-I,1,cmdb_ci_ip_camera";
        var (_, refused) = OpenText($"{Header}\r\n{Line}\r\n");

        var error = Errors(refused);
        Assert.Contains("fits both a NetBox device export and a ServiceNow CMDB export (cmdb_ci) equally", error);
        Assert.Contains("--profile netbox or --profile servicenow", error);

        var (source, rows) = OpenText($"{Header}\r\n{Line}\r\n", new RegisterReadOptions { Profile = "servicenow" });
        Assert.Equal(DeviceType.Camera, Assert.Single(rows).Device!.DeviceType);
        Assert.Contains("read as a ServiceNow CMDB export (cmdb_ci) (--profile)", source.ReadAs);
    }

    [Fact]
    public void A_header_that_does_not_fit_the_chosen_profile_is_refused_saying_what_it_lacks()
    {
        var (_, rows) = OpenFile("servicenow-cmdb_ci_hardware.csv", new RegisterReadOptions { Profile = "netbox" });

        var error = Errors(rows);
        Assert.Contains("does not fit a NetBox device export (--profile netbox): it has no column named 'role' or 'device role' or 'device_role'", error);
        Assert.Contains("Found 18 columns: sys_id, name", error);
        Assert.Contains("is not a profile", Errors(OpenText("a,b\r\n1,2\r\n", new RegisterReadOptions { Profile = "jira" }).Rows));
    }

    [Fact]
    public void Map_overrides_the_profile_and_a_map_naming_a_column_the_header_lacks_is_refused()
    {
        var (_, rows) = OpenFile("netbox-devices.csv", new RegisterReadOptions { Columns = [("Tenant", "department"), ("Rack", "ignore")] });
        Assert.Equal("Home Office", rows[0].Device!.Department); // read, and warned as not a code: push refuses it

        var (_, refused) = OpenFile("netbox-devices.csv", new RegisterReadOptions { Columns = [("Sensitivity", "site_sensitive")], ColumnsSource = "ho.json" });
        Assert.Contains("ho.json names the column 'Sensitivity', which the header does not have", Errors(refused));

        var (_, twice) = OpenFile("netbox-devices.csv", new RegisterReadOptions { Columns = [("Tenant", "site_id"), ("Rack", "site_id")] });
        Assert.Contains("reads both 'Tenant' and 'Rack' as site_id", Errors(twice));

        Assert.Null(RegisterMapping.ParsePair("Tenant", out var noEquals));
        Assert.Contains("is not \"Column Name=field\"", noEquals);
        Assert.Null(RegisterMapping.ParsePair("Tenant=dept_code", out var badField));
        Assert.Contains("'dept_code' is not a field (one of asset_id, department", badField);
        Assert.Equal(("Site = Sensitive?", "site_sensitive"), RegisterMapping.ParsePair("Site = Sensitive?=Site Sensitive", out _));
    }

    [Fact]
    public void A_mapping_file_is_validated_and_every_error_names_the_file_and_the_key()
    {
        var good = RegisterMapping.Parse("""{ "profile": "netbox", "columns": { "Tags": "site_sensitive", "Rack": "ignore" }, "department": "HO" }""", "ho.json", out var none);
        Assert.Empty(none);
        Assert.Equal(("netbox", "HO"), (good!.Profile, good.Department));
        Assert.Equal([("Tags", "site_sensitive"), ("Rack", "ignore")], good.Columns);

        Assert.Null(RegisterMapping.Parse("""{ "profile": "jira", "columns": { "Tags": "sensitivity_flag", "Rack": 3 }, "departement": "HO", "department": "H O" }""", "ho.json", out var errors));
        Assert.Equal(5, errors.Count);
        Assert.Contains("ho.json: profile: 'jira' is not a profile", errors[0]);
        Assert.Contains("ho.json: columns.Tags: 'sensitivity_flag' is not a field", errors[1]);
        Assert.Contains("ho.json: columns.Rack: the value is not a field", errors[2]);
        Assert.Contains("ho.json: departement: is not a key of a mapping file", errors[3]);
        Assert.Contains("ho.json: department: 'H O' may contain only", errors[4]);

        Assert.Null(RegisterMapping.Parse("{ nope", "ho.json", out var notJson));
        Assert.StartsWith("ho.json: is not JSON", Assert.Single(notJson));
        Assert.Null(RegisterMapping.Parse("[]", "ho.json", out var array));
        Assert.StartsWith("ho.json: must be a JSON object", Assert.Single(array));
    }

    [Fact]
    public void Department_fills_a_missing_or_blank_department_and_warns_of_another()
    {
        var (source, rows) = OpenFile("contractor-cameras.csv", new RegisterReadOptions { Department = "MOJ" });
        Assert.All(rows, r => Assert.Equal("MOJ", r.Device!.Department));
        Assert.Contains("no column is read as department: every row is department 'MOJ', as given (--department, or the mapping file)", source.Notes);
        Assert.All(rows, r => Assert.DoesNotContain(r.Warnings, w => w.Column == "department"));

        var (_, mixed) = OpenText("asset_id,department,manufacturer,device_type\r\nA-1,,Axis,camera\r\nA-2,HO,Axis,camera\r\nA-3,MOJ,Axis,camera\r\n", new RegisterReadOptions { Department = "MOJ" });
        Assert.Equal(["MOJ", "HO", "MOJ"], mixed.Select(r => r.Device!.Department));
        Assert.Contains(mixed[1].Warnings, w => w.Column == "department" && w.Message.Contains("is not 'MOJ', the --department given: push refuses the row", StringComparison.Ordinal));
        Assert.Empty(mixed[2].Warnings);

        // Without --department, a missing department column is one note, not a warning per row.
        var (without, plain) = OpenFile("contractor-cameras.csv");
        Assert.All(plain, r => Assert.DoesNotContain(r.Warnings, w => w.Column == "department"));
        Assert.Contains(without.Notes, n => n.StartsWith("no column is read as department: rows have no department", StringComparison.Ordinal));
    }

    [Fact]
    public void A_missing_column_is_unknown_for_every_row_said_once_and_never_clears_a_device()
    {
        var lines = new StringBuilder("Asset Tag,Make,Model No.,Sensitive Site\r\n");
        for (var i = 0; i < 1_000; i++)
        {
            lines.Append($"A-{i},Axis,P3265-LVE,yes\r\n");
        }

        lines.Append("H-1,Hikvision,DS-2CD2143G2-I,yes\r\n");
        var (source, rows) = OpenText(lines.ToString());

        // No device type column: every type is unknown, marked unread without a warning per row.
        Assert.All(rows, r => Assert.Empty(r.Warnings));
        Assert.Contains(source.Notes, n => n.StartsWith("no column is read as device_type: every device's type is unknown", StringComparison.Ordinal));
        Assert.True(source.Notes.Count < 15);
        Assert.Equal(ComplianceStatus.NeedsReview, Verdict(rows[0])); // Axis, but not known to be what the direction covers: held back
        Assert.Contains("deviceType", RegisterEvaluation.Device(rows[0]).UnreadFields);
        Assert.Equal(ComplianceStatus.NeedsReview, Verdict(rows[^1])); // Hikvision of unknown type: never merely Advisory
    }

    [Fact]
    public void Without_a_sensitivity_column_a_cleared_maker_stays_compliant_and_an_unknown_or_prc_one_needs_review()
    {
        var (_, rows) = OpenText("Asset Tag,Make,Model No.,Type,Network\r\nA-1,Axis,P3265-LVE,camera,segregated\r\nU-1,Unbranded,4MP dome,camera,segregated\r\nH-1,Hikvision,DS-2CD2143G2-I,camera,segregated\r\n");

        Assert.Equal(ComplianceStatus.Compliant, Verdict(rows[0])); // the policy clears Axis at any site
        Assert.Equal(ComplianceStatus.NeedsReview, Verdict(rows[1])); // an unknown maker only clears where the site is known not sensitive
        Assert.Equal(ComplianceStatus.NeedsReview, Verdict(rows[2]));
        Assert.Equal("prc-surveillance-site-sensitivity-unknown", RegisterEvaluation.Evaluate(Identifier, Evaluator, rows[2]).Evaluation.Rule);
    }

    [Fact]
    public void A_spreadsheet_without_an_asset_id_column_is_identified_by_its_device_name_said_once()
    {
        var (source, rows) = OpenText("Camera Name,Make,Model,Location,Sensitive\r\nLobby 1,Hikvision,DS-2CD2143G2-I,Marsham Street,yes\r\n");

        Assert.Equal("Lobby 1", Assert.Single(rows).Device!.AssetId);
        Assert.Contains("no column is an asset id: column 1 'Camera Name' is read as asset_id (the asset id changes if the device is renamed)", source.Notes);
        Assert.Equal(ComplianceStatus.NeedsReview, Verdict(rows[0])); // no type column: a Hikvision device of unknown type is held back
    }

    [Fact]
    public void A_sheet_with_site_and_location_reads_the_site_and_the_location_where_the_site_is_blank()
    {
        var (source, rows) = OpenText("Camera Ref,Make,Model No.,Type,Location,Site,Building,Sensitive Site\r\nC-1,Axis,P3265-LVE,camera,Level 2 lobby,Marsham Street,East wing,yes\r\nC-2,Axis,P3265-LVE,camera,Gatehouse,,,yes\r\n");

        Assert.Equal(["Marsham Street", "Gatehouse"], rows.Select(r => r.Device!.Site!.Name));
        Assert.Contains("column 5 'Location' is read as site_name where 'Site' is blank", source.Notes);
        Assert.Contains("column 7 'Building' is read as site_name where 'Site' and 'Location' are blank", source.Notes);
    }

    [Fact]
    public void A_header_with_no_asset_id_or_only_an_asset_id_is_refused()
    {
        Assert.Contains("no column is read as asset_id", Errors(OpenText("Make,Model\r\nAxis,P1\r\n").Rows));
        Assert.Contains("only the asset id is read", Errors(OpenText("Asset Tag,Notes\r\nA-1,x\r\n").Rows));
        Assert.Contains("it has no column named 'name'", Errors(OpenText("Label,Role,Type,Site\r\nx,Camera,T,HQ\r\n", new RegisterReadOptions { Profile = "netbox" }).Rows));
    }

    [Fact]
    public void Profiles_are_named_sourced_and_dated_and_their_codes_are_canonical()
    {
        Assert.Equal(["netbox", "servicenow", "snipeit", "lansweeper", "defender", "spreadsheet"], RegisterProfiles.Names);
        Assert.Same(RegisterProfiles.SnipeIt, RegisterProfiles.Find("Snipe-IT"));
        foreach (var profile in RegisterProfiles.All)
        {
            Assert.False(string.IsNullOrWhiteSpace(profile.Source));
            Assert.Matches(@"^\d{4}-\d{2}$", profile.Date);
            Assert.All(profile.Columns.Keys, f => Assert.Contains(f, RegisterReader.CsvHeader));
            Assert.All(profile.Values.GetValueOrDefault("status")?.Values ?? [], v => Assert.Contains(v, new[] { "in-service", "removed" }));
            Assert.All(profile.Values.GetValueOrDefault("device_type")?.Values ?? [], v => Assert.True(DeviceTypes.TryParse(v, out _), v));
        }
    }
}
