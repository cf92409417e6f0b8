using System.Net;
using System.Text;
using System.Text.Json;
using AssetCompliance.Core.Observations;
using static AssetCompliance.Core.Events.JsonFields;

namespace AssetCompliance.Core.Events;

/// <summary>
/// Reads the <c>data</c> object of an <c>asset.device.observed</c> event (contract v1.1) into a
/// <see cref="DeviceObservation"/>: observer, time, addresses, host name, serial, model, reported type and typed
/// evidence items, every problem added with its JSON path under <c>$.data</c>. The envelope is
/// <see cref="ObservationEventParser"/>'s.
/// </summary>
internal static class ObservedDeviceData
{
    /// <summary>Most addresses of each kind one observation carries.</summary>
    public const int MaxAddresses = 16;

    /// <summary>Most evidence items one observation carries.</summary>
    public const int MaxEvidence = 64;

    /// <summary>
    /// Longest tool name of an evidence item (<c>nmap</c>, <c>runZero</c>, <c>defender</c>): bounded so that a full
    /// observation (64 items) always fits the record and history rows; unbounded, one event broke its batch's commit.
    /// </summary>
    public const int MaxToolLength = 64;

    public static (DeviceObservation? Observation, string? Department) Parse(JsonElement data, string source, List<ValidationError> errors)
    {
        const string at = "$.data";
        var before = errors.Count;
        var department = RequiredString(data, "department", at, errors);
        if (department is not null && Identifiers.DepartmentError(department) is { } departmentError)
        {
            errors.Add(new($"{at}.department", departmentError));
        }

        var observer = RequiredString(data, "observer", at, errors);
        if (observer is { Length: > AssetEventParser.MaxTextLength })
        {
            errors.Add(new($"{at}.observer", $"must be at most {AssetEventParser.MaxTextLength} characters"));
        }
        else if (observer is not null && HiddenCharacter(observer) is { } hidden)
        {
            errors.Add(new($"{at}.observer", hidden));
        }

        DateTimeOffset observedAt = default;
        var observedText = RequiredString(data, "observedAt", at, errors);
        if (observedText is not null && !Rfc3339.TryParse(observedText, out observedAt))
        {
            errors.Add(new($"{at}.observedAt", Rfc3339.Rule));
        }

        var ips = Strings(data, "ipAddresses", at, MaxAddresses, errors)
            .Select((text, i) => IPAddress.TryParse(text, out var ip) && text.Trim() == text ? NmapXmlReader.Normalise(ip) : Error<IPAddress>(errors, $"{at}.ipAddresses[{i}]", "must be an IPv4 or IPv6 address"))
            .OfType<IPAddress>().ToArray();
        var macs = Strings(data, "macAddresses", at, MaxAddresses, errors)
            .Select((text, i) => MacAddress.TryParse(text, out var mac)
                ? mac.NamesDevice ? (MacAddress?)mac : ErrorMac(errors, $"{at}.macAddresses[{i}]", "is all zeros, broadcast or a multicast group, which names no device: omit it")
                : ErrorMac(errors, $"{at}.macAddresses[{i}]"))
            .OfType<MacAddress>().ToArray();
        var hostname = OptionalText(data, "hostname", at, errors);
        var serial = OptionalText(data, "serialNumber", at, errors);
        var model = OptionalText(data, "model", at, errors);
        var reportedType = OptionalText(data, "reportedType", at, errors);
        if (ips.Length == 0 && macs.Length == 0 && errors.Count == before)
        {
            errors.Add(new($"{at}.ipAddresses", "an observation needs at least one IP address or MAC address"));
        }

        var evidence = new List<ObservedEvidence>();
        if (data.TryGetProperty("evidence", out var items) && items.ValueKind != JsonValueKind.Null)
        {
            if (items.ValueKind != JsonValueKind.Array)
            {
                errors.Add(new($"{at}.evidence", "must be an array"));
            }
            else if (items.GetArrayLength() > MaxEvidence)
            {
                errors.Add(new($"{at}.evidence", $"must hold at most {MaxEvidence} items"));
            }
            else
            {
                var i = 0;
                foreach (var item in items.EnumerateArray())
                {
                    var path = $"{at}.evidence[{i++}]";
                    if (item.ValueKind != JsonValueKind.Object)
                    {
                        errors.Add(new(path, "must be an object with signal, value and tool"));
                        continue;
                    }

                    var signalText = RequiredString(item, "signal", path, errors);
                    var known = ObservedSignals.TryParse(signalText, out var signal);
                    if (signalText is not null && !known)
                    {
                        errors.Add(new($"{path}.signal", $"must be one of {string.Join(", ", ObservedSignals.AllNames)}"));
                    }

                    var beforeValue = errors.Count;
                    var value = OptionalText(item, "value", path, errors);
                    if (errors.Count > beforeValue)
                    {
                        // Already said (too long, not a string): not also "blank".
                    }
                    else if (value is null && item.TryGetProperty("value", out var v) && v.ValueKind is JsonValueKind.String)
                    {
                        errors.Add(new($"{path}.value", "must not be blank"));
                    }
                    else if (!item.TryGetProperty("value", out _))
                    {
                        errors.Add(new($"{path}.value", "is required"));
                    }

                    var tool = RequiredString(item, "tool", path, errors);
                    if (tool is { Length: > MaxToolLength })
                    {
                        errors.Add(new($"{path}.tool", $"must be at most {MaxToolLength} characters"));
                        tool = null;
                    }
                    else if (tool is not null && HiddenCharacter(tool) is { } hidden)
                    {
                        errors.Add(new($"{path}.tool", hidden));
                        tool = null;
                    }

                    int? port = null;
                    if (item.TryGetProperty("port", out var p) && p.ValueKind != JsonValueKind.Null)
                    {
                        if (p.ValueKind == JsonValueKind.Number && p.TryGetInt32(out var number) && number is >= 0 and <= 65535) port = number;
                        else errors.Add(new($"{path}.port", "must be an integer from 0 to 65535"));
                    }

                    if (known && value is not null && tool is not null)
                    {
                        evidence.Add(new ObservedEvidence(signal, value, tool, port));
                    }
                }
            }
        }

        if (errors.Count > before || department is null || observer is null)
        {
            return (null, department);
        }

        return (new DeviceObservation
        {
            Observer = observer,
            Source = source,
            ObservedAt = observedAt,
            IpAddresses = ips,
            MacAddresses = macs,
            Hostnames = hostname is null ? [] : [hostname],
            SerialNumber = serial,
            Model = model,
            ReportedType = reportedType,
            Evidence = evidence,
        }, department);
    }

