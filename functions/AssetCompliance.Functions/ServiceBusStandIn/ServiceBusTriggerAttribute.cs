// Compiled only with -p:ServiceBusExtension=standin (the default), because this build environment's package mirror
// does not serve Microsoft.Azure.Functions.Worker.Extensions.ServiceBus. It mirrors the real attribute's constructor
// and properties so that function code is identical in both modes and the SDK still writes the serviceBusTrigger
// binding into functions.metadata. A stand-in build cannot be published (see the project file).
using Microsoft.Azure.Functions.Worker.Extensions.Abstractions;

namespace Microsoft.Azure.Functions.Worker;

public sealed class ServiceBusTriggerAttribute : TriggerBindingAttribute, ISupportCardinality
{
    public ServiceBusTriggerAttribute(string queueName)
    {
        QueueName = queueName;
    }

    public ServiceBusTriggerAttribute(string topicName, string subscriptionName)
    {
        TopicName = topicName;
        SubscriptionName = subscriptionName;
    }

    public string? Connection { get; set; }

    public string? QueueName { get; }

    public string? TopicName { get; }

    public string? SubscriptionName { get; }

    public bool IsSessionsEnabled { get; set; }

    [DefaultValue(true)]
    public bool AutoCompleteMessages { get; set; } = true;

    [DefaultValue(false)]
    public bool IsBatched { get; set; }

    Cardinality ISupportCardinality.Cardinality
    {
        get => IsBatched ? Cardinality.Many : Cardinality.One;
        set => IsBatched = value == Cardinality.Many;
    }
}
