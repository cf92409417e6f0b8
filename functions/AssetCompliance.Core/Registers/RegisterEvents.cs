using System.Text.Json;
using System.Text.Json.Nodes;
using AssetCompliance.Core.Events;
using AssetCompliance.Core.Processing;
using AssetCompliance.Core.State;

namespace AssetCompliance.Core.Registers;

/// <summary>A register row that cannot be sent, with its line and why.</summary>
public sealed record RegisterRowError(int Line, string Reason);

/// <summary>
/// Turns a department's register export into contract-v1 events for the queue (<c>compliance push</c>). Event ids are
/// derived from the department, asset, revision and content, so pushing the same file again produces the same ids
/// (duplicates, changing nothing), while a changed file, with a later revision, produces new ones.
/// </summary>
public static class RegisterEvents
{
    public static (IReadOnlyList<OutgoingEvent> Events, IReadOnlyList<RegisterRowError> Errors) From(
        IEnumerable<RegisterRow> rows, string department, long revision, DateTimeOffset time)
    {
        var events = new List<OutgoingEvent>();
        var errors = new List<RegisterRowError>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            if (row.Device is not { } device)
            {
                errors.Add(new RegisterRowError(row.Line, string.Join("; ", row.Errors)));
                continue;
            }

            if (device.Department != department)
            {
                errors.Add(new RegisterRowError(row.Line, $"department is '{device.Department}', not '{department}' (a push sends one department's register)"));
                continue;
            }

            if (!seen.Add(device.AssetId))
            {
                errors.Add(new RegisterRowError(row.Line, $"asset '{device.AssetId}' appears more than once in the file"));
                continue;
            }

            // A CSV export has no revision: the push's own (the file's time) orders it after earlier pushes.
            var sent = device.Revision > 0 ? device : device with { Revision = revision };
            var data = JsonSerializer.SerializeToNode(sent, ComplianceJson.Options)!.AsObject();
            var type = row.Kind.ToWire();
            var id = $"push-{Identifiers.Hash($"{department}|{sent.AssetId}|{sent.Revision}|{type}|{data.ToJsonString()}")[..32]}";
            var cloudEvent = new JsonObject
            {
                ["specversion"] = "1.0",
                ["id"] = id,
                ["source"] = $"/departments/{department}/asset-register",
                ["type"] = type,
                ["subject"] = sent.AssetId,
                ["time"] = time.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
                ["datacontenttype"] = "application/json",
                ["data"] = data,
            };
            events.Add(new OutgoingEvent(id, department, JsonSerializer.SerializeToUtf8Bytes(cloudEvent)));
        }

        return (events, errors);
    }
}
