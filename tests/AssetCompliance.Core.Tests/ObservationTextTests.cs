using System.Text;
using System.Text.Json.Nodes;
using AssetCompliance.Core.Events;
using AssetCompliance.Core.Observations;
using static AssetCompliance.Core.Tests.ObservationTestData;

namespace AssetCompliance.Core.Tests;

/// <summary>
/// Hidden characters in an observation's free text, decided per field (docs/event-contract.md, v1.1): the names the
/// sender writes itself (<c>observer</c>, an evidence item's <c>tool</c>) are refused by parser and schema alike, at
/// their JSON path; what the device or the network reports (host name, serial, model, reported type, an evidence
/// value) is kept exactly, to be shown escaped, since refusing it would let a device hide from the pipeline.
/// </summary>
public sealed class ObservationTextTests
{
    /// <summary>C0 and C1 controls, DEL, bidirectional overrides and isolates, zero-width characters, a byte-order mark, a soft hyphen, a tag character, line and paragraph separators.</summary>
    public static TheoryData<string> Hidden => new() { "\u0000", "\u0007", "\t", "\n", "\u001B[2J", "\u007F", "\u0085", "\u009B", "\u00AD", "\u061C", "\u200B", "\u200D", "\u200E", "\u202E", "\u2066", "\u2028", "\u2029", "\u2060", "\uFEFF", "\U000E0041" };

    private static JsonNode Event(string observer = "nmap 7.93", string tool = "nmap", string value = "DNVRS-Webs", string? hostname = null)
    {
        var data = new JsonObject
        {
            ["department"] = "HO",
            ["observer"] = observer,
            ["observedAt"] = "2026-11-30T09:04:12Z",
            ["ipAddresses"] = new JsonArray("10.20.1.15"),
            ["evidence"] = new JsonArray(new JsonObject { ["signal"] = "http-server", ["value"] = value, ["tool"] = tool, ["port"] = 80 }),
        };
        if (hostname is not null) data["hostname"] = hostname;
        return new JsonObject
        {
            ["specversion"] = "1.0", ["id"] = "text-1", ["source"] = "/departments/HO/observations", ["type"] = "asset.device.observed",
            ["time"] = "2026-11-30T09:04:12Z", ["data"] = data,
        };
    }

    private static ObservationParseResult Parse(JsonNode node) => ObservationEventParser.Parse(Encoding.UTF8.GetBytes(node.ToJsonString()));

    [Theory]
    [MemberData(nameof(Hidden))]
    public void An_observer_or_tool_with_a_hidden_character_is_refused_at_its_path_by_parser_and_schema(string hidden)
    {
        var observer = Event(observer: $"nmap{hidden}7.93");
        var tool = Event(tool: $"nm{hidden}ap");

        Assert.Equal("$.data.observer", Assert.Single(Parse(observer).Errors).Path);
        Assert.Equal("$.data.evidence[0].tool", Assert.Single(Parse(tool).Errors).Path);
        Assert.Contains($"U+{char.ConvertToUtf32(hidden, 0):X4}", Assert.Single(Parse(tool).Errors).Message, StringComparison.Ordinal);
        if (hidden.Length == 1 || !char.IsSurrogate(hidden[0]))
        {
            // The schema's pattern is per UTF-16 unit, so a tag character (a surrogate pair) is the parser's alone: stricter, never looser.
            Assert.False(ObservationEventTests.SchemaValid(ObservationEventTests.Schema.Value, observer.ToJsonString()));
            Assert.False(ObservationEventTests.SchemaValid(ObservationEventTests.Schema.Value, tool.ToJsonString()));
        }
    }

    [Theory]
    [MemberData(nameof(Hidden))]
    public void A_value_the_device_or_network_reports_keeps_its_hidden_characters_exactly(string hidden)
    {
        var parsed = Parse(Event(value: $"DNVRS-Webs {hidden}evil", hostname: $"cam{hidden}1.ho.internal"));

        Assert.True(parsed.IsValid, string.Join("; ", parsed.Errors));
        Assert.Equal($"DNVRS-Webs {hidden}evil", parsed.Observation!.Evidence[0].Value);
        Assert.Equal($"cam{hidden}1.ho.internal", Assert.Single(parsed.Observation.Hostnames));
    }

    [Fact]
    public void Visible_names_of_any_script_are_taken()
    {
        Assert.True(Parse(Event(observer: "nmap 7.93 on soc-scan-01 (Ελλάδα, 東京) — runZero", tool: "Defender for Endpoint")).IsValid);
        Assert.True(ObservationEventTests.SchemaValid(ObservationEventTests.Schema.Value, Event(observer: "nmap 7.93 on soc-scan-01 (Ελλάδα, 東京)").ToJsonString()));
    }

    /// <summary>push --observations never sends what the parser refuses: a tool or observer with hidden characters is sent without them, with a warning, and the device is not lost.</summary>
    [Fact]
    public void The_writer_removes_hidden_characters_from_names_with_a_warning_and_still_sends_the_device()
    {
        var observation = new DeviceObservation
        {
            Observer = "nmap\u202E 7.93",
            Source = "scan.xml:3",
            IpAddresses = [System.Net.IPAddress.Parse("10.20.1.15")],
            Evidence = [new ObservedEvidence(ObservedSignal.HttpServer, "DNVRS-Webs\u200B", "nm\u0007ap", 80)],
        };

        var draft = ObservationEventWriter.Write(observation, "HO", new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero));

        Assert.Empty(draft.Errors);
        var sent = ObservationEventParser.Parse(draft.Event!).Observation!;
        Assert.Equal(("nmap 7.93", "nmap", "DNVRS-Webs\u200B"), (sent.Observer, sent.Evidence[0].Tool, sent.Evidence[0].Value));
        Assert.Equal(2, draft.Warnings.Count(w => w.Contains("invisible", StringComparison.Ordinal)));
    }
}
