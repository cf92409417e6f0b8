using AssetCompliance.Core.State;
using Microsoft.Extensions.Logging;

namespace AssetCompliance.Core.Alerting;

/// <summary>
/// Delivers the outbox: claims a department's deliverable alerts when its group window allows (see
/// <see cref="DispatchSettings.GroupWindow"/>), posts them to each target in as many cards as fit (see <see cref="AlertCardBuilder.BuildCard"/>), and records each row's outcome. Rows are
/// claimed with their ETags, all or none, together with the department's <see cref="DispatchMark"/>, so two
/// dispatchers never post the same row nor post one department twice within a window; a row is marked delivered per
/// target, so a retry goes only where it has not arrived.
/// </summary>
public sealed partial class AlertDispatcher
{
    private readonly IRecordStore _records;
    private readonly IAlertOutbox _outbox;
    private readonly IAlertSender _sender;
    private readonly IAlertRouting _routing;
    private readonly AlertCardBuilder _cards;
    private readonly DispatchSettings _settings;
    private readonly TimeProvider _time;
    private readonly ILogger<AlertDispatcher> _logger;
    private readonly ClaimedRound _round;

    /// <param name="records">The departments to dispatch for, and the open records of the digest.</param>
    /// <param name="outbox">The alerts to deliver, their claims and outcomes.</param>
    public AlertDispatcher(IRecordStore records, IAlertOutbox outbox, IAlertSender sender, IAlertRouting routing, AlertCardBuilder cards,
        DispatchSettings settings, TimeProvider time, ILogger<AlertDispatcher> logger)
    {
        (_records, _outbox, _sender, _routing, _cards, _settings, _time, _logger) = (records, outbox, sender, routing, cards, settings, time, logger);
        _round = new ClaimedRound(outbox, new CardPoster(sender, cards, logger), settings, time, logger);
    }

    private static readonly OutboxState[] Deliverable = [OutboxState.Pending, OutboxState.Sending];

    /// <summary>Departments posted to at once after a commit; posts to one webhook are still spaced by its sender.</summary>
    private const int AfterCommitParallelism = 4;

    /// <summary>One pass over every department; returns how many alerts reached every target.</summary>
    public async Task<int> DispatchAsync(CancellationToken cancellationToken)
    {
        var delivered = 0;
        foreach (var department in await _records.GetDepartmentsAsync(cancellationToken).ConfigureAwait(false))
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
        using var budget = new CancellationTokenSource(_settings.PostCommitBudget, _time);
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
                    LogBudgetSpent(department, _settings.PostCommitBudget.TotalSeconds);
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
        var targets = _routing.For(department);
        if (targets.Count == 0)
        {
            return 0; // no channel configured: the alerts wait in the outbox rather than count as sent
        }

        var now = _time.GetUtcNow();
        var ready = (await _outbox.GetOutboxEntriesAsync(department, Deliverable, postToken).ConfigureAwait(false))
            .Where(e => e.State == OutboxState.Pending ? (e.NotBefore ?? DateTimeOffset.MinValue) <= now : e.LeaseUntil is { } lease && lease <= now)
            .OrderBy(e => e.Alert.OccurredAt)
            .ToList();
        if (ready.Count == 0)
        {
            return 0;
        }

        var mark = await _outbox.GetDispatchMarkAsync(department, postToken).ConfigureAwait(false);
        if (mark.LastClaimedAt is { } last && now < last + _settings.GroupWindow)
        {
            LogHeld(department, ready.Count, last + _settings.GroupWindow);
            return 0;
        }

        var delivered = 0;
        // The mark moves with the first group's claim; the further cards of this round are the same notification.
        DispatchMark? moving = mark with { LastClaimedAt = now };
        foreach (var group in ready.Chunk(_settings.MaxAlertsPerCard))
        {
            // The budget may stop the round before a claim, never during one: a claim cut in flight may still have
            // committed, leaving rows Sending for the lease and the mark moved with nothing posted and nothing to
            // release. Once made, a claim is always released (see ClaimedRound.DeliverAsync).
            postToken.ThrowIfCancellationRequested();
            if (await _outbox.ClaimOutboxAsync(department, group, now + _settings.Lease, moving, settleToken).ConfigureAwait(false) is not { } claimed)
            {
                LogLostClaim(department);
                return delivered;
            }

            // Only the claim that moved the mark may put it back, when its round posted nothing.
            var moved = moving is null ? null : new ClaimedRound.MarkMove(now, mark.LastClaimedAt);
            moving = null;
            delivered += await _round.DeliverAsync(department, claimed, targets, effort, moved, postToken, settleToken).ConfigureAwait(false);
        }

        return delivered;
    }

