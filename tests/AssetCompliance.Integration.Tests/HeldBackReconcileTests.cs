using System.Text.Json;
using AssetCompliance.Cli;
using AssetCompliance.Testing;

namespace AssetCompliance.Integration.Tests;

/// <summary>
/// Held-back style end to end (tests/AssetCompliance.Integration.Tests/HeldBack/README.md): registers and scans as
/// departments and their tools produce them, through <c>compliance reconcile</c>; every device's outcome, status and
/// severity against <c>expected.csv</c>, and the exit code.
/// </summary>
public sealed class HeldBackReconcileTests : IDisposable
{
    private static readonly string Pairs = Path.Combine(RepositoryPaths.Root, "tests", "AssetCompliance.Integration.Tests", "HeldBack");
    private static readonly string ServiceNow = Path.Combine(Pairs, "servicenow");
    private static readonly string Spreadsheet = Path.Combine(Pairs, "spreadsheet");

    private readonly string _folder = Directory.CreateTempSubdirectory("held-back-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private async Task<(int Exit, Dictionary<string, string> Devices, string Errors)> RunAsync(string register, string[] scans, string networks)
    {
        var output = Path.Combine(_folder, "report.json");
        var errors = new StringWriter();
        var exit = await ReconcileCommand.ExecuteAsync(new ReconcileCommand.Settings(register, scans, networks, null, "json", output) { Now = new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero) },
            TextWriter.Null, errors, CancellationToken.None);
        using var report = JsonDocument.Parse(await File.ReadAllTextAsync(output));
        var devices = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var o in report.RootElement.GetProperty("outcomes").EnumerateArray())
        {
            var device = o.TryGetProperty("assetId", out var id) ? id.GetString()!
                : o.TryGetProperty("candidates", out var candidates) ? string.Join("|", candidates.EnumerateArray().Select(c => c.GetString()))
                : o.GetProperty("observation").GetProperty("ipAddresses")[0].GetString()!;
            string? Text(string name) => o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            devices.Add(device, $"{Text("outcome")},{Text("status")},{Text("severity")}");
        }

