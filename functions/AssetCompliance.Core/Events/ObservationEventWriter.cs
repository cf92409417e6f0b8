using System.Text.Json.Nodes;
using AssetCompliance.Core.Observations;

namespace AssetCompliance.Core.Events;

/// <summary>One observation as the contract v1.1 event <c>push --observations</c> sends, or why it is not sent.</summary>
/// <param name="Event">The event's UTF-8 JSON, valid by <see cref="ObservationEventParser"/>; null when it could not be made.</param>
/// <param name="EventId">The event's id (stable for the same observation).</param>
/// <param name="Warnings">What was left out or shortened to fit the contract's limits.</param>
/// <param name="Errors">Why the event is not sent (the parser's errors), empty when it is.</param>
public sealed record ObservationEventDraft(byte[]? Event, string EventId, IReadOnlyList<string> Warnings, IReadOnlyList<string> Errors);

/// <summary>
/// Writes a scan reader's <see cref="DeviceObservation"/> as one <c>asset.device.observed</c> event (contract v1.1) of
/// a department: the inverse of <see cref="ObservedDeviceData"/>. The id is a hash of the department, observer,
/// time and addresses, so sending the same scan twice changes nothing. What exceeds the contract's limits (more than
/// 16 addresses of a kind or 64 evidence items, a value over 256 characters) is left out or shortened with a warning
/// rather than losing the device; every event is parsed back before it is returned, so what is sent is valid.
/// </summary>
public static class ObservationEventWriter
{
    /// <param name="seenAt">The time to use when the tool gives none (the scan file's last write, so that ids stay stable).</param>
    public static ObservationEventDraft Write(DeviceObservation observation, string department, DateTimeOffset seenAt)
    {
        var warnings = new List<string>();
        var at = (observation.ObservedAt ?? seenAt).ToUniversalTime();
        var time = at.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var ips = observation.IpAddresses.Select(ip => ip.ToString()).ToArray();
        foreach (var placeholder in observation.MacAddresses.Where(m => !m.NamesDevice))
        {
            warnings.Add($"the MAC address {placeholder} names no device (all zeros, broadcast or multicast); it is left out");
        }

        var macs = observation.MacAddresses.Where(m => m.NamesDevice).Select(m => m.ToString()).ToArray();
        var id = $"{department}-observed-{Identifiers.Hash($"{department}|{observation.Observer}|{time}|{string.Join(',', macs)}|{string.Join(',', ips)}|{string.Join(',', observation.Hostnames)}")}";
        var data = new JsonObject
        {
            ["department"] = department,
            ["observer"] = Text(Visible(observation.Observer, "observer", warnings), "observer", warnings),
            ["observedAt"] = time,
            ["ipAddresses"] = Array(ips, "IP addresses", warnings),
            ["macAddresses"] = Array(macs, "MAC addresses", warnings),
        };
        if (observation.Hostnames.Count > 0)
        {
            data["hostname"] = Text(observation.Hostnames[0], "hostname", warnings);
        }

        if (observation.SerialNumber is { } serial) data["serialNumber"] = Text(serial, "serial number", warnings);
        if (observation.Model is { } model) data["model"] = Text(model, "model", warnings);
        if (observation.ReportedType is { } type) data["reportedType"] = Text(type, "reported type", warnings);
        if (observation.Evidence.Count > ObservedDeviceData.MaxEvidence)
        {
            warnings.Add($"{observation.Evidence.Count} evidence items; the first {ObservedDeviceData.MaxEvidence} are sent");
        }

        data["evidence"] = new JsonArray([.. observation.Evidence.Take(ObservedDeviceData.MaxEvidence).Select(e =>
        {
            var item = new JsonObject { ["signal"] = e.Signal.ToWire(), ["value"] = Text(e.Value, e.Signal.ToWire(), warnings), ["tool"] = Text(Visible(e.Tool, "tool", warnings), "tool", warnings, ObservedDeviceData.MaxToolLength) };
            if (e.Port is { } port) item["port"] = port;
            return (JsonNode)item;
        })]);
        var envelope = new JsonObject
        {
            ["specversion"] = AssetEventParser.SpecVersion,
            ["id"] = id,
            ["source"] = $"/departments/{department}/observations",
            ["type"] = ObservationEventParser.Type,
            ["time"] = time,
            ["datacontenttype"] = "application/json",
            ["data"] = data,
        };
        var bytes = System.Text.Encoding.UTF8.GetBytes(envelope.ToJsonString());
        var parsed = ObservationEventParser.Parse(bytes);
        return parsed.IsValid
            ? new ObservationEventDraft(bytes, id, warnings, [])
            : new ObservationEventDraft(null, id, warnings, [.. parsed.Errors.Select(e => $"{e.Path} {e.Message}")]);
    }

    private static string Text(string value, string what, List<string> warnings, int max = AssetEventParser.MaxTextLength)
    {
        var trimmed = value.Trim();
        if (trimmed.Length <= max)
        {
            return trimmed;
        }

        warnings.Add($"the {what} is {trimmed.Length} characters; its first {max - 1} are sent");
        return trimmed[..(max - 1)] + "…";
    }

    /// <summary>
    /// A name the contract takes only in visible text (the observer, a tool: <see cref="ObservedDeviceData.HiddenCharacter"/>),
    /// with its control and invisible format characters removed and a warning, so that the device is still sent.
    /// </summary>
    private static string Visible(string value, string what, List<string> warnings)
    {
        if (ObservedDeviceData.HiddenCharacter(value) is null)
        {
            return value;
        }

        var visible = string.Concat(value.EnumerateRunes().Where(r => ObservedDeviceData.HiddenCharacter(r.ToString()) is null).Select(r => r.ToString()));
        warnings.Add($"the {what} holds control or invisible format characters; they are removed");
        return visible.Trim().Length == 0 ? "unnamed" : visible;
    }

    private static JsonArray Array(string[] values, string what, List<string> warnings)
    {
        if (values.Length > ObservedDeviceData.MaxAddresses)
        {
            warnings.Add($"{values.Length} {what}; the first {ObservedDeviceData.MaxAddresses} are sent");
        }

        return new JsonArray([.. values.Take(ObservedDeviceData.MaxAddresses).Select(v => (JsonNode)v)]);
    }
}
