using System.Text.Json;
using System.Text.Json.Nodes;
using AssetCompliance.Core.Events;
using AssetCompliance.Core.Processing;
using AssetCompliance.Core.State;

namespace AssetCompliance.Core.Registers;

/// <summary>A register row that cannot be sent, or was sent with cells not read (marked unread), with its line and why.</summary>
public sealed record RegisterRowError(int Line, string Reason)
{
    /// <summary>The row names another department than the one the push (or route) sends for.</summary>
    public bool OtherDepartment { get; init; }
}

/// <summary>
/// What a push makes of a register: the events to send, the rows that are not sent (with why), and the rows sent
/// with warnings (cells read by a rule the warning names, or not read: those are sent in <c>data.unreadFields</c>).
/// </summary>
public sealed record RegisterPush(IReadOnlyList<PushedEvent> Sent, IReadOnlyList<RegisterRowError> Errors, IReadOnlyList<RegisterRowError> Warnings)
{
    /// <summary>The events of <see cref="Sent"/>, in file order: what is published.</summary>
    public IReadOnlyList<OutgoingEvent> Events => [.. Sent.Select(s => s.Event)];
}

/// <summary>One event a push sends, with the register line it was read from.</summary>
public sealed record PushedEvent(OutgoingEvent Event, int Line);

/// <summary>
/// Turns a department's register export into contract-v1 events for the queue (<c>compliance push</c>). Event ids are
/// derived from the department, asset, revision and content, so pushing the same file again produces the same ids
/// (duplicates, changing nothing), while a changed file, with a later revision, produces new ones.
/// A push sends what <c>check</c> evaluates (<see cref="RegisterEvaluation.Device"/>), never an altered value: a cell
/// that could not be read is sent as unread (listed in <c>data.unreadFields</c>, without a value), so the pipeline holds
/// back the verdict it feeds exactly as check does, never reading it as "the register holds nothing"; a MAC in a register notation is sent in the canonical one, and a row the contract cannot carry
/// as it is (an asset id with '/', a missing device type or site, text over 256 characters) is refused with the
/// reason, never sent under another name. Every event is checked with the contract's own parser before it is sent.
/// </summary>
public static class RegisterEvents
{
    /// <summary>
    /// The revision of a register as of <paramref name="time"/>: Unix microseconds times two (0 before 1970, at most
    /// 2^53 − 1), the scale of the NetBox webhook's revisions (<c>last_updated</c>; odd for a deletion), so that a file
    /// pushed after a NetBox change is newer than it, and one exported before it is older, rather than every pushed file
    /// ranking below every webhook as Unix seconds did.
    /// </summary>
    public static long RevisionAt(DateTimeOffset time) =>
        Math.Min(Math.Max(0, (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10) * 2, AssetEventParser.MaxRevision);

    /// <summary>
    /// The events for <paramref name="rows"/> (read lazily, once), for <paramref name="department"/>; CSV rows get
    /// <paramref name="revision"/> and every event <paramref name="time"/>. Every row ends as an event or an error, but for an
    /// exact repeat of an event already sent (the same revision and content), which is that event.
    /// </summary>
    public static RegisterPush From(IEnumerable<RegisterRow> rows, string department, long revision, DateTimeOffset time) =>
        From(rows, department, revision, time, onSent: null);

    /// <summary>
    /// <see cref="From(IEnumerable{RegisterRow}, string, long, DateTimeOffset)"/>, calling <paramref name="onSent"/> with
    /// each event sent, in file order as it is made, and the contract's parse of its body (the check every event
    /// passes): a register sync compares that parse rather than parse the body again, and it is not kept (a push of
    /// 100,000 rows would hold more than twice the memory).
    /// </summary>
    internal static RegisterPush From(IEnumerable<RegisterRow> rows, string department, long revision, DateTimeOffset time, Action<PushedEvent, AssetEvent>? onSent)
    {
        var events = new List<PushedEvent>();
        var errors = new List<RegisterRowError>();
        var warnings = new List<RegisterRowError>();
        var seen = new Dictionary<string, List<(long Revision, string Id, int Line)>>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            if (row.Device is null)
            {
                errors.Add(new RegisterRowError(row.Line, string.Join("; ", row.Errors)));
                continue;
            }

            var device = RegisterEvaluation.Device(row);

            if (Refusal(row, device, department) is { } refusal)
            {
                errors.Add(new RegisterRowError(row.Line, refusal) { OtherDepartment = device.Department != department });
                continue;
            }

            // A CSV export has no revision: the push's own (the file's time) orders it after earlier pushes.
            var sent = device.Revision > 0 ? device : device with { Revision = revision };
            var data = JsonSerializer.SerializeToNode(sent, ComplianceJson.Options)!.AsObject();
            var type = row.Kind.ToWire();
            var id = $"push-{Identifiers.Hash($"{department}|{sent.AssetId}|{sent.Revision}|{type}|{data.ToJsonString()}")[..32]}";

            // One device's rows: a register's (no revision of their own) are one row too many; events with revisions
            // of their own are all sent, as the queue would carry them, and the pipeline keeps the highest, which is
            // what check reports. An exact repeat is sent once; two contents under one revision are ambiguous (the
            // pipeline would keep whichever arrived first), so the later is not sent and says why.
            if (seen.TryGetValue(sent.AssetId, out var earlier))
            {
                if (device.Revision == 0)
                {
                    errors.Add(new RegisterRowError(row.Line, $"asset '{device.AssetId}' appears more than once in the file (first on line {earlier[0].Line})"));
                    continue;
                }

                if (earlier.FirstOrDefault(e => e.Revision == sent.Revision) is { Line: > 0 } same)
                {
                    if (same.Id != id)
                    {
                        errors.Add(new RegisterRowError(row.Line, $"asset '{device.AssetId}' has revision {sent.Revision} on line {same.Line} too, with other content: which one the pipeline keeps depends on arrival, so this one is not sent. Give each change its own revision"));
                    }

                    continue;
                }

                earlier.Add((sent.Revision, id, row.Line));
            }
            else
            {
                seen[sent.AssetId] = [(sent.Revision, id, row.Line)];
            }
            var body = Envelope(department, id, type, data, time);
            var parsed = AssetEventParser.Parse(body);
            if (parsed.Errors is { Count: > 0 } contractErrors)
            {
                errors.Add(new RegisterRowError(row.Line, $"the event contract refuses it: {string.Join("; ", contractErrors)}"));
                continue;
            }

            var pushed = new PushedEvent(new OutgoingEvent(id, department, body), row.Line);
            events.Add(pushed);
            onSent?.Invoke(pushed, parsed.Event!);
            if (row.Warnings.Count > 0)
            {
                warnings.Add(new RegisterRowError(row.Line, string.Join("; ", row.Warnings.Select(w => $"{w.Column} '{w.Value}' {w.Message}"))));
            }
        }

        return new RegisterPush(events, errors, warnings);
    }

