using System.Text;
using System.Text.Json.Nodes;
using AssetCompliance.Core.Events;

namespace AssetCompliance.Core.Tests;

/// <summary>
/// Bodies that used to make the parser throw (and so fail the whole batch they came in): each is an invalid event
/// with errors at the right paths, or, where it is valid JSON text after all, a valid event.
/// </summary>
public sealed class PoisonBodyTests
{
    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>The valid event with the JSON value at <paramref name="pointer"/> replaced by raw JSON text.</summary>
    private static string WithRaw(string pointer, string rawJson)
    {
        var e = EventParserTests.ValidEvent();
        var parts = pointer.Split('/');
        JsonNode parent = e;
        foreach (var part in parts[..^1]) parent = parent[part]!;
        parent[parts[^1]] = "@@raw@@";
        return e.ToJsonString().Replace("\"@@raw@@\"", rawJson, StringComparison.Ordinal);
    }

    private static AssetEventParseResult AssertInvalid(AssetEventParseResult result, params string[] paths)
    {
        Assert.False(result.IsValid);
        Assert.DoesNotContain(result.Errors, e => e.Message.Contains(AssetEventParser.ParserFailure, StringComparison.Ordinal));
        foreach (var path in paths)
        {
            Assert.True(result.Errors.Any(e => e.Path == path), $"no error at {path}: {string.Join("; ", result.Errors)}");
        }

        return result;
    }

    [Fact]
    public void A_lone_surrogate_escape_in_the_model_is_a_rejection_at_its_path_attributed_to_the_department()
    {
        var result = AssertInvalid(AssetEventParser.Parse(WithRaw("data/model", "\"\\ud800\"")), "$.data.model");

        Assert.Contains("lone UTF-16 surrogate", result.Errors.Single(e => e.Path == "$.data.model").Message, StringComparison.Ordinal);
        Assert.Equal("HO", result.Department);
        Assert.Equal("evt-1", result.EventId);
    }

    [Theory]
    [InlineData("data/manufacturer", "\"\\udc00\"", "$.data.manufacturer")]
    [InlineData("data/serialNumber", "\"ok\\ud800ok\"", "$.data.serialNumber")]
    [InlineData("data/site/name", "\"\\uD83D\"", "$.data.site.name")]
    [InlineData("id", "\"evt\\ud800\"", "$.id")]
    [InlineData("subject", "\"\\ude00\\ud83d\"", "$.subject")]
    [InlineData("comexampleext", "\"\\ud800\"", "$.comexampleext")]
    [InlineData("comexampletags", "[\"a\", \"\\ud800\"]", "$.comexampletags[1]")]
    [InlineData("comexamplenested", "{\"deep\": {\"deeper\": \"\\udbff\"}}", "$.comexamplenested.deep.deeper")]
    [InlineData("data/department", "\"H\\ud800\"", "$.data.department")]
    public void A_lone_surrogate_in_any_string_is_an_error_at_its_path(string pointer, string raw, string path)
    {
        AssertInvalid(AssetEventParser.Parse(WithRaw(pointer, raw)), path);
    }

    [Fact]
    public void A_lone_surrogate_in_a_property_name_is_an_error_naming_it_and_the_other_errors_are_still_reported()
    {
        var body = EventParserTests.ValidEvent().ToJsonString().Replace("\"datacontenttype\"", "\"\\ud800\"", StringComparison.Ordinal)
            .Replace("\"revision\":3", "\"revision\":-4", StringComparison.Ordinal);

        var result = AssertInvalid(AssetEventParser.Parse(body), "$['\\ud800']", "$.data.revision");

        Assert.Equal("HO", result.Department);
    }

    [Theory]
    [InlineData("\"\\ud83d\\ude00 camera\"", "😀 camera")]
    [InlineData("\"\\\\ud800\"", "\\ud800")] // an escaped backslash then the letters: no surrogate at all
    [InlineData("\"\\u00e9t\\u00E9\"", "été")]
    public void Valid_escapes_and_surrogate_pairs_are_read(string raw, string expected)
    {
        var result = AssetEventParser.Parse(WithRaw("data/model", raw));

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        Assert.Equal(expected, result.Event!.Device.Model);
    }

