using System.Text.Json;
using AssetCompliance.Cli;

namespace AssetCompliance.Integration.Tests;

/// <summary><c>compliance check</c> over the sample register: formats, exit codes, and malformed rows reported by line.</summary>
public sealed class CheckCommandTests
{
    private static readonly string Register = Path.Combine(RepositoryPaths.Root, "samples", "register-dfe.csv");

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

    [Fact]
    public async Task Json_output_lists_every_readable_row_and_exits_2_when_something_is_non_compliant()
    {
        var (exit, output, errors) = await RunAsync(Register, "json");

        Assert.Equal(CheckCommand.ExitNonCompliant, exit);
        using var json = JsonDocument.Parse(output);
        var results = json.RootElement.GetProperty("results").EnumerateArray().ToDictionary(r => r.GetProperty("assetId").GetString()!);
        Assert.Equal(6, results.Count);
        Assert.Equal(("NonCompliant", "Critical"), (results["DFE-0001"].GetProperty("status").GetString(), results["DFE-0001"].GetProperty("severity").GetString()));
        Assert.Equal("Compliant", results["DFE-0002"].GetProperty("status").GetString());
        Assert.True(results["DFE-0003"].GetProperty("relabelSuspected").GetBoolean());
        Assert.Equal("dahua", results["DFE-0003"].GetProperty("vendor").GetProperty("key").GetString());
        Assert.Equal(JsonValueKind.Null, results["DFE-0005"].GetProperty("vendor").ValueKind);
        Assert.Equal("Removed", results["DFE-0006"].GetProperty("status").GetString());
        Assert.StartsWith("cat-", json.RootElement.GetProperty("catalogueVersion").GetString());
        Assert.Contains("register-dfe.csv:8: device_type must be one of", errors);
    }

    [Fact]
    public async Task A_register_with_nothing_non_compliant_exits_0_and_csv_quotes_fields()
    {
        var path = Path.GetTempFileName() + ".csv";
        await File.WriteAllTextAsync(path, """
            asset_id,department,manufacturer,model,serial_number,mac_address,device_type,site_id,site_name,site_sensitive,network_segment,installed_on,status
            A1,HO,"Axis, Communications",P3245-LVE,S1,,camera,S1,"Site, one",true,segregated,,in-service
            """);
        try
        {
            var (exit, output, _) = await RunAsync(path, "csv");

            Assert.Equal(CheckCommand.ExitClean, exit);
            Assert.Contains("A1,HO,Compliant,,compliant,Axis,SE,false,false,", output);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Json_lines_of_cloud_events_are_read_too()
    {
        var (exit, output, errors) = await RunAsync(Path.Combine(RepositoryPaths.Root, "samples", "asset-events.jsonl"), "table");

        Assert.Equal(CheckCommand.ExitNonCompliant, exit);
        Assert.Contains("HO-CAM-0001", output);
        Assert.Contains("asset-events.jsonl:21:", errors);
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

            Assert.Equal(CheckCommand.ExitNonCompliant, exit); // CAM-1 is a Hikvision camera at a sensitive site
            Assert.Contains("CAM-1", output);
            Assert.Contains(":2: $.data.model: text is not valid Unicode", errors);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
