using System.Net;
using System.Text.Json;
using AssetCompliance.Api;
using AssetCompliance.Api.Security;
using AssetCompliance.Core.Alerting;
using AssetCompliance.Core.Policy;
using AssetCompliance.Core.Processing;
using AssetCompliance.Core.State;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;

namespace AssetCompliance.Integration.Tests;

/// <summary>
/// Issue 19 item 1, against Azurite: a department's remediation plan through its route (validation, transitions,
/// If-Match), its history, the department's plan counts moved in the same commit, the close an asset event makes when
/// the device shows the outcome, the overdue sweep with its card, and a plan change racing an asset event.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class RemediationPlanTests(AzuriteFixture azurite)
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly DateTimeOffset Start = DateTimeOffset.Parse("2026-11-20T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

    private static readonly string Officer = CompliancePrincipal.EncodeWithObjectId("ho.officer", "0a000000-0000-0000-0000-000000000001", "Department.HO");

    private sealed record Setup(StateStores Store, RemediationApi Api, AssetEventProcessor Events, ManualTime Time);

    private async Task<Setup> SetUpAsync(params string[] events)
    {
        var store = await azurite.CreateStoreAsync();
        var time = new ManualTime(Start);
        var processor = TestEvents.Processor(store, time);
        foreach (var e in events)
        {
            await processor.ProcessAsync(TestEvents.Message(e), None);
        }

        return new Setup(store, TestEvents.RemediationApi(store, time), processor, time);
    }

    private static object Body(string dueDate = "2027-01-31", string state = "planned", string owner = "Estates: J. Smith", string action = "replace", string? notes = "PO raised") =>
        new { action, dueDate, owner, state, notes };

    private sealed record Answer(int Status, string Body, string? ETag)
    {
        public JsonElement Json => JsonDocument.Parse(Body).RootElement;

        public string ProblemType => Json.GetProperty("type").GetString()!;
    }

    private static async Task<Answer> PutAsync(RemediationApi api, string assetId, object body, string? ifMatch = null, string query = "", string principal = "")
    {
        var request = TestHttp.Request(principal.Length > 0 ? principal : Officer, query, "PUT", TestHttp.Json(body));
        if (ifMatch is not null) request.Headers.IfMatch = ifMatch;
        var (status, text) = await TestHttp.SendAsync(request, r => api.PutAsync(r, "HO", assetId, None));
        return new Answer(status, text, request.HttpContext.Response.Headers.ETag.ToString() is { Length: > 0 } tag ? tag : null);
    }

    private static async Task<Answer> GetAsync(RemediationApi api, string assetId, string? principal = null)
    {
        var request = TestHttp.Request(principal ?? Officer);
        var (status, text) = await TestHttp.SendAsync(request, r => api.GetAsync(r, "HO", assetId, None));
        return new Answer(status, text, request.HttpContext.Response.Headers.ETag.ToString() is { Length: > 0 } tag ? tag : null);
    }

    private static async Task<(SummaryCounts Maintained, SummaryCounts Scanned)> CountsAsync(StateStores store) =>
        ((await store.GetSummaryAsync("HO", None)).Counts, await TestEvents.CountByScanAsync(store, "HO"));

    private static void AssertPlanCounts(SummaryCounts counts, long planned = 0, long ordered = 0, long done = 0, long cancelled = 0, long overdue = 0) =>
        Assert.Equal((planned, ordered, done, cancelled, overdue), (counts.PlansByState.GetValueOrDefault(RemediationState.Planned), counts.PlansByState.GetValueOrDefault(RemediationState.Ordered),
            counts.PlansByState.GetValueOrDefault(RemediationState.Done), counts.PlansByState.GetValueOrDefault(RemediationState.Cancelled), counts.OverduePlans));

    private static async Task AssertCountsAsync(StateStores store, long planned = 0, long ordered = 0, long done = 0, long cancelled = 0, long overdue = 0)
    {
        var (maintained, scanned) = await CountsAsync(store);
        AssertPlanCounts(maintained, planned, ordered, done, cancelled, overdue);
        AssertPlanCounts(scanned, planned, ordered, done, cancelled, overdue); // the delta agrees with a recount
    }

    [Fact]
    public async Task A_department_makes_a_plan_201_with_its_ETag_the_history_names_who_and_the_summary_counts_it()
    {
        var s = await SetUpAsync(TestEvents.Upsert("HO", "CAM-1", 1));

        var made = await PutAsync(s.Api, "CAM-1", Body());

        Assert.Equal(201, made.Status);
        var plan = made.Json;
        Assert.Equal(("HO", "CAM-1", "replace", "2027-01-31", "Estates: J. Smith", "planned", "PO raised"),
            (plan.GetProperty("department").GetString(), plan.GetProperty("assetId").GetString(), plan.GetProperty("action").GetString(), plan.GetProperty("dueDate").GetString(),
             plan.GetProperty("owner").GetString(), plan.GetProperty("state").GetString(), plan.GetProperty("notes").GetString()));
        Assert.Equal(("ho.officer", false, false, JsonValueKind.Null, JsonValueKind.Null), (plan.GetProperty("updatedBy").GetString(), plan.GetProperty("overdue").GetBoolean(),
            plan.GetProperty("closed").GetBoolean(), plan.GetProperty("closedAt").ValueKind, plan.GetProperty("closedBecause").ValueKind));
        Assert.NotNull(made.ETag);

        var read = await GetAsync(s.Api, "CAM-1");
        Assert.Equal((200, made.ETag), (read.Status, read.ETag));

        var history = await s.Store.GetHistoryAsync("HO", "CAM-1", None);
        Assert.Equal(["asset.device.upserted", "remediation.created"], history.Select(h => h.EventType));
        Assert.Equal((HistoryOutcome.RemediationChanged, "0a000000-0000-0000-0000-000000000001"), (history[1].Outcome, history[1].By!.ObjectId));
        Assert.Contains("replace by 2027-01-31", history[1].Reasons[0]);
        await AssertCountsAsync(s.Store, planned: 1);

        // The summary route shows the counts.
        var state = TestEvents.StateApi(s.Store, s.Time);
        var (_, summary) = await TestHttp.SendAsync(TestHttp.Request(Officer), r => state.GetDepartmentSummaryAsync(r, "HO", None));
        var root = JsonDocument.Parse(summary).RootElement;
        Assert.Equal((1, 0), (root.GetProperty("plans").GetProperty("planned").GetInt64(), root.GetProperty("overduePlans").GetInt64()));
        var (_, estate) = await TestHttp.SendAsync(TestHttp.Request(CompliancePrincipal.Encode("central", ComplianceRoles.ReadAll)), r => state.GetEstateSummaryAsync(r, None));
        Assert.Equal(1, JsonDocument.Parse(estate).RootElement.GetProperty("plans").GetProperty("planned").GetInt64());

        // The same plan again changes nothing: 200, no history entry, the same tag.
        var again = await PutAsync(s.Api, "CAM-1", Body());
        Assert.Equal((200, made.ETag), (again.Status, again.ETag));
        Assert.Equal(2, (await s.Store.GetHistoryAsync("HO", "CAM-1", None)).Count);
    }

    [Fact]
    public async Task If_Match_applies_a_change_only_to_the_plan_read_and_a_stale_tag_is_412_with_nothing_changed()
    {
        var s = await SetUpAsync(TestEvents.Upsert("HO", "CAM-1", 1), TestEvents.Upsert("HO", "CAM-2", 1));
        var made = await PutAsync(s.Api, "CAM-1", Body());

        var ordered = await PutAsync(s.Api, "CAM-1", Body(state: "ordered"), ifMatch: made.ETag);
        Assert.Equal(200, ordered.Status);
        Assert.NotEqual(made.ETag, ordered.ETag);

        // The tag read before the change no longer names the plan.
        var stale = await PutAsync(s.Api, "CAM-1", Body(state: "cancelled"), ifMatch: made.ETag);
        Assert.Equal((412, "https://asset-compliance/problems/remediation-changed"), (stale.Status, stale.ProblemType));
        var weak = await PutAsync(s.Api, "CAM-1", Body(state: "cancelled"), ifMatch: "W/" + ordered.ETag);
        Assert.Equal(412, weak.Status); // If-Match compares strongly
        Assert.Equal("ordered", (await GetAsync(s.Api, "CAM-1")).Json.GetProperty("state").GetString());

        // A list naming the current tag, and *, both match; * on a device without a plan does not.
        Assert.Equal(200, (await PutAsync(s.Api, "CAM-1", Body(state: "ordered", notes: "delivery week 3"), ifMatch: $"\"nope\", {ordered.ETag}")).Status);
        Assert.Equal(200, (await PutAsync(s.Api, "CAM-1", Body(state: "ordered", notes: "delivery week 4"), ifMatch: "*")).Status);
        Assert.Equal(412, (await PutAsync(s.Api, "CAM-2", Body(), ifMatch: "*")).Status);
        Assert.Null((await s.Store.GetRecordAsync("HO", "CAM-2", None))!.Record.Remediation);

        var malformed = await PutAsync(s.Api, "CAM-1", Body(), ifMatch: "abc");
        Assert.Equal((400, "https://asset-compliance/problems/invalid-if-match"), (malformed.Status, malformed.ProblemType));

        // An asset event that leaves the plan as it is does not make the tag stale.
        var before = (await GetAsync(s.Api, "CAM-1")).ETag;
        await s.Events.ProcessAsync(TestEvents.Message(TestEvents.Upsert("HO", "CAM-1", 2, siteId: "S2")), None);
        Assert.Equal(before, (await GetAsync(s.Api, "CAM-1")).ETag);
        Assert.Equal(200, (await PutAsync(s.Api, "CAM-1", Body(state: "done"), ifMatch: before)).Status);
    }

    [Fact]
    public async Task Transitions_follow_the_rules_done_and_cancelled_are_terminal_and_reopen_is_explicit()
    {
        var s = await SetUpAsync(TestEvents.Upsert("HO", "CAM-1", 1));
        Assert.Equal(201, (await PutAsync(s.Api, "CAM-1", Body(state: "ordered"))).Status);

        var back = await PutAsync(s.Api, "CAM-1", Body(state: "planned"));
        Assert.Equal((409, "https://asset-compliance/problems/remediation-not-applicable"), (back.Status, back.ProblemType));
        Assert.Contains("ordered cannot become planned", back.Body);

        Assert.Equal(200, (await PutAsync(s.Api, "CAM-1", Body(state: "cancelled"))).Status);
        await AssertCountsAsync(s.Store, cancelled: 1);
        var terminal = await PutAsync(s.Api, "CAM-1", Body(state: "planned"));
        Assert.Equal(409, terminal.Status);
        Assert.Contains("reopen=true", terminal.Body);
        Assert.Equal(409, (await PutAsync(s.Api, "CAM-1", Body(state: "cancelled", notes: "changed my mind"))).Status); // even the notes

        // Reopened: planned or ordered again, with a due date counted from today.
        Assert.Equal(409, (await PutAsync(s.Api, "CAM-1", Body(state: "done"), query: "?reopen=true")).Status);
        s.Time.Now = Start.AddDays(10);
        var reopened = await PutAsync(s.Api, "CAM-1", Body(state: "planned", dueDate: "2027-05-15"), query: "?reopen=true");
        Assert.Equal(200, reopened.Status);
        Assert.Equal(Start.AddDays(10), reopened.Json.GetProperty("createdAt").GetDateTimeOffset());
        await AssertCountsAsync(s.Store, planned: 1);

        // reopen on an open plan, or where there is none, is refused; a bad flag is a 400.
        Assert.Equal(409, (await PutAsync(s.Api, "CAM-1", Body(state: "ordered"), query: "?reopen=true")).Status);
        Assert.Equal(400, (await PutAsync(s.Api, "CAM-1", Body(state: "ordered"), query: "?reopen=yes")).Status);

        var history = await s.Store.GetHistoryAsync("HO", "CAM-1", None);
        Assert.Equal(["asset.device.upserted", "remediation.created", "remediation.changed", "remediation.reopened"], history.Select(h => h.EventType));
    }

    [Fact]
    public async Task Only_a_NonCompliant_NeedsReview_or_Advisory_device_gets_a_plan()
    {
        var s = await SetUpAsync(
            TestEvents.Upsert("HO", "AXIS-1", 1, manufacturer: "Axis"),
            TestEvents.Upsert("HO", "GONE-1", 1), TestEvents.Remove("HO", "GONE-1", 2),
            TestEvents.Upsert("HO", "REVIEW-1", 1, sensitive: null),
            TestEvents.Upsert("HO", "ADVISORY-1", 1, sensitive: false));

        var compliant = await PutAsync(s.Api, "AXIS-1", Body());
        Assert.Equal(409, compliant.Status);
        Assert.Contains("the device is Compliant", compliant.Body);
        var removed = await PutAsync(s.Api, "GONE-1", Body());
        Assert.Equal(409, removed.Status);
        Assert.Contains("the device is Removed", removed.Body);
        var unknown = await PutAsync(s.Api, "NOPE-1", Body());
        Assert.Equal(404, unknown.Status);

        Assert.Equal(201, (await PutAsync(s.Api, "REVIEW-1", Body())).Status);
        Assert.Equal(201, (await PutAsync(s.Api, "ADVISORY-1", Body())).Status);

        var absent = await GetAsync(s.Api, "AXIS-1");
        Assert.Equal((404, "https://asset-compliance/problems/remediation-not-found"), (absent.Status, absent.ProblemType));
        Assert.Equal(404, (await GetAsync(s.Api, "NOPE-1")).Status);
        await AssertCountsAsync(s.Store, planned: 2);
    }

    [Theory]
    [InlineData("{\"action\":\"replace\",\"dueDate\":\"2027-01-31\",\"owner\":\"x\",\"state\":\"planned\",\"notes\":null,\"reopen\":true}", "$.reopen")]
    [InlineData("{\"action\":\"Replace\",\"dueDate\":\"2027-01-31\",\"owner\":\"x\",\"state\":\"planned\"}", "$.action")]
    [InlineData("{\"action\":\"replace\",\"dueDate\":\"2027-01-31\",\"owner\":\"x\",\"state\":1}", "$.state")]
    [InlineData("{\"action\":\"replace\",\"dueDate\":\"2027-1-31\",\"owner\":\"x\",\"state\":\"planned\"}", "$.dueDate")]
    [InlineData("{\"action\":\"replace\",\"dueDate\":\"2027-01-31T00:00:00Z\",\"owner\":\"x\",\"state\":\"planned\"}", "$.dueDate")]
    [InlineData("{\"action\":\"replace\",\"dueDate\":\"2027-02-30\",\"owner\":\"x\",\"state\":\"planned\"}", "$.dueDate")]
    [InlineData("{\"action\":\"replace\",\"dueDate\":\"2027-01-31\",\"owner\":\"  \",\"state\":\"planned\"}", "$.owner")]
    [InlineData("{\"action\":\"replace\",\"dueDate\":\"2027-01-31\",\"state\":\"planned\"}", "$.owner")]
    [InlineData("{\"action\":\"replace\",\"dueDate\":\"2027-01-31\",\"owner\":\"a\\u0007b\",\"state\":\"planned\"}", "$.owner")]
    [InlineData("{\"action\":\"burn\",\"dueDate\":\"2027-01-31\",\"owner\":\"x\",\"state\":\"planned\"}", "$.action")]
    [InlineData("{\"action\":\"replace\",\"dueDate\":\"2027-01-31\",\"owner\":\"x\",\"state\":\"closed\"}", "$.state")]
    [InlineData("[]", "$")]
    public async Task A_body_that_is_not_well_formed_is_a_400_naming_the_field_and_changes_nothing(string body, string path)
    {
        var s = await SetUpAsync(TestEvents.Upsert("HO", "CAM-1", 1));

        var answer = await PutAsync(s.Api, "CAM-1", body);

        Assert.Equal(400, answer.Status);
        Assert.Contains(answer.Json.GetProperty("errors").EnumerateArray(), e => e.GetProperty("path").GetString() == path);
        Assert.Null((await s.Store.GetRecordAsync("HO", "CAM-1", None))!.Record.Remediation);
    }

    [Fact]
    public async Task Owner_and_notes_are_bounded()
    {
        var s = await SetUpAsync(TestEvents.Upsert("HO", "CAM-1", 1));

        var owner = await PutAsync(s.Api, "CAM-1", Body(owner: new string('o', Remediations.MaxOwnerLength + 1)));
        var notes = await PutAsync(s.Api, "CAM-1", Body(notes: new string('n', Remediations.MaxNotesLength + 1)));

        Assert.Equal((400, 400), (owner.Status, notes.Status));
        Assert.Contains("$.owner", owner.Body);
        Assert.Contains("$.notes", notes.Body);
        Assert.Equal(201, (await PutAsync(s.Api, "CAM-1", Body(owner: new string('o', Remediations.MaxOwnerLength), notes: "line one\nline two"))).Status);
    }

    [Fact]
    public async Task A_due_date_in_the_past_or_past_the_policys_limit_for_the_devices_severity_is_a_422()
    {
        var policy = CompliancePolicy.Default.Remediation;
        var s = await SetUpAsync(TestEvents.Upsert("HO", "CORE-1", 1, segment: "core"), TestEvents.Upsert("HO", "HIGH-1", 1), TestEvents.Upsert("HO", "ADV-1", 1, sensitive: false));
        var today = DateOnly.FromDateTime(Start.UtcDateTime);
        string Day(int days) => today.AddDays(days).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        var past = await PutAsync(s.Api, "CORE-1", Body(dueDate: Day(-1)));
        Assert.Equal((422, "https://asset-compliance/problems/remediation-due-date"), (past.Status, past.ProblemType));
        Assert.Contains("in the past", past.Body);

        // Critical (core network): at most maxDueDays.Critical from today; High and Advisory (Low) allow more.
        var late = await PutAsync(s.Api, "CORE-1", Body(dueDate: Day(policy.MaxDaysFor("Critical") + 1)));
        Assert.Equal(422, late.Status);
        Assert.Contains("Critical", late.Body);
        Assert.Equal(201, (await PutAsync(s.Api, "CORE-1", Body(dueDate: Day(policy.MaxDaysFor("Critical"))))).Status);
        Assert.Equal(201, (await PutAsync(s.Api, "HIGH-1", Body(dueDate: Day(policy.MaxDaysFor("High"))))).Status);
        Assert.Equal(422, (await PutAsync(s.Api, "ADV-1", Body(dueDate: Day(policy.MaxDaysFor("Low") + 1)))).Status);
        Assert.Equal(201, (await PutAsync(s.Api, "ADV-1", Body(dueDate: Day(policy.MaxDaysFor("Low"))))).Status);
        Assert.Equal(404, (await PutAsync(s.Api, "HIGH-2", Body(dueDate: Day(-5)))).Status); // no such asset: 404 first, not a date problem

        // A later change may not push the date past the limit counted from the day the plan was made.
        s.Time.Now = Start.AddDays(30);
        Assert.Equal(422, (await PutAsync(s.Api, "CORE-1", Body(dueDate: Day(policy.MaxDaysFor("Critical") + 1)))).Status);
        // An unchanged due date that has passed does not stop other changes.
        s.Time.Now = Start.AddDays(policy.MaxDaysFor("Critical") + 5);
        Assert.Equal(200, (await PutAsync(s.Api, "CORE-1", Body(dueDate: Day(policy.MaxDaysFor("Critical")), state: "ordered"))).Status);
    }

    [Fact]
    public async Task A_removal_event_closes_the_plan_in_its_own_commit_with_a_history_entry_and_closedBecause()
    {
        var s = await SetUpAsync(TestEvents.Upsert("HO", "CAM-1", 1));
        await PutAsync(s.Api, "CAM-1", Body(state: "ordered"));
        await AssertCountsAsync(s.Store, ordered: 1);

        s.Time.Now = Start.AddDays(3);
        await s.Events.ProcessAsync(TestEvents.Message(TestEvents.Remove("HO", "CAM-1", 2)), None);

        var plan = (await GetAsync(s.Api, "CAM-1")).Json;
        Assert.Equal((true, "done", Start.AddDays(3)), (plan.GetProperty("closed").GetBoolean(), plan.GetProperty("state").GetString(), plan.GetProperty("closedAt").GetDateTimeOffset()));
        Assert.Contains("removed from the register", plan.GetProperty("closedBecause").GetString());
        var history = await s.Store.GetHistoryAsync("HO", "CAM-1", None);
        Assert.Equal(["asset.device.upserted", "remediation.created", "asset.device.removed", "remediation.closed"], history.Select(h => h.EventType));
        Assert.Equal((2, Start.AddDays(3)), (history[3].Revision, history[3].RecordedAt));
        await AssertCountsAsync(s.Store, done: 1);

        // A closed plan is terminal: a change needs reopen, and reopening needs an eligible device.
        Assert.Equal(409, (await PutAsync(s.Api, "CAM-1", Body(state: "ordered"))).Status);
        Assert.Equal(409, (await PutAsync(s.Api, "CAM-1", Body(state: "planned"), query: "?reopen=true")).Status);

        // A redelivered removal is a duplicate: no second close.
        await s.Events.ProcessAsync(TestEvents.Message(TestEvents.Remove("HO", "CAM-1", 2)), None);
        Assert.Equal(4, (await s.Store.GetHistoryAsync("HO", "CAM-1", None)).Count);
    }

    /// <summary>
    /// Unknown is not an outcome: a core-network device whose register stops saying its segment (or says an unknown
    /// one) has not been shown to have left the core network, whatever its verdict becomes (NeedsReview), so its plan
    /// stays open; a segment off the core network that the register states later closes it.
    /// </summary>
    [Fact]
    public async Task A_core_network_device_whose_segment_becomes_unknown_keeps_its_plan_open()
    {
        var s = await SetUpAsync(TestEvents.Upsert("HO", "CORE-1", 1, sensitive: false, segment: "core"), TestEvents.Upsert("HO", "CORE-2", 1, sensitive: null, segment: "core"));
        foreach (var id in new[] { "CORE-1", "CORE-2" }) Assert.Equal(201, (await PutAsync(s.Api, id, Body())).Status);

        await s.Events.ProcessAsync(TestEvents.Message(TestEvents.Upsert("HO", "CORE-1", 2, sensitive: false, segment: null)), None);
        await s.Events.ProcessAsync(TestEvents.Message(TestEvents.Upsert("HO", "CORE-2", 2, sensitive: null, segment: null)), None);

        foreach (var id in new[] { "CORE-1", "CORE-2" })
        {
            var record = (await s.Store.GetRecordAsync("HO", id, None))!.Record;
            Assert.NotEqual(ComplianceStatus.NonCompliant, record.Status); // the verdict moved, so the close rule was asked
            var plan = (await GetAsync(s.Api, id)).Json;
            Assert.True(!plan.GetProperty("closed").GetBoolean(), $"{id} ({record.Status}, segment {record.Device.NetworkSegment?.ToString() ?? "none"}) closed: {plan.GetProperty("closedBecause")}");
        }

        await AssertCountsAsync(s.Store, planned: 2);
        // Once the register states a segment off the core network, the move is shown: the plan was made on the core
        // network, so the unstated segment in between does not hide it.
        await s.Events.ProcessAsync(TestEvents.Message(TestEvents.Upsert("HO", "CORE-1", 3, sensitive: false, segment: "standalone")), None);
        var moved = (await GetAsync(s.Api, "CORE-1")).Json;
        Assert.True(moved.GetProperty("closed").GetBoolean());
        Assert.Contains("left the core network (now standalone)", moved.GetProperty("closedBecause").GetString());
        // The device replaced by a compliant one is still an outcome.
        await s.Events.ProcessAsync(TestEvents.Message(TestEvents.Upsert("HO", "CORE-2", 3, manufacturer: "Axis", sensitive: null, segment: null)), None);
        Assert.True((await GetAsync(s.Api, "CORE-2")).Json.GetProperty("closed").GetBoolean());
        await AssertCountsAsync(s.Store, done: 2);
    }

    /// <summary>A plan made while the segment was unstated or off the core network is not closed by a later stated one: no move off the core network was shown.</summary>
    [Fact]
    public async Task A_plan_made_off_the_core_network_is_not_closed_by_a_stated_segment()
    {
        var s = await SetUpAsync(TestEvents.Upsert("HO", "UNSTATED-1", 1, sensitive: false, segment: null));
        Assert.Equal(201, (await PutAsync(s.Api, "UNSTATED-1", Body())).Status);

        await s.Events.ProcessAsync(TestEvents.Message(TestEvents.Upsert("HO", "UNSTATED-1", 2, sensitive: false, segment: "segregated")), None);

        var record = (await s.Store.GetRecordAsync("HO", "UNSTATED-1", None))!.Record;
        Assert.Equal(ComplianceStatus.Advisory, record.Status);
        Assert.False((await GetAsync(s.Api, "UNSTATED-1")).Json.GetProperty("closed").GetBoolean());
        await AssertCountsAsync(s.Store, planned: 1);
    }

    [Fact]
    public async Task A_replacement_by_a_compliant_device_or_a_move_off_the_core_network_closes_the_plan_and_other_changes_do_not()
    {
        var s = await SetUpAsync(TestEvents.Upsert("HO", "CAM-1", 1), TestEvents.Upsert("HO", "CORE-1", 1, segment: "core"), TestEvents.Upsert("HO", "CORE-2", 1, segment: "core"));
        foreach (var id in new[] { "CAM-1", "CORE-1", "CORE-2" }) await PutAsync(s.Api, id, Body());

        await s.Events.ProcessAsync(TestEvents.Message(TestEvents.Upsert("HO", "CAM-1", 2, manufacturer: "Axis")), None);
        // CORE-1 leaves the core network for a segregated one on a site that is not sensitive: Advisory, closed.
        await s.Events.ProcessAsync(TestEvents.Message(TestEvents.Upsert("HO", "CORE-1", 2, sensitive: false)), None);
        // CORE-2 leaves the core network but stays on a sensitive site: still NonCompliant, so the plan stays open.
        await s.Events.ProcessAsync(TestEvents.Message(TestEvents.Upsert("HO", "CORE-2", 2)), None);

        var replaced = (await GetAsync(s.Api, "CAM-1")).Json;
        Assert.True(replaced.GetProperty("closed").GetBoolean());
        Assert.Contains("now Compliant", replaced.GetProperty("closedBecause").GetString());
        var moved = (await GetAsync(s.Api, "CORE-1")).Json;
        Assert.True(moved.GetProperty("closed").GetBoolean());
        Assert.Contains("left the core network (now segregated)", moved.GetProperty("closedBecause").GetString());
        var stillOpen = (await GetAsync(s.Api, "CORE-2")).Json;
        Assert.Equal((false, "planned"), (stillOpen.GetProperty("closed").GetBoolean(), stillOpen.GetProperty("state").GetString()));
        Assert.Equal(ComplianceStatus.NonCompliant, (await s.Store.GetRecordAsync("HO", "CORE-2", None))!.Record.Status);
        await AssertCountsAsync(s.Store, planned: 1, done: 2);
        // Its site stops being sensitive later: off the core network (since the plan was made on it) and no longer NonCompliant.
        await s.Events.ProcessAsync(TestEvents.Message(TestEvents.Upsert("HO", "CORE-2", 3, sensitive: false)), None);
        Assert.Contains("left the core network (now segregated)", (await GetAsync(s.Api, "CORE-2")).Json.GetProperty("closedBecause").GetString());
        await AssertCountsAsync(s.Store, done: 3);
    }

    [Fact]
    public async Task The_overdue_sweep_marks_an_open_plan_past_its_UTC_due_date_once_with_a_history_entry_a_card_and_the_count()
    {
        var s = await SetUpAsync(TestEvents.Upsert("HO", "CAM-1", 1), TestEvents.Upsert("HO", "CAM-2", 1), TestEvents.Upsert("HO", "CAM-3", 1));
        await PutAsync(s.Api, "CAM-1", Body(dueDate: "2026-12-01"));
        await PutAsync(s.Api, "CAM-2", Body(dueDate: "2026-12-02"));
        await PutAsync(s.Api, "CAM-3", Body(dueDate: "2026-12-01", state: "ordered"));
        await PutAsync(s.Api, "CAM-3", Body(dueDate: "2026-12-01", state: "cancelled")); // a cancelled plan is never overdue
        var sweeps = new StateSweeps(TestEvents.Commands(s.Store, s.Time), s.Store, s.Time, NullLogger<StateSweeps>.Instance);

        // The last moment of the due date (UTC) is not overdue; the first of the next day is.
        s.Time.Now = DateTimeOffset.Parse("2026-12-01T23:59:59Z", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(0, (await sweeps.MarkOverdueRemediationsAsync(None)).Changed);
        s.Time.Now = DateTimeOffset.Parse("2026-12-02T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(1, (await sweeps.MarkOverdueRemediationsAsync(None)).Changed);
        Assert.Equal(0, (await sweeps.MarkOverdueRemediationsAsync(None)).Changed); // once

        Assert.True((await GetAsync(s.Api, "CAM-1")).Json.GetProperty("overdue").GetBoolean());
        Assert.False((await GetAsync(s.Api, "CAM-2")).Json.GetProperty("overdue").GetBoolean());
        await AssertCountsAsync(s.Store, planned: 2, cancelled: 1, overdue: 1);
        var history = await s.Store.GetHistoryAsync("HO", "CAM-1", None);
        Assert.Equal("remediation.overdue", history[^1].EventType);
        Assert.Null(history[^1].By);

        var alert = Assert.Single((await s.Store.GetOutboxEntriesAsync("HO", Enum.GetValues<OutboxState>(), None)).Select(e => e.Alert), a => a.IsRemediationStep);
        Assert.Equal((AlertKind.RemediationOverdue, "CAM-1"), (alert.Kind, alert.AssetId));
        var card = JsonSerializer.Serialize(new AlertCardBuilder(new Uri("http://localhost/api/")).Build("HO", [alert]), AlertCardBuilder.Json);
        Assert.Contains("REMEDIATION PLAN OVERDUE: due 2026-12-01", card);
        Assert.Contains("1 remediation plan overdue", card);
        Assert.DoesNotContain("exemption", card, StringComparison.OrdinalIgnoreCase);

        // The digest names the overdue plan on its device's line.
        var digest = JsonSerializer.Serialize(new AlertCardBuilder(new Uri("http://localhost/api/")).BuildDigest("HO",
            [(await s.Store.GetRecordAsync("HO", "CAM-1", None))!.Record, (await s.Store.GetRecordAsync("HO", "CAM-2", None))!.Record], s.Time.Now), AlertCardBuilder.Json);
        Assert.Contains("1 remediation plan(s) overdue", digest);
        Assert.Contains("remediation plan OVERDUE (due 2026-12-01", digest);

        // A later due date lifts the mark (and the count); the plan can become overdue again after it.
        Assert.Equal(200, (await PutAsync(s.Api, "CAM-1", Body(dueDate: "2026-12-20"))).Status);
        await AssertCountsAsync(s.Store, planned: 2, cancelled: 1, overdue: 0);
        s.Time.Now = DateTimeOffset.Parse("2026-12-21T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(2, (await sweeps.MarkOverdueRemediationsAsync(None)).Changed);
        await AssertCountsAsync(s.Store, planned: 2, cancelled: 1, overdue: 2);

        // Closing an overdue plan takes it out of the count.
        await s.Events.ProcessAsync(TestEvents.Message(TestEvents.Remove("HO", "CAM-2", 2)), None);
        await AssertCountsAsync(s.Store, planned: 1, done: 1, cancelled: 1, overdue: 1);
    }

    [Fact]
    public async Task The_progress_routes_show_the_plan_figures_the_summary_maintains()
    {
        var s = await SetUpAsync(TestEvents.Upsert("HO", "CAM-1", 1), TestEvents.Upsert("HO", "CAM-2", 1), TestEvents.Upsert("HO", "CAM-3", 1), TestEvents.Upsert("MOJ", "CAM-9", 1));
        await PutAsync(s.Api, "CAM-1", Body(dueDate: "2026-12-01"));
        await PutAsync(s.Api, "CAM-2", Body(state: "ordered"));
        await PutAsync(s.Api, "CAM-3", Body(state: "ordered"));
        await PutAsync(s.Api, "CAM-3", Body(state: "cancelled"));
        s.Time.Now = DateTimeOffset.Parse("2026-12-02T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        await new StateSweeps(TestEvents.Commands(s.Store, s.Time), s.Store, s.Time, NullLogger<StateSweeps>.Instance).MarkOverdueRemediationsAsync(None);
        await AssertCountsAsync(s.Store, planned: 1, ordered: 1, cancelled: 1, overdue: 1);

        var progress = ProgressKit.Api(s.Store, s.Time);
        var (status, text) = await TestHttp.SendAsync(TestHttp.Request(Officer), r => progress.GetDepartmentProgressAsync(r, "HO", None));
        Assert.Equal(200, status);
        var department = JsonDocument.Parse(text).RootElement;
        static (long, long, long, long, long) Plans(JsonElement body) => (body.GetProperty("plans").GetProperty("planned").GetInt64(), body.GetProperty("plans").GetProperty("ordered").GetInt64(),
            body.GetProperty("plans").GetProperty("done").GetInt64(), body.GetProperty("plans").GetProperty("cancelled").GetInt64(), body.GetProperty("overduePlans").GetInt64());
        Assert.Equal((1, 1, 0, 1, 1), Plans(department));

        // The estate sums the departments; a department without plans shows none.
        (status, text) = await TestHttp.SendAsync(TestHttp.Request(CompliancePrincipal.Encode("central", ComplianceRoles.ReadAll)), r => progress.GetEstateProgressAsync(r, None));
        Assert.Equal(200, status);
        var estate = JsonDocument.Parse(text).RootElement;
        Assert.Equal((1, 1, 0, 1, 1), Plans(estate.GetProperty("estate")));
        var byDepartment = estate.GetProperty("departments").EnumerateArray().ToDictionary(d => d.GetProperty("department").GetString()!);
        Assert.Equal((1, 1, 0, 1, 1), Plans(byDepartment["HO"]));
        Assert.Equal((0, 0, 0, 0, 0), Plans(byDepartment["MOJ"]));
    }

    /// <summary>A store that, once, lets another writer commit between a command's read and its commit.</summary>
    private sealed class InterleavingStore(StateStores inner, Func<Task> between) : StateStores(inner)
    {
        private int _fired;

        public override async Task<CommitReport> CommitAsync(string department, IReadOnlyList<AssetChange> changes, CancellationToken cancellationToken)
        {
            if (Interlocked.Exchange(ref _fired, 1) == 0)
            {
                await between();
            }

            return await base.CommitAsync(department, changes, cancellationToken);
        }
    }

    [Fact]
    public async Task A_plan_change_that_loses_its_race_to_an_asset_event_is_planned_again_and_both_are_kept()
    {
        var s = await SetUpAsync(TestEvents.Upsert("HO", "CAM-1", 1));
        // The event (a site change, revision 2) commits after the PUT read the record and before the PUT commits.
        var racing = new InterleavingStore(s.Store, () => s.Events.ProcessAsync(TestEvents.Message(TestEvents.Upsert("HO", "CAM-1", 2, siteId: "S2")), None));
        var api = TestEvents.RemediationApi(racing, s.Time);

        Assert.Equal(201, (await PutAsync(api, "CAM-1", Body())).Status);

        var stored = (await s.Store.GetRecordAsync("HO", "CAM-1", None))!;
        Assert.Equal((2L, "S2", RemediationState.Planned), (stored.Record.Revision, stored.Record.Device.Site!.Id, stored.Record.Remediation!.State));
        Assert.Equal(["asset.device.upserted", "asset.device.upserted", "remediation.created"], (await s.Store.GetHistoryAsync("HO", "CAM-1", None)).Select(h => h.EventType));
        await AssertCountsAsync(s.Store, planned: 1);
    }

    [Fact]
    public async Task An_asset_event_that_loses_its_race_to_a_plan_change_keeps_the_plan()
    {
        var s = await SetUpAsync(TestEvents.Upsert("HO", "CAM-1", 1));
        await PutAsync(s.Api, "CAM-1", Body());
        // The PUT commits after the event read the record and before the event commits.
        var racing = new InterleavingStore(s.Store, async () => Assert.Equal(200, (await PutAsync(s.Api, "CAM-1", Body(state: "ordered"))).Status));

        await TestEvents.Processor(racing, s.Time).ProcessAsync(TestEvents.Message(TestEvents.Upsert("HO", "CAM-1", 2, siteId: "S2")), None);

        var stored = (await s.Store.GetRecordAsync("HO", "CAM-1", None))!;
        Assert.Equal((2L, "S2", RemediationState.Ordered), (stored.Record.Revision, stored.Record.Device.Site!.Id, stored.Record.Remediation!.State));
        Assert.Equal(["asset.device.upserted", "remediation.created", "remediation.changed", "asset.device.upserted"], (await s.Store.GetHistoryAsync("HO", "CAM-1", None)).Select(h => h.EventType));
        await AssertCountsAsync(s.Store, ordered: 1);
    }

    [Fact]
    public async Task A_plan_change_racing_the_removal_that_closes_the_plan_is_refused_or_412_and_the_close_is_kept()
    {
        var s = await SetUpAsync(TestEvents.Upsert("HO", "CAM-1", 1), TestEvents.Upsert("HO", "CAM-2", 1));
        await PutAsync(s.Api, "CAM-1", Body());
        var tag = (await PutAsync(s.Api, "CAM-2", Body())).ETag;

        // Without If-Match: the PUT is planned again on the closed plan, which is terminal.
        var racing = new InterleavingStore(s.Store, () => s.Events.ProcessAsync(TestEvents.Message(TestEvents.Remove("HO", "CAM-1", 2)), None));
        var refused = await PutAsync(TestEvents.RemediationApi(racing, s.Time), "CAM-1", Body(state: "ordered"));
        Assert.Equal(409, refused.Status);

        // With the tag read before the removal: 412.
        var racing2 = new InterleavingStore(s.Store, () => s.Events.ProcessAsync(TestEvents.Message(TestEvents.Remove("HO", "CAM-2", 2)), None));
        var stale = await PutAsync(TestEvents.RemediationApi(racing2, s.Time), "CAM-2", Body(state: "ordered"), ifMatch: tag);
        Assert.Equal(412, stale.Status);

        foreach (var id in new[] { "CAM-1", "CAM-2" })
        {
            var plan = (await s.Store.GetRecordAsync("HO", id, None))!.Record.Remediation!;
            Assert.Equal((true, RemediationState.Done), (plan.Closed, plan.State));
        }

        await AssertCountsAsync(s.Store, done: 2);
    }

    [Fact]
    public async Task Concurrent_plan_changes_and_events_on_one_device_lose_nothing()
    {
        var s = await SetUpAsync(TestEvents.Upsert("HO", "CAM-1", 1));
        await PutAsync(s.Api, "CAM-1", Body());

        // Notes changes and site changes at once, through separate processors as separate hosts would run them.
        const int Rounds = 6;
        var tasks = new List<Task>();
        for (var i = 0; i < Rounds; i++)
        {
            var round = i;
            tasks.Add(Task.Run(() => PutAsync(TestEvents.RemediationApi(s.Store, s.Time), "CAM-1", Body(notes: $"note {round}"))));
            tasks.Add(Task.Run(() => TestEvents.Processor(s.Store, s.Time).ProcessAsync(TestEvents.Message(TestEvents.Upsert("HO", "CAM-1", 2 + round, siteId: $"S{round}")), None)));
        }

        await Task.WhenAll(tasks);

        var stored = (await s.Store.GetRecordAsync("HO", "CAM-1", None))!;
        var history = await s.Store.GetHistoryAsync("HO", "CAM-1", None);
        Assert.Equal(1 + Rounds, history.Count(h => h.EventType == "asset.device.upserted"));
        Assert.Equal(1 + Rounds, history.Count(h => h.EventType.StartsWith("remediation.", StringComparison.Ordinal)));
        Assert.Equal(1 + Rounds, stored.Record.Revision);
        // The plan stored is the one the last plan change recorded.
        Assert.Contains($"({stored.Record.Remediation!.Notes})", history.Last(h => h.EventType == "remediation.changed").Reasons[0].Split(" (was ")[0], StringComparison.Ordinal);
        await AssertCountsAsync(s.Store, planned: 1);
    }

    /// <summary>Over real HTTP through the local run: the PUT's ETag header goes out, and If-Match comes in from the request's headers.</summary>
    [Fact]
    public async Task The_local_run_serves_the_plan_with_its_ETag_and_honours_If_Match_over_HTTP()
    {
        var port = LocalRunTests.FreePort();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var output = new StringWriter();
        var sample = Path.Combine(RepositoryPaths.Root, "samples", "asset-events.jsonl");
        // Its own Azurite (null): the shared one's default tables are the sample replay's in LocalRunTests, which counts duplicates.
        var settings = new AssetCompliance.Cli.RunCommand.Settings([sample], port, null, Verbose: false, AlertsDir: Directory.CreateTempSubdirectory("alerts-").FullName);
        var run = Task.Run(() => new AssetCompliance.Cli.RunCommand(TextWriter.Synchronized(output)).ExecuteAsync(settings, cancel.Token));
        using var http = new HttpClient(new ValidatingHandler()) { BaseAddress = new Uri($"http://127.0.0.1:{port}/api/") };
        await LocalRunTests.WaitUntilServingAsync(http, run, output);
        const string PlanPath = "departments/HO/assets/HO-CAM-0001/remediation";
        var due = DateTimeOffset.UtcNow.AddDays(30).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        async Task<HttpResponseMessage> Put(string state, string? ifMatch)
        {
            using var request = new HttpRequestMessage(HttpMethod.Put, PlanPath) { Content = new StringContent($$"""{"action":"replace","dueDate":"{{due}}","owner":"HO Estates","state":"{{state}}","notes":null}""") };
            if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
            return await http.SendAsync(request);
        }

        try
        {
            using var made = await Put("planned", null);
            var tag = made.Headers.ETag?.ToString();
            using var read = await http.GetAsync(PlanPath);
            using var ordered = await Put("ordered", tag);
            using var stale = await Put("done", tag);

            Assert.Equal((HttpStatusCode.Created, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.PreconditionFailed), (made.StatusCode, read.StatusCode, ordered.StatusCode, stale.StatusCode));
            Assert.NotNull(tag);
            Assert.Equal(tag, read.Headers.ETag?.ToString());
            Assert.NotEqual(tag, ordered.Headers.ETag?.ToString());
        }
        finally
        {
            await cancel.CancelAsync();
            Assert.Equal(0, await run);
        }
    }

    /// <summary>The document says what the route does: the body's fields and values, If-Match in, ETag out.</summary>
    [Fact]
    public void The_OpenAPI_document_describes_the_plan_body_If_Match_and_ETag()
    {
        var root = JsonDocument.Parse(OpenApi.Document("test")).RootElement;
        var schemas = root.GetProperty("components").GetProperty("schemas");
        var put = root.GetProperty("paths").GetProperty("/departments/{department}/assets/{assetId}/remediation").GetProperty("put");

        var request = schemas.GetProperty("RemediationRequest");
        Assert.False(request.GetProperty("additionalProperties").GetBoolean());
        Assert.Equal(["action", "dueDate", "owner", "state"], request.GetProperty("required").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(Remediations.Actions, request.GetProperty("properties").GetProperty("action").GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(Remediations.States, request.GetProperty("properties").GetProperty("state").GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("date", request.GetProperty("properties").GetProperty("dueDate").GetProperty("format").GetString());
        Assert.Equal(Remediations.MaxOwnerLength, request.GetProperty("properties").GetProperty("owner").GetProperty("maxLength").GetInt32());

        var body = schemas.GetProperty("RemediationBody").GetProperty("properties");
        Assert.Contains("replace", body.GetProperty("action").ToString());
        Assert.DoesNotContain("Replace", body.GetProperty("action").ToString());
        Assert.Contains(put.GetProperty("parameters").EnumerateArray(), p => p.GetProperty("name").GetString() == "If-Match" && p.GetProperty("in").GetString() == "header");
        Assert.Contains(put.GetProperty("parameters").EnumerateArray(), p => p.GetProperty("name").GetString() == "reopen" && p.GetProperty("schema").GetProperty("type").GetString() == "boolean");
        foreach (var status in new[] { "200", "201" })
        {
            Assert.True(put.GetProperty("responses").GetProperty(status).GetProperty("headers").TryGetProperty("ETag", out _), status);
        }

        Assert.Equal(["200", "201", "400", "401", "403", "404", "409", "412", "413", "422", "503"], put.GetProperty("responses").EnumerateObject().Select(r => r.Name));
        var summary = schemas.GetProperty("SummaryView").GetProperty("properties");
        Assert.True(summary.TryGetProperty("plans", out _) && summary.TryGetProperty("overduePlans", out _));
    }
}
