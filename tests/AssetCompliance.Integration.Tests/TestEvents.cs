using System.Text;
using System.Text.Json.Nodes;
using AssetCompliance.Azure.Emulator;
using AssetCompliance.Azure.Tables;
using AssetCompliance.Core.Catalogue;
using Azure.Data.Tables;
using AssetCompliance.Core.Policy;
using AssetCompliance.Core.Processing;
using AssetCompliance.Core.State;
using AssetCompliance.Api;
using Microsoft.Extensions.Logging.Abstractions;

namespace AssetCompliance.Integration.Tests;

internal static class TestEvents
{
    public static string Upsert(string department, string assetId, long revision, string manufacturer = "Hikvision", bool? sensitive = true,
        string? segment = "segregated", string deviceType = "camera", string? id = null, string? mac = null, string siteId = "S1")
    {
        var site = new JsonObject { ["id"] = siteId, ["name"] = "Site one" };
        if (sensitive is not null)
        {
            site["sensitive"] = sensitive;
        }

        var data = new JsonObject
        {
            ["assetId"] = assetId,
            ["department"] = department,
            ["revision"] = revision,
            ["manufacturer"] = manufacturer,
            ["deviceType"] = deviceType,
            ["site"] = site,
        };
        if (segment is not null)
        {
            data["networkSegment"] = segment;
        }

        if (mac is not null)
        {
            data["macAddress"] = mac;
        }

        return Envelope(department, assetId, id ?? $"{department}-{assetId}-{revision}", "asset.device.upserted", data);
    }

    public static string Remove(string department, string assetId, long revision, string? id = null) =>
        Envelope(department, assetId, id ?? $"{department}-{assetId}-{revision}-rm", "asset.device.removed",
            new JsonObject { ["assetId"] = assetId, ["department"] = department, ["revision"] = revision });

    private static string Envelope(string department, string assetId, string id, string type, JsonObject data) => new JsonObject
    {
        ["specversion"] = "1.0",
        ["id"] = id,
        ["source"] = $"/departments/{department}/asset-register",
        ["type"] = type,
        ["subject"] = assetId,
        ["time"] = "2026-11-20T09:00:00Z",
        ["datacontenttype"] = "application/json",
        ["data"] = data,
    }.ToJsonString();

    /// <summary>A message as it arrives through the topic of the department its body claims (if it claims one beyond doubt; else nothing vouches for it).</summary>
    public static InboundMessage Message(string body, string? messageId = null) =>
        new(messageId ?? Guid.NewGuid().ToString("N"), Encoding.UTF8.GetBytes(body), 1, DateTimeOffset.Parse("2026-11-20T09:00:01Z", System.Globalization.CultureInfo.InvariantCulture), "test")
        {
            Vouch = SenderVouch.ForDepartment(AssetCompliance.Core.Events.DepartmentClaim.Read(Encoding.UTF8.GetBytes(body), complete: true), "its Service Bus topic"),
        };

    /// <summary>
    /// The application properties a message has when it was sent to the topic of the department its body claims:
    /// the subscription rule's stamp (none when the body claims no department beyond doubt).
    /// </summary>
    public static Dictionary<string, object> OwnTopic(string body) =>
        AssetCompliance.Core.Events.DepartmentClaim.Read(Encoding.UTF8.GetBytes(body), complete: true) is { } department
            ? new() { [SenderVouch.PropertyName] = department }
            : [];

    /// <summary>A store whose storage account does not answer (nothing listens on <paramref name="port"/>), failing fast: no retries.</summary>
    public static StateStores UnreachableStore(int port = 9)
    {
        var options = TableStorageOptions.DataClientOptions();
        options.Retry.MaxRetries = 0;
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(2);
        var client = new TableServiceClient(AzuriteProcess.ConnectionStringFor(new Uri($"http://127.0.0.1:{port}/devstoreaccount1")), options);
        return StateStores.Open(client, "unreachable");
    }

    public static AssetEventProcessor Processor(StateStores store, TimeProvider? time = null) =>
        new(Commands(store, time), store, NullLogger<AssetEventProcessor>.Instance);

    public static CommandProcessor Commands(StateStores store, TimeProvider? time = null) => new(
        new RecordPlanner(new DeviceIdentifier(VendorCatalogue.Default), new ComplianceEvaluator(CompliancePolicy.Default)),
        store,
        time ?? TimeProvider.System,
        NullLogger<CommandProcessor>.Instance);

    /// <summary>The Service Bus function over a store; alerts go nowhere unless a routing is given.</summary>
    public static AssetCompliance.Functions.ServiceBusFunctions Ingest(StateStores store, AssetCompliance.Azure.Teams.AlertingOptions? routing = null, TimeProvider? time = null) =>
        new(Intake(store, routing, time));

