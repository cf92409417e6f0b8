using System.Text;
using System.Text.Json;
using AssetCompliance.Api;
using AssetCompliance.Api.Security;
using AssetCompliance.Core.Alerting;
using AssetCompliance.Core.Policy;
using AssetCompliance.Core.State;
using Microsoft.Extensions.Logging.Abstractions;

namespace AssetCompliance.Integration.Tests;

/// <summary>
/// Issue 17 item 2: a department requests, a different administrator approves or refuses; only a device the policy
/// finds NonCompliant, NeedsReview or Advisory is exempted without an explicit pre-emptive waiver; every step is in the
/// history with identities and raises a card (Azurite).
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class TwoPersonExemptionTests(AzuriteFixture azurite)
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly DateTimeOffset Start = DateTimeOffset.Parse("2026-11-20T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

    private static readonly string Department = CompliancePrincipal.EncodeWithObjectId("ho.officer", "0a000000-0000-0000-0000-000000000001", "Department.HO");
    private static readonly string AdminA = CompliancePrincipal.EncodeWithObjectId("admin.a", "0a000000-0000-0000-0000-00000000000a", ComplianceRoles.Admin);
    private static readonly string AdminB = CompliancePrincipal.EncodeWithObjectId("admin.b", "0a000000-0000-0000-0000-00000000000b", ComplianceRoles.Admin);

    /// <summary>The same object id under another name (a renamed account): still the same person.</summary>
    private static readonly string AdminARenamed = CompliancePrincipal.EncodeWithObjectId("Admin A (renamed)", "0A000000-0000-0000-0000-00000000000A", ComplianceRoles.Admin);

    private static readonly string AdminWithoutObjectId = CompliancePrincipal.EncodeWithObjectId("admin.noid", "", ComplianceRoles.Admin);

    private static async Task<(StateStores Store, StateApi Api, ManualTime Time)> SetUpAsync(AzuriteFixture azurite, params string[] events)
    {
        var store = await azurite.CreateStoreAsync();
        var time = new ManualTime(Start);
        var processor = TestEvents.Processor(store, time);
        foreach (var e in events)
        {
            await processor.ProcessAsync(TestEvents.Message(e), None);
        }

        return (store, TestEvents.StateApi(store, time), time);
    }

    private static Task<(int Status, string Body)> RequestAsync(StateApi api, string principal, string assetId, DateTimeOffset expires, string reason = "Replacement ordered; camera isolated") =>
        TestHttp.SendAsync(TestHttp.Request(principal, method: "POST", body: TestHttp.Json(new { reason, approver = "SIRO", expiresAt = expires })),
            r => api.RequestExemptionAsync(r, "HO", assetId, None));

    private static Task<(int Status, string Body)> RefuseAsync(StateApi api, string principal, string assetId, string reason) =>
        TestHttp.SendAsync(TestHttp.Request(principal, method: "POST", body: TestHttp.Json(new { reason })), r => api.RefuseExemptionAsync(r, "HO", assetId, None));

    private static Task<(int Status, string Body)> RevokeAsync(StateApi api, string principal, string assetId) =>
        TestHttp.SendAsync(TestHttp.Request(principal, method: "DELETE"), r => api.RevokeExemptionAsync(r, "HO", assetId, None));

    private static string ProblemType(string body) => JsonDocument.Parse(body).RootElement.GetProperty("type").GetString()!;

    private static async Task<IReadOnlyList<Alert>> ExemptionAlertsAsync(StateStores store, string assetId) =>
        [.. (await store.GetOutboxEntriesAsync("HO", Enum.GetValues<OutboxState>(), None)).Select(e => e.Alert).Where(a => a.AssetId == assetId && a.IsExemptionStep).OrderBy(a => a.OccurredAt)];

    [Fact]
    public async Task A_departments_request_changes_no_status_and_a_different_admins_approval_makes_it_Exempt_with_both_identities()
    {
        var (store, api, time) = await SetUpAsync(azurite, TestEvents.Upsert("HO", "CAM-1", 1));

        var requested = await RequestAsync(api, Department, "CAM-1", Start.AddDays(30));
        Assert.Equal(202, requested.Status);
        var afterRequest = (await store.GetRecordAsync("HO", "CAM-1", None))!.Record;
        Assert.Equal((ComplianceStatus.NonCompliant, (Exemption?)null), (afterRequest.Status, afterRequest.Exemption));
        Assert.Equal(new Actor("ho.officer", "0a000000-0000-0000-0000-000000000001"), afterRequest.PendingExemption!.RequestedBy);
        Assert.Equal(0, (await store.GetSummaryAsync("HO", None)).Counts.ByStatus.GetValueOrDefault(ComplianceStatus.Exempt));

        // A department cannot approve, not even another department's officer role: the route is Admin only.
        Assert.Equal(403, (await TestEvents.ApproveExemptionAsync(api, "HO", "CAM-1", principal: Department)).Status);

        time.Now = Start.AddHours(1);
        var approved = await TestEvents.ApproveExemptionAsync(api, "HO", "CAM-1", principal: AdminB);
        Assert.Equal(200, approved.Status);
        var record = (await store.GetRecordAsync("HO", "CAM-1", None))!.Record;
        Assert.Equal(ComplianceStatus.Exempt, record.Status);
        Assert.Null(record.PendingExemption);
        Assert.Equal((new Actor("ho.officer", "0a000000-0000-0000-0000-000000000001"), new Actor("admin.b", "0a000000-0000-0000-0000-00000000000b"), false),
            (record.Exemption!.Requester, record.Exemption.ApprovedBy, record.Exemption.Preemptive));
        Assert.Equal(ComplianceStatus.NonCompliant, record.PolicyStatus);

        var history = await store.GetHistoryAsync("HO", "CAM-1", None);
        Assert.Equal(["asset.device.upserted", "exemption.requested", "exemption.granted"], history.Select(h => h.EventType));
        Assert.Null(history[0].By);
        Assert.Equal(("ho.officer", ComplianceStatus.NonCompliant, ComplianceStatus.NonCompliant), (history[1].By!.Name, history[1].StatusBefore, history[1].StatusAfter));
        Assert.Equal(("admin.b", ComplianceStatus.NonCompliant, ComplianceStatus.Exempt), (history[2].By!.Name, history[2].StatusBefore, history[2].StatusAfter));
        Assert.Contains("requested by ho.officer (0a000000-0000-0000-0000-000000000001)", history[2].Reasons[0]);
        Assert.Contains("granted by admin.b (0a000000-0000-0000-0000-00000000000b)", history[2].Reasons[0]);

        // The exemptions route lists the steps with who did them.
        var (status, text) = await TestHttp.SendAsync(TestHttp.Request(AdminA), r => api.GetExemptionsAsync(r, "HO", "CAM-1", None));
        Assert.Equal(200, status);
        Assert.Contains("\"0a000000-0000-0000-0000-00000000000b\"", text);
    }

    [Fact]
    public async Task The_same_person_cannot_approve_their_own_request_and_an_admins_request_needs_a_second_admin()
    {
        var (store, api, _) = await SetUpAsync(azurite, TestEvents.Upsert("HO", "CAM-1", 1));
        Assert.Equal(202, (await RequestAsync(api, AdminA, "CAM-1", Start.AddDays(30))).Status);

        // Same object id, whatever the name or the case of the GUID: refused, and nothing changes.
        foreach (var self in new[] { AdminA, AdminARenamed })
        {
            var (status, body) = await TestEvents.ApproveExemptionAsync(api, "HO", "CAM-1", principal: self);
            Assert.Equal(403, status);
            Assert.Equal("https://asset-compliance/problems/same-person", ProblemType(body));
            Assert.Contains("the approver is the requester", body);
        }

        // An approver whose object id is unknown cannot be told apart from the requester: refused too.
        var unknown = await TestEvents.ApproveExemptionAsync(api, "HO", "CAM-1", principal: AdminWithoutObjectId);
        Assert.Equal((403, "https://asset-compliance/problems/same-person"), (unknown.Status, ProblemType(unknown.Body)));

        var record = (await store.GetRecordAsync("HO", "CAM-1", None))!.Record;
        Assert.Equal((ComplianceStatus.NonCompliant, (Exemption?)null), (record.Status, record.Exemption));
        Assert.NotNull(record.PendingExemption);
        Assert.Equal(["asset.device.upserted", "exemption.requested"], (await store.GetHistoryAsync("HO", "CAM-1", None)).Select(h => h.EventType));

        Assert.Equal(200, (await TestEvents.ApproveExemptionAsync(api, "HO", "CAM-1", principal: AdminB)).Status);
        Assert.Equal(ComplianceStatus.Exempt, (await store.GetRecordAsync("HO", "CAM-1", None))!.Record.Status);
    }

    [Fact]
    public async Task A_compliant_device_is_exempted_only_by_an_explicit_pre_emptive_waiver_recorded_as_such()
    {
        var (store, api, time) = await SetUpAsync(azurite, TestEvents.Upsert("HO", "CAM-9", 1, manufacturer: "Axis"));
        Assert.Equal(ComplianceStatus.Compliant, (await store.GetRecordAsync("HO", "CAM-9", None))!.Record.Status);
        Assert.Equal(202, (await RequestAsync(api, Department, "CAM-9", Start.AddDays(60))).Status);

        foreach (var body in new[] { "{}", "{\"preemptive\":false}" })
        {
            var (status, problem) = await TestEvents.ApproveExemptionAsync(api, "HO", "CAM-9", body, principal: AdminB);
            Assert.Equal(409, status);
            Assert.Contains("pre-emptive waiver", problem);
        }

        Assert.Null((await store.GetRecordAsync("HO", "CAM-9", None))!.Record.Exemption);
        Assert.Equal(200, (await TestEvents.ApproveExemptionAsync(api, "HO", "CAM-9", "{\"preemptive\":true}", principal: AdminB)).Status);
        var waived = (await store.GetRecordAsync("HO", "CAM-9", None))!.Record;
        Assert.Equal((ComplianceStatus.Compliant, true), (waived.Status, waived.Exemption!.Preemptive));
        Assert.Contains("Pre-emptive waiver (the device is Compliant now) granted by admin.b", (await store.GetHistoryAsync("HO", "CAM-9", None))[^1].Reasons[0]);

        // The waiver is what makes a later non-compliant revision Exempt (the case the issue found without one).
        time.Now = Start.AddDays(1);
        await TestEvents.Processor(store, time).ProcessAsync(TestEvents.Message(TestEvents.Upsert("HO", "CAM-9", 2)), None);
        Assert.Equal(ComplianceStatus.Exempt, (await store.GetRecordAsync("HO", "CAM-9", None))!.Record.Status);
    }

    [Fact]
    public async Task Without_a_waiver_a_compliant_device_stays_unexempted_and_a_later_noncompliant_revision_alerts()
    {
        var (store, api, time) = await SetUpAsync(azurite, TestEvents.Upsert("HO", "CAM-9", 1, manufacturer: "Axis"));
        Assert.Equal(202, (await RequestAsync(api, Department, "CAM-9", Start.AddDays(60))).Status);
        Assert.Equal(409, (await TestEvents.ApproveExemptionAsync(api, "HO", "CAM-9", principal: AdminB)).Status);

        time.Now = Start.AddDays(1);
        await TestEvents.Processor(store, time).ProcessAsync(TestEvents.Message(TestEvents.Upsert("HO", "CAM-9", 2)), None);
        Assert.Equal(ComplianceStatus.NonCompliant, (await store.GetRecordAsync("HO", "CAM-9", None))!.Record.Status);
        Assert.Contains(await store.GetOutboxEntriesAsync("HO", Enum.GetValues<OutboxState>(), None), e => e.Alert.AssetId == "CAM-9" && e.Alert.Kind == AlertKind.Opened);

        // Now the device is NonCompliant, the pending request can be approved without a waiver.
        Assert.Equal(200, (await TestEvents.ApproveExemptionAsync(api, "HO", "CAM-9", principal: AdminB)).Status);
        Assert.Equal(ComplianceStatus.Exempt, (await store.GetRecordAsync("HO", "CAM-9", None))!.Record.Status);
    }

    [Fact]
    public async Task Every_step_is_in_the_history_with_identities_and_raises_a_card()
    {
        var (store, api, time) = await SetUpAsync(azurite, TestEvents.Upsert("HO", "CAM-1", 1));

        // Request, refuse; request again (a second pending request is refused meanwhile), approve, revoke; request, approve, expire.
        Assert.Equal(202, (await RequestAsync(api, Department, "CAM-1", Start.AddDays(30), "first <b>ask</b> [x](https://evil.example)")).Status);
        Assert.Equal(409, (await RequestAsync(api, Department, "CAM-1", Start.AddDays(30), "swapped in")).Status);
        time.Now = Start.AddMinutes(1);
        Assert.Equal(200, (await RefuseAsync(api, AdminA, "CAM-1", "No replacement date")).Status);
        Assert.Equal(409, (await RefuseAsync(api, AdminA, "CAM-1", "again")).Status);
        time.Now = Start.AddMinutes(2);
        Assert.Equal(202, (await RequestAsync(api, Department, "CAM-1", Start.AddDays(30))).Status);
        time.Now = Start.AddMinutes(3);
        Assert.Equal(200, (await TestEvents.ApproveExemptionAsync(api, "HO", "CAM-1", principal: AdminA)).Status);
        time.Now = Start.AddMinutes(4);
        Assert.Equal(200, (await RevokeAsync(api, AdminB, "CAM-1")).Status);
        time.Now = Start.AddMinutes(5);
        Assert.Equal(202, (await RequestAsync(api, Department, "CAM-1", Start.AddDays(2))).Status);
        time.Now = Start.AddMinutes(6);
        Assert.Equal(200, (await TestEvents.ApproveExemptionAsync(api, "HO", "CAM-1", principal: AdminB)).Status);
        time.Now = Start.AddDays(3);
        var sweeps = new Core.Processing.StateSweeps(TestEvents.Commands(store, time), store, time, NullLogger<Core.Processing.StateSweeps>.Instance);
        Assert.Equal(1, (await sweeps.ExpireExemptionsAsync(None)).Changed);

        var history = (await store.GetHistoryAsync("HO", "CAM-1", None)).Skip(1).ToArray();
        Assert.Equal(
            [("exemption.requested", "ho.officer"), ("exemption.refused", "admin.a"), ("exemption.requested", "ho.officer"), ("exemption.granted", "admin.a"),
             ("exemption.revoked", "admin.b"), ("exemption.requested", "ho.officer"), ("exemption.granted", "admin.b"), ("exemption.expired", null)],
            history.Select(h => (h.EventType, h.By?.Name)));
        Assert.All(history.Where(h => h.By is not null), h => Assert.Matches("^0a000000-0000-0000-0000-0000000000(01|0a|0b)$", h.By!.ObjectId));
        Assert.All(history, h => Assert.Equal(HistoryOutcome.ExemptionChanged, h.Outcome));
        Assert.Contains("refused by admin.a (0a000000-0000-0000-0000-00000000000a): No replacement date", history[1].Reasons[0]);
        Assert.Contains("granted by admin.b", history[7].Reasons[0]);

        // One card per step, of its own kind, carrying the step's line.
        var alerts = await ExemptionAlertsAsync(store, "CAM-1");
        Assert.Equal(
            [AlertKind.ExemptionRequested, AlertKind.ExemptionRefused, AlertKind.ExemptionRequested, AlertKind.ExemptionGranted,
             AlertKind.ExemptionRevoked, AlertKind.ExemptionRequested, AlertKind.ExemptionGranted, AlertKind.ExemptionExpired],
            alerts.Select(a => a.Kind));
        Assert.Equal(history.Select(h => h.Reasons[0]), alerts.Select(a => a.Note));

        var builder = new AlertCardBuilder(new Uri("https://compliance.example/api/"));
        Assert.Contains("8 exemption steps", JsonSerializer.Serialize(builder.Build("HO", alerts), AlertCardBuilder.Json));
        var card = string.Join("\n", alerts.Select(a => JsonSerializer.Serialize(builder.Build("HO", [a]), AlertCardBuilder.Json)));
        foreach (var word in new[] { "EXEMPTION REQUESTED", "EXEMPTION REFUSED", "EXEMPTION GRANTED: now Exempt", "EXEMPTION REVOKED: now NonCompliant", "EXEMPTION EXPIRED: now NonCompliant", "1 exemption step" })
        {
            Assert.Contains(word, card);
        }

        // The requester's text is a literal text run on the card, never Markdown or a link.
        Assert.Contains("first <b>ask</b> [x](https://evil.example)", card);
        Assert.DoesNotContain("\"url\":\"https://evil.example", card);
    }

    [Fact]
    public async Task A_decision_names_the_request_it_decides_and_a_removed_or_missing_device_cannot_be_exempted()
    {
        var (store, api, _) = await SetUpAsync(azurite, TestEvents.Upsert("HO", "CAM-1", 1), TestEvents.Upsert("HO", "CAM-2", 1));
        var (_, body) = await TestHttp.SendAsync(TestHttp.Request(Department, method: "POST",
            body: TestHttp.Json(new { reason = "r", expiresAt = Start.AddDays(3), requestId = "req-1" })), r => api.RequestExemptionAsync(r, "HO", "CAM-1", None));
        Assert.Equal("req-1", JsonDocument.Parse(body).RootElement.GetProperty("pendingExemption").GetProperty("requestId").GetString());

        var wrong = await TestEvents.ApproveExemptionAsync(api, "HO", "CAM-1", "{\"requestId\":\"req-0\"}", principal: AdminB);
        Assert.Equal(409, wrong.Status);
        Assert.Contains("the pending request is req-1, not req-0", wrong.Body);
        Assert.Equal(409, (await TestEvents.ApproveExemptionAsync(api, "HO", "CAM-2", principal: AdminB)).Status); // nothing pending
        Assert.Equal(404, (await TestEvents.ApproveExemptionAsync(api, "HO", "CAM-404", principal: AdminB)).Status);
        Assert.Equal(400, (await TestEvents.ApproveExemptionAsync(api, "HO", "CAM-1", "{\"requestId\":\"\"}", principal: AdminB)).Status);
        Assert.Equal(400, (await RefuseAsync(api, AdminB, "CAM-1", " ")).Status);

        // A removal ends the pending request with the device.
        await TestEvents.Processor(store).ProcessAsync(TestEvents.Message(TestEvents.Remove("HO", "CAM-1", 2)), None);
        Assert.Null((await store.GetRecordAsync("HO", "CAM-1", None))!.Record.PendingExemption);
        Assert.Equal(409, (await RequestAsync(api, Department, "CAM-1", Start.AddDays(3))).Status);
        Assert.Equal(409, (await TestEvents.ApproveExemptionAsync(api, "HO", "CAM-1", "{\"requestId\":\"req-1\"}", principal: AdminB)).Status);
    }

    /// <summary>Issue 17 item 3, the part done: re-evaluation over HTTP and record recovery record the caller in each device's history.</summary>
    [Fact]
    public async Task Reevaluation_and_a_revision_reset_over_http_record_who_did_them_in_the_history()
    {
        var (store, _, _) = await SetUpAsync(azurite, TestEvents.Upsert("HO", "NVR-1", 1, deviceType: "nvr"));
        var policy = SweepAndExemptionTests.PolicyWithoutNvrs();
        var commands = new Core.Processing.CommandProcessor(new Core.Processing.RecordPlanner(new Core.Catalogue.DeviceIdentifier(Core.Catalogue.VendorCatalogue.Default), new ComplianceEvaluator(policy)),
            store, TimeProvider.System, NullLogger<Core.Processing.CommandProcessor>.Instance);
        var api = new StateApi(store, store, new Core.Processing.Exemptions(commands, TimeProvider.System),
            new Core.Processing.StateSweeps(commands, store, TimeProvider.System, NullLogger<Core.Processing.StateSweeps>.Instance), new Core.Processing.RecordRecovery(commands), TestEvents.Authorizer());

        Assert.Equal(200, (await TestHttp.SendAsync(TestHttp.Request(AdminA, method: "POST"), r => api.ReevaluateAsync(r, None))).Status);
        Assert.Equal(200, (await TestHttp.SendAsync(TestHttp.Request(AdminB, method: "POST", body: TestHttp.Json(new { reason = "renumbered" })), r => api.ResetRevisionAsync(r, "HO", "NVR-1", None))).Status);

        var history = await store.GetHistoryAsync("HO", "NVR-1", None);
        Assert.Equal(
            [("asset.device.upserted", null, null), ("compliance.reevaluated", "admin.a", "0a000000-0000-0000-0000-00000000000a"), ("revision.reset", "admin.b", "0a000000-0000-0000-0000-00000000000b")],
            history.Select(h => (h.EventType, h.By?.Name, h.By?.ObjectId)));
    }

    /// <summary>Issue 17 item 3: every administrative action is an audit row with the caller, read through GET /api/audit, department-scoped for departments.</summary>
    [Fact]
    public async Task Every_administrative_action_is_an_audit_row_with_the_caller_readable_by_department_or_estate()
    {
        var (store, api, time) = await SetUpAsync(azurite, TestEvents.Upsert("HO", "CAM-1", 1), TestEvents.Upsert("MOJ", "CAM-7", 1));
        Assert.Equal(202, (await RequestAsync(api, Department, "CAM-1", Start.AddDays(30))).Status);
        time.Now = Start.AddMinutes(1);
        Assert.Equal(403, (await TestEvents.ApproveExemptionAsync(api, "HO", "CAM-1", principal: Department)).Status); // no role: not an action
        Assert.Equal(200, (await RefuseAsync(api, AdminA, "CAM-1", "no")).Status);
        time.Now = Start.AddMinutes(2);
        Assert.Equal(202, (await RequestAsync(api, AdminA, "CAM-1", Start.AddDays(30))).Status);
        time.Now = Start.AddMinutes(3);
        Assert.Equal(403, (await TestEvents.ApproveExemptionAsync(api, "HO", "CAM-1", principal: AdminA)).Status); // refused, and audited as such
        time.Now = Start.AddMinutes(4);
        Assert.Equal(200, (await TestEvents.ApproveExemptionAsync(api, "HO", "CAM-1", principal: AdminB)).Status);
        time.Now = Start.AddMinutes(5);
        Assert.Equal(200, (await RevokeAsync(api, AdminB, "CAM-1")).Status);
        time.Now = Start.AddMinutes(6);
        Assert.Equal(200, (await TestHttp.SendAsync(TestHttp.Request(AdminA, method: "POST", body: TestHttp.Json(new { reason = "renumbered" })), r => api.ResetRevisionAsync(r, "MOJ", "CAM-7", None))).Status);
        time.Now = Start.AddMinutes(7);
        Assert.Equal(200, (await TestHttp.SendAsync(TestHttp.Request(AdminB, method: "POST"), r => api.ReevaluateAsync(r, None))).Status);
        time.Now = Start.AddMinutes(8);
        Assert.Equal(200, (await TestHttp.SendAsync(TestHttp.Request(AdminA, "?department=HO", method: "POST"), r => api.RetryFailedAlertsAsync(r, None))).Status);

        async Task<(int Status, JsonElement Body)> AuditAsync(string principal, string query = "")
        {
            var (status, text) = await TestHttp.SendAsync(TestHttp.Request(principal, query), r => api.GetAuditAsync(r, None));
            return (status, JsonDocument.Parse(text).RootElement.Clone());
        }

        var all = await AuditAsync(TestEvents.Principal(ComplianceRoles.ReadAll));
        Assert.Equal(200, all.Status);
        Assert.Equal(
            [("refuseExemption", "HO", "admin.a", "Applied"), ("approveExemption", "HO", "admin.a", "Forbidden"), ("approveExemption", "HO", "admin.b", "Applied"),
             ("revokeExemption", "HO", "admin.b", "Applied"), ("resetRevision", "MOJ", "admin.a", "Applied"), ("reevaluate", null, "admin.b", "changed 0, complete True"),
             ("retryFailedAlerts", "HO", "admin.a", "retried 0")],
            all.Body.GetProperty("entries").EnumerateArray().Select(e => (e.GetProperty("action").GetString(), e.TryGetProperty("department", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null,
                e.GetProperty("by").GetProperty("name").GetString(), e.GetProperty("outcome").GetString())));
        Assert.All(all.Body.GetProperty("entries").EnumerateArray(), e => Assert.StartsWith("0a000000-", e.GetProperty("by").GetProperty("objectId").GetString()));

        // A department sees the actions on its own department only; the estate needs ReadAll; since= narrows.
        var ho = await AuditAsync(Department, "?department=HO");
        Assert.Equal((200, 5), (ho.Status, ho.Body.GetProperty("count").GetInt32()));
        Assert.Equal(403, (await AuditAsync(Department)).Status);
        Assert.Equal(403, (await AuditAsync(Department, "?department=MOJ")).Status);
        var recent = await AuditAsync(AdminA, "?since=2026-11-20T10:06:00Z");
        Assert.Equal(3, recent.Body.GetProperty("count").GetInt32());
    }
}
