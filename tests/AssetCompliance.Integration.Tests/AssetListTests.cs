using System.Text;
using System.Text.Json;
using AssetCompliance.Api;
using AssetCompliance.Api.Security;
using AssetCompliance.Azure.Tables;
using Microsoft.AspNetCore.Http;

namespace AssetCompliance.Integration.Tests;

/// <summary>The asset list: filters, paging with opaque tokens that cannot cross departments, CSV, and who may ask.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class AssetListTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private StateStores _store = null!;

    public async Task InitializeAsync()
    {
        _store = await azurite.CreateStoreAsync();
        var messages = Enumerable.Range(1, 250).Select(i => TestEvents.Message(TestEvents.Upsert("HO", $"A{i:D3}", 1,
                manufacturer: i % 3 == 0 ? "Axis" : "Hikvision", segment: i % 5 == 0 ? "core" : "segregated")))
            .Concat(Enumerable.Range(1, 20).Select(i => TestEvents.Message(TestEvents.Upsert("MOJ", $"M{i:D3}", 1))))
            .ToArray();
        await TestEvents.Processor(_store).ProcessAsync(messages, CancellationToken.None);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private Task<(int Status, string Body)> GetAsync(string department, string query, string? principal = null, string? accept = null) =>
        TestHttp.SendAsync(TestHttp.Request(principal ?? TestEvents.Principal(), query, accept: accept),
            r => new AssetListApi(_store, TestEvents.Authorizer()).ListAsync(r, department, default));

    [Fact]
    public async Task Pages_of_a_filter_add_up_to_exactly_the_matching_devices_of_the_department()
    {
        var seen = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var (status, body) = await GetAsync("HO", "?status=NonCompliant&top=40" + (token is null ? "" : "&continuationToken=" + token));
            Assert.Equal(200, status);
            using var json = JsonDocument.Parse(body);
            var items = json.RootElement.GetProperty("items").EnumerateArray().ToArray();
            Assert.True(items.Length <= 40);
            Assert.All(items, i => Assert.Equal("NonCompliant", i.GetProperty("status").GetString()));
            seen.AddRange(items.Select(i => i.GetProperty("assetId").GetString()!));
            token = json.RootElement.TryGetProperty("continuationToken", out var next) ? next.GetString() : null; // absent on the last page
            pages++;
        }
        while (token is not null);

        var expected = Enumerable.Range(1, 250).Where(i => i % 3 != 0).Select(i => $"A{i:D3}").ToArray();
        Assert.Equal(expected.Order(), seen.Order());
        Assert.True(pages >= 5);
    }

    [Fact]
    public async Task Filters_combine_and_the_CSV_export_holds_the_whole_filtered_list()
    {
        var (_, critical) = await GetAsync("HO", "?severity=Critical&deviceType=camera&top=1000");
        var (status, csv) = await GetAsync("HO", "?severity=Critical", accept: "text/csv");

        var expected = Enumerable.Range(1, 250).Count(i => i % 3 != 0 && i % 5 == 0);
        Assert.Equal(expected, JsonDocument.Parse(critical).RootElement.GetProperty("count").GetInt32());
        Assert.Equal(200, status);
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("department,asset_id,status", lines[0]);
        Assert.Equal(expected, lines.Length - 1);
        Assert.All(lines.Skip(1), l => Assert.StartsWith("HO,A", l));
    }

    [Fact]
    public async Task A_token_of_another_department_or_a_forged_one_is_refused()
    {
        var (_, first) = await GetAsync("HO", "?top=10");
        var token = JsonDocument.Parse(first).RootElement.GetProperty("continuationToken").GetString()!;

        Assert.Equal(400, (await GetAsync("MOJ", "?continuationToken=" + token)).Status);
        Assert.Equal(400, (await GetAsync("HO", "?continuationToken=bm90LWEtdG9rZW4")).Status);
        var crafted = Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(new { D = "HO", C = "{\"NextPartitionKey\":\"MOJ\",\"NextRowKey\":\"asset|M001\"}" })).TrimEnd('=');
        var (status, body) = await GetAsync("HO", "?continuationToken=" + crafted);
        Assert.True(status is 200 or 400, $"{status}");
        Assert.DoesNotContain("M0", body); // the partition comes from the path, never from the token
    }

    [Fact]
    public async Task Every_bad_parameter_is_reported_and_callers_without_the_role_get_nothing()
    {
        var (status, body) = await GetAsync("HO", "?status=Bogus&top=0&deviceType=toaster&changedSince=yesterday&vendor=Hik'vision");
        Assert.Equal(400, status);
        var fields = JsonDocument.Parse(body).RootElement.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("path").GetString()).ToArray();
        Assert.Equal(["changedSince", "deviceType", "status", "top", "vendor"], fields.Order());

        Assert.Equal(403, (await GetAsync("HO", "", CompliancePrincipal.Encode("moj", "Department.MOJ"))).Status);
        Assert.Equal(200, (await GetAsync("HO", "", CompliancePrincipal.Encode("ho", "Department.HO"))).Status);
        Assert.Equal(401, (await GetAsync("HO", "", "not-a-principal")).Status);
    }
}
