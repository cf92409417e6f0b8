using AssetCompliance.Core.Processing;
using Azure.Messaging.ServiceBus;
using Microsoft.Extensions.Logging;

namespace AssetCompliance.Azure.ServiceBus;

/// <summary>
/// Consumes the <c>asset-events</c> queue outside the Functions host (the local run with <c>--service-bus</c>), with
/// the trigger's settlement rules and its intake (commit, then the alerts the group window allows): a batch that
/// processed is completed; a batch that threw is abandoned so that Service Bus redelivers it and, after
/// <c>maxDeliveryCount</c>, dead-letters it.
/// </summary>
public sealed partial class ServiceBusQueueConsumer(ServiceBusReceiver receiver, AssetEventIntake intake, ILogger<ServiceBusQueueConsumer> logger)
{
    public const int MaxBatchSize = 100;

    /// <summary>Receives until cancelled. Returns the number of messages completed.</summary>
    public async Task<long> RunAsync(CancellationToken cancellationToken)
    {
        long completed = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            IReadOnlyList<ServiceBusReceivedMessage> messages;
            try
            {
                messages = await receiver.ReceiveMessagesAsync(MaxBatchSize, TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }

            if (messages.Count > 0)
            {
                completed += await ProcessBatchAsync(messages, cancellationToken).ConfigureAwait(false);
            }
        }

        return completed;
    }

    internal async Task<int> ProcessBatchAsync(IReadOnlyList<ServiceBusReceivedMessage> messages, CancellationToken cancellationToken)
    {
        try
        {
            await intake.ProcessAsync(messages.Select(ServiceBusInbound.From).ToArray(), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogBatchFailed(ex, messages.Count);
            foreach (var message in messages)
            {
                await receiver.AbandonMessageAsync(message, cancellationToken: CancellationToken.None).ConfigureAwait(false);
            }

            return 0;
        }

        foreach (var message in messages)
        {
            await receiver.CompleteMessageAsync(message, CancellationToken.None).ConfigureAwait(false);
        }

        return messages.Count;
    }

    [LoggerMessage(EventId = 10, Level = LogLevel.Error, Message = "Processing a batch of {Count} Service Bus messages failed; abandoning them for redelivery")]
    private partial void LogBatchFailed(Exception exception, int count);
}
