using AssetCompliance.Core.Alerting;
using Microsoft.Extensions.Logging;

namespace AssetCompliance.Core.Processing;

/// <summary>What became of a batch: a result per message, and how many alerts were delivered right after its commit.</summary>
/// <param name="Results">One per message, in the batch's order.</param>
/// <param name="AlertsDelivered">
/// Alerts that reached every channel straight after the commit. Others wait in the outbox for their department's group
/// window, a retry, or a channel to be configured.
/// </param>
public sealed record BatchResult(IReadOnlyList<MessageResult> Results, int AlertsDelivered);

/// <summary>
/// How every host takes in a batch of events, in one call: the Service Bus trigger, the local run's replay, its HTTP
/// ingestion and its queue consumer. The batch is processed (<see cref="AssetEventProcessor"/>: committed state or a
/// rejection per message), then the alerts of each department it changed are delivered as far as the department's
/// group window allows (<see cref="AlertDispatcher.DispatchDepartmentAsync"/>), so a department's first alerts go out
/// right after the commit on every host alike, and the timer sweep delivers what had to wait.
/// <para>
/// Delivery never fails the batch: its events are committed, and failing would make Service Bus redeliver them for
/// nothing. A delivery problem (or a shutdown that cancels it) is logged and leaves the alerts in the outbox for the
/// sweep. A processing failure (storage down) still throws, so that the transport redelivers.
/// </para>
/// </summary>
public sealed partial class AssetEventIntake(AssetEventProcessor processor, AlertDispatcher alerts, ILogger<AssetEventIntake> logger)
{
    /// <summary>
    /// Processes the batch, then delivers the alerts of each department with an applied event. Throws only when
    /// processing does (an infrastructure failure: the transport must redeliver); a delivery failure is logged.
    /// </summary>
    public async Task<BatchResult> ProcessAsync(IReadOnlyList<InboundMessage> batch, CancellationToken cancellationToken)
    {
        var results = await processor.ProcessAsync(batch, cancellationToken).ConfigureAwait(false);
        var delivered = 0;
        foreach (var department in results.Where(r => r.Outcome == MessageOutcome.Applied).Select(r => r.Department!).Distinct(StringComparer.Ordinal))
        {
            try
            {
                delivered += await alerts.DispatchDepartmentAsync(department, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                LogDeliveryCancelled(department);
                break;
            }
            catch (Exception e)
            {
                LogDeliveryFailed(e, department);
            }
        }

        return new BatchResult(results, delivered);
    }

    [LoggerMessage(EventId = 40, Level = LogLevel.Warning, Message = "Alert delivery for {Department} after its batch committed failed; the alerts stay in the outbox for the timer sweep")]
    private partial void LogDeliveryFailed(Exception exception, string department);

    [LoggerMessage(EventId = 41, Level = LogLevel.Information, Message = "Alert delivery after a committed batch was cancelled at {Department}; the alerts stay in the outbox for the timer sweep")]
    private partial void LogDeliveryCancelled(string department);
}
