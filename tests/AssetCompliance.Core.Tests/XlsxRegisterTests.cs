using AssetCompliance.Core.Catalogue;
using AssetCompliance.Core.Events;
using AssetCompliance.Core.Policy;
using AssetCompliance.Core.Registers;
using AssetCompliance.Testing;
using static AssetCompliance.Testing.XlsxWorkbook;

namespace AssetCompliance.Core.Tests;

/// <summary>
/// .xlsx registers: the sheet chosen, cells read as Excel shows them (typed dates, numbers, booleans, shared and
/// inline strings), then the same cell rules and warnings as a CSV row; a workbook that cannot be read is one clear
/// error for the whole file. Workbooks are generated here with the Open XML SDK (<see cref="XlsxWorkbook"/>).
/// </summary>
public sealed class XlsxRegisterTests
{
    private static readonly object?[] Header = [.. RegisterReader.CsvHeader];
    private static readonly DeviceIdentifier Identifier = new(VendorCatalogue.Default);
    private static readonly ComplianceEvaluator Evaluator = new(CompliancePolicy.Default);

    /// <summary>A Hikvision camera at a sensitive site installed after the instruction, its cells typed as Excel types them.</summary>
    private static object?[] Camera(string id, object? mac = null, object? installed = null, object? serial = null, object? sensitive = null) =>
        [id, "HO", "Hikvision", new Inline("DS-2CD2143G2-I"), serial ?? 12345678L, mac, "camera", "HO-SITE", "Marsham Street", sensitive ?? true, "segregated", installed ?? new DateTime(2023, 1, 1), "in-service"];

    private static RegisterRow[] Read(byte[] workbook, string? sheet = null, string name = "register.xlsx") =>
        RegisterReader.Open(new MemoryStream(workbook), name, new RegisterReadOptions { Sheet = sheet }).Rows.ToArray();

    private static string Errors(RegisterRow row) => string.Join("; ", row.Errors);

    private static ComplianceStatus Verdict(RegisterRow row) => RegisterEvaluation.Evaluate(Identifier, Evaluator, row).Item2.Status;

    [Fact]
    public void A_plain_register_is_read_with_each_typed_cell_as_excel_shows_it()
    {
        var rows = Read(new XlsxWorkbook().Sheet("Register", Header, Camera("CAM-1", mac: "44:19:B6:01:02:03"), Camera("CAM-2", sensitive: false)).ToBytes());

        Assert.Equal([2, 3], rows.Select(r => r.Line));
        var device = rows[0].Device!;
        Assert.Empty(rows[0].Warnings);
        Assert.Equal(("CAM-1", "HO", "Hikvision", "DS-2CD2143G2-I", "12345678"), (device.AssetId, device.Department, device.Manufacturer, device.Model, device.SerialNumber));
        Assert.Equal("44:19:B6:01:02:03", device.MacAddress);
        Assert.Equal(new DateOnly(2023, 1, 1), device.InstalledOn);
        Assert.Equal(new Site("HO-SITE", "Marsham Street", true), device.Site);
        Assert.False(rows[1].Device!.Site!.Sensitive);
        Assert.Equal(ComplianceStatus.NonCompliant, Verdict(rows[0]));
    }

    [Fact]
    public void A_workbook_header_in_other_names_is_read_by_the_synonyms_and_says_so_in_the_notes()
    {
        object?[] header = ["Asset Tag", "Dept", "Vendor", "Model No.", "Serial No.", "MAC Address", "Device Type", "Site Code", "Location", "Sensitive", "Network", "Install Date", "State"];
        var source = RegisterReader.Open(new MemoryStream(new XlsxWorkbook().Sheet("Cover", [new Inline("Camera estate, March 2023")]).Sheet("Estate", header, Camera("CAM-1")).ToBytes()), "estate.xlsx");

        var row = Assert.Single(source.Rows.ToArray());
        Assert.Equal("Excel workbook", source.ReadAs);
        Assert.Equal(("CAM-1", "Hikvision"), (row.Device!.AssetId, row.Device.Manufacturer));
        Assert.Equal(ComplianceStatus.NonCompliant, Verdict(row));
        Assert.Contains("sheet 'Estate' is read, its header on row 1", source.Notes);
        Assert.Contains("column 1 'Asset Tag' is read as asset_id", source.Notes);
        Assert.Equal(14, source.Notes.Count); // the sheet, and each of the 13 columns
    }

