namespace AssetCompliance.Core.Alerting;

/// <summary>
/// Alerts Teams refused stay failed (and the health route says "degraded") until an operator acts, typically after
/// fixing a webhook. Retrying puts them back in the outbox with a fresh attempt budget; targets that already received
/// an alert keep it recorded, so only the ones that refused are posted again.
/// </summary>
public static class FailedAlerts
{
    /// <summary>Returns how many failed alerts of the department went back to pending.</summary>
    public static async Task<int> RetryAsync(IAlertOutbox outbox, string department, CancellationToken cancellationToken)
    {
        var retried = 0;
        foreach (var entry in await outbox.GetOutboxEntriesAsync(department, [OutboxState.Failed], cancellationToken).ConfigureAwait(false))
        {
            // The row's ETag guards the change: a row a dispatcher or another retry touched meanwhile is left to them.
            if (await outbox.SettleOutboxAsync(department, entry with { State = OutboxState.Pending, Attempts = 0, NotBefore = null }, cancellationToken).ConfigureAwait(false))
            {
                retried++;
            }
        }

        return retried;
    }
}
