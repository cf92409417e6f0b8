using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AssetCompliance.Azure.Api;
using AssetCompliance.Cli;
using AssetCompliance.Core.Processing;
using AssetCompliance.Core.Registers;

namespace AssetCompliance.Integration.Tests;

/// <summary>
/// <c>compliance push --sync</c> against the local run over real HTTP (its API on Azurite): the stored devices are read
/// page by page from <c>GET /api/departments/{d}/assets</c>, the plan is reported before anything is sent, and the events
/// go to the run's <c>asset-events</c> route, so what a later sync reads back is what the pipeline stored.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class PushSyncTests(AzuriteFixture azurite)
{
    // A department of its own, so that the shared emulator's other departments stay as other tests left them.
    private const string Department = "DSIT";
    private static readonly string Header = string.Join(',', RegisterReader.CsvHeader);

    private static string Row(int i, string manufacturer = "Hikvision") =>
        $"DSIT-{i:D2},DSIT,{manufacturer},{(manufacturer == "Hikvision" ? "DS-2CD2143G2-I" : "P3245-LVE")},S{i},BC:AD:28:4F:{i / 256:X2}:{i % 256:X2},camera,DSIT-1,22 Whitehall,true,segregated,2023-01-01,in-service";

    private static async Task<string> FileAsync(IEnumerable<string> rows)
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("sync-").FullName, "register.csv");
        await File.WriteAllTextAsync(path, Header + "\n" + string.Join("\n", rows) + "\n");
        return path;
    }

    private static async Task<(int Exit, string Report)> SyncAsync(string path, ComplianceApiClient api, IAssetEventPublisher publisher, int? allowRemovals = null)
    {
        var report = new StringWriter();
        var sync = new PushCommand.SyncRequest(t => api.GetStoredDevicesAsync(Department, t), new RegisterSyncOptions { Removals = true, AllowRemovals = allowRemovals }, "the test's local run");
        var exit = await PushCommand.RunAsync(path, Department, 1000, publisher, report, CancellationToken.None, sync: sync);
        return (exit, report.ToString());
    }

    [Fact]
    public async Task A_sync_sends_the_register_then_only_its_changes_and_removes_within_the_guard()
    {
        var port = LocalRunTests.FreePort();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var output = new StringWriter();
        // The run replays the samples unless given a file: one event of another department keeps the shared
        // emulator's sample departments as the sample replay test expects them.
        var seed = Path.Combine(Directory.CreateTempSubdirectory("seed-").FullName, "seed.jsonl");
        await File.WriteAllTextAsync(seed, TestEvents.Upsert("DCMS", "SEED-1", 1) + "\n");
        var settings = new RunCommand.Settings([seed], port, azurite.ConnectionString, Verbose: false, AlertsDir: Directory.CreateTempSubdirectory("alerts-").FullName);
        var run = Task.Run(() => new RunCommand(TextWriter.Synchronized(output)).ExecuteAsync(settings, cancel.Token));
        using var http = new HttpClient(new ValidatingHandler()) { BaseAddress = new Uri($"http://127.0.0.1:{port}/api/") };
        await LocalRunTests.WaitUntilServingAsync(http, run, output);
        var api = new ComplianceApiClient(http, new Uri($"http://127.0.0.1:{port}/"), null, null, null);
        var publisher = new RoutePublisher(http);

        // 1,205 devices: more than one page of the list (1,000), so the paging is what is read.
        var all = Enumerable.Range(1, 1205).Select(i => Row(i)).ToList();
        var (first, sent) = await SyncAsync(await FileAsync(all.Take(12)), api, publisher);
        var (bulk, _) = await SyncAsync(await FileAsync(all), api, publisher);
        var (again, unchanged) = await SyncAsync(await FileAsync(all), api, publisher);

        // DSIT-01 is replaced by an Axis camera; 121 are gone: more than 10% of 1,205 (120).
        var changed = all.Take(1084).Select((row, i) => i == 0 ? Row(1, "Axis Communications") : row).ToList();
        var beforeRefusal = publisher.Sent;
        var (refused, refusal) = await SyncAsync(await FileAsync(changed), api, publisher);
        var afterRefusal = publisher.Sent;
        var (dry, plan) = await SyncAsync(await FileAsync(changed), api, new PushCommand.JsonLinesPublisher(new MemoryStream()), allowRemovals: 121);
        var (synced, done) = await SyncAsync(await FileAsync(changed), api, publisher, allowRemovals: 121);
        var stored = await api.GetStoredDevicesAsync(Department, default);
        await cancel.CancelAsync();
        Assert.Equal(0, await run);

        Assert.True(first == 0, sent);
        Assert.Contains("12 to send (12 new, 0 changed, 0 to remove), 0 unchanged", sent);
        Assert.Equal(0, bulk);
        Assert.True(again == 0, unchanged);
        Assert.Contains("against 1205 stored device(s)", unchanged);
        Assert.Contains("0 to send (0 new, 0 changed, 0 to remove), 1205 unchanged", unchanged); // the stored fields round-trip exactly
        Assert.Equal(2, refused);
        Assert.Contains("error: sync refused: the register would remove 121 device(s)", refusal);
        Assert.Contains("--allow-removals 121", refusal);
        Assert.Equal(beforeRefusal, afterRefusal); // the refused sync sent nothing, not even the change
        Assert.Equal(0, dry);
        Assert.Contains("register.csv:2: changed: DSIT-01", plan);
        Assert.Contains("register.csv: stored, not in the register: removed: DSIT-1205", plan);
        Assert.Equal(0, synced);
        Assert.Contains("122 to send (0 new, 1 changed, 121 to remove), 1083 unchanged", done);
        Assert.Equal(121, stored.Count(s => s.Removed));
        Assert.Equal("Axis Communications", stored.Single(s => s.Device.AssetId == "DSIT-01").Device.Manufacturer);
    }

    [Fact]
    public async Task When_the_stored_devices_cannot_be_read_a_sync_sends_nothing_and_exits_1()
    {
        using var http = new HttpClient();
        var api = new ComplianceApiClient(http, new Uri($"http://127.0.0.1:{LocalRunTests.FreePort()}/"), null, null, null); // nothing listens there
        var publisher = new RoutePublisher(http);

        var (exit, report) = await SyncAsync(await FileAsync([Row(1)]), api, publisher);

        Assert.Equal(1, exit);
        Assert.Contains("error: --sync needs the department's stored devices", report);
        Assert.Contains("Nothing was sent", report);
        Assert.Equal(0, publisher.Sent);
    }

    /// <summary>Sends events to the run's <c>POST /api/departments/{d}/asset-events</c>, 500 at a time, as a department without Service Bus would.</summary>
    private sealed class RoutePublisher(HttpClient http) : IAssetEventPublisher
    {
        public int Sent { get; private set; }

        public async Task PublishAsync(IReadOnlyList<OutgoingEvent> events, CancellationToken cancellationToken)
        {
            foreach (var chunk in events.Chunk(500))
            {
                var body = "[" + string.Join(",", chunk.Select(e => Encoding.UTF8.GetString(e.Body.Span))) + "]";
                using var response = await http.PostAsync($"departments/{Department}/asset-events", new StringContent(body, Encoding.UTF8, "application/json"), cancellationToken);
                Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
                Sent += chunk.Length;
            }
        }
    }
}

