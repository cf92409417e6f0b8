using System.Text.Json;
using AssetCompliance.Core.Catalogue;
using AssetCompliance.Core.Events;
using Json.Schema;

namespace AssetCompliance.Core.Tests;

/// <summary>The data files analysts edit and the public contract's examples must match their schemas.</summary>
public sealed class SchemaTests
{
    // JsonSchema.Net registers schemas globally by $id, so each file is built once per test run.
    // GetOrAdd may run its factory twice when tests race, and a second build of the same $id throws: a Lazy runs once.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<JsonSchema>> Schemas = new();

    private static string PathOf(params string[] parts) => Path.Combine([AppContext.BaseDirectory, .. parts]);

    private static JsonSchema Schema(string file) => Schemas.GetOrAdd(file, f => new Lazy<JsonSchema>(() => JsonSchema.FromText(File.ReadAllText(f)))).Value;

    /// <summary>
    /// Whether a body is valid under the event schema (format validation on; a BOM skipped as the parser does), or null
    /// when the validator cannot say: JsonSchema.Net throws on a lone surrogate string and on year 0000.
    /// </summary>
    internal static bool? ValidUnderEventSchema(ReadOnlyMemory<byte> body)
    {
        var schema = Schema(PathOf("schemas", "asset-event.v1.schema.json"));
        try
        {
            using var document = JsonDocument.Parse(AssetEventParser.WithoutByteOrderMark(body));
            return schema.Evaluate(document.RootElement, new EvaluationOptions { RequireFormatValidation = true }).IsValid;
        }
        catch (JsonException)
        {
            return false;
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentOutOfRangeException)
        {
            return null;
        }
    }

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
    public void The_registrants_list_matches_its_schema() =>
        AssertValid(PathOf("catalogue", "registrants.schema.json"), PathOf("catalogue", "registrants.json"));

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
    [InlineData("upserted-camera-unread-fields.json")]
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

