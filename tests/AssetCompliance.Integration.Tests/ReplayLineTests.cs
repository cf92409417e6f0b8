using System.Text;
using System.Text.Json;
using AssetCompliance.Cli;
using AssetCompliance.Core.Processing;

namespace AssetCompliance.Integration.Tests;

/// <summary>
/// Lines of a replayed <c>.jsonl</c> file (Azurite): each rejection is shown to the department its line claims beyond
/// doubt, an array of one department's events and the kept start of a line over the limit included; and the replay
/// (<c>compliance run --events</c>) and <c>check</c> give the same line the same number, whatever its line breaks.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ReplayLineTests(AzuriteFixture azurite)
{
    private static readonly CancellationToken None = CancellationToken.None;

    private static async Task<string> WriteAsync(byte[] content)
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("replay-lines-").FullName, "events.jsonl");
        await File.WriteAllBytesAsync(path, content);
        return path;
    }

    private static async Task<List<MessageResult>> ReplayAsync(StateStores store, string path)
    {
        var results = new List<MessageResult>();
        foreach (var batch in EventFileReplay.Batches(path, DateTimeOffset.UtcNow))
        {
            results.AddRange(await TestEvents.Processor(store).ProcessAsync(batch, None));
        }

        return results;
    }

    /// <summary>An extension that makes an event longer than a replayed line may be, after or before its department.</summary>
    private static string Long(string body, bool departmentFirst)
    {
        var padding = $"\"pad\":\"{new string('p', EventFileReplay.MaxLineBytes + 1000)}\"";
        return departmentFirst ? body[..^1] + "," + padding + "}" : "{" + padding + "," + body[1..];
    }

    [Fact]
    public async Task Rejected_lines_are_shown_to_the_department_they_claim_beyond_doubt_and_to_no_one_else()
    {
        var store = await azurite.CreateStoreAsync();
        var ho = TestEvents.Upsert("HO", "CAM-1", 1);
        var moj = TestEvents.Upsert("MOJ", "CAM-2", 1);
        string[] lines =
        [
            $"[{ho},{TestEvents.Upsert("HO", "CAM-3", 1)}]", // 1: the finding: an array of HO events, under HO
            $"[{ho},{moj}]", // 2: two departments: unattributed
            Long(ho, departmentFirst: true), // 3: over 1 MiB, its department in the kept start: HO
            Long(moj, departmentFirst: false), // 4: over 1 MiB, its department past the cut: unattributed
            "[" + string.Join(",", Enumerable.Repeat(ho, (EventFileReplay.MaxLineBytes / ho.Length) + 5)) + "]", // 5: a long array of HO events, cut in one that had claimed HO
            ho.Replace("\"source\":\"/departments/HO/", "\"source\":\"/departments/MOJ/", StringComparison.Ordinal), // 6: source and data disagree: unattributed
        ];
        var path = await WriteAsync(Encoding.UTF8.GetBytes(string.Join("\n", lines) + "\n"));

        var results = await ReplayAsync(store, path);

        Assert.All(results, r => Assert.Equal(MessageOutcome.Rejected, r.Outcome));
        Assert.Equal(["HO", null, "HO", null, "HO", null], results.Select(r => r.Department));
        var name = Path.GetFileName(path);
        var ids = (await store.GetRejectionsAsync("HO", None)).Select(r => r.MessageId).Order(StringComparer.Ordinal);
        Assert.Equal([$"{name}:1", $"{name}:3", $"{name}:5"], ids);
        var unattributed = (await store.GetRejectionsAsync(null, None)).Select(r => r.MessageId).Order(StringComparer.Ordinal);
        Assert.Equal([$"{name}:2", $"{name}:4", $"{name}:6"], unattributed);
        Assert.Empty(await store.GetRejectionsAsync("MOJ", None));
        var cut = (await store.GetRejectionsAsync("HO", None)).Single(r => r.MessageId == $"{name}:3");
        Assert.Equal(EventFileReplay.MaxLineBytes, cut.Body.Length);
        Assert.Contains($"the line is {Encoding.UTF8.GetByteCount(lines[2]):N0} bytes", Assert.Single(cut.Errors).Message);
    }

    [Fact]
    public async Task An_array_cut_in_an_event_that_had_not_claimed_its_department_yet_is_unattributed()
    {
        var store = await azurite.CreateStoreAsync();
        // The first event claims HO; the second is long and names its department only after the cut.
        var line = $"[{TestEvents.Upsert("HO", "CAM-1", 1)},{Long(TestEvents.Upsert("HO", "CAM-2", 1), departmentFirst: false)}]";
        var path = await WriteAsync(Encoding.UTF8.GetBytes(line));

        var result = Assert.Single(await ReplayAsync(store, path));

        Assert.Equal((MessageOutcome.Rejected, (string?)null), (result.Outcome, result.Department));
        Assert.Single(await store.GetRejectionsAsync(null, None));
    }

    [Fact]
    public async Task Two_long_lines_with_the_same_start_under_the_same_message_id_are_two_rejections()
    {
        var store = await azurite.CreateStoreAsync();
        var start = "{\"data\":{\"department\":\"HO\"},\"pad\":\"" + new string('p', EventFileReplay.MaxLineBytes) ;
        var first = await WriteAsync(Encoding.UTF8.GetBytes(start + "one\"}\n"));
        var second = Path.Combine(Directory.CreateTempSubdirectory("replay-lines-").FullName, "events.jsonl"); // same name: same message id
        await File.WriteAllTextAsync(second, start + "two\"}\n");

        await ReplayAsync(store, first);
        await ReplayAsync(store, second);
        await ReplayAsync(store, first); // a redelivery

        var back = await store.GetRejectionsAsync("HO", None);
        Assert.Equal(2, back.Count);
        Assert.All(back, r => Assert.Equal("events.jsonl:1", r.MessageId));
    }

    [Fact]
    public async Task The_replay_and_check_give_every_line_the_same_number_whatever_its_line_breaks()
    {
        var store = await azurite.CreateStoreAsync();
        byte[] content =
        [
            .. Encoding.UTF8.GetBytes(TestEvents.Upsert("HO", "L1", 1) + "\r\n"),
            .. Encoding.UTF8.GetBytes(TestEvents.Upsert("HO", "L2", 1) + "\r"), // a lone CR (classic Mac, some exporters)
            .. " \n"u8, // 3: blank (a space first: CR then LF would be one CR LF break)
            0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(TestEvents.Upsert("HO", "L4", 1) + "\n"), // a byte-order mark at a line's start
            .. " \t\r\n"u8, // 5: blank
            .. "{not json\r"u8, // 6
            .. Encoding.UTF8.GetBytes(TestEvents.Upsert("HO", "L7", 1) + "\r\r\n"), // 7, then 8 blank
            .. Encoding.UTF8.GetBytes(Long(TestEvents.Upsert("HO", "L9", 1), departmentFirst: true) + "\n"), // 9: too long
            .. Encoding.UTF8.GetBytes(TestEvents.Upsert("HO", "L10", 1, deviceType: "webcam") + "\r\n"), // 10: invalid
            .. Encoding.UTF8.GetBytes(TestEvents.Upsert("HO", "L11", 1)), // 11: no break at the end
        ];
        var path = await WriteAsync(content);

        var replay = (await ReplayAsync(store, path)).ToDictionary(r => int.Parse(r.MessageId[(r.MessageId.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture));

        var output = Path.GetTempFileName();
        try
        {
            await using (var stream = File.Create(output))
            {
                await CheckCommand.RunAsync(path, "json", stream, new StringWriter(), indented: false, None);
            }

            using var json = JsonDocument.Parse(await File.ReadAllTextAsync(output));
            var read = json.RootElement.GetProperty("results").EnumerateArray().ToDictionary(r => r.GetProperty("line").GetInt32(), r => r.GetProperty("assetId").GetString());
            var notRead = json.RootElement.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("line").GetInt32()).ToArray();

            int[] expectedRead = [1, 2, 4, 7, 11];
            int[] expectedNotRead = [6, 9, 10];
            Assert.Equal(expectedRead, read.Keys.Order());
            Assert.Equal(expectedNotRead, notRead.Order());
            Assert.Equal(expectedRead.Concat(expectedNotRead).Order(), replay.Keys.Order());
            foreach (var (line, assetId) in read)
            {
                Assert.Equal((MessageOutcome.Applied, assetId), (replay[line].Outcome, replay[line].AssetId));
                Assert.Equal($"L{line}", assetId);
            }

            Assert.All(expectedNotRead, line => Assert.Equal(MessageOutcome.Rejected, replay[line].Outcome));
        }
        finally
        {
            File.Delete(output);
        }
    }
}
