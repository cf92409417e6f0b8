using AssetCompliance.Core.Processing;
using Microsoft.Azure.Functions.Worker;

namespace AssetCompliance.Functions;

/// <summary>
/// Timers over stored state. Each sweep selects only the records that still need it and commits through the event
/// path, which recognises a repeated command, so an overlapping or interrupted run is harmless and the next one finishes the work.
/// </summary>
public sealed class StateSweepFunctions(StateSweeps sweeps)
{
    /// <summary>After a deployment changes the catalogue or policy, every stored device is evaluated again within the hour.</summary>
    [Function("ReevaluateOnCatalogueChange")]
    public Task ReevaluateOnCatalogueChange([TimerTrigger("%ReevaluateSchedule%")] TimerInfo timer, FunctionContext context) =>
        sweeps.ReevaluateAsync(context.CancellationToken);

    /// <summary>Exemptions end at their expiry: the device returns to what the policy says, with a history entry.</summary>
    [Function("ExpireExemptions")]
    public Task ExpireExemptions([TimerTrigger("%ExpireExemptionsSchedule%")] TimerInfo timer, FunctionContext context) =>
        sweeps.ExpireExemptionsAsync(context.CancellationToken);

    /// <summary>Open remediation plans past their due date (UTC) are marked overdue, with a history entry and a Teams card.</summary>
    [Function("MarkOverdueRemediations")]
    public Task MarkOverdueRemediations([TimerTrigger("%RemediationOverdueSchedule%")] TimerInfo timer, FunctionContext context) =>
        sweeps.MarkOverdueRemediationsAsync(context.CancellationToken);
}
