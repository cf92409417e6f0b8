using System.Text;
using AssetCompliance.Azure.ServiceBus;
using AssetCompliance.Azure.Tables;
using AssetCompliance.Cli;
using AssetCompliance.Core.Events;
using AssetCompliance.Core.Processing;
using AssetCompliance.Core.State;
using Azure.Messaging.ServiceBus;

namespace AssetCompliance.Integration.Tests;

/// <summary>
/// A rejected message is kept whole however long it is, within what one Table Storage transaction can carry; a
/// property holds 32K characters and an entity 1 MiB, so a long body spans properties and rows (Azurite).
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class RejectionStorageTests(AzuriteFixture azurite)
{
    private static readonly CancellationToken None = CancellationToken.None;

    private static Rejection Rejected(string messageId, string body) => new()
    {
        Department = "HO",
        MessageId = messageId,
        Key = Rejection.KeyFor(messageId, Encoding.UTF8.GetBytes(body)),
        EventId = "e-1",
        ReceivedAt = DateTimeOffset.UtcNow,
        Channel = "service-bus",
        Errors = [new ValidationError("$.data.macAddress", "must be a 48-bit MAC address")],
        Body = body,
    };

    [Fact]
    public async Task A_body_longer_than_an_entity_holds_comes_back_whole_and_a_redelivery_is_recorded_once()
    {
        var store = await azurite.CreateStoreAsync();
        var random = new Random(3);
        // 1.2 million characters of text (2.4 MB as UTF-16): two entities' worth, as a 1 MB Premium message can be.
        var body = string.Concat(Enumerable.Range(0, 1_200_000 / 40).Select(_ => Convert.ToBase64String(BitConverter.GetBytes(random.NextInt64())).PadRight(40, 'a')));
        var small = "{\"not\": \"an event\"}";

        await store.RecordRejectionAsync(Rejected("m-long", body), None);
        await store.RecordRejectionAsync(Rejected("m-long", body), None); // redelivered
        await store.RecordRejectionAsync(Rejected("m-small", small), None);

        var back = await store.GetRejectionsAsync("HO", None);
        Assert.Equal(2, back.Count);
        var longOne = back.Single(r => r.MessageId == "m-long");
        Assert.Equal(body.Length, longOne.Body.Length);
        Assert.Equal(body, longOne.Body);
        Assert.Equal(body.Length, longOne.BodyLength);
        Assert.Equal("$.data.macAddress", Assert.Single(longOne.Errors).Path);
        Assert.Equal(small, back.Single(r => r.MessageId == "m-small").Body);

        // The route says how long each body was, with or without the body itself.
        var (status, text) = await TestHttp.SendAsync(TestHttp.Request(TestEvents.Principal()), r => TestEvents.ComplianceApi(store).GetRejectionsAsync(r, "HO", None));
        Assert.Equal(200, status);
        Assert.Contains($"\"bodyLength\": {body.Length}", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_bodies_under_one_message_id_are_two_rejections_each_whole_and_each_redelivery_overwrites_only_its_own()
    {
        var store = await azurite.CreateStoreAsync();
        // A long body spans continuation rows ({key}~001...): under a key of the id alone, the short body written
        // after it would have replaced its main row and left its continuation rows to a rejection that no longer exists.
        var longBody = "{\"bad\":\"" + new string('l', 700_000) + "\"}";
        var shortBody = "{\"bad\":2}";

        await store.RecordRejectionAsync(Rejected("same-id", longBody), None);
        await store.RecordRejectionAsync(Rejected("same-id", shortBody), None);
        await store.RecordRejectionAsync(Rejected("same-id", longBody), None); // exact redelivery of the first
        await store.RecordRejectionAsync(Rejected("same-id", shortBody), None); // and of the second

        var back = await store.GetRejectionsAsync("HO", None);
        Assert.Equal(2, back.Count);
        Assert.All(back, r => Assert.Equal("same-id", r.MessageId));
        Assert.Equal([shortBody.Length, longBody.Length], back.Select(r => r.Body.Length).Order());
        Assert.Contains(back, r => r.Body == longBody);
        Assert.Contains(back, r => r.Body == shortBody);
        Assert.Equal(back.Select(r => r.Key).Order(), new[] { Rejection.KeyFor("same-id", Encoding.UTF8.GetBytes(longBody)), Rejection.KeyFor("same-id", Encoding.UTF8.GetBytes(shortBody)) }.Order());
    }

    [Fact]
    public async Task Replaying_two_files_of_the_same_name_keeps_the_rejection_of_each()
    {
        // The finding: a/x.jsonl and b/x.jsonl number their lines alike (x.jsonl:1), and the second rejection replaced
        // the first, although each replay printed "1 rejected".
        var store = await azurite.CreateStoreAsync();
        var root = Directory.CreateTempSubdirectory("same-name-");
        try
        {
            var files = new[] { ("a", "{\"bad\":1,\"data\":{\"department\":\"HO\"}}"), ("b", "{\"bad\":2,\"data\":{\"department\":\"HO\"}}") }
                .Select(f => { var dir = Directory.CreateDirectory(Path.Combine(root.FullName, f.Item1)); var path = Path.Combine(dir.FullName, "x.jsonl"); File.WriteAllText(path, f.Item2 + "\n"); return path; })
                .ToArray();
            var processor = TestEvents.Processor(store);
            foreach (var file in files.Append(files[0])) // the first file again: a replay of it is a redelivery
            {
                foreach (var batch in EventFileReplay.Batches(file, DateTimeOffset.UtcNow))
                {
                    Assert.Equal(MessageOutcome.Rejected, Assert.Single(await processor.ProcessAsync(batch, None)).Outcome);
                }
            }

            var back = await store.GetRejectionsAsync("HO", None);
            Assert.Equal(["{\"bad\":1,\"data\":{\"department\":\"HO\"}}", "{\"bad\":2,\"data\":{\"department\":\"HO\"}}"], back.Select(r => r.Body).Order(StringComparer.Ordinal));
            Assert.All(back, r => Assert.Equal("x.jsonl:1", r.MessageId));
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Service_bus_messages_that_share_a_sender_s_message_id_keep_a_rejection_each()
    {
        // Duplicate detection off, ids set by the sender: the queue delivers both, and both must be found.
        var store = await azurite.CreateStoreAsync();
        ServiceBusReceivedMessage Message(string body, int deliveryCount = 1) => ServiceBusModelFactory.ServiceBusReceivedMessage(
            body: BinaryData.FromString(body), messageId: "register-export", deliveryCount: deliveryCount, properties: TestEvents.OwnTopic(body));
        var first = "{\"data\":{\"department\":\"MOJ\",\"assetId\":\"CAM-1\"}}";
        var second = "{\"data\":{\"department\":\"MOJ\",\"assetId\":\"CAM-2\"}}";
        var third = TestEvents.Upsert("MOJ", "CAM-3", 1, deviceType: "Camera"); // a real event with one bad field

        await TestEvents.Processor(store).ProcessAsync([.. new[] { Message(first), Message(second), Message(third) }.Select(ServiceBusInbound.From)], None);
        await TestEvents.Processor(store).ProcessAsync([ServiceBusInbound.From(Message(second, deliveryCount: 2))], None); // redelivered

        var back = await store.GetRejectionsAsync("MOJ", None);
        Assert.Equal(new[] { first, second, third }.Order(StringComparer.Ordinal), back.Select(r => r.Body).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_key_tells_apart_every_id_and_body_pair()
    {
        // Length-prefixed: the id "ab" with body "c" is not the id "a" with body "bc".
        Assert.NotEqual(Rejection.KeyFor("ab", "c"u8), Rejection.KeyFor("a", "bc"u8));
        Assert.NotEqual(Rejection.KeyFor("m", "{}"u8), Rejection.KeyFor("m", "{} "u8));
        // Ids that differ only in a lone surrogate (which UTF-8 would turn into the same U+FFFD) are different ids.
        Assert.NotEqual(Rejection.KeyFor("m\ud800", "{}"u8), Rejection.KeyFor("m\udc00", "{}"u8));
        Assert.Equal(Rejection.KeyFor("m", "{}"u8), Rejection.KeyFor("m", "{}"u8));
        Assert.Matches("^[0-9a-f]{40}$", Rejection.KeyFor("m", "{}"u8));
    }

    [Fact]
    public async Task A_body_beyond_one_transaction_keeps_its_start_and_says_how_long_it_was()
    {
        var store = await azurite.CreateStoreAsync();
        var plain = new string('x', TableRejectionStore.MaxRejectionBodyBytes + 500_000);
        // Quotes escape to six bytes or fewer in the request, so fewer of them fit.
        var quotes = new string('"', 1_000_000);

        await store.RecordRejectionAsync(Rejected("m-plain", plain), None);
        await store.RecordRejectionAsync(Rejected("m-quotes", quotes), None);

        var back = await store.GetRejectionsAsync("HO", None);
        var keptPlain = back.Single(r => r.MessageId == "m-plain");
        Assert.Equal((TableRejectionStore.MaxRejectionBodyBytes, plain.Length), (keptPlain.Body.Length, keptPlain.BodyLength!.Value));
        var keptQuotes = back.Single(r => r.MessageId == "m-quotes");
        Assert.Equal((TableRejectionStore.MaxRejectionBodyBytes / 6, quotes.Length), (keptQuotes.Body.Length, keptQuotes.BodyLength!.Value));
    }

    [Theory]
    [InlineData("plain text", 10)]
    [InlineData("", 0)]
    public void A_short_body_is_kept_whole(string body, int expected) =>
        Assert.Equal(expected, RejectionBody.StorablePrefix(body));

    [Fact]
    public void A_cut_never_splits_a_surrogate_pair()
    {
        // A run of plain characters that ends one short of the budget, then emoji (each a surrogate pair, 12 bytes).
        var body = new string('a', TableRejectionStore.MaxRejectionBodyBytes - 7) + string.Concat(Enumerable.Repeat("\U0001F4F7", 10));
        var kept = RejectionBody.StorablePrefix(body);

        Assert.False(char.IsHighSurrogate(body[kept - 1]), $"cut at {kept} leaves a lone high surrogate");
        Assert.Equal(TableRejectionStore.MaxRejectionBodyBytes - 7, kept);
    }
}
