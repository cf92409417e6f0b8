using System.Net;
using AssetCompliance.Core.Observations;
using static AssetCompliance.Core.Tests.ObservationTestData;

namespace AssetCompliance.Core.Tests;

/// <summary>
/// Where one nmap host ends: the reader reads a host's children by depth on the one reader (no subtree reader per
/// host), so every shape around and inside a host must leave it on that host's end and lose nothing after it.
/// </summary>
public sealed class NmapHostBoundaryTests
{
    private const string Up = "<status state=\"up\"/>";

    private static List<DeviceObservation> Read(string xml) => [.. NmapXmlReader.Read(Stream(xml), "scan.xml")];

    private static string Ips(DeviceObservation o) => string.Join(",", o.IpAddresses);

    [Fact]
    public void Hosts_with_no_space_between_them_are_each_read_and_the_one_after_a_self_contained_host_is_not_skipped()
    {
        var read = Read(NmapRun(NmapHost("10.0.0.1") + NmapHost("10.0.0.2") + NmapHost("10.0.0.3")));
        Assert.Equal(["10.0.0.1", "10.0.0.2", "10.0.0.3"], read.Select(Ips));
    }

    [Fact]
    public void Comments_instructions_cdata_text_and_unknown_elements_inside_a_host_change_nothing_and_the_next_host_is_read()
    {
        var noisy = $"<host><!-- a comment --><?nmap-pi x?>{Up} text <![CDATA[<address addr=\"9.9.9.9\" addrtype=\"ipv4\"/>]]>" +
            "<address addr=\"10.0.0.1\" addrtype=\"ipv4\"/><extra a=\"1\"><deeper/><more>t</more></extra><hostnames/><ports/><times srtt=\"1\"/></host>";
        var read = Read(NmapRun(noisy, NmapHost("10.0.0.2")));
        Assert.Equal(["10.0.0.1", "10.0.0.2"], read.Select(Ips)); // the CDATA's text is no address
        Assert.Empty(read[0].Evidence);
    }

    [Fact]
    public void A_host_with_only_host_scripts_gives_their_evidence_without_a_port()
    {
        var host = $"<host>{Up}<address addr=\"10.0.0.5\" addrtype=\"ipv4\"/><hostscript><script id=\"http-title\" output=\"NVR Login\"/></hostscript></host>";
        var read = Assert.Single(Read(NmapRun(host)));
        Assert.Equal(new ObservedEvidence(ObservedSignal.HttpTitle, "NVR Login", "nmap"), Assert.Single(read.Evidence));
    }

