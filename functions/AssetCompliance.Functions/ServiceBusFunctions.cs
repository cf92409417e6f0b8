using AssetCompliance.Azure.ServiceBus;
using AssetCompliance.Core.Processing;
using Azure.Messaging.ServiceBus;
using Microsoft.Azure.Functions.Worker;

namespace AssetCompliance.Functions;

/// <summary>
/// Service Bus trigger for the <c>asset-events</c> queue. A thin adapter: each message becomes an
/// <see cref="InboundMessage"/> for the intake (<see cref="ServiceBusInbound.From"/> never throws, whatever the body
/// type, and the processor never throws on a message's content), which commits the batch and then delivers the alerts
/// its department's group window allows, as every host does. Invalid messages are recorded as rejections and complete
/// normally; a storage failure throws, so the whole batch is abandoned and redelivered (the processor is idempotent),
/// and after <c>maxDeliveryCount</c> attempts Service Bus dead-letters it. A delivery problem never fails the batch.
/// </summary>
public sealed class ServiceBusFunctions(AssetEventIntake intake)
{
    public const string QueueName = ServiceBusEventPublisher.QueueName;
    public const string ConnectionName = "ServiceBus";

    [Function(nameof(IngestAssetEvents))]
    public async Task IngestAssetEvents(
        [ServiceBusTrigger(QueueName, Connection = ConnectionName, IsBatched = true)] ServiceBusReceivedMessage[] messages,
        CancellationToken cancellationToken) =>
        await intake.ProcessAsync(messages.Select(ServiceBusInbound.From).ToArray(), cancellationToken);
}