        return (exit, devices, errors.ToString());
    }

    private static Dictionary<string, string> Expected(string pair) =>
        File.ReadAllLines(Path.Combine(pair, "expected.csv")).Skip(1).Where(l => l.Length > 0)
            .ToDictionary(l => l[..l.IndexOf(',')], l => l[(l.IndexOf(',') + 1)..], StringComparer.Ordinal);

    [Fact]
    public async Task A_servicenow_export_against_a_lan_scan_a_routed_scan_and_defender_gives_every_device_its_outcome()
    {
        var (exit, devices, errors) = await RunAsync(Path.Combine(ServiceNow, "register.csv"),
            [Path.Combine(ServiceNow, "lan.xml"), Path.Combine(ServiceNow, "routed.xml"), Path.Combine(ServiceNow, "defender.csv")], Path.Combine(ServiceNow, "networks.json"));
        Assert.Equal(Expected(ServiceNow), devices);
        Assert.Equal(ReconcileCommand.ExitFinding, exit);
        Assert.Contains("exit 2", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_workbook_with_a_title_row_against_a_runzero_export_gives_every_device_its_outcome()
    {
        // The register as an estates team keeps it: a title row above the header, in a workbook.
        var rows = File.ReadAllLines(Path.Combine(Spreadsheet, "register-rows.csv")).Where(l => l.Length > 0).Select(l => l.Split(',').Cast<object?>().ToArray());
        var workbook = Path.Combine(_folder, "croydon-cctv.xlsx");
        await File.WriteAllBytesAsync(workbook, new XlsxWorkbook().Sheet("CCTV", [["HO Croydon CCTV asset register - exported 30/11/2026"], [], .. rows]).ToBytes());
        var (exit, devices, _) = await RunAsync(workbook, [Path.Combine(Spreadsheet, "assets.jsonl")], Path.Combine(Spreadsheet, "networks.json"));
        Assert.Equal(Expected(Spreadsheet), devices);
        Assert.Equal(ReconcileCommand.ExitFinding, exit);

        // The same rows as CSV, title row kept, reconcile alike.
        var csv = Path.Combine(_folder, "croydon-cctv.csv");
        await File.WriteAllTextAsync(csv, "HO Croydon CCTV asset register - exported 30/11/2026,,,,,,,,,,,\n" + await File.ReadAllTextAsync(Path.Combine(Spreadsheet, "register-rows.csv")));
        var (csvExit, csvDevices, _) = await RunAsync(csv, [Path.Combine(Spreadsheet, "assets.jsonl")], Path.Combine(Spreadsheet, "networks.json"));
        Assert.Equal(exit, csvExit);
        Assert.Equal(devices, csvDevices);
    }

    [Fact]
    public async Task Only_the_routed_scan_confirms_the_routed_cameras_and_every_other_device_is_not_seen_exit_3()
    {
        var (exit, devices, _) = await RunAsync(Path.Combine(ServiceNow, "register.csv"), [Path.Combine(ServiceNow, "routed.xml")], Path.Combine(ServiceNow, "networks.json"));
        Assert.Equal(ReconcileCommand.ExitReview, exit);
        Assert.Equal(["HO-0105", "HO-0110"], devices.Where(d => d.Value.StartsWith("confirmed", StringComparison.Ordinal)).Select(d => d.Key).Order());
        Assert.Equal(8, devices.Count(d => d.Value.StartsWith("not-seen", StringComparison.Ordinal))); // HO-0104 is retired
        Assert.DoesNotContain("HO-0104", devices.Keys);
    }

    [Theory]
    [InlineData("lan.xml")]
    [InlineData("defender.csv")]
    public async Task A_scan_cut_short_is_exit_1_naming_the_file_and_line_and_nothing_is_not_seen(string scan)
    {
        var text = await File.ReadAllTextAsync(Path.Combine(ServiceNow, scan));
        var cut = Path.Combine(_folder, scan);
        await File.WriteAllTextAsync(cut, text[..(text.IndexOf("10.30.50.13", StringComparison.Ordinal) + 5)]);
        var scans = new[] { "lan.xml", "routed.xml", "defender.csv" }.Select(s => s == scan ? cut : Path.Combine(ServiceNow, s)).ToArray();
        var (exit, devices, errors) = await RunAsync(Path.Combine(ServiceNow, "register.csv"), scans, Path.Combine(ServiceNow, "networks.json"));
        Assert.Equal(ReconcileCommand.ExitError, exit);
        Assert.Matches($@"{scan.Replace(".", "\\.", StringComparison.Ordinal)}:\d+:", errors);
        Assert.DoesNotContain(devices.Values, v => v.StartsWith("not-seen", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Every_device_confirmed_and_clean_by_host_name_and_ip_alone_is_exit_0()
    {
        // The two cameras the routed scan sees, and nothing else: no MAC crosses the router, and the CI names and IPs
        // confirm both, so the answer is clean.
        var lines = File.ReadAllLines(Path.Combine(ServiceNow, "register.csv"));
        var register = Path.Combine(_folder, "two.csv");
        await File.WriteAllLinesAsync(register, [lines[0], .. lines.Where(l => l.StartsWith("ho-cam-0105,", StringComparison.Ordinal) || l.StartsWith("ho-cam-0110,", StringComparison.Ordinal))]);
        var (exit, devices, errors) = await RunAsync(register, [Path.Combine(ServiceNow, "routed.xml")], Path.Combine(ServiceNow, "networks.json"));
        Assert.Equal(new Dictionary<string, string> { ["HO-0105"] = "confirmed,Compliant,", ["HO-0110"] = "confirmed,Compliant," }, devices);
        Assert.Equal(ReconcileCommand.ExitClean, exit);
        Assert.Contains("exit 0", errors, StringComparison.Ordinal);
    }
}
