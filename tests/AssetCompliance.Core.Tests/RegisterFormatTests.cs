using System.Text;
using AssetCompliance.Core.Registers;

namespace AssetCompliance.Core.Tests;

/// <summary>
/// How a register file is read before its cells are: the delimiter detected from the header and first rows (quotes
/// respected), or given; a file two delimiters read equally well is refused, never read with a guess.
/// </summary>
public sealed class RegisterFormatTests
{
    private const string Header = "asset_id,department,manufacturer,model,serial_number,mac_address,device_type,site_id,site_name,site_sensitive,network_segment,installed_on,status";

    private static string Camera(string id, string site = "Marsham Street") =>
        $"{id},HO,Hikvision,DS-2CD2143G2-I,S-{id},,camera,HO-SITE,{site},true,segregated,2023-01-01,in-service";

    private static RegisterSource Open(string text, RegisterReadOptions? options = null) =>
        RegisterReader.Open(new MemoryStream(Encoding.UTF8.GetBytes(text)), "register.csv", options);

    private static string Lines(params string[] lines) => string.Join("\r\n", lines) + "\r\n";

    private static string Errors(IEnumerable<RegisterRow> rows) => string.Join("; ", rows.SelectMany(r => r.Errors));

    [Fact]
    public void The_issue_sample_a_semicolon_register_from_european_excel_is_read_and_says_so()
    {
        // European Excel: ';' between fields, a ',' inside a site name unquoted, CR LF line ends.
        var source = Open(Lines(Header.Replace(',', ';'), Camera("HO-1", "Marsham Street, London").Replace(',', ';').Replace("Street; London", "Street, London"), Camera("HO-2").Replace(',', ';')));
        var rows = source.Rows.ToArray();

        Assert.StartsWith("CSV, semicolon-delimited (detected), ", source.ReadAs);
        Assert.Equal(["HO-1", "HO-2"], rows.Select(r => r.Device?.AssetId));
        Assert.Equal("Marsham Street, London", rows[0].Device!.Site!.Name);
    }

    [Fact]
    public void The_issue_sample_a_tab_delimited_file_is_read()
    {
        var source = Open(Lines(Header.Replace(',', '\t'), Camera("HO-1").Replace(',', '\t')));

        Assert.StartsWith("CSV, tab-delimited (detected), ", source.ReadAs);
        Assert.Equal("S-HO-1", Assert.Single(source.Rows).Device!.SerialNumber);
    }

    [Fact]
    public void A_semicolon_inside_quotes_of_a_comma_file_does_not_make_it_a_semicolon_file()
    {
        var source = Open(Lines(Header, Camera("HO-1", "\"Site A; Site B\""), Camera("HO-2", "\"1; 2; 3\"")));

        Assert.StartsWith("CSV, comma-delimited (detected), ", source.ReadAs);
        Assert.Equal("Site A; Site B", source.Rows.First().Device!.Site!.Name);
    }

    [Fact]
    public void Commas_in_every_row_of_a_semicolon_file_lose_to_the_header_split()
    {
        // The header splits by both; only semicolons give every row the header's number of fields.
        var header = "asset_id;department;manufacturer;model;serial_number;mac_address;device_type;site_id;site_name;site_sensitive;network_segment;installed_on;status,notes";
        var row = Camera("HO-1").Replace(',', ';') + ",a,b,c";

        Assert.Equal(';', CsvDelimiter.Detect(Encoding.UTF8.GetBytes(Lines(header, row, row)), complete: true, out _, out var error));
        Assert.Null(error);
    }

    [Fact]
    public void A_file_two_delimiters_read_equally_well_is_refused_naming_both()
    {
        var text = Lines("a,b;c,d", "1,2;3,4", "5,6;7,8");

        Assert.Null(CsvDelimiter.Detect(Encoding.UTF8.GetBytes(text), complete: true, out _, out var error));
        Assert.Contains("comma (3 columns)", error);
        Assert.Contains("semicolon (2 columns)", error);
        Assert.Contains("--delimiter", error);

        var source = Open(text);
        Assert.Contains("cannot be told", Errors(source.Rows));
        Assert.All(source.Rows, r => Assert.Null(r.Device));
    }

