using System.Text;
using System.Text.Json;
using AssetCompliance.Cli;

namespace AssetCompliance.Integration.Tests;

/// <summary>
/// <c>compliance check</c> end to end: formats, warnings in every format, rows not read reported by line, and exit
/// codes that never pass input that was not read.
/// </summary>
public sealed class CheckCommandTests
{
    private const string Header = "asset_id,department,manufacturer,model,serial_number,mac_address,device_type,site_id,site_name,site_sensitive,network_segment,installed_on,status";
    private static readonly string Register = Path.Combine(RepositoryPaths.Root, "samples", "register-dfe.csv");

    private static string Camera(string id, string model = "DS-2CD2143G2-I", string mac = "", string installed = "2023-01-01", string manufacturer = "Hikvision", string sensitive = "true") =>
        $"{id},HO,{manufacturer},{model},S-{id},{mac},camera,HO-SITE,Marsham Street,{sensitive},segregated,{installed},in-service";

    private static string Axis(string id, string installed = "2022-01-10") =>
        $"{id},HO,Axis Communications,P3245-LVE,S-{id},,camera,HO-SITE,Marsham Street,true,segregated,{installed},in-service";

    private static async Task<(int Exit, string Output, string Errors)> RunAsync(string path, string format)
    {
        var file = Path.GetTempFileName();
        try
        {
            var errors = new StringWriter();
            int exit;
            await using (var output = File.Create(file))
            {
                exit = await CheckCommand.RunAsync(path, format, output, errors, indented: false, CancellationToken.None);
            }

            return (exit, await File.ReadAllTextAsync(file), errors.ToString());
        }
        finally
        {
            File.Delete(file);
        }
    }

    internal static async Task<(int Exit, string Output, string Errors)> CheckAsync(byte[] content, string format = "table", string extension = ".csv")
    {
        var path = Path.Combine(Path.GetTempPath(), $"register-{Guid.NewGuid():N}{extension}");
        await File.WriteAllBytesAsync(path, content);
        try
        {
            return await RunAsync(path, format);
        }
        finally
        {
            File.Delete(path);
        }
    }

    internal static Task<(int Exit, string Output, string Errors)> CheckAsync(string content, string format = "table", string extension = ".csv") =>
        CheckAsync(Encoding.UTF8.GetBytes(content), format, extension);

    private static string Lines(params string[] lines) => string.Join("\n", lines) + "\n";

    [Fact]
    public async Task Registry_makers_the_catalogue_does_not_know_are_named_by_their_registrant_and_a_conflict_with_a_prc_maker_is_never_cleared()
    {
        var register = Lines(Header,
            "N1,HO,Intel,X710,S-N1,00:D0:B7:12:34:56,network,HO-SITE,Marsham Street,true,core,2023-01-01,in-service",
            "N2,HO,Edimax,EW-7822,S-N2,00:00:B4:12:34:56,network,HO-SITE,Marsham Street,true,core,2023-01-01,in-service",
            "N3,HO,Cisco,C9300-48P,S-N3,00:00:0C:12:34:56,network,HO-SITE,Marsham Street,true,core,2023-01-01,in-service",
            Camera("C1", model: "", mac: "AC:CC:8E:0A:1B:2C"),
            Camera("C2", mac: "00:00:00:00:00:00"));

        var (_, json, _) = await CheckAsync(register, "json");
        var (_, table, _) = await CheckAsync(register);

        using var document = JsonDocument.Parse(json);
        var results = document.RootElement.GetProperty("results").EnumerateArray().ToDictionary(r => r.GetProperty("assetId").GetString()!);
        Assert.Equal("Intel Corporation", results["N1"].GetProperty("macRegistrant").GetString());
        Assert.Equal("Edimax Technology Co. Ltd.", results["N2"].GetProperty("macRegistrant").GetString());
        Assert.Equal(JsonValueKind.Null, results["N1"].GetProperty("vendor").ValueKind);
        Assert.DoesNotContain(results["N1"].GetProperty("reasons").EnumerateArray(), r => r.GetString()!.Contains("core network", StringComparison.Ordinal));
        Assert.Contains("IEEE: Intel Corp", table);
        Assert.Contains("IEEE: Edimax", table);
        // Cisco is a catalogue vendor: identified, not merely named, and told nothing untrue about the core network.
        Assert.Equal("cisco", results["N3"].GetProperty("vendor").GetProperty("key").GetString());
        Assert.DoesNotContain(results["N3"].GetProperty("reasons").EnumerateArray(), r => r.GetString()!.Contains("nor on the core network", StringComparison.Ordinal));
        // Hikvision by name, Axis by MAC: the conflict is held for review with both sides named.
        Assert.Equal(("NeedsReview", "conflicting-evidence-prc-maker"), (results["C1"].GetProperty("status").GetString(), results["C1"].GetProperty("rule").GetString()));
        var reasons = string.Join(" ", results["C1"].GetProperty("reasons").EnumerateArray().Select(r => r.GetString()));
        Assert.Contains("\"Hikvision\"", reasons);
        Assert.Contains("Axis Communications AB", reasons);
        // An all-zero MAC is no evidence of XEROX: the name and model decide.
        Assert.Equal("hikvision", results["C2"].GetProperty("vendor").GetProperty("key").GetString());
        Assert.Equal("no-maker-information:all-zero", results["C2"].GetProperty("evidence").EnumerateArray().Single(e => e.GetProperty("kind").GetString() == "macAddress").GetProperty("method").GetString());
        Assert.Equal(JsonValueKind.Null, results["C2"].GetProperty("macRegistrant").ValueKind);
    }

