using AssetCompliance.Core.Alerting;

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
/// group window allows (<see cref="AlertDispatcher.DispatchAfterCommitAsync"/>), so a department's first alerts go out
/// right after the commit on every host alike, and the timer sweep delivers what had to wait.
/// <para>
/// Delivery never fails the batch: its events are committed, and failing would make Service Bus redeliver them for
/// nothing. Nor can it hold the batch for long: it is bounded by <see cref="DispatchSettings.PostCommitBudget"/>, one
/// attempt per post (<see cref="AlertDispatcher.DispatchAfterCommitAsync"/>). A delivery problem, a post cut short or
/// a shutdown is logged and leaves the alerts in the outbox for the sweep. A processing failure (storage down) still
/// throws, so that the transport redelivers.
/// </para>
/// </summary>
public sealed class AssetEventIntake(AssetEventProcessor processor, AlertDispatcher alerts)
{
    /// <summary>
    /// Processes the batch, then delivers the alerts of each department with an applied event. Throws only when
    /// processing does (an infrastructure failure: the transport must redeliver); a delivery failure is logged.
    /// </summary>
    public async Task<BatchResult> ProcessAsync(IReadOnlyList<InboundMessage> batch, CancellationToken cancellationToken)
    {
        var results = await processor.ProcessAsync(batch, cancellationToken).ConfigureAwait(false);
        var departments = results.Where(r => r.Outcome == MessageOutcome.Applied).Select(r => r.Department!).Distinct(StringComparer.Ordinal).ToArray();
        var delivered = departments.Length == 0 ? 0 : await alerts.DispatchAfterCommitAsync(departments, cancellationToken).ConfigureAwait(false);
        return new BatchResult(results, delivered);
    }
}
