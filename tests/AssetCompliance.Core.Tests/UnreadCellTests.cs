using System.Text;
using AssetCompliance.Core.Catalogue;
using AssetCompliance.Core.Events;
using AssetCompliance.Core.Policy;
using AssetCompliance.Core.Registers;

namespace AssetCompliance.Core.Tests;

/// <summary>
/// One rule for unread cells in check and in the pipeline: a register row's unread cells become the event's
/// <c>unreadFields</c> through one column map, and the verdict check gives the row is the verdict the pipeline gives
/// the event push makes of it.
/// </summary>
public sealed class UnreadCellTests
{
    private static readonly string Header = string.Join(",", RegisterReader.CsvHeader);
    private static readonly ComplianceEvaluator Evaluator = new(CompliancePolicy.Default);
    private static readonly DeviceIdentifier Identifier = new(VendorCatalogue.Default);

    private static string Row(string id, string manufacturer = "Axis", string model = "P3265-LVE", string mac = "", string type = "camera", string sensitive = "false",
        string segment = "segregated", string installed = "2021-03-01", string status = "in-service") =>
        $"{id},HO,{manufacturer},{model},S-{id},{mac},{type},HO-SITE,Marsham Street,{sensitive},{segment},{installed},{status}";

    /// <summary>Rows with unread cells of every kind the reader has, on makers of every standing, and rows read whole.</summary>
    public static TheoryData<string> Rows => new(
        Row("A1", sensitive: "maybe"),
        Row("A2", segment: "dmz"),
        Row("A3", manufacturer: "Secure View", model: "SV-100", mac: "4.419E+11"),
        Row("A4", installed: "44889"),
        Row("A5", installed: "11/24/2022"),
        Row("A6", mac: "zz:zz", segment: "DMZ", sensitive: "TBC"),
        Row("A7", manufacturer: "HiLook", model: "", segment: "standalone", mac: "4.419E+11"),
        Row("A8", manufacturer: "Hikvision", model: "DS-2CD2143G2-I", sensitive: "true", installed: "13/13/2023"),
        Row("A9", manufacturer: "Hikvision", model: "DS-2CD2143G2-I", sensitive: "yes", segment: "LAN"),
        Row("A10", manufacturer: "Acme", model: "X1", segment: "core", sensitive: "unknown"),
        Row("A11", manufacturer: "Reolink", model: "RLC-810A", sensitive: "n", segment: "wifi"),
        Row("A12", manufacturer: "Huawei", model: "S5735", type: "network", segment: "?"),
        Row("A13"),
        Row("A14", installed: "24/11/2022"));

    [Theory]
    [MemberData(nameof(Rows))]
    public void Check_and_the_pipeline_give_a_row_and_its_pushed_event_the_same_verdict(string line)
    {
        var row = Assert.Single(RegisterReader.ReadCsv(Header + "\n" + line + "\n"));
        var checkVerdict = RegisterEvaluation.Evaluate(Identifier, Evaluator, row).Evaluation;

        var push = RegisterEvents.From([row], "HO", 7, DateTimeOffset.UnixEpoch);
        var parsed = AssetEventParser.Parse(Assert.Single(push.Events).Body);
        Assert.True(parsed.IsValid, string.Join("; ", parsed.Errors));
        var sent = parsed.Event!.Device;
        var pipelineVerdict = Evaluator.Evaluate(parsed.Event.Kind, sent, Identifier.Identify(sent.Manufacturer, sent.Model, sent.MacAddress));

        Assert.Equal(RegisterEvaluation.Device(row).UnreadFields, sent.UnreadFields);
        Assert.Equal((checkVerdict.Status, checkVerdict.Severity, checkVerdict.Rule), (pipelineVerdict.Status, pipelineVerdict.Severity, pipelineVerdict.Rule));
        Assert.Equal(checkVerdict.Reasons, pipelineVerdict.Reasons);
        if (sent.UnreadFields.Count > 0)
        {
            Assert.NotEqual(ComplianceStatus.Compliant, pipelineVerdict.Status);
            Assert.NotEqual(ComplianceStatus.Advisory, pipelineVerdict.Status);
        }
    }

