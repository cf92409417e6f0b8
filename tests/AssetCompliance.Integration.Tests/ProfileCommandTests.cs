using System.CommandLine;
using System.Text.Json;
using AssetCompliance.Cli;
using AssetCompliance.Core.Registers;

namespace AssetCompliance.Integration.Tests;

/// <summary>
/// <c>compliance check</c> on the exports of each register profile (samples/registers), through the command line:
/// --profile, --map, --mapping, --department and --interfaces, the verdicts, and exit codes that never call a report
/// clean when a verdict rests on a field the export lacks.
/// </summary>
public sealed class ProfileCommandTests
{
    private static string Sample(string name) => Path.Combine(RepositoryPaths.Root, "samples", "registers", name);

    /// <summary>Runs <c>check FILE --format json --output REPORT ARGS</c>; the report is null when none was written (the options were refused).</summary>
    private static async Task<(int Exit, JsonElement? Report)> CheckAsync(string file, params string[] args)
    {
        var report = Path.Combine(Path.GetTempPath(), $"report-{Guid.NewGuid():N}.json");
        try
        {
            var root = new RootCommand { CheckCommand.Create() };
            var exit = await root.Parse(["check", file, "--format", "json", "--output", report, .. args]).InvokeAsync();
            if (!File.Exists(report))
            {
                return (exit, null);
            }

            using var json = JsonDocument.Parse(await File.ReadAllTextAsync(report));
            return (exit, json.RootElement.Clone());
        }
        finally
        {
            File.Delete(report);
        }
    }

    private static string Status(JsonElement report, string assetId) =>
        report.GetProperty("results").EnumerateArray().Single(r => r.GetProperty("assetId").GetString() == assetId).GetProperty("status").GetString()!;

    private static string ReadAs(JsonElement report) => report.GetProperty("summary").GetProperty("readAs").GetString()!;

    private static async Task<string> TempFileAsync(string content, string extension)
    {
        var path = Path.Combine(Path.GetTempPath(), $"profile-{Guid.NewGuid():N}{extension}");
        await File.WriteAllTextAsync(path, content);
        return path;
    }

    [Theory]
    [InlineData("netbox-devices.csv", "a NetBox device export (detected)", "HO-CAM-0001", "HO-CAM-0002")]
    [InlineData("netbox-devices-all.csv", "a NetBox device export (detected)", "HO-CAM-0001", "HO-CAM-0002")]
    [InlineData("servicenow-cmdb_ci_hardware.csv", "a ServiceNow CMDB export (cmdb_ci) (detected)", "P10101", "P10102")]
    [InlineData("snipeit-assets.csv", "a Snipe-IT asset export (detected)", "DFE-CAM-0001", "+44-CAM-7")]
    [InlineData("lansweeper-assets.csv", "a Lansweeper asset export (detected)", "HMRC-CAM-0201", "HMRC-CAM-0202")]
    [InlineData("contractor-cameras.csv", "", "CAM-001", "CAM-002")]
    [InlineData("contractor-cameras.xlsx", "Excel workbook", "MOJ-CAM-0101", "MOJ-CAM-0102")] // tools/samples/make-xlsx.py
    public async Task Every_profile_sample_is_checked_with_no_editing_and_its_hikvision_camera_is_non_compliant(string file, string readAs, string hikvision, string axis)
    {
        var (exit, report) = await CheckAsync(Sample(file));

        Assert.Equal(CheckCommand.ExitNonCompliant, exit);
        Assert.EndsWith(readAs, ReadAs(report!.Value));
        Assert.Equal("NonCompliant", Status(report.Value, hikvision));
        Assert.Equal("Compliant", Status(report.Value, axis));
    }

    [Fact]
    public async Task The_sample_workbook_is_read_from_its_camera_sheet_below_its_title_with_each_value_as_typed()
    {
        var (_, report) = await CheckAsync(Sample("contractor-cameras.xlsx"));

        var header = report!.Value.GetProperty("summary").GetProperty("header").EnumerateArray().Select(n => n.GetString()).ToArray();
        Assert.Contains("sheet 'Cameras' is read, its header on row 3", header);
        Assert.Contains("column 7 'Camera Type' is read as device_type", header);
        Assert.Equal("NonCompliant", Status(report.Value, "MOJ-NVR-0001")); // Dahua, "Recorder", a UK date typed as text
        Assert.Equal("NeedsReview", Status(report.Value, "MOJ-CAM-0103")); // a MAC Excel turned into 1.23457E+11: no MAC evidence
        Assert.Equal("Removed", Status(report.Value, "MOJ-CAM-0090")); // "Disposed"
    }

    [Fact]
    public async Task A_defender_export_is_not_clean_without_sites_and_a_mapped_tag_makes_its_hikvision_camera_non_compliant()
    {
        var file = Sample("defender-device-inventory.csv");
        var (exit, report) = await CheckAsync(file);
        Assert.Equal(CheckCommand.ExitNeedsReview, exit);
        Assert.EndsWith("a Microsoft Defender for Endpoint device inventory export (detected)", ReadAs(report!.Value));
        Assert.Equal("NeedsReview", Status(report.Value, "8f1e0c3a6b2d4e5f8a9b0c1d2e3f4a5b6c7d8e9f"));

        var (mappedExit, mapped) = await CheckAsync(file, "--map", "Tags=site_sensitive");
        Assert.Equal(CheckCommand.ExitNonCompliant, mappedExit);
        Assert.Equal("NonCompliant", Status(mapped!.Value, "8f1e0c3a6b2d4e5f8a9b0c1d2e3f4a5b6c7d8e9f"));
    }