/// <summary>
/// <c>push --sync</c> options as the shell passes them: a sync that could not be done safely is one error line and exit 1.
/// The command writes to <see cref="Console.Error"/>, so the class runs alone (<see cref="ConsoleCollection"/>).
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class PushSyncCommandLineTests
{
    [Theory]
    [InlineData("--sync --api https://func-ac.azurewebsites.net", "needs --api-client-id")]
    [InlineData("--allow-removals 3", "only with --sync")]
    [InlineData("--sync --api ftp://func-ac", "is not an http(s) address")]
    public async Task The_command_line_refuses_a_sync_it_cannot_do_safely(string arguments, string message)
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("sync-").FullName, "register.csv");
        await File.WriteAllTextAsync(path, string.Join(',', RegisterReader.CsvHeader) + "\n");
        var errors = new StringWriter();
        var original = Console.Error;
        int exit;
        try
        {
            Console.SetError(errors);
            Environment.SetEnvironmentVariable("AUTH_CLIENT_ID", null);
            exit = await PushCommand.Create().Parse($"{path} --department DSIT --dry-run {arguments}".Split(' ')).InvokeAsync();
        }
        finally
        {
            Console.SetError(original);
        }

        Assert.True(exit == 1, errors.ToString());
        Assert.Contains(message, errors.ToString());
    }
}
