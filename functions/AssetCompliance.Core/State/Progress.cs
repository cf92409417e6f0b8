using AssetCompliance.Core.Events;
using AssetCompliance.Core.Policy;

namespace AssetCompliance.Core.State;

/// <summary>
/// What the progress figures need to know about a device beyond its status, as its record's evaluation says: whether
/// its maker is subject to the PRC National Intelligence Law (the vendor the evaluation named has
/// <see cref="VendorSnapshot.SubjectToNationalIntelligenceLaw"/> true; an unknown or contested maker is not counted
/// here, it is held for review and counted among the statuses), and, for such a device, whether the register puts it on
/// a sensitive site (<c>site.sensitive</c> true) or on the core network (<c>networkSegment</c> core). Any device type
/// counts: the figures say where PRC-made equipment is, whatever the direction's verdict on it. Stamped on every
/// history entry that changes the record (<see cref="HistoryEntry.Progress"/>), so that the trend can be rebuilt from
/// history exactly.
/// </summary>
public sealed record ProgressFacts(bool PrcMade, bool OnSensitiveSite, bool OnCoreNetwork)
{
    /// <summary>The facts of a record (whatever its status; a removed device counts for nothing, see <see cref="ProgressFigures.Of(ComplianceStatus, ProgressFacts)"/>).</summary>
    public static ProgressFacts Of(ComplianceRecord record)
    {
        var prc = record.Vendor?.SubjectToNationalIntelligenceLaw == true;
        return new ProgressFacts(prc, prc && record.Device.Site?.Sensitive == true, prc && record.Device.NetworkSegment == NetworkSegment.Core);
    }
}

/// <summary>
/// The progress counts of a department (or the estate, or one device: each 0 or 1), or a move in them: devices in the
/// register (every status but Removed), PRC-made ones (<see cref="ProgressFacts"/>), those on sensitive sites and on
/// core networks, and open items (NonCompliant devices).
/// </summary>
public readonly record struct ProgressFigures(long Devices, long PrcMade, long PrcOnSensitiveSites, long PrcOnCoreNetworks, long OpenItems)
{
    /// <summary>One device's figures in this status with these facts: nothing once removed.</summary>
    public static ProgressFigures Of(ComplianceStatus status, ProgressFacts facts) => status == ComplianceStatus.Removed
        ? default
        : new(1, facts.PrcMade ? 1 : 0, facts.OnSensitiveSite ? 1 : 0, facts.OnCoreNetwork ? 1 : 0, status == ComplianceStatus.NonCompliant ? 1 : 0);

    /// <summary>One record's figures; nothing for no record.</summary>
    public static ProgressFigures Of(ComplianceRecord? record) => record is null ? default : Of(record.Status, ProgressFacts.Of(record));

    public bool IsZero => this == default;

    public static ProgressFigures operator +(ProgressFigures a, ProgressFigures b) =>
        new(a.Devices + b.Devices, a.PrcMade + b.PrcMade, a.PrcOnSensitiveSites + b.PrcOnSensitiveSites, a.PrcOnCoreNetworks + b.PrcOnCoreNetworks, a.OpenItems + b.OpenItems);

    public static ProgressFigures operator -(ProgressFigures a, ProgressFigures b) =>
        new(a.Devices - b.Devices, a.PrcMade - b.PrcMade, a.PrcOnSensitiveSites - b.PrcOnSensitiveSites, a.PrcOnCoreNetworks - b.PrcOnCoreNetworks, a.OpenItems - b.OpenItems);
}

/// <summary>
/// One calendar month (UTC) of a department's maintained progress: <see cref="Change"/>, how the figures moved by
/// changes dated in the month (the trend: a month's value is the sum of the changes of it and every month before), and
/// <see cref="OpenedByDay"/>, how many of today's open items opened on each day of the month (index 0 is the 1st),
/// so that the open items' ages are bucketed when read, against the reader's clock.
/// </summary>
public sealed record ProgressMonth(ProgressFigures Change, IReadOnlyList<long> OpenedByDay)
{
    /// <summary>The days a month can have: <see cref="OpenedByDay"/> always has this many entries.</summary>
    public const int Days = 31;

    public static ProgressMonth Empty { get; } = new(default, new long[Days]);

    public bool IsZero => Change.IsZero && OpenedByDay.All(c => c == 0);

    public ProgressMonth Plus(ProgressMonth other) =>
        new(Change + other.Change, [.. Enumerable.Range(0, Days).Select(d => OpenedByDay[d] + other.OpenedByDay[d])]);
}

/// <summary>
/// A department's maintained progress (one <see cref="ProgressMonth"/> per month that has any, keyed <c>yyyy-MM</c>),
/// or a move in it. The store keeps one row per month and moves it in the same transaction as the records
/// (<see cref="Of(AssetChange)"/>); <see cref="FromHistory"/> computes the same from a device's history, for stores
/// that existed before the figures did. Reading the figures reads these rows only.
/// </summary>
public sealed class ProgressLedger
{
    /// <summary>
    /// The most trend months one change may move; a change whose commands are dated in more months (a run of 30 events
    /// for one device spread over years, in one batch) moves its whole trend change in its last month, so that it
    /// always fits one transaction.
    /// </summary>
    public const int MaxTrendMonthsPerChange = 8;

