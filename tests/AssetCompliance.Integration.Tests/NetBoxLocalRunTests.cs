using System.Net;
using System.Text.Json;
using AssetCompliance.Cli;
using AssetCompliance.Core.NetBox;

namespace AssetCompliance.Integration.Tests;

/// <summary>The README's local NetBox setup: the run reads the department's secret from its environment and serves the route.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class NetBoxLocalRunTests(AzuriteFixture azurite)
{
    private const string Variable = "NetBox__Secrets__NBX";
    private const string Secret = "local-run-netbox-secret-42";

    [Fact]
    public async Task The_local_run_takes_a_signed_NetBox_webhook_with_the_secret_from_its_environment()
    {
        var previous = Environment.GetEnvironmentVariable(Variable);
        Environment.SetEnvironmentVariable(Variable, Secret);
        try
        {
            var port = LocalRunTests.FreePort();
            using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            var output = new StringWriter();
            // Another department than the samples', in the shared emulator's default tables: the sample replay's own
            // test must find them as it left them.
            var sample = Path.Combine(Directory.CreateTempSubdirectory("netbox-run-").FullName, "one.jsonl");
            await File.WriteAllTextAsync(sample, TestEvents.Upsert("NBX", "NBX-0", 1) + "\n");
            var run = Task.Run(() => new RunCommand(TextWriter.Synchronized(output)).ExecuteAsync(
                new RunCommand.Settings([sample], port, azurite.ConnectionString, Verbose: false, AlertsDir: Directory.CreateTempSubdirectory("alerts-").FullName), cancel.Token));
            using var http = new HttpClient(new ValidatingHandler()) { BaseAddress = new Uri($"http://127.0.0.1:{port}/api/") };
            await LocalRunTests.WaitUntilServingAsync(http, run, output);

            var body = await File.ReadAllBytesAsync(Path.Combine(RepositoryPaths.Root, "samples", "netbox", "device-created-4.6.json"));
            var unsigned = await PostAsync(http, body, null);
            var signed = await PostAsync(http, body, NetBoxSignature.Compute(body, new NetBoxSecret(Secret)));
            using var asset = JsonDocument.Parse(await http.GetStringAsync("departments/NBX/assets/HO-CAM-0101"));
            await cancel.CancelAsync();
            Assert.Equal(0, await run);

            Assert.Equal(HttpStatusCode.Unauthorized, unsigned); // the developer's injected principal opens nothing here
            Assert.Equal(HttpStatusCode.Accepted, signed);
            Assert.Equal("NonCompliant", asset.RootElement.GetProperty("status").GetString());
        }
        finally
        {
            Environment.SetEnvironmentVariable(Variable, previous);
        }
    }

    private static async Task<HttpStatusCode> PostAsync(HttpClient http, byte[] body, string? signature)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "departments/NBX/netbox") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        if (signature is not null) request.Headers.Add(NetBoxSignature.HeaderName, signature);
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }
}
