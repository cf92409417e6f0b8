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
