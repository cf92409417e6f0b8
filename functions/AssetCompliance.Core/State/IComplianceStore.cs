using AssetCompliance.Core.Events;

namespace AssetCompliance.Core.State;

/// <summary>
/// The stored record, the concurrency token needed to update it safely, how many history entries it has, and the
/// fingerprints of the commands applied to it (<see cref="Identifiers.Fingerprint"/>), oldest first, so that a
/// redelivery is recognised from the record alone.
/// </summary>
public sealed record StoredRecord(ComplianceRecord Record, string ETag, long HistoryCount, IReadOnlyList<ulong> AppliedCommands)
{
    /// <summary>
    /// How many command fingerprints a record keeps. They share one binary property with the history count, which
    /// holds at most 64 KiB: 8,000 fingerprints and the count take 64,008 bytes. (8,192 did not fit with the count,
    /// and a device reaching it would have failed every later write.) An asset needs this many changes,
    /// re-evaluations and exemption steps before its oldest are forgotten; a repeat of a forgotten event is then
    /// recorded as superseded (its revision is old), never applied again.
    /// </summary>
    public const int AppliedCommandLimit = 8000;

    public StoredRecord(ComplianceRecord record, string etag, long historyCount)
        : this(record, etag, historyCount, [])
    {
    }
}

/// <summary>One command's trace in storage: its history entry, numbered, and its fingerprint for the record.</summary>
/// <param name="Fingerprint"><see cref="Identifiers.Fingerprint"/> of <paramref name="CommandId"/>, computed once by the planner.</param>
/// <param name="Sequence">The history entry's number for the asset (1-based); history is read back in this order.</param>
public sealed record CommandWrite(string CommandId, ulong Fingerprint, long Sequence, HistoryEntry History);

/// <summary>
/// Everything a run of commands changes for one asset, committed together or not at all: a history entry per command
/// (and its fingerprint on the record), the record (or only its history count when every command was superseded), the alerts for the
/// outbox, and the department summary moved by <see cref="Delta"/>.
/// </summary>
/// <param name="Before">The record as read, with its ETag; null when the asset was not known.</param>
/// <param name="After">The record to store; null when only history grows.</param>
public sealed record AssetChange(
    string Department,
    string AssetId,
    StoredRecord? Before,
    ComplianceRecord? After,
    long HistoryCount,
    IReadOnlyList<CommandWrite> Commands,
    IReadOnlyList<Alert> Alerts)
{
    /// <summary>The record's applied-command fingerprints after this change (the newest last).</summary>
    public IReadOnlyList<ulong> AppliedCommands =>
        [.. (Before?.AppliedCommands ?? []).Concat(Commands.Select(c => c.Fingerprint)).TakeLast(StoredRecord.AppliedCommandLimit)];

    /// <summary>How many commands one change may carry, so that it always fits one 100-entity transaction.</summary>
    public const int MaxCommands = 30;

    public SummaryDelta Delta => After is null ? SummaryDelta.None : SummaryDelta.Between(Before?.Record, After);
}

/// <summary>What became of each change in a commit: committed, or lost an optimistic-concurrency race (read the record
/// again and plan once more; a command another writer committed meanwhile is then seen as a repeat).</summary>
public sealed record CommitReport(IReadOnlyList<AssetChange> Committed, IReadOnlyList<AssetChange> Conflicted);

/// <summary>Which stored records a sweep wants.</summary>
public abstract record RecordFilter
{
    private RecordFilter()
    {
    }

    /// <summary>Records evaluated with a different catalogue or policy version than these.</summary>
    public sealed record NotEvaluatedWith(string CatalogueVersion, string PolicyVersion) : RecordFilter;

    /// <summary>Records whose exemption expired at or before this time.</summary>
    public sealed record ExemptionExpiredBy(DateTimeOffset Time) : RecordFilter;

    /// <summary>Records that are NonCompliant or NeedsReview (for the daily digest).</summary>
    public sealed record Open : RecordFilter;

    /// <summary>Every record (for consistency checks and exports).</summary>
    public sealed record All : RecordFilter;
}

/// <summary>
/// Filters of the asset list. Each list is a set of accepted values of one stored column: a record matches a list
/// when its value is any of them (OR), and matches the query when it matches every list that is not empty and the
/// lower bound on the change time (AND). An empty list filters nothing. A record without a value (no severity, no
/// vendor, no site, no device type) matches no value of that list.
/// </summary>
public sealed record AssetQuery
{
    /// <summary>
    /// The most values all lists together may hold. Table Storage allows at most 15 comparisons in one filter; the
    /// department's key range takes 3 and <see cref="ChangedSince"/> 1, which leaves 11.
    /// </summary>
    public const int MaxFilterValues = 10;

    public IReadOnlyList<Policy.ComplianceStatus> Statuses { get; init; } = [];
    public IReadOnlyList<Policy.Severity> Severities { get; init; } = [];
    public IReadOnlyList<string> SiteIds { get; init; } = [];
    public IReadOnlyList<string> VendorKeys { get; init; } = [];
    public IReadOnlyList<Events.DeviceType> DeviceTypes { get; init; } = [];

    /// <summary>Only records evaluated at or after this time.</summary>
    public DateTimeOffset? ChangedSince { get; init; }

    /// <summary>How many values the lists hold together (compared with <see cref="MaxFilterValues"/>).</summary>
    public int FilterValueCount => Statuses.Count + Severities.Count + SiteIds.Count + VendorKeys.Count + DeviceTypes.Count;

    /// <summary>The query's meaning, stated once: the store's filter must select exactly the records this accepts.</summary>
    public bool Matches(ComplianceRecord record) =>
        Accepts(Statuses, record.Status) &&
        Accepts(Severities, record.Severity) &&
        Accepts(SiteIds, record.Device.Site?.Id) &&
        Accepts(VendorKeys, record.Vendor?.Key) &&
        Accepts(DeviceTypes, record.Device.DeviceType) &&
        (ChangedSince is not { } since || record.EvaluatedAt >= since);

