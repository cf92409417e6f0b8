using System.Text;
using AssetCompliance.Core.Events;

namespace AssetCompliance.Core.Tests;

/// <summary>
/// Which department sees a rejection: the one the body claims beyond doubt, else none (unattributed). Every doubt
/// must resolve to none, since a department reads its rejections' bodies.
/// </summary>
public sealed class DepartmentClaimTests
{
    private static string Event(string department, string? source = null, string extra = "") =>
        $"{{\"id\":\"e\",\"source\":\"{source ?? $"/departments/{department}/asset-register"}\",\"data\":{{\"assetId\":\"A\",\"department\":\"{department}\"{extra}}}}}";

    public static TheoryData<string, string, string?> Complete() => new()
    {
        // name, body, department it is shown to
        { "one event", Event("HO"), "HO" },
        { "the finding: an array of HO events", $"[{Event("HO")},{Event("HO")},{Event("HO")}]", "HO" },
        { "an array of one event", $"[{Event("MOJ")}]", "MOJ" },
        { "an array of two departments", $"[{Event("HO")},{Event("MOJ")}]", null },
        { "an array with an event that claims nothing", $"[{Event("HO")},{{\"data\":{{\"assetId\":\"B\"}}}}]", null },
        { "an array with a number in it", $"[{Event("HO")},42]", null },
        { "an array with an array in it", $"[{Event("HO")},[{Event("HO")}]]", null },
        { "an empty array", "[]", null },
        { "only data.department", "{\"data\":{\"department\":\"HO\"},\"bad\":1}", "HO" },
        { "only a source", "{\"source\":\"/departments/HO/asset-register\",\"data\":\"x\"}", "HO" },
        { "a source of another form is no claim", Event("HO", source: "urn:register:MOJ"), "HO" },
        { "source and data disagree", Event("HO", source: "/departments/MOJ/asset-register"), null },
        { "department given twice, differently", "{\"data\":{\"department\":\"HO\",\"department\":\"MOJ\"}}", null },
        { "department given twice, alike", "{\"data\":{\"department\":\"HO\",\"department\":\"HO\"}}", "HO" },
        { "data given twice, differently", "{\"data\":{\"department\":\"HO\"},\"data\":{\"department\":\"MOJ\"}}", null },
        { "a department inside an extension is no claim", "{\"ext\":{\"data\":{\"department\":\"MOJ\"}},\"data\":{\"department\":\"HO\"}}", "HO" },
        { "a department deeper in data is no claim", "{\"data\":{\"site\":{\"department\":\"MOJ\"},\"department\":\"HO\"}}", "HO" },
        { "an extension's department alone", "{\"ext\":{\"department\":\"HO\"}}", null },
        { "an escaped property name is the same name", "{\"d\\u0061ta\":{\"dep\\u0061rtment\":\"HO\"}}", "HO" },
        { "a code that is not valid", "{\"data\":{\"department\":\"H O\"}}", null },
        { "a valid code beside an invalid one", Event("HO", source: "/departments/H O/asset-register"), null },
        { "a number for a department", "{\"data\":{\"department\":7}}", null },
        { "a lone surrogate for a department", "{\"data\":{\"department\":\"\\ud800\"}}", null },
        { "not JSON", "{\"data\":{\"department\":\"HO\"}", null },
        { "trailing text", Event("HO") + " x", null },
        { "two events in one body", Event("HO") + Event("HO"), null },
        { "a string", "\"HO\"", null },
        { "a byte-order mark first", "\uFEFF" + Event("HO"), "HO" },
    };

    [Theory]
    [MemberData(nameof(Complete))]
    public void A_whole_body_is_shown_to_the_department_it_claims_beyond_doubt(string name, string body, string? expected) =>
        Assert.True(expected == DepartmentClaim.Read(Encoding.UTF8.GetBytes(body), complete: true), name);

    public static TheoryData<string, string, string?> Starts() => new()
    {
        // name, the kept start of a longer body, department it is shown to
        { "an event whose claim came before the cut", Event("HO")[..^10], "HO" },
        { "an event cut before its claim", "{\"id\":\"e\",\"data\":{\"assetId\":\"A\",\"x\":\"xxxx", null },
        { "an event cut inside its department", "{\"data\":{\"department\":\"H", null },
        { "an array cut in an event that had claimed", $"[{Event("HO")},{Event("HO")[..^10]}", "HO" },
        { "an array cut in an event that had not claimed yet", $"[{Event("HO")},{{\"data\":{{\"assetId\":\"B\",\"x\":\"xxx", null },
        { "an array cut between events", $"[{Event("HO")},", "HO" },
        { "an array of two departments, cut", $"[{Event("HO")},{Event("MOJ")[..^10]}", null },
        { "a claim that is contradicted before the cut", "{\"data\":{\"department\":\"HO\",\"department\":\"MOJ\",\"x\":\"xx", null },
        { "nothing but the opening", "[", null },
        { "not JSON", "{\"data\" 1", null },
    };

    [Theory]
    [MemberData(nameof(Starts))]
    public void The_start_of_a_body_is_shown_only_when_every_event_it_begins_has_claimed_the_same_department(string name, string start, string? expected) =>
        Assert.True(expected == DepartmentClaim.Read(Encoding.UTF8.GetBytes(start), complete: false), name);

    [Fact]
    public void The_parser_attributes_an_invalid_body_by_the_same_rule()
    {
        Assert.Equal("HO", AssetEventParser.Parse($"[{Event("HO")},{Event("HO")}]").Department);
        Assert.Null(AssetEventParser.Parse($"[{Event("HO")},{Event("MOJ")}]").Department);
        Assert.Null(AssetEventParser.Parse(Event("HO", source: "/departments/MOJ/asset-register")).Department);
        Assert.Null(AssetEventParser.Parse("{\"data\":{\"department\":\"HO\",\"department\":\"MOJ\"}}").Department);
        // Bytes that are not UTF-8 elsewhere in the body do not hide a claim.
        Assert.Equal("HO", AssetEventParser.Parse((byte[])[.. "{\"x\":\""u8, 0xFF, .. "\",\"data\":{\"department\":\"HO\"}}"u8]).Department);
    }
}