    /// <summary>
    /// Every host's intake over a store, with the configured dispatch settings (the default 60 s group window unless
    /// the routing says otherwise); alerts go nowhere unless a routing with a webhook is given.
    /// </summary>
    public static AssetEventIntake Intake(StateStores store, AssetCompliance.Azure.Teams.AlertingOptions? routing = null, TimeProvider? time = null) =>
        new(Processor(store, time), Dispatcher(store, routing, time));

    /// <summary>
    /// The dispatcher as the hosts configure it (the routing's settings: by default a 60 s group window), with a
    /// sender that does not space its posts and retries within milliseconds, so that tests do not wait.
    /// </summary>
    public static AssetCompliance.Core.Alerting.AlertDispatcher Dispatcher(StateStores store, AssetCompliance.Azure.Teams.AlertingOptions? routing = null, TimeProvider? time = null) =>
        Dispatcher(store, routing ?? new AssetCompliance.Azure.Teams.AlertingOptions(), time ?? TimeProvider.System, new HttpClient(),
            new AssetCompliance.Azure.Teams.TeamsSenderSettings { MinInterval = TimeSpan.Zero, RetryBase = TimeSpan.FromMilliseconds(10) }, TimeProvider.System);

    /// <summary>
    /// The dispatcher as the hosts configure it, with a sender as <paramref name="senderSettings"/> say (the defaults
    /// space posts to one webhook a second apart) on <paramref name="senderTime"/>, posting through <paramref name="http"/>.
    /// </summary>
    public static AssetCompliance.Core.Alerting.AlertDispatcher Dispatcher(StateStores store, AssetCompliance.Azure.Teams.AlertingOptions routing, TimeProvider time,
        HttpClient http, AssetCompliance.Azure.Teams.TeamsSenderSettings senderSettings, TimeProvider senderTime) =>
        new(store, store, new AssetCompliance.Azure.Teams.TeamsWebhookSender(http, senderSettings, senderTime),
            routing, new AssetCompliance.Core.Alerting.AlertCardBuilder(routing.ApiBaseUrl ?? new Uri("http://localhost/api/")),
            routing.ToDispatchSettings(), time, NullLogger<AssetCompliance.Core.Alerting.AlertDispatcher>.Instance);

    public static StateApi StateApi(StateStores store, TimeProvider? time = null, bool trustPrincipal = true)
    {
        var commands = Commands(store, time);
        return new StateApi(store, store, new Exemptions(commands, time ?? TimeProvider.System),
            new StateSweeps(commands, store, time ?? TimeProvider.System, NullLogger<StateSweeps>.Instance), new RecordRecovery(commands), Authorizer(trustPrincipal), audit: store.Audit);
    }

    /// <summary>The remediation plan routes over a store, on <paramref name="time"/>'s clock.</summary>
    public static RemediationApi RemediationApi(StateStores store, TimeProvider? time = null, bool trustPrincipal = true) =>
        new(store, new Remediations(Commands(store, time)), Authorizer(trustPrincipal));

    public static ComplianceApi ComplianceApi(StateStores store, bool trustPrincipal = true) =>
        new(store, store, store, new DeviceIdentifier(VendorCatalogue.Default), CompliancePolicy.Default, Authorizer(trustPrincipal));

    /// <summary>The register route, sending through the local run's publisher (each event processed into <paramref name="store"/> as the queue would).</summary>
    public static RegisterApi RegisterApi(StateStores store, bool trustPrincipal = true) =>
        new(store, new AssetCompliance.Cli.LocalProcessingPublisher(() => Intake(store), TimeProvider.System), Authorizer(trustPrincipal));

    public static AssetCompliance.Api.Security.ComplianceAuthorizer Authorizer(bool trustPrincipal = true) =>
        new(Microsoft.Extensions.Options.Options.Create(new AssetCompliance.Api.Security.ComplianceAuthOptions { TrustPlatformPrincipal = trustPrincipal }));

    /// <summary>The header App Service Authentication would add for a caller with these roles (default: the central team's admin).</summary>
    /// <summary>
    /// The second administrator of the two-person exemption rule: "approver", whose object id (derived from the name)
    /// differs from <see cref="Principal"/>'s "tester".
    /// </summary>
    public static string SecondAdmin() => AssetCompliance.Api.Security.CompliancePrincipal.Encode("approver", AssetCompliance.Api.Security.ComplianceRoles.Admin);

    /// <summary>Approves the device's pending exemption request as <see cref="SecondAdmin"/>; the HTTP status and body.</summary>
    public static Task<(int Status, string Body)> ApproveExemptionAsync(StateApi api, string department, string assetId, string body = "{}", string? principal = null) =>
        TestHttp.SendAsync(TestHttp.Request(principal ?? SecondAdmin(), method: "POST", body: System.Text.Encoding.UTF8.GetBytes(body)),
            r => api.ApproveExemptionAsync(r, department, assetId, default));

    public static string Principal(params string[] roles) =>
        AssetCompliance.Api.Security.CompliancePrincipal.Encode("tester", roles.Length > 0 ? roles : [AssetCompliance.Api.Security.ComplianceRoles.ReadAll, AssetCompliance.Api.Security.ComplianceRoles.Admin]);

