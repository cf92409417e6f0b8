using System.Net;
using AssetCompliance.Core.Events;

namespace AssetCompliance.Core.Observations;

/// <summary>
/// What kind of thing a scanner saw. Wire names (contract v1.1 <c>asset.device.observed</c>, catalogue/fingerprints.json)
/// are in <see cref="ObservedSignals"/>.
/// </summary>
public enum ObservedSignal
{
    /// <summary>The HTTP <c>Server</c> header (nmap <c>http-server-header</c>, runZero <c>http.head.server</c>).</summary>
    HttpServer,

    /// <summary>The realm of an HTTP <c>WWW-Authenticate</c> challenge.</summary>
    WwwAuthenticateRealm,

    /// <summary>The RTSP <c>Server</c> header.</summary>
    RtspServer,

    /// <summary>The realm of an RTSP 401 challenge.</summary>
    RtspRealm,

    /// <summary>The RTSP methods the device offers (information only; no fingerprint reads it).</summary>
    RtspMethods,

    /// <summary>The subject of the device's TLS certificate, as <c>CN=…, O=…</c> or nmap's <c>commonName=…/organizationName=…</c>.</summary>
    TlsSubject,

    /// <summary>The issuer of the device's TLS certificate.</summary>
    TlsIssuer,

    /// <summary>The MD5 of the web interface's favicon, 32 lower-case hex digits.</summary>
    FaviconMd5,

    /// <summary>SNMP <c>sysObjectID</c> (dotted OID; the enterprise number is its arc under 1.3.6.1.4.1).</summary>
    SnmpSysObjectId,

    /// <summary>SNMP <c>sysDescr</c>.</summary>
    SnmpSysDescr,

    /// <summary>ONVIF <c>GetDeviceInformation</c> Manufacturer (self-reported).</summary>
    OnvifManufacturer,

    /// <summary>A vendor API the device answered, by its path (<c>/ISAPI/System/deviceInfo</c>, <c>/cgi-bin/magicBox.cgi?action=getVendor</c>).</summary>
    VendorApi,

    /// <summary>A scanner's service identification (nmap <c>-sV</c> product and version, runZero service product).</summary>
    ServiceProduct,

    /// <summary>The HTML title of the web interface.</summary>
    HttpTitle,

    /// <summary>The scanner's vendor string for the MAC block (nmap's <c>vendor</c> attribute, runZero <c>mac_vendors</c>).</summary>
    MacVendor,

    /// <summary>An inventory tool's vendor or hardware column (Defender <c>Vendor</c>, runZero <c>hw</c>).</summary>
    ReportedVendor,
}

/// <summary>Wire names of <see cref="ObservedSignal"/>.</summary>
public static class ObservedSignals
{
    private static readonly (ObservedSignal Signal, string Name)[] Names =
    [
        (ObservedSignal.HttpServer, "http-server"),
        (ObservedSignal.WwwAuthenticateRealm, "www-authenticate-realm"),
        (ObservedSignal.RtspServer, "rtsp-server"),
        (ObservedSignal.RtspRealm, "rtsp-realm"),
        (ObservedSignal.RtspMethods, "rtsp-methods"),
        (ObservedSignal.TlsSubject, "tls-subject"),
        (ObservedSignal.TlsIssuer, "tls-issuer"),
        (ObservedSignal.FaviconMd5, "favicon-md5"),
        (ObservedSignal.SnmpSysObjectId, "snmp-sysobjectid"),
        (ObservedSignal.SnmpSysDescr, "snmp-sysdescr"),
        (ObservedSignal.OnvifManufacturer, "onvif-manufacturer"),
        (ObservedSignal.VendorApi, "vendor-api"),
        (ObservedSignal.ServiceProduct, "service-product"),
        (ObservedSignal.HttpTitle, "http-title"),
        (ObservedSignal.MacVendor, "mac-vendor"),
        (ObservedSignal.ReportedVendor, "reported-vendor"),
    ];

    /// <summary>Every wire name, in enum order.</summary>
    public static IReadOnlyList<string> AllNames { get; } = Names.Select(n => n.Name).ToArray();

    // Indexed by the enum's value (Names is in enum order, which a test holds): reports call this per evidence item.
    public static string ToWire(this ObservedSignal signal) => Names[(int)signal].Name;

    /// <summary>Exactly a wire name (ordinal).</summary>
    public static bool TryParse(string? value, out ObservedSignal signal)
    {
        foreach (var (s, name) in Names)
        {
            if (string.Equals(name, value, StringComparison.Ordinal))
            {
                signal = s;
                return true;
            }
        }

        signal = default;
        return false;
    }
}

/// <summary>
/// One thing a tool saw on a device: <see cref="Value"/> as the tool reported it (trimmed), the tool that saw it
/// (<c>nmap</c>, <c>runzero</c>, <c>defender</c>, or the observer of an event), and the port when the signal is a service's.
/// </summary>
public sealed record ObservedEvidence(ObservedSignal Signal, string Value, string Tool, int? Port = null);

/// <summary>
/// One device as a network scan or inventory saw it: its addresses, names and the typed evidence items, with where
/// the observation came from (<see cref="Source"/>: <c>file:line</c> for a scan, the event id for an event). A plain
/// value: readers produce it, <see cref="Reconciler"/> matches it to the register, and later hosts may store it.
/// </summary>
public sealed record DeviceObservation
{
    /// <summary>Who observed: the tool (<c>nmap</c>, <c>runzero</c>, <c>defender</c>) or the event's observer.</summary>
    public required string Observer { get; init; }

    /// <summary>Where this observation was read from, for messages: <c>scan.xml:42</c> or an event id.</summary>
    public required string Source { get; init; }

    /// <summary>When it was seen; null when the tool does not say (then it counts as seen at the reconciliation).</summary>
    public DateTimeOffset? ObservedAt { get; init; }

    /// <summary>IP addresses (IPv4 and IPv6; IPv4-mapped IPv6 addresses are stored as IPv4).</summary>
    public IReadOnlyList<IPAddress> IpAddresses { get; init; } = [];

    /// <summary>MAC addresses (a scanner sees them only on its own segment).</summary>
    public IReadOnlyList<MacAddress> MacAddresses { get; init; } = [];

    /// <summary>Host names the tool reported (DNS PTR, NetBIOS, the device's own), as written.</summary>
    public IReadOnlyList<string> Hostnames { get; init; } = [];

    /// <summary>A serial number the device or tool reported (ONVIF SerialNumber, ISAPI serialNumber, an inventory column).</summary>
    public string? SerialNumber { get; init; }

    /// <summary>The model the device or tool reported (information; a model number is weighed through the catalogue's patterns).</summary>
    public string? Model { get; init; }

    /// <summary>The tool's device type where it gives one (nmap <c>devicetype</c>, runZero <c>type</c>, Defender <c>Device Type</c>), as written.</summary>
    public string? ReportedType { get; init; }

    /// <summary>Every evidence item, in the order read.</summary>
    public IReadOnlyList<ObservedEvidence> Evidence { get; init; } = [];
}

/// <summary>
/// A scan or inventory file that cannot be read, or stops part way: the message names the file and the line (and
/// column or element) where reading stopped. Nothing read from such a file is a clean result.
/// </summary>
public sealed class ObservationReadException(string file, int line, string message, Exception? inner = null)
    : Exception($"{file}:{line}: {message}", inner)
{
    /// <summary>The file as named to the reader.</summary>
    public string File { get; } = file;

    /// <summary>1-based line where reading stopped (0: the file as a whole).</summary>
    public int Line { get; } = line;
}
