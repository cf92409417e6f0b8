using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using AssetCompliance.Core.Events;
using AssetCompliance.Core.Policy;
using AssetCompliance.Core.Processing;
using AssetCompliance.Core.State;

namespace AssetCompliance.Core.Registers;

/// <summary>A device as the state store holds it, for a sync: what the register last said, and whether it is removed.</summary>
/// <param name="Device">The registered fields as stored (the last event applied).</param>
/// <param name="Removed">The record's status is <see cref="ComplianceStatus.Removed"/>: there is nothing left to remove.</param>
public sealed record StoredDevice(RegisteredDevice Device, bool Removed)
{
    /// <summary>The device of a stored compliance record.</summary>
    public static StoredDevice From(ComplianceRecord record) => new(record.Device, record.Status == ComplianceStatus.Removed);
}

/// <summary>What a sync does with one device.</summary>
public enum SyncAction
{
    /// <summary>In the register, not stored (or stored as removed and back in service): sent.</summary>
    New,

    /// <summary>In the register and stored, with registered fields (or in-service state) that differ: sent.</summary>
    Changed,

    /// <summary>In the register and stored with the same registered fields: nothing is sent.</summary>
    Unchanged,

    /// <summary>Stored in service and absent from the register: sent as a removal (sync only).</summary>
    Removed,
}

/// <summary>
/// One device of a sync plan: its asset id, what is done with it, the register line it was read from (0 for a removal:
/// it is on no line), and the id of the event sent for it (null when nothing is sent).
/// </summary>
public sealed record SyncLine(string AssetId, SyncAction Action, int Line, string? EventId);

/// <summary>How a sync treats devices that are stored but absent from the register.</summary>
public sealed record RegisterSyncOptions
{
    /// <summary>
    /// The share of the department's stored in-service devices a sync may remove without <see cref="AllowRemovals"/>:
    /// 10 %, rounded down (so a department of fewer than 10 devices needs it for any removal). A register export cut
    /// short (a filter left on, a sheet of one site) would otherwise remove the rest of the estate.
    /// </summary>
    public const double DefaultRemovalShare = 0.10;

    /// <summary>Whether devices absent from the register are removed (<c>--sync</c>); false: upserts only.</summary>
    public bool Removals { get; init; }

    /// <summary>Permits up to this many removals whatever their share (<c>--allow-removals N</c>); null, or fewer than the share allows: the share applies.</summary>
    public int? AllowRemovals
    {
        get => _allowRemovals;
        init => _allowRemovals = value is < 0 ? throw new ArgumentOutOfRangeException(nameof(AllowRemovals), value, "must be 0 or more") : value;
    }

    private readonly int? _allowRemovals;
}

/// <summary>
/// A register sync planned against the stored devices: the events to send (empty when the plan is refused), a line per
/// device, the counts, the rows not sent and those sent with warnings (as <see cref="RegisterPush"/> has them), why
/// removals were withheld (rows not read or not sent: a device whose row was not read is not absent), and why the whole
/// plan is refused (<see cref="Refusal"/>: too many removals, or the register is another department's).
/// </summary>
public sealed record SyncPlan(
    IReadOnlyList<OutgoingEvent> Events,
    IReadOnlyList<SyncLine> Devices,
    IReadOnlyList<RegisterRowError> Errors,
    IReadOnlyList<RegisterRowError> Warnings,
    string? RemovalsWithheld,
    string? Refusal)
{
    /// <summary>Devices sent as new.</summary>
    public int New => Devices.Count(d => d.Action == SyncAction.New);
    /// <summary>Devices sent as changed.</summary>
    public int Changed => Devices.Count(d => d.Action == SyncAction.Changed);
    /// <summary>Devices in the register and stored alike: nothing sent.</summary>
    public int Unchanged => Devices.Count(d => d.Action == SyncAction.Unchanged);
    /// <summary>Stored devices absent from the register, sent (or refused) as removals.</summary>
    public int Removed => Devices.Count(d => d.Action == SyncAction.Removed);

    /// <summary>How many events the plan holds, or would hold were it not refused (one per device with an event id).</summary>
    public int Planned => Devices.Count(d => d.EventId is not null);
}

