using System.Text;
using System.Text.Json;
using AssetCompliance.Api;
using AssetCompliance.Api.Security;
using AssetCompliance.Azure.ServiceBus;
using AssetCompliance.Cli;
using AssetCompliance.Core.Policy;
using AssetCompliance.Core.Processing;
using Azure.Core.Amqp;
using Azure.Messaging.ServiceBus;

namespace AssetCompliance.Integration.Tests;

/// <summary>
/// One poison message never costs the good ones beside it, on any way in: the batch processor, the Service Bus
/// trigger (including AMQP value and sequence bodies, which the SDK's Body throws on) and file replay (HTTP ingestion:
/// <see cref="IngestionTests"/>).
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class PoisonMessageTests(AzuriteFixture azurite)
{
    private static readonly CancellationToken None = CancellationToken.None;

    /// <summary>The sample: <c>"model": "\ud800"</c>.</summary>
    internal static string LoneSurrogateModel(string department, string assetId, long revision) =>
        TestEvents.Upsert(department, assetId, revision).Replace("\"manufacturer\":\"Hikvision\"", "\"manufacturer\":\"Hikvision\",\"model\":\"\\ud800\"", StringComparison.Ordinal);

    [Fact]
    public async Task A_lone_surrogate_event_is_rejected_at_its_path_and_the_good_events_of_its_batch_are_applied()
    {
        var store = await azurite.CreateStoreAsync();
        byte[] bom = [0xEF, 0xBB, 0xBF];
        var batch = new[]
        {
            TestEvents.Message(TestEvents.Upsert("HO", "CAM-1", 1), "good-1"),
            TestEvents.Message(LoneSurrogateModel("HO", "CAM-2", 1), "poison"),
            new InboundMessage("bom", (byte[])[.. bom, .. Encoding.UTF8.GetBytes(TestEvents.Upsert("HO", "CAM-3", 1, manufacturer: "Axis"))], 1, DateTimeOffset.UtcNow, "test") { Vouch = SenderVouch.ForDepartment("HO", "its Service Bus topic") },
            new InboundMessage("raw-surrogate", (byte[])[.. Encoding.UTF8.GetBytes("{\"id\":\""), 0xED, 0xA0, 0x80, .. Encoding.UTF8.GetBytes("\"}")], 1, DateTimeOffset.UtcNow, "test"),
        };

        var results = await TestEvents.Processor(store).ProcessAsync(batch, None);

        Assert.Equal([MessageOutcome.Applied, MessageOutcome.Rejected, MessageOutcome.Applied, MessageOutcome.Rejected], results.Select(r => r.Outcome));
        Assert.Equal(ComplianceStatus.Compliant, (await store.GetRecordAsync("HO", "CAM-3", None))!.Record.Status); // the BOM body
        Assert.NotNull(await store.GetRecordAsync("HO", "CAM-1", None));
        Assert.Null(await store.GetRecordAsync("HO", "CAM-2", None));
        var rejection = Assert.Single(await store.GetRejectionsAsync("HO", None)); // attributed: HO sees its own rejection
        Assert.Equal(("poison", "HO-CAM-2-1"), (rejection.MessageId, rejection.EventId));
        Assert.Equal("$.data.model", Assert.Single(rejection.Errors).Path);
        Assert.Contains("\\ud800", rejection.Body, StringComparison.Ordinal); // kept as sent
        var unattributed = Assert.Single(await store.GetRejectionsAsync(null, None));
        Assert.StartsWith("base64:", unattributed.Body, StringComparison.Ordinal); // bytes that are not UTF-8 are kept recoverable
        Assert.Equal("$.id: text is not valid UTF-8 (byte offset 7)", unattributed.Errors[0].ToString());
    }

    private static ServiceBusReceivedMessage Amqp(AmqpMessageBody body, string? messageId, string? topicOf = null)
    {
        var amqp = new AmqpAnnotatedMessage(body);
        if (topicOf is not null)
        {
            amqp.ApplicationProperties[SenderVouch.PropertyName] = topicOf; // sent to that department's topic
        }

        if (messageId is not null)
        {
            amqp.Properties.MessageId = new AmqpMessageId(messageId);
        }

        // The SDK's own constructor from an AMQP message (what the Functions extension uses); the model factory takes
        // only data bodies.
        return ServiceBusReceivedMessage.FromAmqpMessage(amqp, BinaryData.FromBytes(Guid.NewGuid().ToByteArray()));
    }

    [Fact]
    public async Task Amqp_value_and_sequence_bodies_are_read_when_they_carry_the_json_and_rejected_naming_their_type_otherwise()
    {
        var store = await azurite.CreateStoreAsync();
        var batch = new[]
        {
            Amqp(AmqpMessageBody.FromValue(TestEvents.Upsert("HO", "CAM-1", 1)), "value-string", "HO"), // a JMS TextMessage
            Amqp(AmqpMessageBody.FromValue(Encoding.UTF8.GetBytes(TestEvents.Upsert("HO", "CAM-2", 1))), "value-binary", "HO"),
            Amqp(AmqpMessageBody.FromSequence([new List<object> { TestEvents.Upsert("HO", "CAM-3", 1) }]), "sequence-of-one", "HO"),
            Amqp(AmqpMessageBody.FromValue(42), "value-int"),
            Amqp(AmqpMessageBody.FromValue(new Dictionary<string, object> { ["id"] = "x" }), "value-map"),
            Amqp(AmqpMessageBody.FromSequence([new List<object> { "a", "b" }]), "sequence-of-two"),
            Amqp(AmqpMessageBody.FromValue(LoneSurrogateModel("HO", "CAM-4", 1)), "value-escaped-surrogate", "HO"),
            Amqp(AmqpMessageBody.FromValue("{\"model\":\"\ud800\"}"), "value-raw-surrogate"),
            Amqp(AmqpMessageBody.FromData([Encoding.UTF8.GetBytes(TestEvents.Upsert("HO", "CAM-5", 1))]), null, "HO"),
        };

        var inbound = batch.Select(ServiceBusInbound.From).ToArray();
        await TestEvents.Ingest(store).IngestAssetEvents(batch, None); // the trigger: no throw

        foreach (var asset in new[] { "CAM-1", "CAM-2", "CAM-3", "CAM-5" })
        {
            Assert.NotNull(await store.GetRecordAsync("HO", asset, None));
        }

        Assert.Equal("sequence-0", inbound[^1].MessageId); // no message id: known by its sequence number
        var rejections = (await store.GetRejectionsAsync(null, None)).ToDictionary(r => r.MessageId);
        Assert.Contains("AMQP value of type Int32", Assert.Single(rejections["value-int"].Errors).Message, StringComparison.Ordinal);
        Assert.Equal("42", rejections["value-int"].Body);
        Assert.Contains("AMQP value of type map", Assert.Single(rejections["value-map"].Errors).Message, StringComparison.Ordinal);
        Assert.Equal("{\"id\":\"x\"}", rejections["value-map"].Body);
        Assert.Contains("sequence body of 1 section(s) and 2 element(s)", Assert.Single(rejections["sequence-of-two"].Errors).Message, StringComparison.Ordinal);
        // A raw lone surrogate in a string value is reported at its path, with every other error of the body, as a data body's would be.
        var rawSurrogate = rejections["value-raw-surrogate"].Errors;
        Assert.Contains(rawSurrogate, e => e.Path == "$.model" && e.Message.Contains("not valid UTF-8", StringComparison.Ordinal));
        Assert.Contains(rawSurrogate, e => e.Path == "$.specversion");
        Assert.Equal("$.data.model", Assert.Single(Assert.Single(await store.GetRejectionsAsync("HO", None)).Errors).Path);
    }

    [Fact]
    public async Task The_local_consumer_completes_a_batch_of_odd_bodies_and_abandons_nothing()
    {
        var receiver = new ServiceBusConsumerTests.FakeReceiver();
        var consumer = new ServiceBusQueueConsumer(receiver, TestEvents.Intake(await azurite.CreateStoreAsync()),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<ServiceBusQueueConsumer>.Instance);

        var completed = await consumer.ProcessBatchAsync([
            Amqp(AmqpMessageBody.FromValue(TestEvents.Upsert("HO", "A", 1)), "m1", "HO"),
            Amqp(AmqpMessageBody.FromValue(3.5), "m2"),
            Amqp(AmqpMessageBody.FromSequence([]), "m3"),
            ServiceBusModelFactory.ServiceBusReceivedMessage(body: BinaryData.FromString(LoneSurrogateModel("HO", "B", 1)), messageId: "m4", properties: TestEvents.OwnTopic(LoneSurrogateModel("HO", "B", 1))),
        ], None);

        Assert.Equal(4, completed);
        Assert.Equal(["m1", "m2", "m3", "m4"], receiver.Completed);
        Assert.Empty(receiver.Abandoned);
    }

    [Fact]
    public async Task Replaying_a_file_with_a_bom_a_poison_line_and_bytes_that_are_not_utf8_applies_the_good_lines()
    {
        var store = await azurite.CreateStoreAsync();
        var path = Path.Combine(Path.GetTempPath(), $"replay-{Guid.NewGuid():N}.jsonl");
        var third = TestEvents.Upsert("HO", "CAM-3", 1);
        byte[] content =
        [
            0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(TestEvents.Upsert("HO", "CAM-1", 1) + "\r\n"),
            .. Encoding.UTF8.GetBytes(LoneSurrogateModel("HO", "CAM-2", 1) + "\n\n"),
            // 0xFF inside the manufacturer: decoding the line as text would have made it U+FFFD and the event valid.
            .. Encoding.UTF8.GetBytes(third[..(third.IndexOf("Hikvision", StringComparison.Ordinal) + 3)]), 0xFF,
            .. Encoding.UTF8.GetBytes(third[(third.IndexOf("Hikvision", StringComparison.Ordinal) + 3)..] + "\n"),
            .. Encoding.UTF8.GetBytes(TestEvents.Upsert("HO", "CAM-4", 1, manufacturer: "Axis")),
        ];
        await File.WriteAllBytesAsync(path, content);
        try
        {
            var results = new List<MessageResult>();
            foreach (var batch in EventFileReplay.Batches(path, DateTimeOffset.UtcNow))
            {
                results.AddRange(await TestEvents.Processor(store).ProcessAsync(batch, None));
            }

            var name = Path.GetFileName(path);
            Assert.Equal([($"{name}:1", MessageOutcome.Applied), ($"{name}:2", MessageOutcome.Rejected), ($"{name}:4", MessageOutcome.Rejected), ($"{name}:5", MessageOutcome.Applied)],
                results.Select(r => (r.MessageId, r.Outcome)));
            Assert.NotNull(await store.GetRecordAsync("HO", "CAM-4", None));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
