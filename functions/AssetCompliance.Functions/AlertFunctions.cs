using AssetCompliance.Core.Alerting;
using Microsoft.Azure.Functions.Worker;

namespace AssetCompliance.Functions;

/// <summary>The outbox sweeps: delivery of alerts whose group window has passed (with retries of transient failures), the daily digest, and the prune of old delivery records.</summary>
public sealed class AlertFunctions(AlertDispatcher dispatcher)
{
    [Function("DispatchAlerts")]
    public Task DispatchAlerts([TimerTrigger("%DispatchAlertsSchedule%")] TimerInfo timer, FunctionContext context) =>
        dispatcher.DispatchAsync(context.CancellationToken);

    /// <summary>What is still open per department, oldest first (default: weekdays at 08:00 UTC).</summary>
    [Function("DailyDigest")]
    public Task DailyDigest([TimerTrigger("%DigestSchedule%")] TimerInfo timer, FunctionContext context) =>
        dispatcher.SendDigestsAsync(context.CancellationToken);

    /// <summary>Deletes delivery records past <c>Alerting:DeliveredRetentionDays</c> (default: daily at 03:30 UTC).</summary>
    [Function("PruneDeliveredAlerts")]
    public Task PruneDeliveredAlerts([TimerTrigger("%PruneDeliveredAlertsSchedule%")] TimerInfo timer, FunctionContext context) =>
        dispatcher.PruneDeliveredAsync(context.CancellationToken);
}
