using System.Text.Json;
using AssetCompliance.Core.Events;
using AssetCompliance.Core.Policy;
using AssetCompliance.Core.Processing;
using AssetCompliance.Core.State;

namespace AssetCompliance.Core.Registers;

/// <summary>One device of an event file as the pipeline would keep it: the winning event's row, its value, and how many events named the device.</summary>
/// <param name="Row">The winning event's row; for a removal, its device merged with the revision before it, as the processor stores a removal.</param>
/// <param name="Value">What the caller made of the winning row (check: its verdict).</param>
/// <param name="Events">How many events in the file named this device (department and asset id).</param>
/// <param name="Warnings">The winning row's warnings, and one under <c>revision</c> when the winning revision is held by events that differ.</param>
public sealed record LatestRevision<T>(RegisterRow Row, T Value, int Events, IReadOnlyList<CellWarning> Warnings);

/// <summary>
/// Folds a file of asset events (JSON Lines) into one entry per device, as the processor would keep them: per
/// department and asset id, the highest revision wins whatever the order of the lines, so a removal with a higher
/// revision than an upsert means the device is removed (merged with the revision before it, as the processor stores a
/// removal), and a lower revision later in the file changes nothing. An exact repeat of the winning event is a
/// duplicate and changes nothing. Fail closed where the file is ambiguous: two events with the same winning revision
/// but different content are kept by the pipeline in whichever order they arrive, so the one with the worse verdict
/// (<see cref="Risk"/>) is reported, with an unread warning under <c>revision</c> naming both lines, so the exit is
/// never clean and a NonCompliant version is never hidden behind a compliant one. Memory is one entry per device.
/// </summary>
/// <param name="status">The verdict of a value, to choose between conflicting events.</param>
public sealed class LatestRevisions<T>(Func<T, ComplianceStatus> status)
{
    private readonly Dictionary<(string Department, string AssetId), Entry> _devices = [];
    private readonly List<Entry> _order = [];

    /// <summary>How many events (rows with a device) were added.</summary>
    public int Events { get; private set; }

    /// <summary>How many devices the events came to.</summary>
    public int Devices => _order.Count;

    /// <summary>Adds one event's row (it must have a device) and what the caller made of it.</summary>
    /// <exception cref="ArgumentException">The row has no device.</exception>
    public void Add(RegisterRow row, T value)
    {
        var device = row.Device ?? throw new ArgumentException("The row has no device.", nameof(row));
        Events++;
        var candidate = new Version(row, value, Fingerprint(row));
        var key = (device.Department, device.AssetId);
        if (!_devices.TryGetValue(key, out var entry))
        {
            entry = new Entry(candidate);
            _devices[key] = entry;
            _order.Add(entry);
            return;
        }

        entry.Events++;
        var winning = entry.Winner.Row.Device!.Revision;
        if (device.Revision > winning)
        {
            entry.Before = entry.Winner;
            (entry.Winner, entry.Conflict) = (candidate, null);
        }
        else if (device.Revision < winning)
        {
            if (entry.Before is null || device.Revision > entry.Before.Row.Device!.Revision)
            {
                entry.Before = candidate;
            }
        }
        else if (candidate.Fingerprint != entry.Winner.Fingerprint)
        {
            // Same revision, different content: which one the pipeline keeps depends on arrival order.
            entry.Conflict ??= [entry.Winner.Row.Line];
            entry.Conflict.Add(row.Line);
            if (Risk(status(value)) > Risk(status(entry.Winner.Value)))
            {
                entry.Winner = candidate;
            }
        }
    }

    /// <summary>Every device, in the order it first appears in the file, at the revision the pipeline would keep.</summary>
    public IEnumerable<LatestRevision<T>> Latest()
    {
        foreach (var entry in _order)
        {
            var row = entry.Winner.Row;
            if (row.Kind == AssetEventKind.Removed && entry.Before is { } before)
            {
                row = row with { Device = RemovedDevice.Merge(before.Row.Device!, row.Device!) };
            }

            IReadOnlyList<CellWarning> warnings = row.Warnings;
            if (entry.Conflict is { } lines)
            {
                var revision = row.Device!.Revision.ToString(System.Globalization.CultureInfo.InvariantCulture);
                var list = warnings.ToList();
                RegisterCells.Warn(list, "revision", revision,
                    $"is the revision of {lines.Count} events with different content (lines {string.Join(", ", lines.Order())}): the pipeline keeps whichever arrives first, so the worse verdict is reported (line {entry.Winner.Row.Line}). Give each change its own revision",
                    unread: true);
                warnings = list;
            }

            yield return new LatestRevision<T>(row, entry.Winner.Value, entry.Events, warnings);
        }
    }

    /// <summary>
    /// How much a verdict needs action, for choosing between events that conflict: NonCompliant, then NeedsReview,
    /// Advisory, Compliant, Exempt, and Removed least (a device said to be both present and removed is reported present).
    /// </summary>
    public static int Risk(ComplianceStatus status) => status switch
    {
        ComplianceStatus.NonCompliant => 5,
        ComplianceStatus.NeedsReview => 4,
        ComplianceStatus.Advisory => 3,
        ComplianceStatus.Compliant => 2,
        ComplianceStatus.Exempt => 1,
        _ => 0,
    };

    // The event's content as the contract carries it: kind and device (ids and times may differ between repeats).
    private static string Fingerprint(RegisterRow row) => $"{row.Kind}|{JsonSerializer.Serialize(row.Device, ComplianceJson.Options)}";

    private sealed record Version(RegisterRow Row, T Value, string Fingerprint);

    private sealed class Entry(Version first)
    {
        public Version Winner { get; set; } = first;

        /// <summary>The highest revision below the winner's, which a winning removal is merged with.</summary>
        public Version? Before { get; set; }

        public List<int>? Conflict { get; set; }

        public int Events { get; set; } = 1;
    }
}
