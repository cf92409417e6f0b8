using System.Text.Json;
using AssetCompliance.Core.Catalogue;
using AssetCompliance.Core.Events;
using Json.Schema;

namespace AssetCompliance.Core.Tests;

/// <summary>The data files analysts edit and the public contract's examples must match their schemas.</summary>
public sealed class SchemaTests
{
    // JsonSchema.Net registers schemas globally by $id, so each file is built once per test run.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, JsonSchema> Schemas = new();

    private static string PathOf(params string[] parts) => Path.Combine([AppContext.BaseDirectory, .. parts]);

    private static JsonSchema Schema(string file) => Schemas.GetOrAdd(file, f => JsonSchema.FromText(File.ReadAllText(f)));

    private static void AssertValid(string schemaFile, string documentFile)
    {
        var schema = Schema(schemaFile);
        using var document = JsonDocument.Parse(File.ReadAllText(documentFile));
        var result = schema.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true });
        var errors = (result.Details ?? []).Where(d => d.Errors is not null)
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"));
        Assert.True(result.IsValid, $"{Path.GetFileName(documentFile)} is not valid under {Path.GetFileName(schemaFile)}:\n{string.Join("\n", errors)}");
    }

    [Fact]
    public void The_vendor_catalogue_matches_its_schema() =>
        AssertValid(PathOf("catalogue", "vendors.schema.json"), PathOf("catalogue", "vendors.json"));

    [Fact]
    public void The_policy_matches_its_schema() =>
        AssertValid(PathOf("catalogue", "policy.schema.json"), PathOf("catalogue", "policy.json"));

    [Fact]
    public void The_embedded_catalogue_is_the_file_in_the_repository()
    {
        var fromFile = VendorCatalogue.Load(File.ReadAllBytes(PathOf("catalogue", "vendors.json")), ReadEmbeddedOui());
        Assert.Equal(VendorCatalogue.Default.Version, fromFile.Version);
    }

    [Fact]
    public void Every_catalogue_vendor_cites_sources_and_covers_the_required_vendors()
    {
        var catalogue = VendorCatalogue.Default;
        foreach (var vendor in catalogue.Vendors.Values)
        {
            Assert.NotEmpty(vendor.Sources);
        }

        string[] required =
        [
            "hikvision", "ezviz", "dahua", "huacheng", "uniview", "tiandy", "huawei", "zte", "hytera", "kedacom", "sunell",
            "milesight", "tvt", "raysharp", "xiongmai", "axis", "hanwha", "bosch", "avigilon", "mobotix", "vivotek", "verkada",
            "i-pro", "sony", "canon", "milestone", "genetec", "honeywell", "lorex", "swann", "amcrest", "reolink", "tp-link",
        ];
        var missing = required.Except(catalogue.Vendors.Keys).ToArray();
        Assert.True(missing.Length == 0, $"missing vendors: {string.Join(", ", missing)}");
    }

    [Theory]
    [InlineData("upserted-camera.json")]
    [InlineData("removed-camera.json")]
    public void Contract_examples_are_valid_under_the_schema_and_the_parser(string example)
    {
        var path = PathOf("examples", example);
        AssertValid(PathOf("schemas", "asset-event.v1.schema.json"), path);
        var parsed = AssetEventParser.Parse(File.ReadAllBytes(path));
        Assert.True(parsed.IsValid, string.Join("; ", parsed.Errors));
    }

    [Fact]
    public void The_schema_and_the_parser_agree_on_every_sample_line()
    {
        var schema = Schema(PathOf("schemas", "asset-event.v1.schema.json"));
        var lines = File.ReadAllLines(PathOf("samples", "asset-events.jsonl")).Where(l => l.Length > 0).ToArray();
        Assert.True(lines.Length > 10);
        foreach (var line in lines)
        {
            bool schemaValid;
            try
            {
                using var document = JsonDocument.Parse(line);
                schemaValid = schema.Evaluate(document.RootElement, new EvaluationOptions { RequireFormatValidation = true }).IsValid;
            }
            catch (JsonException)
            {
                schemaValid = false;
            }

            // The parser is stricter than a schema can be (source and subject must match data), never looser.
            if (AssetEventParser.Parse(line).IsValid)
            {
                Assert.True(schemaValid, $"parser accepts but schema rejects: {line}");
            }
        }
    }

    private static string ReadEmbeddedOui()
    {
        using var stream = typeof(VendorCatalogue).Assembly.GetManifestResourceStream("AssetCompliance.catalogue.oui.tsv")!;
        return new StreamReader(stream).ReadToEnd();
    }
}