    private readonly SortedDictionary<string, ProgressMonth> _months;

    public ProgressLedger(IEnumerable<KeyValuePair<string, ProgressMonth>> months)
    {
        _months = new SortedDictionary<string, ProgressMonth>(StringComparer.Ordinal);
        foreach (var (month, value) in months)
        {
            _months[month] = _months.TryGetValue(month, out var known) ? known.Plus(value) : value;
        }
    }

    public static ProgressLedger Empty { get; } = new([]);

    /// <summary>
    /// The first day the trend counts from: the instruction date of the policy the hosts evaluate with (the embedded
    /// <c>catalogue/policy.json</c>, 2022-11-24). A change dated earlier is counted in this date's month.
    /// </summary>
    public static DateOnly Since => CompliancePolicy.Default.InstructionDate;

    /// <summary>The months that have any figure, in order (<c>yyyy-MM</c>).</summary>
    public IReadOnlyDictionary<string, ProgressMonth> Months => _months;

    public bool IsZero => _months.Values.All(m => m.IsZero);

    public ProgressLedger Plus(ProgressLedger other) => new(_months.Concat(other._months));

    /// <summary>The figures now: every month's change added up.</summary>
    public ProgressFigures Current => _months.Values.Aggregate(default(ProgressFigures), (sum, m) => sum + m.Change);