    /// <summary>
    /// Why a name the sender writes itself (the observer, an evidence item's tool) cannot be taken, or null: a control
    /// character (C0 with tab and line breaks, DEL, C1), an invisible format character (a bidirectional override or
    /// isolate such as U+202E, a zero-width space or joiner, a byte-order mark, a soft hyphen, a tag character) or a
    /// line or paragraph separator. No scanner's name holds one; shown in a card, the history or the API, one would
    /// start a fake line or reverse the text after it. (What a device or the network reports, a Server header, a host
    /// name, a model, is kept as it is and shown escaped: refusing it would let a device hide itself from the pipeline
    /// by a character in its banner.)
    /// </summary>
    internal static string? HiddenCharacter(string value)
    {
        var index = 0;
        foreach (var rune in value.EnumerateRunes())
        {
            var category = Rune.GetUnicodeCategory(rune);
            if (category is System.Globalization.UnicodeCategory.Control or System.Globalization.UnicodeCategory.Format
                or System.Globalization.UnicodeCategory.LineSeparator or System.Globalization.UnicodeCategory.ParagraphSeparator)
            {
                return $"must not hold control or invisible format characters (U+{rune.Value:X4} at character {index}): name the tool or scanner in visible text";
            }

            index += rune.Utf16SequenceLength;
        }

        return null;
    }

    private static List<string> Strings(JsonElement data, string name, string at, int max, List<ValidationError> errors)
    {
        var list = new List<string>();
        if (!data.TryGetProperty(name, out var array) || array.ValueKind == JsonValueKind.Null)
        {
            return list;
        }

        if (array.ValueKind != JsonValueKind.Array || array.GetArrayLength() > max)
        {
            errors.Add(new($"{at}.{name}", $"must be an array of at most {max} strings"));
            return list;
        }

        var i = 0;
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String) errors.Add(new($"{at}.{name}[{i}]", "must be a string"));
            else list.Add(item.GetString()!);
            i++;
        }

        return list;
    }

    private static T? Error<T>(List<ValidationError> errors, string path, string message) where T : class
    {
        errors.Add(new(path, message));
        return null;
    }

    private static MacAddress? ErrorMac(List<ValidationError> errors, string path, string message = "must be a 48-bit MAC address such as 'AA:BB:CC:DD:EE:FF'")
    {
        errors.Add(new(path, message));
        return null;
    }
}