/// <summary>
/// Plans a register sync (<c>compliance push --sync</c>, <c>POST /api/departments/{d}/register</c>): the register is the
/// department's whole list. Rows become events as <see cref="RegisterEvents"/> makes them; an event whose registered
/// fields (every field of <c>data</c> but the revision) and in-service state equal the stored device's is not sent;
/// stored in-service devices absent from the register are sent as removals when <see cref="RegisterSyncOptions.Removals"/>.
/// Fail closed: a register with any row not read or not sent plans no removal (the good rows are still sent); an
/// empty register never removes; removals beyond the larger of <see cref="RegisterSyncOptions.DefaultRemovalShare"/> of
/// the stored in-service devices and <see cref="RegisterSyncOptions.AllowRemovals"/> refuse the whole plan; and
/// a register none of whose rows is the department's refuses it too.
/// </summary>
public static class RegisterSync
{
    /// <summary>
    /// The plan for <paramref name="rows"/> (read once) of <paramref name="department"/>'s register against its
    /// <paramref name="stored"/> devices; <paramref name="revision"/> and <paramref name="time"/> as for
    /// <see cref="RegisterEvents.From"/>, except that rows without a revision get one more than the newest stored device's when
    /// <paramref name="revision"/> is not newer, and so does a removal, so that the pipeline applies what is sent
    /// rather than keeping the stored device. A changed row with a revision of its own (JSON Lines) that is not newer than
    /// the stored device's is sent as it is, with a warning: the pipeline will keep the stored device.
    /// </summary>
    /// <exception cref="ArgumentException">A stored device is of another department (the caller read the wrong partition).</exception>
    public static SyncPlan Plan(IEnumerable<RegisterRow> rows, string department, IReadOnlyCollection<StoredDevice> stored, long revision, DateTimeOffset time, RegisterSyncOptions options)
    {
        if (stored.FirstOrDefault(s => s.Device.Department != department) is { } foreign)
        {
            throw new ArgumentException($"Stored device '{foreign.Device.AssetId}' is of department '{foreign.Device.Department}', not '{department}'.", nameof(stored));
        }

        // The records observations made for devices no register holds are not the register's: never absent from it
        // (a sync would remove an unregistered device seen on the network), never counted against the removal guard.
        stored = [.. stored.Where(s => !s.Device.AssetId.StartsWith(ObservedState.AssetIdPrefix, StringComparison.OrdinalIgnoreCase))];

        // Rows without a revision (CSV) get one newer than any stored: two syncs in one second (or a file older than the
        // last event) must still change what they change, not be superseded by the pipeline.
        var rowRevision = stored.Count == 0 ? revision : Math.Max(revision, stored.Max(s => s.Device.Revision) + 1);
        return Plan(onSent => RegisterEvents.From(rows, department, rowRevision, time, onSent), department, stored, revision, time, options);
    }