    [Fact]
    public void A_self_closing_host_is_a_host_without_an_address_and_refused_with_its_line()
    {
        var e = Assert.Throws<ObservationReadException>(() => Read(NmapRun(NmapHost("10.0.0.1"), "<host/>", NmapHost("10.0.0.2"))));
        Assert.Equal(5, e.Line);
        Assert.Contains("has no <address>", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_host_in_a_wrapper_or_after_runstats_as_the_last_element_is_read_and_what_follows_a_host_is_still_seen()
    {
        var wrapped = Read(NmapRun($"<wrapper><inner>{NmapHost("10.0.0.1")}</inner></wrapper>"));
        Assert.Equal("10.0.0.1", Ips(Assert.Single(wrapped)));

        var last = Read(NmapRun().Replace("</nmaprun>", NmapHost("10.0.0.9") + "</nmaprun>", StringComparison.Ordinal));
        Assert.Equal("10.0.0.9", Ips(Assert.Single(last)));

        // The <finished> right after a host's end tag is read: a failed run is still refused.
        var failed = NmapRun(NmapHost("10.0.0.1")).Replace("\n<runstats>", "<runstats>", StringComparison.Ordinal).Replace("exit=\"success\"", "exit=\"error\"", StringComparison.Ordinal);
        Assert.Contains("exit=\"error\"", Assert.Throws<ObservationReadException>(() => Read(failed)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_host_element_inside_a_host_is_part_of_it_and_the_host_after_both_is_read()
    {
        var nested = $"<host>{Up}<address addr=\"10.0.0.1\" addrtype=\"ipv4\"/><x><host><address addr=\"10.0.0.2\" addrtype=\"ipv4\"/></host></x></host>";
        var read = Read(NmapRun(nested, NmapHost("10.0.0.3")));
        Assert.Equal(["10.0.0.1,10.0.0.2", "10.0.0.3"], read.Select(Ips));
    }

    [Fact]
    public void Namespaced_elements_are_read_by_their_local_names_as_nmap_names_them()
    {
        var host = $"<n:host xmlns:n=\"urn:x\"><n:status state=\"up\"/><n:address addr=\"10.0.0.1\" addrtype=\"ipv4\"/></n:host>";
        Assert.Equal(["10.0.0.1", "10.0.0.2"], Read(NmapRun(host, NmapHost("10.0.0.2"))).Select(Ips));
    }

    [Theory]
    [InlineData("<!DOCTYPE nmaprun [<!ENTITY ip \"10.0.0.7\">]>", "addr=\"&ip;\"")] // an entity the ignored DTD declares
    [InlineData("<!DOCTYPE nmaprun [<!ENTITY a \"x\"><!ENTITY b \"&a;&a;&a;&a;\">]>", "addr=\"&b;\"")] // the start of a billion laughs
    [InlineData("<!DOCTYPE nmaprun SYSTEM \"http://127.0.0.1:9/nmap.dtd\">", "addr=\"&ext;\"")] // an external DTD is never fetched
    public void An_entity_the_dtd_would_declare_is_refused_not_expanded(string doctype, string address)
    {
        var xml = NmapRun(NmapHost("10.0.0.1")).Replace("<!DOCTYPE nmaprun>", doctype, StringComparison.Ordinal).Replace("addr=\"10.0.0.1\"", address, StringComparison.Ordinal);
        var e = Assert.Throws<ObservationReadException>(() => Read(xml));
        Assert.StartsWith("scan.xml:", e.Message, StringComparison.Ordinal);
        Assert.Contains("not well-formed", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_scan_cut_at_any_character_throws_naming_the_file_after_yielding_only_whole_hosts_as_read_whole()
    {
        // Every prefix of a scan with hosts of every shape: a cut never reads as a complete scan, and what is yielded
        // before the error is the hosts before the cut, each as the whole file reads it.
        var whole = NmapRun(
            NmapHost("10.0.0.1", "BC:AD:28:00:00:01", "Hik", NmapPort(80, "http", "Hikvision IP camera httpd", ("http-server-header", "DNVRS-Webs")), hostname: "cam-1"),
            $"<host>{Up}<address addr=\"10.0.0.2\" addrtype=\"ipv4\"/><hostscript><script id=\"http-title\" output=\"T\"/></hostscript></host>",
            "<host><status state=\"down\"/><address addr=\"10.0.0.3\" addrtype=\"ipv4\"/></host>",
            NmapHost("10.0.0.4", ports: NmapPort(554, "rtsp", null, ("rtsp-methods", "OPTIONS"))));
        var complete = Read(whole);
        Assert.Equal(3, complete.Count);
        var end = whole.LastIndexOf("</nmaprun>", StringComparison.Ordinal) + "</nmaprun>".Length;
        for (var length = 0; length < end; length++)
        {
            var yielded = new List<DeviceObservation>();
            var e = Assert.Throws<ObservationReadException>(() => { foreach (var o in NmapXmlReader.Read(Stream(whole[..length]), "scan.xml")) yielded.Add(o); });
            Assert.StartsWith("scan.xml:", e.Message, StringComparison.Ordinal);
            Assert.True(yielded.Count <= complete.Count, $"cut at {length}");
            for (var i = 0; i < yielded.Count; i++)
            {
                Assert.Equal(Ips(complete[i]), Ips(yielded[i]));
                Assert.Equal(complete[i].Evidence, yielded[i].Evidence);
                Assert.Equal(complete[i].Source, yielded[i].Source);
            }
        }
    }

    [Theory]
    [InlineData("starttime", "99999999999999")]
    [InlineData("endtime", "253402300800")]
    public void A_host_time_beyond_any_date_is_an_error_naming_the_file_and_line(string attribute, string seconds)
    {
        var xml = NmapRun(NmapHost("10.0.0.1"), NmapHost("10.0.0.2").Replace($"{attribute}=\"", $"{attribute}=\"{seconds}\" x{attribute}=\"", StringComparison.Ordinal));
        var e = Assert.Throws<ObservationReadException>(() => Read(xml));
        Assert.Equal(5, e.Line);
        Assert.Contains($"{attribute}=\"{seconds}\"", e.Message, StringComparison.Ordinal);

        var root = Assert.Throws<ObservationReadException>(() => Read(NmapRun(NmapHost("10.0.0.1")).Replace("start=\"1764493200\"", $"start=\"{seconds}\"", StringComparison.Ordinal)));
        Assert.Contains($"start=\"{seconds}\"", root.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_ipv6_host_and_a_mapped_ipv4_address_read_as_nmap_wrote_them()
    {
        var read = Read(NmapRun(NmapHost("fd00::5"), NmapHost("::ffff:10.0.0.6")));
        Assert.Equal([IPAddress.Parse("fd00::5"), IPAddress.Parse("10.0.0.6")], read.Select(o => o.IpAddresses[0]));
    }
}
