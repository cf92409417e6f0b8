using AssetCompliance.Core.Alerting;
using Microsoft.Azure.Functions.Worker;

namespace AssetCompliance.Functions;

/// <summary>The outbox sweep: delivers alerts whose group window has passed, and retries those that failed transiently.</summary>
public sealed class AlertFunctions(AlertDispatcher dispatcher)
{
    [Function("DispatchAlerts")]
    public Task Dispatch([TimerTrigger("%DispatchAlertsSchedule%")] TimerInfo timer, FunctionContext context) =>
        dispatcher.DispatchAsync(context.CancellationToken);

    /// <summary>What is still open per department, oldest first (default: weekdays at 08:00 UTC).</summary>
    [Function("DailyDigest")]
    public Task Digest([TimerTrigger("%DigestSchedule%")] TimerInfo timer, FunctionContext context) =>
        dispatcher.SendDigestsAsync(context.CancellationToken);
}
