using AssetCompliance.Core.State;
using Microsoft.Extensions.Logging;

namespace AssetCompliance.Core.Alerting;

/// <summary>How alerts are grouped and retried.</summary>
public sealed record DispatchSettings
{
    /// <summary>
    /// The least time between two posts of one department's alerts (Alertmanager's <c>group_interval</c>; default
    /// 60 s). A department's first alerts after a quiet spell go out at once, right after the batch that raised them
    /// commits (a batch is already a group: there is no <c>group_wait</c>); alerts raised within the window of the
    /// last post wait for its end and then go out together, at the timer sweep or with the next batch. So the window
    /// limits how often a channel is posted to, not how long the first alert waits. Zero posts every time.
    /// </summary>
    public TimeSpan GroupWindow { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a dispatcher owns the rows it claimed; after it, another may take them over.</summary>
    public TimeSpan Lease { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// At most this many alerts are claimed together; they are posted in as many cards as their size takes (about
    /// eight devices fit in one), in the same round.
    /// </summary>
    public int MaxAlertsPerCard { get; init; } = 50;

    /// <summary>First wait before retrying a post that failed transiently; doubles per attempt, with jitter.</summary>
    public TimeSpan RetryBase { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>After this many attempts a transiently failing alert is marked failed.</summary>
    public int MaxAttempts { get; init; } = 10;

    /// <summary>
    /// How long delivery right after a batch commits may take in all (default 5 s), every department of the batch
    /// together: one attempt per post (<see cref="SendEffort.Once"/>). What has not gone through by then is released
    /// back to the outbox for the timer sweep, which retries with the sender's full effort. It bounds how long a slow
    /// or silent webhook can hold a batch (and, in Azure, its Service Bus lock).
    /// </summary>
    public TimeSpan PostCommitBudget { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long delivered alerts are kept for <c>GET /api/alerts?status=sent</c>. The device's history keeps every
    /// transition for good, and Teams keeps the card, so what is pruned is only the delivery record.
    /// </summary>
    public TimeSpan DeliveredRetention { get; init; } = TimeSpan.FromDays(90);
}

/// <summary>
/// Delivers the outbox: claims a department's deliverable alerts when its group window allows (see
/// <see cref="DispatchSettings.GroupWindow"/>), posts them to each target in as many cards as fit (see <see cref="AlertCardBuilder.BuildCard"/>), and records each row's outcome. Rows are
/// claimed with their ETags, all or none, together with the department's <see cref="DispatchMark"/>, so two
/// dispatchers never post the same row nor post one department twice within a window; a row is marked delivered per
/// target, so a retry goes only where it has not arrived.
/// </summary>
public sealed partial class AlertDispatcher(
    IComplianceStore store,
    IAlertSender sender,
    IAlertRouting routing,
    AlertCardBuilder cards,
    DispatchSettings settings,
    TimeProvider time,
    ILogger<AlertDispatcher> logger)
{
    private static readonly OutboxState[] Deliverable = [OutboxState.Pending, OutboxState.Sending];

    /// <summary>Departments posted to at once after a commit; posts to one webhook are still spaced by its sender.</summary>
    private const int AfterCommitParallelism = 4;

    /// <summary>
    /// How long releasing a claim cut short may take, on a clock of its own: the release must happen even when the
    /// budget, or the host's shutdown, cancelled the post; else the alert would wait as Sending for its whole lease.
    /// </summary>
    private static readonly TimeSpan ReleaseTimeout = TimeSpan.FromSeconds(10);

    /// <summary>One pass over every department; returns how many alerts reached every target.</summary>
    public async Task<int> DispatchAsync(CancellationToken cancellationToken)
    {
        var delivered = 0;
        foreach (var department in await store.GetDepartmentsAsync(cancellationToken).ConfigureAwait(false))
        {
            delivered += await DispatchDepartmentAsync(department, cancellationToken).ConfigureAwait(false);
        }

        return delivered;
    }

    /// <summary>
    /// Posts a department's deliverable alerts (pending and due, or claimed by a dispatcher whose lease lapsed) if its
    /// group window allows: at once when the department was not posted to within the window, else nothing until the
    /// window ends. Returns how many alerts reached every target; 0 when nothing was due or another dispatcher won.
    /// </summary>
    public Task<int> DispatchDepartmentAsync(string department, CancellationToken cancellationToken) =>
        DispatchDepartmentAsync(department, SendEffort.Full, cancellationToken, cancellationToken);

    /// <summary>
    /// Delivery right after a batch committed, for the departments it changed: as <see cref="DispatchDepartmentAsync(string, CancellationToken)"/>
    /// (the group window holds alike), but bounded by <see cref="DispatchSettings.PostCommitBudget"/> in all, with one
    /// attempt per post and a few departments at once. A post the budget cuts short is released back to the outbox
    /// at once, as pending and without counting as an attempt, with what did arrive kept (a target that accepted is
    /// not posted again); the timer sweep delivers the rest. Never throws for a delivery problem: each department's is
    /// logged, and its alerts stay in the outbox. Returns how many alerts reached every target.
    /// </summary>
    public async Task<int> DispatchAfterCommitAsync(IReadOnlyCollection<string> departments, CancellationToken cancellationToken)
    {
        using var budget = new CancellationTokenSource(settings.PostCommitBudget, time);
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, budget.Token);
        var delivered = 0;
        // The loop itself is never cancelled: each department handles its own cut, so that every claim is released.
        await Parallel.ForEachAsync(departments, new ParallelOptions { MaxDegreeOfParallelism = AfterCommitParallelism }, async (department, _) =>
        {
            try
            {
                Interlocked.Add(ref delivered, await DispatchDepartmentAsync(department, SendEffort.Once, bounded.Token, cancellationToken).ConfigureAwait(false));
            }
            catch (OperationCanceledException) when (bounded.IsCancellationRequested)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    LogDeliveryCancelled(department);
                }
                else
                {
                    LogBudgetSpent(department, settings.PostCommitBudget.TotalSeconds);
                }
            }
            catch (Exception e)
            {
                LogDeliveryFailed(e, department);
            }
        }).ConfigureAwait(false);
        return delivered;
    }

    /// <param name="postToken">Cancels the reads, the claim and the posts (after a commit: the budget).</param>
    /// <param name="settleToken">Cancels the recording of outcomes (the host's own token: a cut post is still recorded).</param>
    private async Task<int> DispatchDepartmentAsync(string department, SendEffort effort, CancellationToken postToken, CancellationToken settleToken)
    {
        var targets = routing.For(department);
        if (targets.Count == 0)
        {
            return 0; // no channel configured: the alerts wait in the outbox rather than count as sent
        }

        var now = time.GetUtcNow();
        var ready = (await store.GetOutboxEntriesAsync(department, Deliverable, postToken).ConfigureAwait(false))
            .Where(e => e.State == OutboxState.Pending ? (e.NotBefore ?? DateTimeOffset.MinValue) <= now : e.LeaseUntil is { } lease && lease <= now)
            .OrderBy(e => e.Alert.OccurredAt)
            .ToList();
        if (ready.Count == 0)
        {
            return 0;
        }

        var mark = await store.GetDispatchMarkAsync(department, postToken).ConfigureAwait(false);
        if (mark.LastClaimedAt is { } last && now < last + settings.GroupWindow)
        {
            LogHeld(department, ready.Count, last + settings.GroupWindow);
            return 0;
        }

        var delivered = 0;
        // The mark moves with the first group's claim; the further cards of this round are the same notification.
        DispatchMark? moving = mark with { LastClaimedAt = now };
        foreach (var group in ready.Chunk(settings.MaxAlertsPerCard))
        {
            // The budget may stop the round before a claim, never during one: a claim cut in flight may still have
            // committed, leaving rows Sending for the lease and the mark moved with nothing posted and nothing to
            // release. Once made, a claim is always released (see DeliverAsync).
            postToken.ThrowIfCancellationRequested();
            if (await store.ClaimOutboxAsync(department, group, now + settings.Lease, moving, settleToken).ConfigureAwait(false) is not { } claimed)
            {
                LogLostClaim(department);
                return delivered;
            }

            // Only the claim that moved the mark may put it back, when its round posted nothing.
            var moved = moving is null ? null : new MarkMove(now, mark.LastClaimedAt);
            moving = null;
            delivered += await DeliverAsync(department, claimed, targets, effort, moved, postToken, settleToken).ConfigureAwait(false);
        }

        return delivered;
    }

    /// <summary>
    /// Posts each department's digest of what is still open (NonCompliant or NeedsReview), oldest first. A department
    /// with nothing open gets no post. Returns how many digests were accepted.
    /// </summary>
    public async Task<int> SendDigestsAsync(CancellationToken cancellationToken)
    {
        var sent = 0;
        foreach (var department in await store.GetDepartmentsAsync(cancellationToken).ConfigureAwait(false))
        {
            var open = new List<ComplianceRecord>();
            await foreach (var stored in store.FindRecordsAsync(department, new RecordFilter.Open(), cancellationToken).ConfigureAwait(false))
            {
                open.Add(stored.Record);
            }

            if (open.Count == 0)
            {
                continue;
            }

            var message = cards.BuildDigest(department, open, time.GetUtcNow());
            foreach (var target in routing.For(department))
            {
                var result = await sender.SendAsync(target, message, SendEffort.Full, cancellationToken).ConfigureAwait(false);
                LogPosted(department, target.Name, open.Count, result.Status, result.HttpStatus);
                sent += result.Status == DeliveryStatus.Accepted ? 1 : 0;
            }
        }

        return sent;
    }

    /// <summary>Deletes delivery records older than the retention in every department; returns how many.</summary>
    public async Task<int> PruneDeliveredAsync(CancellationToken cancellationToken)
    {
        var before = time.GetUtcNow() - settings.DeliveredRetention;
        var pruned = 0;
        foreach (var department in await store.GetDepartmentsAsync(cancellationToken).ConfigureAwait(false))
        {
            var count = await store.PruneDeliveredAlertsAsync(department, before, cancellationToken).ConfigureAwait(false);
            if (count > 0)
            {
                LogPruned(department, count, before);
            }

            pruned += count;
        }

        return pruned;
    }

    /// <summary>The dispatch mark a claim moved: to <paramref name="ClaimedAt"/>, from <paramref name="Previous"/>.</summary>
    private sealed record MarkMove(DateTimeOffset ClaimedAt, DateTimeOffset? Previous);

    /// <param name="moved">The mark this group's claim moved, if it did (the round's first group).</param>
    private async Task<int> DeliverAsync(string department, IReadOnlyList<OutboxEntry> claimed, IReadOnlyList<AlertTarget> targets, SendEffort effort,
        MarkMove? moved, CancellationToken postToken, CancellationToken settleToken)
    {
        var outcomes = claimed.ToDictionary(e => e.Alert.Id, e => new Outcome(new HashSet<string>(e.DeliveredTo, StringComparer.Ordinal)));
        var round = new Round();
        var cut = false;
        try
        {
            foreach (var target in targets)
            {
                var pending = claimed.Where(e => !outcomes[e.Alert.Id].Delivered.Contains(target.Name)).Select(e => e.Alert).ToList();
                await PostAsync(department, target, pending, outcomes, effort, round, postToken).ConfigureAwait(false);
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
            await store.SettleOutboxAsync(department, entry with { State = state, Attempts = attempts, NotBefore = notBefore, DeliveredTo = outcome.Delivered, LastError = error },
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
                && await store.RestoreDispatchMarkAsync(department, moved.ClaimedAt, moved.Previous, recordToken).ConfigureAwait(false))
            {
                LogMarkRestored(department);
            }

            LogReleased(department, claimed.Count - done);
        }

        return done;
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    /// <summary>What one round of posts did for one alert: where it arrived, the last failure, and whether it is final.</summary>
    private sealed class Outcome(HashSet<string> delivered)
    {
        public HashSet<string> Delivered { get; } = delivered;

        public string? Error { get; set; }

        public bool Permanent { get; set; }

        public TimeSpan? RetryAfter { get; set; }
    }

    /// <summary>Whether any request of a round left for a webhook (an answer, or a post cut in flight).</summary>
    private sealed class Round
    {
        public bool Sent { get; set; }
    }

    /// <summary>
    /// Posts these alerts to one target, in as many cards as it takes: a card shows what fits in full, and only
    /// those are settled as delivered by its acceptance; the rest go in the next card, in the same round (so they
    /// never wait for the window their own department's card just opened). A 413 splits a card's alerts in two and
    /// tries each half; a refusal or transient failure stands for the rest too, which would go to the same webhook.
    /// </summary>
    private async Task PostAsync(string department, AlertTarget target, IReadOnlyList<Alert> alerts, Dictionary<string, Outcome> outcomes,
        SendEffort effort, Round round, CancellationToken cancellationToken)
    {
        var rest = alerts;
        while (rest.Count > 0)
        {
            var card = cards.BuildCard(department, rest);
            var result = await sender.SendAsync(target, card.Message, effort, cancellationToken).ConfigureAwait(false);
            round.Sent = true;
            if (result.Status == DeliveryStatus.TooLarge && card.Shown.Count > 1)
            {
                var half = card.Shown.Count / 2;
                await PostAsync(department, target, card.Shown.Take(half).ToArray(), outcomes, effort, round, cancellationToken).ConfigureAwait(false);
                await PostAsync(department, target, card.Shown.Skip(half).ToArray(), outcomes, effort, round, cancellationToken).ConfigureAwait(false);
                rest = card.Rest;
                continue;
            }

            LogPosted(department, target.Name, card.Shown.Count, result.Status, result.HttpStatus);
            if (result.Status is DeliveryStatus.Accepted or DeliveryStatus.TooLarge) // a 413 of one device is that device's
            {
                Record(card.Shown, target, result, outcomes);
                rest = card.Rest;
            }
            else
            {
                Record(rest, target, result, outcomes); // the webhook's failure: the rest would meet it too
                return;
            }
        }
    }

    private static void Record(IReadOnlyList<Alert> alerts, AlertTarget target, DeliveryResult result, Dictionary<string, Outcome> outcomes)
    {
        foreach (var alert in alerts)
        {
            var outcome = outcomes[alert.Id];
            if (result.Status == DeliveryStatus.Accepted)
            {
                outcome.Delivered.Add(target.Name);
            }
            else
            {
                outcome.Error = $"{target.Name}: {result.Status}{(result.HttpStatus is { } code ? $" (HTTP {code})" : "")}{(result.Detail is { Length: > 0 } d ? $": {d}" : "")}";
                outcome.Permanent |= result.Status is DeliveryStatus.Rejected or DeliveryStatus.TooLarge;
                if (result.RetryAfter is { } wait && (outcome.RetryAfter is null || wait > outcome.RetryAfter))
                {
                    outcome.RetryAfter = wait; // the longest any target asked for
                }
            }
        }
    }

    private TimeSpan Backoff(int attempts) =>
        TimeSpan.FromMilliseconds(settings.RetryBase.TotalMilliseconds * Math.Pow(2, Math.Min(attempts - 1, 8)) * (0.8 + (Random.Shared.NextDouble() * 0.4)));

    [LoggerMessage(EventId = 30, Level = LogLevel.Information, Message = "Posted {Count} alert(s) of {Department} to {Target}: {Status} {HttpStatus}")]
    private partial void LogPosted(string department, string target, int count, DeliveryStatus status, int? httpStatus);

    [LoggerMessage(EventId = 31, Level = LogLevel.Information, Message = "Another dispatcher claimed the alerts of {Department} first")]
    private partial void LogLostClaim(string department);

    [LoggerMessage(EventId = 33, Level = LogLevel.Information, Message = "Pruned {Count} delivered alert(s) of {Department} that happened before {Before}")]
    private partial void LogPruned(string department, int count, DateTimeOffset before);

    [LoggerMessage(EventId = 34, Level = LogLevel.Debug, Message = "Holding {Count} alert(s) of {Department} until its group window ends at {Until}")]
    private partial void LogHeld(string department, int count, DateTimeOffset until);

    [LoggerMessage(EventId = 35, Level = LogLevel.Information, Message = "Released {Count} alert(s) of {Department} whose delivery after their commit was cut short; the timer sweep delivers them")]
    private partial void LogReleased(string department, int count);

    [LoggerMessage(EventId = 36, Level = LogLevel.Information, Message = "Put back the dispatch mark of {Department}: its delivery after the commit was cut before any request was sent, so its alerts stay due")]
    private partial void LogMarkRestored(string department);

    [LoggerMessage(EventId = 40, Level = LogLevel.Warning, Message = "Alert delivery for {Department} after its batch committed failed; the alerts stay in the outbox for the timer sweep")]
    private partial void LogDeliveryFailed(Exception exception, string department);

    [LoggerMessage(EventId = 41, Level = LogLevel.Information, Message = "Alert delivery after a committed batch was cancelled at {Department}; the alerts stay in the outbox for the timer sweep")]
    private partial void LogDeliveryCancelled(string department);

    [LoggerMessage(EventId = 42, Level = LogLevel.Warning, Message = "Alert delivery for {Department} after its batch committed did not finish within its budget of {BudgetSeconds} s (a slow or silent webhook, or storage); the alerts stay in the outbox for the timer sweep")]
    private partial void LogBudgetSpent(string department, double budgetSeconds);

    [LoggerMessage(EventId = 32, Level = LogLevel.Warning, Message = "Alert {AlertId} for {Department}/{AssetId} failed: {Error}")]
    private partial void LogFailed(string department, string assetId, string alertId, string error);
}