    [Fact]
    public async Task Netbox_devices_are_joined_to_their_interfaces_and_the_join_is_noted()
    {
        var (exit, report) = await CheckAsync(Sample("netbox-devices.csv"), "--interfaces", Sample("netbox-interfaces.csv"));

        Assert.Equal(CheckCommand.ExitNonCompliant, exit);
        Assert.Equal("NeedsReview", Status(report!.Value, "HO-NVR-0001")); // two MAC blocks: no MAC evidence, so not cleared
        var notes = report.Value.GetProperty("summary").GetProperty("header").EnumerateArray().Select(n => n.GetString()).ToArray();
        Assert.Contains("mac_address is read from netbox-interfaces.csv, joined on the device name ('Name')", notes);
        Assert.Contains(notes, n => n!.Contains("'ap-gone-99'", StringComparison.Ordinal));

        var (missing, none) = await CheckAsync(Sample("netbox-devices.csv"), "--interfaces", Sample("no-such-interfaces.csv"));
        Assert.Equal(CheckCommand.ExitError, missing);
        Assert.Null(none);
    }

    [Fact]
    public async Task A_forced_profile_that_does_not_fit_and_bad_map_or_mapping_options_are_exit_1()
    {
        var (forced, report) = await CheckAsync(Sample("servicenow-cmdb_ci_hardware.csv"), "--profile", "netbox");
        Assert.Equal(CheckCommand.ExitError, forced);
        Assert.Contains("does not fit a NetBox device export", report!.Value.GetProperty("errors")[0].GetProperty("errors")[0].GetString());

        Assert.Equal((CheckCommand.ExitError, (JsonElement?)null), await CheckAsync(Sample("netbox-devices.csv"), "--profile", "jira"));
        Assert.Equal((CheckCommand.ExitError, (JsonElement?)null), await CheckAsync(Sample("netbox-devices.csv"), "--map", "Tenant"));
        var (unknownColumn, _) = await CheckAsync(Sample("netbox-devices.csv"), "--map", "Sensitivity=site_sensitive");
        Assert.Equal(CheckCommand.ExitError, unknownColumn);

        var mapping = await TempFileAsync("""{ "profile": "netbox", "columns": { "Tags": "sensitivity" } }""", ".json");
        try
        {
            Assert.Equal((CheckCommand.ExitError, (JsonElement?)null), await CheckAsync(Sample("netbox-devices.csv"), "--mapping", mapping));
            RegisterOptions.Build(RegisterReadOptions.Detect, null, [], mapping, null, null, out var problems);
            Assert.Equal($"{Path.GetFileName(mapping)}: columns.Tags: 'sensitivity' is not a field (one of {string.Join(", ", RegisterMapping.Fields)})", Assert.Single(problems));
        }
        finally
        {
            File.Delete(mapping);
        }
    }

    [Fact]
    public async Task A_mapping_file_chooses_the_profile_and_columns_and_the_command_line_overrides_it()
    {
        var mapping = await TempFileAsync("""{ "profile": "defender", "columns": { "Tags": "site_sensitive" }, "department": "DFE" }""", ".json");
        try
        {
            var (exit, report) = await CheckAsync(Sample("defender-device-inventory.csv"), "--mapping", mapping);
            Assert.Equal(CheckCommand.ExitNonCompliant, exit);
            Assert.EndsWith($"read as a Microsoft Defender for Endpoint device inventory export ({Path.GetFileName(mapping)})", ReadAs(report!.Value));
            Assert.All(report.Value.GetProperty("results").EnumerateArray(), r => Assert.Equal("DFE", r.GetProperty("department").GetString()));

            var (overridden, again) = await CheckAsync(Sample("defender-device-inventory.csv"), "--mapping", mapping, "--map", "Tags=ignore", "--department", "HO");
            Assert.Equal(CheckCommand.ExitNeedsReview, overridden);
            Assert.All(again!.Value.GetProperty("results").EnumerateArray(), r => Assert.Equal("HO", r.GetProperty("department").GetString()));
        }
        finally
        {
            File.Delete(mapping);
        }
    }

    [Fact]
    public async Task A_register_without_a_device_type_column_is_never_clean()
    {
        var file = await TempFileAsync("Asset Tag,Make,Model No.,Sensitive Site,Network\r\nA-1,Axis,P3265-LVE,no,segregated\r\n", ".csv");
        try
        {
            var (exit, report) = await CheckAsync(file);
            Assert.Equal(CheckCommand.ExitNeedsReview, exit);
            Assert.Equal("NeedsReview", Status(report!.Value, "A-1"));

            var (mapped, _) = await CheckAsync(file, "--map", "Make=ignore", "--map", "Model No.=model");
            Assert.Equal(CheckCommand.ExitNeedsReview, mapped);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