    /// <summary>
    /// Cases at the edges of the contract, each checked against the parser and the schema with the verdict each must
    /// give. Where they differ, the parser is the stricter (a schema cannot compare fields or check the calendar);
    /// the parser is never the looser.
    /// </summary>
    public static TheoryData<string, string, string, bool, bool?> ContractEdges() => new()
    {
        // name, JSON pointer into the valid event, raw JSON value ("-" removes the property), parser verdict, schema
        // verdict (null: JsonSchema.Net throws on the value, so only the parser can refuse it)
        { "valid", "", "", true, true },
        { "time without seconds", "time", "\"2026-11-20T09:00Z\"", false, false },
        { "time without offset", "time", "\"2026-11-20T09:00:00\"", false, false },
        { "time with space", "time", "\"2026-11-20 09:00:00Z\"", false, false },
        { "time lower case", "time", "\"2026-11-20t09:00:00z\"", true, true },
        { "time with fraction", "time", "\"2026-11-20T09:00:00.123456789+01:00\"", true, true },
        { "time offset +0100", "time", "\"2026-11-20T09:00:00+0100\"", false, false },
        { "time offset +23:59", "time", "\"2026-11-20T09:00:00+23:59\"", true, true },
        { "time February 30", "time", "\"2026-02-30T09:00:00Z\"", false, false },
        { "time leap second", "time", "\"2016-12-31T23:59:60Z\"", true, true },
        { "time year 0", "time", "\"0000-01-01T00:00:00Z\"", false, null },
        { "content type", "datacontenttype", "\"application/json; charset=utf-8\"", true, true },
        { "content type upper case", "datacontenttype", "\"APPLICATION/JSON\"", true, true },
        { "content type prefix", "datacontenttype", "\"application/jsonx\"", false, false },
        { "content type latin1", "datacontenttype", "\"application/json; charset=latin1\"", false, false },
        { "content type dotless i", "datacontenttype", "\"applıcation/json\"", false, false },
        { "content type null", "datacontenttype", "null", true, true },
        { "subject null", "subject", "null", true, true },
        { "data_base64", "data_base64", "\"e30=\"", false, false },
        { "revision max", "data/revision", "9007199254740991", true, true },
        { "revision max + 1", "data/revision", "9007199254740992", false, false },
        { "revision long max", "data/revision", "9223372036854775807", false, false },
        { "revision 1.0", "data/revision", "1.0", false, true },
        { "revision -1", "data/revision", "-1", false, false },
        { "device type upper case", "data/deviceType", "\"Camera\"", false, false },
        { "segment upper case", "data/networkSegment", "\"CORE\"", false, false },
        { "segment null", "data/networkSegment", "null", true, true },
        { "MAC in HPE notation stays outside the contract", "data/macAddress", "\"bcad-284f-1102\"", false, false },
        { "lone surrogate", "data/model", "\"\\ud800\"", false, null },
        { "empty content type", "datacontenttype", "\"\"", false, false },
        { "empty subject", "subject", "\"\"", false, false },
        { "empty segment", "data/networkSegment", "\"\"", false, false },
        { "empty device type", "data/deviceType", "\"\"", false, false },
        { "empty installedOn", "data/installedOn", "\"\"", false, false },
        { "blank manufacturer", "data/manufacturer", "\"  \"", true, true },
        { "model too long", "data/model", "\"" + new string('m', 257) + "\"", false, false },
        { "asset id with slash", "data/assetId", "\"HO/1\"", false, false },
        // Length is the value as sent, white space and all (the schema's maxLength), then the text is trimmed.
        { "model of 300 spaces then X", "data/model", "\"" + new string(' ', 300) + "X\"", false, false },
        { "model of 300 spaces", "data/model", "\"" + new string(' ', 300) + "\"", false, false },
        { "model of 256 spaces", "data/model", "\"" + new string(' ', 256) + "\"", true, true },
        { "model padded to 256", "data/model", "\"  " + new string('m', 252) + "  \"", true, true },
        { "model padded to 257", "data/model", "\" " + new string('m', 256) + "\"", false, false },
        { "manufacturer padded past 256 with tabs", "data/manufacturer", "\"Hikvision" + string.Concat(Enumerable.Repeat("\\t", 250)) + "\"", false, false },
        { "serial number of no-break spaces", "data/serialNumber", "\"" + string.Concat(Enumerable.Repeat("\\u00a0", 257)) + "\"", false, false },
        { "site name of 300 spaces", "data/site/name", "\"" + new string(' ', 300) + "\"", false, false },
        { "site name of line breaks", "data/site/name", "\"\\r\\n\\t \"", true, true },
        { "MAC padded", "data/macAddress", "\" BC:AD:28:00:00:01\\t\"", true, true },
        { "MAC padded past 256", "data/macAddress", "\"" + new string(' ', 300) + "BC:AD:28:00:00:01\"", false, false },
        { "MAC of 300 spaces", "data/macAddress", "\"" + new string(' ', 300) + "\"", false, false },
        { "MAC between no-break spaces", "data/macAddress", "\"\\u00a0BC:AD:28:00:00:01\\u00a0\"", false, false },
        { "MAC of a no-break space alone", "data/macAddress", "\"\\u00a0\"", false, false },
        { "MAC of ASCII white space alone", "data/macAddress", "\" \\t\\r\\n\"", true, true },
        { "MAC with a byte-order mark", "data/macAddress", "\"\\ufeffBC:AD:28:00:00:01\"", false, false },
        { "MAC after a next-line control", "data/macAddress", "\"\\u0085BC:AD:28:00:00:01\"", false, false },
        // Identifiers are never trimmed: white space at either end is refused, as the schema's pattern says.
        { "site id padded", "data/site/id", "\" S1\"", false, false },
        { "site id with a trailing no-break space", "data/site/id", "\"S1\\u00a0\"", false, false },
        { "site id with an ideographic space", "data/site/id", "\"\\u3000S1\"", false, false },
        { "site id with a byte-order mark", "data/site/id", "\"\\ufeffS1\"", false, false },
        { "site id with a line separator", "data/site/id", "\"S1\\u2028\"", false, false },
        { "site id with inner space", "data/site/id", "\"Site 1\"", true, true },
        { "site id '..'", "data/site/id", "\"..\"", false, false },
        { "site id '.'", "data/site/id", "\".\"", false, false },
        { "site id '...'", "data/site/id", "\"...\"", true, true },
        { "site id '%2E%2E'", "data/site/id", "\"%2E%2E\"", true, true },
        { "site id of 65 characters", "data/site/id", "\"" + new string('s', 65) + "\"", false, false },
        // A site without an id is kept when the register states its name or sensitivity (or lists one as unread).
        { "site without id, name and sensitivity stated", "data/site/id", "-", true, true },
        { "site id null, name and sensitivity stated", "data/site/id", "null", true, true },
        { "site without id, sensitivity only", "data/site/id && data/site/name", "- && -", true, true },
        { "site without id, not sensitive only", "data/site/id && data/site/name && data/site/sensitive", "- && - && false", true, true },
        { "site without id, name only", "data/site/id && data/site/sensitive", "- && -", true, true },
        { "site without id, blank name only", "data/site/id && data/site/sensitive && data/site/name", "- && - && \" \\t\\u3000\"", false, false },
        { "site without id, nothing stated", "data/site/id && data/site/sensitive && data/site/name", "- && - && -", false, false },
        { "site without id, sensitivity null", "data/site/id && data/site/sensitive && data/site/name", "- && null && null", false, false },
        { "site without id, sensitivity unread", "data/site/id && data/site/sensitive && data/site/name && data/unreadFields", "- && - && - && [\"site.sensitive\"]", true, true },
        { "site without id, name unread", "data/site/id && data/site/sensitive && data/site/name && data/unreadFields", "- && - && - && [\"site.name\"]", true, true },
        { "site without id, other field unread", "data/site/id && data/site/sensitive && data/site/name && data/installedOn && data/unreadFields", "- && - && - && - && [\"installedOn\"]", false, false },
        { "site id empty", "data/site/id", "\"\"", false, false },
        { "department padded", "data/department", "\"HO \"", false, false },
        { "device type padded", "data/deviceType", "\" camera\"", false, false },
        { "segment padded", "data/networkSegment", "\"core \"", false, false },
        { "installedOn padded", "data/installedOn", "\" 2021-01-02\"", false, false },
        { "time padded", "time", "\"2026-11-20T09:00:00Z \"", false, false },
        { "type padded", "type", "\"asset.device.upserted \"", false, false },
        { "specversion padded", "specversion", "\" 1.0\"", false, false },
        { "content type padded", "datacontenttype", "\" application/json\"", false, false },
        { "id of spaces", "id", "\"   \"", true, true },
        { "id of 129 characters", "id", "\"" + new string('i', 129) + "\"", false, false },
        { "no data", "data", "-", false, false },
        { "removal with null site", "", "", true, true },
        // data.unreadFields: a closed list of field paths, each once, each without a value of its own. Several
        // assignments are joined by " && " (pointer and raw alike); "-" removes the property.
        { "unread sensitivity", "data/site/sensitive && data/unreadFields", "- && [\"site.sensitive\"]", true, true },
        { "unread sensitivity given as null", "data/site/sensitive && data/unreadFields", "null && [\"site.sensitive\"]", true, true },
        { "unread sensitivity with a value", "data/unreadFields", "[\"site.sensitive\"]", false, false },
        { "unread segment and MAC", "data/networkSegment && data/macAddress && data/unreadFields", "- && - && [\"networkSegment\", \"macAddress\"]", true, true },
        { "unread MAC with a value", "data/unreadFields", "[\"macAddress\"]", false, false },
        { "unread model given as blank", "data/model && data/unreadFields", "\"\" && [\"model\"]", false, false },
        { "unread site name", "data/site/name && data/unreadFields", "- && [\"site.name\"]", true, true },
        { "unread every field", "data/manufacturer && data/model && data/serialNumber && data/macAddress && data/site/name && data/site/sensitive && data/networkSegment && data/installedOn && data/unreadFields",
            "- && - && - && - && - && - && - && - && [\"manufacturer\", \"model\", \"serialNumber\", \"macAddress\", \"site.name\", \"site.sensitive\", \"networkSegment\", \"installedOn\"]", true, true },
        { "unread device type of an upsert", "data/deviceType && data/unreadFields", "- && [\"deviceType\"]", false, false },
        { "unread fields empty", "data/unreadFields", "[]", true, true },
        { "unread fields null", "data/unreadFields", "null", true, true },
        { "unread field unknown", "data/unreadFields", "[\"colour\"]", false, false },
        { "unread field in CSV spelling", "data/networkSegment && data/unreadFields", "- && [\"network_segment\"]", false, false },
        { "unread field in another case", "data/networkSegment && data/unreadFields", "- && [\"NetworkSegment\"]", false, false },
        { "unread field an identifier", "data/unreadFields", "[\"assetId\"]", false, false },
        { "unread field the site", "data/unreadFields", "[\"site\"]", false, false },
        { "unread device type of a removal", "type && data/deviceType && data/unreadFields", "\"asset.device.removed\" && - && [\"deviceType\"]", true, true },
        { "unread field twice", "data/installedOn && data/unreadFields", "- && [\"installedOn\", \"installedOn\"]", false, false },
        { "unread field twice, once escaped", "data/installedOn && data/unreadFields", "- && [\"installedOn\", \"\\u0069nstalledOn\"]", false, false },
        { "unread fields a string", "data/networkSegment && data/unreadFields", "- && \"networkSegment\"", false, false },
        { "unread fields an object", "data/unreadFields", "{}", false, false },
        { "unread field a number", "data/unreadFields", "[1]", false, false },
        { "unread field null", "data/unreadFields", "[null]", false, false },
    };

