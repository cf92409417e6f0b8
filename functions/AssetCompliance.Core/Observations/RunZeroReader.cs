using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace AssetCompliance.Core.Observations;

/// <summary>
/// Reads a runZero asset export, JSON Lines (one asset object a line) or CSV. Per asset: <c>addresses</c> and
/// <c>addresses_extra</c>, <c>names</c>, <c>macs</c>, <c>mac_vendors</c> (or <c>newest_mac_vendor</c>), <c>hw</c>
/// (runZero's hardware identification, weighed as an inventory's reported vendor), <c>type</c>, <c>last_seen</c>
/// (Unix seconds or RFC 3339), <c>service_ports_products</c> (or <c>service_products</c>), and the attributes of <c>attributes{}</c> and <c>services{}</c>
/// that carry signals (<c>http.head.server</c>, <c>http.title</c>, <c>http.head.wwwAuthenticate</c>, <c>rtsp.server</c>,
/// <c>tls.subject</c>, <c>tls.issuer</c>, <c>snmp.sysObjectID</c>, <c>snmp.sysDescr</c>, <c>favicon.md5</c>; see
/// <see cref="Attribute"/>). A line that is not a JSON object, or a CSV row that does not line up, throws
/// <see cref="ObservationReadException"/> naming the file and line.
/// </summary>
public static partial class RunZeroReader
{
    /// <summary>The observer of every observation read here.</summary>
    public const string Tool = "runzero";

    /// <summary>JSON Lines export.</summary>
    public static IEnumerable<DeviceObservation> ReadJsonLines(Stream stream, string file)
    {
        using var text = new StreamReader(stream, new UTF8Encoding(false, throwOnInvalidBytes: true), detectEncodingFromByteOrderMarks: true, leaveOpen: true);
        var line = 0;
        var any = false;
        while (true)
        {
            string? content;
            try
            {
                content = text.ReadLine();
            }
            catch (DecoderFallbackException e)
            {
                throw new ObservationReadException(file, line + 1, "bytes that are not UTF-8", e);
            }

            if (content is null)
            {
                break;
            }

            line++;
            if (string.IsNullOrWhiteSpace(content))
            {
                continue;
            }

            DeviceObservation observation;
            try
            {
                using var document = JsonDocument.Parse(content, new JsonDocumentOptions { MaxDepth = 16 });
                if (document.RootElement.ValueKind != JsonValueKind.Object)
                {
                    throw new ObservationReadException(file, line, "must be one JSON object (a runZero asset) per line; a JSON array export must be re-exported as JSONL");
                }

                observation = FromJson(document.RootElement, $"{file}:{line}", file, line);
            }
            catch (JsonException e)
            {
                throw new ObservationReadException(file, line, $"not a JSON object (a truncated line?): {e.Message}", e);
            }

            any = true;
            yield return observation;
        }

        if (!any)
        {
            throw new ObservationReadException(file, 0, "empty: no assets");
        }
    }

