using Microsoft.Extensions.Logging;

namespace AssetCompliance.Core.Alerting;

/// <summary>
/// Delivers one group of claimed alerts: posts them to every target that has not had them (see
/// <see cref="CardPoster"/>), then records each row's outcome in the outbox (delivered, retried later with backoff, or
/// failed), and, when a post-commit round was cut before any request left, puts the department's dispatch mark back.
/// A claim, once made, is always settled here, even when the post was cancelled.
/// </summary>
internal sealed partial class ClaimedRound(IAlertOutbox outbox, CardPoster poster, DispatchSettings settings, TimeProvider time, ILogger logger)
{
    /// <summary>
    /// How long releasing a claim cut short may take, on a clock of its own: the release must happen even when the
    /// budget, or the host's shutdown, cancelled the post; else the alert would wait as Sending for its whole lease.
    /// </summary>
    private static readonly TimeSpan ReleaseTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The dispatch mark a claim moved: to <paramref name="ClaimedAt"/>, from <paramref name="Previous"/>.</summary>
    internal sealed record MarkMove(DateTimeOffset ClaimedAt, DateTimeOffset? Previous);

    /// <summary>Posts the claimed rows and settles each; returns how many reached every target.</summary>
    /// <param name="moved">The mark this group's claim moved, if it did (the round's first group).</param>
    public async Task<int> DeliverAsync(string department, IReadOnlyList<OutboxEntry> claimed, IReadOnlyList<AlertTarget> targets, SendEffort effort,
        MarkMove? moved, CancellationToken postToken, CancellationToken settleToken)
    {
        var outcomes = claimed.ToDictionary(e => e.Alert.Id, e => new AlertOutcome(new HashSet<string>(e.DeliveredTo, StringComparer.Ordinal)));
        var round = new PostRound();
        var cut = false;
        try
        {
            foreach (var target in targets)
            {
                var pending = claimed.Where(e => !outcomes[e.Alert.Id].Delivered.Contains(target.Name)).Select(e => e.Alert).ToList();
                await poster.PostAsync(department, target, pending, outcomes, effort, round, postToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException e) when (postToken.IsCancellationRequested && postToken != settleToken)
        {
            // The budget ran out (or the host is stopping) during a post: whether the post in flight arrived is
            // unknown, as with any timeout. What is known to have arrived is kept; the rest goes back to the outbox
            // now, so that the sweep can take it at once rather than after the claim's lease.
            cut = true;
            round.Sent |= e is not PostNotStartedException;
        }

        // A cut post is released even if the host's token is cancelled too: on a clock of its own, briefly.
        using var release = cut ? new CancellationTokenSource(ReleaseTimeout, time) : null;
        var recordToken = release?.Token ?? settleToken;
        var done = 0;
        foreach (var entry in claimed)
        {
            var outcome = outcomes[entry.Alert.Id];
            var complete = targets.All(t => outcome.Delivered.Contains(t.Name));
            // A post cut short by the budget is no verdict on the webhook: it counts as an attempt only when some
            // target answered with a failure.
            var attempts = cut && outcome.Error is null ? entry.Attempts : entry.Attempts + 1;
            var state = complete ? OutboxState.Sent
                : outcome.Permanent || attempts >= settings.MaxAttempts ? OutboxState.Failed
                : OutboxState.Pending;
            var now = time.GetUtcNow();
            DateTimeOffset? notBefore = state != OutboxState.Pending ? null
                : attempts == entry.Attempts ? now
                : now + Max(Backoff(attempts), outcome.RetryAfter ?? TimeSpan.Zero);
            var error = complete ? null : outcome.Error ?? (cut ? $"cut short: no answer within the post-commit budget of {settings.PostCommitBudget.TotalSeconds:0.#} s; left for the sweep" : null);
            await outbox.SettleOutboxAsync(department, entry with { State = state, Attempts = attempts, NotBefore = notBefore, DeliveredTo = outcome.Delivered, LastError = error },
                recordToken).ConfigureAwait(false);
            done += complete ? 1 : 0;
            if (state == OutboxState.Failed)
            {
                LogFailed(department, entry.Alert.AssetId, entry.Alert.Id, error ?? "unknown");
            }
        }

        if (cut)
        {
            // Cut before any request left (queued behind other departments' posts to the same webhook): no post
            // started a group window, so the mark goes back and the department's alerts stay due, rather than held
            // for a window in which the channel heard nothing from it.
            if (moved is not null && !round.Sent
                && await outbox.RestoreDispatchMarkAsync(department, moved.ClaimedAt, moved.Previous, recordToken).ConfigureAwait(false))
            {
                LogMarkRestored(department);
            }

            LogReleased(department, claimed.Count - done);
        }

        return done;
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private TimeSpan Backoff(int attempts) =>
        TimeSpan.FromMilliseconds(settings.RetryBase.TotalMilliseconds * Math.Pow(2, Math.Min(attempts - 1, 8)) * (0.8 + (Random.Shared.NextDouble() * 0.4)));

    [LoggerMessage(EventId = 32, Level = LogLevel.Warning, Message = "Alert {AlertId} for {Department}/{AssetId} failed: {Error}")]
    private partial void LogFailed(string department, string assetId, string alertId, string error);

    [LoggerMessage(EventId = 35, Level = LogLevel.Information, Message = "Released {Count} alert(s) of {Department} whose delivery after their commit was cut short; the timer sweep delivers them")]
    private partial void LogReleased(string department, int count);

    [LoggerMessage(EventId = 36, Level = LogLevel.Information, Message = "Put back the dispatch mark of {Department}: its delivery after the commit was cut before any request was sent, so its alerts stay due")]
    private partial void LogMarkRestored(string department);
}
