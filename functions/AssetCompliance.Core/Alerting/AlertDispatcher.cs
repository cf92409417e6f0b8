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

    /// <summary>At most this many alerts are claimed for one card; the card itself truncates to its size limit.</summary>
    public int MaxAlertsPerCard { get; init; } = 50;

    /// <summary>First wait before retrying a post that failed transiently; doubles per attempt, with jitter.</summary>
    public TimeSpan RetryBase { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>After this many attempts a transiently failing alert is marked failed.</summary>
    public int MaxAttempts { get; init; } = 10;

    /// <summary>
    /// How long delivered alerts are kept for <c>GET /api/alerts?status=sent</c>. The device's history keeps every
    /// transition for good, and Teams keeps the card, so what is pruned is only the delivery record.
    /// </summary>
    public TimeSpan DeliveredRetention { get; init; } = TimeSpan.FromDays(90);
}

/// <summary>
/// Delivers the outbox: claims a department's deliverable alerts when its group window allows (see
/// <see cref="DispatchSettings.GroupWindow"/>), posts one card per target, and records each row's outcome. Rows are
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
    public async Task<int> DispatchDepartmentAsync(string department, CancellationToken cancellationToken)
    {
        var targets = routing.For(department);
        if (targets.Count == 0)
        {
            return 0; // no channel configured: the alerts wait in the outbox rather than count as sent
        }

        var now = time.GetUtcNow();
        var ready = (await store.GetOutboxEntriesAsync(department, Deliverable, cancellationToken).ConfigureAwait(false))
            .Where(e => e.State == OutboxState.Pending ? (e.NotBefore ?? DateTimeOffset.MinValue) <= now : e.LeaseUntil is { } lease && lease <= now)
            .OrderBy(e => e.Alert.OccurredAt)
            .ToList();
        if (ready.Count == 0)
        {
            return 0;
        }

        var mark = await store.GetDispatchMarkAsync(department, cancellationToken).ConfigureAwait(false);
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
            if (await store.ClaimOutboxAsync(department, group, now + settings.Lease, moving, cancellationToken).ConfigureAwait(false) is not { } claimed)
            {
                LogLostClaim(department);
                return delivered;
            }

            moving = null;
            delivered += await DeliverAsync(department, claimed, targets, cancellationToken).ConfigureAwait(false);
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
                var result = await sender.SendAsync(target, message, cancellationToken).ConfigureAwait(false);
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

    private async Task<int> DeliverAsync(string department, IReadOnlyList<OutboxEntry> claimed, IReadOnlyList<AlertTarget> targets, CancellationToken cancellationToken)
    {
        var outcomes = claimed.ToDictionary(e => e.Alert.Id, e => (Delivered: new HashSet<string>(e.DeliveredTo, StringComparer.Ordinal), Error: (string?)null, Permanent: false));
        foreach (var target in targets)
        {
            var pending = claimed.Where(e => !outcomes[e.Alert.Id].Delivered.Contains(target.Name)).Select(e => e.Alert).ToList();
            await PostAsync(department, target, pending, outcomes, cancellationToken).ConfigureAwait(false);
        }

        var done = 0;
        foreach (var entry in claimed)
        {
            var (deliveredTo, error, permanent) = outcomes[entry.Alert.Id];
            var complete = targets.All(t => deliveredTo.Contains(t.Name));
            var attempts = entry.Attempts + 1;
            var state = complete ? OutboxState.Sent
                : permanent || attempts >= settings.MaxAttempts ? OutboxState.Failed
                : OutboxState.Pending;
            var notBefore = state == OutboxState.Pending ? time.GetUtcNow() + Backoff(attempts) : (DateTimeOffset?)null;
            await store.SettleOutboxAsync(department, entry with { State = state, Attempts = attempts, NotBefore = notBefore, DeliveredTo = deliveredTo, LastError = complete ? null : error },
                cancellationToken).ConfigureAwait(false);
            done += complete ? 1 : 0;
            if (state == OutboxState.Failed)
            {
                LogFailed(department, entry.Alert.AssetId, entry.Alert.Id, error ?? "unknown");
            }
        }

        return done;
    }

    /// <summary>Posts one card for these alerts; a 413 splits them in two and tries each half.</summary>
    private async Task PostAsync(string department, AlertTarget target, IReadOnlyList<Alert> alerts,
        Dictionary<string, (HashSet<string> Delivered, string? Error, bool Permanent)> outcomes, CancellationToken cancellationToken)
    {
        if (alerts.Count == 0)
        {
            return;
        }

        var result = await sender.SendAsync(target, cards.Build(department, alerts), cancellationToken).ConfigureAwait(false);
        if (result.Status == DeliveryStatus.TooLarge && alerts.Count > 1)
        {
            var half = alerts.Count / 2;
            await PostAsync(department, target, alerts.Take(half).ToArray(), outcomes, cancellationToken).ConfigureAwait(false);
            await PostAsync(department, target, alerts.Skip(half).ToArray(), outcomes, cancellationToken).ConfigureAwait(false);
            return;
        }

        LogPosted(department, target.Name, alerts.Count, result.Status, result.HttpStatus);
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
            }

            outcomes[alert.Id] = outcome;
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

    [LoggerMessage(EventId = 32, Level = LogLevel.Warning, Message = "Alert {AlertId} for {Department}/{AssetId} failed: {Error}")]
    private partial void LogFailed(string department, string assetId, string alertId, string error);
}
