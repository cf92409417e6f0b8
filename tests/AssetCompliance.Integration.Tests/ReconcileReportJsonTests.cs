using System.Net;
using System.Text.Json.Nodes;
using AssetCompliance.Cli;
using AssetCompliance.Core.Events;
using AssetCompliance.Core.Observations;

namespace AssetCompliance.Integration.Tests;

/// <summary>
/// reconcile's compact JSON, formatted in blocks on every core and spliced in as raw values, against the one writer
/// of the indented form: hostile text (quotes, backslashes, controls, U+2028, HTML, surrogates, long explanations) must
/// come out as the same data, byte for byte what one compact writer writes, at every block edge.
/// </summary>
public sealed class ReconcileReportJsonTests
{
    private static readonly string[] Hostile =
    [
        "\"quoted\" \\back\\slash\\", "tab\tnew\nline\rcr\u0000nul\u001Fus\u007Fdel", "line\u2028para\u2029sep", "<script>alert('x')</script>&amp;",
        "é 中文 😀 \uD83D\uDE00", "\uFEFF\uFFFD", "", " ", new string('x', 20_000) + "\"" + new string('\u2028', 1_000),
    ];

    private static ReconcileOutcome Outcome(int i)
    {
        var text = Hostile[i % Hostile.Length];
        return new ReconcileOutcome((ReconcileOutcomeKind)(i % Enum.GetValues<ReconcileOutcomeKind>().Length), $"{i}: {text}")
        {
            Registered = new RegisteredDevice { AssetId = $"HO-{i}-{text[..Math.Min(text.Length, 20)]}", Department = "HO", Revision = 1 },
            RegisterLine = i % 4 == 0 ? null : i + 1,
            MatchedBy = i % 2 == 0 ? "mac" : null,
            Candidates = i % 7 == 0 ? ["HO-1", text] : [],
            RegisteredMaker = i % 3 == 0 ? null : text,
            ObservedMaker = text,
            Observation = i % 5 == 0 ? null : new DeviceObservation
            {
                Observer = "nmap",
                Source = $"scan.xml:{i}",
                ObservedAt = i % 2 == 0 ? new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero) : null,
                IpAddresses = [new IPAddress([10, 0, (byte)(i / 256), (byte)(i % 256)])],
                MacAddresses = MacAddress.TryParse("BC:AD:28:00:00:01", out var mac) ? [mac] : [],
                Hostnames = [text],
                Evidence = [new ObservedEvidence(ObservedSignal.HttpServer, text, "nmap", i % 2 == 0 ? 80 : null)],
            },
        };
    }

    private static async Task<byte[]> Json(IReadOnlyList<ReconcileOutcome> outcomes, bool indented)
    {
        using var output = new MemoryStream();
        await ReconcileReport.WriteAsync("json", outcomes, 3, "verdict \"with\" \u2028 text", output, indented);
        return output.ToArray();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2_047)]
    [InlineData(2_048)]
    [InlineData(4_097)]
    public async Task Hostile_text_in_blocks_is_what_one_compact_writer_writes(int count)
    {
        var outcomes = Enumerable.Range(0, count).Select(Outcome).ToArray();
        var compact = await Json(outcomes, indented: false);
        var indented = await Json(outcomes, indented: true);

        // The indented form comes from one writer; written compactly again it must be the blocks' bytes exactly.
        var reference = JsonNode.Parse(indented)!;
        Assert.Equal(reference.ToJsonString() + "\n", System.Text.Encoding.UTF8.GetString(compact));
        var parsed = JsonNode.Parse(compact)!["outcomes"]!.AsArray();
        Assert.Equal(count, parsed.Count);
        for (var i = 0; i < count; i++)
        {
            Assert.Equal(outcomes[i].Explanation, parsed[i]!["explanation"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task A_lone_surrogate_is_written_as_the_one_writer_writes_it()
    {
        // Text that is not UTF-16 (a lone surrogate) is no character: both forms treat it alike, at any block.
        var outcomes = Enumerable.Range(0, 2_050).Select(i => i == 2_049 ? Outcome(i) with { Explanation = "lone \uD800 high, \uDC00 low" } : Outcome(i)).ToArray();
        var compact = await Record.ExceptionAsync(() => Json(outcomes, indented: false));
        var indented = await Record.ExceptionAsync(() => Json(outcomes, indented: true));
        Assert.Equal(indented?.GetType(), compact?.GetType());
        if (compact is null)
        {
            Assert.Equal(JsonNode.Parse(await Json(outcomes, indented: true))!.ToJsonString() + "\n", System.Text.Encoding.UTF8.GetString(await Json(outcomes, indented: false)));
        }
    }
}
