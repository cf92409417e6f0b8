using AssetCompliance.Core.Processing;
using Azure.Messaging.ServiceBus;

namespace AssetCompliance.Azure.ServiceBus;

/// <summary>
/// Sends validated events to the <c>asset-events</c> queue with an identity-based connection. The CloudEvent id is
/// the message id, so the queue's duplicate detection drops a resent event within its window and the processor's
/// repeat detection (a fingerprint of every event applied, kept on the record) catches anything later.
/// </summary>
public sealed class ServiceBusEventPublisher(ServiceBusSender sender) : IAssetEventPublisher
{
    public const string QueueName = "asset-events";

    public async Task PublishAsync(IReadOnlyList<OutgoingEvent> events, CancellationToken cancellationToken)
    {
        var pending = new Queue<OutgoingEvent>(events);
        while (pending.Count > 0)
        {
            using var batch = await sender.CreateMessageBatchAsync(cancellationToken).ConfigureAwait(false);
            while (pending.Count > 0 && batch.TryAddMessage(ToMessage(pending.Peek())))
            {
                pending.Dequeue();
            }

            if (batch.Count == 0)
            {
                throw new InvalidOperationException($"Event {pending.Peek().EventId} is larger than a Service Bus message may be.");
            }

            await sender.SendMessagesAsync(batch, cancellationToken).ConfigureAwait(false);
        }
    }

    internal static ServiceBusMessage ToMessage(OutgoingEvent outgoing) => new(outgoing.Body)
    {
        MessageId = outgoing.EventId,
        ContentType = "application/cloudevents+json; charset=utf-8",
        Subject = outgoing.Department,
        ApplicationProperties = { ["department"] = outgoing.Department },
    };
}
