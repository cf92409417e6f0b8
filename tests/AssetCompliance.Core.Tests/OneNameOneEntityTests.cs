using AssetCompliance.Core.Catalogue;
using AssetCompliance.Core.Events;
using AssetCompliance.Core.Policy;

namespace AssetCompliance.Core.Tests;

/// <summary>
/// One legal name maps to one entity: the loader refuses names two vendors share once normalised, and the TP-Link split
/// (TP-LINK Technologies, Shenzhen; TP-Link Systems, Irvine) gives one coherent, fail-closed answer.
/// </summary>
public sealed class OneNameOneEntityTests
{
    private static readonly DeviceIdentifier Identifier = new(VendorCatalogue.Default);
    private static readonly ComplianceEvaluator Evaluator = new(CompliancePolicy.Default);

    private const string ShenzhenMac = "00:0A:EB:12:34:56"; // TP-LINK TECHNOLOGIES CO.,LTD.
    private const string SystemsMac = "00:31:92:12:34:56"; // TP-Link Systems Inc

    private static byte[] Catalogue(string vendors, string distinct = "") => System.Text.Encoding.UTF8.GetBytes($$"""
        { "schemaVersion": 1, "nameNoiseWords": ["co", "ltd", "technologies", "corporation"], "distinctCompanies": [{{distinct}}],
          "sources": { "S": { "title": "t t", "url": "https://x", "date": "2026" } },
          "vendors": [ {{vendors}} ] }
        """);

    private static string Vendor(string key, string legalName, string alias) =>
        $$"""{ "key": "{{key}}", "name": "{{key}}", "legalName": "{{legalName}}", "jurisdiction": "GB", "parent": null, "confidence": "high", "sources": ["S"], "aliases": [ { "name": "{{alias}}", "relationship": "own-brand" } ] }""";

    [Theory]
    [InlineData("TP-LINK Technologies Co., Ltd.", "Alpha", "Beta Corp", "TP-Link")] // a legal name that is another's brand
    [InlineData("Alpha Ltd", "TP Link", "Beta Ltd", "TP-LINK")] // two brands
    [InlineData("Alpha Ltd", "Alpha", "Alpha Co.", "Beta")] // two legal names
    public void A_name_that_normalises_to_two_entities_is_refused_at_load(string legalA, string aliasA, string legalB, string aliasB)
    {
        var json = Catalogue(Vendor("a", legalA, aliasA) + "," + Vendor("b", legalB, aliasB));

        var error = Assert.Throws<InvalidDataException>(() => VendorCatalogue.Load(json, string.Empty));
        Assert.Contains("'a'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'b'", error.Message, StringComparison.Ordinal);
    }

    private static string Child(string key, string legalName, string jurisdiction, string law) =>
        $$"""{ "key": "{{key}}", "name": "{{key}}", "legalName": "{{legalName}}", "jurisdiction": "{{jurisdiction}}", "parent": "p", "confidence": "high", "sources": ["S"]{{law}} }""";

    private const string PrcParent = """{ "key": "p", "name": "p", "legalName": "Parent Co., Ltd.", "jurisdiction": "CN", "parent": null, "confidence": "high", "sources": ["S"], "aliases": [ { "name": "Parent", "relationship": "own-brand" } ] }""";

    [Fact]
    public void A_subsidiary_under_the_same_law_may_share_its_parents_name_key()
    {
        // "Shanghai ZTE Technologies" normalises to ZTE's own brand: either entity gives the same verdict.
        var catalogue = VendorCatalogue.Load(Catalogue(PrcParent + "," + Child("c", "Parent Technologies Co., Ltd.", "CN", "")), string.Empty);

        Assert.Equal(true, new DeviceIdentifier(catalogue).Identify("Parent", null, null).Vendor?.SubjectToNationalIntelligenceLaw);
    }