    /// <summary>The month key of an instant (UTC).</summary>
    public static string MonthOf(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// The value at each month's end from <see cref="Since"/>'s month to <paramref name="asOf"/>'s, the last point
    /// being now (it also counts anything dated after <paramref name="asOf"/>'s month, so that it equals <see cref="Current"/>).
    /// </summary>
    public IReadOnlyList<(string Month, ProgressFigures Value)> Trend(DateTimeOffset asOf)
    {
        var points = new List<(string, ProgressFigures)>();
        var last = MonthOf(asOf);
        var month = new DateTime(Since.Year, Since.Month, 1, 0, 0, 0, DateTimeKind.Utc);
        var running = default(ProgressFigures);
        using var changes = _months.GetEnumerator();
        var pending = changes.MoveNext();
        while (true)
        {
            var key = month.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
            var isLast = string.CompareOrdinal(key, last) >= 0;
            while (pending && (isLast || string.CompareOrdinal(changes.Current.Key, key) <= 0))
            {
                running += changes.Current.Value.Change;
                pending = changes.MoveNext();
            }

            points.Add((key, running));
            if (isLast)
            {
                return points;
            }

            month = month.AddMonths(1);
        }
    }

    /// <summary>
    /// Today's open items by how long they have been open at <paramref name="asOf"/> (whole UTC days since the day they
    /// opened, <see cref="ComplianceRecord.StatusSince"/>): under 30, 30 to 89, 90 to 364, and 365 or more.
    /// </summary>
    public OpenItemsByAge Ages(DateTimeOffset asOf)
    {
        var today = DateOnly.FromDateTime(asOf.UtcDateTime);
        long under30 = 0, to90 = 0, to365 = 0, over = 0;
        foreach (var (key, month) in _months)
        {
            var first = DateOnly.ParseExact(key + "-01", "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            for (var d = 0; d < ProgressMonth.Days; d++)
            {
                if (month.OpenedByDay[d] == 0) continue;
                var age = today.DayNumber - first.AddDays(d).DayNumber;
                if (age < 30) under30 += month.OpenedByDay[d];
                else if (age < 90) to90 += month.OpenedByDay[d];
                else if (age < 365) to365 += month.OpenedByDay[d];
                else over += month.OpenedByDay[d];
            }
        }

        return new OpenItemsByAge(under30, to90, to365, over);
    }

    /// <summary>
    /// How committing <paramref name="change"/> moves the maintained progress: the trend by each command that changed
    /// the record, dated by <see cref="DateOf"/> (the first after the record's <see cref="ComplianceRecord.ProgressAt"/>,
    /// or its event time on a record from before issue 19), from the record before to the record after (whatever the entries do
    /// not explain is moved at the last one, so the figures always add up to the records); and the open-item days, from
    /// the day the record before opened to the day the record after did. Nothing when only history grows.
    /// </summary>
    public static ProgressLedger Of(AssetChange change)
    {
        if (change.After is null)
        {
            return Empty;
        }

        var before = change.Before?.Record;
        var builder = new Builder();
        Replay(builder, ProgressFigures.Of(before), Bound(before), change.Commands.Select(c => c.History), change.After);
        builder.FoldTrendIfWide();
        if (before is { Status: ComplianceStatus.NonCompliant }) builder.Open(before.StatusSince, -1);
        if (change.After is { Status: ComplianceStatus.NonCompliant }) builder.Open(change.After.StatusSince, +1);
        return builder.Build();
    }

    /// <summary>
    /// One device's contribution to its department's progress, rebuilt from its whole history (oldest first) and its
    /// current record: the same as every committed change of it added up, where each entry carries its
    /// <see cref="HistoryEntry.Progress"/>. Entries written before the figures existed have none; for them the device's
    /// maker, site and network are taken to have been as its record says now (its status history is exact).
    /// </summary>
    public static ProgressLedger FromHistory(ComplianceRecord record, IReadOnlyList<HistoryEntry> history)
    {
        var builder = new Builder();
        Replay(builder, default, null, history, record);
        if (record.Status == ComplianceStatus.NonCompliant) builder.Open(record.StatusSince, +1);
        return builder.Build();
    }

    /// <summary>
    /// The time a history entry's move is dated: its event time (a register event's own time, else when the command
    /// ran), never later than when it was recorded, never earlier than the device's previous state was dated
    /// (<paramref name="previous"/>: a newer revision cannot take effect before the state it replaces, so each device's
    /// trend is a step in time and never goes below nothing), and from <see cref="Since"/> on.
    /// </summary>
    public static DateTimeOffset DateOf(HistoryEntry entry, DateTimeOffset? previous)
    {
        var at = entry.EventTime > entry.RecordedAt ? entry.RecordedAt : entry.EventTime;
        if (previous is { } bound && at < bound) at = bound;
        return Floor(at);
    }

    /// <summary>
    /// The <see cref="ComplianceRecord.ProgressAt"/> of the record a step leaves (<paramref name="next"/>, after
    /// <paramref name="previous"/>, by <paramref name="entry"/>): the step's date when it moves the device's figures,
    /// else the previous record's (the instruction date for a new device that counts for nothing yet).
    /// </summary>
    public static DateTimeOffset? ProgressAtAfter(ComplianceRecord? previous, ComplianceRecord next, HistoryEntry entry) =>
        ProgressFigures.Of(next) != ProgressFigures.Of(previous) ? DateOf(entry, Bound(previous))
        : previous is null ? Floor(DateTimeOffset.MinValue) : previous.ProgressAt;

    /// <summary>The earliest a change of this record may be dated: its <see cref="ComplianceRecord.ProgressAt"/>, or on a record from before issue 19 its event time.</summary>
    private static DateTimeOffset? Bound(ComplianceRecord? record) => record is null ? null : record.ProgressAt ?? record.EventTime;

    private static DateTimeOffset Floor(DateTimeOffset at)
    {
        var floor = new DateTimeOffset(Since.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        return at < floor ? floor : at;
    }

    private static void Replay(Builder builder, ProgressFigures state, DateTimeOffset? previous, IEnumerable<HistoryEntry> entries, ComplianceRecord final)
    {
        var fallback = ProgressFacts.Of(final);
        DateTimeOffset? last = null;
        foreach (var entry in entries)
        {
            if (entry.Outcome == HistoryOutcome.Superseded || entry.StatusAfter is not { } status)
            {
                continue; // a superseded event changed nothing
            }

            var next = ProgressFigures.Of(status, entry.Progress ?? fallback);
            if (next != state)
            {
                // Only a move dates the device's state: a step that changes no figure (a re-evaluation with the same
                // verdict's facts, a revision reset) leaves a later, late event free to take its own month.
                var at = DateOf(entry, previous);
                builder.Trend(at, next - state);
                (state, last, previous) = (next, at, at);
            }
        }

        var target = ProgressFigures.Of(final);
        if (target != state)
        {
            builder.Trend(last ?? Floor(final.EvaluatedAt), target - state);
        }
    }

    private sealed class Builder
    {
        private readonly SortedDictionary<string, ProgressFigures> _trend = new(StringComparer.Ordinal);
        private readonly SortedDictionary<string, long[]> _opened = new(StringComparer.Ordinal);

        public void Trend(DateTimeOffset at, ProgressFigures move)
        {
            if (move.IsZero) return;
            var month = MonthOf(at);
            _trend[month] = _trend.GetValueOrDefault(month) + move;
        }

        public void Open(DateTimeOffset since, int move)
        {
            var month = MonthOf(since);
            if (!_opened.TryGetValue(month, out var days)) _opened[month] = days = new long[ProgressMonth.Days];
            days[since.UtcDateTime.Day - 1] += move;
        }

        public void FoldTrendIfWide()
        {
            var moving = _trend.Where(t => !t.Value.IsZero).ToList();
            if (moving.Count <= MaxTrendMonthsPerChange) return;
            var total = moving.Aggregate(default(ProgressFigures), (sum, t) => sum + t.Value);
            var lastMonth = moving[^1].Key;
            _trend.Clear();
            _trend[lastMonth] = total;
        }

        public ProgressLedger Build() => new(
            _trend.Keys.Concat(_opened.Keys).Distinct(StringComparer.Ordinal)
                .Select(m => KeyValuePair.Create(m, new ProgressMonth(_trend.GetValueOrDefault(m), _opened.TryGetValue(m, out var days) ? days : new long[ProgressMonth.Days])))
                .Where(m => !m.Value.IsZero));
    }
}

/// <summary>Open items (NonCompliant devices) by how many whole days they have been open.</summary>
public sealed record OpenItemsByAge(long Under30Days, long From30To90Days, long From90To365Days, long Over365Days);