    [Theory]
    [MemberData(nameof(ContractEdges))]
    public void The_parser_is_never_looser_than_the_schema_at_the_contract_edges(string name, string pointer, string raw, bool parserValid, bool? schemaValid)
    {
        var e = EventParserTests.ValidEvent();
        if (name == "removal with null site")
        {
            e["type"] = "asset.device.removed";
            e["data"]!["site"] = null;
            e["data"]!["deviceType"] = null;
        }

        var pointers = pointer.Length == 0 ? [] : pointer.Split(" && ");
        var raws = pointers.Length > 1 ? raw.Split(" && ") : [raw];
        for (var i = 0; i < pointers.Length; i++)
        {
            var parts = pointers[i].Split('/');
            var parent = parts[..^1].Aggregate(e, (node, part) => node[part]!.AsObject());
            if (raws[i] == "-") parent.Remove(parts[^1]); else parent[parts[^1]] = $"@@raw{i}@@";
        }

        var json = e.ToJsonString();

        for (var i = 0; i < pointers.Length; i++)
        {
            json = json.Replace($"\"@@raw{i}@@\"", raws[i], StringComparison.Ordinal);
        }

        var body = System.Text.Encoding.UTF8.GetBytes(json);

        var parsed = AssetEventParser.Parse(body);
        Assert.True(parserValid == parsed.IsValid, $"{name}: parser says {parsed.IsValid} ({string.Join("; ", parsed.Errors)})");
        var schema = ValidUnderEventSchema(body);
        Assert.True(schemaValid == schema, $"{name}: the schema says {schema?.ToString() ?? "nothing (the validator throws)"}");
        Assert.False(parsed.IsValid && schema != true, $"{name}: the parser is looser than the schema");
    }

