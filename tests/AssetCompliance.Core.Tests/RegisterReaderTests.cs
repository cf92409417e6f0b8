using System.Text;
using AssetCompliance.Core.Catalogue;
using AssetCompliance.Core.Events;
using AssetCompliance.Core.Policy;
using AssetCompliance.Core.Registers;

namespace AssetCompliance.Core.Tests;

/// <summary>
/// The register reader accounts for every row and cell: a malformed quote or an over-long record costs only its own
/// row, a file that is not a register is one clear error, and a cell not in the documented form is a warning on a
/// device that is still evaluated.
/// </summary>
public sealed class RegisterReaderTests
{
    private const string Header = "asset_id,department,manufacturer,model,serial_number,mac_address,device_type,site_id,site_name,site_sensitive,network_segment,installed_on,status";
    private static readonly DeviceIdentifier Identifier = new(VendorCatalogue.Default);
    private static readonly ComplianceEvaluator Evaluator = new(CompliancePolicy.Default);

    /// <summary>A Hikvision camera at a sensitive site, installed after the instruction: NonCompliant whatever else the row holds.</summary>
    private static string Camera(string id, string model = "DS-2CD2143G2-I", string mac = "", string installed = "2023-01-01", string sensitive = "true", string manufacturer = "Hikvision", string type = "camera") =>
        $"{id},HO,{manufacturer},{model},S-{id},{mac},{type},HO-SITE,Marsham Street,{sensitive},segregated,{installed},in-service";

    private static RegisterRow[] Csv(params string[] lines) => RegisterReader.ReadCsv(string.Join("\n", lines) + "\n").ToArray();

    private static RegisterRow[] File(byte[] bytes, string name) => RegisterReader.Read(new MemoryStream(bytes), name).ToArray();

    private static (ComplianceStatus Status, Severity? Severity) Verdict(RegisterRow row)
    {
        var (_, evaluation) = RegisterEvaluation.Evaluate(Identifier, Evaluator, row);
        return (evaluation.Status, evaluation.Severity);
    }

    private static string Errors(RegisterRow row) => string.Join("; ", row.Errors);

    // Malformed quotes: each costs its own row at most.

    [Fact]
    public void A_stray_quote_inside_a_field_is_read_as_typed_and_the_rows_after_it_are_all_read()
    {
        var rows = Csv(Header, Camera("HO-1", model: "DS-2CD2143G2-I 4\" dome"), Camera("HO-2"), Camera("HO-3"), Camera("HO-4"));

        Assert.Equal(4, rows.Length);
        Assert.All(rows, r => Assert.Empty(r.Errors));
        Assert.Equal("DS-2CD2143G2-I 4\" dome", rows[0].Device!.Model);
        Assert.Equal([2, 3, 4, 5], rows.Select(r => r.Line));
        Assert.All(rows, r => Assert.Equal((ComplianceStatus.NonCompliant, Severity.Critical), Verdict(r)));
    }