    [Fact]
    public async Task Json_output_lists_every_row_with_warnings_and_exits_2_when_something_is_non_compliant()
    {
        var (exit, output, errors) = await RunAsync(Register, "json");

        Assert.Equal(CheckCommand.ExitNonCompliant, exit);
        using var json = JsonDocument.Parse(output);
        var results = json.RootElement.GetProperty("results").EnumerateArray().ToDictionary(r => r.GetProperty("assetId").GetString()!);
        Assert.Equal(7, results.Count);
        Assert.Equal(("NonCompliant", "Critical"), (results["DFE-0001"].GetProperty("status").GetString(), results["DFE-0001"].GetProperty("severity").GetString()));
        Assert.Equal("Compliant", results["DFE-0002"].GetProperty("status").GetString());
        Assert.True(results["DFE-0003"].GetProperty("relabelSuspected").GetBoolean());
        Assert.Equal("dahua", results["DFE-0003"].GetProperty("vendor").GetProperty("key").GetString());
        Assert.Equal(JsonValueKind.Null, results["DFE-0005"].GetProperty("vendor").ValueKind);
        Assert.Equal("Removed", results["DFE-0006"].GetProperty("status").GetString());
        // Line 8 of the sample is a Bosch camera with five cells no register should have: it is evaluated on what
        // could be read and held back for review, not dropped.
        Assert.Equal("NeedsReview", results["DFE-0007"].GetProperty("status").GetString());
        Assert.Equal(["mac_address", "device_type", "site_sensitive", "network_segment", "installed_on"],
            results["DFE-0007"].GetProperty("warnings").EnumerateArray().Select(w => w.GetProperty("column").GetString()));
        Assert.Empty(results["DFE-0001"].GetProperty("warnings").EnumerateArray());
        Assert.StartsWith("cat-", json.RootElement.GetProperty("catalogueVersion").GetString());
        var summary = json.RootElement.GetProperty("summary");
        Assert.Equal((7, 1, 0, true, 2), (summary.GetProperty("devices").GetInt32(), summary.GetProperty("devicesWithWarnings").GetInt32(),
            summary.GetProperty("rowsNotRead").GetInt32(), summary.GetProperty("complete").GetBoolean(), summary.GetProperty("exitCode").GetInt32()));
        Assert.Contains("register-dfe.csv:8: warning: DFE-0007: device_type 'webcam' is not a known device type", errors);
    }

    [Fact]
    public async Task A_register_with_nothing_to_act_on_exits_0_and_csv_quotes_fields()
    {
        var (exit, output, errors) = await CheckAsync(Lines(Header, "A1,HO,\"Axis, Communications\",P3245-LVE,S1,,camera,S1,\"Site, one\",true,segregated,,in-service"), "csv");

        Assert.Equal(CheckCommand.ExitClean, exit);
        Assert.Contains("A1,HO,Compliant,,compliant,Axis,SE,false,false,", output);
        Assert.Contains("exit 0: clean", errors);
    }

