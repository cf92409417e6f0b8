using System.Text;
using System.Text.Json.Nodes;
using AssetCompliance.Core.Catalogue;
using AssetCompliance.Core.Events;
using AssetCompliance.Core.Policy;
using AssetCompliance.Core.Processing;
using AssetCompliance.Core.State;

namespace AssetCompliance.Core.Tests;

/// <summary>
/// A department chooses its events' ids, and an id may look like one of the pipeline's own commands
/// (<c>reevaluate/…</c>, <c>observed/…</c>, <c>exemption-expired/…</c>): the record's memory of applied commands keeps
/// the two apart, so an event can never make a later re-evaluation, observation or exemption step look done.
/// </summary>
public sealed class CommandIdTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-11-20T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
    private static readonly RecordPlanner Planner = new(new DeviceIdentifier(VendorCatalogue.Default), new ComplianceEvaluator(CompliancePolicy.Default));

    private static AssetEvent Event(string id, string assetId, long revision)
    {
        var json = new JsonObject
        {
            ["specversion"] = "1.0", ["id"] = id, ["source"] = "/departments/HO/asset-register", ["type"] = "asset.device.upserted",
            ["time"] = "2026-11-20T09:00:00Z", ["datacontenttype"] = "application/json",
            ["data"] = new JsonObject
            {
                ["assetId"] = assetId, ["department"] = "HO", ["revision"] = revision, ["manufacturer"] = "Hikvision",
                ["deviceType"] = "camera", ["networkSegment"] = "core", ["site"] = new JsonObject { ["id"] = "S1", ["sensitive"] = true },
            },
        };
        return AssetEventParser.Parse(Encoding.UTF8.GetBytes(json.ToJsonString())).Event!;
    }

    [Fact]
    public void An_event_whose_id_is_a_reevaluation_s_does_not_make_that_reevaluation_a_repeat()
    {
        var reevaluation = new Reevaluate("HO", "CAM-1", Planner.CatalogueVersion, Planner.PolicyVersion);
        var (made, results) = Planner.Plan("HO", "CAM-1", null, [new ApplyAssetEvent(Event(reevaluation.Id, "CAM-1", 1))], Now);
        Assert.Equal(CommandOutcome.Applied, Assert.Single(results).Outcome);
        var stored = new StoredRecord(made!.After! with { PolicyVersion = "an-older-policy" }, "etag", made.HistoryCount, made.AppliedCommands);

        var (_, again) = Planner.Plan("HO", "CAM-1", stored, [reevaluation], Now.AddDays(1));

        Assert.Equal(CommandOutcome.Applied, Assert.Single(again).Outcome);
    }

    [Fact]
    public void A_repeat_of_the_same_event_or_command_is_still_a_repeat()
    {
        var assetEvent = new ApplyAssetEvent(Event("CAM-1-1", "CAM-1", 1));
        var (made, _) = Planner.Plan("HO", "CAM-1", null, [assetEvent], Now);
        var stored = new StoredRecord(made!.After! with { PolicyVersion = "an-older-policy" }, "etag", made.HistoryCount, made.AppliedCommands);
        var reevaluation = new Reevaluate("HO", "CAM-1", Planner.CatalogueVersion, Planner.PolicyVersion);
        var (after, _) = Planner.Plan("HO", "CAM-1", stored, [reevaluation], Now.AddDays(1));
        var twice = new StoredRecord(after!.After!, "etag", after.HistoryCount, after.AppliedCommands);

        var (_, results) = Planner.Plan("HO", "CAM-1", twice, [assetEvent, reevaluation], Now.AddDays(2));

        Assert.Equal([CommandOutcome.Duplicate, CommandOutcome.Duplicate], results.Select(r => r.Outcome));
    }
}
