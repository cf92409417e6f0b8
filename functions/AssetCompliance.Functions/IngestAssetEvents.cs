using AssetCompliance.Azure.ServiceBus;
using AssetCompliance.Core.Processing;
using Azure.Messaging.ServiceBus;
using Microsoft.Azure.Functions.Worker;

namespace AssetCompliance.Functions;

/// <summary>
/// Service Bus trigger for the <c>asset-events</c> queue. A thin adapter: each message becomes an
/// <see cref="InboundMessage"/> for the processor. Invalid messages are recorded as rejections and complete normally;
/// a storage failure throws, so the whole batch is abandoned and redelivered (the processor is idempotent), and after
/// <c>maxDeliveryCount</c> attempts Service Bus dead-letters it.
/// </summary>
public sealed class IngestAssetEvents(AssetEventProcessor processor)
{
    public const string QueueName = ServiceBusEventPublisher.QueueName;
    public const string ConnectionName = "ServiceBus";

    [Function(nameof(IngestAssetEvents))]
    public async Task Run(
        [ServiceBusTrigger(QueueName, Connection = ConnectionName, IsBatched = true)] ServiceBusReceivedMessage[] messages,
        CancellationToken cancellationToken)
    {
        await processor.ProcessAsync(messages.Select(ServiceBusInbound.From).ToArray(), cancellationToken);
    }
}