    private static string ReadEmbeddedOui()
    {
        using var stream = typeof(VendorCatalogue).Assembly.GetManifestResourceStream("AssetCompliance.catalogue.oui.tsv")!;
        return new StreamReader(stream).ReadToEnd();
    }

    [Fact]
    public void The_sample_register_mapping_matches_its_schema_and_the_schema_lists_what_the_code_accepts()
    {
        var path = PathOf("samples", "registers", "defender-mapping.json");
        var schema = Schema(PathOf("schemas", "register-mapping.schema.json"));
        using var sample = JsonDocument.Parse(File.ReadAllText(path));
        Assert.True(schema.Evaluate(sample.RootElement).IsValid);
        Assert.NotNull(AssetCompliance.Core.Registers.RegisterMapping.Parse(File.ReadAllText(path), "defender-mapping.json", out var errors));
        Assert.Empty(errors);

        using var schemaText = JsonDocument.Parse(File.ReadAllText(PathOf("schemas", "register-mapping.schema.json")));
        var properties = schemaText.RootElement.GetProperty("properties");
        Assert.Equal(AssetCompliance.Core.Registers.RegisterProfiles.Names, properties.GetProperty("profile").GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(AssetCompliance.Core.Registers.RegisterMapping.Fields, properties.GetProperty("columns").GetProperty("additionalProperties").GetProperty("enum").EnumerateArray().Select(e => e.GetString()));

        using var bad = JsonDocument.Parse("""{ "profile": "jira", "columns": { "Tags": "sensitivity" }, "departement": "HO" }""");
        Assert.False(schema.Evaluate(bad.RootElement).IsValid);
    }
}