    /// <summary>CSV export (a header with at least <c>addresses</c> or <c>macs</c>).</summary>
    public static IEnumerable<DeviceObservation> ReadCsv(Stream stream, string file)
    {
        using var csv = InventoryCsv.Open(stream, file);
        var addresses = csv.Column("addresses", "address");
        var extra = csv.Column("addresses_extra");
        var macs = csv.Column("macs", "mac");
        if (addresses < 0 && macs < 0)
        {
            throw new ObservationReadException(file, 1, "not a runZero asset export: the header has neither 'addresses' nor 'macs'");
        }

        var (names, vendors, newestVendor, hw, type, lastSeen, products) = (csv.Column("names"), csv.Column("mac_vendors"), csv.Column("newest_mac_vendor"),
            csv.Column("hw"), csv.Column("type"), csv.Column("last_seen"), csv.Column("service_ports_products", "service_products"));
        var any = false;
        while (csv.Read())
        {
            var evidence = new List<ObservedEvidence>();
            foreach (var vendor in csv.Cell(vendors) is { } v ? v.Split(['\t', ';', '|'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : csv.Cell(newestVendor) is { } n ? [n] : [])
            {
                evidence.Add(new(ObservedSignal.MacVendor, vendor, Tool));
            }

            if (csv.Cell(hw) is { } hardware) evidence.Add(new(ObservedSignal.ReportedVendor, hardware, Tool));
            foreach (var product in csv.Cell(products)?.Split(['\t', ';', '|'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [])
            {
                evidence.Add(new(ObservedSignal.ServiceProduct, product, Tool));
            }

            any = true;
            yield return new DeviceObservation
            {
                Observer = Tool,
                Source = $"{file}:{csv.Line}",
                ObservedAt = Time(csv.Cell(lastSeen)) ?? (csv.Cell(lastSeen) is { } bad ? throw new ObservationReadException(file, csv.Line, $"last_seen: '{bad}' is neither Unix seconds nor an RFC 3339 time") : null),
                IpAddresses = csv.Addresses([.. csv.List(addresses), .. csv.List(extra)], "addresses"),
                MacAddresses = csv.Macs(csv.List(macs), "macs"),
                Hostnames = csv.List(names),
                ReportedType = csv.Cell(type),
                Evidence = evidence,
            };
        }

        if (!any)
        {
            throw new ObservationReadException(file, 1, "no assets after the header");
        }
    }

    private static DeviceObservation FromJson(JsonElement asset, string source, string file, int line)
    {
        List<string> Strings(string name)
        {
            var list = new List<string>();
            if (asset.TryGetProperty(name, out var value))
            {
                if (value.ValueKind == JsonValueKind.Array)
                {
                    foreach (var item in value.EnumerateArray())
                    {
                        list.Add(item.ValueKind == JsonValueKind.String ? item.GetString()!.Trim() : throw new ObservationReadException(file, line, $"{name}: must be an array of strings"));
                    }
                }
                else if (value.ValueKind == JsonValueKind.String)
                {
                    list.Add(value.GetString()!.Trim());
                }
                else if (value.ValueKind != JsonValueKind.Null)
                {
                    throw new ObservationReadException(file, line, $"{name}: must be an array of strings");
                }
            }

            return list.Where(s => s.Length > 0).ToList();
        }

        string? String(string name) => asset.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && v.GetString()!.Trim() is { Length: > 0 } s ? s : null;

        var evidence = new List<ObservedEvidence>();
        var macVendors = Strings("mac_vendors");
        if (macVendors.Count == 0 && String("newest_mac_vendor") is { } newest) macVendors.Add(newest);
        evidence.AddRange(macVendors.Select(v => new ObservedEvidence(ObservedSignal.MacVendor, v, Tool)));
        if (String("hw") is { } hw) evidence.Add(new(ObservedSignal.ReportedVendor, hw, Tool));
        // runZero's asset schema names it service_ports_products; service_products is kept for older exports.
        evidence.AddRange(Strings("service_ports_products").Concat(Strings("service_products")).Distinct(StringComparer.Ordinal).Select(p => new ObservedEvidence(ObservedSignal.ServiceProduct, p, Tool)));
        if (asset.TryGetProperty("attributes", out var attributes) && attributes.ValueKind == JsonValueKind.Object)
        {
            Attributes(attributes, null, evidence);
        }

        if (asset.TryGetProperty("services", out var services))
        {
            IEnumerable<(string? Key, JsonElement Value)> entries = services.ValueKind switch
            {
                JsonValueKind.Object => services.EnumerateObject().Select(p => ((string?)p.Name, p.Value)),
                JsonValueKind.Array => services.EnumerateArray().Select(v => ((string?)null, v)),
                _ => [],
            };
            foreach (var (key, service) in entries)
            {
                if (service.ValueKind == JsonValueKind.Object)
                {
                    Attributes(service, PortOf(key, service), evidence);
                }
            }
        }

        var ips = new List<System.Net.IPAddress>();
        foreach (var a in Strings("addresses").Concat(Strings("addresses_extra")))
        {
            ips.Add(System.Net.IPAddress.TryParse(a, out var ip) ? NmapXmlReader.Normalise(ip) : throw new ObservationReadException(file, line, $"addresses: '{a}' is not an IP address"));
        }

        var macs = new List<Events.MacAddress>();
        foreach (var m in Strings("macs"))
        {
            macs.Add(Events.MacAddress.TryParse(m, out var mac) ? mac : throw new ObservationReadException(file, line, $"macs: '{m}' is not a MAC address"));
        }

        DateTimeOffset? seen = null;
        if (asset.TryGetProperty("last_seen", out var lastSeen) && lastSeen.ValueKind != JsonValueKind.Null)
        {
            seen = lastSeen.ValueKind == JsonValueKind.Number && lastSeen.TryGetInt64(out var seconds) ? NmapXmlReader.FromUnixSeconds(seconds)
                : lastSeen.ValueKind == JsonValueKind.String ? Time(lastSeen.GetString()) : null;
            if (seen is null) throw new ObservationReadException(file, line, "last_seen: must be Unix seconds or an RFC 3339 time");
        }

        if (ips.Count == 0 && macs.Count == 0)
        {
            throw new ObservationReadException(file, line, "an asset with neither addresses nor macs");
        }

        return new DeviceObservation
        {
            Observer = Tool,
            Source = source,
            ObservedAt = seen,
            IpAddresses = ips,
            MacAddresses = macs,
            Hostnames = Strings("names"),
            ReportedType = String("type"),
            Model = String("hw_model") ?? String("model"),
            SerialNumber = String("serial") ?? String("serial_number"),
            Evidence = evidence,
        };
    }

    private static int? PortOf(string? key, JsonElement service)
    {
        if (service.TryGetProperty("port", out var p) && p.ValueKind == JsonValueKind.Number && p.TryGetInt32(out var port)) return port;
        if (service.TryGetProperty("port", out p) && p.ValueKind == JsonValueKind.String && int.TryParse(p.GetString(), CultureInfo.InvariantCulture, out port)) return port;
        // runZero keys services as address/transport/port.
        return key is not null && key.LastIndexOf('/') is var slash and >= 0 && int.TryParse(key.AsSpan(slash + 1), CultureInfo.InvariantCulture, out port) ? port : null;
    }

    private static void Attributes(JsonElement attributes, int? port, List<ObservedEvidence> evidence)
    {
        foreach (var property in attributes.EnumerateObject())
        {
            if (property.Value.ValueKind == JsonValueKind.String && property.Value.GetString()!.Trim() is { Length: > 0 } value && Attribute(property.Name, value) is { } item)
            {
                evidence.Add(new(item.Signal, item.Value, Tool, port));
            }
        }
    }

    /// <summary>Which signal a runZero attribute carries (matched on the end of its name, any case), or null for one that carries none.</summary>
    public static (ObservedSignal Signal, string Value)? Attribute(string name, string value)
    {
        var key = name.ToLowerInvariant();
        if (key.EndsWith("wwwauthenticate", StringComparison.Ordinal) || key.EndsWith("www-authenticate", StringComparison.Ordinal))
        {
            return Realm().Match(value) is { Success: true } realm ? (key.StartsWith("rtsp", StringComparison.Ordinal) ? ObservedSignal.RtspRealm : ObservedSignal.WwwAuthenticateRealm, realm.Groups[1].Value) : null;
        }

        return key switch
        {
            _ when key.StartsWith("rtsp", StringComparison.Ordinal) && key.EndsWith(".server", StringComparison.Ordinal) => (ObservedSignal.RtspServer, value),
            _ when key.StartsWith("http", StringComparison.Ordinal) && key.EndsWith(".server", StringComparison.Ordinal) => (ObservedSignal.HttpServer, value),
            _ when key.EndsWith("http.title", StringComparison.Ordinal) || key == "html.title" => (ObservedSignal.HttpTitle, value),
            _ when key.EndsWith("tls.subject", StringComparison.Ordinal) => (ObservedSignal.TlsSubject, value),
            _ when key.EndsWith("tls.issuer", StringComparison.Ordinal) => (ObservedSignal.TlsIssuer, value),
            _ when key.EndsWith("snmp.sysobjectid", StringComparison.Ordinal) => (ObservedSignal.SnmpSysObjectId, value),
            _ when key.EndsWith("snmp.sysdescr", StringComparison.Ordinal) => (ObservedSignal.SnmpSysDescr, value),
            _ when key.EndsWith("favicon.md5", StringComparison.Ordinal) => (ObservedSignal.FaviconMd5, value.ToLowerInvariant()),
            _ when key.EndsWith("onvif.manufacturer", StringComparison.Ordinal) => (ObservedSignal.OnvifManufacturer, value),
            _ => null,
        };
    }

    /// <summary>Unix seconds or an RFC 3339 time, else null.</summary>
    internal static DateTimeOffset? Time(string? text) =>
        text is null ? null
        : long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) ? NmapXmlReader.FromUnixSeconds(seconds)
        : Events.Rfc3339.TryParse(text, out var time) ? time : null;

    [GeneratedRegex("realm=\"?([^\",]*)\"?", RegexOptions.IgnoreCase)]
    private static partial Regex Realm();
}
