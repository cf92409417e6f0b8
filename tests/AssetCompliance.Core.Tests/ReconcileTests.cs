using System.Net;
using AssetCompliance.Core.Catalogue;
using AssetCompliance.Core.Events;
using AssetCompliance.Core.Observations;
using AssetCompliance.Core.Policy;
using static AssetCompliance.Core.Tests.ObservationTestData;

namespace AssetCompliance.Core.Tests;

/// <summary>Matching and outcomes: confirmed, contradicted, unregistered, not seen, ambiguous; segment precedence.</summary>
public sealed class ReconcileTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    private static DeviceObservation Seen(string ip, string? mac = null, string? hostname = null, string? serial = null, DateTimeOffset? at = null, params ObservedEvidence[] evidence) => new()
    {
        Observer = "nmap",
        Source = "test",
        ObservedAt = at ?? Now,
        IpAddresses = [IPAddress.Parse(ip)],
        MacAddresses = mac is null ? [] : [MacAddress.TryParse(mac, out var m) ? m : throw new ArgumentException(mac)],
        Hostnames = hostname is null ? [] : [hostname],
        SerialNumber = serial,
        Evidence = evidence,
    };

    private static ObservedEvidence Server(string value) => new(ObservedSignal.HttpServer, value, "nmap", 80);

    private static IReadOnlyList<ReconcileOutcome> Run(RegisterEntry[] register, DeviceObservation[] seen, NetworkMap? networks = null, int? days = null) =>
        Reconciling.Value.Reconcile(register, seen, new ReconcileOptions { Networks = networks, NotSeenDays = days, Now = Now });

    [Fact]
    public void Confirmed_when_matched_by_mac_and_the_maker_agrees()
    {
        var outcome = Assert.Single(Run([Entry("HO-1", "Hikvision", "BC:AD:28:4F:11:02")], [Seen("10.20.50.11", "bc-ad-28-4f-11-02", evidence: Server("App-webs/"))]));
        Assert.Equal(ReconcileOutcomeKind.Confirmed, outcome.Outcome);
        Assert.Equal("mac", outcome.MatchedBy);
        Assert.Equal("Hikvision", outcome.ObservedMaker);
        Assert.Equal("HO-1", outcome.Registered!.AssetId);
    }

    [Fact]
    public void Contradicted_shows_both_makers_when_the_firmware_is_another_makers()
    {
        var outcome = Assert.Single(Run([Entry("HO-3", "Secure Vision", serial: "S300", sensitive: true)], [Seen("10.20.50.13", serial: "S300", evidence: Server("DNVRS-Webs"))]));
        Assert.Equal(ReconcileOutcomeKind.Contradicted, outcome.Outcome);
        Assert.Equal("serial", outcome.MatchedBy);
        Assert.Equal("'Secure Vision'", outcome.RegisteredMaker);
        Assert.Equal("Hikvision", outcome.ObservedMaker);
        Assert.Contains("Secure Vision", outcome.Explanation, StringComparison.Ordinal);
        Assert.Contains("DNVRS-Webs", outcome.Explanation, StringComparison.Ordinal);
        Assert.Equal(ComplianceStatus.NonCompliant, outcome.Evaluation!.Status);
    }

    /// <summary>
    /// A register entry that names no maker (blank, or only whitespace) is not confirmed by a network that shows one:
    /// the register does not say what was seen, so the outcome is contradicted, with both sides shown, never
    /// "as registered"; and a network that shows no maker either is only confirmed as seen.
    /// </summary>
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void A_register_entry_without_a_maker_is_contradicted_by_a_network_that_shows_one(string? manufacturer)
    {
        var outcome = Assert.Single(Run([Entry("HO-9", manufacturer, serial: "S900")], [Seen("10.20.50.19", serial: "S900", evidence: Server("DNVRS-Webs"))]));
        Assert.Equal(ReconcileOutcomeKind.Contradicted, outcome.Outcome);
        Assert.Equal(("no maker", "Hikvision"), (outcome.RegisteredMaker, outcome.ObservedMaker));
        Assert.DoesNotContain("as registered", outcome.Explanation, StringComparison.Ordinal);
        Assert.Contains("names no maker", outcome.Explanation, StringComparison.Ordinal);

        var nothing = Assert.Single(Run([Entry("HO-9", manufacturer, serial: "S900")], [Seen("10.20.50.19", serial: "S900")]));
        Assert.Equal(ReconcileOutcomeKind.Confirmed, nothing.Outcome);
    }

    [Fact]
    public void A_known_maker_contradicted_by_firmware_is_never_cleared()
    {
        // Axis name and Axis MAC (weight 3) outweigh one Hikvision firmware signature (2): Axis wins, but the evidence
        // conflicts about a PRC-law maker, so the camera is held for review rather than cleared.
        var outcome = Assert.Single(Run([Entry("HO-2", "Axis Communications", "AC:CC:8E:0A:1B:2C")], [Seen("10.20.50.12", "AC:CC:8E:0A:1B:2C", evidence: Server("App-webs/"))]));
        Assert.Equal(ReconcileOutcomeKind.Contradicted, outcome.Outcome);
        Assert.Equal("Axis", outcome.RegisteredMaker);
        Assert.Equal("Hikvision", outcome.ObservedMaker);
        Assert.NotNull(outcome.Identification!.Conflict);
        Assert.Equal(ComplianceStatus.NeedsReview, outcome.Evaluation!.Status);
    }

    [Fact]
    public void Weak_self_reported_evidence_for_a_prc_maker_still_stops_a_device_being_cleared()
    {
        var onvif = new ObservedEvidence(ObservedSignal.OnvifManufacturer, "HIKVISION", "onvif");
        var outcome = Assert.Single(Run([Entry("HO-2", "Axis Communications", model: "P3245-LVE")], [Seen("10.20.50.12", hostname: "HO-2", evidence: onvif)]));
        Assert.Equal("hostname", outcome.MatchedBy);
        Assert.NotEqual(ComplianceStatus.Compliant, outcome.Evaluation!.Status);
    }

    [Fact]
    public void Unregistered_hikvision_firmware_on_a_core_subnet_is_noncompliant_critical()
    {
        var outcome = Assert.Single(Run([], [Seen("10.20.3.40", evidence: Server("DNVRS-Webs"))], Networks(HoNetworks)));
        Assert.Equal(ReconcileOutcomeKind.Unregistered, outcome.Outcome);
        Assert.Equal(NetworkSegment.Core, outcome.Network!.Segment);
        Assert.Equal(DeviceType.Nvr, outcome.Registered!.DeviceType);
        Assert.Equal("HO", outcome.Registered.Department);
        Assert.Equal(ComplianceStatus.NonCompliant, outcome.Evaluation!.Status);
        Assert.Equal(Severity.Critical, outcome.Evaluation.Severity);
        Assert.Equal("prc-surveillance-on-core-network", outcome.Evaluation.Rule);
    }

    [Fact]
    public void The_observed_core_segment_overrides_a_register_that_says_segregated()
    {
        var outcome = Assert.Single(Run([Entry("HO-1", "Hikvision", "BC:AD:28:4F:11:02", segment: NetworkSegment.Segregated)],
            [Seen("10.20.7.7", "BC:AD:28:4F:11:02")], Networks(HoNetworks)));
        Assert.Equal(NetworkSegment.Core, outcome.Network!.Segment);
        Assert.Equal(ComplianceStatus.NonCompliant, outcome.Evaluation!.Status);
        Assert.Equal(Severity.Critical, outcome.Evaluation.Severity);
        Assert.Contains("the register says segregated", outcome.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_networks_file_the_registers_segment_stands()
    {
        var outcome = Assert.Single(Run([Entry("HO-1", "Hikvision", "BC:AD:28:4F:11:02", segment: NetworkSegment.Standalone)], [Seen("10.20.7.7", "BC:AD:28:4F:11:02")]));
        Assert.Null(outcome.Network);
        Assert.Equal(ComplianceStatus.Advisory, outcome.Evaluation!.Status);
    }

    [Fact]
    public void Not_seen_when_no_scan_saw_it_or_only_longer_ago_than_the_window()
    {
        var outcomes = Run([Entry("HO-1", "Axis Communications", "AC:CC:8E:0A:1B:2C"), Entry("HO-2", "Axis Communications", "AC:CC:8E:0A:1B:2D")],
            [Seen("10.20.50.12", "AC:CC:8E:0A:1B:2D", at: Now.AddDays(-40))], days: 30);
        Assert.All(outcomes, o => Assert.Equal(ReconcileOutcomeKind.NotSeen, o.Outcome));
        Assert.Equal(["HO-1", "HO-2"], outcomes.Select(o => o.Registered!.AssetId).Order());
        Assert.Contains("Last seen 2026-10-22", outcomes.Single(o => o.Registered!.AssetId == "HO-2").Explanation, StringComparison.Ordinal);

        var within = Run([Entry("HO-2", "Axis Communications", "AC:CC:8E:0A:1B:2D")], [Seen("10.20.50.12", "AC:CC:8E:0A:1B:2D", at: Now.AddDays(-40))], days: 60);
        Assert.Equal(ReconcileOutcomeKind.Confirmed, Assert.Single(within).Outcome);
    }

    [Theory]
    [InlineData(int.MaxValue)]
    [InlineData(739_586)] // about the days since year 1
    public void A_not_seen_window_longer_than_the_calendar_counts_every_observation_as_recent(int days)
    {
        var outcomes = Run([Entry("HO-1", "Axis Communications", "AC:CC:8E:0A:1B:2C"), Entry("HO-2", "Axis Communications", "AC:CC:8E:0A:1B:2D")],
            [Seen("10.20.50.12", "AC:CC:8E:0A:1B:2D", at: Now.AddYears(-30))], days: days);
        Assert.Equal(ReconcileOutcomeKind.NotSeen, outcomes.Single(o => o.Registered!.AssetId == "HO-1").Outcome);
        Assert.Equal(ReconcileOutcomeKind.Confirmed, outcomes.Single(o => o.Registered!.AssetId == "HO-2").Outcome);
    }

    [Fact]
    public void A_mac_two_entries_share_is_ambiguous_with_both_candidates_and_neither_is_reported_not_seen()
    {
        var outcomes = Run([Entry("HO-5", "Axis Communications", "AC:CC:8E:0A:05:05"), Entry("HO-6", "Axis Communications", "AC:CC:8E:0A:05:05")],
            [Seen("10.20.50.15", "AC:CC:8E:0A:05:05")]);
        var outcome = Assert.Single(outcomes);
        Assert.Equal(ReconcileOutcomeKind.Ambiguous, outcome.Outcome);
        Assert.Equal(["HO-5", "HO-6"], outcome.Candidates);
    }

    [Fact]
    public void A_host_name_two_entries_answer_to_is_ambiguous_and_the_mac_decides_before_the_name()
    {
        // HO-7's MAC decides, even though the host name is HO-8's: MAC before serial before host name.
        var byMac = Assert.Single(Run([Entry("HO-7", "Axis Communications", "AC:CC:8E:0A:07:07"), Entry("HO-8", "Axis Communications")],
            [Seen("10.20.50.17", "AC:CC:8E:0A:07:07", hostname: "ho-8.ho.internal")]), o => o.Outcome != ReconcileOutcomeKind.NotSeen);
        Assert.Equal("mac", byMac.MatchedBy);

        var serialTwice = Run([Entry("HO-8", "Axis Communications", serial: "X1"), Entry("HO-9", "Axis Communications", serial: "x1")], [Seen("10.20.50.18", serial: "X1")]);
        Assert.Equal(ReconcileOutcomeKind.Ambiguous, Assert.Single(serialTwice).Outcome);
    }

    [Fact]
    public void Observations_of_one_device_from_two_scans_are_merged_by_mac_then_ip()
    {
        var nmap = Seen("10.20.50.11", evidence: Server("App-webs/"));
        var defender = Seen("10.20.50.11", "BC:AD:28:4F:11:02") with { Observer = "defender" };
        var outcome = Assert.Single(Run([Entry("HO-1", "Hikvision", "BC:AD:28:4F:11:02")], [nmap, defender]));
        Assert.Equal(ReconcileOutcomeKind.Confirmed, outcome.Outcome);
        Assert.Equal("nmap+defender", outcome.Observation!.Observer);
        Assert.Contains(outcome.Observation.Evidence, e => e.Value == "App-webs/");
    }

    [Fact]
    public void An_address_seen_without_a_mac_does_not_join_two_devices_that_had_it_with_different_macs()
    {
        // A routed nmap scan (no MACs) saw 10.20.1.5; Defender saw the registered Axis camera there, and a local scan
        // the Hikvision recorder that has the address now. The MAC-less sighting joins one of them, never both.
        var routed = Seen("10.20.1.5") with { Source = "routed" };
        var axis = Seen("10.20.1.5", "AC:CC:8E:0A:1B:2C") with { Observer = "defender", Source = "defender" };
        var hikvision = Seen("10.20.1.5", "BC:AD:28:4F:11:02", evidence: Server("DNVRS-Webs")) with { Source = "local" };
        var outcomes = Run([Entry("HO-1", "Axis Communications", "AC:CC:8E:0A:1B:2C")], [routed, axis, hikvision], Networks(HoNetworks));
        Assert.Equal(2, outcomes.Count);
        var confirmed = Assert.Single(outcomes, o => o.Outcome == ReconcileOutcomeKind.Confirmed);
        Assert.Equal("HO-1", confirmed.Registered!.AssetId);
        Assert.Equal("routed; defender", confirmed.Observation!.Source);
        var unregistered = Assert.Single(outcomes, o => o.Outcome == ReconcileOutcomeKind.Unregistered);
        Assert.Equal("local", unregistered.Observation!.Source);
        Assert.Equal((ComplianceStatus.NonCompliant, Severity.Critical), (unregistered.Evaluation!.Status, unregistered.Evaluation.Severity));

        // The same through a MAC-less sighting holding two addresses, one of each device's.
        var both = Seen("10.20.1.5") with { Source = "both", IpAddresses = [IPAddress.Parse("10.20.1.5"), IPAddress.Parse("10.20.1.6")] };
        var merged = ObservationMerger.Merge([axis, Seen("10.20.1.6", "BC:AD:28:4F:11:02") with { Source = "local" }, both]);
        Assert.Equal(["defender; both", "local"], merged.Select(o => o.Source));
    }

    /// <summary>
    /// An unregistered device whose maker nothing identifies (or whose type nothing tells) is never cleared: no register
    /// stands behind it, so "not recorded as surveillance" and "maker unknown" are unknowns, not answers. It is held
    /// for review; a device of a maker known not to be subject to the law (an Axis MAC block) may still be Compliant.
    /// </summary>
    [Theory]
    [InlineData("10.20.50.90", null, "Web Client")] // segregated, nothing to tell the maker
    [InlineData("192.168.70.90", null, "lighttpd")] // standalone
    [InlineData("172.16.9.9", null, null)] // in no subnet of the networks file
    [InlineData("10.20.50.91", "BC:AD:28:00:00:91", null)] // a Hikvision MAC block, and nothing to tell the device type
    public void An_unregistered_device_of_an_unknown_maker_or_type_is_held_for_review_never_Compliant(string ip, string? mac, string? server)
    {
        var seen = server is null ? Seen(ip, mac) : Seen(ip, mac, evidence: Server(server));
        var outcome = Assert.Single(Run([], [seen], Networks(HoNetworks)));
        Assert.Equal(ReconcileOutcomeKind.Unregistered, outcome.Outcome);
        Assert.Equal(ComplianceStatus.NeedsReview, outcome.Evaluation!.Status);
        Assert.Contains(outcome.Evaluation.Reasons, r => r.Contains("no register", StringComparison.Ordinal));

        var axis = Assert.Single(Run([], [Seen("10.20.50.92", "AC:CC:8E:0A:05:92")], Networks(HoNetworks)));
        Assert.Equal(ComplianceStatus.Compliant, axis.Evaluation!.Status);
    }

    [Fact]
    public void The_sample_estate_reconciles_to_every_outcome()
    {
        using var registerFile = File.OpenRead(PathOf("samples", "reconcile", "ho-register.csv"));
        var register = Registers.RegisterReader.Open(registerFile, "ho-register.csv").Rows.Select(r => new RegisterEntry(r.Device!, r.Line)).ToArray();
        using var scan = File.OpenRead(PathOf("samples", "reconcile", "ho-nmap.xml"));
        var networks = NetworkMap.Load(PathOf("samples", "reconcile", "ho-networks.json"));
        var outcomes = Reconciling.Value.Reconcile(register, ScanReader.Read(scan, "ho-nmap.xml").ToList(), new ReconcileOptions { Networks = networks, Now = Now });
        string Of(string asset) => outcomes.Single(o => o.Registered?.AssetId == asset).Outcome.ToWire();
        Assert.Equal("confirmed", Of("HO-CAM-0001"));
        Assert.Equal("confirmed", Of("HO-CAM-0002"));
        Assert.Equal("contradicted", Of("HO-CAM-0003"));
        Assert.Equal("not-seen", Of("HO-NVR-0004"));
        Assert.Equal("confirmed", Of("HO-SW-0007"));
        Assert.Equal(["HO-CAM-0005", "HO-CAM-0006"], outcomes.Single(o => o.Outcome == ReconcileOutcomeKind.Ambiguous).Candidates);
        var unregistered = outcomes.Where(o => o.Outcome == ReconcileOutcomeKind.Unregistered).ToArray();
        Assert.Equal(2, unregistered.Length);
        Assert.Contains(unregistered, o => o.Evaluation is { Status: ComplianceStatus.NonCompliant, Severity: Severity.Critical } && o.Observation!.IpAddresses[0].ToString() == "10.20.3.40");
    }
}

/// <summary>The networks file: IPv4 and IPv6, longest prefix, and refused files.</summary>
public sealed class NetworkMapTests
{
    [Theory]
    [InlineData("10.20.1.1", NetworkSegment.Core)]
    [InlineData("10.20.50.9", NetworkSegment.Segregated)]
    [InlineData("192.168.70.254", NetworkSegment.Standalone)]
    [InlineData("2001:db8:20:1::5", NetworkSegment.Core)]
    [InlineData("::ffff:10.20.50.9", NetworkSegment.Segregated)]
    public void An_address_takes_the_most_specific_subnet(string ip, NetworkSegment segment) =>
        Assert.Equal(segment, Networks(HoNetworks).Lookup(IPAddress.Parse(ip))!.Segment);

    [Fact]
    public void An_address_in_no_subnet_has_no_segment() => Assert.Null(Networks(HoNetworks).Lookup(IPAddress.Parse("172.16.0.1")));

    [Theory]
    [InlineData("""{"schemaVersion":1,"department":"HO","networks":[{"cidr":"10.0.0.1/8","segment":"core"}]}""", "$.networks[0].cidr")]
    [InlineData("""{"schemaVersion":1,"department":"HO","networks":[{"cidr":"10.0.0.0","segment":"core"}]}""", "$.networks[0].cidr")]
    [InlineData("""{"schemaVersion":1,"department":"HO","networks":[{"cidr":"10.0.0.0/8","segment":"dmz"}]}""", "$.networks[0].segment")]
    [InlineData("""{"schemaVersion":1,"department":"HO","networks":[{"cidr":"10.0.0.0/8","segment":"core"},{"cidr":"10.0.0.0/8","segment":"standalone"}]}""", "$.networks[1].cidr")]
    [InlineData("""{"schemaVersion":2,"department":"HO","networks":[]}""", "$.schemaVersion")]
    [InlineData("""{"schemaVersion":1,"department":"H O","networks":[{"cidr":"10.0.0.0/8","segment":"core"}]}""", "$.department")]
    [InlineData("""{"schemaVersion":1,"department":"HO","networks":[]}""", "$.networks")]
    [InlineData("""{"schemaVersion":1,"department":"HO","networks":[{"cidr":"10.0.0.0/8","segment":"core"}""", "networks.json:1")]
    public void A_bad_networks_file_is_an_error_naming_the_file_and_entry(string json, string expected)
    {
        var e = Assert.Throws<ObservationReadException>(() => Networks(json));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.StartsWith("networks.json:", e.Message, StringComparison.Ordinal);
    }
}

/// <summary>catalogue/fingerprints.json as data, and what it gives the evidence table.</summary>
public sealed class FingerprintTests
{
    [Fact]
    public void Every_entry_names_a_vendor_source_date_and_strength()
    {
        var catalogue = FingerprintCatalogue.Default;
        Assert.NotEmpty(catalogue.Entries);
        Assert.All(catalogue.Entries, f => Assert.False(string.IsNullOrEmpty(f.Source)));
        Assert.Contains(catalogue.Entries, f => f is { Value: "DNVRS-Webs", Strong: true });
        Assert.Contains(catalogue.Entries, f => f is { Signal: ObservedSignal.OnvifManufacturer, Strong: false });
        Assert.All(catalogue.Entries.Where(f => f.Signal is ObservedSignal.OnvifManufacturer or ObservedSignal.MacVendor or ObservedSignal.ReportedVendor), f => Assert.False(f.Strong));
    }

    [Theory]
    [InlineData(ObservedSignal.HttpServer, "DNVRS-Webs", "hikvision", true)]
    [InlineData(ObservedSignal.HttpServer, "App-webs/", "hikvision", true)]
    [InlineData(ObservedSignal.HttpServer, "uc-httpd 1.0.0", "xiongmai", true)]
    [InlineData(ObservedSignal.WwwAuthenticateRealm, "Hikvision", "hikvision", true)]
    [InlineData(ObservedSignal.RtspServer, "Dahua Rtsp Server", "dahua", true)]
    [InlineData(ObservedSignal.TlsIssuer, "CN=Dahua Device NVR CA, O=Zhejiang Dahua Technology Co.,Ltd.", "dahua", true)]
    [InlineData(ObservedSignal.SnmpSysObjectId, ".1.3.6.1.4.1.1004849.2.1", "dahua", true)]
    [InlineData(ObservedSignal.SnmpSysObjectId, "1.3.6.1.4.1.39165", "hikvision", true)]
    [InlineData(ObservedSignal.FaviconMd5, "89b932fcc47cf4ca3faadb0cfdef89cf", "hikvision", true)]
    [InlineData(ObservedSignal.VendorApi, "/cgi-bin/magicBox.cgi?action=getVendor", "dahua", true)]
    [InlineData(ObservedSignal.OnvifManufacturer, "HIKVISION", "hikvision", false)]
    public void A_signal_gives_fingerprint_evidence_of_its_strength(ObservedSignal signal, string value, string vendor, bool strong)
    {
        var evidence = Assert.Single(FingerprintCatalogue.Default.EvidenceOf([new ObservedEvidence(signal, value, "test")]));
        Assert.Equal(EvidenceKind.Fingerprint, evidence.Kind);
        Assert.Equal(vendor, evidence.Vendor!.Key);
        Assert.Equal(strong ? EvidenceStrength.Strong : EvidenceStrength.Weak, EvidenceTable.StrengthOf(evidence));
    }

    [Theory]
    [InlineData(ObservedSignal.SnmpSysObjectId, "1.3.6.1.4.1.391650")]
    [InlineData(ObservedSignal.SnmpSysObjectId, "1.3.6.1.4.1.50001.1")]
    [InlineData(ObservedSignal.HttpServer, "nginx")]
    [InlineData(ObservedSignal.HttpTitle, "DNVRS-Webs")]
    public void A_signal_no_entry_describes_gives_nothing(ObservedSignal signal, string value) =>
        Assert.Empty(FingerprintCatalogue.Default.EvidenceOf([new ObservedEvidence(signal, value, "test")]));

    [Fact]
    public void One_evidence_per_vendor_group_so_repeating_a_signal_cannot_outvote()
    {
        var items = Enumerable.Range(1, 20).Select(p => new ObservedEvidence(ObservedSignal.HttpServer, "App-webs/", "nmap", p)).ToArray();
        Assert.Single(FingerprintCatalogue.Default.EvidenceOf(items));
    }

    [Fact]
    public void Strong_firmware_outweighs_a_registered_name_of_another_maker()
    {
        var identifier = new DeviceIdentifier(VendorCatalogue.Default);
        var fingerprint = FingerprintCatalogue.Default.EvidenceOf([new ObservedEvidence(ObservedSignal.HttpServer, "DNVRS-Webs", "nmap")]);
        var identification = identifier.Identify("Secure Vision", null, null, fingerprint);
        Assert.Equal("hikvision", identification.Vendor!.Key);
        Assert.True(identification.RelabelSuspected);
        // Without the observation the register's name alone identifies nothing.
        Assert.Null(identifier.Identify("Secure Vision", null, null).Vendor);
    }

    [Fact]
    public void A_catalogue_naming_an_unknown_vendor_is_refused()
    {
        var json = """{"schemaVersion":1,"version":"2026-12-01","sources":{"s":"x"},"fingerprints":[{"id":"a","signal":"http-server","match":"prefix","value":"X","vendor":"nobody","strength":"strong","source":"s","date":"2026-12-01"}]}""";
        var e = Assert.Throws<InvalidDataException>(() => FingerprintCatalogue.Load(System.Text.Encoding.UTF8.GetBytes(json), VendorCatalogue.Default));
        Assert.Contains("nobody", e.Message, StringComparison.Ordinal);
    }
}
