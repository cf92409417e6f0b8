using AssetCompliance.Core.Catalogue;
using AssetCompliance.Core.Events;
using AssetCompliance.Core.Policy;
using AssetCompliance.Core.Processing;
using AssetCompliance.Core.State;

namespace AssetCompliance.Core.Tests;

/// <summary>
/// The progress figures' arithmetic (issue 19), on the real planner: how a change is dated, the monthly trend, the
/// open items' ages at the reader's clock, and that the moves of every committed change add up to the rebuild from
/// history.
/// </summary>
public sealed class ProgressLedgerTests
{
    private static readonly RecordPlanner Planner = new(new DeviceIdentifier(VendorCatalogue.Default), new ComplianceEvaluator(CompliancePolicy.Default));

    private static DateTimeOffset T(string instant) => DateTimeOffset.Parse(instant, System.Globalization.CultureInfo.InvariantCulture);

    private static ApplyAssetEvent Event(string assetId, long revision, DateTimeOffset time, string manufacturer = "Hikvision", bool? sensitive = true,
        NetworkSegment? segment = NetworkSegment.Segregated, bool removed = false, DeviceType type = DeviceType.Camera) => new(new AssetEvent
    {
        Id = $"{assetId}-{revision}-{time.UtcTicks}-{removed}",
        Source = "/departments/HO/asset-register",
        Kind = removed ? AssetEventKind.Removed : AssetEventKind.Upserted,
        Time = time,
        Device = new RegisteredDevice
        {
            AssetId = assetId, Department = "HO", Revision = revision, Manufacturer = manufacturer, DeviceType = type,
            Site = new Site("S1", "Site", sensitive), NetworkSegment = segment,
        },
    });

    /// <summary>A device's records and history as the store would keep them, and the maintained moves of each change.</summary>
    private sealed class Device
    {
        public StoredRecord? Stored { get; private set; }
        public List<HistoryEntry> History { get; } = [];
        public List<ProgressLedger> Moves { get; } = [];

        public void Apply(DateTimeOffset now, params RecordCommand[] commands)
        {
            var (change, _) = Planner.Plan("HO", commands[0].AssetId, Stored, commands, now);
            if (change is null) return;
            Moves.Add(ProgressLedger.Of(change));
            History.AddRange(change.Commands.Select(c => c.History));
            Stored = new StoredRecord(change.After ?? Stored!.Record, "etag", change.HistoryCount, change.AppliedCommands);
        }
    }

    private static (long Sensitive, long Core, long Open) At(ProgressLedger ledger, DateTimeOffset asOf, string month)
    {
        var point = ledger.Trend(asOf).Single(p => p.Month == month).Value;
        return (point.PrcOnSensitiveSites, point.PrcOnCoreNetworks, point.OpenItems);
    }

    [Fact]
    public void A_change_is_dated_by_its_event_time_from_the_instruction_date_never_after_it_was_recorded_nor_before_the_state_it_replaces()
    {
        var device = new Device();
        device.Apply(T("2026-06-01T00:00:00Z"), Event("CAM-1", 1, T("2019-05-01T00:00:00Z")));                 // before the instruction: its month
        var ledger = device.Moves.Single();
        Assert.Equal(["2022-11", "2026-06"], ledger.Months.Keys); // the trend's month and the day it opened
        Assert.Equal(1, ledger.Months["2022-11"].Change.PrcOnSensitiveSites);

        var later = new Device();
        later.Apply(T("2026-06-01T00:00:00Z"), Event("CAM-2", 1, T("2027-01-01T00:00:00Z")));                   // the register's clock is ahead
        Assert.Equal(1, later.Moves.Single().Months["2026-06"].Change.Devices);
        later.Apply(T("2026-06-02T00:00:00Z"), Event("CAM-2", 2, T("2024-01-01T00:00:00Z"), removed: true));    // a newer revision with an older time
        Assert.Equal(-1, later.Moves[1].Months["2026-06"].Change.Devices);                                       // dated at the state it replaces
        Assert.Equal(T("2026-06-01T00:00:00Z"), later.Stored!.Record.ProgressAt);
    }

    [Fact]
    public void A_step_that_moves_no_figure_leaves_a_later_event_its_own_month()
    {
        var device = new Device();
        device.Apply(T("2024-01-02T00:00:00Z"), Event("CAM-1", 1, T("2024-01-01T00:00:00Z")));
        device.Apply(T("2026-06-01T00:00:00Z"), new ResetRevision("r1", "HO", "CAM-1", "renumbered", "admin"));
        Assert.True(device.Moves[1].IsZero);
        Assert.Equal(T("2024-01-01T00:00:00Z"), device.Stored!.Record.ProgressAt);

        device.Apply(T("2026-06-02T00:00:00Z"), Event("CAM-1", 2, T("2025-02-10T00:00:00Z"), removed: true));
        Assert.Equal(-1, device.Moves[2].Months["2025-02"].Change.Devices);
        Assert.Equal(Normal(ProgressLedger.FromHistory(device.Stored!.Record, device.History)), Normal(new ProgressLedger(device.Moves.SelectMany(m => m.Months))));
    }