    [Fact]
    public void A_workbook_is_read_as_a_workbook_even_when_an_encoding_or_delimiter_is_given()
    {
        var options = new RegisterReadOptions { Encoding = "windows-1252", Delimiter = ';', Sheet = "register" };
        var source = RegisterReader.Open(new MemoryStream(new XlsxWorkbook().Sheet("Register", Header, Camera("CAM-1")).ToBytes()), "register.xlsx", options);

        Assert.Equal("CAM-1", Assert.Single(source.Rows.ToArray()).Device!.AssetId);
        Assert.Equal("Excel workbook, sheet 'register' (--sheet)", source.ReadAs);
    }

    [Fact]
    public void The_content_decides_so_a_workbook_named_csv_is_read_as_a_workbook()
    {
        var rows = Read(new XlsxWorkbook().Sheet("Register", Header, Camera("CAM-1")).ToBytes(), name: "register.csv");

        Assert.Equal("CAM-1", Assert.Single(rows).Device!.AssetId);
    }

    [Fact]
    public void Sheet_chooses_a_later_sheet_by_name_in_any_case()
    {
        var workbook = new XlsxWorkbook()
            .Sheet("Cameras", Header, Camera("CAM-1"))
            .Sheet("Door entry", Header, Camera("DOOR-1"), Camera("DOOR-2"))
            .ToBytes();

        Assert.Equal(["CAM-1"], Read(workbook, sheet: "cameras").Select(r => r.Device!.AssetId));
        Assert.Equal(["DOOR-1", "DOOR-2"], Read(workbook, sheet: "door ENTRY").Select(r => r.Device!.AssetId));
    }

    [Fact]
    public void A_workbook_whose_shared_strings_unpack_beyond_what_is_held_in_memory_is_not_read()
    {
        // A ZIP bomb: a few KiB that declare a shared-string table of gigabytes, which the reader would hold whole
        // (a 363 KiB workbook of 300 MB of strings took check to 686 MB). One clear error, nothing opened.
        var workbook = new XlsxWorkbook().Sheet("Register", Header, Camera("CAM-1")).ToBytes();
        DeclareUncompressedLength(workbook, "xl/sharedStrings.xml", 3_000_000_000);

        var row = Assert.Single(Read(workbook));

        Assert.Null(row.Device);
        Assert.Contains("part 'xl/sharedStrings.xml' unpacks to 2861 MiB", Errors(row));
        Assert.Contains("more than the 512 MiB check holds in memory: not read", Errors(row));
    }

    /// <summary>Sets the uncompressed size the ZIP central directory declares for <paramref name="part"/>.</summary>
    private static void DeclareUncompressedLength(byte[] zip, string part, uint length)
    {
        var name = System.Text.Encoding.ASCII.GetBytes(part);
        for (var at = 0; at + 46 <= zip.Length; at++)
        {
            if (zip.AsSpan(at, 4).SequenceEqual((byte[])[0x50, 0x4B, 0x01, 0x02])
                && System.Buffers.Binary.BinaryPrimitives.ReadUInt16LittleEndian(zip.AsSpan(at + 28)) == name.Length
                && zip.AsSpan(at + 46, name.Length).SequenceEqual(name))
            {
                System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(zip.AsSpan(at + 24), length);
                return;
            }
        }

        Assert.Fail($"no central directory entry for {part}");
    }

    [Fact]
    public void Without_sheet_a_later_sheet_that_holds_a_register_too_is_reported_as_not_read()
    {
        // A register kept one sheet per site: the devices of 'Site B' were dropped without a word, and a sync removed them.
        var workbook = new XlsxWorkbook()
            .Sheet("Site A", Header, Camera("CAM-1"))
            .Sheet("Notes", [new Inline("Asset list, see the other sheets")])
            .Sheet("Site B", [new Inline("Site B cameras")], [], Header, Camera("CAM-2"))
            .Sheet("Template", Header)
            .ToBytes();

        var rows = Read(workbook);

        Assert.Equal(["CAM-1"], rows.Where(r => r.Device is not null).Select(r => r.Device!.AssetId));
        var notRead = Assert.Single(rows, r => r.Device is null);
        Assert.Contains("sheet 'Site B' also holds a register (its header on row 3, rows below it) and is not read: only sheet 'Site A' is", Errors(notRead));
        // A sync of it removes nothing: a row was not read.
        var plan = RegisterSync.Plan(rows, "HO", [], 1, DateTimeOffset.UnixEpoch, new RegisterSyncOptions { Removals = true });
        Assert.Single(plan.Errors);
    }

