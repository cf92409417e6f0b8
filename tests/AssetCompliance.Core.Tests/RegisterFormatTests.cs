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

        Assert.Equal("CSV, semicolon-delimited (detected)", source.ReadAs);
        Assert.Equal(["HO-1", "HO-2"], rows.Select(r => r.Device?.AssetId));
        Assert.Equal("Marsham Street, London", rows[0].Device!.Site!.Name);
    }

    [Fact]
    public void The_issue_sample_a_tab_delimited_file_is_read()
    {
        var source = Open(Lines(Header.Replace(',', '\t'), Camera("HO-1").Replace(',', '\t')));

        Assert.Equal("CSV, tab-delimited (detected)", source.ReadAs);
        Assert.Equal("S-HO-1", Assert.Single(source.Rows).Device!.SerialNumber);
    }

    [Fact]
    public void A_semicolon_inside_quotes_of_a_comma_file_does_not_make_it_a_semicolon_file()
    {
        var source = Open(Lines(Header, Camera("HO-1", "\"Site A; Site B\""), Camera("HO-2", "\"1; 2; 3\"")));

        Assert.Equal("CSV, comma-delimited (detected)", source.ReadAs);
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
    public void A_header_alone_split_by_two_delimiters_is_refused()
    {
        Assert.Null(CsvDelimiter.Detect(Encoding.UTF8.GetBytes("a,b\tc\n"), complete: true, out _, out var error));
        Assert.Contains("no rows to tell them apart", error);
    }

    [Fact]
    public void An_excel_sep_line_names_the_delimiter_and_is_skipped()
    {
        var source = Open(Lines("sep=;", Header.Replace(',', ';'), Camera("HO-1").Replace(',', ';')));

        Assert.Equal("CSV, semicolon-delimited (its sep= line)", source.ReadAs);
        Assert.Equal("HO-1", Assert.Single(source.Rows).Device!.AssetId);
        Assert.Contains("'|'", Errors(Open(Lines("sep=|", "a|b", "1|2")).Rows));
    }

    [Fact]
    public void A_given_delimiter_overrides_detection_and_a_wrong_one_says_which_it_seems_to_be()
    {
        var semicolons = Lines(Header.Replace(',', ';'), Camera("HO-1").Replace(',', ';'));

        var wrong = Open(semicolons, new RegisterReadOptions { Delimiter = ',' });
        Assert.Equal("CSV, comma-delimited (--delimiter)", wrong.ReadAs);
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

        Assert.Equal("CSV, tab-delimited (detected)", source.ReadAs);
        Assert.Equal(["HO-1", "HO-2"], source.Rows.Select(r => r.Device?.AssetId));
    }

    [Theory]
    [InlineData("comma", ',')]
    [InlineData(";", ';')]
    [InlineData("TAB", '\t')]
    [InlineData("pipe", null)]
    public void Delimiter_names_are_read(string text, char? expected) => Assert.Equal(expected, CsvDelimiter.Parse(text));
}
