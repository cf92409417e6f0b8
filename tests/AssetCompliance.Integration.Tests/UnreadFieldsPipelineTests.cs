using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AssetCompliance.Cli;
using AssetCompliance.Core.Catalogue;
using AssetCompliance.Core.Events;
using AssetCompliance.Core.Policy;
using AssetCompliance.Core.Processing;
using AssetCompliance.Core.State;
using Microsoft.Extensions.Logging.Abstractions;

namespace AssetCompliance.Integration.Tests;

/// <summary>
/// A cell push could not read reaches the pipeline as unread (<c>data.unreadFields</c>), never as "the register holds
/// nothing": the pipeline holds the verdict back exactly as <c>check</c> does, stores the unread fields with the
/// record, keeps them through a re-evaluation, and shows them in the API. The reviewer's repro: Axis cameras whose
/// sensitivity is <c>maybe</c> or network <c>dmz</c>, and a "Secure View" camera with Excel's MAC <c>4.419E+11</c>,
/// were NeedsReview in check but stored as Compliant after a push.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class UnreadFieldsPipelineTests(AzuriteFixture azurite)
{
    private static readonly CancellationToken None = CancellationToken.None;
    private const string Header = "asset_id,department,manufacturer,model,serial_number,mac_address,device_type,site_id,site_name,site_sensitive,network_segment,installed_on,status";

    private static string Row(string id, string manufacturer, string model, string mac = "", string sensitive = "false", string segment = "segregated", string installed = "2021-03-01", string type = "camera") =>
        $"{id},HO,{manufacturer},{model},S-{id},{mac},{type},HO-SITE,Marsham Street,{sensitive},{segment},{installed},in-service";

    /// <summary>The reviewer's three rows, a fourth kind of our own (an install date Excel wrote as a serial), and a row read whole.</summary>
    private static readonly string[] Rows =
    [
        Header,
        Row("HO-CAM-1", "Axis", "P3265-LVE", sensitive: "maybe"),
        Row("HO-CAM-2", "Axis", "P3265-LVE", segment: "dmz"),
        Row("HO-CAM-3", "Secure View", "SV-100", mac: "4.419E+11"),
        Row("HO-CAM-4", "Axis", "P3265-LVE", installed: "44889"),
        Row("HO-CAM-5", "Axis", "P3265-LVE"),
    ];

    private static readonly Dictionary<string, (string[] Unread, string Column)> Expected = new()
    {
        ["HO-CAM-1"] = (["site.sensitive"], "site_sensitive"),
        ["HO-CAM-2"] = (["networkSegment"], "network_segment"),
        ["HO-CAM-3"] = (["macAddress"], "mac_address"),
        ["HO-CAM-4"] = (["installedOn"], "installed_on"),
    };

    /// <summary><c>push --dry-run</c>: the JSON Lines it prints (the same bodies it would send), its exit code and report.</summary>
    private static async Task<(int Exit, byte[] JsonLines, string Report)> PushDryRunAsync(string csv)
    {
        using var output = new MemoryStream();
        var report = new StringWriter();
        var exit = await PushCommand.RunAsync(csv, "HO", 42, new PushCommand.JsonLinesPublisher(output), report, None);
        return (exit, output.ToArray(), report.ToString());
    }

    /// <summary><c>check --format json</c> of a file: exit code and each device's status, rule and reasons by asset id.</summary>
    private static async Task<(int Exit, Dictionary<string, (string Status, string Rule, string[] Reasons, string[] Warnings)> Devices)> CheckAsync(string path)
    {
        using var output = new MemoryStream();
        var exit = await CheckCommand.RunAsync(path, "json", output, new StringWriter(), indented: false, None);
        using var document = JsonDocument.Parse(output.ToArray());
        var devices = document.RootElement.GetProperty("results").EnumerateArray().ToDictionary(
            r => r.GetProperty("assetId").GetString()!,
            r => (r.GetProperty("status").GetString()!, r.GetProperty("rule").GetString()!,
                r.GetProperty("reasons").EnumerateArray().Select(x => x.GetString()!).ToArray(),
                r.GetProperty("warnings").EnumerateArray().Select(w => w.GetProperty("column").GetString()!).ToArray()));
        return (exit, devices);
    }

    private static async Task<string> WriteAsync(string extension, byte[] content)
    {
        var path = Path.Combine(Path.GetTempPath(), $"unread-{Guid.NewGuid():N}{extension}");
        await File.WriteAllBytesAsync(path, content);
        return path;
    }

    [Fact]
    public async Task Unread_cells_pushed_are_held_back_by_the_pipeline_as_check_holds_them_back_and_kept_through_a_reevaluation()
    {
        var csv = await WriteAsync(".csv", Encoding.UTF8.GetBytes(string.Join("\n", Rows) + "\n"));
        string? jsonl = null;
        try
        {
            var (exit, lines, report) = await PushDryRunAsync(csv);
            Assert.Equal(3, exit); // every row sent, some with cells not read
            Assert.Contains("sent with warnings: site_sensitive 'maybe'", report);
            jsonl = await WriteAsync(".jsonl", lines);

            // What push sends: the unread field listed, and no value for it.
            var sent = Encoding.UTF8.GetString(lines).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToArray();
            Assert.Equal(5, sent.Length);
            foreach (var body in sent)
            {
                Assert.True(AssetEventParser.Parse(body.ToJsonString()).IsValid);
                var data = body["data"]!;
                var assetId = data["assetId"]!.GetValue<string>();
                var unread = data["unreadFields"]?.AsArray().Select(n => n!.GetValue<string>()).ToArray() ?? [];
                Assert.Equal(Expected.TryGetValue(assetId, out var expected) ? expected.Unread : [], unread);
            }

            Assert.Null(sent[0]["data"]!["site"]!["sensitive"]);
            Assert.Null(sent[1]["data"]!["networkSegment"]);
            Assert.Null(sent[2]["data"]!["macAddress"]);

            // The pipeline's own evaluation, through the real processor into Azurite.
            var store = await azurite.CreateStoreAsync();
            var results = await TestEvents.Processor(store).ProcessAsync(
                sent.Select((b, i) => TestEvents.Message(b.ToJsonString(), $"pushed.jsonl:{i + 1}")).ToArray(), None);
            Assert.All(results, r => Assert.Equal(MessageOutcome.Applied, r.Outcome));
            await AssertStoredAsync(store);

            // check of the pushed JSON Lines agrees with check of the CSV, device by device.
            var fromCsv = await CheckAsync(csv);
            var fromJsonl = await CheckAsync(jsonl);
            Assert.Equal((CheckCommand.ExitNeedsReview, CheckCommand.ExitNeedsReview), (fromCsv.Exit, fromJsonl.Exit));
            Assert.Equal(fromCsv.Devices.Keys.Order(), fromJsonl.Devices.Keys.Order());
            foreach (var (assetId, csvVerdict) in fromCsv.Devices)
            {
                var jsonlVerdict = fromJsonl.Devices[assetId];
                Assert.Equal((csvVerdict.Status, csvVerdict.Rule), (jsonlVerdict.Status, jsonlVerdict.Rule));
                Assert.Equal(csvVerdict.Reasons, jsonlVerdict.Reasons);
                Assert.Equal(csvVerdict.Warnings, jsonlVerdict.Warnings); // the same columns warned, in both formats
                var record = (await store.GetRecordAsync("HO", assetId, None))!.Record;
                Assert.Equal((csvVerdict.Status, csvVerdict.Rule), (record.Status.ToString(), record.Rule));
                Assert.Equal(csvVerdict.Reasons, record.Reasons);
            }

            // A policy change re-evaluates every record from what is stored: the unread fields still hold it back.
            var policy = CompliancePolicy.Load(Encoding.UTF8.GetBytes(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "catalogue", "policy.json"))
                .Replace("[\"camera\", \"nvr\",", "[\"camera\",", StringComparison.Ordinal)));
            Assert.NotEqual(CompliancePolicy.Default.Version, policy.Version);
            var commands = new CommandProcessor(new RecordPlanner(new DeviceIdentifier(VendorCatalogue.Default), new ComplianceEvaluator(policy)), store, TimeProvider.System, NullLogger<CommandProcessor>.Instance);
            var sweep = await new StateSweeps(commands, store, TimeProvider.System, NullLogger<StateSweeps>.Instance).ReevaluateAsync(None);
            Assert.True(sweep.Examined >= 5, $"{sweep.Examined} examined");
            foreach (var assetId in Expected.Keys)
            {
                var record = (await store.GetRecordAsync("HO", assetId, None))!.Record;
                Assert.Equal(policy.Version, record.PolicyVersion);
                Assert.Contains(await store.GetHistoryAsync("HO", assetId, None), h => h.Outcome == HistoryOutcome.Reevaluated);
            }

            await AssertStoredAsync(store);
        }
        finally
        {
            File.Delete(csv);
            if (jsonl is not null)
            {
                File.Delete(jsonl);
            }
        }
    }

    /// <summary>Each device with an unread cell is NeedsReview with the reason naming the cell, its unread fields stored; the row read whole is Compliant.</summary>
    private static async Task AssertStoredAsync(StateStores store)
    {
        foreach (var (assetId, (unread, column)) in Expected)
        {
            var record = (await store.GetRecordAsync("HO", assetId, None))!.Record;
            Assert.Equal((ComplianceStatus.NeedsReview, ComplianceEvaluator.UnreadFieldsRule), (record.Status, record.Rule));
            Assert.Contains($"The register's {column} could not be read", record.Reasons[^1]);
            Assert.Equal(unread, record.Device.UnreadFields);
        }

        var whole = (await store.GetRecordAsync("HO", "HO-CAM-5", None))!.Record;
        Assert.Equal((ComplianceStatus.Compliant, "compliant"), (whole.Status, whole.Rule));
        Assert.Empty(whole.Device.UnreadFields);
    }

    [Fact]
    public async Task The_asset_api_shows_the_unread_fields_on_the_device_and_a_removal_keeps_them_while_nothing_replaces_them()
    {
        var store = await azurite.CreateStoreAsync();
        var upsert = JsonNode.Parse(TestEvents.Upsert("HO", "CAM-1", 1, manufacturer: "Axis", sensitive: null, segment: null))!;
        upsert["data"]!["unreadFields"] = new JsonArray("site.sensitive", "networkSegment");
        await TestEvents.Processor(store).ProcessAsync([TestEvents.Message(upsert.ToJsonString())], None);

        var api = TestEvents.ComplianceApi(store);
        var (status, text) = await TestHttp.SendAsync(TestHttp.Request(TestEvents.Principal()), r => api.GetAssetAsync(r, "HO", "CAM-1", None));
        Assert.Equal(200, status);
        var asset = JsonNode.Parse(text)!;
        Assert.Equal(["site.sensitive", "networkSegment"], asset["device"]!["unreadFields"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal("NeedsReview", asset["status"]!.GetValue<string>());

        var (listStatus, list) = await TestHttp.SendAsync(TestHttp.Request(TestEvents.Principal()), r => new AssetCompliance.Api.AssetListApi(store, TestEvents.Authorizer()).ListAsync(r, "HO", None));
        Assert.Equal(200, listStatus);
        var item = Assert.Single(JsonNode.Parse(list)!["items"]!.AsArray())!;
        Assert.Equal(["site.sensitive", "networkSegment"], item["unreadFields"]!.AsArray().Select(n => n!.GetValue<string>()));

        // The CSV export says it too: an empty site_sensitive there is unread, not unknown.
        var (csvStatus, csv) = await TestHttp.SendAsync(TestHttp.Request(TestEvents.Principal(), "?format=csv"), r => new AssetCompliance.Api.AssetListApi(store, TestEvents.Authorizer()).ListAsync(r, "HO", None));
        Assert.Equal(200, csvStatus);
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var columns = lines[0].Split(',');
        var cells = lines[1].Split(',');
        Assert.Equal("site.sensitive;networkSegment", cells[Array.IndexOf(columns, "unread_fields")]);
        Assert.Equal("", cells[Array.IndexOf(columns, "site_sensitive")]);

        // A removal carrying only ids keeps the last known description, unread marks included.
        await TestEvents.Processor(store).ProcessAsync([TestEvents.Message(TestEvents.Remove("HO", "CAM-1", 2))], None);
        var removed = (await store.GetRecordAsync("HO", "CAM-1", None))!.Record;
        Assert.Equal(ComplianceStatus.Removed, removed.Status);
        Assert.Equal(["site.sensitive", "networkSegment"], removed.Device.UnreadFields);
    }
}
