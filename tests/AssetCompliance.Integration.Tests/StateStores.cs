using AssetCompliance.Azure.Tables;
using AssetCompliance.Core.Alerting;
using AssetCompliance.Core.State;
using Azure.Data.Tables;

namespace AssetCompliance.Integration.Tests;

/// <summary>
/// The three state ports over one set of tables, as one object, for tests that wire the object graph by hand and pass
/// the same state to processors, dispatchers and routes (the hosts register each port on its own; see
/// CompositionRootTests). Every member passes the call on (the records' through <see cref="DelegatingRecordStore"/>), so
/// a decorator (fault injection, counting) derives from it and overrides only the calls it cares about.
/// </summary>
public class StateStores : DelegatingRecordStore, IAlertOutbox, IRejectionStore
{
    private readonly IAlertOutbox _outbox;
    private readonly IRejectionStore _rejections;
    private readonly ComplianceTables? _tables;

    public StateStores(IRecordStore records, IAlertOutbox outbox, IRejectionStore rejections, ComplianceTables? tables = null)
        : base(records) =>
        (_outbox, _rejections, _tables) = (outbox, rejections, tables);

    /// <summary>A decorator of <paramref name="inner"/>: every call not overridden goes to it.</summary>
    protected StateStores(StateStores inner)
        : this(inner, inner, inner, inner._tables)
    {
    }

    /// <summary>The Table adapters over <paramref name="tables"/>, as the hosts build them.</summary>
    public static StateStores Over(ComplianceTables tables) =>
        new(new TableRecordStore(tables), new TableAlertOutbox(tables), new TableRejectionStore(tables), tables);

    /// <summary>The Table adapters over the tables of <paramref name="prefix"/> through <paramref name="service"/>.</summary>
    public static StateStores Open(TableServiceClient service, string prefix) => Over(new ComplianceTables(service, prefix));

    /// <summary>The Table adapters as the hosts configure storage (<see cref="ComplianceTables.Create"/>).</summary>
    public static StateStores Create(TableStorageOptions options) => Over(ComplianceTables.Create(options));

    /// <summary>The tables behind the adapters; only for stores built over tables.</summary>
    public ComplianceTables Tables => _tables ?? throw new InvalidOperationException("These stores are not over Table Storage.");

    public string TablePrefix => Tables.TablePrefix;

    /// <summary>The audit log over the same tables (null for stores not over Table Storage).</summary>
    public IAuditLog? Audit => _tables is null ? null : new TableAuditLog(_tables);

    public Task EnsureCreatedAsync(CancellationToken cancellationToken) => Tables.EnsureCreatedAsync(cancellationToken);


    public Task<IReadOnlyList<OutboxEntry>> GetOutboxEntriesAsync(string department, IReadOnlyCollection<OutboxState> states, CancellationToken cancellationToken) => GetOutboxEntriesAsync(department, states, since: null, cancellationToken);
    public virtual Task<IReadOnlyList<OutboxEntry>> GetOutboxEntriesAsync(string department, IReadOnlyCollection<OutboxState> states, DateTimeOffset? since, CancellationToken cancellationToken) => _outbox.GetOutboxEntriesAsync(department, states, since, cancellationToken);
    public virtual Task<DispatchMark> GetDispatchMarkAsync(string department, CancellationToken cancellationToken) => _outbox.GetDispatchMarkAsync(department, cancellationToken);
    public virtual Task<IReadOnlyList<OutboxEntry>?> ClaimOutboxAsync(string department, IReadOnlyList<OutboxEntry> entries, DateTimeOffset leaseUntil, DispatchMark? mark, CancellationToken cancellationToken) => _outbox.ClaimOutboxAsync(department, entries, leaseUntil, mark, cancellationToken);
    public virtual Task<bool> RestoreDispatchMarkAsync(string department, DateTimeOffset claimedAt, DateTimeOffset? previous, CancellationToken cancellationToken) => _outbox.RestoreDispatchMarkAsync(department, claimedAt, previous, cancellationToken);
    public virtual Task<bool> SettleOutboxAsync(string department, OutboxEntry entry, CancellationToken cancellationToken) => _outbox.SettleOutboxAsync(department, entry, cancellationToken);
    public virtual Task<int> PruneDeliveredAlertsAsync(string department, DateTimeOffset before, CancellationToken cancellationToken) => _outbox.PruneDeliveredAlertsAsync(department, before, cancellationToken);

    public virtual Task RecordRejectionAsync(Rejection rejection, CancellationToken cancellationToken) => _rejections.RecordRejectionAsync(rejection, cancellationToken);
    public virtual Task<IReadOnlyList<Rejection>> GetRejectionsAsync(string? department, CancellationToken cancellationToken) => _rejections.GetRejectionsAsync(department, cancellationToken);
}
