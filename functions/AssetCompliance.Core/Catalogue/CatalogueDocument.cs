using System.Text.Json.Serialization;

namespace AssetCompliance.Core.Catalogue;

// The JSON shape of catalogue/vendors.json. Kept separate from the domain types so that the file can grow fields
// for analysts (notes, confidence) without changing how the pipeline reasons.
internal sealed class CatalogueDocument
{
    public int SchemaVersion { get; set; }
    public List<VendorDocument> Vendors { get; set; } = [];
    public Dictionary<string, SourceDocument> Sources { get; set; } = [];
    public List<string> NameNoiseWords { get; set; } = [];
    public List<string> DistinctCompanies { get; set; } = [];
}

internal sealed class VendorDocument
{
    public string Key { get; set; } = "";
    public string Name { get; set; } = "";
    public string LegalName { get; set; } = "";
    public string Jurisdiction { get; set; } = "";
    public string? Parent { get; set; }
    public string Confidence { get; set; } = "";
    public string? Note { get; set; }
    public List<AliasDocument> Aliases { get; set; } = [];
    public List<FormerParentDocument> FormerParents { get; set; } = [];
    public NationalIntelligenceLawDocument? NationalIntelligenceLaw { get; set; }
    public List<string> ModelPatterns { get; set; } = [];
    public List<ModelFamilyDocument> ModelFamilies { get; set; } = [];
    public List<string> OuiOrganisations { get; set; } = [];
    public List<string> OuiOrganisationSources { get; set; } = [];
    public List<ListingDocument> Listings { get; set; } = [];
    public List<string> Sources { get; set; } = [];
}

internal sealed class AliasDocument
{
    public string Name { get; set; } = "";
    public string Relationship { get; set; } = "";
    public DateOnly? Until { get; set; }
    public List<string> Sources { get; set; } = [];
}

internal sealed class ModelFamilyDocument
{
    public string Family { get; set; } = "";
    public string Pattern { get; set; } = "";
    public List<string> Examples { get; set; } = [];
    public List<string> Sources { get; set; } = [];
}

internal sealed class FormerParentDocument
{
    public string Vendor { get; set; } = "";
    public DateOnly Until { get; set; }
    public string? Note { get; set; }
}

internal sealed class NationalIntelligenceLawDocument
{
    [JsonPropertyName("subject")]
    public bool? Subject { get; set; }

    public string Note { get; set; } = "";
}

internal sealed class ListingDocument
{
    public string List { get; set; } = "";
    public DateOnly Since { get; set; }
    public string Source { get; set; } = "";
}

internal sealed class SourceDocument
{
    public string Title { get; set; } = "";
    public string Url { get; set; } = "";
    public string Date { get; set; } = "";
}

// Source-generated: the reflection serializer spent about 100 ms of every process start building its metadata for
// these types, which is most of what a one-shot `compliance check` or a cold function instance waits for.
[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true, ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip)]
[JsonSerializable(typeof(CatalogueDocument))]
internal sealed partial class CatalogueJsonContext : JsonSerializerContext;
