using System.Text;
using AssetCompliance.Core.Catalogue;
using AssetCompliance.Core.Events;
using AssetCompliance.Core.Observations;
using AssetCompliance.Core.Policy;

namespace AssetCompliance.Core.Tests;

/// <summary>Builders shared by the observation tests: a reconciler on the built-in catalogues, nmap XML hosts, streams.</summary>
internal static class ObservationTestData
{
    public static readonly Lazy<Reconciler> Reconciling = new(() =>
        new Reconciler(new DeviceIdentifier(VendorCatalogue.Default), new ComplianceEvaluator(CompliancePolicy.Default), FingerprintCatalogue.Default));

    public static MemoryStream Stream(string text) => new(Encoding.UTF8.GetBytes(text));

    public static string PathOf(params string[] parts) => Path.Combine([AppContext.BaseDirectory, .. parts]);

    /// <summary>A whole nmap run around <paramref name="hosts"/>, with the closing runstats nmap always writes.</summary>
    public static string NmapRun(params string[] hosts) =>
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE nmaprun>\n<nmaprun scanner=\"nmap\" start=\"1764493200\" version=\"7.93\" xmloutputversion=\"1.05\">\n" +
        string.Join("\n", hosts) +
        "\n<runstats><finished time=\"1764493240\" elapsed=\"40.00\" exit=\"success\"/><hosts up=\"1\" down=\"0\" total=\"1\"/></runstats>\n</nmaprun>\n";

    /// <summary>One host that is up, with an IPv4 address, optionally a MAC, and port elements.</summary>
    public static string NmapHost(string ip, string? mac = null, string? macVendor = null, string ports = "", string? hostname = null) =>
        $"<host starttime=\"1764493201\" endtime=\"1764493230\"><status state=\"up\" reason=\"arp-response\"/>" +
        $"<address addr=\"{ip}\" addrtype=\"{(ip.Contains(':') ? "ipv6" : "ipv4")}\"/>" +
        (mac is null ? "" : $"<address addr=\"{mac}\" addrtype=\"mac\"{(macVendor is null ? "" : $" vendor=\"{macVendor}\"")}/>") +
        $"<hostnames>{(hostname is null ? "" : $"<hostname name=\"{hostname}\" type=\"PTR\"/>")}</hostnames><ports>{ports}</ports></host>";

    /// <summary>An open TCP port with a service and scripts (id, output).</summary>
    public static string NmapPort(int port, string service, string? product = null, params (string Id, string Output)[] scripts) =>
        $"<port protocol=\"tcp\" portid=\"{port}\"><state state=\"open\" reason=\"syn-ack\"/><service name=\"{service}\"{(product is null ? "" : $" product=\"{product}\"")} method=\"probed\" conf=\"10\"/>" +
        string.Concat(scripts.Select(s => $"<script id=\"{s.Id}\" output=\"{System.Security.SecurityElement.Escape(s.Output).Replace("\n", "&#xa;", StringComparison.Ordinal)}\"/>")) + "</port>";

    public static RegisterEntry Entry(string assetId, string? manufacturer, string? mac = null, string? serial = null, DeviceType type = DeviceType.Camera,
        bool? sensitive = false, NetworkSegment? segment = NetworkSegment.Segregated, string? model = null, int line = 2) =>
        new(new RegisteredDevice
        {
            AssetId = assetId,
            Department = "HO",
            Revision = 1,
            Manufacturer = manufacturer,
            Model = model,
            SerialNumber = serial,
            MacAddress = mac,
            DeviceType = type,
            Site = new Site("HO-2MS", "2 Marsham Street", sensitive),
            NetworkSegment = segment,
            InstalledOn = new DateOnly(2021, 1, 1),
        }, line);

    public static NetworkMap Networks(string json) => NetworkMap.Load(Stream(json), "networks.json");

    public const string HoNetworks = """
        { "schemaVersion": 1, "department": "HO", "networks": [
          { "cidr": "10.20.0.0/16", "segment": "core", "site": "HO-2MS" },
          { "cidr": "10.20.50.0/24", "segment": "segregated", "site": "HO-2MS" },
          { "cidr": "192.168.70.0/24", "segment": "standalone" },
          { "cidr": "2001:db8:20::/48", "segment": "core" } ] }
        """;
}