    /// <summary>
    /// A contract-v1 CloudEvent for the register of <paramref name="department"/>, as UTF-8 JSON: the subject is the
    /// asset id in <paramref name="data"/>, the time is <paramref name="time"/> in whole seconds, UTC.
    /// </summary>
    internal static byte[] Envelope(string department, string id, string type, JsonObject data, DateTimeOffset time) =>
        JsonSerializer.SerializeToUtf8Bytes(new JsonObject
        {
            ["specversion"] = "1.0",
            ["id"] = id,
            ["source"] = $"/departments/{department}/asset-register",
            ["type"] = type,
            ["subject"] = (string?)data["assetId"],
            ["time"] = time.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
            ["datacontenttype"] = "application/json",
            ["data"] = data,
        });

    /// <summary>Why a row the reader could read cannot be sent as it is, in the register's own terms.</summary>
    private static string? Refusal(RegisterRow row, RegisteredDevice device, string department)
    {
        if (device.Department != department)
        {
            return $"department is '{device.Department}', not '{department}' (a push sends one department's register)";
        }

        if (CellCharacters.IdentifierProblem(device.AssetId, Identifiers.RegisteredAssetIdError(device.AssetId)) is { } assetProblem)
        {
            return $"asset_id '{device.AssetId}' {assetProblem}: the asset id is the device's key in storage and in links, so the row is not sent. Rename the asset in the register";
        }

        // A blank site id beside a stated name or sensitivity is sent without an id (the contract accepts it), so that
        // the device is evaluated on what the register says.
        if (device.Site is { Id: { } siteId } && CellCharacters.IdentifierProblem(siteId, Identifiers.AssetIdError(siteId)) is { } siteProblem)
        {
            return $"site_id '{siteId}' {siteProblem}: the event contract needs a site id it can store, so the row is not sent";
        }

        if (row.Kind == AssetEventKind.Upserted && device.Site is null)
        {
            // As a blank site id beside a name: said in the register's columns, not the contract's "$.data.site".
            return "site_id is blank, and so are site_name and site_sensitive: the event contract requires a site for a device in service, so the row is not sent";
        }

        if (row.Kind == AssetEventKind.Upserted && device.DeviceType is null)
        {
            return "the device type could not be read, and the event contract requires one for a device in service";
        }

        // A status read by a named rule (Spare: in service) is sent as read; one that was not read is refused.
        if (row.Warnings.FirstOrDefault(w => w.Column == "status" && w.Unread) is { } status)
        {
            return $"status '{status.Value}' could not be read: a push must not guess whether the device is in service or removed";
        }

        return null;
    }
}