    [Fact]
    public void A_sheet_not_in_the_workbook_is_an_error_naming_the_sheets_there_are()
    {
        var row = Assert.Single(Read(new XlsxWorkbook().Sheet("Cameras", Header, Camera("CAM-1")).Sheet("Notes", [new Inline("x")]).ToBytes(), sheet: "Doors"));

        Assert.Null(row.Device);
        Assert.Equal(0, row.Line);
        Assert.Contains("no sheet named 'Doors'; its sheets are 'Cameras', 'Notes'", Errors(row));
    }

    [Fact]
    public void Empty_sheets_before_the_register_are_passed_over()
    {
        var workbook = new XlsxWorkbook()
            .Sheet("Cover")
            .Sheet("Blank", [], [null, ""])
            .Sheet("Register", [], Header, Camera("CAM-1"))
            .ToBytes();

        var row = Assert.Single(Read(workbook));
        Assert.Equal(("CAM-1", 3), (row.Device!.AssetId, row.Line));
    }

    [Fact]
    public void A_workbook_whose_sheets_are_all_empty_is_not_read()
    {
        var row = Assert.Single(Read(new XlsxWorkbook().Sheet("Sheet1").Sheet("Sheet2", []).ToBytes()));

        Assert.Null(row.Device);
        Assert.Contains("whose sheets ('Sheet1', 'Sheet2') are all empty", Errors(row));
    }

    [Fact]
    public void Blank_rows_are_skipped_and_missing_cells_keep_the_columns_after_them_in_place()
    {
        var gap = Camera("CAM-2");
        gap[2] = null; // no manufacturer cell at all: the model must stay the model
        var workbook = new XlsxWorkbook().Sheet("Register", Header, Camera("CAM-1"), [], [null, null, ""], gap, Camera("CAM-3")).ToBytes();

        var rows = Read(workbook);

        Assert.Equal([(2, "CAM-1"), (5, "CAM-2"), (6, "CAM-3")], rows.Select(r => (r.Line, r.Device!.AssetId)));
        Assert.Null(rows[1].Device!.Manufacturer);
        Assert.Equal("DS-2CD2143G2-I", rows[1].Device!.Model);
        Assert.Equal(NetworkSegment.Segregated, rows[1].Device!.NetworkSegment);
    }

    [Fact]
    public void Columns_in_another_order_with_padding_cells_after_the_header_are_matched_by_name()
    {
        object?[] header = ["status", .. RegisterReader.CsvHeader.Where(c => c != "status"), null, "notes"];
        object?[] row = ["removed", "CAM-1", "HO", "Axis Communications", "P3245-LVE", "S1", null, "camera", "HO-SITE", "Marsham Street", true, "segregated", new DateTime(2022, 1, 10), null, "spare"];

        var read = Assert.Single(Read(new XlsxWorkbook().Sheet("Register", header, row).ToBytes()));

        Assert.Equal(("CAM-1", "Axis Communications", AssetEventKind.Removed), (read.Device!.AssetId, read.Device.Manufacturer, read.Kind));
    }

    [Fact]
    public void A_date_cell_is_an_iso_date_and_a_date_typed_as_text_goes_through_the_csv_rules()
    {
        var rows = Read(new XlsxWorkbook().Sheet("Register", Header, Camera("CAM-1", installed: new DateTime(2024, 2, 29)), Camera("CAM-2", installed: "13/03/2023")).ToBytes());

        Assert.Equal(new DateOnly(2024, 2, 29), rows[0].Device!.InstalledOn);
        Assert.Empty(rows[0].Warnings);
        // The text date is read by the same rule as in a CSV, with the same warning (a UK day-first date).
        var csv = Assert.Single(RegisterReader.ReadCsv(string.Join(",", RegisterReader.CsvHeader) + "\nCAM-2,HO,Hikvision,DS-2CD2143G2-I,12345678,,camera,HO-SITE,Marsham Street,true,segregated,13/03/2023,in-service\n"));
        Assert.Equal(csv.Device!.InstalledOn, rows[1].Device!.InstalledOn);
        Assert.Equal(csv.Warnings, rows[1].Warnings);
    }

