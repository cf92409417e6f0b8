using System.Text;
using AssetCompliance.Api;
using AssetCompliance.Api.Security;
using AssetCompliance.Azure.ServiceBus;
using AssetCompliance.Cli;
using AssetCompliance.Core.Processing;
using Azure.Messaging.ServiceBus;

namespace AssetCompliance.Integration.Tests;

/// <summary>
/// A sender speaks only for the department the infrastructure vouches for (docs/security.md, "the queue"): the
/// subscription rule of a department's topic stamps <c>vouchedDepartment</c>, the app's routes stamp the department
/// they authenticated, and the processor refuses an event of another department, and a message nothing vouches for,
/// as a rejection that changes no device. Service Bus messages from <see cref="ServiceBusModelFactory"/>, tables in Azurite.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class VouchedSenderTests(AzuriteFixture azurite)
{
    private static readonly CancellationToken None = CancellationToken.None;

    /// <summary>A message as it leaves the forwarding subscription of <paramref name="topicOf"/>'s topic (null: with no stamp at all).</summary>
    private static ServiceBusReceivedMessage Through(string? topicOf, string body, string messageId, Dictionary<string, object>? senderSet = null)
    {
        var properties = new Dictionary<string, object>(senderSet ?? []);
        if (topicOf is not null)
        {
            properties[SenderVouch.PropertyName] = topicOf; // the rule action's SET overwrites what the sender set
        }

        return ServiceBusModelFactory.ServiceBusReceivedMessage(body: BinaryData.FromString(body), messageId: messageId, enqueuedTime: DateTimeOffset.UtcNow, properties: properties);
    }

    [Fact]
    public async Task An_event_for_department_B_sent_through_A_s_topic_is_rejected_naming_both_changes_nothing_of_B_and_the_good_message_beside_it_is_applied()
    {
        var store = await azurite.CreateStoreAsync();
        var function = TestEvents.Ingest(store);
        await function.IngestAssetEvents([Through("MOJ", TestEvents.Upsert("MOJ", "CAM-9", 1, manufacturer: "Axis"), "moj-own")], None);
        var before = (await store.GetRecordAsync("MOJ", "CAM-9", None))!;

        await function.IngestAssetEvents([
            Through("HO", TestEvents.Upsert("MOJ", "CAM-9", 2), "ho-as-moj-upsert", new() { [SenderVouch.PropertyName] = "MOJ" }),
            Through("HO", TestEvents.Remove("MOJ", "CAM-9", 3), "ho-as-moj-remove"),
            Through("HO", TestEvents.Upsert("MOJ", "CAM-10", 1), "ho-as-moj-new"),
            Through("HO", TestEvents.Upsert("HO", "CAM-1", 1), "ho-own"),
        ], None);

        var after = (await store.GetRecordAsync("MOJ", "CAM-9", None))!;
        Assert.Equal((before.ETag, before.HistoryCount), (after.ETag, after.HistoryCount)); // not a write, not a history line
        Assert.Null(await store.GetRecordAsync("MOJ", "CAM-10", None));
        Assert.NotNull(await store.GetRecordAsync("HO", "CAM-1", None));
        Assert.Empty(await store.GetRejectionsAsync("MOJ", None)); // nothing filed in MOJ's name either
        var rejections = (await store.GetRejectionsAsync("HO", None)).ToDictionary(r => r.MessageId);
        Assert.Equal(["ho-as-moj-new", "ho-as-moj-remove", "ho-as-moj-upsert"], rejections.Keys.Order(StringComparer.Ordinal));
        foreach (var rejection in rejections.Values)
        {
            var error = Assert.Single(rejection.Errors);
            Assert.Equal("$.data.department", error.Path);
            Assert.Contains("'MOJ'", error.Message, StringComparison.Ordinal);
            Assert.Contains("'HO'", error.Message, StringComparison.Ordinal);
        }

        Assert.Equal("MOJ-CAM-9-2", rejections["ho-as-moj-upsert"].EventId);
    }

    [Theory]
    [InlineData("no stamp")]
    [InlineData("two spellings")]
    [InlineData("not a string")]
    [InlineData("not a department code")]
    public async Task A_message_no_topic_vouches_for_is_refused_unattributed_whatever_its_body_says(string kind)
    {
        var store = await azurite.CreateStoreAsync();
        var body = TestEvents.Upsert("MOJ", "CAM-1", 1);
        var message = kind switch
        {
            "no stamp" => Through(null, body, "m"),
            "two spellings" => Through("MOJ", body, "m", new() { ["VOUCHEDDEPARTMENT"] = "HO" }),
            "not a string" => Through(null, body, "m", new() { [SenderVouch.PropertyName] = 7 }),
            _ => Through("moj; drop", body, "m"),
        };

        await TestEvents.Ingest(store).IngestAssetEvents([message, Through("HO", TestEvents.Upsert("HO", "CAM-2", 1), "good")], None);

        Assert.Null(await store.GetRecordAsync("MOJ", "CAM-1", None));
        Assert.NotNull(await store.GetRecordAsync("HO", "CAM-2", None)); // the good message beside it
        Assert.Empty(await store.GetRejectionsAsync("MOJ", None));
        var rejection = Assert.Single(await store.GetRejectionsAsync(null, None));
        Assert.Equal("m", rejection.MessageId);
        Assert.Contains("no department vouched for", Assert.Single(rejection.Errors).Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// Bodies and properties an attacker on HO's topic shapes to smuggle MOJ's event past the check: several events in
    /// one body, the department named twice, a lookalike or padded property name beside the rule's stamp, a vouch of
    /// MOJ's code in another case. Each is a rejection of HO's, and nothing of MOJ's changes.
    /// </summary>
    [Theory]
    [InlineData("batch array")]
    [InlineData("department twice")]
    [InlineData("lookalike property")]
    [InlineData("padded property")]
    [InlineData("lower-case event department")]
    public async Task A_message_through_A_s_topic_shaped_to_pass_as_B_changes_nothing_of_B(string kind)
    {
        var store = await azurite.CreateStoreAsync();
        var theirs = TestEvents.Upsert("MOJ", "CAM-9", 1);
        var message = kind switch
        {
            "batch array" => Through("HO", $"[{theirs},{TestEvents.Upsert("HO", "CAM-1", 1)}]", "m"),
            "department twice" => Through("HO", theirs.Replace("\"department\":\"MOJ\"", "\"department\":\"HO\",\"department\":\"MOJ\"", StringComparison.Ordinal), "m"),
            "lookalike property" => Through("HO", theirs, "m", new() { ["vouchedDepartm\u0435nt"] = "MOJ" }),
            "padded property" => Through("HO", theirs, "m", new() { [" vouchedDepartment "] = "MOJ" }),
            _ => Through("HO", TestEvents.Upsert("moj", "CAM-9", 1), "m"),
        };
        Assert.Contains(kind == "lower-case event department" ? "\"moj\"" : "\"MOJ\"", Encoding.UTF8.GetString(message.Body), StringComparison.Ordinal);

        if (kind == "department twice")
        {
            Assert.Contains("\"department\":\"HO\",\"department\":\"MOJ\"", Encoding.UTF8.GetString(message.Body), StringComparison.Ordinal);
        }

        await TestEvents.Ingest(store).IngestAssetEvents([message], None);

        Assert.Null(await store.GetRecordAsync("MOJ", "CAM-9", None));
        Assert.Null(await store.GetRecordAsync("moj", "CAM-9", None));
        Assert.Empty(await store.GetRejectionsAsync("MOJ", None));
        Assert.Equal("m", Assert.Single(await store.GetRejectionsAsync("HO", None)).MessageId);
    }

    [Fact]
    public async Task A_bad_body_sent_through_A_s_topic_is_A_s_rejection_even_when_it_claims_B()
    {
        var store = await azurite.CreateStoreAsync();

        await TestEvents.Ingest(store).IngestAssetEvents([Through("HO", TestEvents.Upsert("MOJ", "CAM-1", 1, deviceType: "Camera"), "bad")], None);

        Assert.Empty(await store.GetRejectionsAsync("MOJ", None));
        Assert.Equal("bad", Assert.Single(await store.GetRejectionsAsync("HO", None)).MessageId);
    }

    [Fact]
    public async Task The_local_run_s_queue_consumer_refuses_B_s_event_from_A_s_topic_and_completes_it_with_the_good_one()
    {
        var store = await azurite.CreateStoreAsync();
        var receiver = new ServiceBusConsumerTests.FakeReceiver();
        var consumer = new ServiceBusQueueConsumer(receiver, TestEvents.Intake(store), Microsoft.Extensions.Logging.Abstractions.NullLogger<ServiceBusQueueConsumer>.Instance);

        var completed = await consumer.ProcessBatchAsync([Through("HO", TestEvents.Upsert("MOJ", "CAM-1", 1), "spoof"), Through("HO", TestEvents.Upsert("HO", "CAM-2", 1), "good")], None);

        Assert.Equal((2, 0), (completed, receiver.Abandoned.Count)); // refused is handled: redelivery cannot fix it
        Assert.Null(await store.GetRecordAsync("MOJ", "CAM-1", None));
        Assert.NotNull(await store.GetRecordAsync("HO", "CAM-2", None));
        Assert.Equal("spoof", Assert.Single(await store.GetRejectionsAsync("HO", None)).MessageId);
    }

    [Fact]
    public void The_app_s_publisher_stamps_the_department_its_route_authenticated_not_the_body_s()
    {
        var message = ServiceBusEventPublisher.ToMessage(new OutgoingEvent("e1", "HO", Encoding.UTF8.GetBytes(TestEvents.Upsert("MOJ", "CAM-1", 1))));

        Assert.Equal("HO", message.ApplicationProperties[SenderVouch.PropertyName]);
    }

    [Fact]
    public void Push_sends_to_the_department_s_own_topic_as_the_Bicep_names_it_and_the_rule_stamps_the_property_the_processor_reads()
    {
        Assert.Equal("asset-events-dfe", ServiceBusEventPublisher.DepartmentTopic("DFE"));
        var bicep = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "infra", "modules", "departments.bicep"));
        Assert.Contains("name: '${queueName}-${toLower(d.code)}'", bicep, StringComparison.Ordinal);
        Assert.Contains($"sqlExpression: 'SET {SenderVouch.PropertyName} = ", bicep, StringComparison.Ordinal);
        Assert.Equal(ServiceBusEventPublisher.QueueName, AssetCompliance.Functions.ServiceBusFunctions.QueueName);
    }

    [Fact]
    public async Task The_local_run_s_http_publisher_refuses_an_event_of_another_department_than_its_route_s()
    {
        var store = await azurite.CreateStoreAsync();
        var publisher = new LocalProcessingPublisher(() => TestEvents.Intake(store), TimeProvider.System);

        // As a route that forgot its own check would hand it over: the route's department is HO, the body's MOJ.
        await publisher.PublishAsync([
            new OutgoingEvent("MOJ-CAM-1-1", "HO", Encoding.UTF8.GetBytes(TestEvents.Upsert("MOJ", "CAM-1", 1))),
            new OutgoingEvent("HO-CAM-2-1", "HO", Encoding.UTF8.GetBytes(TestEvents.Upsert("HO", "CAM-2", 1))),
        ], None);

        Assert.Null(await store.GetRecordAsync("MOJ", "CAM-1", None));
        Assert.NotNull(await store.GetRecordAsync("HO", "CAM-2", None));
        var rejection = Assert.Single(await store.GetRejectionsAsync("HO", None));
        Assert.Contains("the HTTP route", Assert.Single(rejection.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_http_route_of_A_answers_400_for_B_s_event_and_changes_nothing()
    {
        var store = await azurite.CreateStoreAsync();
        var api = new IngestionApi(new LocalProcessingPublisher(() => TestEvents.Intake(store), TimeProvider.System), TestEvents.Authorizer());
        var request = TestHttp.Request(CompliancePrincipal.Encode("ho", "Department.HO"), method: "POST", body: Encoding.UTF8.GetBytes(TestEvents.Upsert("MOJ", "CAM-1", 1)));

        var (status, text) = await TestHttp.SendAsync(request, r => api.IngestAsync(r, "HO", default));

        Assert.Equal(400, status);
        Assert.Contains("the department in the path", text, StringComparison.Ordinal);
        Assert.Null(await store.GetRecordAsync("MOJ", "CAM-1", None));
        Assert.Empty(await store.GetRejectionsAsync(null, None));
    }
}