    /// <summary>The oldest open NonCompliant device found by scanning the records (to check the maintained one against).</summary>
    public static async Task<string?> OldestOpenByScanAsync(StateStores store, string department)
    {
        var open = new List<ComplianceRecord>();
        await foreach (var stored in store.FindRecordsAsync(department, new RecordFilter.All(), CancellationToken.None))
        {
            if (stored.Record.Status == ComplianceStatus.NonCompliant) open.Add(stored.Record);
        }

        return open.OrderBy(r => r.StatusSince.UtcTicks).ThenBy(r => r.AssetId, StringComparer.Ordinal).FirstOrDefault()?.AssetId;
    }

    /// <summary>
    /// Checks that the row columns the list filters and sweeps query say what the records say. The store updates
    /// those columns by merge and sends only the ones that move, so a column left stale would show here as a record
    /// found by the wrong filter, or missed by the right one.
    /// </summary>
    public static async Task AssertColumnsAgreeAsync(StateStores store, string department, DateTimeOffset now)
    {
        var records = new List<ComplianceRecord>();
        await foreach (var stored in store.FindRecordsAsync(department, new RecordFilter.All(), CancellationToken.None))
        {
            records.Add(stored.Record);
        }

        Assert.NotEmpty(records);
        foreach (var status in Enum.GetValues<ComplianceStatus>())
            Assert.Equal(Ids(records.Where(r => r.Status == status)), await QueryIdsAsync(store, department, new AssetQuery { Statuses = [status] }));
        foreach (var severity in Enum.GetValues<Severity>())
            Assert.Equal(Ids(records.Where(r => r.Severity == severity)), await QueryIdsAsync(store, department, new AssetQuery { Severities = [severity] }));
        foreach (var vendor in records.Select(r => r.Vendor?.Key).OfType<string>().Distinct())
            Assert.Equal(Ids(records.Where(r => r.Vendor?.Key == vendor)), await QueryIdsAsync(store, department, new AssetQuery { VendorKeys = [vendor] }));
        foreach (var site in records.Select(r => r.Device.Site?.Id).OfType<string>().Distinct())
            Assert.Equal(Ids(records.Where(r => r.Device.Site?.Id == site)), await QueryIdsAsync(store, department, new AssetQuery { SiteIds = [site] }));
        foreach (var type in records.Select(r => r.Device.DeviceType).OfType<AssetCompliance.Core.Events.DeviceType>().Distinct())
            Assert.Equal(Ids(records.Where(r => r.Device.DeviceType == type)), await QueryIdsAsync(store, department, new AssetQuery { DeviceTypes = [type] }));
        foreach (var (catalogue, policy) in records.Select(r => (r.CatalogueVersion, r.PolicyVersion)).Distinct())
            Assert.Equal(Ids(records.Where(r => r.CatalogueVersion != catalogue || r.PolicyVersion != policy)), await FindIdsAsync(store, department, new RecordFilter.NotEvaluatedWith(catalogue, policy)));
        Assert.Equal(Ids(records.Where(r => r.Exemption is not null)), await FindIdsAsync(store, department, new RecordFilter.ExemptionExpiredBy(now.AddYears(2))));

        static string[] Ids(IEnumerable<ComplianceRecord> subset) => subset.Select(r => r.AssetId).Order(StringComparer.Ordinal).ToArray();
    }

    private static async Task<string[]> FindIdsAsync(StateStores store, string department, RecordFilter filter)
    {
        var ids = new List<string>();
        await foreach (var stored in store.FindRecordsAsync(department, filter, CancellationToken.None))
        {
            ids.Add(stored.Record.AssetId);
        }

        return ids.Order(StringComparer.Ordinal).ToArray();
    }

    public static async Task<string[]> QueryIdsAsync(StateStores store, string department, AssetQuery query)
    {
        var ids = new List<string>();
        string? continuation = null;
        do
        {
            var page = await store.QueryRecordsAsync(department, query, 1000, continuation, CancellationToken.None);
            ids.AddRange(page.Records.Select(r => r.AssetId));
            continuation = page.Continuation;
        }
        while (continuation is not null);

        return ids.Order(StringComparer.Ordinal).ToArray();
    }

    /// <summary>Recomputes a department's counts from its records, to check the maintained summary against.</summary>
    public static async Task<SummaryCounts> CountByScanAsync(StateStores store, string department)
    {
        var delta = SummaryDelta.None;
        await foreach (var stored in store.FindRecordsAsync(department, new RecordFilter.All(), CancellationToken.None))
        {
            delta = delta.Plus(SummaryDelta.Between(null, stored.Record));
        }

        return SummaryCounts.Empty.Apply(delta);
    }
}

/// <summary>A clock the test moves by hand.</summary>
internal sealed class ManualTime(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = start;

    public override DateTimeOffset GetUtcNow() => Now;
}