    [Theory]
    [InlineData(123456789012L, "1.23457E+11")]
    [InlineData(441960000000L, "4.4196E+11")]
    [InlineData(1.23e11, "1.23E+11")]
    public void A_mac_excel_turned_into_a_number_is_warned_as_corrupted_and_the_device_kept_without_mac_evidence(double mac, string shown)
    {
        var row = Assert.Single(Read(new XlsxWorkbook().Sheet("Register", Header, Camera("CAM-1", mac: mac)).ToBytes()));

        Assert.NotNull(row.Device);
        Assert.Null(row.Device!.MacAddress);
        var warning = Assert.Single(row.Warnings);
        Assert.Equal(("mac_address", shown, true), (warning.Column, warning.Value, warning.Unread));
        Assert.Contains("scientific notation", warning.Message);
        Assert.Equal(ComplianceStatus.NonCompliant, Verdict(row));
    }

    [Fact]
    public void A_mac_written_as_text_in_scientific_form_is_warned_the_same_way()
    {
        var row = Assert.Single(Read(new XlsxWorkbook().Sheet("Register", Header, Camera("CAM-1", mac: "1.23E+11")).ToBytes()));

        Assert.Contains("scientific notation", Assert.Single(row.Warnings).Message);
    }

    [Theory]
    [InlineData(123456789012L, null, "123456789012")]
    [InlineData(12.5, null, "12.5")]
    [InlineData(12.5, 2u, "12.50")]
    [InlineData(1234567.0, 3u, "1,234,567")]
    public void Numbers_outside_the_mac_column_keep_their_digits_or_their_number_format(double value, uint? format, string shown)
    {
        var row = Assert.Single(Read(new XlsxWorkbook().Sheet("Register", Header, Camera("CAM-1", serial: format is { } id ? new Formatted(value, id) : value)).ToBytes()));

        Assert.Equal(shown, row.Device!.SerialNumber);
    }

    [Fact]
    public void A_boolean_false_cell_is_not_sensitive_and_text_yes_is_read_by_the_csv_rule()
    {
        var rows = Read(new XlsxWorkbook().Sheet("Register", Header, Camera("CAM-1", sensitive: false), Camera("CAM-2", sensitive: "yes")).ToBytes());

        Assert.Equal([false, true], rows.Select(r => r.Device!.Site!.Sensitive));
    }

    [Fact]
    public void A_sheet_whose_header_lacks_columns_is_not_read_and_says_which_sheet()
    {
        var row = Assert.Single(Read(new XlsxWorkbook().Sheet("Register", ["owner", "department"], ["CAM-1", "HO"]).ToBytes()));

        Assert.Null(row.Device);
        Assert.Contains("sheet 'Register'", Errors(row));
        Assert.Contains("no column is read as asset_id", Errors(row));
    }

    [Fact]
    public void Title_rows_above_the_header_are_passed_over_and_lines_stay_excel_rows()
    {
        var workbook = new XlsxWorkbook().Sheet("Register",
            ["Camera register, Home Office estate"], [new Inline("Exported 2026-11-30 by the contractor")], [], Header, Camera("CAM-1")).ToBytes();

        var row = Assert.Single(Read(workbook));
        Assert.Equal(("CAM-1", 5), (row.Device!.AssetId, row.Line));
    }

    [Fact]
    public void A_cover_or_instructions_sheet_before_the_register_is_passed_over()
    {
        var workbook = new XlsxWorkbook()
            .Sheet("Instructions", ["Fill in one row per device."], ["Do not rename the columns."])
            .Sheet("Register", Header, Camera("CAM-1"))
            .ToBytes();

        Assert.Equal(["CAM-1"], Read(workbook).Select(r => r.Device!.AssetId));
    }

    [Fact]
    public void When_no_sheet_has_a_register_header_the_first_sheets_problem_is_reported_with_the_sheets()
    {
        var workbook = new XlsxWorkbook()
            .Sheet("Instructions", ["Fill in one row per device."])
            .Sheet("Lookups", ["camera", "nvr"])
            .ToBytes();

        var row = Assert.Single(Read(workbook));

        Assert.Null(row.Device);
        Assert.Equal(1, row.Line);
        Assert.StartsWith("sheet 'Instructions': ", Errors(row));
        Assert.Contains("no sheet of 'Instructions', 'Lookups' has the register's header", Errors(row));
    }

    [Fact]
    public void A_sheet_named_with_sheet_that_is_empty_is_not_read()
    {
        var row = Assert.Single(Read(new XlsxWorkbook().Sheet("Register", Header, Camera("CAM-1")).Sheet("Spare").ToBytes(), sheet: "Spare"));

        Assert.Null(row.Device);
        Assert.Contains("sheet 'Spare' is empty", Errors(row));
    }

