using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using System.Xml;
using AssetCompliance.Core.Events;

namespace AssetCompliance.Core.Observations;

/// <summary>
/// Reads nmap's XML output (<c>-oX</c>, docs: nmap.dtd) as a stream, one <c>host</c> at a time, so memory stays
/// bounded by the largest host, not the scan. Per host that is up (with -Pn, reason user-set, only one whose MAC was seen
/// or a port answered open, closed or unfiltered: nmap assumes the rest up): addresses (<c>ipv4</c>, <c>ipv6</c>, <c>mac</c>
/// with its <c>vendor</c>), host names, and per open port the <c>-sV</c> service (product, version, extrainfo,
/// devicetype) and the scripts <c>http-server-header</c>, <c>http-title</c>, <c>http-auth</c> (realm),
/// <c>http-favicon</c> (MD5), <c>rtsp-methods</c>, <c>snmp-sysdescr</c> and <c>ssl-cert</c> (subject, issuer), and on an
/// HTTP or RTSP port <c>fingerprint-strings</c> (the Server header and realm of a banner -sV could not name). The
/// http-auth realm is read from its <c>elem key="realm"</c>: real nmap writes it unquoted in the output.
/// A file that is not nmap XML, ends before <c>&lt;/nmaprun&gt;</c>, or that nmap marks as failed throws
/// <see cref="ObservationReadException"/> with the file, line and position: a truncated scan never reads as a clean one.
/// </summary>
public static partial class NmapXmlReader
{
    /// <summary>The observer of every observation read here.</summary>
    public const string Tool = "nmap";

    /// <summary>The observations of a scan, in file order; throws as described on the type, after yielding the hosts before the fault.</summary>
    public static IEnumerable<DeviceObservation> Read(Stream stream, string file)
    {
        var settings = new XmlReaderSettings
        {
            // nmap writes <!DOCTYPE nmaprun>; nothing is resolved or fetched.
            DtdProcessing = DtdProcessing.Ignore,
            XmlResolver = null,
            IgnoreWhitespace = true,
            IgnoreComments = true,
            CloseInput = false,
        };
        using var reader = XmlReader.Create(stream, settings);
        var info = (IXmlLineInfo)reader;
        DateTimeOffset? started = null;
        var sawRoot = false;
        var finished = false;
        while (true)
        {
            DeviceObservation? host = null;
            try
            {
                if (!reader.Read())
                {
                    break;
                }

                if (reader.NodeType != XmlNodeType.Element)
                {
                    continue;
                }

                if (!sawRoot)
                {
                    if (reader.LocalName != "nmaprun")
                    {
                        throw new ObservationReadException(file, info.LineNumber, $"the root element is <{reader.LocalName}>, not <nmaprun>: this is not nmap XML output (-oX)");
                    }

                    sawRoot = true;
                    started = UnixTime(reader, "start", file, info);
                    continue;
                }

                switch (reader.LocalName)
                {
                    case "host":
                        host = ReadHost(reader, file, info, started);
                        break;
                    case "finished":
                        finished = true;
                        if (reader.GetAttribute("exit") is { } exit && exit != "success")
                        {
                            throw new ObservationReadException(file, info.LineNumber, $"nmap reports the scan ended with exit=\"{exit}\"{(reader.GetAttribute("errormsg") is { } m ? $": {m}" : "")}; its hosts are not a complete result");
                        }

                        break;
                }
            }
            catch (XmlException e)
            {
                throw new ObservationReadException(file, e.LineNumber, $"not well-formed nmap XML at line {e.LineNumber}, position {e.LinePosition} (a truncated or damaged file?): {e.Message}", e);
            }

            if (host is not null)
            {
                yield return host;
            }
        }

        if (!sawRoot)
        {
            throw new ObservationReadException(file, 0, "empty: no <nmaprun> element");
        }

        if (!finished)
        {
            // Well-formed, but nmap always writes <runstats><finished/> last: without it the run did not complete.
            throw new ObservationReadException(file, info.LineNumber, "no <runstats><finished> element: the scan did not complete (nmap interrupted?), so its hosts are not a complete result");
        }
    }