    [Fact]
    public async Task Json_lines_of_cloud_events_are_read_too_and_their_bad_lines_mean_not_fully_read()
    {
        var (exit, output, errors) = await RunAsync(Path.Combine(RepositoryPaths.Root, "samples", "asset-events.jsonl"), "table");

        Assert.Equal(CheckCommand.ExitError, exit);
        Assert.Contains("HO-CAM-0001", output);
        Assert.Contains("asset-events.jsonl:21:", errors);
        Assert.Contains("Exit 1: not fully read: 2 rows could not be read", output);
    }

    // The issue's samples.

    [Fact]
    public async Task A_stray_quote_in_a_model_costs_no_row_and_a_file_of_hikvision_cameras_at_sensitive_sites_exits_2()
    {
        var rows = Enumerable.Range(2, 20).Select(i => Camera($"HO-{i}"));
        var (exit, output, _) = await CheckAsync(Lines([Header, Camera("HO-1", model: "DS-2CD2143G2-I 4\" dome"), .. rows]));

        Assert.Equal(CheckCommand.ExitNonCompliant, exit);
        // The quote is read as typed, with a warning on its cell (RFC 4180 quotes a cell that holds one).
        Assert.Contains("21 devices: 21 NonCompliant; 1 with warnings; 0 rows not readable", output);
    }

    [Fact]
    public async Task A_quote_that_never_closes_costs_its_row_and_the_exit_says_not_fully_read()
    {
        var rows = Enumerable.Range(3, 20).Select(i => Camera($"HO-{i}"));
        var (exit, output, errors) = await CheckAsync(Lines([Header, Camera("HO-1"), Camera("HO-2", model: "\"DS-2CD2143G2-I"), .. rows]));

        Assert.Equal(CheckCommand.ExitError, exit);
        Assert.Contains(":3: the quoted field in column 4 (model) does not close on this line", errors);
        Assert.Contains("21 devices: 21 NonCompliant; 0 with warnings; 1 rows not readable", output);
    }

    [Fact]
    public async Task A_hikvision_camera_at_a_sensitive_site_with_a_bad_cell_is_non_compliant_with_its_warning_in_every_format()
    {
        var content = Lines(Header, Camera("HO-CAM-7", mac: "4.419E+11", installed: "24/11/2022"), Axis("HO-CAM-8"));

        var (tableExit, table, tableErrors) = await CheckAsync(content, "table");
        var (jsonExit, json, _) = await CheckAsync(content, "json");
        var (csvExit, csv, _) = await CheckAsync(content, "csv");

        Assert.All(new[] { tableExit, jsonExit, csvExit }, e => Assert.Equal(CheckCommand.ExitNonCompliant, e));
        Assert.Matches(@"HO-CAM-7 +HO +NonCompliant +Critical +Hikvision +mac_address,installed_on", table);
        Assert.Contains(":2: warning: HO-CAM-7: mac_address '4.419E+11' is a number in scientific notation", tableErrors);
        Assert.Contains(":2: warning: HO-CAM-7: installed_on '24/11/2022' read as 2022-11-24", tableErrors);

        using var document = JsonDocument.Parse(json);
        var result = document.RootElement.GetProperty("results")[0];
        Assert.Equal(("NonCompliant", "Critical"), (result.GetProperty("status").GetString(), result.GetProperty("severity").GetString()));
        var warnings = result.GetProperty("warnings").EnumerateArray().ToArray();
        Assert.Equal(("mac_address", "4.419E+11", true), (warnings[0].GetProperty("column").GetString(), warnings[0].GetProperty("value").GetString(), warnings[0].GetProperty("unread").GetBoolean()));
        Assert.Equal(("installed_on", false), (warnings[1].GetProperty("column").GetString(), warnings[1].GetProperty("unread").GetBoolean()));
        Assert.DoesNotContain(result.GetProperty("evidence").EnumerateArray(), e => e.GetProperty("kind").GetString() == "macAddress");

        var csvLine = csv.Split('\n').Single(l => l.StartsWith("2,HO-CAM-7,", StringComparison.Ordinal));
        Assert.Contains(",NonCompliant,Critical,", csvLine);
        Assert.Contains("mac_address '4.419E+11' is a number in scientific notation", csvLine);
    }

