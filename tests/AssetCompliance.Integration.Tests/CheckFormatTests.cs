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

    [Fact]
    public async Task A_semicolon_register_is_checked_and_the_summary_names_the_delimiter_and_an_ambiguous_one_is_exit_1()
    {
        var semicolons = Encoding.UTF8.GetBytes($"{Header.Replace(',', ';')}\r\n{Camera("HO-1").Replace(',', ';')}\r\n");
        var (exit, summary, _) = await CheckAsync(semicolons);
        Assert.Equal(CheckCommand.ExitNonCompliant, exit);
        Assert.Equal(1, summary.GetProperty("devices").GetInt32());
        Assert.Equal("CSV, semicolon-delimited (detected)", summary.GetProperty("readAs").GetString());

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
        var path = Path.Combine(Path.GetTempPath(), $"register-{Guid.NewGuid():N}.csv");
        var report = path + ".json";
        await File.WriteAllTextAsync(path, $"notes,a,b\t{Header.Replace(',', '\t')}\nn,1,2\t{Camera("HO-1").Replace(',', '\t')}\n");
        try
        {
            var root = new RootCommand { CheckCommand.Create() };
            var exit = await root.Parse(["check", path, "--format", "json", "--output", report, "--delimiter", "tab"]).InvokeAsync();

            Assert.Equal(CheckCommand.ExitNonCompliant, exit);
            Assert.Contains("tab-delimited (--delimiter)", await File.ReadAllTextAsync(report));
        }
        finally
        {
            File.Delete(path);
            File.Delete(report);
        }
    }
}