    [Theory]
    [InlineData("HO-1,HO,\"Hikvision,DS-2CD2143G2-I,S1,,camera,HO-SITE,Marsham Street,true,segregated,2023-01-01,in-service", "column 3 (manufacturer)")]
    [InlineData("HO-1,HO,Hikvision,DS-2CD2143G2-I,S1,,camera,HO-SITE,\"Marsham Street,true,segregated,2023-01-01,in-service", "column 9 (site_name)")]
    [InlineData("HO-1,HO,Hikvision,DS-2CD2143G2-I,S1,,camera,HO-SITE,Marsham Street,true,segregated,2023-01-01,\"in-service", "column 13 (status)")]
    public void A_quote_that_opens_a_field_and_never_closes_costs_only_its_line(string bad, string column)
    {
        var rows = Csv(Header, Camera("HO-0"), bad, Camera("HO-2"), Camera("HO-3", model: "DS-2CD2143G2-I 4\" dome"), Camera("HO-4"));

        var error = Assert.Single(rows, r => r.Device is null);
        Assert.Equal(3, error.Line);
        Assert.Contains(column, Errors(error));
        Assert.Contains("reading goes on at line 4", Errors(error));
        Assert.Equal(["HO-0", "HO-2", "HO-3", "HO-4"], rows.Where(r => r.Device is not null).Select(r => r.Device!.AssetId));
        Assert.Equal([2, 4, 5, 6], rows.Where(r => r.Device is not null).Select(r => r.Line));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void A_quote_closed_by_a_stray_one_in_the_same_column_of_a_later_row_does_not_swallow_the_rows_between(int between)
    {
        // The record would have the header's 13 fields, its model cell being the rows in between.
        var middle = Enumerable.Range(3, between).Select(i => Camera($"HO-{i}"));
        var rows = Csv([Header, Camera("HO-1", model: "\"DS-2CD2143G2-I"), .. middle, Camera("HO-9", model: "DS-2CD2143G2-I 4\"")]);

        Assert.Null(rows[0].Device);
        Assert.Equal(2, rows[0].Line);
        Assert.Equal([.. Enumerable.Range(3, between).Select(i => $"HO-{i}"), "HO-9"], rows.Skip(1).Select(r => r.Device!.AssetId));
        Assert.Equal("DS-2CD2143G2-I 4\"", rows[^1].Device!.Model);
    }

    [Fact]
    public void An_unclosed_quote_on_the_last_line_is_an_unreadable_row_not_a_silent_end()
    {
        var rows = Csv(Header, Camera("HO-1"), "HO-2,HO,\"Hikvision,DS-2CD2143G2-I,S2,,camera,HO-SITE,Marsham Street,true,segregated,2023-01-01,in-service");

        Assert.Equal(2, rows.Length);
        Assert.Equal("HO-1", rows[0].Device!.AssetId);
        Assert.Equal(3, rows[1].Line);
        Assert.Null(rows[1].Device);

        // A file whose only row is such a row has that one error, not a second one saying there are no rows.
        Assert.Equal(2, Assert.Single(Csv(Header, "HO-2,HO,\"Hikvision,DS-2CD2143G2-I", "", "")).Line);
        Assert.Equal(2, Assert.Single(Csv(Header, "HO-2,HO,\"Hikvision,DS-2CD2143G2-I")).Line);
    }

    [Fact]
    public void An_unclosed_quote_that_would_swallow_more_than_the_record_limit_costs_only_its_line()
    {
        var filler = Enumerable.Range(2, 3_000).Select(i => Camera($"HO-{i}", model: "DS-2CD2143G2-I " + new string('x', 400)));
        var rows = Csv([Header, "HO-1,HO,Hikvision,\"DS-2CD2143G2-I,S1,,camera,HO-SITE,Marsham Street,true,segregated,2023-01-01,in-service", .. filler]);

        var error = Assert.Single(rows, r => r.Device is null);
        Assert.Equal(2, error.Line);
        Assert.Equal(3_000, rows.Count(r => r.Device is not null));
        Assert.Equal(3, rows.First(r => r.Device is not null).Line);
    }

    [Fact]
    public void A_quoted_cell_that_really_spans_lines_is_one_cell_and_later_line_numbers_stay_right()
    {
        var rows = Csv(Header, "HO-1,HO,Hikvision,DS-2CD2143G2-I,S1,,camera,HO-SITE,\"Marsham Street\nLevel 2\",true,segregated,2023-01-01,in-service", "HO-2,HO,\"Axis, Communications\",P3245-LVE,S2,,camera,HO-SITE,Site,true,segregated,,in-service");

        Assert.All(rows, r => Assert.Empty(r.Errors));
        Assert.Equal("Marsham Street\nLevel 2", rows[0].Device!.Site!.Name);
        Assert.Equal("Axis, Communications", rows[1].Device!.Manufacturer);
        Assert.Equal([2, 4], rows.Select(r => r.Line));
    }

    [Fact]
    public void Text_after_a_closing_quote_is_read_with_a_warning_on_its_cell()
    {
        var row = Assert.Single(Csv(Header, "HO-1,HO,\"Axis\" Communications,P3245-LVE,S1,,camera,HO-SITE,Site,true,segregated,,in-service"));

        Assert.Equal("Axis Communications", row.Device!.Manufacturer);
        var warning = Assert.Single(row.Warnings);
        // The manufacturer feeds the verdict, and its value is not what RFC 4180 reads: uncertain, so unread.
        Assert.Equal(("manufacturer", true), (warning.Column, warning.Unread));
        Assert.Contains("closing quote", warning.Message);
    }

    [Fact]
    public void A_header_with_an_unclosed_quote_is_an_error_for_the_file()
    {
        var row = Assert.Single(Csv("asset_id,\"department,manufacturer", Camera("HO-1")));

        Assert.Null(row.Device);
        Assert.Contains("header", Errors(row));
    }

    [Fact]
    public void A_quote_dropped_anywhere_in_a_real_register_costs_at_most_its_own_row()
    {
        // The labelled register (quoted manufacturers with commas, blank cells) with one '"' put at a random place
        // of a random row, 300 times with a fixed seed: every other row is still read, with its own line number.
        var lines = System.IO.File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "data", "labelled-register.csv"));
        var random = new Random(1313);
        for (var trial = 0; trial < 300; trial++)
        {
            var mutated = lines.ToArray();
            var target = random.Next(1, lines.Length);
            var at = random.Next(0, mutated[target].Length + 1);
            mutated[target] = mutated[target].Insert(at, "\"");

            var rows = RegisterReader.ReadCsv(string.Join("\n", mutated)).ToArray();

            var read = rows.Where(r => r.Device is not null).ToDictionary(r => r.Line, r => r.Device!.AssetId);
            for (var i = 1; i < lines.Length; i++)
            {
                if (i != target)
                {
                    Assert.True(read.TryGetValue(i + 1, out var id) && id == lines[i].Split(',')[0], $"trial {trial}: line {i + 1} lost after a quote at {at} of line {target + 1}: {mutated[target]}");
                }
            }
        }
    }

    // Bounded memory: a record over the limit is one unreadable row.

    [Fact]
    public void A_line_over_the_record_limit_is_an_unreadable_row_with_its_number_and_the_next_line_is_read()
    {
        var rows = Csv(Header, Camera("HO-1"), new string('A', RegisterReader.MaxRecordBytes * 2), Camera("HO-3"));

        Assert.Equal(["HO-1", null, "HO-3"], rows.Select(r => r.Device?.AssetId));
        Assert.Equal([2, 3, 4], rows.Select(r => r.Line));
        Assert.Contains("longer than 1,048,576 bytes", Errors(rows[1]));
    }

    [Fact]
    public void A_json_line_over_the_record_limit_is_an_unreadable_row_and_the_next_line_is_read()
    {
        var good = System.IO.File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "samples", "asset-events.jsonl"))[0];
        var rows = File(Encoding.UTF8.GetBytes($"{good}\n{{\"id\": \"{new string('x', RegisterReader.MaxRecordBytes + 10)}\"}}\r\n{good}\n"), "events.jsonl");

        Assert.Equal([1, 2, 3], rows.Select(r => r.Line));
        Assert.NotNull(rows[0].Device);
        Assert.Contains("longer than", Errors(rows[1]));
        Assert.NotNull(rows[2].Device);
    }

    // Files that are not a register: one clear error for the whole file.

    [Theory]
    [InlineData("", "is empty")]
    [InlineData("\n\n  \n", "is empty")]
    [InlineData("[{\"specversion\": \"1.0\"}]", "JSON array")]
    [InlineData("  [\n  {\"specversion\": \"1.0\"}\n]", "JSON array")]
    [InlineData("{\n  \"specversion\": \"1.0\"\n}", "spread over lines")]
    public void Json_arrays_documents_and_empty_files_are_refused_with_what_they_are(string content, string expected)
    {
        foreach (var name in new[] { "register.json", "register.jsonl", "register.csv" })
        {
            var row = Assert.Single(File(Encoding.UTF8.GetBytes(content), name));
            Assert.Null(row.Device);
            Assert.Equal(0, row.Line);
            Assert.Contains(expected, Errors(row));
        }
    }

    [Theory]
    [InlineData("register.xlsx", new byte[] { 0x50, 0x4B, 0x03, 0x04, 0x14, 0x00 }, "Excel workbook")]
    [InlineData("register.csv", new byte[] { 0x50, 0x4B, 0x03, 0x04, 0x14, 0x00 }, "zip archive")]
    [InlineData("register.xls", new byte[] { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0x00 }, "Excel 97-2003")]
    [InlineData("register.csv", new byte[] { 0xFF, 0xFE, 0x00, 0x00, 0x61, 0x00, 0x00, 0x00 }, "UTF-32")]
    [InlineData("register.csv", new byte[] { 0x61, 0x00, 0x62, 0x0A }, "NUL bytes")]
    public void Workbooks_utf32_and_binary_files_are_refused_with_what_they_are(string name, byte[] content, string expected)
    {
        var row = Assert.Single(File(content, name));

        Assert.Null(row.Device);
        Assert.Contains(expected, Errors(row));
        Assert.Contains("CSV", Errors(row));
    }

    [Fact]
    public void Random_bytes_never_throw_and_never_read_as_a_register()
    {
        var random = new Random(20261201);
        for (var i = 0; i < 200; i++)
        {
            var bytes = new byte[random.Next(0, 4_000)];
            random.NextBytes(bytes);
            if (i % 2 == 0)
            {
                // Printable noise has no NUL bytes, so it gets past the binary check to the CSV reader.
                for (var j = 0; j < bytes.Length; j++) bytes[j] = (byte)(0x20 + (bytes[j] % 0x5F));
            }

            var rows = File(bytes, i % 3 == 0 ? "noise.jsonl" : "noise.csv");
            Assert.NotEmpty(rows);
            Assert.Contains(rows, r => r.Device is null);
        }
    }

    [Fact]
    public void A_header_that_does_not_match_says_what_is_missing_what_was_found_and_which_columns_collide()
    {
        var row = Assert.Single(Csv("Asset ID,Dept,Manufacturer,Model,Serial,MAC,Type,Site,Site name,Sensitive,Segment,Installed,Status,Asset Tag", Camera("HO-1") + ",T-1"));

        var error = Errors(row);
        Assert.Equal(1, row.Line);
        Assert.Contains("check cannot tell which to read", error);
        Assert.Contains("'Asset ID' (column 1) and 'Asset Tag' (column 14) are all read as asset_id", error);
        Assert.Contains("Found 14 columns: Asset ID, Dept, Manufacturer, Model, Serial, MAC, Type, Site, Site name", error);
    }

    [Fact]
    public void A_documented_column_named_twice_is_refused_and_blank_or_repeated_extra_columns_are_ignored()
    {
        var twice = Assert.Single(Csv(Header + ",model", Camera("HO-1") + ",X"));
        Assert.Contains("'model' names 2 columns (4, 14)", Errors(twice));

        var extras = Csv(Header + ",,notes,notes", Camera("HO-1") + ",x,a,b");
        Assert.Equal("HO-1", Assert.Single(extras).Device!.AssetId);

        // A blank name is no column: the field it would be is missing, which only the asset id may not be.
        var blank = Assert.Single(Csv(Header.Replace("asset_id", "", StringComparison.Ordinal), Camera("HO-1")));
        Assert.Contains("no column is read as asset_id", Errors(blank));
        Assert.Contains("(blank)", Errors(blank));
    }

    [Theory]
    [InlineData(';')]
    [InlineData('\t')]
    public void A_register_separated_by_something_else_is_detected_and_read(char separator)
    {
        var row = Assert.Single(Csv(Header.Replace(',', separator), Camera("HO-1").Replace(',', separator)));

        Assert.Equal("DS-2CD2143G2-I", row.Device!.Model);
    }

    [Fact]
    public void Windows_and_old_mac_line_ends_and_a_byte_order_mark_read_the_same()
    {
        foreach (var newline in new[] { "\r\n", "\r" })
        {
            var text = "\uFEFF" + string.Join(newline, Header, Camera("HO-1"), "HO-2,HO,\"Hikvision,DS-2CD2143G2-I", Camera("HO-3")) + newline;
            var rows = File(Encoding.UTF8.GetBytes(text), "register.csv");

            Assert.Equal(["HO-1", null, "HO-3"], rows.Select(r => r.Device?.AssetId));
            Assert.Equal([2, 3, 4], rows.Select(r => r.Line));
        }
    }

    [Fact]
    public void A_header_without_rows_an_excel_separator_hint_and_blank_rows_are_handled()
    {
        Assert.Contains("no rows", Errors(Assert.Single(Csv(Header))));
        Assert.Contains("no rows", Errors(Assert.Single(Csv(Header, ",,,,,,,,,,,,", " , ,,,,,,,,,,,"))));

        var rows = Csv("sep=,", Header, ",,,,,,,,,,,,", Camera("HO-1"), ",,,");
        Assert.Equal((4, "HO-1"), (Assert.Single(rows).Line, rows[0].Device!.AssetId));
    }

    [Fact]
    public void Trailing_empty_cells_padding_and_spaces_before_a_quote_still_line_up()
    {
        var rows = Csv(Header + ",,", Camera("HO-1"), Camera("HO-2") + ",,", Camera("HO-3") + ",,,,",
            "HO-4, HO, \"Axis, Communications\" , P3245-LVE,S4,,camera,HO-SITE,Site,true,segregated,,in-service");

        Assert.All(rows, r => Assert.Empty(r.Errors));
        Assert.Equal("Axis, Communications", rows[3].Device!.Manufacturer);
        Assert.Contains("has 14 fields", Errors(Assert.Single(Csv(Header, Camera("HO-1") + ",x"))));
        Assert.Contains("has 13 fields", Errors(Assert.Single(Csv(Header + ",notes", Camera("HO-1")))));
    }

    [Fact]
    public void A_row_with_the_wrong_number_of_fields_or_no_asset_id_is_unreadable_and_counted()
    {
        var rows = Csv(Header, Camera("HO-1") + ",extra", "HO-2,HO,Hikvision", Camera("").Replace("S-,", "S-0,", StringComparison.Ordinal), Camera("HO-4"));

        Assert.Contains("has 14 fields, the header has 13", Errors(rows[0]));
        Assert.Contains("has 3 fields", Errors(rows[1]));
        Assert.Contains("asset_id is blank", Errors(rows[2]));
        Assert.Equal("HO-4", rows[3].Device!.AssetId);
    }

    [Fact]
    public void A_json_line_the_parser_cannot_handle_is_one_unreadable_row()
    {
        var good = System.IO.File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "samples", "asset-events.jsonl"))[0];
        var surrogate = good.Replace("\"DS-2CD2143G2-I\"", "\"\\ud800\"", StringComparison.Ordinal);
        var rows = File(Encoding.UTF8.GetBytes($"\uFEFF{good}\n\n{surrogate}\nnot json\n{good}"), "events.jsonl");

        Assert.Equal([1, 3, 4, 5], rows.Select(r => r.Line));
        Assert.NotNull(rows[0].Device);
        Assert.Null(rows[2].Device);
        Assert.NotNull(rows[3].Device);
    }

    // Lenient cells: every cell that can be read is, and the rest are warnings.

    [Fact]
    public void A_uk_date_is_read_day_first_with_a_warning_and_the_camera_is_still_non_compliant()
    {
        var row = Assert.Single(Csv(Header, Camera("HO-1", installed: "24/11/2022")));

        Assert.Empty(row.Errors);
        Assert.Equal(new DateOnly(2022, 11, 24), row.Device!.InstalledOn);
        var warning = Assert.Single(row.Warnings);
        Assert.Equal(("installed_on", "24/11/2022", false), (warning.Column, warning.Value, warning.Unread));
        Assert.Contains("read as 2022-11-24, day/month/year", warning.Message);
        Assert.Equal((ComplianceStatus.NonCompliant, Severity.Critical), Verdict(row));
    }

    [Theory]
    [InlineData("24/11/2022", "2022-11-24", false, "day/month/year")]
    [InlineData("24.11.2022", "2022-11-24", false, "day/month/year")]
    [InlineData("5-11-2022", "2022-11-05", false, "ambiguous: in month/day order (US) it would be 2022-05-11")]
    [InlineData("01/12/2022", "2022-12-01", false, "ambiguous")]
    [InlineData("11/11/2022", "2022-11-11", false, "(the UK order)")]
    [InlineData("2022/11/24", "2022-11-24", false, "year/month/day")]
    [InlineData("2022-11-24 00:00:00", "2022-11-24", false, "time of day is ignored")]
    [InlineData("2022-11-24T23:30:00-05:00", "2022-11-24", false, "time of day is ignored")]
    [InlineData("24/11/2022 09:30", "2022-11-24", false, "the time of day is ignored")]
    [InlineData("24/11/2022 00:00:00", "2022-11-24", false, "day/month/year (the UK order); the time")]
    [InlineData("24 Nov 2022", "2022-11-24", false, "read as")]
    [InlineData("24-Nov-2022", "2022-11-24", false, "read as")]
    [InlineData("November 24, 2022", "2022-11-24", false, "read as")]
    [InlineData("11/24/2022", null, true, "only in month/day/year order")]
    [InlineData("31/02/2022", null, true, "not a valid date")]
    [InlineData("24/11/22", null, true, "two-digit year")]
    [InlineData("24/11/22 09:30", null, true, "two-digit year")]
    [InlineData("44889", null, true, "Excel date serial number (2022-11-24")]
    [InlineData("2022", null, true, "is a year")]
    [InlineData("last spring", null, true, "not a date")]
    [InlineData("2022-11-24 lunchtime", null, true, "not a date")]
    public void Date_cells_are_read_by_the_documented_rules(string text, string? expected, bool unread, string message)
    {
        var date = RegisterDates.Read(text, out var warning, out var wasUnread);

        Assert.Equal(expected, date?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(unread, wasUnread);
        Assert.Contains(message, warning);
    }

    [Fact]
    public void An_iso_date_has_no_warning()
    {
        Assert.Equal(new DateOnly(2022, 11, 24), RegisterDates.Read("2022-11-24", out var warning, out _));
        Assert.Null(warning);
    }

    [Fact]
    public void An_excel_mac_is_a_warning_with_no_mac_evidence_and_a_hikvision_camera_at_a_sensitive_site_is_still_non_compliant()
    {
        var row = Assert.Single(Csv(Header, Camera("HO-1", mac: "4.419E+11")));

        Assert.Null(row.Device!.MacAddress);
        var warning = Assert.Single(row.Warnings);
        Assert.Equal(("mac_address", "4.419E+11", true), (warning.Column, warning.Value, warning.Unread));
        Assert.Contains("scientific notation", warning.Message);
        Assert.Equal((ComplianceStatus.NonCompliant, Severity.Critical), Verdict(row));
    }

    [Theory]
    [InlineData("bcad-284f-1102")]
    [InlineData("BCAD:284F:1102")]
    [InlineData("BC AD 28 4F 11 02")]
    [InlineData("bcad28-4f1102")]
    public void A_mac_in_a_register_notation_is_evidence_and_is_kept_in_the_canonical_form(string mac)
    {
        // A relabelled camera: only the MAC block (BC:AD:28, Hikvision) says who made it.
        var row = Assert.Single(Csv(Header, Camera("HO-1", mac: mac, manufacturer: "Secure View", model: "SV-100")));

        Assert.Empty(row.Warnings);
        Assert.StartsWith("BC:AD:28:4F:11:0", row.Device!.MacAddress);
        Assert.Equal("hikvision", Identifier.Identify(row.Device.Manufacturer, row.Device.Model, row.Device.MacAddress).Vendor?.Key);
        Assert.Equal(ComplianceStatus.NonCompliant, Verdict(row).Status);
    }

    [Fact]
    public void An_asset_id_with_a_slash_is_evaluated_with_a_warning_naming_the_character()
    {
        var row = Assert.Single(Csv(Header, Camera("CAM/01")));

        Assert.Equal("CAM/01", row.Device!.AssetId);
        var warning = Assert.Single(row.Warnings);
        Assert.Equal("asset_id", warning.Column);
        Assert.Contains("contains '/'", warning.Message);
        Assert.Contains("push refuses the row", warning.Message);
        Assert.Equal(ComplianceStatus.NonCompliant, Verdict(row).Status);
    }

    [Theory]
    [InlineData(".", "'this folder'")]
    [InlineData("..", "'the folder above'")]
    public void An_asset_id_that_is_a_dot_segment_is_evaluated_with_a_warning_saying_why_push_refuses_it(string assetId, string reading)
    {
        var row = Assert.Single(Csv(Header, Camera(assetId)));

        Assert.Equal(assetId, row.Device!.AssetId);
        var warning = Assert.Single(row.Warnings);
        Assert.Equal("asset_id", warning.Column);
        Assert.Contains(reading, warning.Message);
        Assert.Contains("push refuses the row", warning.Message);
        Assert.Equal(ComplianceStatus.NonCompliant, Verdict(row).Status);
    }

    [Theory]
    [InlineData("CAM-1\u200B", "U+200B")]
    [InlineData("CAM\u00AD-1", "U+00AD")]
    [InlineData("\u202E1-MAC", "U+202E")]
    [InlineData("CAM-\u20601", "U+2060")]
    public void An_asset_id_with_an_invisible_character_is_reported_with_a_warning_and_push_refuses_it(string assetId, string named)
    {
        // 'CAM-1' with a zero-width space pasted in reads as CAM-1 but is another key: a sync would remove CAM-1.
        var rows = Csv(Header, Camera(assetId));
        var row = Assert.Single(rows);

        Assert.Equal(assetId, row.Device!.AssetId);
        var warning = Assert.Single(row.Warnings);
        Assert.Contains($"holds the invisible character {named}", warning.Message);
        Assert.Contains("push refuses the row", warning.Message);
        Assert.Equal(ComplianceStatus.NonCompliant, Verdict(row).Status);
        Assert.Contains("holds the invisible character", Assert.Single(RegisterEvents.From(rows, "HO", 1, DateTimeOffset.UnixEpoch).Errors).Reason);
    }

    [Theory]
    [InlineData("CAM#1", "'#'")]
    [InlineData("CAM?1", "'?'")]
    [InlineData("CAM\\1", "'\\'")]
    [InlineData("CAM|1", "'|'")]
    public void Every_character_storage_keys_forbid_is_named(string assetId, string named)
    {
        var row = Assert.Single(Csv(Header, Camera(assetId)));

        Assert.Contains($"contains {named}", Assert.Single(row.Warnings).Message);
    }

    [Fact]
    public void An_unreadable_sensitivity_is_unknown_and_never_compliant()
    {
        // An unidentified camera at a site of unknown sensitivity: the policy itself holds it for review.
        var row = Assert.Single(Csv(Header, Camera("HO-1", manufacturer: "Acme", model: "X1", sensitive: "TBC")));

        Assert.Null(row.Device!.Site!.Sensitive);
        Assert.True(Assert.Single(row.Warnings).Unread);
        var evaluation = RegisterEvaluation.Evaluate(Identifier, Evaluator, row).Evaluation;
        Assert.Equal(ComplianceStatus.NeedsReview, evaluation.Status);
        Assert.Equal("unidentified-surveillance-exposure-unknown", evaluation.Rule);

        // A camera of a trusted maker would be Compliant on the cells read; the unread cell holds that verdict back.
        var axis = Assert.Single(Csv(Header, Camera("HO-2", manufacturer: "Axis", model: "P3265-LVE", sensitive: "TBC")));
        var held = RegisterEvaluation.Evaluate(Identifier, Evaluator, axis).Evaluation;
        Assert.Equal(ComplianceStatus.NeedsReview, held.Status);
        Assert.Equal(RegisterEvaluation.UnreadCellsRule, held.Rule);
        Assert.Contains("site_sensitive could not be read", held.Reasons[^1]);
    }

    [Fact]
    public void An_unreadable_device_type_on_a_prc_device_is_not_left_as_advisory()
    {
        var row = Assert.Single(Csv(Header, Camera("HO-1", type: "webcam")));

        Assert.Null(row.Device!.DeviceType);
        Assert.Equal(ComplianceStatus.NeedsReview, Verdict(row).Status);
    }

    [Fact]
    public void Cells_read_by_a_named_rule_do_not_hold_a_compliant_verdict_back()
    {
        var row = Assert.Single(Csv(Header, Camera("HO-1", manufacturer: "Axis Communications", model: "P3245-LVE", installed: "24/11/2022")));

        Assert.Equal(ComplianceStatus.Compliant, Verdict(row).Status);
    }

    [Fact]
    public void Sensitivity_spellings_spreadsheets_use_are_read()
    {
        var rows = Csv(Header, Camera("HO-1", sensitive: "TRUE"), Camera("HO-2", sensitive: "1"), Camera("HO-3", sensitive: "No"), Camera("HO-4", sensitive: "0"));

        Assert.Equal([true, true, false, false], rows.Select(r => r.Device!.Site!.Sensitive));
        Assert.All(rows, r => Assert.Empty(r.Warnings));
    }

    [Fact]
    public void Bytes_that_are_not_utf8_are_read_as_windows_1252_or_with_utf8_given_a_warning_on_their_cell()
    {
        var bytes = Encoding.UTF8.GetBytes(Header + "\n" + Camera("HO-1", manufacturer: "Hikvisi@n")).Select(b => b == (byte)'@' ? (byte)0xF3 : b).ToArray();
        Assert.Equal("Hikvisi\u00F3n", Assert.Single(File(bytes, "register.csv")).Device!.Manufacturer);

        var row = Assert.Single(RegisterReader.Open(new MemoryStream(bytes), "register.csv", new RegisterReadOptions { Encoding = "utf-8" }).Rows);

        var warning = Assert.Single(row.Warnings);
        Assert.Equal(("manufacturer", true), (warning.Column, warning.Unread));
        Assert.Contains("not UTF-8", warning.Message);
    }

    [Theory]
    [InlineData("HO-SITE,Marsham Street,true")]
    [InlineData(",Marsham Street,true")]
    [InlineData(",,true")]
    [InlineData(",,Yes")]
    [InlineData(",,Sensitive")]
    public void A_blank_site_id_keeps_the_site_sensitivity(string site)
    {
        var row = Assert.Single(Csv(Header, Camera("HO-1").Replace("HO-SITE,Marsham Street,true", site, StringComparison.Ordinal)));

        Assert.True(row.Device!.Site!.Sensitive);
        Assert.Equal(site.StartsWith(',') ? null : "HO-SITE", row.Device.Site.Id);
        Assert.Equal(site.StartsWith(',') ? ["site_id"] : [], row.Warnings.Select(w => w.Column));
        Assert.Equal((ComplianceStatus.NonCompliant, Severity.Critical), Verdict(row)); // installed 2023, after the instruction
    }

    [Fact]
    public void A_blank_site_id_beside_a_stated_sensitivity_becomes_an_event_without_an_id()
    {
        var rows = Csv(Header, Camera("HO-1").Replace("HO-SITE,Marsham Street,true", ",,Y", StringComparison.Ordinal));

        var push = RegisterEvents.From(rows, "HO", 7, DateTimeOffset.Parse("2026-11-20T09:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

        Assert.Empty(push.Errors);
        var parsed = AssetEventParser.Parse(Assert.Single(push.Events).Body);
        Assert.True(parsed.IsValid, string.Join("; ", parsed.Errors));
        Assert.Equal(new Site(null, null, true), parsed.Event!.Device.Site);
    }

    [Fact]
    public void Push_sends_each_revision_of_an_event_file_once_and_refuses_a_second_content_under_one_revision()
    {
        var good = System.IO.File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "samples", "asset-events.jsonl"))[0];
        string Revision(long revision, string model = "DS-2CD2143G2-I")
        {
            var node = System.Text.Json.Nodes.JsonNode.Parse(good)!;
            node["id"] = $"e-{revision}-{model}";
            node["data"]!["revision"] = revision;
            node["data"]!["model"] = model;
            return node.ToJsonString();
        }

        // Lines 1-5: revision 5, then 3 (older, later in the file), 5 again exactly, 5 with another model, and 7.
        var rows = File(Encoding.UTF8.GetBytes(string.Join("\n", Revision(5), Revision(3), Revision(5), Revision(5, "DS-2CD2387G2-LU"), Revision(7)) + "\n"), "events.jsonl");

        var push = RegisterEvents.From(rows, "HO", 1, DateTimeOffset.Parse("2026-11-20T09:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal([1, 2, 5], push.Sent.Select(s => s.Line)); // each revision once, in file order: the pipeline keeps the highest
        var error = Assert.Single(push.Errors);
        Assert.Equal(4, error.Line);
        Assert.Contains("has revision 5 on line 1 too, with other content", error.Reason, StringComparison.Ordinal);

        // A register's rows have no revision of their own: a second row of one asset is still not sent.
        var csv = RegisterEvents.From(Csv(Header, Camera("HO-1"), Camera("HO-1", model: "DS-2CD2387G2-LU")), "HO", 7, DateTimeOffset.UnixEpoch);
        Assert.Equal("asset 'HO-1' appears more than once in the file (first on line 2)", Assert.Single(csv.Errors).Reason);
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("YES", true)]
    [InlineData("y", true)]
    [InlineData("1", true)]
    [InlineData("Sensitive", true)]
    [InlineData("sensitive site", true)]
    [InlineData("FALSE", false)]
    [InlineData("No", false)]
    [InlineData("n", false)]
    [InlineData("0", false)]
    [InlineData("Not sensitive", false)]
    [InlineData("Non-Sensitive", false)]
    [InlineData("non_sensitive", false)]
    [InlineData("NonSensitive", false)]
    public void Unambiguous_spellings_of_sensitivity_are_read(string text, bool expected)
    {
        Assert.Equal(expected, RegisterSiteValues.ReadSensitivity(text, out var problem));
        Assert.Null(problem);
    }

    [Theory]
    [InlineData("OFFICIAL-SENSITIVE", "government security classification")]
    [InlineData("Official", "government security classification")]
    [InlineData("SECRET", "government security classification")]
    [InlineData("maybe", "is not true, false")]
    [InlineData("x", "is not true, false")]
    [InlineData("partly", "is not true, false")]
    [InlineData("insensitive", "is not true, false")]
    public void Ambiguous_spellings_of_sensitivity_stay_unknown_with_a_warning(string text, string reason)
    {
        var row = Assert.Single(Csv(Header, Camera("HO-1", sensitive: text)));

        Assert.Null(row.Device!.Site!.Sensitive);
        var warning = Assert.Single(row.Warnings);
        Assert.Equal(("site_sensitive", true), (warning.Column, warning.Unread));
        Assert.Contains(reason, warning.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("core", NetworkSegment.Core)]
    [InlineData("Core network", NetworkSegment.Core)]
    [InlineData("SEGREGATED", NetworkSegment.Segregated)]
    [InlineData("segregated network", NetworkSegment.Segregated)]
    [InlineData("Stand-alone", NetworkSegment.Standalone)]
    [InlineData("stand alone", NetworkSegment.Standalone)]
    [InlineData("Standalone", NetworkSegment.Standalone)]
    public void Unambiguous_spellings_of_the_network_segment_are_read(string text, NetworkSegment expected)
    {
        var row = Assert.Single(Csv(Header, Camera("HO-1").Replace(",segregated,", $",{text},", StringComparison.Ordinal)));

        Assert.Equal(expected, row.Device!.NetworkSegment);
        Assert.Empty(row.Warnings);
    }

    [Theory]
    [InlineData("dmz")]
    [InlineData("corporate")]
    [InlineData("isolated")]
    [InlineData("OT")]
    public void Ambiguous_network_segments_stay_unknown_with_a_warning(string text)
    {
        var row = Assert.Single(Csv(Header, Camera("HO-1").Replace(",segregated,", $",{text},", StringComparison.Ordinal)));

        Assert.Null(row.Device!.NetworkSegment);
        Assert.Equal(("network_segment", true), (Assert.Single(row.Warnings).Column, Assert.Single(row.Warnings).Unread));
    }
}