    [Fact]
    public void A_ragged_comma_file_whose_header_has_a_semicolon_in_a_name_is_comma_delimited()
    {
        var text = Lines(Header + ",Model; Type", Camera("HO-1") + ",,,", Camera("HO-2"));

        Assert.Equal(',', CsvDelimiter.Detect(Encoding.UTF8.GetBytes(text), complete: true, out _, out var error));
        Assert.Null(error);
    }

    [Fact]
    public void A_header_alone_split_by_two_delimiters_is_refused()
    {
        Assert.Null(CsvDelimiter.Detect(Encoding.UTF8.GetBytes("a,b\tc\n"), complete: true, out _, out var error));
        Assert.Contains("no rows to tell them apart", error);
    }

    [Fact]
    public void An_excel_sep_line_names_the_delimiter_and_is_skipped()
    {
        var source = Open(Lines("sep=;", Header.Replace(',', ';'), Camera("HO-1").Replace(',', ';')));

        Assert.StartsWith("CSV, semicolon-delimited (its sep= line), ", source.ReadAs);
        Assert.Equal("HO-1", Assert.Single(source.Rows).Device!.AssetId);
        Assert.Contains("'|'", Errors(Open(Lines("sep=|", "a|b", "1|2")).Rows));
    }

    [Fact]
    public void A_given_delimiter_overrides_detection_and_a_wrong_one_says_which_it_seems_to_be()
    {
        var semicolons = Lines(Header.Replace(',', ';'), Camera("HO-1").Replace(',', ';'));

        var wrong = Open(semicolons, new RegisterReadOptions { Delimiter = ',' });
        Assert.StartsWith("CSV, comma-delimited (--delimiter), ", wrong.ReadAs);
        Assert.Contains("--delimiter semicolon", Errors(wrong.Rows));

        // Commas in an ignored first column make detection ambiguous; the given delimiter reads it.
        var ambiguous = Lines("notes,a,b;" + Header.Replace(',', ';'), "n,1,2;" + Camera("HO-1").Replace(',', ';'));
        Assert.Contains("cannot be told", Errors(Open(ambiguous).Rows));
        var right = Open(ambiguous, new RegisterReadOptions { Delimiter = ';' });
        Assert.Contains(right.Rows, r => r.Device?.AssetId == "HO-1");
    }

    [Fact]
    public void A_quoted_cell_over_lines_in_a_tab_file_is_one_cell()
    {
        var source = Open(Lines(Header.Replace(',', '\t'), Camera("HO-1", "\"Marsham\nStreet\"").Replace(',', '\t'), Camera("HO-2").Replace(',', '\t')));

        Assert.StartsWith("CSV, tab-delimited (detected), ", source.ReadAs);
        Assert.Equal(["HO-1", "HO-2"], source.Rows.Select(r => r.Device?.AssetId));
    }

    [Theory]
    [InlineData("comma", ',')]
    [InlineData(";", ';')]
    [InlineData("TAB", '\t')]
    [InlineData("pipe", null)]
    public void Delimiter_names_are_read(string text, char? expected) => Assert.Equal(expected, CsvDelimiter.Parse(text));

    // Encodings.

    private static RegisterSource OpenBytes(byte[] bytes, RegisterReadOptions? options = null) =>
        RegisterReader.Open(new MemoryStream(bytes), "register.csv", options);

    private static string Accented(string id) => Camera(id, "Caf\u00E9 de la Gare \u2013 S\u00E8vres");

    [Fact]
    public void The_issue_sample_a_windows_1252_register_is_detected_and_read_without_u_fffd()
    {
        var bytes = RegisterEncoding.Windows1252.GetBytes(Lines(Header, Accented("HO-1"), Camera("HO-2")));
        var source = OpenBytes(bytes);
        var rows = source.Rows.ToArray();

        Assert.Equal("CSV, comma-delimited (detected), Windows-1252 (detected: bytes that are not UTF-8)", source.ReadAs);
        Assert.Equal("Caf\u00E9 de la Gare \u2013 S\u00E8vres", rows[0].Device!.Site!.Name);
        Assert.Empty(rows[0].Warnings);
    }

