using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AssetCompliance.Api;
using AssetCompliance.Azure.Api;
using AssetCompliance.Cli;
using AssetCompliance.Core.Alerting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AssetCompliance.Integration.Tests;

/// <summary>
/// The places that still write a route's path or parameter names by hand, because they cannot reference the Api
/// project (Core builds card links, the Azure project's API client reads pages) or read a parameter by its name (the
/// handlers), held to <see cref="RouteTable"/>: a renamed path or parameter that one of them misses fails here, not
/// in a channel's broken link or a parameter silently ignored.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed partial class RouteRestatementTests(AzuriteFixture azurite)
{
    private static readonly Uri ApiBase = new("https://compliance.example/api/");

    /// <summary>The route of <paramref name="method"/> whose template matches <paramref name="path"/> (relative to the prefix), if any.</summary>
    internal static ApiRoute? Matching(string method, string path) => OpenApiAnswers.RouteOf(method, $"/{ApiRoutes.Prefix}/{path}");

    [Theory]
    [InlineData("departments/HO/assets/HO-CAM-1", "getAsset")]
    [InlineData("departments/HO/summary", "getDepartmentSummary")]
    [InlineData("departments/HO/asset/HO-CAM-1", null)]
    [InlineData("departments/HO/assets/HO-CAM-1/extra", null)]
    public void The_matcher_finds_only_a_declared_route(string path, string? id) =>
        Assert.Equal(id, Matching("get", path)?.Id);

    [Fact]
    public async Task Every_link_on_a_card_or_digest_is_a_get_route_of_the_table()
    {
        var directory = Directory.CreateTempSubdirectory("card-links-").FullName;
        try
        {
            var store = await azurite.CreateStoreAsync();
            var processor = TestEvents.Processor(store);
            await processor.ProcessAsync([TestEvents.Message(TestEvents.Upsert("HO", "HO-CAM-1", 1))], CancellationToken.None);
            var sender = new FileAlertSender(directory, TextWriter.Null, TimeProvider.System);
            var dispatcher = new AlertDispatcher(store, store, sender, new SingleTargetRouting(FileAlertSender.Target(directory)),
                new AlertCardBuilder(ApiBase), new DispatchSettings { GroupWindow = TimeSpan.Zero }, TimeProvider.System, NullLogger<AlertDispatcher>.Instance);
            Assert.True(await dispatcher.DispatchAsync(CancellationToken.None) >= 1);
            Assert.True(await dispatcher.SendDigestsAsync(CancellationToken.None) >= 1);

            var urls = Directory.GetFiles(directory, "*.json").SelectMany(f => Urls(JsonNode.Parse(File.ReadAllText(f)))).Distinct().ToArray();
            // The device link and the summary link, at least.
            Assert.True(urls.Length >= 2, string.Join(", ", urls));
            Assert.All(urls, url =>
            {
                Assert.StartsWith(ApiBase.AbsoluteUri, url, StringComparison.Ordinal);
                Assert.True(Matching("get", url[ApiBase.AbsoluteUri.Length..]) is not null, $"{url} is no GET route of the table");
            });
            Assert.Contains(urls, u => Matching("get", u[ApiBase.AbsoluteUri.Length..]) == RouteTable.GetAsset);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static IEnumerable<string> Urls(JsonNode? node) => node switch
    {
        JsonObject o => o.SelectMany(p => p.Key == "url" && p.Value is JsonValue v ? [v.GetValue<string>()] : Urls(p.Value)),
        JsonArray a => a.SelectMany(Urls),
        _ => [],
    };

    [Fact]
    public async Task The_api_clients_requests_are_the_list_route_with_its_declared_parameters()
    {
        var requests = new List<(string Path, string[] Query)>();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        await using var app = builder.Build();
        app.Run(async context =>
        {
            requests.Add((context.Request.Path.Value!, [.. context.Request.Query.Keys]));
            // Two pages: the second request carries the first page's continuation token.
            await context.Response.WriteAsJsonAsync(requests.Count == 1 ? new JsonObject { ["items"] = new JsonArray(), ["continuationToken"] = "next" } : new JsonObject { ["items"] = new JsonArray() });
        });
        await app.StartAsync();
        using var http = new HttpClient();
        var client = new ComplianceApiClient(http, new Uri(app.Urls.First() + "/"), null, null, null);

        Assert.Empty(await client.GetStoredDevicesAsync("H O", default));

        Assert.Equal(2, requests.Count);
        var declared = RouteTable.ListAssets.Query.Select(p => p.Name).ToHashSet();
        Assert.All(requests, r =>
        {
            Assert.StartsWith($"/{ApiRoutes.Prefix}/", r.Path, StringComparison.Ordinal);
            Assert.Same(RouteTable.ListAssets, Matching("get", r.Path[(ApiRoutes.Prefix.Length + 2)..]));
            Assert.Subset(declared, r.Query.ToHashSet());
        });
        Assert.Contains("continuationToken", requests[1].Query);
    }

    /// <summary>
    /// The query names each handler file reads (<c>reader.One("top")</c>, <c>Query["map"]</c>) against those it declares
    /// (<c>QueryParameter.One("top", …)</c>): a name read but not declared is refused as unknown before the handler
    /// sees it, and one declared but not read is accepted and ignored; either way the request means something else.
    /// </summary>
    [Fact]
    public void Every_query_parameter_a_handler_reads_is_one_it_declares_and_every_declared_one_is_read()
    {
        var api = Path.Combine(RepositoryPaths.Root, "functions", "AssetCompliance.Api");
        var files = Directory.EnumerateFiles(api, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToDictionary(f => Path.GetRelativePath(api, f), File.ReadAllText);
        var tableNames = RouteTable.All.SelectMany(r => r.Query).Select(p => p.Name).ToHashSet();
        var drift = new List<string>();
        foreach (var (file, source) in files)
        {
            var (declared, read) = Names(source);
            // ApiRoute.cs reads the department filter for every route's access rule; a route declares it.
            var allowed = file == "ApiRoute.cs" ? tableNames : declared;
            drift.AddRange(read.Except(allowed).Select(n => $"{file} reads '{n}', which it does not declare"));
            drift.AddRange(declared.Except(read).Select(n => $"{file} declares '{n}' and never reads it"));
        }

        Assert.Empty(drift);
        // Every name the table holds is declared in some file the scan saw (so the scan is not vacuous).
        Assert.Subset(files.Values.SelectMany(s => Names(s).Declared).ToHashSet(), tableNames);
    }

    [Fact]
    public void The_parameter_scan_sees_reads_and_declarations()
    {
        var (declared, read) = Names("""
            QueryParameter.One("top", "Page size", "integer"), QueryParameter.List("status", "s"), QueryParameter.Instant("since", "i")
            var t = reader.One("top"); var s = q.List<Kind>("state", parse, "x"); var m = request.Query["map"]; var f = r.Flag("dryRun");
            """);
        Assert.Equal(["since", "status", "top"], declared.Order(StringComparer.Ordinal));
        Assert.Equal(["dryRun", "map", "state", "top"], read.Order(StringComparer.Ordinal));
    }

    private static (HashSet<string> Declared, HashSet<string> Read) Names(string source) =>
        ([.. Declaration().Matches(source).Select(m => m.Groups["name"].Value)],
         [.. Read().Matches(source).Select(m => m.Groups["name"].Value)]);

    [GeneratedRegex(@"QueryParameter\.(?:One|List|Instant)\(""(?<name>\w+)""")]
    private static partial Regex Declaration();

    [GeneratedRegex(@"(?<!QueryParameter)\.(?:One|Flag|Instant|List|Keys|Values)(?:<[^>(]+>)?\(""(?<name>\w+)""|Query\[""(?<name>\w+)""\]")]
    private static partial Regex Read();
}