    [Fact]
    public void The_trend_has_a_point_per_month_from_the_instruction_date_each_the_value_at_the_months_end_and_the_last_now()
    {
        var device = new Device();
        device.Apply(T("2026-06-01T00:00:00Z"), Event("CAM-1", 1, T("2023-02-15T00:00:00Z")));
        device.Apply(T("2026-06-01T00:00:00Z"), Event("CAM-1", 2, T("2024-04-30T23:59:59Z"), segment: NetworkSegment.Core));
        var ledger = new ProgressLedger(device.Moves.SelectMany(m => m.Months));
        var asOf = T("2026-06-15T00:00:00Z");

        var trend = ledger.Trend(asOf);
        Assert.Equal(44, trend.Count);
        Assert.Equal(("2022-11", "2026-06"), (trend[0].Month, trend[^1].Month));
        Assert.Equal((0, 0, 0), At(ledger, asOf, "2023-01"));
        Assert.Equal((1, 0, 1), At(ledger, asOf, "2023-02"));
        Assert.Equal((1, 0, 1), At(ledger, asOf, "2024-03"));
        Assert.Equal((1, 1, 1), At(ledger, asOf, "2024-04"));
        Assert.Equal(ledger.Current, trend[^1].Value);

        // Read before the last change's month, the last point still says now.
        var early = ledger.Trend(T("2023-12-01T00:00:00Z"));
        Assert.Equal("2023-12", early[^1].Month);
        Assert.Equal(ledger.Current, early[^1].Value);
    }

    [Theory]
    [InlineData("2026-06-30T23:00:00Z", 0)]  // 29 days
    [InlineData("2026-07-01T00:00:00Z", 1)]  // 30 days
    [InlineData("2026-08-29T00:00:00Z", 1)]  // 89 days
    [InlineData("2026-08-30T00:00:00Z", 2)]  // 90 days
    [InlineData("2027-05-31T00:00:00Z", 2)]  // 364 days
    [InlineData("2027-06-01T00:00:00Z", 3)]  // 365 days
    public void Open_items_are_bucketed_by_whole_days_open_at_the_readers_clock(string asOf, int bucket)
    {
        var device = new Device();
        device.Apply(T("2026-06-01T10:00:00Z"), Event("CAM-1", 1, T("2026-05-01T00:00:00Z")));
        var ages = device.Moves.Single().Ages(T(asOf));
        Assert.Equal(bucket, new[] { ages.Under30Days, ages.From30To90Days, ages.From90To365Days, ages.Over365Days }.ToList().IndexOf(1));
    }

    [Fact]
    public void A_change_dated_over_many_months_moves_its_trend_in_its_last_month_so_it_fits_one_transaction()
    {
        var device = new Device();
        var commands = Enumerable.Range(1, 12).Select(i => (RecordCommand)Event("CAM-1", i, T("2023-01-01T00:00:00Z").AddMonths(2 * i), sensitive: i % 2 == 0)).ToArray();
        device.Apply(T("2026-06-01T00:00:00Z"), commands);
        var ledger = device.Moves.Single();
        Assert.Single(ledger.Months, m => !m.Value.Change.IsZero);
        Assert.Equal(ProgressFigures.Of(device.Stored!.Record), ledger.Current);
    }

    [Fact]
    public void History_written_before_the_facts_rebuilds_with_the_records_maker_site_and_network()
    {
        var device = new Device();
        device.Apply(T("2026-01-01T00:00:00Z"), Event("CAM-1", 1, T("2023-01-01T00:00:00Z"), sensitive: false));
        device.Apply(T("2026-02-01T00:00:00Z"), Event("CAM-1", 2, T("2024-01-01T00:00:00Z"), sensitive: true));
        var old = device.History.Select(h => h with { Progress = null }).ToList();

        var rebuilt = ProgressLedger.FromHistory(device.Stored!.Record, old);
        Assert.Equal(ProgressFigures.Of(device.Stored.Record), rebuilt.Current);
        Assert.Equal((1, 0, 0), At(rebuilt, T("2026-03-01T00:00:00Z"), "2023-06")); // taken to be on the sensitive site all along (its status history is exact)
        Assert.Equal((1, 0, 1), At(rebuilt, T("2026-03-01T00:00:00Z"), "2024-01"));
    }

    /// <summary>Random runs of events (stale, removed, moved, re-added, out of time order) over a fixed seed: the maintained moves add up to the rebuild from history, month by month.</summary>
    [Fact]
    public void The_moves_of_every_change_add_up_to_the_rebuild_from_history()
    {
        var random = new Random(19);
        string[] makers = ["Hikvision", "Axis", "Dahua", "Amcrest"];
        for (var run = 0; run < 200; run++)
        {
            var device = new Device();
            var now = T("2022-06-01T00:00:00Z");
            var revision = 0L;
            for (var step = random.Next(1, 12); step > 0; step--)
            {
                now = now.AddDays(random.Next(1, 200));
                var commands = Enumerable.Range(0, random.Next(1, 4)).Select(_ =>
                {
                    revision += random.Next(-1, 3);
                    return (RecordCommand)Event("CAM-1", Math.Max(1, revision), now.AddDays(-random.Next(0, 900)), makers[random.Next(makers.Length)],
                        random.Next(3) switch { 0 => null, 1 => false, _ => true }, random.Next(3) == 0 ? NetworkSegment.Core : NetworkSegment.Segregated, removed: random.Next(6) == 0);
                }).ToArray();
                device.Apply(now, commands);
            }

            if (device.Stored is null) continue;
            var maintained = new ProgressLedger(device.Moves.SelectMany(m => m.Months));
            var rebuilt = ProgressLedger.FromHistory(device.Stored.Record, device.History);
            Assert.Equal(Normal(rebuilt), Normal(maintained));
            Assert.Equal(ProgressFigures.Of(device.Stored.Record), maintained.Current);
            Assert.All(maintained.Trend(now), p => Assert.InRange(p.Value.Devices, 0, 1));
        }
    }

    private static List<string> Normal(ProgressLedger ledger) =>
        [.. ledger.Months.Where(m => !m.Value.IsZero).Select(m => $"{m.Key} {m.Value.Change} {string.Join(',', m.Value.OpenedByDay)}")];
}