    [Theory]
    [InlineData(new byte[] { 0xFF })]
    [InlineData(new byte[] { 0xC0, 0x80 })] // overlong NUL
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })] // a surrogate encoded as UTF-8 bytes (CESU-8)
    [InlineData(new byte[] { 0xE2, 0x82 })] // truncated sequence
    [InlineData(new byte[] { 0xF4, 0x90, 0x80, 0x80 })] // beyond U+10FFFF
    public void Bytes_that_are_not_utf8_inside_a_string_are_an_error_at_its_path(byte[] bad)
    {
        var text = WithRaw("data/model", "\"@@bad@@\"");
        var at = text.IndexOf("@@bad@@", StringComparison.Ordinal);
        byte[] body = [.. Utf8(text[..at]), .. bad, .. Utf8(text[(at + 7)..])];

        var result = AssertInvalid(AssetEventParser.Parse(body), "$.data.model");

        Assert.Contains("not valid UTF-8", result.Errors.Single(e => e.Path == "$.data.model").Message, StringComparison.Ordinal);
        Assert.Equal("HO", result.Department);
    }

    [Fact]
    public void Bytes_that_are_not_utf8_between_tokens_are_an_error_at_the_root_with_their_offset()
    {
        byte[] body = [.. Utf8("{\"specversion\":\"1.0\","), 0xFF, .. Utf8("\"id\":\"x\"}")];

        var result = AssertInvalid(AssetEventParser.Parse(body), "$");

        Assert.Contains(result.Errors, e => e.Message == "body is not valid UTF-8 at byte offset 21");
    }

    [Fact]
    public void A_leading_byte_order_mark_is_skipped_in_bytes_and_in_text()
    {
        var json = EventParserTests.ValidEvent().ToJsonString();

        Assert.True(AssetEventParser.Parse((byte[])[0xEF, 0xBB, 0xBF, .. Utf8(json)]).IsValid);
        Assert.True(AssetEventParser.Parse("\uFEFF" + json).IsValid);
        // Only one, and only at the start: a second one is not JSON.
        AssertInvalid(AssetEventParser.Parse((byte[])[0xEF, 0xBB, 0xBF, 0xEF, 0xBB, 0xBF, .. Utf8(json)]), "$");
        AssertInvalid(AssetEventParser.Parse((byte[])[(byte)' ', 0xEF, 0xBB, 0xBF, .. Utf8(json)]), "$");
    }

    [Fact]
    public void Text_with_a_lone_surrogate_character_is_invalid_not_silently_repaired()
    {
        var json = WithRaw("data/model", "\"@\"").Replace("\"@\"", "\"\ud800\"", StringComparison.Ordinal);

        AssertInvalid(AssetEventParser.Parse(json), "$");
    }

    [Theory]
    [InlineData("data/model", "$.data.model")]
    [InlineData("data/site/id", "$.data.site.id")]
    [InlineData("id", "$.id")]
    [InlineData("comexampleext", "$.comexampleext")]
    public void A_property_given_twice_is_an_error_at_its_path(string pointer, string path)
    {
        var parts = pointer.Split('/');
        var name = parts[^1];
        var body = WithRaw(pointer, $"\"first\",\"{name}\":\"second\"");

        AssertInvalid(AssetEventParser.Parse(body), path);
    }

    [Fact]
    public void A_property_given_twice_under_an_escaped_name_is_still_a_duplicate()
    {
        var body = WithRaw("data/assetId", "\"HO-CAM-1\",\"\\u0061ssetId\":\"HO-CAM-2\"");

        AssertInvalid(AssetEventParser.Parse(body), "$.data.assetId");
    }

    [Theory]
    [InlineData(14, true)] // the event's root is one level: 15 in all
    [InlineData(15, true)]
    [InlineData(16, false)]
    [InlineData(1000, false)]
    [InlineData(100_000, false)]
    public void Nesting_is_bounded_at_sixteen_levels(int depth, bool valid)
    {
        var nested = new string('[', depth) + new string(']', depth);

        var result = AssetEventParser.Parse(WithRaw("comexampledeep", nested));

        Assert.Equal(valid, result.IsValid);
        if (!valid)
        {
            // The contract's words, at the first value too deep: never the JSON reader's "maximum configured depth".
            var error = Assert.Single(result.Errors, e => e.Message.Contains("deeper than 16 levels", StringComparison.Ordinal));
            Assert.Equal("$.comexampledeep" + string.Concat(Enumerable.Repeat("[0]", 15)), error.Path);
            Assert.DoesNotContain(result.Errors, e => e.Message.Contains("configured depth", StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData("1e400")]
    [InlineData("123456789012345678901234567890")]
    [InlineData("-1e-400")]
    [InlineData("9223372036854775808")]
    public void Huge_numbers_are_errors_where_a_revision_is_expected_and_harmless_elsewhere(string number)
    {
        AssertInvalid(AssetEventParser.Parse(WithRaw("data/revision", number)), "$.data.revision");
        Assert.True(AssetEventParser.Parse(WithRaw("comexamplenumber", number)).IsValid);
    }

    [Theory]
    [InlineData("id", "42", "$.id")]
    [InlineData("time", "1732093200", "$.time")]
    [InlineData("data", "\"HO-CAM-1\"", "$.data")]
    [InlineData("data", "[]", "$.data")]
    [InlineData("data/site", "\"S1\"", "$.data.site")]
    [InlineData("data/site/sensitive", "\"true\"", "$.data.site.sensitive")]
    [InlineData("data/model", "{\"name\": \"x\"}", "$.data.model")]
    [InlineData("data/revision", "\"3\"", "$.data.revision")]
    [InlineData("data/revision", "true", "$.data.revision")]
    [InlineData("specversion", "1.0", "$.specversion")]
    public void Wrong_types_are_errors_at_their_paths(string pointer, string raw, string path)
    {
        AssertInvalid(AssetEventParser.Parse(WithRaw(pointer, raw)), path);
    }

    [Theory]
    [InlineData("\"a string\"")]
    [InlineData("42")]
    [InlineData("null")]
    [InlineData("[{\"specversion\":\"1.0\"}]")]
    [InlineData("{}{}")]
    [InlineData("{\"a\":1}\n{\"a\":2}")]
    [InlineData("\u0000")]
    public void A_body_that_is_not_one_json_object_is_an_error_at_the_root(string body)
    {
        AssertInvalid(AssetEventParser.Parse(body), "$");
    }

    [Fact]
    public void Every_truncation_of_a_valid_event_is_invalid_and_none_throws()
    {
        var body = Utf8(EventParserTests.ValidEvent().ToJsonString());
        for (var length = 0; length < body.Length; length++)
        {
            var result = AssetEventParser.Parse(body.AsMemory(0, length));
            Assert.False(result.IsValid, $"prefix of {length} bytes");
            Assert.NotEmpty(result.Errors);
        }
    }

    [Fact]
    public void Very_long_strings_are_errors_with_short_paths_and_a_bounded_number_of_errors()
    {
        var longName = new string('n', 100_000);
        var e = EventParserTests.ValidEvent();
        e["data"]!["model"] = new string('m', 1_000_000);
        e["id"] = new string('i', 10_000);
        var body = e.ToJsonString().Replace("\"specversion\"", $"\"{longName}\":1,\"{longName}\":2,\"specversion\"", StringComparison.Ordinal);

        var result = AssertInvalid(AssetEventParser.Parse(body), "$.data.model", "$.id");

        Assert.All(result.Errors, error => Assert.True(error.Path.Length < 100, $"a path of {error.Path.Length} characters"));
        Assert.Contains(result.Errors, error => error.Path == "$." + new string('n', 64) + "…");
        Assert.Null(result.EventId); // too long to attribute
    }

    [Fact]
    public void Thousands_of_errors_are_capped_so_that_the_rejection_stays_storable()
    {
        var duplicates = string.Concat(Enumerable.Range(0, 5000).Select(_ => "\"x\":\"\\ud800\",")); // a lone surrogate and a duplicate each
        var body = "{" + duplicates + "\"specversion\":\"1.0\"}";

        var result = AssertInvalid(AssetEventParser.Parse(body));

        Assert.Equal(51, result.Errors.Count);
        Assert.Equal(new ValidationError("$", "more than 50 errors; the rest are not listed"), result.Errors[^1]);
    }
}
