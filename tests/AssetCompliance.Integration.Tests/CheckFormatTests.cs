using System.CommandLine;
using System.Text;
using System.Text.Json;
using AssetCompliance.Cli;
using AssetCompliance.Core.Registers;

namespace AssetCompliance.Integration.Tests;

/// <summary>
/// <c>compliance check</c> on registers as departments save them: another delimiter, another encoding, other header
/// spellings. The report says how the file was read, and a file that cannot be read surely is exit 1.
/// </summary>
public sealed class CheckFormatTests
{
    private const string Header = "asset_id,department,manufacturer,model,serial_number,mac_address,device_type,site_id,site_name,site_sensitive,network_segment,installed_on,status";

    private static string Camera(string id, string site = "Marsham Street") =>
        $"{id},HO,Hikvision,DS-2CD2143G2-I,S-{id},,camera,HO-SITE,{site},true,segregated,2023-01-01,in-service";

    private static async Task<(int Exit, JsonElement Summary, string Errors)> CheckAsync(byte[] content, RegisterReadOptions? options = null)
    {
        var path = Path.Combine(Path.GetTempPath(), $"register-{Guid.NewGuid():N}.csv");
        await File.WriteAllBytesAsync(path, content);
        try
        {
            var errors = new StringWriter();
            using var output = new MemoryStream();
            var exit = await CheckCommand.RunAsync(path, "json", output, errors, indented: false, CancellationToken.None, options);
            using var json = JsonDocument.Parse(output.ToArray());
            return (exit, json.RootElement.GetProperty("summary").Clone(), errors.ToString());
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Runs <c>check FILE --format json --output REPORT ARGS</c> through the command line, on a file of <paramref name="content"/>.</summary>
    private static async Task<(int Exit, string Report)> CommandLineAsync(byte[] content, params string[] args)
    {
        var path = Path.Combine(Path.GetTempPath(), $"register-{Guid.NewGuid():N}.csv");
        var report = path + ".json";
        await File.WriteAllBytesAsync(path, content);
        try
        {
            var root = new RootCommand { CheckCommand.Create() };
            var exit = await root.Parse(["check", path, "--format", "json", "--output", report, .. args]).InvokeAsync();
            return (exit, await File.ReadAllTextAsync(report));
        }
        finally
        {
            File.Delete(path);
            File.Delete(report);
        }
    }

    [Fact]
    public async Task A_semicolon_register_is_checked_and_the_summary_names_the_delimiter_and_an_ambiguous_one_is_exit_1()
    {
        var semicolons = Encoding.UTF8.GetBytes($"{Header.Replace(',', ';')}\r\n{Camera("HO-1").Replace(',', ';')}\r\n");
        var (exit, summary, _) = await CheckAsync(semicolons);
        Assert.Equal(CheckCommand.ExitNonCompliant, exit);
        Assert.Equal(1, summary.GetProperty("devices").GetInt32());
        Assert.Equal("CSV, semicolon-delimited (detected), UTF-8 (ASCII only)", summary.GetProperty("readAs").GetString());

        // Given the wrong delimiter, nothing is read as if it were fine.
        var (wrongExit, _, wrongErrors) = await CheckAsync(semicolons, new RegisterReadOptions { Delimiter = ',' });
        Assert.Equal(CheckCommand.ExitError, wrongExit);
        Assert.Contains("--delimiter semicolon", wrongErrors);

        var ambiguous = Encoding.UTF8.GetBytes($"notes,a,b;{Header.Replace(',', ';')}\nn,1,2;{Camera("HO-1").Replace(',', ';')}\n");
        var (ambiguousExit, ambiguousSummary, ambiguousErrors) = await CheckAsync(ambiguous);
        Assert.Equal(CheckCommand.ExitError, ambiguousExit);
        Assert.Equal(0, ambiguousSummary.GetProperty("devices").GetInt32());
        Assert.Contains("comma (3 columns), semicolon (14 columns)", ambiguousErrors);
    }

    [Fact]
    public async Task The_delimiter_option_is_on_the_command_line_of_check()
    {
        var (exit, report) = await CommandLineAsync(Encoding.UTF8.GetBytes($"notes,a,b\t{Header.Replace(',', '\t')}\nn,1,2\t{Camera("HO-1").Replace(',', '\t')}\n"), "--delimiter", "tab");

        Assert.Equal(CheckCommand.ExitNonCompliant, exit);
        Assert.Contains("tab-delimited (--delimiter)", report);
    }

    [Fact]
    public async Task A_windows_1252_register_is_read_as_written_and_the_encoding_option_is_on_the_command_line()
    {
        var bytes = RegisterEncoding.Windows1252.GetBytes($"{Header}\r\n{Camera("HO-1", "S\u00E8vres \u2013 Caf\u00E9")}\r\n");
        var (exit, summary, errors) = await CheckAsync(bytes);
        Assert.Equal(CheckCommand.ExitNonCompliant, exit);
        Assert.Equal(0, summary.GetProperty("devicesWithWarnings").GetInt32());
        Assert.Contains("Windows-1252 (detected", summary.GetProperty("readAs").GetString());
        Assert.DoesNotContain("U+FFFD", errors);

        // UTF-8 and Windows-1252 mixed: refused, exit 1, nothing read.
        byte[] mixed = [.. Encoding.UTF8.GetBytes($"{Header}\n{Camera("HO-1", "S\u00E8vres")}\n"), .. bytes.Skip(Header.Length + 2)];
        var (mixedExit, mixedSummary, mixedErrors) = await CheckAsync(mixed);
        Assert.Equal((CheckCommand.ExitError, 0), (mixedExit, mixedSummary.GetProperty("devices").GetInt32()));
        Assert.Contains("encoding cannot be told", mixedErrors);

        var (given, report) = await CommandLineAsync(mixed, "--encoding", "windows-1252");

        // Read as given: the UTF-8 half becomes mojibake, which the user asked for; it is read, not refused.
        Assert.Equal(CheckCommand.ExitNonCompliant, given);
        Assert.Contains("Windows-1252 (--encoding)", report);
    }

    [Fact]
    public async Task A_title_case_header_is_read_with_each_mapping_reported_and_two_columns_for_one_field_are_exit_1()
    {
        var header = "Asset Tag,Department,Make,Model No.,Serial No.,MAC Address,Device Type,Site ID,Location,Site Sensitive,Network Segment,Install Date,Status";
        var (exit, summary, errors) = await CheckAsync(Encoding.UTF8.GetBytes($"{header}\n{Camera("HO-1")}\n"));

        Assert.Equal(CheckCommand.ExitNonCompliant, exit);
        Assert.Equal(1, summary.GetProperty("devices").GetInt32());
        Assert.Contains(":1: warning: header: column 1 'Asset Tag' is read as asset_id", errors);
        Assert.Contains("column 9 'Location' is read as site_name", summary.GetProperty("header").EnumerateArray().Select(n => n.GetString()));

        var (ambiguous, ambiguousSummary, why) = await CheckAsync(Encoding.UTF8.GetBytes($"{header},Serial number\n{Camera("HO-1")},S2\n"));
        Assert.Equal((CheckCommand.ExitError, 0), (ambiguous, ambiguousSummary.GetProperty("devices").GetInt32()));
        Assert.Contains("'Serial No.' (column 5) and 'Serial number' (column 14) are all read as serial_number", why);
    }
}