    /// <summary>
    /// The plan for the register's events that <paramref name="makePush"/> makes, against <paramref name="stored"/>, all
    /// of <paramref name="department"/>; <paramref name="revision"/> and <paramref name="time"/> are the removals'. Each
    /// sent event is compared as it is made, through the contract's parse the push made of it (never parsed again).
    /// </summary>
    internal static SyncPlan Plan(Func<Action<PushedEvent, AssetEvent>, RegisterPush> makePush, string department, IReadOnlyCollection<StoredDevice> stored, long revision, DateTimeOffset time, RegisterSyncOptions options)
    {
        var byId = stored.ToDictionary(s => s.Device.AssetId, StringComparer.Ordinal);
        var lines = new List<SyncLine>();
        var send = new List<OutgoingEvent>();
        var inRegister = new HashSet<string>(StringComparer.Ordinal);
        var stale = new List<RegisterRowError>();
        var push = makePush((pushed, parsed) =>
        {
            // The event as the pipeline will read and store it: what is compared is what would be applied.
            inRegister.Add(parsed.AssetId);
            var before = byId.GetValueOrDefault(parsed.AssetId);
            var action = Compare(parsed, before);
            var sent = action != SyncAction.Unchanged;
            if (sent && before is not null && parsed.Revision <= before.Device.Revision)
            {
                stale.Add(new RegisterRowError(pushed.Line, $"revision {parsed.Revision} is not newer than the stored revision {before.Device.Revision}: the pipeline will keep the stored device (give the row a later revision)"));
            }

            lines.Add(new SyncLine(parsed.AssetId, action, pushed.Line, sent ? pushed.Event.EventId : null));
            if (sent)
            {
                send.Add(pushed.Event);
            }
        });
        var warnings = push.Warnings.Concat(stale).ToList();

        // The register names the department: a file of another department (every row refused for it) is refused whole.
        if (push.Events.Count == 0 && push.Errors.Count > 0 && push.Errors.All(e => e.OtherDepartment))
        {
            return new SyncPlan([], lines, push.Errors, warnings, null,
                $"no row of the register is of department '{department}' (the file is another department's register): nothing is sent");
        }

        if (!options.Removals)
        {
            return new SyncPlan(send, lines, push.Errors, warnings, null, null);
        }

        var absent = stored.Where(s => !s.Removed && !inRegister.Contains(s.Device.AssetId)).OrderBy(s => s.Device.AssetId, StringComparer.Ordinal).ToList();
        string? withheld = null;
        if (push.Errors.Count > 0)
        {
            withheld = $"{push.Errors.Count} row(s) were not read or not sent, so no device is taken as absent from the register ({absent.Count} stored device(s) not in the sent rows are kept): fix those rows and sync again";
        }
        else if (push.Events.Count == 0 && absent.Count > 0)
        {
            withheld = $"the register holds no device, so none of the {absent.Count} stored device(s) is removed: an empty register never removes a department's estate";
        }

        if (withheld is not null || absent.Count == 0)
        {
            return new SyncPlan(send, lines, push.Errors, warnings, withheld, null);
        }

        var inService = stored.Count(s => !s.Removed);
        // --allow-removals widens the guard, never narrows it below the share every sync is allowed.
        var limit = Math.Max(options.AllowRemovals ?? 0, (int)Math.Floor(inService * RegisterSyncOptions.DefaultRemovalShare));
        var removals = absent.Select(s => (s.Device.AssetId, Event: Removal(department, s.Device, revision, time))).ToList();
        lines.AddRange(removals.Select(r => new SyncLine(r.AssetId, SyncAction.Removed, 0, r.Event.EventId)));
        if (removals.Count > limit)
        {
            var share = inService == 0 ? 0 : removals.Count * 100.0 / inService;
            var rule = options.AllowRemovals is { } allowed
                ? $"more than the {limit} --allow-removals {allowed} and the {SharePercent} share permit"
                : $"more than the {limit} that {SharePercent} of the {inService} stored device(s) in service permits";
            return new SyncPlan([], lines, push.Errors, warnings, null,
                $"the register would remove {removals.Count} device(s) ({share.ToString("0.#", CultureInfo.InvariantCulture)}% of those in service), {rule}: nothing is sent. If the register is whole, allow them with --allow-removals {removals.Count} (allowRemovals={removals.Count} over HTTP)");
        }

        send.AddRange(removals.Select(r => r.Event));
        return new SyncPlan(send, lines, push.Errors, warnings, null, null);
    }

    private static string SharePercent => (RegisterSyncOptions.DefaultRemovalShare * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%";

    private static SyncAction Compare(AssetEvent e, StoredDevice? stored)
    {
        if (stored is null)
        {
            // A device the register lists as removed and the store never had: nothing to tell the pipeline.
            return e.Kind == AssetEventKind.Removed ? SyncAction.Unchanged : SyncAction.New;
        }

        if (stored.Removed)
        {
            return e.Kind == AssetEventKind.Removed ? SyncAction.Unchanged : SyncAction.New;
        }

        // A register that names its sites without an id (a NetBox or Defender export has no site id column) cannot
        // disagree with a stored id, which came from another source (the NetBox webhook's site slug): comparing it
        // would call every such device changed on every sync. No verdict reads the site id.
        var storedDevice = e.Device.Site is { Id: null } && stored.Device.Site is { Id: not null } site
            ? stored.Device with { Site = site with { Id = null } }
            : stored.Device;
        return e.Kind == AssetEventKind.Upserted && Fields(e.Device) == Fields(storedDevice) ? SyncAction.Unchanged : SyncAction.Changed;
    }

    /// <summary>The registered fields as JSON, without the revision (a later export of the same device has a later one).</summary>
    private static string Fields(RegisteredDevice device) => JsonSerializer.Serialize(device with { Revision = 0 }, ComplianceJson.Options);

    /// <summary>A removal event for a stored device, in the contract's form (asset, department and revision only).</summary>
    private static OutgoingEvent Removal(string department, RegisteredDevice device, long revision, DateTimeOffset time)
    {
        var sent = Math.Max(revision, device.Revision + 1);
        var id = $"sync-{Identifiers.Hash($"{department}|{device.AssetId}|{sent}|removed")[..32]}";
        var data = new JsonObject { ["assetId"] = device.AssetId, ["department"] = department, ["revision"] = sent };
        return new OutgoingEvent(id, department, RegisterEvents.Envelope(department, id, AssetEventKind.Removed.ToWire(), data, time));
    }
}
