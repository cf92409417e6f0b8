using AssetCompliance.Azure.Api;
using AssetCompliance.Core.State;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace AssetCompliance.Integration.Tests;

/// <summary>
/// <see cref="ComplianceApiClient"/> against a loopback API answering one page: a page it cannot wholly read is the
/// stored devices not read (<see cref="DependencyUnavailableException"/>, which push --sync turns into exit 1 sending
/// nothing), never a crash and never a device taken as in service or removed on a guess.
/// </summary>
public sealed class ComplianceApiClientTests
{
    private const string Device = """{"assetId":"HO-1","department":"HO","revision":3,"manufacturer":"Axis","deviceType":"camera","site":{"id":"S","name":"Site","sensitive":true}}""";

    [Theory]
    [InlineData($$"""{"items":[{"assetId":"HO-1","status":"Compliant","registered":{{Device}}}]}""", null)]
    [InlineData($$"""{"items":[{"assetId":"HO-1","registered":{{Device}}}]}""", "has no known status")]
    [InlineData($$"""{"items":[{"assetId":"HO-1","status":"Gone","registered":{{Device}}}]}""", "has no known status")]
    [InlineData($$"""{"items":[{"assetId":"HO-1","status":7,"registered":{{Device}}}]}""", "has no known status")]
    [InlineData("""{"items":[{"assetId":"HO-1","status":"Compliant","registered":{"assetId":"HO-1","department":"HO","revision":"three"}}]}""", "could not be read")]
    [InlineData("""{"items":[{"assetId":"HO-1","status":"Compliant","registered":{"assetId":"HO-1","department":"HO","revision":3,"deviceType":"toaster"}}]}""", "could not be read")]
    public async Task A_page_it_cannot_wholly_read_is_the_stored_devices_not_read(string page, string? problem)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        await using var app = builder.Build();
        app.MapGet("/api/departments/HO/assets", () => Results.Text(page, "application/json"));
        await app.StartAsync();
        using var http = new HttpClient();
        var client = new ComplianceApiClient(http, new Uri(app.Urls.First() + "/"), null, null, null);

        if (problem is null)
        {
            var stored = Assert.Single(await client.GetStoredDevicesAsync("HO", default));
            Assert.Equal(("HO-1", false), (stored.Device.AssetId, stored.Removed));
            return;
        }

        var error = await Assert.ThrowsAsync<DependencyUnavailableException>(() => client.GetStoredDevicesAsync("HO", default));
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }
}
