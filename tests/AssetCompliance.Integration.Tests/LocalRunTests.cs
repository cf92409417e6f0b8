using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using AssetCompliance.Cli;

namespace AssetCompliance.Integration.Tests;

/// <summary>README command one, end to end: replay the sample estate, then read it back over HTTP.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class LocalRunTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task The_local_run_replays_the_samples_and_serves_the_evaluated_records()
    {
        var port = FreePort();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var output = new StringWriter();
        var sample = Path.Combine(RepositoryPaths.Root, "samples", "asset-events.jsonl");
        var settings = new RunCommand.Settings([sample], port, azurite.ConnectionString, Verbose: false, AlertsDir: Directory.CreateTempSubdirectory("alerts-").FullName);
        var run = Task.Run(() => new RunCommand(TextWriter.Synchronized(output)).ExecuteAsync(settings, cancel.Token));

        using var http = new HttpClient(new ValidatingHandler()) { BaseAddress = new Uri($"http://127.0.0.1:{port}/api/") };
        await WaitUntilServingAsync(http, run, output);

        var hikvision = await GetJsonAsync(http, "departments/HO/assets/HO-CAM-0001");
        var axis = await GetJsonAsync(http, "departments/HO/assets/HO-CAM-0002");
        var rejections = await GetJsonAsync(http, "departments/HO/rejections?includeBody=true");
        var unattributed = await GetJsonAsync(http, "rejections/unattributed");
        await cancel.CancelAsync();
        Assert.Equal(0, await run);

        Assert.Equal("NonCompliant", hikvision.GetProperty("status").GetString());
        Assert.Equal("hikvision", hikvision.GetProperty("vendor").GetProperty("key").GetString());
        Assert.Equal("Compliant", axis.GetProperty("status").GetString());
        var rejection = Assert.Single(rejections.GetProperty("rejections").EnumerateArray());
        Assert.Equal(3, rejection.GetProperty("errors").GetArrayLength());
        Assert.Contains("not-a-mac", rejection.GetProperty("body").GetString());
        Assert.Single(unattributed.GetProperty("rejections").EnumerateArray()); // the line that is not JSON
        Assert.Contains("1 duplicate", output.ToString());
        Assert.Contains("1 superseded", output.ToString());
        // Under the default group window, the replay's alerts were written right after its batch committed, before
        // the API was served (each department's first alerts are not held).
        var text = output.ToString();
        Assert.Matches(@"\n[1-9][0-9]* alert\(s\) written as cards", text);
        Assert.True(text.IndexOf("card → ", StringComparison.Ordinal) < text.IndexOf("Serving the compliance API", StringComparison.Ordinal), text);
    }

    /// <summary>
    /// A replay with duplicates, reordering, removals and re-additions across departments, through the local run and
    /// read back over HTTP, ends in exactly the state and summaries a sequential replay of the highest revisions
    /// implies; and the API refuses what it must.
    /// </summary>
    [Fact]
    public async Task A_messy_replay_through_the_local_run_reads_back_exactly_over_HTTP_and_the_API_refuses_what_it_must()
    {
        var random = new Random(99);
        var events = new List<(string Department, string AssetId, long Revision, string Body)>();
        foreach (var department in new[] { "HO", "MOJ", "DWP" })
        {
            for (var a = 0; a < 12; a++)
            {
                var asset = $"R{a:D2}";
                var revisions = random.Next(2, 7);
                for (var r = 1; r <= revisions; r++)
                {
                    // Removed in the middle sometimes, then added again with a later revision.
                    var body = r == 2 && a % 3 == 0
                        ? TestEvents.Remove(department, asset, r)
                        : TestEvents.Upsert(department, asset, r, manufacturer: (a + r) % 2 == 0 ? "Hikvision" : "Axis", segment: r % 3 == 0 ? "core" : "segregated");
                    events.Add((department, asset, r, body));
                }
            }
        }

        var lines = events.Concat(events.Where(_ => random.Next(4) == 0)).OrderBy(_ => random.Next()).Select(e => e.Body).ToArray();
        var file = Path.Combine(Directory.CreateTempSubdirectory("replay-").FullName, "replay.jsonl");
        await File.WriteAllLinesAsync(file, lines);

        var expectedStore = await azurite.CreateStoreAsync();
        var sequential = TestEvents.Processor(expectedStore);
        var highest = events.GroupBy(e => (e.Department, e.AssetId)).Select(g => g.MaxBy(e => e.Revision)).ToArray();
        foreach (var e in highest)
        {
            await sequential.ProcessAsync(TestEvents.Message(e.Body), CancellationToken.None);
        }

        var port = FreePort();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var output = new StringWriter();
        // A fresh table prefix: the run gets its own emulator tables through its own connection string.
        var run = Task.Run(() => new RunCommand(TextWriter.Synchronized(output)).ExecuteAsync(
            new RunCommand.Settings([file], port, null, Verbose: false, AlertsDir: Directory.CreateTempSubdirectory("alerts-").FullName), cancel.Token));
        using var http = new HttpClient(new ValidatingHandler()) { BaseAddress = new Uri($"http://127.0.0.1:{port}/api/") };
        await WaitUntilServingAsync(http, run, output);
        try
        {
            foreach (var e in highest)
            {
                var actual = await GetJsonAsync(http, $"departments/{e.Department}/assets/{e.AssetId}");
                var expected = (await expectedStore.GetRecordAsync(e.Department, e.AssetId, CancellationToken.None))!.Record;
                Assert.Equal(expected.Status.ToString(), actual.GetProperty("status").GetString());
                Assert.Equal(expected.Revision, actual.GetProperty("revision").GetInt64());
            }

            foreach (var department in new[] { "HO", "MOJ", "DWP" })
            {
                var summary = await GetJsonAsync(http, $"departments/{department}/summary");
                var expected = (await expectedStore.GetSummaryAsync(department, CancellationToken.None)).Counts;
                foreach (var status in Enum.GetValues<AssetCompliance.Core.Policy.ComplianceStatus>())
                {
                    Assert.Equal(expected.ByStatus.GetValueOrDefault(status), summary.GetProperty("counts").GetProperty("byStatus").GetProperty(status.ToString()).GetInt64());
                }
            }

            // The probe: another department's data, forged tokens, injection, oversized bodies.
            var asHomeOffice = new Dictionary<string, string> { ["X-MS-CLIENT-PRINCIPAL"] = AssetCompliance.Api.Security.CompliancePrincipal.Encode("ho", "Department.HO") };
            Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(http, HttpMethod.Get, "departments/MOJ/assets/R01", asHomeOffice));
            Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(http, HttpMethod.Get, "summary", asHomeOffice));
            Assert.Equal(HttpStatusCode.OK, await StatusAsync(http, HttpMethod.Get, "departments/HO/assets/R01", asHomeOffice));
            Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(http, HttpMethod.Get, "departments/HO/assets/R01", new() { ["X-MS-CLIENT-PRINCIPAL"] = "forged!" }));
            Assert.Equal(HttpStatusCode.BadRequest, await StatusAsync(http, HttpMethod.Get, "departments/HO/assets?continuationToken=eyJEIjoiTU9KIiwiQyI6IngifQ"));
            Assert.Equal(HttpStatusCode.BadRequest, await StatusAsync(http, HttpMethod.Get, "departments/HO'%20or%20'1'%20eq%20'1/assets"));
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, await StatusAsync(http, HttpMethod.Post, "departments/HO/asset-events", body: new string(' ', 1_100_000)));
        }
        finally
        {
            await cancel.CancelAsync();
        }

        Assert.Equal(0, await run);
    }

    /// <summary>
    /// Asset ids a URL could misread, end to end: each card's link opens its own asset in the API that the run serves;
    /// the ids '.' and '..', which a link cannot name (it would open the department's page), are rejected under their
    /// department with the reason.
    /// </summary>
    [Fact]
    public async Task Every_card_link_opens_its_own_asset_and_the_dot_segment_ids_are_rejected_saying_why()
    {
        string[] odd = ["...", "a..b", ".hidden", "CAM.", "%2E%2E", "%2e.", ".%2E", "CAM 1 (lobby)", "Ünï-📷", "a;b=c&d", "100%"];
        var file = Path.Combine(Directory.CreateTempSubdirectory("dots-").FullName, "dots.jsonl");
        // Four to a department, so that each department's first card holds all of its devices (a card is cut at 24 KB).
        string[] departments = ["HO", "MOJ", "DFE"];
        string DepartmentOf(string id) => departments[Array.IndexOf(odd, id) / 4];
        await File.WriteAllLinesAsync(file, odd.Select(id => TestEvents.Upsert(DepartmentOf(id), id, 1)).Append(TestEvents.Upsert("HO", ".", 1)).Append(TestEvents.Upsert("HO", "..", 1)));
        var alerts = Directory.CreateTempSubdirectory("alerts-").FullName;
        var port = FreePort();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var output = new StringWriter();
        // Its own emulator: the rejections it counts must be its own, not another test's in the shared one.
        var run = Task.Run(() => new RunCommand(TextWriter.Synchronized(output)).ExecuteAsync(
            new RunCommand.Settings([file], port, null, Verbose: false, AlertsDir: alerts), cancel.Token));
        using var http = new HttpClient(new ValidatingHandler()) { BaseAddress = new Uri($"http://127.0.0.1:{port}/api/") };
        await WaitUntilServingAsync(http, run, output);
        try
        {
            var links = Directory.GetFiles(alerts, "*.json")
                .SelectMany(f => UrlsIn(JsonDocument.Parse(File.ReadAllText(f)).RootElement))
                .Where(u => u.Contains("/assets/", StringComparison.Ordinal)).Distinct().ToArray();
            Assert.Equal(odd.Length, links.Length);
            var served = new List<string>();
            foreach (var link in links)
            {
                var asset = await GetJsonAsync(http, link);
                var id = asset.GetProperty("assetId").GetString()!;
                Assert.StartsWith($"http://127.0.0.1:{port}/api/departments/{DepartmentOf(id)}/assets/", link, StringComparison.Ordinal);
                served.Add(id);
            }

            Assert.Equal(odd.Order(StringComparer.Ordinal), served.Order(StringComparer.Ordinal));

            var rejections = (await GetJsonAsync(http, "departments/HO/rejections")).GetProperty("rejections").EnumerateArray().ToArray();
            Assert.Equal(2, rejections.Length);
            Assert.Contains(rejections, r => r.GetProperty("errors").EnumerateArray().Any(e => e.GetProperty("path").GetString() == "$.data.assetId"
                && e.GetProperty("message").GetString()!.Contains("'the folder above'", StringComparison.Ordinal)));
            Assert.Contains(rejections, r => r.GetProperty("errors").EnumerateArray().Any(e => e.GetProperty("message").GetString()!.Contains("'this folder'", StringComparison.Ordinal)));
        }
        finally
        {
            await cancel.CancelAsync();
        }

        Assert.Equal(0, await run);
    }

    private static IEnumerable<string> UrlsIn(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p => p.Name == "url" && p.Value.ValueKind == JsonValueKind.String ? [p.Value.GetString()!] : UrlsIn(p.Value)),
        JsonValueKind.Array => element.EnumerateArray().SelectMany(UrlsIn),
        _ => [],
    };

    /// <summary>A signal before the replay finished: the state is incomplete, so the run says so and exits 1, never 0.</summary>
    [Fact]
    public async Task A_stop_before_the_replay_finished_exits_1_without_serving()
    {
        using var stopped = new CancellationTokenSource();
        await stopped.CancelAsync();
        var output = new StringWriter();
        var sample = Path.Combine(RepositoryPaths.Root, "samples", "asset-events.jsonl");

        var exit = await new RunCommand(output).ExecuteAsync(
            new RunCommand.Settings([sample], FreePort(), azurite.ConnectionString, Verbose: false, AlertsDir: Directory.CreateTempSubdirectory("alerts-").FullName), stopped.Token);

        Assert.Equal(1, exit);
        Assert.Contains("Interrupted before the replay finished", output.ToString());
        Assert.DoesNotContain("Serving", output.ToString());
    }

    /// <summary>A port in use is found before the replay, as one error line and exit 1: not after it, as a stack trace.</summary>
    [Fact]
    public async Task A_port_in_use_is_an_error_before_the_replay()
    {
        using var taken = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var output = new StringWriter();
        var sample = Path.Combine(RepositoryPaths.Root, "samples", "asset-events.jsonl");

        var exit = await new RunCommand(output).ExecuteAsync(
            new RunCommand.Settings([sample], port, azurite.ConnectionString, Verbose: false, AlertsDir: Directory.CreateTempSubdirectory("alerts-").FullName), CancellationToken.None);

        Assert.Equal(1, exit);
        Assert.Contains($"error: cannot serve on 127.0.0.1:{port}: the port is already in use", output.ToString());
        Assert.DoesNotContain("Replayed", output.ToString());
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient http, HttpMethod method, string path, Dictionary<string, string>? headers = null, string? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        foreach (var (name, value) in headers ?? []) request.Headers.TryAddWithoutValidation(name, value);
        if (body is not null) request.Content = new StringContent(body);
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    internal static async Task WaitUntilServingAsync(HttpClient http, Task<int> run, StringWriter output)
    {
        // A liveness limit, not a timing assertion: on a fresh clone the run's first start installs Azurite (npm ci)
        // while other tests install theirs, which can take minutes on a loaded machine; a run that fails stops early
        // and is reported at once above.
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (waited.Elapsed < TimeSpan.FromMinutes(5))
        {
            if (run.IsCompleted)
            {
                Assert.Fail($"The local run stopped early with {await run}:\n{output}");
            }

            try
            {
                if ((await http.GetAsync("health")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        Assert.Fail($"The local run did not start serving:\n{output}");
    }

    private static async Task<JsonElement> GetJsonAsync(HttpClient http, string path)
    {
        var response = await http.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