    /// <summary>
    /// Posts each department's digest of what is still open (NonCompliant or NeedsReview) and of the devices whose
    /// remediation plan is overdue, oldest first. A department with neither gets no post. Returns how many digests were accepted.
    /// </summary>
    public async Task<int> SendDigestsAsync(CancellationToken cancellationToken)
    {
        var sent = 0;
        foreach (var department in await _records.GetDepartmentsAsync(cancellationToken).ConfigureAwait(false))
        {
            var open = new List<ComplianceRecord>();
            await foreach (var stored in _records.FindRecordsAsync(department, new RecordFilter.Open(), cancellationToken).ConfigureAwait(false))
            {
                open.Add(stored.Record);
            }

            // An overdue plan is in the digest whatever the device's status (an Advisory device's plan too), once.
            var listed = open.Select(r => r.AssetId).ToHashSet(StringComparer.Ordinal);
            await foreach (var stored in _records.FindRecordsAsync(department, new RecordFilter.RemediationOverdue(), cancellationToken).ConfigureAwait(false))
            {
                if (listed.Add(stored.Record.AssetId)) open.Add(stored.Record);
            }

            if (open.Count == 0)
            {
                continue;
            }

            var message = _cards.BuildDigest(department, open, _time.GetUtcNow());
            foreach (var target in _routing.For(department))
            {
                var result = await _sender.SendAsync(target, message, SendEffort.Full, cancellationToken).ConfigureAwait(false);
                LogPosted(department, target.Name, open.Count, result.Status, result.HttpStatus);
                sent += result.Status == DeliveryStatus.Accepted ? 1 : 0;
            }
        }

        return sent;
    }

    /// <summary>Deletes delivery records older than the retention in every department; returns how many.</summary>
    public async Task<int> PruneDeliveredAsync(CancellationToken cancellationToken)
    {
        var before = _time.GetUtcNow() - _settings.DeliveredRetention;
        var pruned = 0;
        foreach (var department in await _records.GetDepartmentsAsync(cancellationToken).ConfigureAwait(false))
        {
            var count = await _outbox.PruneDeliveredAlertsAsync(department, before, cancellationToken).ConfigureAwait(false);
            if (count > 0)
            {
                LogPruned(department, count, before);
            }

            pruned += count;
        }

        return pruned;
    }

    [LoggerMessage(EventId = 30, Level = LogLevel.Information, Message = "Posted {Count} alert(s) of {Department} to {Target}: {Status} {HttpStatus}")]
    private partial void LogPosted(string department, string target, int count, DeliveryStatus status, int? httpStatus);

    [LoggerMessage(EventId = 31, Level = LogLevel.Information, Message = "Another dispatcher claimed the alerts of {Department} first")]
    private partial void LogLostClaim(string department);

    [LoggerMessage(EventId = 33, Level = LogLevel.Information, Message = "Pruned {Count} delivered alert(s) of {Department} that happened before {Before}")]
    private partial void LogPruned(string department, int count, DateTimeOffset before);

    [LoggerMessage(EventId = 34, Level = LogLevel.Debug, Message = "Holding {Count} alert(s) of {Department} until its group window ends at {Until}")]
    private partial void LogHeld(string department, int count, DateTimeOffset until);

    [LoggerMessage(EventId = 40, Level = LogLevel.Warning, Message = "Alert delivery for {Department} after its batch committed failed; the alerts stay in the outbox for the timer sweep")]
    private partial void LogDeliveryFailed(Exception exception, string department);

    [LoggerMessage(EventId = 41, Level = LogLevel.Information, Message = "Alert delivery after a committed batch was cancelled at {Department}; the alerts stay in the outbox for the timer sweep")]
    private partial void LogDeliveryCancelled(string department);

    [LoggerMessage(EventId = 42, Level = LogLevel.Warning, Message = "Alert delivery for {Department} after its batch committed did not finish within its budget of {BudgetSeconds} s (a slow or silent webhook, or storage); the alerts stay in the outbox for the timer sweep")]
    private partial void LogBudgetSpent(string department, double budgetSeconds);
}
