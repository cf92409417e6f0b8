using System.Net;
using AssetCompliance.Core.Observations;
using static AssetCompliance.Core.Tests.ObservationTestData;

namespace AssetCompliance.Core.Tests;

/// <summary>The scan readers: nmap XML, runZero JSONL and CSV, Defender CSV, and their errors on damaged input.</summary>
public sealed class ObservationReaderTests
{
    [Fact]
    public void Nmap_reads_addresses_mac_vendor_services_and_scripts_of_hosts_that_are_up()
    {
        var xml = NmapRun(
            NmapHost("10.20.3.40", "BC:AD:28:99:00:40", "Hangzhou Hikvision Digital Technology",
                NmapPort(80, "http", "Hikvision NVR httpd", ("http-server-header", "DNVRS-Webs"), ("http-title", "Login")) +
                NmapPort(554, "rtsp", null, ("rtsp-methods", "OPTIONS, DESCRIBE")) +
                NmapPort(443, "https", null, ("ssl-cert", "Subject: commonName=www.hikvision.com/organizationName=HIKVISION/countryName=CN\nIssuer: commonName=Dahua Device NVR CA/organizationName=Zhejiang Dahua Technology Co.,Ltd.")) +
                NmapPort(161, "snmp", null, ("snmp-sysdescr", "Linux DS-7608NI\n  System uptime: 1 day")),
                hostname: "rec-01.ho.internal"),
            "<host><status state=\"down\" reason=\"no-response\"/><address addr=\"10.20.3.41\" addrtype=\"ipv4\"/></host>");
        var host = Assert.Single(NmapXmlReader.Read(Stream(xml), "scan.xml"));
        Assert.Equal(IPAddress.Parse("10.20.3.40"), Assert.Single(host.IpAddresses));
        Assert.Equal("BC:AD:28:99:00:40", Assert.Single(host.MacAddresses).ToString());
        Assert.Equal("rec-01.ho.internal", Assert.Single(host.Hostnames));
        Assert.Equal("nmap", host.Observer);
        Assert.StartsWith("scan.xml:", host.Source, StringComparison.Ordinal);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1764493230), host.ObservedAt);
        Assert.Contains(host.Evidence, e => e is { Signal: ObservedSignal.MacVendor, Value: "Hangzhou Hikvision Digital Technology" });
        Assert.Contains(host.Evidence, e => e is { Signal: ObservedSignal.HttpServer, Value: "DNVRS-Webs", Port: 80 });
        Assert.Contains(host.Evidence, e => e is { Signal: ObservedSignal.ServiceProduct, Value: "Hikvision NVR httpd", Port: 80 });
        Assert.Contains(host.Evidence, e => e is { Signal: ObservedSignal.HttpTitle, Value: "Login" });
        Assert.Contains(host.Evidence, e => e is { Signal: ObservedSignal.RtspMethods, Port: 554 });
        Assert.Contains(host.Evidence, e => e is { Signal: ObservedSignal.TlsSubject, Value: "CN=www.hikvision.com, O=HIKVISION, C=CN" });
        Assert.Contains(host.Evidence, e => e.Signal == ObservedSignal.TlsIssuer && e.Value.StartsWith("CN=Dahua Device NVR CA", StringComparison.Ordinal));
        Assert.Contains(host.Evidence, e => e is { Signal: ObservedSignal.SnmpSysDescr, Value: "Linux DS-7608NI" });
    }

    [Fact]
    public void Nmap_ignores_services_of_closed_ports()
    {
        var closed = "<port protocol=\"tcp\" portid=\"80\"><state state=\"closed\" reason=\"reset\"/><service name=\"http\" product=\"Hikvision IP camera httpd\"/></port>";
        var host = Assert.Single(NmapXmlReader.Read(Stream(NmapRun(NmapHost("10.0.0.1", ports: closed))), "scan.xml"));
        Assert.Empty(host.Evidence);
    }

    public static TheoryData<string, string, string> DamagedNmap() => new()
    {
        // name, document, what the message must say
        { "cut mid-host", NmapRun(NmapHost("10.0.0.1"))[..200], "scan.xml:" },
        { "cut before runstats", NmapRun(NmapHost("10.0.0.1")).Split("<runstats>")[0] + "</nmaprun>", "did not complete" },
        { "not nmap", "<?xml version=\"1.0\"?><report/>", "not nmap XML" },
        { "nmap failed", NmapRun(NmapHost("10.0.0.1")).Replace("exit=\"success\"", "exit=\"error\" errormsg=\"interrupted\"", StringComparison.Ordinal), "exit=\"error\"" },
        { "bad address", NmapRun(NmapHost("10.0.0.999")), "not an IP address" },
        { "bad mac", NmapRun(NmapHost("10.0.0.1", "ZZ:00:00:00:00:00")), "not a MAC address" },
        { "empty", "", "scan.xml" },
        { "host timed out", NmapRun(NmapHost("10.0.0.1").Replace("<host ", "<host timedout=\"true\" ", StringComparison.Ordinal)), "timed out" },
    };

    [Theory]
    [MemberData(nameof(DamagedNmap))]
    public void Damaged_nmap_output_is_an_error_naming_file_and_line_never_a_clean_result(string name, string document, string expected)
    {
        var e = Assert.Throws<ObservationReadException>(() => NmapXmlReader.Read(Stream(document), "scan.xml").ToList());
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.StartsWith("scan.xml:", e.Message, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(name));
    }

    [Fact]
    public void A_cut_nmap_file_yields_the_hosts_before_the_cut_and_then_throws()
    {
        var whole = NmapRun(NmapHost("10.0.0.1"), NmapHost("10.0.0.2"));
        var cut = whole[..(whole.IndexOf("10.0.0.2", StringComparison.Ordinal) + 3)];
        var read = new List<DeviceObservation>();
        Assert.Throws<ObservationReadException>(() => { foreach (var o in NmapXmlReader.Read(Stream(cut), "scan.xml")) read.Add(o); });
        Assert.Single(read);
    }

    [Fact]
    public void RunZero_jsonl_reads_addresses_vendors_hardware_and_service_attributes()
    {
        const string line = """
            {"id":"a1","addresses":["10.20.3.40"],"addresses_extra":["fe80::1"],"names":["REC-01"],"macs":["bc:ad:28:99:00:40"],"mac_vendors":["Hangzhou Hikvision Digital Technology"],"hw":"Hikvision DS-7608NI","type":"NVR","last_seen":1764493230,"services":{"10.20.3.40/tcp/80":{"http.head.server":"DNVRS-Webs","http.title":"Login","http.head.wwwAuthenticate":"Digest realm=\"Hikvision\", nonce=\"x\""},"10.20.3.40/udp/161":{"snmp.sysObjectID":"1.3.6.1.4.1.39165.1.1"}}}
            """;
        var asset = Assert.Single(RunZeroReader.ReadJsonLines(Stream(line + "\n\n"), "assets.jsonl"));
        Assert.Equal(2, asset.IpAddresses.Count);
        Assert.Equal("NVR", asset.ReportedType);
        Assert.Contains(asset.Evidence, e => e is { Signal: ObservedSignal.HttpServer, Value: "DNVRS-Webs", Port: 80 });
        Assert.Contains(asset.Evidence, e => e is { Signal: ObservedSignal.WwwAuthenticateRealm, Value: "Hikvision" });
        Assert.Contains(asset.Evidence, e => e is { Signal: ObservedSignal.SnmpSysObjectId, Value: "1.3.6.1.4.1.39165.1.1", Port: 161 });
        Assert.Contains(asset.Evidence, e => e is { Signal: ObservedSignal.ReportedVendor, Value: "Hikvision DS-7608NI" });
        Assert.Equal("assets.jsonl:1", asset.Source);
    }

    [Theory]
    [InlineData("{\"addresses\":[\"10.0.0.1\"]}\n{\"addresses\":[\"10.0.0.2\"", "assets.jsonl:2:")]
    [InlineData("{\"addresses\":[\"10.0.0.1\"]}\n[1,2]\n", "assets.jsonl:2:")]
    [InlineData("{\"addresses\":[\"not-an-ip\"]}\n", "assets.jsonl:1:")]
    [InlineData("{\"names\":[\"x\"]}\n", "neither addresses nor macs")]
    [InlineData("\n\n", "empty")]
    [InlineData("{\"addresses\":[\"10.0.0.1\"],\"last_seen\":\"yesterday\"}\n", "last_seen")]
    [InlineData("{\"addresses\":[\"10.0.0.1\"]}\n{\"addresses\":[\"10.0.0.2\"],\"last_seen\":99999999999999}\n", "assets.jsonl:2: last_seen")] // past year 9999
    [InlineData("{\"addresses\":[\"10.0.0.1\"],\"last_seen\":\"253402300800\"}\n", "last_seen")]
    public void RunZero_jsonl_damage_is_an_error_naming_the_line(string text, string expected)
    {
        var e = Assert.Throws<ObservationReadException>(() => RunZeroReader.ReadJsonLines(Stream(text), "assets.jsonl").ToList());
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RunZero_csv_reads_list_cells_and_refuses_a_row_that_does_not_line_up()
    {
        const string csv = "addresses,names,macs,mac_vendors,hw,type,last_seen\n\"10.0.0.5 10.0.0.6\",cam-5,AC:CC:8E:0A:05:05,Axis Communications AB,Axis P3245-LVE,IP Camera,2026-11-30T09:00:00Z\n";
        var asset = Assert.Single(RunZeroReader.ReadCsv(Stream(csv), "assets.csv"));
        Assert.Equal(2, asset.IpAddresses.Count);
        Assert.Equal("cam-5", Assert.Single(asset.Hostnames));
        Assert.Contains(asset.Evidence, e => e is { Signal: ObservedSignal.MacVendor, Value: "Axis Communications AB" });

        var shifted = csv + "10.0.0.7,cam-7\n";
        var e = Assert.Throws<ObservationReadException>(() => RunZeroReader.ReadCsv(Stream(shifted), "assets.csv").ToList());
        Assert.StartsWith("assets.csv:3:", e.Message, StringComparison.Ordinal);
        var quote = Assert.Throws<ObservationReadException>(() => RunZeroReader.ReadCsv(Stream(csv + "\"10.0.0.8,cam,,,,,\n"), "assets.csv").ToList());
        Assert.Contains("assets.csv:", quote.Message, StringComparison.Ordinal);
        Assert.Throws<ObservationReadException>(() => RunZeroReader.ReadCsv(Stream("names,hw\nx,y\n"), "assets.csv").ToList());
    }

    [Fact]
    public void Defender_inventory_export_is_read_from_the_sample_file()
    {
        using var file = File.OpenRead(PathOf("samples", "registers", "defender-device-inventory.csv"));
        var devices = ScanReader.Read(file, "defender-device-inventory.csv").ToList();
        Assert.NotEmpty(devices);
        var camera = devices.First(d => d.IpAddresses.Contains(IPAddress.Parse("10.50.1.21")));
        Assert.Equal("defender", camera.Observer);
        Assert.Equal("00:BC:99:05:01:21", Assert.Single(camera.MacAddresses).ToString());
        Assert.Equal("DS-2CD2143G2-I", camera.Model);
        Assert.Equal("Camera", camera.ReportedType);
        Assert.Contains(camera.Evidence, e => e is { Signal: ObservedSignal.ReportedVendor, Value: "Hikvision" });
        Assert.Equal(new DateTimeOffset(2026, 11, 28, 0, 0, 0, TimeSpan.Zero), camera.ObservedAt);
    }

    [Theory]
    [InlineData("Device Name,Vendor,Device IPs\ncam,Hikvision,10.0.0.300\n", "defender.csv:2:")]
    [InlineData("Device Name,Vendor,Device IPs\ncam,Hikvision\n", "defender.csv:2:")]
    [InlineData("Device Name,Vendor,Device IPs,Last Seen\ncam,Hikvision,10.0.0.1,someday\n", "Last Seen")]
    [InlineData("Device Name,Vendor,Device IPs,Last Seen\ncam,Hikvision,10.0.0.1,99999999999999\n", "Last Seen")] // past year 9999
    [InlineData("Device Name,Vendor,Device IPs\n", "no devices")]
    [InlineData("Device Name,Vendor\ncam,Hikvision\n", "not a Defender")]
    public void Defender_damage_is_an_error_naming_the_line(string text, string expected)
    {
        var e = Assert.Throws<ObservationReadException>(() => DefenderInventoryReader.Read(Stream(text), "defender.csv").ToList());
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[{\"addresses\":[]}]", "JSON array")]
    [InlineData("hostname;owner\nx;y\n", "not a scan")]
    [InlineData("   ", "empty")]
    public void Scan_reader_refuses_what_it_does_not_read(string text, string expected)
    {
        var e = Assert.Throws<ObservationReadException>(() => ScanReader.Read(Stream(text), "scan").ToList());
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_sample_scan_is_read_as_nmap()
    {
        using var file = File.OpenRead(PathOf("samples", "reconcile", "ho-nmap.xml"));
        Assert.Equal(7, ScanReader.Read(file, "ho-nmap.xml").Count());
    }
}

/// <summary>The committed fixture made by the real nmap binary (its header says how; NmapScanTests makes a fresh one each run).</summary>
public sealed class RealNmapFixtureTests
{
    [Fact]
    public void The_real_nmap_fixture_reads_as_one_hikvision_host_on_loopback()
    {
        using var file = File.OpenRead(PathOf("data", "nmap-loopback-hikvision.xml"));
        var host = Assert.Single(ScanReader.Read(file, "nmap-loopback-hikvision.xml").ToList());
        Assert.Equal(IPAddress.Loopback, Assert.Single(host.IpAddresses));
        Assert.Contains(host.Evidence, e => e is { Signal: ObservedSignal.HttpServer, Value: "App-webs/" });
        Assert.Contains(host.Evidence, e => e is { Signal: ObservedSignal.HttpServer, Value: "DNVRS-Webs" });
        Assert.Contains(host.Evidence, e => e is { Signal: ObservedSignal.ServiceProduct, Value: "Hikvision IP camera httpd" });
        Assert.Contains(host.Evidence, e => e.Signal == ObservedSignal.RtspMethods);

        var outcome = Assert.Single(Reconciling.Value.Reconcile([], [host], new ReconcileOptions()));
        Assert.Equal(ReconcileOutcomeKind.Unregistered, outcome.Outcome);
        Assert.Equal("Hikvision", outcome.ObservedMaker);
    }
}

/// <summary>
/// A second fixture from the real nmap binary, of several loopback stand-ins (its header says how): what real nmap
/// writes that hand-made XML does not. http-auth gives the realm unquoted in its output and as an elem; a banner -sV
/// cannot name reaches the XML only in the fingerprint-strings script.
/// </summary>
public sealed class RealNmapStandInTests
{
    private static List<DeviceObservation> Hosts()
    {
        using var file = File.OpenRead(PathOf("data", "nmap-loopback-standins.xml"));
        return ScanReader.Read(file, "nmap-loopback-standins.xml").ToList();
    }

    private static DeviceObservation Host(string ip) => Hosts().Single(h => h.IpAddresses.Contains(IPAddress.Parse(ip)));

    [Fact]
    public void Every_host_is_read_and_localhost_keeps_its_user_and_ptr_name_once()
    {
        var hosts = Hosts();
        Assert.Equal(6, hosts.Count);
        Assert.Equal(["localhost"], Host("127.0.0.1").Hostnames);
    }

    [Fact]
    public void The_http_auth_realm_of_real_nmap_output_is_read_from_its_elem()
    {
        Assert.Contains(Host("127.0.0.5").Evidence, e => e is { Signal: ObservedSignal.WwwAuthenticateRealm, Value: "Hikvision", Port: 80 });
        Assert.Single(Host("127.0.0.4").Evidence, e => e is { Signal: ObservedSignal.WwwAuthenticateRealm, Value: "Login to 4M0A1234PAZ1234" });
    }

    [Fact]
    public void A_server_banner_only_in_fingerprint_strings_is_read_as_the_ports_server()
    {
        Assert.Contains(Host("127.0.0.4").Evidence, e => e is { Signal: ObservedSignal.RtspServer, Value: "Dahua Rtsp Server", Port: 554 });
        Assert.Contains(Host("127.0.0.2").Evidence, e => e is { Signal: ObservedSignal.RtspServer, Value: "Hikvision Rtsp Server", Port: 554 });
        // The HTTP banners the http-server-header script read are not read twice.
        Assert.Single(Host("127.0.0.2").Evidence, e => e.Signal == ObservedSignal.HttpServer);
    }

    [Fact]
    public void So_the_dahua_stand_in_is_identified_as_dahua_and_the_hikvision_nvr_by_realm_and_server()
    {
        var outcomes = Reconciling.Value.Reconcile([], Hosts(), new ReconcileOptions());
        string? Maker(string ip) => outcomes.Single(o => o.Observation!.IpAddresses.Contains(IPAddress.Parse(ip))).ObservedMaker;
        Assert.Equal("Dahua", Maker("127.0.0.4"));
        Assert.Equal("Hikvision", Maker("127.0.0.5"));
        Assert.Equal("Hikvision", Maker("127.0.0.2"));
        Assert.Null(Maker("127.0.0.3"));
    }
}

/// <summary>Column and field names the real exports use that the readers missed (held-back style cases).</summary>
public sealed class RealExportNameTests
{
    [Fact]
    public void RunZero_service_ports_products_is_read_as_service_products_in_jsonl_and_csv()
    {
        // runZero's asset schema names the field service_ports_products (rumble.run API 2.0.3, Asset).
        const string line = """{"id":"a2","addresses":["10.30.3.7"],"macs":["00:bc:99:03:00:07"],"service_ports_products":["Hikvision IP camera httpd"]}""";
        var asset = Assert.Single(RunZeroReader.ReadJsonLines(Stream(line + "\n"), "assets.jsonl"));
        Assert.Contains(asset.Evidence, e => e is { Signal: ObservedSignal.ServiceProduct, Value: "Hikvision IP camera httpd" });
        Assert.Equal("Hikvision", Assert.Single(Reconciling.Value.Reconcile([], [asset], new ReconcileOptions())).ObservedMaker);

        const string csv = "addresses,macs,service_ports_products\n10.30.3.8,00:bc:99:03:00:08,Dahua IP camera rtspd\n";
        var row = Assert.Single(RunZeroReader.ReadCsv(Stream(csv), "assets.csv"));
        Assert.Contains(row.Evidence, e => e is { Signal: ObservedSignal.ServiceProduct, Value: "Dahua IP camera rtspd" });
    }

    [Fact]
    public void Defender_ip_column_named_IP_is_read()
    {
        // The device inventory's field reference names the column "IP"; without it a camera with no MAC had no address.
        const string csv = "Name,IP,MAC address,Device type,Vendor,Model,Last device update\ncam-9,10.30.4.9,,Camera,Hikvision,DS-2CD2143G2-I,2026-11-28\n";
        var device = Assert.Single(ScanReader.Read(Stream(csv), "defender.csv").ToList());
        Assert.Equal(IPAddress.Parse("10.30.4.9"), Assert.Single(device.IpAddresses));
        Assert.Equal("defender", device.Observer);

        // Nor is a MAC column needed to tell the export: its IP column with Vendor is enough.
        foreach (var header in new[] { "Name,IP,Device type,Vendor,Model", "Name,IP addresses,Device type,Vendor,Model", "\"Name\",\"IP\",\"Device type\",\"Vendor\",\"Model\"" })
        {
            var routed = Assert.Single(ScanReader.Read(Stream(header + "\ncam-9,10.30.4.9,Camera,Hikvision,DS-2CD2143G2-I\n"), "defender.csv").ToList());
            Assert.Equal(("defender", IPAddress.Parse("10.30.4.9")), (routed.Observer, Assert.Single(routed.IpAddresses)));
        }
    }
}

/// <summary>
/// nmap -Pn ("treat every host as online") reports each address "up" with reason user-set, whether anything answered
/// or not: a host with that reason, no MAC and no port that answered (open, closed, unfiltered) is no device seen.
/// Otherwise a -Pn sweep of a subnet was every address an unregistered device, and a register's IP "confirmed" a camera
/// that is not there.
/// </summary>
public sealed class AssumedUpHostTests
{
    [Fact]
    public void A_pn_host_where_nothing_answered_is_not_an_observation()
    {
        using var file = File.OpenRead(PathOf("data", "nmap-pn-nothing-there.xml"));
        Assert.Empty(ScanReader.Read(file, "nmap-pn-nothing-there.xml").ToList());

        var register = new[] { Entry("HO-1", "Axis Communications") with { IpAddresses = [IPAddress.Parse("192.0.2.10")] } };
        using var again = File.OpenRead(PathOf("data", "nmap-pn-nothing-there.xml"));
        var outcome = Assert.Single(Reconciling.Value.Reconcile(register, ScanReader.Read(again, "scan.xml").ToList(), new ReconcileOptions()));
        Assert.Equal(ReconcileOutcomeKind.NotSeen, outcome.Outcome);
    }

    [Theory]
    [InlineData("<port protocol=\"tcp\" portid=\"80\"><state state=\"closed\" reason=\"reset\"/></port>", true)]
    [InlineData("<port protocol=\"tcp\" portid=\"80\"><state state=\"open\" reason=\"syn-ack\"/></port>", true)]
    [InlineData("<port protocol=\"udp\" portid=\"161\"><state state=\"open|filtered\" reason=\"no-response\"/></port>", false)]
    [InlineData("<port protocol=\"tcp\" portid=\"80\"><state state=\"filtered\" reason=\"no-response\"/></port>", false)]
    public void A_pn_host_is_seen_when_a_port_answered_or_a_mac_was_seen(string port, bool seen)
    {
        string Host(string mac) => $"<host><status state=\"up\" reason=\"user-set\" reason_ttl=\"0\"/><address addr=\"10.30.1.9\" addrtype=\"ipv4\"/>{mac}<hostnames><hostname name=\"cam-9.ho.gov.uk\" type=\"PTR\"/></hostnames><ports>{port}</ports></host>";
        Assert.Equal(seen ? 1 : 0, NmapXmlReader.Read(Stream(NmapRun(Host(""))), "scan.xml").Count());
        Assert.Single(NmapXmlReader.Read(Stream(NmapRun(Host("<address addr=\"AC:CC:8E:0A:01:09\" addrtype=\"mac\"/>"))), "scan.xml"));
    }
}

/// <summary>Real nmap -O output (its header says how): read, and its OS guesses weigh nothing.</summary>
public sealed class RealNmapOsDetectionTests
{
    [Fact]
    public void Os_detection_output_is_read_and_its_guesses_name_no_maker()
    {
        using var file = File.OpenRead(PathOf("data", "nmap-loopback-os.xml"));
        var hosts = ScanReader.Read(file, "nmap-loopback-os.xml").ToList();
        Assert.Equal(2, hosts.Count);
        var outcomes = Reconciling.Value.Reconcile([], hosts, new ReconcileOptions());
        string? Maker(string ip) => outcomes.Single(o => o.Observation!.IpAddresses.Contains(IPAddress.Parse(ip))).ObservedMaker;
        Assert.Null(Maker("127.0.0.3")); // a Linux box nmap's guesses include an AXIS webcam for: no maker from guesses
        Assert.Equal("Hikvision", Maker("127.0.0.6"));
        Assert.DoesNotContain(hosts.SelectMany(h => h.Evidence), e => e.Value.Contains("Linux", StringComparison.Ordinal) && e.Signal == ObservedSignal.ReportedVendor);
    }
}
