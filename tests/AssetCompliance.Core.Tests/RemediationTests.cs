using System.Text;
using System.Text.Json.Nodes;
using AssetCompliance.Core.Catalogue;
using AssetCompliance.Core.Events;
using AssetCompliance.Core.Policy;
using AssetCompliance.Core.Processing;
using AssetCompliance.Core.State;

namespace AssetCompliance.Core.Tests;

/// <summary>
/// Issue 19 item 1 without storage: the policy's remediation limits as loaded and refused, the body's rules, the
/// planner's steps on one record in order (made, changed, closed by an event in the same change, overdue), and the
/// summary delta a plan moves.
/// </summary>
public sealed class RemediationTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-11-20T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
    private static readonly RecordPlanner Planner = new(new DeviceIdentifier(VendorCatalogue.Default), new ComplianceEvaluator(CompliancePolicy.Default));
    private static readonly Actor Officer = new("ho.officer", "0a000000-0000-0000-0000-000000000001");

    private static string PolicyWith(string remediation)
    {
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "catalogue", "policy.json")))!.AsObject();
        if (remediation.Length == 0) json.Remove("remediation");
        else json["remediation"] = JsonNode.Parse(remediation);
        return json.ToJsonString();
    }

    [Fact]
    public void The_policy_gives_a_maximum_due_date_per_urgency_and_the_urgency_follows_the_verdict()
    {
        var policy = CompliancePolicy.Default.Remediation;

        Assert.Equal(["Critical", "High", "Low", "Medium"], policy.MaxDueDays.Keys.Order(StringComparer.Ordinal));
        Assert.True(policy.MaxDaysFor("Critical") <= policy.MaxDaysFor("High"));
        Assert.Equal("Critical", RemediationPolicy.UrgencyOf(ComplianceStatus.NonCompliant, Severity.Critical));
        Assert.Equal("High", RemediationPolicy.UrgencyOf(ComplianceStatus.NonCompliant, Severity.High));
        Assert.Equal("Critical", RemediationPolicy.UrgencyOf(ComplianceStatus.NonCompliant, null)); // unknown severity is read as the worst
        Assert.Equal("Medium", RemediationPolicy.UrgencyOf(ComplianceStatus.NeedsReview, null));
        Assert.Equal("Low", RemediationPolicy.UrgencyOf(ComplianceStatus.Advisory, null));
        Assert.Null(RemediationPolicy.UrgencyOf(ComplianceStatus.Compliant, null));
        Assert.Null(RemediationPolicy.UrgencyOf(ComplianceStatus.Removed, null));
    }

    [Theory]
    [InlineData("", "remediation.maxDueDays is required")]
    [InlineData("{}", "remediation.maxDueDays is required")]
    [InlineData("{\"maxDueDays\":{\"Critical\":90,\"High\":180,\"Medium\":270}}", "lacks Low")]
    [InlineData("{\"maxDueDays\":{\"Critical\":0,\"High\":180,\"Medium\":270,\"Low\":365}}", "maxDueDays.Critical must be a whole number")]
    [InlineData("{\"maxDueDays\":{\"Critical\":90.5,\"High\":180,\"Medium\":270,\"Low\":365}}", "maxDueDays.Critical must be a whole number")]
    [InlineData("{\"maxDueDays\":{\"Critical\":\"90\",\"High\":180,\"Medium\":270,\"Low\":365}}", "maxDueDays.Critical must be a whole number")]
    [InlineData("{\"maxDueDays\":{\"Critical\":90,\"High\":99999,\"Medium\":270,\"Low\":365}}", "maxDueDays.High must be a whole number")]
    [InlineData("{\"maxDueDays\":{\"Critical\":90,\"High\":180,\"Medium\":270,\"Low\":365,\"Urgent\":7}}", "maxDueDays.Urgent is not an urgency")]
    public void A_policy_with_missing_or_wrong_remediation_limits_is_refused_naming_them(string remediation, string expected)
    {
        var error = Assert.Throws<InvalidDataException>(() => CompliancePolicy.Load(Encoding.UTF8.GetBytes(PolicyWith(remediation))));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void The_body_is_read_strictly_and_every_problem_has_its_path()
    {
        var (change, errors) = Remediations.Read(new RemediationRequest("relocate", "2027-03-31", "  Estates  ", "ordered", "   "));
        Assert.Empty(errors);
        Assert.Equal(new RemediationChange(RemediationAction.Relocate, new DateOnly(2027, 3, 31), "Estates", RemediationState.Ordered, null), change);

        var bad = Remediations.Validate(new RemediationRequest("Replace", "31/03/2027", null, "Done", new string('x', Remediations.MaxNotesLength + 1)));
        Assert.Equal(["$.action", "$.state", "$.dueDate", "$.owner", "$.notes"], bad.Select(e => e.Path));
        Assert.Equal(["$.action", "$.state", "$.dueDate", "$.owner"], Remediations.Validate(new RemediationRequest(null, null, "", null, null)).Select(e => e.Path));
    }

    private static AssetEvent Event(string assetId, long revision, string manufacturer = "Hikvision", string segment = "core", string? kind = null)
    {
        var data = new JsonObject
        {
            ["assetId"] = assetId, ["department"] = "HO", ["revision"] = revision, ["manufacturer"] = manufacturer,
            ["deviceType"] = "camera", ["networkSegment"] = segment, ["site"] = new JsonObject { ["id"] = "S1", ["name"] = "Site one", ["sensitive"] = true },
        };
        var json = new JsonObject
        {
            ["specversion"] = "1.0", ["id"] = $"{assetId}-{revision}", ["source"] = "/departments/HO/asset-register", ["type"] = kind ?? "asset.device.upserted",
            ["time"] = "2026-11-20T09:00:00Z", ["datacontenttype"] = "application/json", ["data"] = data,
        };
        var parsed = AssetEventParser.Parse(Encoding.UTF8.GetBytes(json.ToJsonString()));
        Assert.True(parsed.Event is not null, string.Join("; ", parsed.Errors.Select(e => $"{e.Path}: {e.Message}")));
        return parsed.Event!;
    }

    private static SetRemediation Set(string state = "planned", string due = "2027-01-31") =>
        new(Guid.NewGuid().ToString("N"), "HO", "CAM-1", Remediations.Read(new RemediationRequest("replace", due, "Estates", state, null)).Change!, null, false) { By = Officer };

    [Fact]
    public void In_one_change_a_plan_made_and_the_event_that_shows_its_outcome_close_it_with_two_history_entries_and_the_delta_counts_done()
    {
        // One run of commands, as the processor plans them: the device, its plan, then the compliant replacement.
        var (change, results) = Planner.Plan("HO", "CAM-1", null,
            [new ApplyAssetEvent(Event("CAM-1", 1)), Set(due: "2027-01-15"), new ApplyAssetEvent(Event("CAM-1", 2, manufacturer: "Axis"))], Now);

        Assert.Equal([CommandOutcome.Applied, CommandOutcome.Applied, CommandOutcome.Applied], results.Select(r => r.Outcome));
        Assert.Equal(["asset.device.upserted", "remediation.created", "asset.device.upserted", "remediation.closed"], change!.Commands.Select(c => c.History.EventType));
        Assert.Equal([1L, 2, 3, 4], change.Commands.Select(c => c.Sequence));
        Assert.Equal(change.Commands.Count, change.Commands.Select(c => c.Fingerprint).Distinct().Count()); // the close has its own fingerprint
        var plan = change.After!.Remediation!;
        Assert.Equal((true, RemediationState.Done, Now), (plan.Closed, plan.State, plan.ClosedAt!.Value));
        Assert.Contains("now Compliant", plan.ClosedBecause);
        Assert.Equal((0L, 0L, 1L, 0L), (change.Delta.Plans(RemediationState.Planned), change.Delta.Plans(RemediationState.Ordered), change.Delta.Plans(RemediationState.Done), change.Delta.OverduePlans));
        Assert.False(change.Delta.IsZero);
    }

    [Fact]
    public void A_plan_on_a_Critical_device_may_be_due_at_most_maxDueDays_Critical_ahead_and_a_superseded_event_closes_nothing()
    {
        var days = CompliancePolicy.Default.Remediation.MaxDaysFor("Critical");
        var latest = DateOnly.FromDateTime(Now.UtcDateTime).AddDays(days).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var later = DateOnly.FromDateTime(Now.UtcDateTime).AddDays(days + 1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        var (_, tooLate) = Planner.Plan("HO", "CAM-1", null, [new ApplyAssetEvent(Event("CAM-1", 2)), Set(due: later)], Now);
        Assert.Equal(CommandOutcome.Unacceptable, tooLate[1].Outcome);
        Assert.Contains($"at most {days} days", tooLate[1].Reason);

        var (change, results) = Planner.Plan("HO", "CAM-1", null,
            [new ApplyAssetEvent(Event("CAM-1", 2)), Set(due: latest), new ApplyAssetEvent(Event("CAM-1", 1, kind: "asset.device.removed"))], Now);
        Assert.Equal([CommandOutcome.Applied, CommandOutcome.Applied, CommandOutcome.Superseded], results.Select(r => r.Outcome));
        Assert.False(change!.After!.Remediation!.Closed);
        Assert.Equal(1, change.Delta.Plans(RemediationState.Planned));
    }

    [Fact]
    public void A_reevaluation_that_finds_the_device_Compliant_closes_its_plan_and_one_that_does_not_leaves_it_open()
    {
        var (made, _) = Planner.Plan("HO", "CAM-1", null, [new ApplyAssetEvent(Event("CAM-1", 1)), Set(due: "2027-01-15")], Now);
        var record = made!.After!;

        // Stored under an older policy: once as it is (still NonCompliant now), once as a device the current catalogue clears.
        var stillBad = new StoredRecord(record with { PolicyVersion = "pol-older" }, "etag", made.HistoryCount, made.AppliedCommands);
        var cleared = new StoredRecord(record with { PolicyVersion = "pol-older", Device = record.Device with { Manufacturer = "Axis" } }, "etag", made.HistoryCount, made.AppliedCommands);
        Reevaluate Again() => new("HO", "CAM-1", Planner.CatalogueVersion, Planner.PolicyVersion);

        var (open, _) = Planner.Plan("HO", "CAM-1", stillBad, [Again()], Now.AddDays(1));
        Assert.False(open!.After!.Remediation!.Closed);
        Assert.Equal(["compliance.reevaluated"], open.Commands.Select(c => c.History.EventType));

        var (closed, _) = Planner.Plan("HO", "CAM-1", cleared, [Again()], Now.AddDays(1));
        Assert.Equal(["compliance.reevaluated", "remediation.closed"], closed!.Commands.Select(c => c.History.EventType));
        Assert.Contains("compliance.reevaluated", closed.After!.Remediation!.ClosedBecause);
        Assert.Equal((-1L, 1L), (closed.Delta.Plans(RemediationState.Planned), closed.Delta.Plans(RemediationState.Done)));
    }

    [Fact]
    public void The_overdue_mark_needs_the_plan_version_it_was_found_on_and_a_passed_due_date()
    {
        var (made, _) = Planner.Plan("HO", "CAM-1", null, [new ApplyAssetEvent(Event("CAM-1", 1)), Set(due: "2026-11-25")], Now);
        var stored = new StoredRecord(made!.After!, "etag", made.HistoryCount, made.AppliedCommands);
        var plan = stored.Record.Remediation!;

        var (early, notYet) = Planner.Plan("HO", "CAM-1", stored, [new MarkRemediationOverdue("HO", "CAM-1", plan.UpdatedAt)], Now.AddDays(5));
        Assert.Equal((null, CommandOutcome.NotNeeded), (early, notYet[0].Outcome)); // 2026-11-25T10:00Z: still the due date

        var (other, stale) = Planner.Plan("HO", "CAM-1", stored, [new MarkRemediationOverdue("HO", "CAM-1", plan.UpdatedAt.AddTicks(1))], Now.AddDays(6));
        Assert.Equal((null, CommandOutcome.NotNeeded), (other, stale[0].Outcome)); // planned on another version of the plan

        var (overdue, marked) = Planner.Plan("HO", "CAM-1", stored, [new MarkRemediationOverdue("HO", "CAM-1", plan.UpdatedAt)], Now.AddDays(6));
        Assert.Equal(CommandOutcome.Applied, marked[0].Outcome);
        Assert.True(overdue!.After!.Remediation!.Overdue);
        Assert.Equal(1, overdue.Delta.OverduePlans);
        Assert.Equal(AlertKind.RemediationOverdue, Assert.Single(overdue.Alerts).Kind);
        Assert.NotEqual(plan.ETag(), overdue.After.Remediation.ETag()); // the mark changes the plan, so its tag
        Assert.Equal(plan.ETag(), (plan with { }).ETag()); // and a copy of the same plan has the same tag
    }
}