    [Fact]
    public void A_contested_subsidiary_may_not_share_its_prc_parents_name_key()
    {
        // As "ZKTECO EUROPE" did with ZKTeco's brand: which entity a register reaches would decide PRC or contested.
        const string law = """, "nationalIntelligenceLaw": { "subject": null, "note": "linked to its parent by its name only" }""";
        var json = Catalogue(PrcParent + "," + Child("c", "Parent Ltd", "ES", law));

        var error = Assert.Throws<InvalidDataException>(() => VendorCatalogue.Load(json, string.Empty));
        Assert.Contains("'c'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_vendor_name_listed_as_a_distinct_company_is_refused_at_load()
    {
        var json = Catalogue(Vendor("a", "Alpha Ltd", "Alpha"), "\"Alpha\"");

        var error = Assert.Throws<InvalidDataException>(() => VendorCatalogue.Load(json, string.Empty));
        Assert.Contains("distinctCompanies", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_legal_name_and_a_brand_of_one_entity_may_normalise_alike()
    {
        var catalogue = VendorCatalogue.Load(Catalogue(Vendor("a", "TP-LINK Technologies Co., Ltd.", "TP-Link")), string.Empty);

        Assert.Equal("a", new DeviceIdentifier(catalogue).Identify("TP-Link", null, null).Vendor?.Key);
    }

    /// <summary>register name, model, MAC → the entity, and a genuine TP-Link device is never a suspected relabel.</summary>
    [Theory]
    [InlineData("TP-Link", "Tapo C200", ShenzhenMac, "tp-link-cn")]
    [InlineData("TP-Link", null, ShenzhenMac, "tp-link-cn")]
    [InlineData("TP-Link", null, SystemsMac, "tp-link")]
    [InlineData("TP-Link", "VIGI C540", SystemsMac, "tp-link")]
    [InlineData("TP-Link", "VIGI C540", null, "tp-link")]
    [InlineData("Tapo", null, ShenzhenMac, "tp-link-cn")]
    [InlineData("VIGI", null, SystemsMac, "tp-link")]
    [InlineData("TP-LINK TECHNOLOGIES CO.,LTD.", null, ShenzhenMac, "tp-link-cn")]
    [InlineData("TP-Link Systems Inc", null, SystemsMac, "tp-link")]
    [InlineData("TP-Link Systems Inc", null, ShenzhenMac, "tp-link-cn")]
    [InlineData("TP-Link Corporation", null, SystemsMac, "tp-link")]
    [InlineData("TP-Link", null, null, "tp-link-cn")]
    public void A_genuine_tp_link_device_is_one_group_and_never_a_relabel(string manufacturer, string? model, string? mac, string vendor)
    {
        var result = Identifier.Identify(manufacturer, model, mac);

        Assert.Equal(vendor, result.Vendor?.Key);
        Assert.False(result.RelabelSuspected, $"{manufacturer}/{model}/{mac} flagged as a relabel");
    }

    [Fact]
    public void Every_registry_name_of_tp_link_is_one_entity()
    {
        var byOrganisation = VendorCatalogue.Default.Registry.Assignments
            .Where(a => a.Organisation.StartsWith("TP-LINK", StringComparison.OrdinalIgnoreCase))
            .GroupBy(a => a.Organisation, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(a => a.Vendor?.Key ?? "(none)").Distinct().ToArray(), StringComparer.Ordinal);

        Assert.NotEmpty(byOrganisation);
        Assert.All(byOrganisation, pair => Assert.Single(pair.Value));
        Assert.Equal(["tp-link-cn"], byOrganisation["TP-LINK TECHNOLOGIES CO.,LTD."]);
        Assert.Equal(["tp-link"], byOrganisation["TP-Link Systems Inc"]);
    }

    [Theory]
    [InlineData("TP-Link", null, null)]
    [InlineData("TP-Link", null, ShenzhenMac)]
    [InlineData("TP-Link", null, SystemsMac)]
    [InlineData("TP-Link", "VIGI C540", null)]
    [InlineData("Tapo", "Tapo C200", SystemsMac)]
    [InlineData("TP-Link Systems Inc", null, null)]
    public void No_tp_link_answer_clears_a_camera_at_an_exposed_site(string manufacturer, string? model, string? mac)
    {
        foreach (var (sensitive, segment) in new (bool? Sensitive, NetworkSegment? Segment)[] { (true, NetworkSegment.Segregated), (false, NetworkSegment.Core), (null, NetworkSegment.Segregated), (false, null) })
        {
            var device = new RegisteredDevice
            {
                AssetId = "A1", Department = "HO", Revision = 1, Manufacturer = manufacturer, Model = model, MacAddress = mac,
                DeviceType = DeviceType.Camera, Site = new Site("S1", null, sensitive), NetworkSegment = segment,
            };

            var result = Evaluator.Evaluate(AssetEventKind.Upserted, device, Identifier.Identify(manufacturer, model, mac));

            Assert.True(result.Status is ComplianceStatus.NonCompliant or ComplianceStatus.NeedsReview,
                $"{manufacturer}/{model}/{mac} at sensitive={sensitive}, segment={segment}: {result.Status}");
        }
    }

    [Fact]
    public void The_decision_is_written_in_the_vendors_notes()
    {
        var cn = VendorCatalogue.Default.Vendors["tp-link-cn"];
        var systems = VendorCatalogue.Default.Vendors["tp-link"];

        Assert.True(cn.SubjectToNationalIntelligenceLaw);
        Assert.Null(systems.SubjectToNationalIntelligenceLaw);
        Assert.Equal(cn, systems.Parent);
        Assert.Contains("fail closed", cn.Note, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("not a verified shareholding", systems.Note, StringComparison.Ordinal);
    }
}