    [Fact]
    public async Task An_hpe_mac_identifies_a_relabelled_camera_and_an_asset_id_with_a_slash_is_still_reported()
    {
        var (exit, output, errors) = await CheckAsync(Lines(Header, Camera("HO/CAM/9", manufacturer: "Secure View", model: "SV-100", mac: "bcad-284f-1102")), "json");

        Assert.Equal(CheckCommand.ExitNonCompliant, exit);
        using var document = JsonDocument.Parse(output);
        var result = document.RootElement.GetProperty("results")[0];
        Assert.Equal("HO/CAM/9", result.GetProperty("assetId").GetString());
        Assert.Equal("hikvision", result.GetProperty("vendor").GetProperty("key").GetString());
        Assert.Equal("asset_id", Assert.Single(result.GetProperty("warnings").EnumerateArray()).GetProperty("column").GetString());
        Assert.Contains("asset_id 'HO/CAM/9' contains '/'", errors);
    }

    // Exit codes: precedence 1 > 2 > 3 > 0.

    [Fact]
    public async Task Exit_codes_follow_the_documented_precedence()
    {
        var nonCompliant = Camera("HO-1");
        var unreadable = "HO-2,HO,Hikvision";
        var needsReview = Camera("HO-3", sensitive: "");
        var warned = Axis("HO-4", installed: "10/01/2022");
        var clean = Axis("HO-5");

        Assert.Equal(CheckCommand.ExitError, (await CheckAsync(Lines(Header, nonCompliant, unreadable, needsReview))).Exit);
        Assert.Equal(CheckCommand.ExitNonCompliant, (await CheckAsync(Lines(Header, nonCompliant, needsReview, warned))).Exit);
        Assert.Equal(CheckCommand.ExitNeedsReview, (await CheckAsync(Lines(Header, needsReview, clean))).Exit);
        Assert.Equal(CheckCommand.ExitNeedsReview, (await CheckAsync(Lines(Header, warned, clean))).Exit);
        Assert.Equal(CheckCommand.ExitClean, (await CheckAsync(Lines(Header, clean))).Exit);
    }

    [Theory]
    [InlineData("", "is empty")]
    [InlineData(Header + "\n", "no rows")]
    [InlineData("Owner,Department,Make\nHO-1,HO,Hikvision\n", "no column is read as asset_id")]
    [InlineData(Header + ",model\n", "'model' names 2 columns")]
    [InlineData("HO-1,HO,Hikvision\nHO-2,HO,Dahua\n", "Found 3 columns: HO-1, HO, Hikvision")]
    [InlineData(Header + "\nHO-1,HO,Hikvision\nHO-2,HO\n", "has 3 fields")]
    public async Task Files_and_rows_that_cannot_be_read_never_exit_0(string content, string expected)
    {
        foreach (var format in new[] { "table", "json", "csv" })
        {
            var (exit, _, errors) = await CheckAsync(content, format);

            Assert.Equal(CheckCommand.ExitError, exit);
            Assert.Contains(expected, errors);
        }
    }

    [Theory]
    [InlineData(".json")]
    [InlineData(".jsonl")]
    public async Task A_json_array_file_is_a_clear_error(string extension)
    {
        var line = File.ReadLines(Path.Combine(RepositoryPaths.Root, "samples", "asset-events.jsonl")).First();
        var (exit, output, errors) = await CheckAsync($"[\n  {line},\n  {line}\n]\n", "json", extension);

        Assert.Equal(CheckCommand.ExitError, exit);
        Assert.Contains("is a JSON array; check reads JSON Lines", errors);
        using var document = JsonDocument.Parse(output);
        Assert.Equal(0, document.RootElement.GetProperty("summary").GetProperty("devices").GetInt32());
    }

