using System.Text.Json;
using AssetCompliance.Cli;

namespace AssetCompliance.Integration.Tests;

/// <summary><c>compliance reconcile</c> on the sample estate: every outcome printed, and exit codes that never pass a finding or an unread input.</summary>
public sealed class ReconcileCommandTests : IDisposable
{
    private static readonly string Samples = Path.Combine(RepositoryPaths.Root, "samples", "reconcile");
    private static readonly string Register = Path.Combine(Samples, "ho-register.csv");
    private static readonly string Scan = Path.Combine(Samples, "ho-nmap.xml");
    private static readonly string NetworksFile = Path.Combine(Samples, "ho-networks.json");

    private readonly string _folder = Directory.CreateTempSubdirectory("reconcile-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private async Task<(int Exit, string Output, string Errors)> RunAsync(string register, string[] scans, string? networks, string format)
    {
        var output = Path.Combine(_folder, "report." + format);
        var errors = new StringWriter();
        var exit = await ReconcileCommand.ExecuteAsync(new ReconcileCommand.Settings(register, scans, networks, null, format, output) { Now = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero) },
            TextWriter.Null, errors, CancellationToken.None);
        return (exit, File.Exists(output) ? await File.ReadAllTextAsync(output) : "", errors.ToString());
    }

    [Fact]
    public async Task An_output_that_is_a_hard_link_to_a_scan_is_refused_and_the_scan_left_whole()
    {
        var scan = Path.Combine(_folder, "scan.xml");
        File.Copy(Scan, scan);
        var link = Path.Combine(_folder, "report.json");
        using (var ln = System.Diagnostics.Process.Start("ln", [scan, link]))
        {
            await ln.WaitForExitAsync();
            Assert.Equal(0, ln.ExitCode);
        }

        var errors = new StringWriter();
        var exit = await ReconcileCommand.ExecuteAsync(new ReconcileCommand.Settings(Register, [scan], NetworksFile, null, "json", link) { Now = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero) },
            TextWriter.Null, errors, CancellationToken.None);

