using AssetCompliance.Core.Processing;
using Azure.Messaging.ServiceBus;

namespace AssetCompliance.Azure.ServiceBus;

/// <summary>The one translation from a Service Bus message to the processor's input, for the trigger and the local consumer.</summary>
public static class ServiceBusInbound
{
    public const string Channel = "service-bus";

    public static InboundMessage From(ServiceBusReceivedMessage message) =>
        new(message.MessageId, message.Body.ToMemory(), message.DeliveryCount, message.EnqueuedTime, Channel);
}