    [Fact]
    public async Task A_damaged_workbook_is_named_as_one()
    {
        var (exit, _, errors) = await CheckAsync([0x50, 0x4B, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00], extension: ".xlsx");

        Assert.Equal(CheckCommand.ExitError, exit);
        Assert.Contains("Excel workbook", errors);
        Assert.Contains("could not be opened", errors);
    }

    [Fact]
    public async Task Random_bytes_exit_1_in_every_format()
    {
        var random = new Random(13);
        foreach (var format in new[] { "table", "json", "csv" })
        {
            var bytes = new byte[5_000];
            random.NextBytes(bytes);
            Assert.Equal(CheckCommand.ExitError, (await CheckAsync(bytes, format)).Exit);
            Assert.Equal(CheckCommand.ExitError, (await CheckAsync(bytes.Select(b => (byte)(0x20 + (b % 0x5F))).ToArray(), format)).Exit);
        }
    }

    [Fact]
    public async Task Rows_not_read_are_lines_of_the_csv_report_too()
    {
        var (_, output, _) = await CheckAsync(Lines(Header, Camera("HO-1"), "HO-2,HO,Hikvision"), "csv");

        Assert.Contains("3,,,NotRead,,,,,,,\"has 3 fields, the header has 13; the cells cannot be matched to columns\",", output);
    }

    [Fact]
    public async Task A_json_line_the_parser_throws_on_is_one_bad_row()
    {
        var line = File.ReadLines(Path.Combine(RepositoryPaths.Root, "samples", "asset-events.jsonl")).First();
        var surrogate = line.Replace("\"DS-2CD2143G2-I\"", "\"\\ud800\"", StringComparison.Ordinal);
        var (exit, output, _) = await CheckAsync(Lines(line, surrogate, line.Replace("HO-CAM-0001", "HO-CAM-0777", StringComparison.Ordinal)), "table", ".jsonl");

        Assert.True(exit is CheckCommand.ExitError or CheckCommand.ExitNonCompliant, $"exit {exit}");
        Assert.Contains("HO-CAM-0777", output);
    }