        Assert.Equal(ReconcileCommand.ExitError, exit);
        Assert.Contains("error: --output", errors.ToString(), StringComparison.Ordinal);
        Assert.Equal(await File.ReadAllBytesAsync(Scan), await File.ReadAllBytesAsync(scan));
    }

    [Fact]
    public async Task An_event_register_counts_each_device_at_its_latest_revision_not_once_per_event()
    {
        static string Event(int revision, string model) =>
            $$$"""{"specversion": "1.0", "id": "HO-HO-CAM-0002-r{{{revision}}}", "source": "/departments/HO/asset-register", "type": "asset.device.upserted", "subject": "HO-CAM-0002", "time": "2026-11-20T09:00:00Z", "datacontenttype": "application/json", "data": {"assetId": "HO-CAM-0002", "department": "HO", "revision": {{{revision}}}, "manufacturer": "Axis Communications AB", "model": "{{{model}}}", "macAddress": "AC:CC:8E:0A:1B:2C", "deviceType": "camera", "site": {"id": "HO-2MS", "name": "2 Marsham Street, London", "sensitive": true}, "networkSegment": "segregated", "installedOn": "2023-02-01"}}""";
        var register = Path.Combine(_folder, "events.jsonl");
        await File.WriteAllLinesAsync(register, [Event(1, "P3245-LV"), Event(2, "P3245-LVE")]);
        var scan = Path.Combine(_folder, "assets.jsonl");
        await File.WriteAllTextAsync(scan, """{"addresses": ["10.20.1.5"], "macs": ["AC:CC:8E:0A:1B:2C"]}""" + "\n");

        var (_, output, errors) = await RunAsync(register, [scan], null, "json");

        using var report = JsonDocument.Parse(output);
        var summary = report.RootElement.GetProperty("summary");
        Assert.True(summary.GetProperty("ambiguous").GetInt32() == 0, errors + output);
        Assert.Equal(1, summary.GetProperty("confirmed").GetInt32());
    }

    [Fact]
    public async Task The_register_takes_checks_reading_options()
    {
        var output = Path.Combine(_folder, "report.json");
        var exit = await ReconcileCommand.Create().Parse(["--register", Register, "--delimiter", "comma", "--scan", Scan, "--networks", NetworksFile, "--format", "json", "--output", output]).InvokeAsync();

        Assert.Equal(ReconcileCommand.ExitFinding, exit);
        Assert.True(File.Exists(output));
    }

    [Fact]
    public async Task The_sample_estate_reports_every_outcome_and_exits_2()
    {
        var (exit, output, errors) = await RunAsync(Register, [Scan], NetworksFile, "json");
        Assert.Equal(ReconcileCommand.ExitFinding, exit);
        using var report = JsonDocument.Parse(output);
        var summary = report.RootElement.GetProperty("summary");
        Assert.Equal(3, summary.GetProperty("confirmed").GetInt32());
        Assert.Equal(1, summary.GetProperty("contradicted").GetInt32());
        Assert.Equal(2, summary.GetProperty("unregistered").GetInt32());
        Assert.Equal(1, summary.GetProperty("not-seen").GetInt32());
        Assert.Equal(1, summary.GetProperty("ambiguous").GetInt32());
        var critical = report.RootElement.GetProperty("outcomes").EnumerateArray()
            .Single(o => o.GetProperty("outcome").GetString() == "unregistered" && o.GetProperty("status").GetString() == "NonCompliant");
        Assert.Equal("Critical", critical.GetProperty("severity").GetString());
        Assert.Equal("core", critical.GetProperty("network").GetProperty("segment").GetString());
        Assert.Contains("exit 2", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_table_shows_both_makers_of_a_contradiction_and_the_verdict()
    {
        var (exit, output, _) = await RunAsync(Register, [Scan], NetworksFile, "table");
        Assert.Equal(ReconcileCommand.ExitFinding, exit);
        var line = output.Split('\n').Single(l => l.StartsWith("contradicted", StringComparison.Ordinal));
        Assert.Contains("HO-CAM-0003", line, StringComparison.Ordinal);
        Assert.Contains("'Secure Vision'", line, StringComparison.Ordinal);
        Assert.Contains("Hikvision", line, StringComparison.Ordinal);
        Assert.Contains("exit 2:", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Csv_has_one_line_per_outcome()
    {
        var (_, output, _) = await RunAsync(Register, [Scan], NetworksFile, "csv");
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("outcome,asset_id,", lines[0], StringComparison.Ordinal);
        Assert.Equal(1 + 8, lines.Length);
    }

    [Fact]
    public async Task A_truncated_scan_is_exit_1_naming_file_and_line_and_says_nothing_is_not_seen()
    {
        var cut = Path.Combine(_folder, "cut.xml");
        var text = await File.ReadAllTextAsync(Scan);
        await File.WriteAllTextAsync(cut, text[..(text.Length / 2)]);
        var (exit, output, errors) = await RunAsync(Register, [cut], NetworksFile, "json");
        Assert.Equal(ReconcileCommand.ExitError, exit);
        Assert.Contains("cut.xml:", errors, StringComparison.Ordinal);
        using var report = JsonDocument.Parse(output);
        Assert.Equal(0, report.RootElement.GetProperty("summary").GetProperty("not-seen").GetInt32());
    }

    [Fact]
    public async Task A_missing_or_bad_input_is_exit_1()
    {
        Assert.Equal(ReconcileCommand.ExitError, (await RunAsync(Register, [Path.Combine(_folder, "missing.xml")], null, "json")).Exit);
        var badNetworks = Path.Combine(_folder, "networks.json");
        await File.WriteAllTextAsync(badNetworks, """{"schemaVersion":1,"department":"HO","networks":[{"cidr":"10.0.0.0/8","segment":"dmz"}]}""");
        var (exit, _, errors) = await RunAsync(Register, [Scan], badNetworks, "json");
        Assert.Equal(ReconcileCommand.ExitError, exit);
        Assert.Contains("networks.json", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Everything_confirmed_is_exit_0_and_a_registered_device_not_seen_is_exit_3()
    {
        var register = Path.Combine(_folder, "register.csv");
        var header = (await File.ReadAllLinesAsync(Register))[0];
        var axis = (await File.ReadAllLinesAsync(Register)).Single(l => l.StartsWith("HO-CAM-0001,", StringComparison.Ordinal));
        await File.WriteAllLinesAsync(register, [header, axis]);
        var scan = Path.Combine(_folder, "scan.xml");
        var text = await File.ReadAllTextAsync(Scan);
        // Keep only the Axis camera's host.
        var first = text.IndexOf("<host ", StringComparison.Ordinal);
        var second = text.IndexOf("<host ", first + 1, StringComparison.Ordinal);
        await File.WriteAllTextAsync(scan, text[..second] + text[text.IndexOf("<runstats>", StringComparison.Ordinal)..]);
        Assert.Equal(ReconcileCommand.ExitClean, (await RunAsync(register, [scan], NetworksFile, "json")).Exit);

        var withMissing = Path.Combine(_folder, "register2.csv");
        await File.WriteAllLinesAsync(withMissing, [header, axis, (await File.ReadAllLinesAsync(Register)).Single(l => l.StartsWith("HO-NVR-0004,", StringComparison.Ordinal))]);
        Assert.Equal(ReconcileCommand.ExitReview, (await RunAsync(withMissing, [scan], NetworksFile, "json")).Exit);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2_048)]
    [InlineData(2_049)]
    [InlineData(9 * 2_048 + 5)]
    public async Task The_compact_report_formatted_in_blocks_on_every_core_says_what_one_writer_says_in_the_same_order(int count)
    {
        // Block and wave edges: none, one, a full block, one over, and several waves of blocks (four blocks a wave on two cores).
        var outcomes = Enumerable.Range(1, count).Select(i => new Core.Observations.ReconcileOutcome(
            i % 3 == 0 ? Core.Observations.ReconcileOutcomeKind.NotSeen : Core.Observations.ReconcileOutcomeKind.Confirmed, $"outcome \"{i}\" <é>")
        {
            Registered = new Core.Events.RegisteredDevice { AssetId = $"HO-CAM-{i:D6}", Department = "HO", Revision = 1 },
            RegisterLine = i + 1,
            MatchedBy = i % 3 == 0 ? null : "mac",
        }).ToArray();
        using var compact = new MemoryStream();
        await ReconcileReport.WriteAsync("json", outcomes, 3, "a verdict", compact, indented: false);
        using var oneWriter = new MemoryStream();
        await ReconcileReport.WriteAsync("json", outcomes, 3, "a verdict", oneWriter, indented: true);

        var parsed = System.Text.Json.Nodes.JsonNode.Parse(compact.ToArray())!;
        Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(parsed, System.Text.Json.Nodes.JsonNode.Parse(oneWriter.ToArray())));
        var lines = parsed["outcomes"]!.AsArray().Select(o => o!["registerLine"]!.GetValue<int>()).ToArray();
        Assert.Equal(Enumerable.Range(2, count), lines);
        Assert.Equal(count / 3, parsed["summary"]!["not-seen"]!.GetValue<int>());
        Assert.Equal(3, parsed["summary"]!["exit"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_scan_time_past_year_9999_is_an_unread_scan_named_by_file_and_line_not_a_crash()
    {
        var scan = Path.Combine(_folder, "scan.xml");
        var lines = await File.ReadAllLinesAsync(Scan);
        var at = Array.FindIndex(lines, l => l.Contains("endtime=\"1764493231\"", StringComparison.Ordinal));
        lines[at] = lines[at].Replace("endtime=\"1764493231\"", "endtime=\"99999999999999\"", StringComparison.Ordinal);
        await File.WriteAllLinesAsync(scan, lines);

        var (exit, _, errors) = await RunAsync(Register, [scan], NetworksFile, "json");

        Assert.Equal(ReconcileCommand.ExitError, exit);
        Assert.Contains($"scan.xml:{at + 1}: <host endtime=\"99999999999999\">", errors, StringComparison.Ordinal);
    }

    [Fact]
    public void The_verdict_counted_in_one_pass_is_what_counting_each_kind_and_status_gave()
    {
        // The reference is the earlier verdict's counting (one LINQ count per kind and status), with the same precedence.
        static (int, string) Reference(IReadOnlyList<Core.Observations.ReconcileOutcome> outcomes, int notRead, int registered)
        {
            int Count(Core.Observations.ReconcileOutcomeKind kind) => outcomes.Count(o => o.Outcome == kind);
            var nonCompliant = outcomes.Count(o => o.Evaluation?.Status == Core.Policy.ComplianceStatus.NonCompliant);
            var needsReview = outcomes.Count(o => o.Evaluation?.Status == Core.Policy.ComplianceStatus.NeedsReview);
            var counts = string.Join(", ", Enum.GetValues<Core.Observations.ReconcileOutcomeKind>().Where(k => Count(k) > 0).Select(k => $"{Count(k)} {Core.Observations.ReconcileOutcomes.ToWire(k)}"));
            return notRead > 0 ? (ReconcileCommand.ExitError, $"not fully read: {notRead} input{(notRead == 1 ? "" : "s")} or register row{(notRead == 1 ? "" : "s")} could not be read, so this is not a verdict ({counts}).")
                : registered == 0 ? (ReconcileCommand.ExitError, "the register holds no devices in service, so there is nothing to reconcile.")
                : Count(Core.Observations.ReconcileOutcomeKind.Unregistered) + Count(Core.Observations.ReconcileOutcomeKind.Contradicted) + nonCompliant > 0 ? (ReconcileCommand.ExitFinding, $"{counts}; {nonCompliant} NonCompliant.")
                : Count(Core.Observations.ReconcileOutcomeKind.Ambiguous) + Count(Core.Observations.ReconcileOutcomeKind.NotSeen) + needsReview > 0 ? (ReconcileCommand.ExitReview, $"{counts}; {needsReview} NeedsReview.")
                : (ReconcileCommand.ExitClean, $"clean: {counts}.");
        }

        var kinds = Enum.GetValues<Core.Observations.ReconcileOutcomeKind>();
        var statuses = Enum.GetValues<Core.Policy.ComplianceStatus>();
        var random = new Random(1821);
        for (var round = 0; round < 2_000; round++)
        {
            var outcomes = Enumerable.Range(0, random.Next(6)).Select(_ => new Core.Observations.ReconcileOutcome(kinds[random.Next(kinds.Length)], "x")
            {
                Evaluation = random.Next(4) == 0 ? null : new Core.Policy.Evaluation(statuses[random.Next(statuses.Length)], null, "r", []),
            }).ToArray();
            var (notRead, registered) = (random.Next(4) == 0 ? random.Next(1, 3) : 0, random.Next(8) == 0 ? 0 : 5);
            Assert.Equal(Reference(outcomes, notRead, registered), ReconcileCommand.Verdict(outcomes, notRead, registered));
        }
    }
}
