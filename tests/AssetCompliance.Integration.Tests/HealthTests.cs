using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using AssetCompliance.Api;
using AssetCompliance.Azure.Emulator;
using AssetCompliance.Azure.Tables;
using AssetCompliance.Core.Catalogue;
using AssetCompliance.Core.Policy;
using AssetCompliance.Core.State;
using Microsoft.Extensions.Logging;

namespace AssetCompliance.Integration.Tests;

/// <summary>
/// <c>/api/health</c> when storage is down: 503 with the health body, from a probe that makes one bounded attempt,
/// and one concise warning per outage (not a stack trace per call). Real storage that is not there: a stopped
/// Azurite, a closed loopback port.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class HealthTests(AzuriteFixture azurite)
{
    /// <summary>A real store whose probe can be made to fail, to see the outage log start, go on and end.</summary>
    private sealed class SwitchableStore(StateStores inner) : StateStores(inner)
    {
        public bool Down { get; set; }

        public override Task<StorageProbe> ProbeAsync(CancellationToken cancellationToken) =>
            Down ? Task.FromResult(StorageProbe.Unreachable("test outage")) : base.ProbeAsync(cancellationToken);
    }

    private static ComplianceApi Api(StateStores store, TimeProvider time, ILogger<ComplianceApi> logger) =>
        new(store, store, store, new DeviceIdentifier(VendorCatalogue.Default), CompliancePolicy.Default, TestEvents.Authorizer(), time, logger);

    private static async Task<(int Status, JsonElement Body)> HealthAsync(ComplianceApi api)
    {
        var (status, text) = await TestHttp.SendAsync(TestHttp.Request(null), r => api.GetHealthAsync(r, CancellationToken.None));
        return (status, JsonDocument.Parse(text).RootElement.Clone());
    }

    private static TableStorageOptions Options(string connectionString) => new() { ConnectionString = connectionString, TablePrefix = AzuriteFixture.UniquePrefix() };

    internal static int ClosedLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port; // closed again once the listener is disposed
    }

    [Fact]
    public void The_probe_makes_one_attempt_bounded_by_a_configured_timeout_of_2_s_by_default()
    {
        var options = Options(AzuriteProcess.ConnectionStringFor(new Uri("http://127.0.0.1:10002/devstoreaccount1")));

        var probe = options.ProbeClientOptions();
        Assert.Equal(0, probe.Retry.MaxRetries);
        Assert.Equal(TimeSpan.FromSeconds(2), probe.Retry.NetworkTimeout);
        Assert.Equal(TimeSpan.FromSeconds(2), ComplianceTables.Create(options).ProbeTimeout);

        options.HealthProbeTimeoutSeconds = 0.5;
        Assert.Equal(TimeSpan.FromSeconds(0.5), options.ProbeClientOptions().Retry.NetworkTimeout);
        Assert.Equal(TimeSpan.FromSeconds(0.5), ComplianceTables.Create(options).ProbeTimeout);
        foreach (var unbounded in new[] { 0, 60, double.PositiveInfinity })
        {
            options.HealthProbeTimeoutSeconds = unbounded;
            Assert.False(Validator.TryValidateObject(options, new ValidationContext(options), [], validateAllProperties: true), $"{unbounded}");
        }
    }

    [Fact]
    public async Task With_nothing_listening_health_answers_503_with_the_health_body_and_the_reason_in_one_warning()
    {
        var store = StateStores.Create(Options(AzuriteProcess.ConnectionStringFor(new Uri($"http://127.0.0.1:{ClosedLoopbackPort()}/devstoreaccount1"))));
        var logger = new ListLogger<ComplianceApi>();

        var (status, body) = await HealthAsync(Api(store, TimeProvider.System, logger));

        Assert.Equal(503, status);
        Assert.Equal(503, body.GetProperty("status").GetInt32()); // an RFC 9457 problem, with the health members beside it
        Assert.Equal("https://asset-compliance/problems/storage-unavailable", body.GetProperty("type").GetString());
        Assert.Equal("unhealthy", body.GetProperty("health").GetString());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("failedAlerts").ValueKind); // unknown, not zero
        Assert.Equal("unavailable", body.GetProperty("storage").GetString());
        Assert.Equal(ComplianceApi.Version, body.GetProperty("version").GetString());
        Assert.Contains("Table Storage did not answer", body.GetProperty("detail").GetString());
        var warning = Assert.Single(logger.Entries);
        Assert.Equal((LogLevel.Warning, 50), (warning.Level, warning.EventId));
        Assert.Null(warning.Exception); // no stack trace
        Assert.DoesNotContain("\n", warning.Message);
        Assert.Contains("refused", warning.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task When_Azurite_stops_health_turns_from_200_to_503_and_repeated_probes_add_no_log_lines()
    {
        var logger = new ListLogger<ComplianceApi>();
        var time = new ManualTime(DateTimeOffset.UtcNow);
        var emulator = await AzuriteProcess.StartAsync(RepositoryPaths.Root, progress: null, CancellationToken.None);
        ComplianceApi api;
        try
        {
            var store = StateStores.Create(Options(emulator.ConnectionString));
            await store.EnsureCreatedAsync(CancellationToken.None);
            api = Api(store, time, logger);
            Assert.Equal(200, (await HealthAsync(api)).Status);
        }
        finally
        {
            await emulator.DisposeAsync();
        }

        for (var i = 0; i < 5; i++)
        {
            var (status, body) = await HealthAsync(api);
            Assert.Equal((503, "unhealthy"), (status, body.GetProperty("health").GetString()));
        }

        var warning = Assert.Single(logger.Entries);
        Assert.Equal((LogLevel.Warning, 50, null), (warning.Level, warning.EventId, warning.Exception));
    }

    [Fact]
    public async Task An_outage_is_logged_when_it_starts_at_most_once_a_minute_while_it_lasts_and_when_it_ends()
    {
        var store = new SwitchableStore(await azurite.CreateStoreAsync());
        var logger = new ListLogger<ComplianceApi>();
        var time = new ManualTime(DateTimeOffset.UtcNow);
        var api = Api(store, time, logger);

        Assert.Equal(200, (await HealthAsync(api)).Status);
        store.Down = true;
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(503, (await HealthAsync(api)).Status);
            time.Now += TimeSpan.FromSeconds(10);
        }

        Assert.Equal([50], logger.Entries.Select(e => e.EventId));
        time.Now += TimeSpan.FromSeconds(25); // 65 s after the first warning
        Assert.Equal(503, (await HealthAsync(api)).Status);
        Assert.Equal([50, 51], logger.Entries.Select(e => e.EventId));
        Assert.Contains("4 more failed probes", logger.Entries[1].Message);
        Assert.Equal(503, (await HealthAsync(api)).Status);
        Assert.Equal(2, logger.Entries.Count);

        store.Down = false;
        Assert.Equal(200, (await HealthAsync(api)).Status);
        Assert.Equal(200, (await HealthAsync(api)).Status);
        Assert.Equal([50, 51, 52], logger.Entries.Select(e => e.EventId));
        Assert.Equal(LogLevel.Information, logger.Entries[2].Level);
        Assert.All(logger.Entries, e => Assert.Null(e.Exception));
    }
    /// <summary>
    /// Health refuses query parameters it does not take, as every other route does (it ignored them): 400 before
    /// storage is probed, so a monitor's misspelt parameter shows at once. The Functions key (<c>code</c>) is allowed.
    /// </summary>
    [Theory]
    [InlineData("?verbose=true")]
    [InlineData("?status=healthy")]
    [InlineData("?code=key&detail=1")]
    [InlineData("?Code=key")]
    [InlineData("?=1")]
    public async Task Health_refuses_unknown_query_parameters_before_probing_storage(string query)
    {
        var logger = new ListLogger<ComplianceApi>();
        var api = Api(TestEvents.UnreachableStore(ClosedLoopbackPort()), TimeProvider.System, logger);

        var (status, text) = await TestHttp.SendAsync(TestHttp.Request(null, query), r => api.GetHealthAsync(r, CancellationToken.None));

        Assert.Equal(400, status);
        Assert.Equal("https://asset-compliance/problems/unknown-parameter", JsonDocument.Parse(text).RootElement.GetProperty("type").GetString());
        Assert.Empty(logger.Entries); // storage was not probed
    }

    [Fact]
    public async Task Health_takes_the_function_key_parameter_and_nothing_else()
    {
        var api = Api(await azurite.CreateStoreAsync(), TimeProvider.System, new ListLogger<ComplianceApi>());

        Assert.Equal(200, (await TestHttp.SendAsync(TestHttp.Request(null, "?code=function-key"), r => api.GetHealthAsync(r, CancellationToken.None))).Status);
        Assert.Equal(200, (await TestHttp.SendAsync(TestHttp.Request(null), r => api.GetHealthAsync(r, CancellationToken.None))).Status);
        Assert.Equal(400, (await TestHttp.SendAsync(TestHttp.Request(null, "?_=1700000000"), r => api.GetHealthAsync(r, CancellationToken.None))).Status);
    }
}