    private static bool Accepts<T>(IReadOnlyList<T> accepted, T? value) where T : struct => accepted.Count == 0 || (value is { } v && accepted.Contains(v));

    private static bool Accepts(IReadOnlyList<string> accepted, string? value) => accepted.Count == 0 || (value is not null && accepted.Contains(value, StringComparer.Ordinal));
}

/// <summary>What the health probe found: storage answered, or a short reason why not (for the log; never a secret).</summary>
public sealed record StorageProbe(bool Available, string? Problem)
{
    public static StorageProbe Reachable { get; } = new(true, null);

    public static StorageProbe Unreachable(string problem) => new(false, problem);
}

/// <summary>One page of records and the storage continuation for the next (null on the last page).</summary>
public sealed record RecordPage(IReadOnlyList<ComplianceRecord> Records, string? Continuation);

/// <summary>
/// Port to compliance state. Implementations must make each <see cref="AssetChange"/> atomic with the summary and
/// must throw on infrastructure failure, so that the message is redelivered rather than lost.
/// </summary>
public interface IComplianceStore
{
    Task<StoredRecord?> GetRecordAsync(string department, string assetId, CancellationToken cancellationToken);

    /// <summary>Reads the records of these assets (those that exist) in one department.</summary>
    Task<IReadOnlyDictionary<string, StoredRecord>> GetRecordsAsync(string department, IReadOnlyCollection<string> assetIds, CancellationToken cancellationToken);

    /// <summary>Commits changes of one department in as few transactions as the 100-entity limit allows.</summary>
    Task<CommitReport> CommitAsync(string department, IReadOnlyList<AssetChange> changes, CancellationToken cancellationToken);

    Task<IReadOnlyList<HistoryEntry>> GetHistoryAsync(string department, string assetId, CancellationToken cancellationToken);

    /// <summary>The department's maintained counts and its oldest open NonCompliant device; no scan.</summary>
    Task<DepartmentSummary> GetSummaryAsync(string department, CancellationToken cancellationToken);

    /// <summary>Every department that has ever committed a change.</summary>
    Task<IReadOnlyList<string>> GetDepartmentsAsync(CancellationToken cancellationToken);

    /// <summary>One page of a department's records matching the query, in asset order.</summary>
    Task<RecordPage> QueryRecordsAsync(string department, AssetQuery query, int top, string? continuation, CancellationToken cancellationToken);

    /// <summary>Streams a department's records that match a sweep's filter, in asset order.</summary>
    IAsyncEnumerable<StoredRecord> FindRecordsAsync(string department, RecordFilter filter, CancellationToken cancellationToken);

    /// <summary>A department's outbox rows in the given states, oldest first.</summary>
    Task<IReadOnlyList<Alerting.OutboxEntry>> GetOutboxEntriesAsync(string department, IReadOnlyCollection<Alerting.OutboxState> states, CancellationToken cancellationToken) =>
        GetOutboxEntriesAsync(department, states, since: null, cancellationToken);

    /// <summary>
    /// A department's outbox rows in the given states whose transition happened at or after <paramref name="since"/>,
    /// oldest first: a tool that polls for alerts asks only for what is new since its last poll.
    /// </summary>
    Task<IReadOnlyList<Alerting.OutboxEntry>> GetOutboxEntriesAsync(string department, IReadOnlyCollection<Alerting.OutboxState> states, DateTimeOffset? since, CancellationToken cancellationToken);

    /// <summary>When the department's alerts were last claimed for posting; <see cref="Alerting.DispatchMark.None"/> if never.</summary>
    Task<Alerting.DispatchMark> GetDispatchMarkAsync(string department, CancellationToken cancellationToken);

    /// <summary>
    /// Claims rows for delivery until <paramref name="leaseUntil"/>, all or none, with their ETags: of two dispatchers
    /// only one can win. With a <paramref name="mark"/>, the department's dispatch mark is set to its
    /// <see cref="Alerting.DispatchMark.LastClaimedAt"/> in the same transaction as the first rows, guarded by its ETag
    /// (the one read; null: the mark must not exist yet), so that of two dispatchers that both found the department due
    /// only one posts, even when they hold different rows. Returns the claimed rows with their new ETags, or null when
    /// another dispatcher got there first.
    /// </summary>
    Task<IReadOnlyList<Alerting.OutboxEntry>?> ClaimOutboxAsync(string department, IReadOnlyList<Alerting.OutboxEntry> entries, DateTimeOffset leaseUntil, Alerting.DispatchMark? mark, CancellationToken cancellationToken);

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
    Task<bool> SettleOutboxAsync(string department, Alerting.OutboxEntry entry, CancellationToken cancellationToken);

    /// <summary>Deletes delivered alerts that happened before <paramref name="before"/>; returns how many.</summary>
    Task<int> PruneDeliveredAlertsAsync(string department, DateTimeOffset before, CancellationToken cancellationToken);

    /// <summary>Records an invalid input. Idempotent per message id, so a redelivered rejection is stored once.</summary>
    Task RecordRejectionAsync(Rejection rejection, CancellationToken cancellationToken);

    Task<IReadOnlyList<Rejection>> GetRejectionsAsync(string? department, CancellationToken cancellationToken);

    /// <summary>
    /// Answers whether storage is reachable, for the health endpoint: one bounded attempt that never throws for an
    /// outage (only for the caller's cancellation), so that health can say "unavailable" quickly instead of failing.
    /// </summary>
    Task<StorageProbe> ProbeAsync(CancellationToken cancellationToken);
}
