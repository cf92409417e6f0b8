using System.Text;
using System.Text.Json;
using AssetCompliance.Api;
using AssetCompliance.Core.Catalogue;
using AssetCompliance.Core.Policy;
using AssetCompliance.Core.Processing;
using AssetCompliance.Core.State;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;

namespace AssetCompliance.Integration.Tests;

/// <summary>Re-evaluation when the policy or catalogue changes, and exemptions granted, revoked and expired (Azurite).</summary>
[Collection(AzuriteCollection.Name)]
public sealed class SweepAndExemptionTests(AzuriteFixture azurite)
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly DateTimeOffset Start = DateTimeOffset.Parse("2026-11-20T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The deployed policy with NVRs no longer counted as visual surveillance: a real change of verdict.</summary>
    internal static CompliancePolicy PolicyWithoutNvrs()
    {
        var json = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "catalogue", "policy.json"))
            .Replace("[\"camera\", \"nvr\",", "[\"camera\",", StringComparison.Ordinal);
        var policy = CompliancePolicy.Load(Encoding.UTF8.GetBytes(json));
        Assert.NotEqual(CompliancePolicy.Default.Version, policy.Version);
        return policy;
    }

    /// <summary>The sweeps under a policy; pages of 200 unless <paramref name="pageSize"/> says otherwise.</summary>
    internal static StateSweeps Sweeps(StateStores store, CompliancePolicy policy, TimeProvider time, int pageSize = 200)
    {
        var commands = new CommandProcessor(new RecordPlanner(new DeviceIdentifier(VendorCatalogue.Default), new ComplianceEvaluator(policy)), store, time, NullLogger<CommandProcessor>.Instance);
        return new StateSweeps(commands, store, time, NullLogger<StateSweeps>.Instance, pageSize);
    }

    [Fact]
    public async Task A_policy_change_reevaluates_every_stored_device_once_and_a_second_sweep_changes_nothing()
    {
        var store = await azurite.CreateStoreAsync();
        var processor = TestEvents.Processor(store);
        await processor.ProcessAsync([
            TestEvents.Message(TestEvents.Upsert("HO", "NVR-1", 1, deviceType: "nvr")),
            TestEvents.Message(TestEvents.Upsert("HO", "CAM-1", 1)),
            TestEvents.Message(TestEvents.Upsert("MOJ", "NVR-2", 1, deviceType: "nvr")),
        ], None);
        Assert.Equal(ComplianceStatus.NonCompliant, (await store.GetRecordAsync("HO", "NVR-1", None))!.Record.Status);

        var policy = PolicyWithoutNvrs();
        var first = await Sweeps(store, policy, TimeProvider.System).ReevaluateAsync(None);
        var second = await Sweeps(store, policy, TimeProvider.System).ReevaluateAsync(None);

        Assert.Equal((3, 3), (first.Examined, first.Changed));
        Assert.Equal((0, 0), (second.Examined, second.Changed));
        var nvr = (await store.GetRecordAsync("HO", "NVR-1", None))!.Record;
        Assert.Equal((ComplianceStatus.Advisory, policy.Version), (nvr.Status, nvr.PolicyVersion));
        var history = await store.GetHistoryAsync("HO", "NVR-1", None);
        Assert.Equal([HistoryOutcome.Applied, HistoryOutcome.Reevaluated], history.Select(h => h.Outcome));
        Assert.Equal((ComplianceStatus.NonCompliant, ComplianceStatus.Advisory), (history[1].StatusBefore!.Value, history[1].StatusAfter!.Value));
        Assert.Equal(ComplianceStatus.NonCompliant, (await store.GetRecordAsync("HO", "CAM-1", None))!.Record.Status);
        Assert.Contains(await store.GetOutboxEntriesAsync("HO", Enum.GetValues<AssetCompliance.Core.Alerting.OutboxState>(), None), e => e.Alert.AssetId == "NVR-1" && e.Alert.Kind == AlertKind.Resolved);
        Assert.Equal(0, (await store.GetSummaryAsync("MOJ", None)).Counts.ByStatus[ComplianceStatus.NonCompliant]);
    }

    private async Task<(StateStores Store, CompliancePolicy Policy)> FourHundredFiftyNvrsAndAPolicyThatDropsThemAsync()
    {
        var store = await azurite.CreateStoreAsync();
        await TestEvents.Processor(store).ProcessAsync(
            Enumerable.Range(1, 450).Select(i => TestEvents.Message(TestEvents.Upsert("HO", $"N{i:D3}", 1, deviceType: "nvr"))).ToArray(), None);
        return (store, PolicyWithoutNvrs());
    }

    /// <summary>All 450 NVRs are Advisory under the new policy, each with exactly one re-evaluation in its history.</summary>
    private static async Task AssertEachReevaluatedOnceAsync(StateStores store)
    {
        Assert.Equal(450, (await store.GetSummaryAsync("HO", None)).Counts.ByStatus[ComplianceStatus.Advisory]);
        foreach (var id in new[] { "N001", "N225", "N450" })
        {
            Assert.Single(await store.GetHistoryAsync("HO", id, None), h => h.Outcome == HistoryOutcome.Reevaluated);
        }
    }

    [Fact]
    public async Task Reevaluation_over_http_answers_within_its_budget_and_each_call_continues_where_the_last_stopped()
    {
        var (store, policy) = await FourHundredFiftyNvrsAndAPolicyThatDropsThemAsync();
        var commands = new CommandProcessor(new RecordPlanner(new DeviceIdentifier(VendorCatalogue.Default), new ComplianceEvaluator(policy)), store, TimeProvider.System, NullLogger<CommandProcessor>.Instance);
        // A budget of zero: each request commits one page of 200 and answers, as a large estate would at 60 s.
        var api = new StateApi(store, store, new Exemptions(commands, TimeProvider.System), new StateSweeps(commands, store, TimeProvider.System, NullLogger<StateSweeps>.Instance, pageSize: 200), new RecordRecovery(commands),
            TestEvents.Authorizer(), reevaluateBudget: TimeSpan.Zero);

        var answers = new List<(int Status, int Changed, bool Complete)>();
        for (var call = 0; call < 4; call++)
        {
            var (status, text) = await TestHttp.SendAsync(TestHttp.Request(TestEvents.Principal(), method: "POST"), r => api.ReevaluateAsync(r, None));
            var report = JsonDocument.Parse(text).RootElement;
            answers.Add((status, report.GetProperty("changed").GetInt32(), report.GetProperty("complete").GetBoolean()));
        }

        Assert.Equal([(202, 200, false), (202, 200, false), (200, 50, true), (200, 0, true)], answers);
        await AssertEachReevaluatedOnceAsync(store);
    }

    [Fact]
    public async Task An_interrupted_reevaluation_resumes_where_it_stopped_and_evaluates_nothing_twice()
    {
        var (store, policy) = await FourHundredFiftyNvrsAndAPolicyThatDropsThemAsync();

        // The first run fails on its second page (as a crash or a storage outage would stop it), after one page committed.
        // The second page is planned while the first commits; its failure stops the sweep before a third starts,
        // and none of its records (nor any after it) carries the new version.
        await Assert.ThrowsAsync<IOException>(() => Sweeps(new FaultyStore(store, failOnCommit: 2), policy, TimeProvider.System).ReevaluateAsync(None));
        var left = 0;
        await foreach (var _ in store.FindRecordsAsync("HO", new RecordFilter.NotEvaluatedWith(VendorCatalogue.Default.Version, policy.Version), None)) left++;
        Assert.Equal(250, left);
        var resumed = await Sweeps(store, policy, TimeProvider.System).ReevaluateAsync(None);

        Assert.Equal((250, 250), (resumed.Examined, resumed.Changed));
        await AssertEachReevaluatedOnceAsync(store);
    }

    [Fact]
    public async Task An_exemption_holds_until_it_expires_or_is_revoked_and_every_change_is_in_the_history()
    {
        var store = await azurite.CreateStoreAsync();
        var time = new ManualTime(Start);
        var processor = TestEvents.Processor(store, time);
        var api = TestEvents.StateApi(store, time);
        await processor.ProcessAsync(TestEvents.Message(TestEvents.Upsert("HO", "CAM-1", 1)), None);
        await processor.ProcessAsync(TestEvents.Message(TestEvents.Upsert("HO", "CAM-2", 1)), None);

        // Two people: the request changes nothing, a second administrator's approval makes it Exempt.
        var requested = await InvokeAsync(r => api.RequestExemptionAsync(r, "HO", "CAM-1", None),
            new { reason = "Replacement ordered; camera isolated", approver = "J. Smith, SIRO", expiresAt = Start.AddDays(30) });
        Assert.Equal(202, requested.Status);
        Assert.Equal("NonCompliant", requested.Json.RootElement.GetProperty("status").GetString());
        var granted = await TestEvents.ApproveExemptionAsync(api, "HO", "CAM-1");
        Assert.Equal(200, granted.Status);
        Assert.Equal("Exempt", JsonDocument.Parse(granted.Body).RootElement.GetProperty("status").GetString());

        // A new revision during the exemption keeps it.
        time.Now = Start.AddDays(10);
        await processor.ProcessAsync(TestEvents.Message(TestEvents.Upsert("HO", "CAM-1", 2)), None);
        Assert.Equal(ComplianceStatus.Exempt, (await store.GetRecordAsync("HO", "CAM-1", None))!.Record.Status);

        // After expiry the sweep ends it; running the sweep again does nothing more.
        time.Now = Start.AddDays(31);
        var sweeps = new StateSweeps(TestEvents.Commands(store, time), store, time, NullLogger<StateSweeps>.Instance);
        Assert.Equal(1, (await sweeps.ExpireExemptionsAsync(None)).Changed);
        Assert.Equal(0, (await sweeps.ExpireExemptionsAsync(None)).Changed);
        var record = (await store.GetRecordAsync("HO", "CAM-1", None))!.Record;
        Assert.Equal((ComplianceStatus.NonCompliant, (Exemption?)null), (record.Status, record.Exemption));
        var history = await store.GetHistoryAsync("HO", "CAM-1", None);
        Assert.Equal(["asset.device.upserted", "exemption.requested", "exemption.granted", "asset.device.upserted", "exemption.expired"], history.Select(h => h.EventType));

        // Revocation: granted, then revoked, back to the policy's verdict; revoking again is a conflict.
        await InvokeAsync(r => api.RequestExemptionAsync(r, "HO", "CAM-2", None), new { reason = "Trial", approver = "SIRO", expiresAt = time.Now.AddDays(5) });
        Assert.Equal(200, (await TestEvents.ApproveExemptionAsync(api, "HO", "CAM-2")).Status);
        Assert.Equal(200, (await InvokeAsync(r => api.RevokeExemptionAsync(r, "HO", "CAM-2", None))).Status);
        Assert.Equal(ComplianceStatus.NonCompliant, (await store.GetRecordAsync("HO", "CAM-2", None))!.Record.Status);
        Assert.Equal(409, (await InvokeAsync(r => api.RevokeExemptionAsync(r, "HO", "CAM-2", None))).Status);
        Assert.Equal(1, (await store.GetSummaryAsync("HO", None)).Counts.ByStatus[ComplianceStatus.NonCompliant] - 1);

        // Neither the expired nor the revoked exemption is left behind in the columns the sweep queries.
        await TestEvents.AssertColumnsAgreeAsync(store, "HO", time.Now);
    }

    [Fact]
    public async Task Invalid_exemption_requests_are_refused_with_every_error()
    {
        var store = await azurite.CreateStoreAsync();
        var time = new ManualTime(Start);
        await TestEvents.Processor(store, time).ProcessAsync(TestEvents.Message(TestEvents.Upsert("HO", "CAM-1", 1)), None);
        var api = TestEvents.StateApi(store, time);

        var tooLong = await InvokeAsync(r => api.RequestExemptionAsync(r, "HO", "CAM-1", None), new { reason = "", approver = "", expiresAt = Start.AddMonths(13) });
        var missing = await InvokeAsync(r => api.RequestExemptionAsync(r, "HO", "NOPE", None), new { reason = "r", approver = "a", expiresAt = Start.AddDays(1) });
        var garbage = await InvokeAsync(r => api.RequestExemptionAsync(r, "HO", "CAM-1", None), "{\"expiresAt\": 12");

        Assert.Equal(400, tooLong.Status);
        var paths = tooLong.Json.RootElement.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("path").GetString()!).ToArray();
        Assert.Equal(["$.reason", "$.expiresAt"], paths); // the approver is now optional: whoever approves is recorded
        Assert.Equal(404, missing.Status);
        Assert.Equal(400, garbage.Status);
        Assert.Equal(ComplianceStatus.NonCompliant, (await store.GetRecordAsync("HO", "CAM-1", None))!.Record.Status);
    }

    [Fact]
    public async Task Summaries_are_served_per_department_and_for_the_estate()
    {
        var store = await azurite.CreateStoreAsync();
        await TestEvents.Processor(store).ProcessAsync([
            TestEvents.Message(TestEvents.Upsert("HO", "CAM-1", 1)),
            TestEvents.Message(TestEvents.Upsert("MOJ", "CAM-1", 1, segment: "core")),
            TestEvents.Message(TestEvents.Upsert("MOJ", "CAM-2", 1, manufacturer: "Axis")),
        ], None);
        var api = TestEvents.StateApi(store);

        var department = await InvokeAsync(r => api.GetDepartmentSummaryAsync(r, "MOJ", None));
        var estate = await InvokeAsync(r => api.GetEstateSummaryAsync(r, None));

        Assert.Equal(2, department.Json.RootElement.GetProperty("counts").GetProperty("total").GetInt64());
        Assert.Equal("CAM-1", department.Json.RootElement.GetProperty("oldestOpenNonCompliant").GetProperty("assetId").GetString());
        var total = estate.Json.RootElement.GetProperty("total");
        Assert.Equal(3, total.GetProperty("total").GetInt64());
        Assert.Equal(2, total.GetProperty("byStatus").GetProperty("NonCompliant").GetInt64());
        Assert.Equal(1, total.GetProperty("nonCompliantBySeverity").GetProperty("Critical").GetInt64());
        Assert.Equal(["HO", "MOJ"], estate.Json.RootElement.GetProperty("departments").EnumerateArray().Select(d => d.GetProperty("department").GetString()));
    }

    private static async Task<(int Status, JsonDocument Json)> InvokeAsync(Func<HttpRequest, Task<ApiResult>> call, object? body = null)
    {
        var request = TestHttp.Request(TestEvents.Principal(), body: body is null ? null : TestHttp.Json(body));
        var (status, text) = await TestHttp.SendAsync(request, call);
        return (status, JsonDocument.Parse(text));
    }
}