    private static DeviceObservation? ReadHost(XmlReader reader, string file, IXmlLineInfo info, DateTimeOffset? started)
    {
        var line = info.LineNumber;
        if (reader.GetAttribute("timedout") == "true")
        {
            // nmap gave up on the host (--host-timeout) and dropped what it had found: an incomplete scan of it.
            throw new ObservationReadException(file, line, "nmap timed out on this host (timedout=\"true\"), so what it shows is incomplete; rescan it with a longer --host-timeout");
        }

        // Both read, so that a damaged start time is refused even when the end time is there.
        var ended = UnixTime(reader, "endtime", file, info);
        var began = UnixTime(reader, "starttime", file, info);
        var seenAt = ended ?? began ?? started;
        var up = true;
        var assumedUp = false;
        var answered = false;
        var ips = new List<IPAddress>();
        var macs = new List<MacAddress>();
        var names = new List<string>();
        var evidence = new List<ObservedEvidence>();
        string? deviceType = null;
        int? port = null;
        var portOpen = false;
        string? service = null;
        string? script = null;
        var realmText = false;
        // The host's children are read by depth on the same reader: a subtree reader per host costs a reader and its
        // namespace scope each, for 65,536 hosts of a /16. This ends on the host's end tag, as a subtree reader leaves it.
        var host = reader;
        var depth = reader.Depth;
        var empty = reader.IsEmptyElement;
        while (!empty && host.Read() && host.Depth > depth)
        {
            if (host.NodeType != XmlNodeType.Element)
            {
                if (realmText && host.NodeType == XmlNodeType.Text)
                {
                    // http-auth's <elem key="realm">: its output writes the realm unquoted, where it cannot be cut from the nonce.
                    AddOnce(evidence, new(ObservedSignal.WwwAuthenticateRealm, host.Value.Trim(), Tool, port));
                }

                realmText = false;
                continue;
            }

            realmText = false;

            switch (host.LocalName)
            {
                case "status":
                    up = host.GetAttribute("state") == "up";
                    assumedUp = host.GetAttribute("reason") == "user-set";
                    break;
                case "address":
                    var addr = host.GetAttribute("addr") ?? throw new ObservationReadException(file, info.LineNumber, "<address> without addr");
                    switch (host.GetAttribute("addrtype"))
                    {
                        case "ipv4" or "ipv6":
                            ips.Add(IPAddress.TryParse(addr, out var ip) ? Normalise(ip) : throw new ObservationReadException(file, info.LineNumber, $"<address addr=\"{addr}\">: not an IP address"));
                            break;
                        case "mac":
                            macs.Add(MacAddress.TryParse(addr, out var mac) ? mac : throw new ObservationReadException(file, info.LineNumber, $"<address addrtype=\"mac\" addr=\"{addr}\">: not a MAC address"));
                            if (host.GetAttribute("vendor") is { Length: > 0 } vendor)
                            {
                                evidence.Add(new(ObservedSignal.MacVendor, vendor, Tool));
                            }

                            break;
                    }

                    break;
                case "hostname":
                    if (host.GetAttribute("name") is { Length: > 0 } name && !names.Contains(name, StringComparer.OrdinalIgnoreCase))
                    {
                        names.Add(name);
                    }

                    break;
                case "port":
                    port = int.TryParse(host.GetAttribute("portid"), NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? p : null;
                    portOpen = false;
                    service = null;
                    script = null;
                    break;
                case "state" when port is not null:
                    var state = host.GetAttribute("state");
                    portOpen = state == "open";
                    answered |= state is "open" or "closed" or "unfiltered";
                    break;
                case "service" when portOpen:
                    service = host.GetAttribute("name");
                    var product = Joined(host.GetAttribute("product"), host.GetAttribute("version"), host.GetAttribute("extrainfo"));
                    if (product.Length > 0)
                    {
                        evidence.Add(new(ObservedSignal.ServiceProduct, product, Tool, port));
                    }

                    deviceType ??= host.GetAttribute("devicetype");
                    break;
                case "script" when portOpen || port is null:
                    script = host.GetAttribute("id");
                    ReadScript(script, host.GetAttribute("output") ?? "", port, service, evidence);
                    break;
                case "script":
                    script = null;
                    break;
                case "elem" when script == "http-auth" && host.GetAttribute("key") == "realm" && !host.IsEmptyElement:
                    realmText = true;
                    break;
                case "hostscript":
                    port = null;
                    script = null;
                    break;
            }
        }

        // -Pn reports every address up ("user-set"): without a MAC or a port that answered, nothing was seen there.
        if (!up || (assumedUp && !answered && macs.Count == 0))
        {
            return null;
        }

        if (ips.Count == 0 && macs.Count == 0)
        {
            throw new ObservationReadException(file, line, "<host> that is up has no <address>");
        }

        return new DeviceObservation
        {
            Observer = Tool,
            Source = $"{file}:{line}",
            ObservedAt = seenAt,
            IpAddresses = ips,
            MacAddresses = macs,
            Hostnames = names,
            ReportedType = deviceType,
            Evidence = evidence,
        };
    }

    /// <summary>The non-blank parts joined by single spaces (nmap's product, version and extrainfo as one service string).</summary>
    private static string Joined(params ReadOnlySpan<string?> parts)
    {
        string? joined = null;
        foreach (var part in parts)
        {
            if (!string.IsNullOrWhiteSpace(part)) joined = joined is null ? part : $"{joined} {part}";
        }

        return joined ?? "";
    }

    /// <summary>Adds an item unless the host already has it (the same banner read by two scripts).</summary>
    private static void AddOnce(List<ObservedEvidence> evidence, ObservedEvidence item)
    {
        if (item.Value.Length > 0 && !evidence.Contains(item)) evidence.Add(item);
    }

    private static void ReadScript(string? id, string output, int? port, string? service, List<ObservedEvidence> evidence)
    {
        void Add(ObservedSignal signal, string value)
        {
            if (value.Trim() is { Length: > 0 } v) AddOnce(evidence, new(signal, v, Tool, port));
        }

        switch (id)
        {
            case "http-server-header":
                foreach (var value in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)) Add(ObservedSignal.HttpServer, value);
                break;
            case "http-title":
                Add(ObservedSignal.HttpTitle, output);
                break;
            case "rtsp-methods":
                Add(ObservedSignal.RtspMethods, output);
                break;
            case "snmp-sysdescr":
                Add(ObservedSignal.SnmpSysDescr, output.Split('\n')[0]);
                break;
            case "http-favicon":
                if (Md5().Match(output) is { Success: true } md5) Add(ObservedSignal.FaviconMd5, md5.Value.ToLowerInvariant());
                break;
            case "http-auth":
                foreach (Match realm in Realm().Matches(output)) Add(ObservedSignal.WwwAuthenticateRealm, realm.Groups[1].Value);
                break;
            case "fingerprint-strings" when service is not null:
                // -sV could not name the service, so the banner it saw is only here: its Server header and realm are
                // the device's own (a Dahua camera's "Server: Dahua Rtsp Server" answering OPTIONS with 200).
                var rtsp = service.Contains("rtsp", StringComparison.OrdinalIgnoreCase);
                if (!rtsp && !service.Contains("http", StringComparison.OrdinalIgnoreCase)) break;
                foreach (var l in output.Split('\n', StringSplitOptions.TrimEntries))
                {
                    if (l.StartsWith("Server:", StringComparison.OrdinalIgnoreCase)) Add(rtsp ? ObservedSignal.RtspServer : ObservedSignal.HttpServer, l["Server:".Length..]);
                    else if (l.StartsWith("WWW-Authenticate:", StringComparison.OrdinalIgnoreCase) && Realm().Match(l) is { Success: true } realm)
                        Add(rtsp ? ObservedSignal.RtspRealm : ObservedSignal.WwwAuthenticateRealm, realm.Groups[1].Value);
                }

                break;
            case "ssl-cert":
                foreach (var l in output.Split('\n', StringSplitOptions.TrimEntries))
                {
                    if (l.StartsWith("Subject:", StringComparison.Ordinal)) Add(ObservedSignal.TlsSubject, Distinguished(l["Subject:".Length..]));
                    else if (l.StartsWith("Issuer:", StringComparison.Ordinal)) Add(ObservedSignal.TlsIssuer, Distinguished(l["Issuer:".Length..]));
                }

                break;
        }
    }