    [Fact]
    public void A_formula_error_cell_reads_as_empty_so_it_never_makes_a_device_compliant()
    {
        // ExcelDataReader 3.6 gives no error value, only null: the cell is unknown, as an empty cell is.
        object?[] lookedUp = ["CAM-1", "HO", new Failed("#N/A"), new Inline("DS-2CD2143G2-I"), 1L, new Failed("#REF!"), "camera", "HO-SITE", "Marsham Street", true, "segregated", new DateTime(2023, 1, 1), "in-service"];
        object?[] noId = [new Failed("#N/A"), .. lookedUp[1..]];

        var rows = Read(new XlsxWorkbook().Sheet("Register", Header, lookedUp, noId).ToBytes());

        Assert.Equal((null, null), (rows[0].Device!.Manufacturer, rows[0].Device!.MacAddress));
        Assert.NotEqual(ComplianceStatus.Compliant, Verdict(rows[0]));
        Assert.Null(rows[1].Device); // no asset id: the row is not read
    }

    [Fact]
    public void A_header_without_rows_is_nothing_to_check()
    {
        var row = Assert.Single(Read(new XlsxWorkbook().Sheet("Register", Header).ToBytes()));

        Assert.Null(row.Device);
        Assert.Contains("has a header but no rows", Errors(row));
    }

    [Fact]
    public void Asset_ids_met_again_across_rows_are_warned_as_in_a_csv()
    {
        var rows = Read(new XlsxWorkbook().Sheet("Register", Header, Camera("CAM-1"), Camera("CAM-1")).ToBytes());

        Assert.Contains("is also the asset on line 2", Assert.Single(rows[1].Warnings).Message);
    }

    public static TheoryData<string, byte[], string> Damaged()
    {
        var good = new XlsxWorkbook().Sheet("Register", Header, Camera("CAM-1")).ToBytes();
        var noise = new byte[4_000];
        new Random(15).NextBytes(noise);
        return new()
        {
            { "truncated.xlsx", good[..(good.Length / 2)], "damaged Excel workbook" },
            { "header-only.xlsx", [0x50, 0x4B, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00], "Excel workbook" },
            { "noise.xlsx", [0x50, 0x4B, 0x03, 0x04, .. noise], "Excel workbook" },
            { "encrypted.xlsx", [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0x00], "encrypted" },
            { "old.xls", [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0x00], "Excel 97-2003" },
        };
    }

    [Theory]
    [MemberData(nameof(Damaged))]
    public void A_workbook_that_cannot_be_read_is_one_clear_error_for_the_whole_file(string name, byte[] bytes, string expected)
    {
        var rows = Read(bytes, name: name);

        Assert.All(rows, r => Assert.Null(r.Device));
        Assert.Contains(expected, Errors(rows[0]));
        Assert.Contains("CSV", Errors(rows[0]));
    }

    [Fact]
    public void A_sheet_damaged_part_way_is_never_read_as_a_whole_register()
    {
        var rows = Enumerable.Range(1, 3_000).Select(i => Camera($"CAM-{i}", mac: $"44:19:B6:00:{i / 256:X2}:{i % 256:X2}")).Prepend(Header).ToArray();
        var damaged = DamageSheet(new XlsxWorkbook().Sheet("Register", rows).ToBytes());

        var read = Read(damaged);

        // ExcelDataReader measures a sheet without a <dimension> before its first row, so the damage is met on
        // opening (the whole file not read); a reader that met it later would report the rest as not read. Either
        // way an unreadable row says so, and check and push exit 1.
        var unread = Assert.Single(read, r => r.Device is null);
        Assert.Matches("damaged Excel workbook|not read", Errors(unread));
        Assert.True(read.Length < rows.Length);
    }

    /// <summary>The workbook with its sheet's XML cut in the middle (a damaged download), the ZIP itself still whole.</summary>
    private static byte[] DamageSheet(byte[] workbook)
    {
        using var stream = new MemoryStream();
        stream.Write(workbook);
        using (var zip = new System.IO.Compression.ZipArchive(stream, System.IO.Compression.ZipArchiveMode.Update, leaveOpen: true))
        {
            var entry = zip.Entries.First(e => e.FullName.Contains("worksheets/"));
            string xml;
            using (var reader = new StreamReader(entry.Open()))
            {
                xml = reader.ReadToEnd();
            }

            entry.Delete();
            using var writer = new StreamWriter(zip.CreateEntry("xl/worksheets/sheet1.xml").Open());
            writer.Write(xml[..(xml.Length / 2)] + "<c r=\"<<broken");
        }

        return stream.ToArray();
    }
}
