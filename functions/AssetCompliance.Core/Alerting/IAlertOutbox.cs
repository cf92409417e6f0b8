namespace AssetCompliance.Core.Alerting;

/// <summary>
/// Port to the alert outbox: the alerts each commit wrote (<see cref="State.AssetChange.Alerts"/>, stored in the same
/// transaction as their transition), their delivery state, the department's dispatch mark, and the delivered log.
/// Every write is guarded by the ETag read, so that of two dispatchers only one wins; implementations throw on
/// infrastructure failure.
/// </summary>
public interface IAlertOutbox
{
    /// <summary>A department's outbox rows in the given states, oldest first.</summary>
    Task<IReadOnlyList<OutboxEntry>> GetOutboxEntriesAsync(string department, IReadOnlyCollection<OutboxState> states, CancellationToken cancellationToken) =>
        GetOutboxEntriesAsync(department, states, since: null, cancellationToken);

    /// <summary>
    /// A department's outbox rows in the given states whose transition happened at or after <paramref name="since"/>,
    /// oldest first: a tool that polls for alerts asks only for what is new since its last poll.
    /// </summary>
    Task<IReadOnlyList<OutboxEntry>> GetOutboxEntriesAsync(string department, IReadOnlyCollection<OutboxState> states, DateTimeOffset? since, CancellationToken cancellationToken);

    /// <summary>When the department's alerts were last claimed for posting; <see cref="DispatchMark.None"/> if never.</summary>
    Task<DispatchMark> GetDispatchMarkAsync(string department, CancellationToken cancellationToken);

    /// <summary>
    /// Claims rows for delivery until <paramref name="leaseUntil"/>, all or none, with their ETags: of two dispatchers
    /// only one can win. With a <paramref name="mark"/>, the department's dispatch mark is set to its
    /// <see cref="DispatchMark.LastClaimedAt"/> in the same transaction as the first rows, guarded by its ETag
    /// (the one read; null: the mark must not exist yet), so that of two dispatchers that both found the department due
    /// only one posts, even when they hold different rows. Returns the claimed rows with their new ETags, or null when
    /// another dispatcher got there first.
    /// </summary>
    Task<IReadOnlyList<OutboxEntry>?> ClaimOutboxAsync(string department, IReadOnlyList<OutboxEntry> entries, DateTimeOffset leaseUntil, DispatchMark? mark, CancellationToken cancellationToken);

    /// <summary>
    /// Puts the department's dispatch mark back to <paramref name="previous"/> (null: never claimed) after a claim that
    /// set it to <paramref name="claimedAt"/> posted nothing, so that the department's alerts are due again rather than
    /// held for a window no post started. Guarded by the mark's ETag as read here: only a mark still at
    /// <paramref name="claimedAt"/>, not moved by another dispatcher meanwhile, is put back. Returns whether it was.
    /// </summary>
    Task<bool> RestoreDispatchMarkAsync(string department, DateTimeOffset claimedAt, DateTimeOffset? previous, CancellationToken cancellationToken);

    /// <summary>
    /// Records a claimed row's delivery outcome; false when the claim had lapsed and another dispatcher owns it. A row
    /// delivered everywhere leaves the outbox for the delivered log in the same atomic step, so that what the
    /// dispatcher reads every minute holds only what is still to do.
    /// </summary>
    Task<bool> SettleOutboxAsync(string department, OutboxEntry entry, CancellationToken cancellationToken);

    /// <summary>Deletes delivered alerts that happened before <paramref name="before"/>; returns how many.</summary>
    Task<int> PruneDeliveredAlertsAsync(string department, DateTimeOffset before, CancellationToken cancellationToken);
}
