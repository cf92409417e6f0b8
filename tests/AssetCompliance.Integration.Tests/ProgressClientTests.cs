using AssetCompliance.Api.Security;
using AssetCompliance.Azure.Api;
using AssetCompliance.Cli;
using AssetCompliance.Core.Processing;
using AssetCompliance.Core.State;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AssetCompliance.Integration.Tests;

/// <summary>
/// The typed progress reads of <see cref="ComplianceApiClient"/> (for <c>compliance report</c>) against the local
/// run's routes over Azurite, and what it does with an answer that is not progress figures.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ProgressClientTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task The_client_reads_a_departments_and_the_estates_progress_from_the_local_runs_routes()
    {
        var settings = new RunCommand.Settings([], 7072, azurite.ConnectionString, Verbose: false, AlertsDir: Directory.CreateTempSubdirectory("alerts-").FullName);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(RunCommand.Configuration(settings, azurite.ConnectionString))
            .AddInMemoryCollection(new Dictionary<string, string?> { ["ComplianceStorage:TablePrefix"] = AzuriteFixture.UniquePrefix() });
        RunCommand.AddServices(builder.Services, builder.Configuration, settings, TextWriter.Null);
        await using var app = builder.Build();
        LocalRoutes.Map(app, [ComplianceRoles.ReadAll]);
        await app.Services.GetRequiredService<AssetCompliance.Azure.Tables.ComplianceTables>().EnsureCreatedAsync(default);
        await app.StartAsync();
        await app.Services.GetRequiredService<AssetEventProcessor>().ProcessAsync([
            TestEvents.Message(TestEvents.Upsert("HO", "CAM-1", 1)),
            TestEvents.Message(TestEvents.Upsert("HO", "CAM-2", 1, segment: "core")),
            TestEvents.Message(TestEvents.Upsert("MOJ", "CAM-9", 1, manufacturer: "Axis")),
        ], default);
        using var http = new HttpClient();
        var client = new ComplianceApiClient(http, new Uri(app.Urls.First() + "/"), null, null, null);

        var home = await client.GetDepartmentProgressAsync("HO", default);
        Assert.Equal(new ProgressCurrent(2, 2, 2, 1, 2), home.Current);
        Assert.Equal(new DateOnly(2022, 11, 24), home.Since);
        Assert.Equal("2022-11", home.Trend[0].Month);
        Assert.Equal(2, home.OpenItemsByAge.Under30Days);

        var estate = await client.GetEstateProgressAsync(default);
        Assert.Equal(new ProgressCurrent(3, 2, 2, 1, 2), estate.Estate.Current);
        Assert.Equal(["HO", "MOJ"], estate.Departments.Select(d => d.Department));
        Assert.Equal(home.Current, estate.Departments[0].Current);
    }

    [Theory]
    [InlineData(200, """{"department":"HO","asOf":"2026-06-01T00:00:00Z","since":"2022-11-24"}""", "not a department's progress figures")]
    [InlineData(200, """{"department":"MOJ","asOf":"2026-06-01T00:00:00Z","since":"2022-11-24","current":{},"trend":[],"openItemsByAge":{},"plans":{},"overduePlans":0}""", "not a department's progress figures")]
    [InlineData(200, """{"department":"HO","current":{"devices":"many"}}""", "could not be read")]
    [InlineData(200, "[1,2", "could not be read")]
    [InlineData(404, """{"type":"https://asset-compliance/problems/not-found","title":"Not found","status":404}""", "answered 404")]
    public async Task An_answer_that_is_not_progress_figures_is_the_progress_not_read(int status, string body, string problem)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        await using var app = builder.Build();
        app.MapGet("/api/departments/HO/progress", () => Results.Text(body, "application/json", statusCode: status));
        await app.StartAsync();
        using var http = new HttpClient();
        var client = new ComplianceApiClient(http, new Uri(app.Urls.First() + "/"), null, null, null);

        var error = await Assert.ThrowsAsync<DependencyUnavailableException>(() => client.GetDepartmentProgressAsync("HO", default));
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }
}
