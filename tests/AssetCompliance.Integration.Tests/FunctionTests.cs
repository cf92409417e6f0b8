using System.Text;
using System.Text.Json;
using AssetCompliance.Api;
using AssetCompliance.Azure.Emulator;
using AssetCompliance.Azure.Tables;
using AssetCompliance.Core.Catalogue;
using AssetCompliance.Core.Policy;
using AssetCompliance.Core.State;
using AssetCompliance.Functions;
using Azure.Data.Tables;
using Azure.Messaging.ServiceBus;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace AssetCompliance.Integration.Tests;

/// <summary>
/// The function classes as the worker calls them: Service Bus messages from <see cref="ServiceBusModelFactory"/>
/// (Service Bus cannot run here), HTTP requests as ASP.NET Core contexts, Table Storage for real.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class FunctionTests(AzuriteFixture azurite)
{
    private static ServiceBusReceivedMessage Received(string body, string messageId, int deliveryCount = 1) =>
        ServiceBusModelFactory.ServiceBusReceivedMessage(
            body: BinaryData.FromString(body), messageId: messageId, deliveryCount: deliveryCount, enqueuedTime: DateTimeOffset.UtcNow, properties: TestEvents.OwnTopic(body));

    [Fact]
    public async Task The_service_bus_function_processes_a_batch_and_rejects_bad_messages_individually()
    {
        var store = await azurite.CreateStoreAsync();
        var function = TestEvents.Ingest(store);
        var batch = new[]
        {
            Received(TestEvents.Upsert("HO", "CAM-1", 1, mac: "BC:AD:28:4F:11:02"), "m1"),
            Received("{ broken", "m2"),
            Received(TestEvents.Upsert("HO", "CAM-2", 1, manufacturer: "Axis"), "m3"),
        };

        await function.IngestAssetEvents(batch, CancellationToken.None);

        Assert.Equal(ComplianceStatus.NonCompliant, (await store.GetRecordAsync("HO", "CAM-1", default))!.Record.Status);
        Assert.Equal(ComplianceStatus.Compliant, (await store.GetRecordAsync("HO", "CAM-2", default))!.Record.Status);
        Assert.Equal("m2", Assert.Single(await store.GetRejectionsAsync(null, default)).MessageId);
    }

    [Fact]
    public async Task A_redelivered_batch_after_a_storage_failure_ends_in_the_same_state()
    {
        var down = TestEvents.UnreachableStore();
        var batch = new[] { Received(TestEvents.Upsert("HO", "CAM-1", 1), "m1"), Received(TestEvents.Upsert("HO", "CAM-1", 2, manufacturer: "Axis"), "m2") };

        await Assert.ThrowsAnyAsync<Exception>(() => TestEvents.Ingest(down).IngestAssetEvents(batch, CancellationToken.None));

        var store = await azurite.CreateStoreAsync();
        var function = TestEvents.Ingest(store);
        await function.IngestAssetEvents(batch, CancellationToken.None);
        await function.IngestAssetEvents(batch, CancellationToken.None);

        var record = (await store.GetRecordAsync("HO", "CAM-1", default))!.Record;
        Assert.Equal((2L, ComplianceStatus.Compliant), (record.Revision, record.Status));
        Assert.Equal(2, (await store.GetHistoryAsync("HO", "CAM-1", default)).Count);
    }

    [Fact]
    public async Task Get_asset_returns_the_evaluated_record()
    {
        var (functions, store) = await CreateHttpAsync();
        await TestEvents.Processor(store).ProcessAsync(TestEvents.Message(TestEvents.Upsert("HO", "CAM-1", 1)), default);

        var (status, contentType, json) = await InvokeAsync(r => functions.GetAsset(r, "HO", "CAM-1"));

        Assert.Equal(200, status);
        Assert.StartsWith("application/json", contentType);
        var root = json.RootElement;
        Assert.Equal("CAM-1", root.GetProperty("assetId").GetString());
        Assert.Equal("HO", root.GetProperty("department").GetString());
        Assert.Equal("NonCompliant", root.GetProperty("status").GetString());
        Assert.Equal("High", root.GetProperty("severity").GetString());
        Assert.Equal("hikvision", root.GetProperty("vendor").GetProperty("key").GetString());
        Assert.NotEmpty(root.GetProperty("reasons").EnumerateArray());
    }

    [Theory]
    [InlineData("HO", "NOPE", 404, "asset-not-found")]
    [InlineData("H O", "CAM-1", 400, "invalid-department")]
    [InlineData("HO", "CAM|1", 400, "invalid-asset-id")]
    public async Task Get_asset_answers_problems_for_missing_and_invalid_ids(string department, string assetId, int expectedStatus, string kind)
    {
        var (functions, _) = await CreateHttpAsync();

        var (status, contentType, json) = await InvokeAsync(r => functions.GetAsset(r, department, assetId));

        Assert.Equal(expectedStatus, status);
        Assert.StartsWith("application/problem+json", contentType);
        Assert.EndsWith("/" + kind, json.RootElement.GetProperty("type").GetString());
    }

    [Fact]
    public async Task Unknown_query_parameters_are_refused()
    {
        var (functions, _) = await CreateHttpAsync();

        var (status, _, json) = await InvokeAsync(r => functions.GetAsset(r, "HO", "CAM-1"), "?departmnet=DFE");

        Assert.Equal(400, status);
        Assert.Contains("departmnet", json.RootElement.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Health_reports_version_and_storage()
    {
        var (functions, _) = await CreateHttpAsync();

        var (status, _, json) = await InvokeAsync(r => functions.Health(r));

        Assert.Equal(200, status);
        Assert.Equal("available", json.RootElement.GetProperty("storage").GetString());
        Assert.Equal(VendorCatalogue.Default.Version, json.RootElement.GetProperty("catalogueVersion").GetString());
    }

    private async Task<(HttpFunctions Functions, StateStores Store)> CreateHttpAsync()
    {
        var store = await azurite.CreateStoreAsync();
        var api = TestEvents.ComplianceApi(store);
        return (new HttpFunctions(new ApiHandler(), api, TestEvents.StateApi(store), new AssetListApi(store, TestEvents.Authorizer()),
            new IngestionApi(new AssetCompliance.Cli.LocalProcessingPublisher(() => TestEvents.Intake(store), TimeProvider.System), TestEvents.Authorizer()),
            TestEvents.RegisterApi(store), ProgressKit.Api(store), TestEvents.RemediationApi(store)), store);
    }

    private static async Task<(int Status, string ContentType, JsonDocument Json)> InvokeAsync(Func<HttpRequest, Task<IActionResult>> call, string query = "")
    {
        var context = new DefaultHttpContext();
        context.Request.Headers[AssetCompliance.Api.Security.CompliancePrincipal.HeaderName] = TestEvents.Principal();
        context.Request.QueryString = new QueryString(query);
        context.Response.Body = new MemoryStream();
        var result = await call(context.Request);
        await result.ExecuteResultAsync(new ActionContext(context, new RouteData(), new Microsoft.AspNetCore.Mvc.Abstractions.ActionDescriptor()));
        context.Response.Body.Position = 0;
        var json = await JsonDocument.ParseAsync(context.Response.Body);
        return (context.Response.StatusCode, context.Response.ContentType ?? "", json);
    }
}

/// <summary>
/// The local run's queue consumer, against a fake receiver: Service Bus cannot run here, so the receiver is the one
/// boundary replaced. The processor and Table Storage behind it are real.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ServiceBusConsumerTests(AzuriteFixture azurite)
{
    /// <summary>A receiver that records settlements (Service Bus cannot run here).</summary>
    internal sealed class FakeReceiver : ServiceBusReceiver
    {
        public List<string> Completed { get; } = [];
        public List<string> Abandoned { get; } = [];

        public override Task CompleteMessageAsync(ServiceBusReceivedMessage message, CancellationToken cancellationToken = default)
        {
            Completed.Add(message.MessageId);
            return Task.CompletedTask;
        }

        public override Task AbandonMessageAsync(ServiceBusReceivedMessage message, IDictionary<string, object>? propertiesToModify = null, CancellationToken cancellationToken = default)
        {
            Abandoned.Add(message.MessageId);
            return Task.CompletedTask;
        }
    }

    private static ServiceBusReceivedMessage Received(string body, string id) =>
        ServiceBusModelFactory.ServiceBusReceivedMessage(body: BinaryData.FromString(body), messageId: id, properties: TestEvents.OwnTopic(body));

    [Fact]
    public async Task A_processed_batch_is_completed_including_rejected_messages()
    {
        var receiver = new FakeReceiver();
        var consumer = new AssetCompliance.Azure.ServiceBus.ServiceBusQueueConsumer(receiver, TestEvents.Intake(await azurite.CreateStoreAsync()), Microsoft.Extensions.Logging.Abstractions.NullLogger<AssetCompliance.Azure.ServiceBus.ServiceBusQueueConsumer>.Instance);

        await consumer.ProcessBatchAsync([Received(TestEvents.Upsert("HO", "A", 1), "m1"), Received("junk", "m2")], default);

        Assert.Equal(["m1", "m2"], receiver.Completed);
        Assert.Empty(receiver.Abandoned);
    }

    [Fact]
    public async Task A_batch_that_fails_on_storage_is_abandoned_for_redelivery()
    {
        var receiver = new FakeReceiver();
        var down = TestEvents.UnreachableStore();
        var consumer = new AssetCompliance.Azure.ServiceBus.ServiceBusQueueConsumer(receiver, TestEvents.Intake(down), Microsoft.Extensions.Logging.Abstractions.NullLogger<AssetCompliance.Azure.ServiceBus.ServiceBusQueueConsumer>.Instance);

        await consumer.ProcessBatchAsync([Received(TestEvents.Upsert("HO", "A", 1), "m1")], default);

        Assert.Equal(["m1"], receiver.Abandoned);
        Assert.Empty(receiver.Completed);
    }
}

public sealed class ServiceBusPublisherTests
{
    [Fact]
    public void The_message_id_is_the_department_and_event_id_so_a_resend_keeps_it_and_another_departments_event_never_shares_it()
    {
        static ServiceBusMessage Message(string eventId, string department) => AssetCompliance.Azure.ServiceBus.ServiceBusEventPublisher.ToMessage(
            new AssetCompliance.Core.Processing.OutgoingEvent(eventId, department, Encoding.UTF8.GetBytes("{}")));
        var message = Message("evt-42", "HO");

        Assert.Equal("HO/evt-42", message.MessageId);
        Assert.Equal(message.MessageId, Message("evt-42", "HO").MessageId); // a resend
        Assert.NotEqual(message.MessageId, Message("evt-42", "DFE").MessageId); // event ids are unique per department only
        Assert.Equal("HO", message.ApplicationProperties["department"]);
        Assert.StartsWith("application/cloudevents+json", message.ContentType);
        Assert.Equal("{}", message.Body.ToString());

        // Service Bus takes at most 128 characters: a longer one is hashed, still one per department and event.
        var longId = new string('x', 128);
        var hashed = Message(longId, "HO").MessageId;
        Assert.True(hashed.Length <= 128 && hashed.StartsWith("sha256:", StringComparison.Ordinal), hashed);
        Assert.Equal(hashed, Message(longId, "HO").MessageId);
        Assert.NotEqual(hashed, Message(longId, "DFE").MessageId);
    }
}
