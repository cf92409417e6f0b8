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
        var settings = new RunCommand.Settings([sample], port, azurite.ConnectionString, Verbose: false);
        var run = Task.Run(() => new RunCommand(TextWriter.Synchronized(output)).ExecuteAsync(settings, cancel.Token));

        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/api/") };
        await WaitUntilServingAsync(http, run, output);

        var hikvision = await GetJsonAsync(http, "departments/HO/assets/HO-CAM-0001");
        var axis = await GetJsonAsync(http, "departments/HO/assets/HO-CAM-0002");
        var rejections = await GetJsonAsync(http, "departments/HO/rejections?includeBody=true");
        await cancel.CancelAsync();
        Assert.Equal(0, await run);

        Assert.Equal("NonCompliant", hikvision.GetProperty("status").GetString());
        Assert.Equal("hikvision", hikvision.GetProperty("vendor").GetProperty("key").GetString());
        Assert.Equal("Compliant", axis.GetProperty("status").GetString());
        var rejection = Assert.Single(rejections.GetProperty("rejections").EnumerateArray());
        Assert.Equal(3, rejection.GetProperty("errors").GetArrayLength());
        Assert.Contains("not-a-mac", rejection.GetProperty("body").GetString());
        Assert.Contains("1 duplicate", output.ToString());
        Assert.Contains("1 superseded", output.ToString());
    }

    private static async Task WaitUntilServingAsync(HttpClient http, Task<int> run, StringWriter output)
    {
        for (var attempt = 0; attempt < 600; attempt++)
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

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
