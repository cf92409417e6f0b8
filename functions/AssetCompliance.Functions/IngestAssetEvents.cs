using AssetCompliance.Azure.ServiceBus;
using AssetCompliance.Core.Alerting;
using AssetCompliance.Core.Processing;
using Microsoft.Extensions.Logging;
using Azure.Messaging.ServiceBus;
using Microsoft.Azure.Functions.Worker;

namespace AssetCompliance.Functions;

/// <summary>
/// Service Bus trigger for the <c>asset-events</c> queue. A thin adapter: each message becomes an
/// <see cref="InboundMessage"/> for the processor (<see cref="ServiceBusInbound.From"/> never throws, whatever the body
/// type, and the processor never throws on a message's content). Invalid messages are recorded as rejections and complete normally;
/// a storage failure throws, so the whole batch is abandoned and redelivered (the processor is idempotent), and after
/// <c>maxDeliveryCount</c> attempts Service Bus dead-letters it.
/// </summary>
public sealed partial class IngestAssetEvents(AssetEventProcessor processor, AlertDispatcher alerts, ILogger<IngestAssetEvents> logger)
{
    public const string QueueName = ServiceBusEventPublisher.QueueName;
    public const string ConnectionName = "ServiceBus";

    [Function(nameof(IngestAssetEvents))]
    public async Task Run(
        [ServiceBusTrigger(QueueName, Connection = ConnectionName, IsBatched = true)] ServiceBusReceivedMessage[] messages,
        CancellationToken cancellationToken)
    {
        var results = await processor.ProcessAsync(messages.Select(ServiceBusInbound.From).ToArray(), cancellationToken);

        // The batch is committed; deliver what is due now rather than at the next timer sweep. A delivery problem must
        // not fail the batch (that would redeliver committed events for nothing): the outbox keeps the alerts.
        foreach (var department in results.Where(r => r.Outcome == MessageOutcome.Applied).Select(r => r.Department!).Distinct())
        {
            try
            {
                await alerts.DispatchDepartmentAsync(department, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogDispatchFailed(e, department);
            }
        }
    }

    [LoggerMessage(EventId = 40, Level = LogLevel.Warning, Message = "Immediate alert delivery for {Department} failed; the timer sweep will retry")]
    private partial void LogDispatchFailed(Exception exception, string department);
}