    [Fact]
    public void Missing_inputs_and_output_folders_are_clear_errors()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}");

        Assert.Contains("does not exist", CommandFiles.InputProblem(Path.Combine(folder, "register.csv")));
        Assert.Contains("is a folder", CommandFiles.InputProblem(Path.GetTempPath()));
        Assert.Null(CommandFiles.InputProblem(Register));
        Assert.Contains($"the folder '{folder}' does not exist", CommandFiles.OutputProblem(Path.Combine(folder, "report.json"), Register));
        Assert.Contains("is the register itself", CommandFiles.OutputProblem(Register, Register));
        Assert.Contains("is a folder", CommandFiles.OutputProblem(Path.GetTempPath(), Register));
        Assert.Null(CommandFiles.OutputProblem(Path.Combine(Path.GetTempPath(), "report.json"), Register));
    }

    [Fact]
    public async Task Control_characters_from_the_register_are_shown_not_obeyed_on_a_terminal()
    {
        // ESC [2J clears the screen; U+202E reverses the line as displayed.
        var (_, table, errors) = await CheckAsync(Lines(Header, Camera("HO-\u001b[2J", mac: "\u202E20:11:fe"), "HO-2\u001b[8m,HO"));
        var (_, json, _) = await CheckAsync(Lines(Header, Camera("HO-\u001b[2J")), "json");

        Assert.DoesNotContain('\u001b', table + errors);
        Assert.DoesNotContain('\u202E', table + errors);
        Assert.Contains("HO-\\u001B[2J", table);
        Assert.Contains("mac_address '\\u202E20:11:fe'", errors);
        using var document = JsonDocument.Parse(json);
        Assert.Equal("HO-\u001b[2J", document.RootElement.GetProperty("results")[0].GetProperty("assetId").GetString());
    }

    [Fact]
    public async Task Output_into_a_missing_folder_is_an_error_message_not_an_exception()
    {
        var errors = new StringWriter();
        var report = Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}", "report.json");

        var exit = await CheckCommand.ExecuteAsync(Register, "json", report, errors, CancellationToken.None);

        Assert.Equal(CheckCommand.ExitError, exit);
        Assert.StartsWith("error: --output", errors.ToString());
        Assert.False(File.Exists(report));
    }

    [Fact]
    public async Task Csv_content_in_a_jsonl_file_is_read_as_csv()
    {
        // The content decides, not the extension: a CSV saved as .jsonl is the register it holds.
        var (exit, output, errors) = await CheckAsync(Lines(Header, Camera("HO-1")), "table", ".jsonl");

        Assert.Equal(CheckCommand.ExitNonCompliant, exit);
        Assert.Contains("HO-1", output);
        Assert.DoesNotMatch(@"\.jsonl:\d+: ", errors);
    }

    [Fact]
    public async Task A_header_column_named_with_escape_sequences_is_shown_not_obeyed_in_the_warnings_column()
    {
        // A stray quote in an ignored column is a warning under that column's name, which comes from the header.
        var (_, table, errors) = await CheckAsync(Lines(Header + ",note\u001b[2J", Camera("HO-1") + ",see \"ticket"));

        Assert.DoesNotContain('\u001b', table + errors);
        Assert.Contains("note\\u001B[2j", table); // header names are read ignoring case, so shown lower-cased
    }

    [Fact]
    public async Task A_stated_sensitivity_without_a_site_id_is_used()
    {
        var (exit, table, errors) = await CheckAsync(Lines(Header, "HO-1,HO,Hikvision,DS-2CD2143G2-I,S-1,,camera,,,Yes,segregated,2023-01-01,in-service"));

        Assert.Equal(CheckCommand.ExitNonCompliant, exit);
        Assert.Contains("NonCompliant", table);
        Assert.Contains("read without an id", errors);
        Assert.DoesNotContain("push refuses", errors);
    }

    [Fact]
    public async Task A_row_in_service_without_any_site_is_not_clean()
    {
        var (exit, table, errors) = await CheckAsync(Lines(Header, "HO-1,HO,Axis,P3265-LVE,S-1,,camera,,,,segregated,2023-01-01,in-service"));

        Assert.Equal(CheckCommand.ExitNeedsReview, exit);
        Assert.Contains("site_id", table);
        Assert.Contains("push refuses the row", errors);
    }

    [Fact]
    public async Task The_help_documents_the_exit_codes()
    {
        var help = new StringWriter();
        var root = new System.CommandLine.RootCommand { CheckCommand.Create() };
        await root.Parse(["check", "--help"]).InvokeAsync(new System.CommandLine.InvocationConfiguration { Output = help });

        Assert.Contains("Exit codes", help.ToString());
        Assert.Contains("not fully read", help.ToString());
    }

    [Fact]
    public async Task A_json_lines_file_with_a_bom_and_a_lone_surrogate_line_reports_the_line_and_checks_the_others()
    {
        var path = Path.GetTempFileName() + ".jsonl";
        var poison = TestEvents.Upsert("HO", "CAM-2", 1).Replace("\"manufacturer\":\"Hikvision\"", "\"manufacturer\":\"Hikvision\",\"model\":\"\\ud800\"", StringComparison.Ordinal);
        await File.WriteAllBytesAsync(path, [0xEF, 0xBB, 0xBF, .. System.Text.Encoding.UTF8.GetBytes(TestEvents.Upsert("HO", "CAM-1", 1) + "\n" + poison + "\n")]);
        try
        {
            var (exit, output, errors) = await RunAsync(path, "table");

            // A line not read wins over the verdict (exit 1), and CAM-1, a Hikvision camera at a sensitive site, is still listed.
            Assert.Equal(CheckCommand.ExitError, exit);
            Assert.Contains("CAM-1", output);
            Assert.Contains("NonCompliant", output);
            Assert.Contains(":2: $.data.model: text is not valid Unicode", errors);
        }
        finally
        {
            File.Delete(path);
        }
    }

    // The second review (issue 13).

    [Theory]
    [InlineData(Header + ",,,,,", "AX2,DFE,Axis,\"P3245-LVE,S1,,camera,S-1,Site,false,segregated,2023-04-01,in-service", "HIK-1,DFE,Hikvision,DS-2CD2143G2-I 4\",S1,,camera,S-1,Site,true,segregated,2023-04-01,in-service", "")]
    [InlineData(Header + ",notes,,,,,", "AX2,DFE,Axis,P3245-LVE,S1,,camera,S-1,Site,false,segregated,2023-04-01,in-service,\"see ticket", "HIK-1,DFE,Hikvision,DS-2CD2143G2-I,S1,,camera,S-1,Site,true,segregated,2023-04-01,in-service,4\"", ",ok")]
    [InlineData(Header + ",notes", "AX2,DFE,Axis,P3245-LVE,S1,,camera,S-1,Site,false,segregated,2023-04-01,in-service,\"see ticket", "HIK-1,DFE,Hikvision,DS-2CD2143G2-I,S1,,camera,S-1,Site,true,segregated,2023-04-01,in-service\",", ",ok")]
    public async Task A_row_swallowed_by_a_stray_quote_is_never_a_clean_exit_and_the_hikvision_camera_is_reported(string header, string bad, string swallowed, string pad)
    {
        var axis = "DFE,Axis,P3245-LVE,S1,,camera,S-1,Site,false,segregated,2023-04-01,in-service" + pad;
        var (exit, output, errors) = await CheckAsync(Lines(header, "AX1," + axis, bad, swallowed, "AX3," + axis), "json");

        Assert.Equal(CheckCommand.ExitError, exit);
        Assert.Contains(":3: the quoted field in", errors);
        using var json = JsonDocument.Parse(output);
        var hik = json.RootElement.GetProperty("results").EnumerateArray().Single(r => r.GetProperty("assetId").GetString() == "HIK-1");
        Assert.Equal(("NonCompliant", 4), (hik.GetProperty("status").GetString(), hik.GetProperty("line").GetInt32()));
        Assert.Equal(3, json.RootElement.GetProperty("errors")[0].GetProperty("line").GetInt32());
    }

    [Fact]
    public async Task Windows_1252_ids_are_read_as_written_and_told_apart()
    {
        // /tmp/break2/cpid.csv: CAM-é and CAM-è in Windows-1252 both decoded to CAM-U+FFFD when read as UTF-8; the
        // file is now detected as Windows-1252, so they are two assets, read as written.
        var bytes = Encoding.UTF8.GetBytes(Lines(Header, Axis("CAM-@"), Axis("CAM-#"))).Select(b => b == (byte)'@' ? (byte)0xE9 : b == (byte)'#' ? (byte)0xE8 : b).ToArray();

        var (exit, output, errors) = await CheckAsync(bytes, "json");

        Assert.Equal(CheckCommand.ExitClean, exit);
        Assert.DoesNotContain("U+FFFD", errors);
        using var json = JsonDocument.Parse(output);
        Assert.Equal(["CAM-\u00E9", "CAM-\u00E8"], json.RootElement.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("assetId").GetString()));
        Assert.Contains("Windows-1252", json.RootElement.GetProperty("summary").GetProperty("readAs").GetString());
    }

    [Fact]
    public async Task A_60_row_file_of_near_limit_manufacturer_cells_is_checked_and_held_for_review()
    {
        // Name matching costs more than linear time in a cell's length: unbounded, this took over ten minutes.
        var rows = Enumerable.Range(0, 60).Select(i => $"AX{i},HO,Axis {new string('x', 950_000)},P3245-LVE,S{i},,camera,HO-SITE,Site,false,segregated,,in-service");

        var (exit, output, errors) = await CheckAsync(Lines([Header, .. rows]));

        Assert.Equal(CheckCommand.ExitNeedsReview, exit);
        Assert.Contains("60 devices: 60 NeedsReview; 60 with warnings; 0 rows not readable", output);
        Assert.Contains("over the 256 the event contract holds: not read; push sends it as unread", errors);
    }

    [Fact]
    public async Task A_read_that_fails_part_way_reports_every_row_read_before_it_and_lists_the_reason()
    {
        var content = Encoding.UTF8.GetBytes(Lines([Header, .. Enumerable.Range(0, 4000).Select(i => Camera($"HO-{i}"))]));
        var output = new MemoryStream();
        var errors = new StringWriter();

        var exit = await CheckCommand.RunAsync(new FailingStream(content, failAfter: content.Length / 2), "register.csv", "json", output, errors, indented: false, CancellationToken.None);

        Assert.Equal(CheckCommand.ExitError, exit);
        using var json = JsonDocument.Parse(output.ToArray());
        // Every row whose line ended before the failure is reported (before the fix, up to 511 of them were lost).
        var read = json.RootElement.GetProperty("results").GetArrayLength();
        // (The last line read may wait for the byte after its break, which CR LF needs.)
        var complete = content.AsSpan(0, content.Length / 2).Count((byte)'\n') - 1;
        Assert.InRange(read, complete - 1, complete);
        Assert.Equal(Enumerable.Range(2, read), json.RootElement.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("line").GetInt32()));
        var listed = json.RootElement.GetProperty("errors").EnumerateArray().Single();
        Assert.Equal(0, listed.GetProperty("line").GetInt32());
        Assert.Contains($"reading stopped after {read} rows", listed.GetProperty("errors")[0].GetString());
        Assert.Contains("the disk went away", listed.GetProperty("errors")[0].GetString());
        Assert.Contains("reading stopped after", errors.ToString());
    }

    [Theory]
    [InlineData("symbolic")]
    [InlineData("hard")]
    public async Task Output_through_a_link_to_the_register_is_refused_and_the_register_is_kept(string kind)
    {
        var folder = Directory.CreateTempSubdirectory("check-link-").FullName;
        try
        {
            var register = Path.Combine(folder, "reg.csv");
            var link = Path.Combine(folder, "link.csv");
            await File.WriteAllTextAsync(register, Lines(Header, Camera("HO-1")));
            if (kind == "symbolic")
            {
                File.CreateSymbolicLink(link, "reg.csv");
            }
            else
            {
                using var ln = System.Diagnostics.Process.Start("ln", [register, link]);
                await ln.WaitForExitAsync();
                Assert.Equal(0, ln.ExitCode);
            }

            var errors = new StringWriter();
            var exit = await CheckCommand.ExecuteAsync(register, "json", link, errors, CancellationToken.None);

            Assert.Equal(CheckCommand.ExitError, exit);
            Assert.StartsWith("error: --output", errors.ToString());
            Assert.Equal(Lines(Header, Camera("HO-1")), await File.ReadAllTextAsync(register));

            // A link to the register through a linked folder is the register too.
            var linkedFolder = Path.Combine(folder, "linked");
            Directory.CreateSymbolicLink(linkedFolder, folder);
            Assert.Contains("is a link to the register", CommandFiles.OutputProblem(Path.Combine(linkedFolder, "reg.csv"), register));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task A_register_that_cannot_be_read_leaves_an_existing_report_as_it_is()
    {
        var report = Path.GetTempFileName();
        await File.WriteAllTextAsync(report, "last week's report");
        var fifo = Path.Combine(Path.GetTempPath(), $"fifo-{Guid.NewGuid():N}");
        try
        {
            var errors = new StringWriter();
            Assert.Equal(CheckCommand.ExitError, await CheckCommand.ExecuteAsync(Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}.csv"), "json", report, errors, CancellationToken.None));
            Assert.Equal("last week's report", await File.ReadAllTextAsync(report));

            // A report written over a good register replaces the old one whole.
            Assert.Equal(CheckCommand.ExitNonCompliant, await CheckCommand.ExecuteAsync(Register, "json", report, errors, CancellationToken.None));
            using var json = JsonDocument.Parse(await File.ReadAllTextAsync(report));
            Assert.Equal(7, json.RootElement.GetProperty("results").GetArrayLength());
        }
        finally
        {
            File.Delete(report);
        }
    }

    /// <summary>A seekable register whose reads fail past a byte offset, as a disk or a network share that goes away.</summary>
    private sealed class FailingStream(byte[] content, int failAfter) : MemoryStream(content, writable: false)
    {
        public override int Read(byte[] buffer, int offset, int count) => Position >= failAfter ? throw new IOException("the disk went away") : base.Read(buffer, offset, Math.Min(count, failAfter - (int)Position));

        public override int Read(Span<byte> buffer) => Position >= failAfter ? throw new IOException("the disk went away") : base.Read(buffer[..Math.Min(buffer.Length, failAfter - (int)Position)]);
    }
}
