using System.Text.Json;
using AssetCompliance.Api;
using AssetCompliance.Api.Security;
using AssetCompliance.Core.Policy;
using AssetCompliance.Core.State;

namespace AssetCompliance.Integration.Tests;

/// <summary>
/// Attempts to get an exemption past the two-person rule (issue 17 item 2) from the outside: the requester's own
/// object id spelt differently, a department role approving, a request on another department's device, a device
/// that became compliant while the request waited, and decisions repeated or reversed (Azurite).
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ExemptionAttackTests(AzuriteFixture azurite)
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly DateTimeOffset Start = DateTimeOffset.Parse("2026-11-20T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
    private const string Oid = "0a000000-0000-0000-0000-00000000000a";
    private static readonly string Requester = CompliancePrincipal.EncodeWithObjectId("admin.a", Oid, ComplianceRoles.Admin);
    private static readonly string OtherAdmin = CompliancePrincipal.EncodeWithObjectId("admin.b", "0a000000-0000-0000-0000-00000000000b", ComplianceRoles.Admin);

    private async Task<(StateStores Store, StateApi Api)> SetUpAsync(params string[] events)
    {
        var store = await azurite.CreateStoreAsync();
        var time = new ManualTime(Start);
        var processor = TestEvents.Processor(store, time);
        foreach (var e in events)
        {
            await processor.ProcessAsync(TestEvents.Message(e), None);
        }

        return (store, TestEvents.StateApi(store, time));
    }

    private static Task<(int Status, string Body)> RequestAsync(StateApi api, string principal, string department, string assetId) =>
        TestHttp.SendAsync(TestHttp.Request(principal, method: "POST", body: TestHttp.Json(new { reason = "Replacement ordered", expiresAt = Start.AddDays(30) })),
            r => api.RequestExemptionAsync(r, department, assetId, None));

    private static string ProblemType(string body) => JsonDocument.Parse(body).RootElement.GetProperty("type").GetString()!;

    /// <summary>The platform's oid is one GUID however it is written: padded, braced, upper case or without hyphens, it is still the requester.</summary>
    [Theory]
    [InlineData(" 0a000000-0000-0000-0000-00000000000a")]
    [InlineData("0a000000-0000-0000-0000-00000000000a\t")]
    [InlineData("{0a000000-0000-0000-0000-00000000000a}")]
    [InlineData("0A00000000000000000000000000000A")]
    [InlineData("0A000000-0000-0000-0000-00000000000A")]
    public async Task The_requesters_object_id_spelt_differently_is_still_the_requester_and_cannot_approve(string sameOid)
    {
        var (store, api) = await SetUpAsync(TestEvents.Upsert("HO", "CAM-1", 1));
        Assert.Equal(202, (await RequestAsync(api, Requester, "HO", "CAM-1")).Status);

        var (status, body) = await TestEvents.ApproveExemptionAsync(api, "HO", "CAM-1", principal: CompliancePrincipal.EncodeWithObjectId("someone else by name", sameOid, ComplianceRoles.Admin));

        Assert.Equal((403, "https://asset-compliance/problems/same-person"), (status, ProblemType(body)));
        var record = (await store.GetRecordAsync("HO", "CAM-1", None))!.Record;
        Assert.Equal((ComplianceStatus.NonCompliant, (Exemption?)null), (record.Status, record.Exemption));
        Assert.Equal(200, (await TestEvents.ApproveExemptionAsync(api, "HO", "CAM-1", principal: OtherAdmin)).Status);
    }

    [Fact]
    public async Task A_department_role_cannot_approve_and_cannot_request_on_another_departments_device()
    {
        var (store, api) = await SetUpAsync(TestEvents.Upsert("HO", "CAM-1", 1), TestEvents.Upsert("DFE", "CAM-9", 1));
        var ho = CompliancePrincipal.EncodeWithObjectId("ho.officer", "0a000000-0000-0000-0000-000000000001", "Department.HO");

        Assert.Equal(403, (await RequestAsync(api, ho, "DFE", "CAM-9")).Status);
        Assert.Null((await store.GetRecordAsync("DFE", "CAM-9", None))!.Record.PendingExemption);

        Assert.Equal(202, (await RequestAsync(api, Requester, "HO", "CAM-1")).Status);
        Assert.Equal(403, (await TestEvents.ApproveExemptionAsync(api, "HO", "CAM-1", principal: ho)).Status);
        Assert.Equal(403, (await TestEvents.ApproveExemptionAsync(api, "HO", "CAM-1", body: """{"preemptive":true}""", principal: ho)).Status);
        Assert.Equal(ComplianceStatus.NonCompliant, (await store.GetRecordAsync("HO", "CAM-1", None))!.Record.Status);
    }

    /// <summary>The verdict is read when the approval is decided, not when the request was made.</summary>
    [Fact]
    public async Task A_device_that_became_compliant_while_its_request_waited_is_not_exempted_without_a_waiver()
    {
        var (store, api) = await SetUpAsync(TestEvents.Upsert("HO", "CAM-1", 1));
        Assert.Equal(202, (await RequestAsync(api, Requester, "HO", "CAM-1")).Status);
        var processor = TestEvents.Processor(store, new ManualTime(Start));
        await processor.ProcessAsync(TestEvents.Message(TestEvents.Upsert("HO", "CAM-1", 2, manufacturer: "Axis")), None);
        Assert.Equal(ComplianceStatus.Compliant, (await store.GetRecordAsync("HO", "CAM-1", None))!.Record.Status);

        var (status, _) = await TestEvents.ApproveExemptionAsync(api, "HO", "CAM-1", principal: OtherAdmin);

        Assert.Equal(409, status);
        var record = (await store.GetRecordAsync("HO", "CAM-1", None))!.Record;
        Assert.Equal((ComplianceStatus.Compliant, (Exemption?)null), (record.Status, record.Exemption));
    }

    [Fact]
    public async Task An_approval_is_decided_once_a_second_approval_or_a_later_refusal_changes_nothing()
    {
        var (store, api) = await SetUpAsync(TestEvents.Upsert("HO", "CAM-1", 1));
        Assert.Equal(202, (await RequestAsync(api, Requester, "HO", "CAM-1")).Status);
        Assert.Equal(200, (await TestEvents.ApproveExemptionAsync(api, "HO", "CAM-1", principal: OtherAdmin)).Status);
        var history = (await store.GetHistoryAsync("HO", "CAM-1", None)).Count;

        Assert.Equal(409, (await TestEvents.ApproveExemptionAsync(api, "HO", "CAM-1", principal: OtherAdmin)).Status);
        var refusal = await TestHttp.SendAsync(TestHttp.Request(OtherAdmin, method: "POST", body: TestHttp.Json(new { reason = "changed my mind" })),
            r => api.RefuseExemptionAsync(r, "HO", "CAM-1", None));
        Assert.Equal(409, refusal.Status);

        var record = (await store.GetRecordAsync("HO", "CAM-1", None))!.Record;
        Assert.Equal(ComplianceStatus.Exempt, record.Status);
        Assert.Equal(history, (await store.GetHistoryAsync("HO", "CAM-1", None)).Count);
    }
    /// <summary>A requester the platform gave no object id cannot be told apart from any approver: the request can only be refused.</summary>
    [Fact]
    public async Task A_request_by_a_principal_without_an_object_id_cannot_be_approved_by_anyone()
    {
        var (store, api) = await SetUpAsync(TestEvents.Upsert("HO", "CAM-1", 1));
        var anonymous = CompliancePrincipal.EncodeWithObjectId("ho.officer", "", "Department.HO");
        Assert.Equal(202, (await RequestAsync(api, anonymous, "HO", "CAM-1")).Status);

        foreach (var admin in new[] { Requester, OtherAdmin })
        {
            var (status, body) = await TestEvents.ApproveExemptionAsync(api, "HO", "CAM-1", principal: admin);
            Assert.Equal((403, "https://asset-compliance/problems/same-person"), (status, ProblemType(body)));
        }

        Assert.Equal(ComplianceStatus.NonCompliant, (await store.GetRecordAsync("HO", "CAM-1", None))!.Record.Status);
    }

    /// <summary>An approver whose object id is only white space has none: the refusal says so, not that the approver is the requester.</summary>
    [Fact]
    public async Task An_approver_whose_object_id_is_white_space_is_refused_as_having_no_object_id()
    {
        var (store, api) = await SetUpAsync(TestEvents.Upsert("HO", "CAM-1", 1));
        Assert.Equal(202, (await RequestAsync(api, Requester, "HO", "CAM-1")).Status);

        var (status, body) = await TestEvents.ApproveExemptionAsync(api, "HO", "CAM-1", principal: CompliancePrincipal.EncodeWithObjectId("admin.b", " \t ", ComplianceRoles.Admin));

        Assert.Equal((403, "https://asset-compliance/problems/same-person"), (status, ProblemType(body)));
        var detail = JsonDocument.Parse(body).RootElement.GetProperty("detail").GetString()!;
        Assert.Contains("has no object id", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("the approver is the requester", detail, StringComparison.Ordinal);
        Assert.Equal(ComplianceStatus.NonCompliant, (await store.GetRecordAsync("HO", "CAM-1", None))!.Record.Status);
    }

    /// <summary>
    /// An approval and a revocation sent at once are serialised by the record's ETag: whichever order they land in,
    /// the status is the one the last applied step says, and the history holds exactly the steps that applied.
    /// </summary>
    [Fact]
    public async Task An_approval_and_a_revocation_racing_leave_the_status_the_last_applied_step_says()
    {
        var (store, api) = await SetUpAsync(TestEvents.Upsert("HO", "CAM-1", 1));
        Assert.Equal(202, (await RequestAsync(api, Requester, "HO", "CAM-1")).Status);

        var approve = TestEvents.ApproveExemptionAsync(api, "HO", "CAM-1", principal: OtherAdmin);
        var revoke = TestHttp.SendAsync(TestHttp.Request(Requester, method: "DELETE"), r => api.RevokeExemptionAsync(r, "HO", "CAM-1", None));
        var results = await Task.WhenAll(approve, revoke);

        Assert.Equal(200, results[0].Status);
        var steps = (await store.GetHistoryAsync("HO", "CAM-1", None)).Select(h => h.EventType).ToArray();
        var record = (await store.GetRecordAsync("HO", "CAM-1", None))!.Record;
        if (results[1].Status == 200)
        {
            Assert.Equal(["asset.device.upserted", "exemption.requested", "exemption.granted", "exemption.revoked"], steps);
            Assert.Equal((ComplianceStatus.NonCompliant, (Exemption?)null), (record.Status, record.Exemption));
        }
        else
        {
            Assert.Equal(409, results[1].Status);
            Assert.Equal(["asset.device.upserted", "exemption.requested", "exemption.granted"], steps);
            Assert.Equal(ComplianceStatus.Exempt, record.Status);
        }
    }
    /// <summary>Expiries at the edges of what a date-time can hold, in the past, beyond a year or without an offset: 400, nothing pending.</summary>
    [Theory]
    [InlineData("9999-12-31T23:59:59-14:00")]
    [InlineData("0001-01-01T00:00:00+14:00")]
    [InlineData("2026-11-20T09:59:59Z")]
    [InlineData("2027-11-22T10:00:00Z")]
    [InlineData("2026-12-01T00:00:00")]
    [InlineData("+002026-12-01T00:00:00Z")]
    public async Task An_expiry_in_the_past_absurdly_far_or_out_of_range_is_a_400_and_nothing_is_pending(string expiresAt)
    {
        var (store, api) = await SetUpAsync(TestEvents.Upsert("HO", "CAM-1", 1));

        var (status, body) = await TestHttp.SendAsync(TestHttp.Request(Requester, method: "POST", body: System.Text.Encoding.UTF8.GetBytes($$"""{"reason":"r","expiresAt":"{{expiresAt}}"}""")),
            r => api.RequestExemptionAsync(r, "HO", "CAM-1", None));

        Assert.Equal(400, status);
        Assert.Contains("expiresAt", body, StringComparison.Ordinal);
        Assert.Null((await store.GetRecordAsync("HO", "CAM-1", None))!.Record.PendingExemption);
    }
}