    [Theory]
    [InlineData("utf-8-bom", "UTF-8 (byte-order mark)")]
    [InlineData("utf-8", "UTF-8 (detected)")]
    [InlineData("utf-16le-bom", "UTF-16 LE (byte-order mark)")]
    [InlineData("utf-16be-bom", "UTF-16 BE (byte-order mark)")]
    public void Utf8_and_utf16_with_a_mark_are_read_alike(string form, string readAs)
    {
        var text = Lines(Header.Replace(',', ';'), Accented("HO-1").Replace(',', ';'));
        var bytes = form switch
        {
            "utf-8-bom" => [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text)],
            "utf-8" => Encoding.UTF8.GetBytes(text),
            "utf-16le-bom" => [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(text)],
            _ => [.. Encoding.BigEndianUnicode.GetPreamble(), .. Encoding.BigEndianUnicode.GetBytes(text)],
        };
        var source = OpenBytes(bytes);
        var row = Assert.Single(source.Rows);

        Assert.Equal($"CSV, semicolon-delimited (detected), {readAs}", source.ReadAs);
        Assert.Equal("HO-1", row.Device!.AssetId);
        Assert.Equal("Caf\u00E9 de la Gare \u2013 S\u00E8vres", row.Device.Site!.Name);
        Assert.Empty(row.Warnings);
    }

    [Fact]
    public void A_file_mixing_utf8_and_other_bytes_is_refused_not_read_with_u_fffd()
    {
        byte[] bytes = [.. Encoding.UTF8.GetBytes(Lines(Header, Accented("HO-1"))), .. RegisterEncoding.Windows1252.GetBytes(Lines(Accented("HO-2")))];

        var row = Assert.Single(OpenBytes(bytes).Rows);

        Assert.Null(row.Device);
        Assert.Contains("both UTF-8 characters", Errors([row]));
        Assert.Contains("--encoding", Errors([row]));
    }

    [Fact]
    public void Bytes_windows_1252_leaves_undefined_are_refused()
    {
        var bytes = Encoding.ASCII.GetBytes(Lines(Header, Camera("HO-1", "Site @")));
        bytes[Array.IndexOf(bytes, (byte)'@')] = 0x81;

        Assert.Contains("stand for no character in Windows-1252", Errors(OpenBytes(bytes).Rows));
    }

    [Fact]
    public void A_non_utf8_byte_far_past_the_start_still_decides_the_encoding()
    {
        var rows = Enumerable.Range(0, 3000).Select(i => Camera($"HO-{i}")).Append(Accented("HO-LAST"));
        var source = OpenBytes(RegisterEncoding.Windows1252.GetBytes(Lines([Header, .. rows])));

        Assert.Contains("Windows-1252", source.ReadAs);
        Assert.Equal("Caf\u00E9 de la Gare \u2013 S\u00E8vres", source.Rows.Last().Device!.Site!.Name);
    }

    [Fact]
    public void Json_lines_are_utf8_by_the_contract_so_a_bad_byte_costs_its_line_not_the_file()
    {
        byte[] bytes = [.. "{\"a\":\""u8, 0xE9, .. "\"}\n{\"b\":1}\n"u8];
        var source = OpenBytes(bytes);

        Assert.Equal("JSON Lines of events, UTF-8", source.ReadAs);
        Assert.Equal([1, 2], source.Rows.Select(r => r.Line));
    }

    [Fact]
    public void A_given_encoding_overrides_detection()
    {
        var bytes = RegisterEncoding.Windows1252.GetBytes(Lines(Header, Accented("HO-1")));

        var asUtf8 = OpenBytes(bytes, new RegisterReadOptions { Encoding = "utf-8" });
        Assert.Equal("CSV, comma-delimited (detected), UTF-8 (--encoding)", asUtf8.ReadAs);
        Assert.Contains(Assert.Single(asUtf8.Rows).Warnings, w => w.Message.Contains("U+FFFD", StringComparison.Ordinal));

        Assert.Contains("is not one of", Errors(OpenBytes(bytes, new RegisterReadOptions { Encoding = "ebcdic" }).Rows));
    }

    // Header names.

    [Fact]
    public void The_issue_sample_a_title_case_header_with_spaces_is_read_and_each_name_read_as_a_field_is_noted()
    {
        var header = "Asset ID,Department,Manufacturer,Model,Serial Number,MAC Address,Device Type,Site ID,Site Name,Site Sensitive,Network Segment,Installed On,Status";
        var source = Open(Lines(header, Camera("HO-1")));
        var row = Assert.Single(source.Rows);

        Assert.Equal(("HO-1", "S-HO-1", "Marsham Street"), (row.Device!.AssetId, row.Device.SerialNumber, row.Device.Site!.Name));
        Assert.Contains("column 1 'Asset ID' is read as asset_id", source.Notes);
        Assert.Contains("column 12 'Installed On' is read as installed_on", source.Notes);
        Assert.DoesNotContain(source.Notes, n => n.Contains("'Department'", StringComparison.Ordinal)); // the documented name, in another case
    }

    [Theory]
    [InlineData("asset-id", "asset_id")]
    [InlineData("ASSET_ID", "asset_id")]
    [InlineData("Asset Tag", "asset_id")]
    [InlineData("Serial No.", "serial_number")]
    [InlineData("serial number", "serial_number")]
    [InlineData("MAC Address", "mac_address")]
    [InlineData("Vendor", "manufacturer")]
    [InlineData("Make", "manufacturer")]
    [InlineData("Manufacturer Name", "manufacturer")]
    [InlineData("Model No.", "model")]
    [InlineData("Model Number", "model")]
    [InlineData("Location", "site_name")]
    [InlineData("Site", "site_name")]
    [InlineData("Site Code", "site_id")]
    [InlineData("Device Type", "device_type")]
    [InlineData("Category", "device_type")]
    [InlineData("Install Date", "installed_on")]
    [InlineData("Installed", "installed_on")]
    [InlineData("  STATUS ", "status")]
    [InlineData("Notes", null)]
    [InlineData("IP Address", null)]
    public void Header_names_are_read_loosely_and_by_synonym(string name, string? field) => Assert.Equal(field, RegisterColumns.Field(name));

    [Fact]
    public void A_spreadsheet_header_of_synonyms_in_another_order_is_read()
    {
        var header = "Model No.;Vendor;Asset Tag;Serial No.;MAC Address;Category;Site Code;Location;Sensitive;Network;Install Date;State;Dept;Notes";
        var line = "DS-2CD2143G2-I;Hikvision;CAM-9;SN9;bc:ad:28:4f:11:02;camera;HO-SITE;Marsham Street;yes;segregated;2023-01-01;in-service;HO;by the door";
        var source = Open(Lines(header, line));
        var row = Assert.Single(source.Rows);

        Assert.Equal(("CAM-9", "Hikvision", "DS-2CD2143G2-I", "HO"), (row.Device!.AssetId, row.Device.Manufacturer, row.Device.Model, row.Device.Department));
        Assert.Equal(13, source.Notes.Count);
    }

    [Fact]
    public void Two_columns_read_as_one_field_are_refused_naming_both()
    {
        var row = Assert.Single(Open(Lines(Header + ",Asset Tag", Camera("HO-1") + ",T-1")).Rows);

        Assert.Null(row.Device);
        Assert.Contains("'asset_id' (column 1) and 'Asset Tag' (column 14) are all read as asset_id", Errors([row]));

        var vendors = Assert.Single(Open(Lines(Header.Replace("manufacturer", "Vendor", StringComparison.Ordinal) + ",Make", Camera("HO-1") + ",Hik")).Rows);
        Assert.Contains("'Vendor' (column 3) and 'Make' (column 14) are all read as manufacturer", Errors([vendors]));
    }

    [Fact]
    public void Every_synonym_belongs_to_one_documented_column()
    {
        Assert.Equal(RegisterReader.CsvHeader.Order(), RegisterColumns.Synonyms.Keys.Order());
        var keys = RegisterColumns.Synonyms.SelectMany(s => s.Value.Append(s.Key).Select(n => (Key: RegisterColumns.Key(n), Field: s.Key))).ToArray();
        Assert.All(keys.GroupBy(k => k.Key), g => Assert.Single(g.Select(k => k.Field).Distinct()));
    }
}