    /// <summary>nmap's <c>commonName=x/organizationName=y</c> as the usual <c>CN=x, O=y</c>, so one fingerprint reads every tool's form.</summary>
    internal static string Distinguished(string nmap)
    {
        var parts = nmap.Trim().Split('/', StringSplitOptions.RemoveEmptyEntries);
        return string.Join(", ", parts.Select(p =>
        {
            var eq = p.IndexOf('=');
            if (eq < 0) return p;
            var key = p[..eq] switch
            {
                "commonName" => "CN",
                "organizationName" => "O",
                "organizationalUnitName" => "OU",
                "localityName" => "L",
                "stateOrProvinceName" => "ST",
                "countryName" => "C",
                var other => other,
            };
            return $"{key}={p[(eq + 1)..]}";
        }));
    }

    internal static IPAddress Normalise(IPAddress ip) => ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip;

    /// <summary>
    /// The element's <paramref name="attribute"/> as seconds since 1970, or null when absent, zero or not a number;
    /// a number past year 9999 is no time nmap writes (a damaged file) and throws rather than ending the read outside
    /// <see cref="ObservationReadException"/>.
    /// </summary>
    private static DateTimeOffset? UnixTime(XmlReader reader, string attribute, string file, IXmlLineInfo info)
    {
        var seconds = reader.GetAttribute(attribute);
        if (!long.TryParse(seconds, NumberStyles.None, CultureInfo.InvariantCulture, out var s) || s <= 0)
        {
            return null;
        }

        return FromUnixSeconds(s) ?? throw new ObservationReadException(file, info.LineNumber, $"<{reader.LocalName} {attribute}=\"{seconds}\">: not a time (seconds since 1970, before year 10000)");
    }

    /// <summary>Seconds since 1970 as a time; null for zero or less and past the year 9999 (where DateTimeOffset would throw).</summary>
    internal static DateTimeOffset? FromUnixSeconds(long seconds) =>
        seconds > 0 && seconds <= MaxUnixSeconds ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;

    private static readonly long MaxUnixSeconds = DateTimeOffset.MaxValue.ToUnixTimeSeconds();

    [GeneratedRegex("\\b[0-9A-Fa-f]{32}\\b")]
    private static partial Regex Md5();

    [GeneratedRegex("realm=\"([^\"]*)\"", RegexOptions.IgnoreCase)]
    private static partial Regex Realm();
}