    [Fact]
    public void Every_unread_cell_of_a_contract_field_is_marked_with_its_path_and_loses_its_value()
    {
        var row = Assert.Single(RegisterReader.ReadCsv(Header + "\n" + Row("A1", mac: "4.419E+11", type: "webcam", sensitive: "maybe", segment: "dmz", installed: "44889") + "\n"));

        var device = RegisterEvaluation.Device(row);

        Assert.Equal(["mac_address", "device_type", "site_sensitive", "network_segment", "installed_on"], row.Warnings.Where(w => w.Unread).Select(w => w.Column));
        Assert.Equal(["macAddress", "deviceType", "site.sensitive", "networkSegment", "installedOn"], device.UnreadFields);
        Assert.Equal(row.Warnings.Where(w => w.Unread).Select(w => UnreadFields.ByColumn(w.Column)!.Path), device.UnreadFields);
    }

    [Fact]
    public void Text_only_partly_read_is_sent_as_unread_without_the_partial_value()
    {
        // A manufacturer in Latin-1 bytes, in a file read as UTF-8 (--encoding utf-8): read as far as it goes, which
        // is evidence of nothing. (Detected, the file would be read as Windows-1252.)
        var csv = Encoding.UTF8.GetBytes(Header + "\n" + Row("A1", manufacturer: "Axis Communications S@rl") + "\n").Select(b => b == (byte)'@' ? (byte)0xE0 : b).ToArray();
        var row = Assert.Single(RegisterReader.Open(new MemoryStream(csv), "register.csv", new RegisterReadOptions { Encoding = "utf-8" }).Rows);
        Assert.Contains('\uFFFD', row.Device!.Manufacturer!);

        var data = System.Text.Json.Nodes.JsonNode.Parse(Assert.Single(RegisterEvents.From([row], "HO", 7, DateTimeOffset.UnixEpoch).Events).Body.Span)!["data"]!;

        Assert.Null(data["manufacturer"]);
        Assert.Equal("manufacturer", Assert.Single(data["unreadFields"]!.AsArray())!.GetValue<string>());
        Assert.Null(RegisterEvaluation.Device(row).Manufacturer);
    }

    [Fact]
    public void An_unread_status_has_no_contract_field_so_push_refuses_the_row_and_check_evaluates_it_as_in_service()
    {
        var row = Assert.Single(RegisterReader.ReadCsv(Header + "\n" + Row("A1", status: "quarantined") + "\n"));

        // The other reading of the cell (removed) is no risk: the verdict on the device as described stands.
        Assert.Empty(RegisterEvaluation.Device(row).UnreadFields);
        Assert.Equal(ComplianceStatus.Compliant, RegisterEvaluation.Evaluate(Identifier, Evaluator, row).Evaluation.Status);
        Assert.Contains("status 'quarantined' could not be read", Assert.Single(RegisterEvents.From([row], "HO", 7, DateTimeOffset.UnixEpoch).Errors).Reason);
    }

    [Fact]
    public void A_json_lines_register_reports_each_unread_field_as_a_warning_on_its_column()
    {
        var e = EventParserTests.ValidEvent();
        var data = e["data"]!.AsObject();
        data.Remove("networkSegment");
        data["site"]!.AsObject().Remove("sensitive");
        data["unreadFields"] = new System.Text.Json.Nodes.JsonArray("site.sensitive", "networkSegment");

        var row = Assert.Single(JsonLinesRegister.Read(new MemoryStream(Encoding.UTF8.GetBytes(e.ToJsonString() + "\n"))));

        Assert.Equal(["site_sensitive", "network_segment"], row.Warnings.Select(w => w.Column));
        Assert.All(row.Warnings, w => Assert.True(w.Unread));
        Assert.Equal(["site.sensitive", "networkSegment"], RegisterEvaluation.Device(row).UnreadFields);
    }

    [Fact]
    public void The_column_map_covers_every_contract_field_once_and_names_register_columns()
    {
        Assert.Equal(UnreadFields.AllPaths.Count, UnreadFields.AllPaths.Distinct().Count());
        Assert.All(UnreadFields.All, f => Assert.Contains(f.Column, RegisterReader.CsvHeader));
        Assert.Equal(["serialNumber", "site.name"], UnreadFields.All.Where(f => !f.FeedsVerdict).Select(f => f.Path));
    }
}
