using AssetCompliance.Azure.Tables;
using AssetCompliance.Core.Events;
using AssetCompliance.Core.State;

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
    public async Task A_body_beyond_one_transaction_keeps_its_start_and_says_how_long_it_was()
    {
        var store = await azurite.CreateStoreAsync();
        var plain = new string('x', TableComplianceStore.MaxRejectionBodyBytes + 500_000);
        // Quotes escape to six bytes or fewer in the request, so fewer of them fit.
        var quotes = new string('"', 1_000_000);

        await store.RecordRejectionAsync(Rejected("m-plain", plain), None);
        await store.RecordRejectionAsync(Rejected("m-quotes", quotes), None);

        var back = await store.GetRejectionsAsync("HO", None);
        var keptPlain = back.Single(r => r.MessageId == "m-plain");
        Assert.Equal((TableComplianceStore.MaxRejectionBodyBytes, plain.Length), (keptPlain.Body.Length, keptPlain.BodyLength!.Value));
        var keptQuotes = back.Single(r => r.MessageId == "m-quotes");
        Assert.Equal((TableComplianceStore.MaxRejectionBodyBytes / 6, quotes.Length), (keptQuotes.Body.Length, keptQuotes.BodyLength!.Value));
    }

    [Theory]
    [InlineData("plain text", 10)]
    [InlineData("", 0)]
    public void A_short_body_is_kept_whole(string body, int expected) =>
        Assert.Equal(expected, TableComplianceStore.StorablePrefix(body));

    [Fact]
    public void A_cut_never_splits_a_surrogate_pair()
    {
        // A run of plain characters that ends one short of the budget, then emoji (each a surrogate pair, 12 bytes).
        var body = new string('a', TableComplianceStore.MaxRejectionBodyBytes - 7) + string.Concat(Enumerable.Repeat("\U0001F4F7", 10));
        var kept = TableComplianceStore.StorablePrefix(body);

        Assert.False(char.IsHighSurrogate(body[kept - 1]), $"cut at {kept} leaves a lone high surrogate");
        Assert.Equal(TableComplianceStore.MaxRejectionBodyBytes - 7, kept);
    }
}
