using System.Net;
using System.Text;
using AssetCompliance.Core.Events;
using AssetCompliance.Core.Observations;
using AssetCompliance.Core.Policy;
using AssetCompliance.Core.Registers;
using static AssetCompliance.Core.Tests.ObservationTestData;

namespace AssetCompliance.Core.Tests;

/// <summary>
/// Matching by what registers as departments hold them call a device on the network (held-back style cases): a
/// ServiceNow or NetBox export whose asset id is a tag and whose host name and IP are other columns, FQDN against
/// short names either way and in any case, serial numbers typed with the label's spacing.
/// </summary>
public sealed class RegisterNetworkMatchTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    private static DeviceObservation Routed(string ip, string? hostname = null, string? serial = null) => new()
    {
        Observer = "nmap",
        Source = "scan.xml:9",
        ObservedAt = Now,
        IpAddresses = [IPAddress.Parse(ip)],
        Hostnames = hostname is null ? [] : [hostname],
        SerialNumber = serial,
    };

    private static IReadOnlyList<ReconcileOutcome> Run(RegisterEntry[] register, params DeviceObservation[] seen) =>
        Reconciling.Value.Reconcile(register, seen, new ReconcileOptions { Now = Now });

    private static RegisterEntry[] Read(string csv) =>
        [.. RegisterReader.Open(new MemoryStream(Encoding.UTF8.GetBytes(csv)), "register.csv").Rows.Where(r => r.Device is not null && r.Kind == AssetEventKind.Upserted).Select(RegisterEntry.From)];

    private const string ServiceNow = """
        name,asset_tag,manufacturer,model_id,serial_number,mac_address,ip_address,location,install_status,sys_class_name
        ho-cam-0105,HO-0105,Axis Communications AB,P3245-LVE,ACCC8E0A1B05,,10.30.1.15,2 Marsham Street,Installed,cmdb_ci_ip_camera
        ho-cam-0107.ho.gov.uk,HO-0107,Axis Communications AB,P3245-LVE,ACCC8E0A1B07,,DHCP,2 Marsham Street,Installed,cmdb_ci_ip_camera
        """;

    [Fact]
    public void A_servicenow_export_gives_each_entry_its_ci_name_and_ip_address_beside_the_asset_tag()
    {
        var entries = Read(ServiceNow);
        Assert.Equal(["HO-0105", "HO-0107"], entries.Select(e => e.Device.AssetId));
        Assert.Equal(["ho-cam-0105"], entries[0].Hostnames);
        Assert.Equal([IPAddress.Parse("10.30.1.15")], entries[0].IpAddresses);
        Assert.Empty(entries[1].IpAddresses); // "DHCP" is no address
    }

    [Fact]
    public void A_routed_scan_confirms_a_tagged_entry_by_its_host_name_column()
    {
        // No MAC crosses a router, and the asset id is a tag: only the CI name says which camera the PTR name is.
        var outcome = Assert.Single(Run(Read(ServiceNow)[1..], Routed("10.30.9.9", "HO-CAM-0107.ho.gov.uk")));
        Assert.Equal((ReconcileOutcomeKind.Confirmed, "hostname", "HO-0107"), (outcome.Outcome, outcome.MatchedBy, outcome.Registered!.AssetId));
    }

    [Fact]
    public void A_routed_scan_confirms_an_entry_by_its_ip_address_column()
    {
        var outcome = Assert.Single(Run(Read(ServiceNow)[..1], Routed("10.30.1.15")));
        Assert.Equal((ReconcileOutcomeKind.Confirmed, "ip", "HO-0105"), (outcome.Outcome, outcome.MatchedBy, outcome.Registered!.AssetId));
    }

    [Fact]
    public void A_netbox_export_gives_the_device_name_and_its_primary_ipv4_with_prefix_length()
    {
        const string netbox = """
            Name,Status,Role,Manufacturer,Type,Serial number,Asset tag,Site,Primary IPv4,Primary IPv6
            ho-nvr-01,Active,CCTV,Hikvision,DS-7608NI-K2,DS76081234,HO-0201,2 Marsham Street,10.30.2.5/24,2001:db8:30::5/64
            """;
        var entry = Assert.Single(Read(netbox));
        Assert.Equal("HO-0201", entry.Device.AssetId);
        Assert.Equal(["ho-nvr-01"], entry.Hostnames);
        Assert.Equal([IPAddress.Parse("10.30.2.5"), IPAddress.Parse("2001:db8:30::5")], entry.IpAddresses);

        var byIpv6 = Assert.Single(Run([entry], Routed("2001:db8:30::5")));
        Assert.Equal((ReconcileOutcomeKind.Confirmed, "ip"), (byIpv6.Outcome, byIpv6.MatchedBy));
    }

    /// <summary>A name matches whole in any case, an FQDN a register's short name, a short name a register FQDN's first label; two FQDNs differing past it do not.</summary>
    [Theory]
    [InlineData("cam1.ho.local", "CAM1", true)]
    [InlineData("CAM1", "cam1.ho.local", true)]
    [InlineData("cam1.ho.local", "Cam1.HO.Local.", true)]
    [InlineData("cam1.ho.local.", "cam1.ho.local", true)]
    [InlineData("cam1.a.local", "cam1.b.local", false)]
    [InlineData("cam1", "cam10", false)]
    public void Host_names_match_fqdn_and_short_name_either_way_in_any_case(string registered, string observed, bool matches)
    {
        var register = new[] { Entry("HO-1", "Axis Communications") with { Hostnames = [registered] } };
        var outcomes = Run(register, Routed("10.30.1.40", observed));
        Assert.Equal(matches ? [ReconcileOutcomeKind.Confirmed] : [ReconcileOutcomeKind.Unregistered, ReconcileOutcomeKind.NotSeen], outcomes.Select(o => o.Outcome));

        // The asset id itself follows the same rules.
        var asId = Run([Entry(registered.TrimEnd('.'), "Axis Communications")], Routed("10.30.1.40", observed));
        Assert.Equal(matches ? ReconcileOutcomeKind.Confirmed : ReconcileOutcomeKind.Unregistered, asId[0].Outcome);
    }

    [Theory]
    [InlineData("h3 00 45", "H30045")]
    [InlineData(" DS-2CD2143G2-I 20210101 ", "ds-2cd2143g2-i20210101")]
    [InlineData("E200", "e200")]
    public void Serial_numbers_match_whatever_their_spacing_or_case(string registered, string observed)
    {
        var outcome = Assert.Single(Run([Entry("HO-2", "Hikvision", serial: registered)], Routed("10.30.1.41", serial: observed)));
        Assert.Equal((ReconcileOutcomeKind.Confirmed, "serial"), (outcome.Outcome, outcome.MatchedBy));
    }

    /// <summary>
    /// The host name decides before the IP: a name is the device's own, an address only where it is. A register that
    /// gives every camera behind an NVR the NVR's address finds the NVR by its name, not nine entries; by address alone
    /// the match is ambiguous, and none of them is reported not seen.
    /// </summary>
    [Fact]
    public void The_host_name_decides_before_an_ip_that_several_entries_share()
    {
        var nvrAddress = IPAddress.Parse("10.30.1.44");
        var register = new[]
        {
            Entry("HO-3", "Hikvision", type: DeviceType.Nvr) with { Hostnames = ["ho-nvr-3"], IpAddresses = [nvrAddress] },
            Entry("HO-4", "Hikvision") with { IpAddresses = [nvrAddress] },
            Entry("HO-5", "Hikvision") with { IpAddresses = [nvrAddress] },
        };
        var byName = Run(register, Routed("10.30.1.44", "ho-nvr-3.ho.gov.uk"));
        Assert.Equal((ReconcileOutcomeKind.Confirmed, "hostname", "HO-3"), (byName[0].Outcome, byName[0].MatchedBy, byName[0].Registered!.AssetId));

        var byAddress = Assert.Single(Run(register, Routed("10.30.1.44")));
        Assert.Equal(ReconcileOutcomeKind.Ambiguous, byAddress.Outcome);
        Assert.Equal(["HO-3", "HO-4", "HO-5"], byAddress.Candidates);
    }

    [Fact]
    public void Mac_still_decides_before_serial_host_name_and_ip()
    {
        var register = new[]
        {
            Entry("HO-5", "Axis Communications", mac: "AC:CC:8E:0A:05:55"),
            Entry("HO-6", "Axis Communications", serial: "A600") with { Hostnames = ["ho-cam-6"], IpAddresses = [IPAddress.Parse("10.30.1.46")] },
        };
        var seen = Routed("10.30.1.46", "ho-cam-6", serial: "A600") with { MacAddresses = [MacAddress.TryParse("ac:cc:8e:0a:05:55", out var m) ? m : default] };
        var outcomes = Run(register, seen);
        Assert.Equal((ReconcileOutcomeKind.Confirmed, "mac", "HO-5"), (outcomes[0].Outcome, outcomes[0].MatchedBy, outcomes[0].Registered!.AssetId));
        Assert.Equal((ReconcileOutcomeKind.NotSeen, "HO-6"), (outcomes[1].Outcome, outcomes[1].Registered!.AssetId));
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("0.0.0.0")]
    [InlineData("255.255.255.255")]
    public void An_address_that_is_no_devices_own_matches_nothing(string ip)
    {
        var register = new[] { Entry("HO-7", "Axis Communications") with { IpAddresses = [IPAddress.Parse(ip)] } };
        Assert.Equal([ReconcileOutcomeKind.Unregistered, ReconcileOutcomeKind.NotSeen], Run(register, Routed(ip)).Select(o => o.Outcome));
    }

    private static RegisterEntry Untyped(string assetId, string manufacturer, string mac) =>
        Entry(assetId, manufacturer, mac, sensitive: false, segment: NetworkSegment.Standalone) is var e
            ? e with { Device = UnreadFields.MarkUnread(e.Device with { DeviceType = null }, ["deviceType"]) }
            : throw new InvalidOperationException();

    /// <summary>
    /// A register without a device type column (every type unread) is told the type by what the network shows: the
    /// fingerprint's type, else the tool's, else a camera when it serves RTSP, as for an unregistered device. A
    /// Hikvision camera on a standalone network at a site that is not sensitive is then Advisory, not NeedsReview.
    /// </summary>
    [Fact]
    public void A_blank_device_type_is_taken_from_what_the_network_shows()
    {
        var seen = Routed("192.168.80.11") with { MacAddresses = [MacAddress.TryParse("bc:ad:28:4f:22:01", out var m) ? m : default], Evidence = [new(ObservedSignal.HttpServer, "App-webs/", "runzero", 80)] };
        var outcome = Assert.Single(Run([Untyped("CR-01", "Hikvision", "BC:AD:28:4F:22:01")], seen));
        Assert.Equal((ReconcileOutcomeKind.Confirmed, ComplianceStatus.Advisory), (outcome.Outcome, outcome.Evaluation!.Status));
        Assert.Contains("camera", outcome.Explanation, StringComparison.Ordinal);

        var typed = seen with { Evidence = [], ReportedType = "NVR" };
        var nvr = Assert.Single(Run([Untyped("CR-01", "Hikvision", "BC:AD:28:4F:22:01")], typed));
        Assert.Equal(ComplianceStatus.Advisory, nvr.Evaluation!.Status);
        Assert.Contains("nvr", nvr.Explanation, StringComparison.Ordinal);

        // Nothing on the network says the type: it stays unread, and the verdict held for review.
        var bare = Assert.Single(Run([Untyped("CR-01", "Hikvision", "BC:AD:28:4F:22:01")], seen with { Evidence = [] }));
        Assert.Equal(ComplianceStatus.NeedsReview, bare.Evaluation!.Status);
    }

    [Fact]
    public void A_device_type_the_register_states_is_not_replaced_by_the_networks()
    {
        var entry = Entry("CR-06", "Hikvision", "BC:AD:28:4F:22:06", type: DeviceType.Other, sensitive: false, segment: NetworkSegment.Standalone);
        var seen = Routed("192.168.80.16") with { MacAddresses = [MacAddress.TryParse("bc:ad:28:4f:22:06", out var m) ? m : default], ReportedType = "IP Camera" };
        var outcome = Assert.Single(Run([entry], seen));
        Assert.Equal(DeviceType.Other, outcome.Registered!.DeviceType);
    }

    /// <summary>
    /// A device the register lists as retired or disposed that is still on the network is unregistered (it is not in
    /// the estate in service), but the explanation names the entry that says it is gone, never "no register entry has
    /// its MAC"; and a retired device that is not seen is not reported at all.
    /// </summary>
    [Fact]
    public void A_retired_device_still_on_the_network_is_unregistered_naming_the_retired_entry()
    {
        var retired = Entry("CR-03", "Axis Communications", mac: "AC:CC:8E:0A:22:03", line: 5);
        var gone = Entry("CR-09", "Hikvision", mac: "BC:AD:28:4F:22:09", line: 9);
        var seen = Routed("192.168.80.13") with { MacAddresses = [MacAddress.TryParse("accc.8e0a.2203", out var m) ? m : default] };
        var outcomes = Reconciling.Value.Reconcile([], [seen], new ReconcileOptions { Now = Now, Removed = [retired, gone] });
        var outcome = Assert.Single(outcomes);
        Assert.Equal(ReconcileOutcomeKind.Unregistered, outcome.Outcome);
        Assert.Contains("CR-03", outcome.Explanation, StringComparison.Ordinal);
        Assert.Contains("line 5", outcome.Explanation, StringComparison.Ordinal);
        Assert.DoesNotContain("no register entry", outcome.Explanation, StringComparison.Ordinal);
    }

    /// <summary>A CSV saved from a spreadsheet with a title row above the header (one cell filled) is read from the header below it, as a workbook is.</summary>
    [Theory]
    [InlineData("HO Croydon CCTV asset register - exported 30/11/2026,,,,,,,,,,,\n")]
    [InlineData("HO Croydon CCTV asset register\n,,,,,,,,,,,\n")]
    [InlineData("\"Register, Croydon\",,,,,,,,,,,\n")]
    public void A_csv_title_row_above_the_header_is_skipped(string title)
    {
        const string csv = """
            Camera Ref,Make,Model,Serial No.,MAC Address,Hostname,IP Address,Site,Sensitive Site,Network,Date Installed,Status
            CR-01,Hikvision,DS-2CD2143G2-I,DS2CD0001,BC-AD-28-4F-22-01,cr-cam-01.croydon.ho.local,192.168.80.11,Croydon,No,Standalone,01/03/2021,In use
            """;
        var rows = RegisterReader.Open(new MemoryStream(Encoding.UTF8.GetBytes(title + csv + "\n")), "register.csv").Rows.ToList();
        var row = Assert.Single(rows);
        Assert.Equal("CR-01", row.Device!.AssetId);
        Assert.Equal(["cr-cam-01.croydon.ho.local"], row.Network.Hostnames);

        // A first row with two names or more is a header that is refused, never skipped as a title.
        var refused = Assert.Single(RegisterReader.Open(new MemoryStream(Encoding.UTF8.GetBytes("Register,Croydon\n" + csv)), "register.csv").Rows.ToList());
        Assert.Null(refused.Device);
    }

    [Fact]
    public void A_snipe_it_asset_name_is_a_host_name_and_a_name_with_spaces_is_not()
    {
        const string snipe = """
            Asset Tag,Asset Name,Manufacturer,Model,Serial,Location,Status,MAC Address
            HO-0301,ho-cam-0301,Axis,P3245-LVE,ACCC8E0A3301,2 Marsham Street,Ready to Deploy (deployable),
            HO-0302,Front gate camera,Axis,P3245-LVE,ACCC8E0A3302,2 Marsham Street,Ready to Deploy (deployable),
            """;
        var entries = Read(snipe);
        Assert.Equal(["ho-cam-0301"], entries[0].Hostnames);
        Assert.Empty(entries[1].Hostnames);
    }

    /// <summary>A register row exported twice (one asset id, one MAC) is ambiguous with both lines named, so the duplicate can be found.</summary>
    [Fact]
    public void An_ambiguous_match_names_each_candidates_register_line()
    {
        var register = new[] { Entry("A1", "Axis Communications", mac: "AC:CC:8E:0A:1B:07", line: 2), Entry("A1", "Axis Communications", mac: "AC:CC:8E:0A:1B:07", line: 3) };
        var seen = Routed("10.1.1.1") with { MacAddresses = [MacAddress.TryParse("ac:cc:8e:0a:1b:07", out var m) ? m : default] };
        var outcome = Assert.Single(Run(register, seen));
        Assert.Equal(ReconcileOutcomeKind.Ambiguous, outcome.Outcome);
        Assert.Contains("A1 on line 2, A1 on line 3", outcome.Explanation, StringComparison.Ordinal);
    }

    /// <summary>
    /// A host name or IP names a register entry, but the device there shows another MAC (or serial) than the entry
    /// records: it is another device (the camera was replaced, the address reused), never the registered one
    /// confirmed. It is unregistered, saying whose address it has, and the registered one is not seen.
    /// </summary>
    [Theory]
    [InlineData("bc:ad:28:4f:33:01", null)]
    [InlineData(null, "E999")]
    public void A_host_name_or_ip_match_that_the_mac_or_serial_refutes_is_another_device(string? mac, string? serial)
    {
        var register = new[] { Entry("HO-8", "Axis Communications", mac: "AC:CC:8E:0A:08:08", serial: "A800") with { Hostnames = ["ho-cam-8"], IpAddresses = [IPAddress.Parse("10.30.1.48")] } };
        var seen = Routed("10.30.1.48", "ho-cam-8.ho.gov.uk", serial) with { MacAddresses = mac is null ? [] : [MacAddress.TryParse(mac, out var m) ? m : default] };
        var outcomes = Run(register, seen);
        Assert.Equal([ReconcileOutcomeKind.Unregistered, ReconcileOutcomeKind.NotSeen], outcomes.Select(o => o.Outcome));
        Assert.Contains("HO-8", outcomes[0].Explanation, StringComparison.Ordinal);
        Assert.Equal("HO-8", outcomes[1].Registered!.AssetId);

        // The same MAC (any notation) or serial (any spacing) agrees: confirmed.
        var same = Routed("10.30.1.48", "ho-cam-8", serial is null ? null : "a 800") with { MacAddresses = mac is null ? [] : [MacAddress.TryParse("ac-cc-8e-0a-08-08", out var s) ? s : default] };
        Assert.Equal(ReconcileOutcomeKind.Confirmed, Assert.Single(Run(register, same)).Outcome);
    }

    /// <summary>
    /// A serial a register fills with a placeholder (N/A, TBC, unknown, a dash) is no serial: it neither matches every
    /// row that has it, nor refutes a host-name match of a device that reports its real serial.
    /// </summary>
    [Theory]
    [InlineData("N/A")]
    [InlineData("tbc")]
    [InlineData("Unknown")]
    [InlineData("-")]
    [InlineData("n.a.")]
    public void A_placeholder_serial_is_no_serial(string placeholder)
    {
        var register = new[] { Entry("HO-10", "Axis Communications", serial: placeholder) with { Hostnames = ["ho-cam-10"] }, Entry("HO-11", "Axis Communications", serial: placeholder) };
        var outcomes = Run(register, Routed("10.30.1.50", "ho-cam-10", serial: "ACCC8E0A1010"));
        Assert.Equal((ReconcileOutcomeKind.Confirmed, "hostname", "HO-10"), (outcomes[0].Outcome, outcomes[0].MatchedBy, outcomes[0].Registered!.AssetId));

        var byPlaceholder = Run(register, Routed("10.30.1.51", serial: placeholder));
        Assert.Equal(ReconcileOutcomeKind.Unregistered, byPlaceholder[0].Outcome);
    }
}
