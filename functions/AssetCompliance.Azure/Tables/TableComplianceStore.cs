using System.Net;
using System.Text;
using System.Text.Json;
using AssetCompliance.Core.Alerting;
using AssetCompliance.Core.Events;
using AssetCompliance.Core.Policy;
using AssetCompliance.Core.State;
using Azure;
using Azure.Data.Tables;

namespace AssetCompliance.Azure.Tables;

/// <summary>
/// Compliance state in Azure Table Storage. One partition per department in the <c>assets</c> table holds the
/// device records with their history, so that everything one event changes is one entity-group transaction.
/// Invalid inputs go to the <c>rejections</c> table. Layout and reasons: docs/state-design.md.
/// </summary>
public sealed class TableComplianceStore : IComplianceStore
{
    /// <summary>Rejections whose department cannot be read are kept under this partition.</summary>
    public const string UnattributedPartition = "_unattributed";

    // A property holds at most 64 KiB and an entity 1 MiB, so a long body is split across numbered properties and,
    // past one row's share, across continuation rows written in the same transaction. Sizes are counted at their worst
    // (UTF-16 of the escaped JSON, as the emulator counts them; the service counts the stored value, which is smaller).
    private const int BodyChunkCost = 60_000;
    private const int BodyChunksPerRow = 14;     // at most 840 KB per row, leaving room for the errors (at most 64 KiB)

    /// <summary>
    /// What a rejected body may cost in the transaction that stores it, counted as the JSON the request carries (a
    /// character the serializer escapes costs six bytes): a 4 MiB transaction then always fits. Plain text keeps 3
    /// million characters, three times the largest message the HTTP route or a Premium queue's default accepts; a
    /// longer body keeps its start, and the rejection says how long it was.
    /// </summary>
    internal const int MaxRejectionBodyBytes = 3_000_000;

    /// <summary>Lists every department that has state, so that cross-department views read a list, not the table.</summary>
    public const string DepartmentsPartition = "_departments";

    private const int MaxEntitiesPerTransaction = 100;
    private const int MaxSummaryRetries = 20;
    private const int ReadParallelism = 16;

    /// <summary>Transactions of one commit that leave the summary alone and go to storage side by side.</summary>
    private const int CommitParallelism = 2;

    /// <summary>Records per cache generation: at most twice this many are cached (a few hundred MB at most).</summary>
    private const int RecordCacheGeneration = 100_000;
    private const int WholeDepartmentReadLimit = 2000;

    /// <summary>
    /// History entries per row. Entries 1 to 100 are properties of the record row itself, so that the usual change
    /// (one event) is one entity operation; entries 101 to 200 go to history row 1, and so on. A row's entries are
    /// added by merges and never rewritten. 100 entries of a few KB each stay far inside the 1 MB and 252-property
    /// limits of an entity, next to the record row's 14 other properties.
    /// </summary>
    internal const int HistoryPerRow = 100;

    /// <summary>The columns a record read needs; the history entries on the same row are left on the server.</summary>
    private static readonly string[] RecordColumns = ["RecordGz", "Commands"];

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _knownDepartments = new(StringComparer.Ordinal);

    // Only the processing path uses the record cache, and only to skip reads; API reads always go to storage.
    private readonly RecordCache _records = new(RecordCacheGeneration);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, SummarySnapshot> _summaries = new(StringComparer.Ordinal);
    private readonly TableClient _assets;
    private readonly TableClient _rejections;
    private readonly TableServiceClient _probe;

    /// <param name="service">The client for every read and write, built with <see cref="TableStorageOptions.DataClientOptions"/>
    /// (bounded retries, and outages thrown as <see cref="DependencyUnavailableException"/>; a client without them
    /// throws the SDK's exceptions, which the HTTP routes answer with a bare 500).</param>
    /// <param name="probe">The client of the health probe, for the same account; by default <paramref name="service"/>.
    /// The hosts pass one without retries (<see cref="TableStorageOptions.ProbeClientOptions"/>).</param>
    /// <param name="probeTimeout">The bound on one probe, retries included; 2 s by default.</param>
    public TableComplianceStore(TableServiceClient service, string tablePrefix, TableServiceClient? probe = null, TimeSpan? probeTimeout = null)
    {
        _probe = probe ?? service;
        ProbeTimeout = probeTimeout ?? TimeSpan.FromSeconds(2);
        TablePrefix = tablePrefix;
        _assets = service.GetTableClient(tablePrefix + "Assets");
        _rejections = service.GetTableClient(tablePrefix + "Rejections");
    }

    /// <summary>
    /// The store as the hosts configure it: the Azurite connection string or the account URI with the managed
    /// identity (one credential for both clients), the data client's <see cref="TableStorageOptions.DataClientOptions"/>, and a probe that makes one attempt bounded by
    /// <see cref="TableStorageOptions.HealthProbeTimeout"/>.
    /// </summary>
    public static TableComplianceStore Create(TableStorageOptions options)
    {
        if (options.ConnectionString is { Length: > 0 } connectionString)
        {
            return new TableComplianceStore(new TableServiceClient(connectionString, TableStorageOptions.DataClientOptions()), options.TablePrefix,
                new TableServiceClient(connectionString, options.ProbeClientOptions()), options.HealthProbeTimeout);
        }

        var uri = options.TableServiceUri ?? throw new InvalidOperationException($"{TableStorageOptions.SectionName}:TableServiceUri or ConnectionString is required.");
        var credential = ComplianceCredential.Create(options.ManagedIdentityClientId);
        return new TableComplianceStore(new TableServiceClient(uri, credential, TableStorageOptions.DataClientOptions()), options.TablePrefix,
            new TableServiceClient(uri, credential, options.ProbeClientOptions()), options.HealthProbeTimeout);
    }

    public string TablePrefix { get; }

    /// <summary>How long <see cref="ProbeAsync"/> waits at most before it answers "unreachable".</summary>
    public TimeSpan ProbeTimeout { get; }

    /// <summary>Creates the tables if they do not exist. Called once at start-up by the hosts.</summary>
    public async Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        await _assets.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
        await _rejections.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<StoredRecord?> GetRecordAsync(string department, string assetId, CancellationToken cancellationToken)
    {
        var response = await _assets.GetEntityIfExistsAsync<TableEntity>(department, StateKeys.Record(assetId), RecordColumns, cancellationToken).ConfigureAwait(false);
        return response.HasValue && response.Value is { } entity ? ToStoredRecord(entity) : null;
    }

    public async Task<IReadOnlyDictionary<string, StoredRecord>> GetRecordsAsync(string department, IReadOnlyCollection<string> assetIds, CancellationToken cancellationToken)
    {
        var found = new System.Collections.Concurrent.ConcurrentDictionary<string, StoredRecord>(StringComparer.Ordinal);
        var misses = new List<string>();
        foreach (var assetId in assetIds)
        {
            if (_records.TryGet(department, assetId, out var cached))
            {
                if (cached is not null) found[assetId] = cached;
            }
            else
            {
                misses.Add(assetId);
            }
        }

        if (misses.Count > 0 && !_records.KnowsWholeDepartment(department) && await ShouldReadWholeDepartmentAsync(department, misses.Count, cancellationToken).ConfigureAwait(false))
        {
            // One range query instead of many point reads. Afterwards this instance knows every record of the
            // department, so an asset it has not seen is new; if another instance created it meanwhile, the Add
            // fails on its ETag-less insert and the asset is read again.
            await foreach (var record in FindRecordsAsync(department, new RecordFilter.All(), cancellationToken).ConfigureAwait(false))
            {
                _records.Remember(department, record.Record.AssetId, record);
            }

            _records.MarkWholeDepartment(department);
        }

        if (_records.KnowsWholeDepartment(department))
        {
            foreach (var assetId in misses)
            {
                if (_records.TryGet(department, assetId, out var known) && known is not null)
                {
                    found[assetId] = known;
                }
            }

            return found;
        }

        await Parallel.ForEachAsync(misses, new ParallelOptions { MaxDegreeOfParallelism = ReadParallelism, CancellationToken = cancellationToken }, async (assetId, token) =>
        {
            var record = await GetRecordAsync(department, assetId, token).ConfigureAwait(false);
            _records.Remember(department, assetId, record);
            if (record is not null)
            {
                found[assetId] = record;
            }
        }).ConfigureAwait(false);
        return found;
    }

    public async Task<CommitReport> CommitAsync(string department, IReadOnlyList<AssetChange> changes, CancellationToken cancellationToken)
    {
        await RegisterDepartmentAsync(department, cancellationToken).ConfigureAwait(false);
        var committed = new List<AssetChange>();
        var conflicted = new List<AssetChange>();

        // Changes that move the department's counts or its open index commit one transaction after another, each with
        // the summary row guarded by the ETag the previous one returned. The others (a re-evaluation or a revision
        // that keeps the verdict, history that only grows) leave the summary alone: their transactions carry no
        // summary row, so they commit side by side, each guarded by its records' ETags.
        var counted = changes.Where(MovesSummary).ToList();
        var uncounted = changes.Where(c => !MovesSummary(c)).ToList();
        var chain = CommitCountedAsync(department, counted, committed, conflicted, cancellationToken);
        var sideBySide = Parallel.ForEachAsync(PackIntoTransactions(uncounted, MaxEntitiesPerTransaction),
            new ParallelOptions { MaxDegreeOfParallelism = CommitParallelism, CancellationToken = cancellationToken },
            async (group, token) => await CommitGroupAsync(department, group, summary: null, committed, conflicted, token).ConfigureAwait(false));
        // Both run to the end before this returns or throws, so no write of this call is still in flight afterwards.
        await Task.WhenAll(chain, sideBySide).ConfigureAwait(false);
        return new CommitReport(committed, conflicted);
    }

    /// <summary>Whether committing the change must update the department's summary row (its counts or oldest open item).</summary>
    private static bool MovesSummary(AssetChange change) => !change.Delta.IsZero || OpenIndexChange(change) != (null, null);

    private async Task CommitCountedAsync(string department, List<AssetChange> changes, List<AssetChange> committed, List<AssetChange> conflicted, CancellationToken cancellationToken)
    {
        if (changes.Count == 0)
        {
            return;
        }

        var summary = _summaries.TryGetValue(department, out var cachedSummary)
            ? cachedSummary
            : await ReadSummaryAsync(department, cancellationToken).ConfigureAwait(false);
        foreach (var group in PackIntoTransactions(changes, MaxEntitiesPerTransaction - 1))
        {
            summary = await CommitGroupAsync(department, group, summary, committed, conflicted, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Commits one transaction's changes, with the summary row when <paramref name="summary"/> is given (then returns
    /// the summary as committed). A change that loses a race is reported as conflicted and the others are resubmitted;
    /// a summary moved by another writer is read again, at most <see cref="MaxSummaryRetries"/> times.
    /// </summary>
    private async Task<SummarySnapshot?> CommitGroupAsync(
        string department, List<AssetChange> group, SummarySnapshot? summary, List<AssetChange> committed, List<AssetChange> conflicted, CancellationToken cancellationToken)
    {
        var remaining = group.ToList();
        var summaryRetries = 0;
        while (remaining.Count > 0)
        {
            var delta = remaining.Aggregate(SummaryDelta.None, (sum, c) => sum.Plus(c.Delta));
            var oldest = summary is null ? null : await OldestAfterAsync(department, remaining, summary, cancellationToken).ConfigureAwait(false);
            var (actions, owners) = BuildTransaction(department, remaining, summary, delta, oldest);
            try
            {
                var response = await _assets.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
                if (summary is not null)
                {
                    summary = new SummarySnapshot(summary.Counts.Apply(delta), response.Value[^1].Headers.ETag?.ToString(), oldest);
                    _summaries[department] = summary;
                }

                for (var i = 0; i < owners.Count; i++)
                {
                    if (owners[i] is { IsRecord: true, Change: { } change } && response.Value[i].Headers.ETag is { } etag)
                    {
                        _records.Remember(department, change.AssetId, new StoredRecord(change.After ?? change.Before!.Record, etag.ToString(), change.HistoryCount, change.AppliedCommands));
                    }
                }

                lock (committed) committed.AddRange(remaining);
                break;
            }
            catch (TableTransactionFailedException ex) when (ex.Status is (int)HttpStatusCode.Conflict or (int)HttpStatusCode.PreconditionFailed && ex.FailedTransactionActionIndex is { } index)
            {
                var (owner, _) = owners[index];
                if (owner is null)
                {
                    // Another writer moved the department's summary: read it again and resubmit the same changes.
                    if (++summaryRetries > MaxSummaryRetries)
                    {
                        lock (conflicted) conflicted.AddRange(remaining);
                        break;
                    }

                    summary = await ReadSummaryAsync(department, cancellationToken).ConfigureAwait(false);
                    _summaries[department] = summary;
                    continue;
                }

                // One change lost a race (its record moved, or another writer created it first); the transaction
                // wrote nothing. Report that change, to be read and planned again, and resubmit the others.
                _records.Forget(department, owner.AssetId);
                remaining.Remove(owner);
                lock (conflicted) conflicted.Add(owner);
            }
        }

        return summary;
    }

    /// <summary>
    /// Whether one range read of the department is cheaper than point reads of the assets this instance has not seen:
    /// true for small departments and when the unseen assets are a large share of it (a register import).
    /// </summary>
    private async Task<bool> ShouldReadWholeDepartmentAsync(string department, int misses, CancellationToken cancellationToken)
    {
        var summary = _summaries.TryGetValue(department, out var cached) ? cached : await ReadSummaryAsync(department, cancellationToken).ConfigureAwait(false);
        _summaries[department] = summary;
        // A department larger than a cache generation could not stay whole in the cache: point reads instead.
        return summary.Counts.Total < _records.GenerationSize && summary.Counts.Total <= Math.Max(WholeDepartmentReadLimit, misses * 4L);
    }

    public async Task<DepartmentSummary> GetSummaryAsync(string department, CancellationToken cancellationToken)
    {
        // One point read: the counters and the oldest open item are kept on the summary row.
        var summary = await ReadSummaryAsync(department, cancellationToken).ConfigureAwait(false);
        return new DepartmentSummary(department, summary.Counts, summary.Oldest);
    }

    public async Task<IReadOnlyList<string>> GetDepartmentsAsync(CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {DepartmentsPartition}");
        var departments = new List<string>();
        await foreach (var entity in _assets.QueryAsync<TableEntity>(filter, select: ["RowKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            departments.Add(entity.RowKey);
        }

        return departments;
    }

    public async IAsyncEnumerable<StoredRecord> FindRecordsAsync(string department, RecordFilter filter, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var query = RecordRange(department) + filter switch
        {
            RecordFilter.NotEvaluatedWith v => TableClient.CreateQueryFilter($" and (CatalogueVersion ne {v.CatalogueVersion} or PolicyVersion ne {v.PolicyVersion})"),
            RecordFilter.Open => TableClient.CreateQueryFilter($" and (Status eq {nameof(ComplianceStatus.NonCompliant)} or Status eq {nameof(ComplianceStatus.NeedsReview)})"),
            RecordFilter.ExemptionExpiredBy e => TableClient.CreateQueryFilter($" and ExemptUntil le {e.Time}"),
            _ => "",
        };
        await foreach (var entity in _assets.QueryAsync<TableEntity>(query, select: RecordColumns, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            yield return ToStoredRecord(entity);
        }
    }

    /// <summary>
    /// <c> and (column eq v1 or column eq v2 …)</c> over the distinct values, each an escaped parameter of
    /// <see cref="TableClient.CreateQueryFilter(FormattableString)"/>; nothing when there are no values. The column
    /// name is one of this class's constants, never caller input.
    /// </summary>
    private static string AnyOf(string column, IEnumerable<string> values)
    {
        var comparisons = values.Distinct(StringComparer.Ordinal)
            .Select(value => TableClient.CreateQueryFilter(System.Runtime.CompilerServices.FormattableStringFactory.Create(column + " eq {0}", value)))
            .ToArray();
        return comparisons.Length == 0 ? "" : " and (" + string.Join(" or ", comparisons) + ")";
    }

    /// <summary>The filter for a department's record rows; every record query starts from it.</summary>
    private static string RecordRange(string department) =>
        TableClient.CreateQueryFilter($"PartitionKey eq {department} and RowKey ge {StateKeys.RecordFrom} and RowKey lt {StateKeys.RecordTo}");

    public async Task<RecordPage> QueryRecordsAsync(string department, AssetQuery query, int top, string? continuation, CancellationToken cancellationToken)
    {
        // Every value goes in as a parameter of CreateQueryFilter (escaped), and the partition is always the path's
        // department, so neither a filter value nor a continuation token can reach another department.
        // Values of one parameter are alternatives (or), parameters all apply (and): AssetQuery.Matches says the same.
        if (query.FilterValueCount > AssetQuery.MaxFilterValues)
        {
            throw new ArgumentException($"At most {AssetQuery.MaxFilterValues} filter values fit one Table Storage query.", nameof(query));
        }

        var filter = RecordRange(department)
            + AnyOf("Status", query.Statuses.Select(s => s.ToString()))
            + AnyOf("Severity", query.Severities.Select(s => s.ToString()))
            + AnyOf("SiteId", query.SiteIds)
            + AnyOf("VendorKey", query.VendorKeys)
            + AnyOf("DeviceType", query.DeviceTypes.Select(t => t.ToWire()));
        if (query.ChangedSince is { } since) filter += " and " + TableClient.CreateQueryFilter($"EvaluatedAt ge {since}");

        var records = new List<ComplianceRecord>(top);
        string? next = continuation;
        // A page can come back short (or empty) with a token: keep reading until the page is full or the table ends.
        do
        {
            var pages = _assets.QueryAsync<TableEntity>(filter, maxPerPage: top - records.Count, select: RecordColumns, cancellationToken: cancellationToken).AsPages(next, top - records.Count);
            await using var enumerator = pages.GetAsyncEnumerator(cancellationToken);
            if (!await enumerator.MoveNextAsync().ConfigureAwait(false))
            {
                next = null;
                break;
            }

            records.AddRange(enumerator.Current.Values.Select(e => ToStoredRecord(e).Record));
            next = enumerator.Current.ContinuationToken;
        }
        while (next is not null && records.Count < top);

        return new RecordPage(records, next);
    }

    public Task<IReadOnlyList<OutboxEntry>> GetOutboxEntriesAsync(string department, IReadOnlyCollection<OutboxState> states, CancellationToken cancellationToken) =>
        GetOutboxEntriesAsync(department, states, since: null, cancellationToken);

    public async Task<IReadOnlyList<OutboxEntry>> GetOutboxEntriesAsync(string department, IReadOnlyCollection<OutboxState> states, DateTimeOffset? since, CancellationToken cancellationToken)
    {
        var entries = new List<OutboxEntry>();
        // The outbox range holds only what is not yet delivered (pending, sending, failed), so the dispatcher's
        // minute-by-minute read does not grow with the alerts of the past; delivered rows are in their own range.
        var undelivered = states.Where(s => s != OutboxState.Sent).ToArray();
        if (undelivered.Length > 0)
        {
            // Both ranges are keyed by when the transition happened, so "since" is a key bound, not a scan.
            var from = since is { } s1 ? StateKeys.OutboxAt(s1) : StateKeys.OutboxFrom;
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {department} and RowKey ge {from} and RowKey lt {StateKeys.OutboxTo}");
            if (undelivered.Length < Enum.GetValues<OutboxState>().Length - 1)
            {
                filter += AnyOf("State", undelivered.Select(state => state.ToString().ToLowerInvariant()));
            }

            await foreach (var entity in _assets.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                entries.Add(ToOutboxEntry(entity));
            }
        }

        if (states.Contains(OutboxState.Sent))
        {
            var from = since is { } s2 ? StateKeys.DeliveredAt(s2) : StateKeys.DeliveredFrom;
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {department} and RowKey ge {from} and RowKey lt {StateKeys.DeliveredTo}");
            await foreach (var entity in _assets.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                entries.Add(ToOutboxEntry(entity));
            }
        }

        return [.. entries.OrderBy(e => e.Alert.OccurredAt).ThenBy(e => e.Alert.Id, StringComparer.Ordinal)];
    }

    public async Task<DispatchMark> GetDispatchMarkAsync(string department, CancellationToken cancellationToken)
    {
        var response = await _assets.GetEntityIfExistsAsync<TableEntity>(department, StateKeys.Dispatch, select: ["LastClaimedAt"], cancellationToken: cancellationToken).ConfigureAwait(false);
        return response.HasValue && response.Value is { } entity
            ? new DispatchMark(entity.GetDateTimeOffset("LastClaimedAt"), entity.ETag.ToString())
            : DispatchMark.None;
    }

    public async Task<IReadOnlyList<OutboxEntry>?> ClaimOutboxAsync(string department, IReadOnlyList<OutboxEntry> entries, DateTimeOffset leaseUntil, DispatchMark? mark, CancellationToken cancellationToken)
    {
        var claimed = new List<OutboxEntry>(entries.Count);
        // The mark goes into the first transaction, so the first chunk holds one row fewer.
        var first = mark is null ? MaxEntitiesPerTransaction : MaxEntitiesPerTransaction - 1;
        var chunks = new List<OutboxEntry[]> { entries.Take(first).ToArray() };
        chunks.AddRange(entries.Skip(first).Chunk(MaxEntitiesPerTransaction));
        foreach (var chunk in chunks.Where(c => c.Length > 0))
        {
            var actions = chunk.Select(e => new TableTransactionAction(TableTransactionActionType.UpdateMerge,
                new TableEntity(department, StateKeys.Outbox(e.Alert.OccurredAt, e.Alert.Id)) { ["State"] = "sending", ["LeaseUntil"] = leaseUntil },
                new ETag(e.ETag))).ToList();
            if (mark is not null)
            {
                // Guarded by the ETag read with it: a department another dispatcher claimed meanwhile is not due any more.
                var row = new TableEntity(department, StateKeys.Dispatch) { ["Kind"] = "dispatch", ["LastClaimedAt"] = mark.LastClaimedAt };
                actions.Add(mark.ETag is { } etag
                    ? new TableTransactionAction(TableTransactionActionType.UpdateReplace, row, new ETag(etag))
                    : new TableTransactionAction(TableTransactionActionType.Add, row));
                mark = null;
            }

            try
            {
                var response = await _assets.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
                claimed.AddRange(chunk.Select((e, i) => e with { ETag = response.Value[i].Headers.ETag?.ToString() ?? e.ETag, State = OutboxState.Sending, LeaseUntil = leaseUntil }));
            }
            catch (TableTransactionFailedException ex) when (ex.Status is (int)HttpStatusCode.PreconditionFailed or (int)HttpStatusCode.NotFound or (int)HttpStatusCode.Conflict)
            {
                // Another dispatcher claimed them (or the department) first; 409 is a mark it created first. Rows
                // claimed by earlier chunks stay ours and are returned.
                return claimed.Count == 0 ? null : claimed;
            }
        }

        return claimed;
    }

    public async Task<bool> RestoreDispatchMarkAsync(string department, DateTimeOffset claimedAt, DateTimeOffset? previous, CancellationToken cancellationToken)
    {
        var current = await GetDispatchMarkAsync(department, cancellationToken).ConfigureAwait(false);
        if (current.LastClaimedAt != claimedAt || current.ETag is not { } etag)
        {
            return false; // another dispatcher claimed the department since: its window stands
        }

        try
        {
            await _assets.UpdateEntityAsync(new TableEntity(department, StateKeys.Dispatch) { ["Kind"] = "dispatch", ["LastClaimedAt"] = previous },
                new ETag(etag), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is (int)HttpStatusCode.PreconditionFailed or (int)HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    public async Task<bool> SettleOutboxAsync(string department, OutboxEntry entry, CancellationToken cancellationToken)
    {
        var outboxKey = StateKeys.Outbox(entry.Alert.OccurredAt, entry.Alert.Id);
        var outcome = new TableEntity(department, outboxKey)
        {
            ["State"] = entry.State.ToString().ToLowerInvariant(),
            ["Attempts"] = entry.Attempts,
            ["NotBefore"] = entry.NotBefore,
            ["DeliveredTo"] = string.Join(',', entry.DeliveredTo.Order(StringComparer.Ordinal)),
            ["LastError"] = entry.LastError,
            ["LeaseUntil"] = null,
        };
        try
        {
            if (entry.State != OutboxState.Sent)
            {
                await _assets.UpdateEntityAsync(outcome, new ETag(entry.ETag), TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
                return true;
            }

            // Delivered: the row moves to the delivered log in one transaction, guarded by the claim's ETag.
            var delivered = new TableEntity(department, StateKeys.Delivered(entry.Alert.OccurredAt, entry.Alert.Id))
            {
                ["Kind"] = "alert",
                ["AssetId"] = entry.Alert.AssetId,
                ["AlertKind"] = entry.Alert.Kind.ToString(),
                ["Alert"] = JsonSerializer.Serialize(entry.Alert, ComplianceJson.Options),
            };
            foreach (var (name, value) in outcome.Where(p => p.Value is not null && p.Key is not ("PartitionKey" or "RowKey" or "odata.etag" or "Timestamp")))
            {
                delivered[name] = value;
            }

            await _assets.SubmitTransactionAsync(
                [
                    new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(department, outboxKey), new ETag(entry.ETag)),
                    new TableTransactionAction(TableTransactionActionType.Add, delivered),
                ],
                cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is (int)HttpStatusCode.PreconditionFailed or (int)HttpStatusCode.NotFound or (int)HttpStatusCode.Conflict)
        {
            return false;
        }
    }

    public async Task<int> PruneDeliveredAlertsAsync(string department, DateTimeOffset before, CancellationToken cancellationToken)
    {
        // Delivered rows are keyed by when their transition happened, so everything older is one key range.
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {department} and RowKey ge {StateKeys.DeliveredFrom} and RowKey lt {StateKeys.DeliveredAt(before)}");
        var pruned = 0;
        var batch = new List<TableTransactionAction>(MaxEntitiesPerTransaction);
        await foreach (var entity in _assets.QueryAsync<TableEntity>(filter, select: ["RowKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            batch.Add(new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(department, entity.RowKey), ETag.All));
            if (batch.Count == MaxEntitiesPerTransaction)
            {
                pruned += await DeleteAllAsync(batch, cancellationToken).ConfigureAwait(false);
                batch.Clear();
            }
        }

        return pruned + (batch.Count > 0 ? await DeleteAllAsync(batch, cancellationToken).ConfigureAwait(false) : 0);
    }

    /// <summary>Deletes the rows in one transaction; none when one was already gone (another prune got there first).</summary>
    private async Task<int> DeleteAllAsync(IReadOnlyList<TableTransactionAction> deletes, CancellationToken cancellationToken)
    {
        try
        {
            await _assets.SubmitTransactionAsync(deletes, cancellationToken).ConfigureAwait(false);
            return deletes.Count;
        }
        catch (TableTransactionFailedException ex) when (ex.Status == (int)HttpStatusCode.NotFound)
        {
            return 0; // the next prune deletes whatever this one left
        }
    }

    private static OpenItem ToOpenItem(string department, TableEntity entity) =>
        new(department, entity.GetString("AssetId"), entity.GetDateTimeOffset("Since") ?? default,
            Enum.TryParse<Severity>(entity.GetString("Severity"), out var severity) ? severity : null);

    private static OutboxEntry ToOutboxEntry(TableEntity entity) => new(
        JsonSerializer.Deserialize<Alert>(entity.GetString("Alert"), ComplianceJson.Options)!,
        entity.ETag.ToString(),
        Enum.TryParse<OutboxState>(entity.GetString("State"), ignoreCase: true, out var state) ? state : OutboxState.Pending,
        entity.GetInt32("Attempts") ?? 0,
        entity.GetDateTimeOffset("NotBefore"),
        (entity.GetString("DeliveredTo") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal),
        entity.GetString("LastError"),
        entity.GetDateTimeOffset("LeaseUntil"));

    /// <param name="ETag">Null when the department has no summary row yet.</param>
    private sealed record SummarySnapshot(SummaryCounts Counts, string? ETag, OpenItem? Oldest);

    /// <summary>
    /// The department's oldest open NonCompliant device once these changes are committed, kept on the summary row so
    /// that reading a summary is one point read. Only when a change removes the current oldest does this read the
    /// open-item index (its first few rows) to find the next.
    /// </summary>
    private async Task<OpenItem?> OldestAfterAsync(string department, IReadOnlyList<AssetChange> changes, SummarySnapshot summary, CancellationToken cancellationToken)
    {
        var removed = new HashSet<string>(StringComparer.Ordinal);
        var candidates = new List<OpenItem>();
        foreach (var change in changes)
        {
            var (remove, add) = OpenIndexChange(change);
            if (remove is not null) removed.Add(remove);
            if (add is not null) candidates.Add(new OpenItem(department, add.AssetId, add.StatusSince, add.Severity));
        }

        if (summary.Oldest is { } current && !removed.Contains(StateKeys.Open(current.Since, current.AssetId)))
        {
            candidates.Add(current);
        }
        else if (summary.Oldest is not null)
        {
            // The oldest is leaving: the next one is among the first rows of the index not removed here.
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {department} and RowKey ge {StateKeys.OpenFrom} and RowKey lt {StateKeys.OpenTo}");
            await foreach (var entity in _assets.QueryAsync<TableEntity>(filter, maxPerPage: removed.Count + 1, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                if (!removed.Contains(entity.RowKey))
                {
                    candidates.Add(ToOpenItem(department, entity));
                    break;
                }
            }
        }

        return candidates.MinBy(c => StateKeys.Open(c.Since, c.AssetId), StringComparer.Ordinal);
    }

    private async Task<SummarySnapshot> ReadSummaryAsync(string department, CancellationToken cancellationToken)
    {
        var response = await _assets.GetEntityIfExistsAsync<TableEntity>(department, StateKeys.Summary, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!response.HasValue || response.Value is not { } entity)
        {
            return new SummarySnapshot(SummaryCounts.Empty, null, null);
        }

        var oldest = entity.GetString("OldestAssetId") is { Length: > 0 } assetId
            ? new OpenItem(department, assetId, entity.GetDateTimeOffset("OldestSince") ?? default,
                Enum.TryParse<Severity>(entity.GetString("OldestSeverity"), out var severity) ? severity : null)
            : null;
        return new SummarySnapshot(new SummaryCounts
        {
            ByStatus = Enum.GetValues<ComplianceStatus>().ToDictionary(s => s, s => entity.GetInt64($"Status{s}") ?? 0),
            NonCompliantBySeverity = Enum.GetValues<Severity>().ToDictionary(s => s, s => entity.GetInt64($"Severity{s}") ?? 0),
        }, entity.ETag.ToString(), oldest);
    }

    private async Task RegisterDepartmentAsync(string department, CancellationToken cancellationToken)
    {
        if (_knownDepartments.ContainsKey(department))
        {
            return;
        }

        // Idempotent and outside the change's transaction (another partition): a department listed with no records
        // yet is harmless, and the list is what lets the all-departments summary avoid a table scan.
        await _assets.UpsertEntityAsync(new TableEntity(DepartmentsPartition, department), TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
        _knownDepartments.TryAdd(department, true);
    }

    /// <summary>
    /// Groups changes so that each transaction holds at most <paramref name="capacity"/> of their entities (99 beside
    /// the summary row, 100 without it), in as few transactions as that allows and with the entities spread evenly
    /// over them (199 entities make transactions of 100 and 99, not 99, 99 and 1): every transaction costs a round
    /// trip, and a summary write when it has one, whatever its size.
    /// </summary>
    private static IEnumerable<List<AssetChange>> PackIntoTransactions(IReadOnlyList<AssetChange> changes, int capacity)
    {
        var counts = changes.Select(EntityCount).ToArray();
        var total = counts.Sum();
        if (total == 0)
        {
            yield break;
        }

        var target = (int)Math.Ceiling(total / Math.Ceiling(total / (double)capacity));
        var group = new List<AssetChange>();
        var size = 0;
        for (var i = 0; i < changes.Count; i++)
        {
            var (change, entities) = (changes[i], counts[i]);
            if (group.Count > 0 && (size + entities > capacity || size >= target))
            {
                yield return group;
                group = [];
                size = 0;
            }

            group.Add(change);
            size += entities;
        }

        if (group.Count > 0)
        {
            yield return group;
        }
    }

    private static int EntityCount(AssetChange change)
    {
        var (remove, add) = OpenIndexChange(change);
        return 1 + HistoryRows(change).Count() + change.Alerts.Count + (remove is null ? 0 : 1) + (add is null ? 0 : 1);
    }

    /// <summary>The history rows (beyond the record row) that this change's entries go to, with their entries.</summary>
    private static IEnumerable<IGrouping<long, CommandWrite>> HistoryRows(AssetChange change) =>
        change.Commands.Where(c => HistoryRow(c.Sequence) > 0).GroupBy(c => HistoryRow(c.Sequence));

    /// <summary>Which row holds history entry <paramref name="sequence"/> (1-based): 0 is the record row.</summary>
    private static long HistoryRow(long sequence) => (sequence - 1) / HistoryPerRow;

    /// <summary>The property holding history entry <paramref name="sequence"/>: 'H' and seven digits.</summary>
    private static string HistoryProperty(long sequence) => $"H{sequence:D7}";

    private static bool IsHistoryProperty(string name) =>
        name.Length == 8 && name[0] == 'H' && name.AsSpan(1).IndexOfAnyExceptInRange('0', '9') < 0;

    /// <summary>The open-NonCompliant index row to delete and the one to add, if the change moves the record in or out of it.</summary>
    private static (string? Remove, ComplianceRecord? Add) OpenIndexChange(AssetChange change)
    {
        if (change.After is null)
        {
            return (null, null);
        }

        var before = change.Before?.Record is { Status: ComplianceStatus.NonCompliant } b ? StateKeys.Open(b.StatusSince, b.AssetId) : null;
        var after = change.After is { Status: ComplianceStatus.NonCompliant } a ? StateKeys.Open(a.StatusSince, a.AssetId) : null;
        return before == after ? (null, null) : (before, after is null ? null : change.After);
    }

    /// <summary>The actions of one transaction and, per action, the change it belongs to and whether it is the record.</summary>
    private static (List<TableTransactionAction> Actions, List<(AssetChange? Change, bool IsRecord)> Owners) BuildTransaction(
        string partition, IReadOnlyList<AssetChange> changes, SummarySnapshot? summary, SummaryDelta delta, OpenItem? oldest)
    {
        var actions = new List<TableTransactionAction>();
        var owners = new List<(AssetChange?, bool)>();
        foreach (var change in changes)
        {
            // The record row carries the record (compressed), its query columns, the history count and fingerprints
            // of every command applied, and its first 100 history entries. An update is a merge that checks the ETag
            // read: it adds the new entries as new properties and sends only the columns whose values move, so the
            // usual change is one entity operation of a few properties, and earlier entries are never sent again.
            // The columns that are not sent still hold the values of the record the ETag vouches for.
            var record = new TableEntity(partition, StateKeys.Record(change.AssetId));
            if (change.Before is null)
            {
                record["Kind"] = "asset";
                record["AssetId"] = change.AssetId;
            }

            if (change.After is { } after)
            {
                var previous = change.Before is { } b ? QueryColumns(b.Record).ToDictionary(c => c.Key, c => c.Value, StringComparer.Ordinal) : null;
                foreach (var (name, value) in QueryColumns(after))
                {
                    if (previous is null || !Equals(previous[name], value))
                    {
                        record[name] = value;
                    }
                }

                record["RecordGz"] = CompressedJson.Write(after);
            }

            record["Commands"] = CommandsBytes(change.HistoryCount, change.AppliedCommands);
            foreach (var command in change.Commands.Where(c => HistoryRow(c.Sequence) == 0))
            {
                record[HistoryProperty(command.Sequence)] = JsonSerializer.Serialize(command.History, ComplianceJson.Options);
            }

            actions.Add(change.Before is { } before
                ? new TableTransactionAction(TableTransactionActionType.UpdateMerge, record, new ETag(before.ETag))
                : new TableTransactionAction(TableTransactionActionType.Add, record));
            owners.Add((change, true));

            // Entries past the first 100 go to history rows, also by merge; the record's ETag in the same
            // transaction is what guards them against a concurrent writer.
            foreach (var row in HistoryRows(change))
            {
                var entity = new TableEntity(partition, StateKeys.HistoryRow(change.AssetId, row.Key)) { ["Kind"] = "history", ["AssetId"] = change.AssetId };
                foreach (var command in row)
                {
                    entity[HistoryProperty(command.Sequence)] = JsonSerializer.Serialize(command.History, ComplianceJson.Options);
                }

                actions.Add(new TableTransactionAction(TableTransactionActionType.UpsertMerge, entity));
                owners.Add((change, false));
            }

            var (removeOpen, addOpen) = OpenIndexChange(change);
            if (removeOpen is not null)
            {
                actions.Add(new(TableTransactionActionType.Delete, new TableEntity(partition, removeOpen), ETag.All));
                owners.Add((change, false));
            }

            if (addOpen is not null)
            {
                actions.Add(new(TableTransactionActionType.Add, new TableEntity(partition, StateKeys.Open(addOpen.StatusSince, addOpen.AssetId))
                {
                    ["AssetId"] = addOpen.AssetId,
                    ["Since"] = addOpen.StatusSince,
                    ["Severity"] = addOpen.Severity?.ToString(),
                }));
                owners.Add((change, false));
            }

            foreach (var alert in change.Alerts)
            {
                actions.Add(new(TableTransactionActionType.Add, new TableEntity(partition, StateKeys.Outbox(alert.OccurredAt, alert.Id))
                {
                    ["Kind"] = "alert",
                    ["AssetId"] = alert.AssetId,
                    ["AlertKind"] = alert.Kind.ToString(),
                    ["State"] = "pending",
                    ["Alert"] = JsonSerializer.Serialize(alert, ComplianceJson.Options),
                }));
                owners.Add((change, false));
            }
        }

        if (summary is null)
        {
            return (actions, owners); // nothing here moves the counts (CommitAsync): no summary row
        }

        // The summary goes last so that its response carries the ETag the next transaction must match.
        var counts = summary.Counts.Apply(delta);
        // Every column is written every time (no oldest item is an empty asset id), so a merge replaces them all.
        var summaryEntity = new TableEntity(partition, StateKeys.Summary) { ["Kind"] = "summary" };
        foreach (var status in Enum.GetValues<ComplianceStatus>()) summaryEntity[$"Status{status}"] = counts.ByStatus.GetValueOrDefault(status);
        foreach (var severity in Enum.GetValues<Severity>()) summaryEntity[$"Severity{severity}"] = counts.NonCompliantBySeverity.GetValueOrDefault(severity);
        summaryEntity["OldestAssetId"] = oldest?.AssetId ?? "";
        summaryEntity["OldestSince"] = oldest?.Since ?? DateTimeOffset.UnixEpoch;
        summaryEntity["OldestSeverity"] = oldest?.Severity?.ToString() ?? "";
        actions.Add(summary.ETag is { } etag
            ? new TableTransactionAction(TableTransactionActionType.UpdateMerge, summaryEntity, new ETag(etag))
            : new TableTransactionAction(TableTransactionActionType.Add, summaryEntity));
        owners.Add((null, false));
        return (actions, owners);
    }

    private static StoredRecord ToStoredRecord(TableEntity entity)
    {
        var record = CompressedJson.Read<ComplianceRecord>(entity.GetBinary("RecordGz"), $"{entity.PartitionKey}/{entity.RowKey}");
        var (historyCount, applied) = ReadCommands(entity);
        return new StoredRecord(record, entity.ETag.ToString(), historyCount, applied);
    }

    /// <summary>
    /// The <c>Commands</c> property: the history count, then the fingerprint of each command applied, oldest first,
    /// as little-endian 64-bit integers. One property rather than two, because each property of a merge costs.
    /// </summary>
    private static byte[] CommandsBytes(long historyCount, IReadOnlyList<ulong> fingerprints)
    {
        var bytes = new byte[(fingerprints.Count + 1) * sizeof(ulong)];
        System.Buffers.Binary.BinaryPrimitives.WriteInt64LittleEndian(bytes, historyCount);
        for (var i = 0; i < fingerprints.Count; i++)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan((i + 1) * sizeof(ulong)), fingerprints[i]);
        }

        return bytes;
    }

    private static (long HistoryCount, ulong[] Applied) ReadCommands(TableEntity entity)
    {
        var bytes = entity.GetBinary("Commands") ?? [];
        if (bytes.Length < sizeof(ulong))
        {
            return (0, []);
        }

        var applied = new ulong[(bytes.Length / sizeof(ulong)) - 1];
        for (var i = 0; i < applied.Length; i++)
        {
            applied[i] = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan((i + 1) * sizeof(ulong)));
        }

        return (System.Buffers.Binary.BinaryPrimitives.ReadInt64LittleEndian(bytes), applied);
    }

    public async Task<IReadOnlyList<HistoryEntry>> GetHistoryAsync(string department, string assetId, CancellationToken cancellationToken)
    {
        var response = await _assets.GetEntityIfExistsAsync<TableEntity>(department, StateKeys.Record(assetId), cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!response.HasValue || response.Value is not { } record)
        {
            return [];
        }

        var entries = new SortedList<string, HistoryEntry>(StringComparer.Ordinal);
        Collect(record);
        if (ReadCommands(record).HistoryCount > HistoryPerRow)
        {
            var (from, to) = StateKeys.HistoryRows(assetId);
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {department} and RowKey ge {from} and RowKey lt {to}");
            await foreach (var row in _assets.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                Collect(row);
            }
        }

        // Property names are 'H' and the entry's number in seven digits, so their ordinal order is the history's.
        return [.. entries.Values];

        void Collect(TableEntity entity)
        {
            foreach (var (name, value) in entity)
            {
                if (IsHistoryProperty(name) && value is string json)
                {
                    entries[name] = JsonSerializer.Deserialize<HistoryEntry>(json, ComplianceJson.Options)!;
                }
            }
        }
    }

    public async Task RecordRejectionAsync(Rejection rejection, CancellationToken cancellationToken)
    {
        var partition = rejection.Department ?? UnattributedPartition;
        var key = rejection.Key;
        var body = rejection.Body[..StorablePrefix(rejection.Body)];
        var chunks = BodyChunks(body).ToArray();
        var rows = chunks.Chunk(BodyChunksPerRow).ToArray();

        var main = new TableEntity(partition, key)
        {
            ["MessageId"] = rejection.MessageId,
            ["EventId"] = rejection.EventId,
            ["ReceivedAt"] = rejection.ReceivedAt,
            ["Channel"] = rejection.Channel,
            ["Errors"] = JsonSerializer.Serialize(rejection.Errors, ComplianceJson.Options),
            ["BodyLength"] = rejection.Body.Length,
            ["BodyChunks"] = chunks.Length,
            ["BodyRows"] = Math.Max(rows.Length, 1),
        };
        var entities = new List<TableEntity> { main };
        for (var row = 0; row < rows.Length; row++)
        {
            var entity = row == 0 ? main : new TableEntity(partition, RejectionBodyRow(key, row));
            for (var i = 0; i < rows[row].Length; i++)
            {
                entity[$"Body{(row * BodyChunksPerRow) + i}"] = rows[row][i];
            }

            if (row > 0)
            {
                entities.Add(entity);
            }
        }

        // Upserts keyed by message id and body, all rows at once: a redelivered invalid message is recorded once, and
        // whole; another body under the same id has another key, so it is recorded beside it, not over it.
        await _rejections.SubmitTransactionAsync(entities.Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace, e)), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>How many leading characters of a body fit <see cref="MaxRejectionBodyBytes"/>, at a worst-case JSON cost per character.</summary>
    internal static int StorablePrefix(string body)
    {
        long cost = 0;
        for (var i = 0; i < body.Length; i++)
        {
            var c = body[i];
            cost += JsonCost(c);
            if (cost > MaxRejectionBodyBytes)
            {
                return char.IsLowSurrogate(c) && i > 0 ? i - 1 : i; // never split a surrogate pair
            }
        }

        return body.Length;
    }

    /// <summary>Cuts a body into property values of at most <see cref="BodyChunkCost"/>, never between a surrogate pair.</summary>
    private static IEnumerable<string> BodyChunks(string body)
    {
        var (start, cost) = (0, 0);
        for (var i = 0; i < body.Length; i++)
        {
            var charCost = 2 * JsonCost(body[i]);
            if (cost + charCost > BodyChunkCost && !char.IsLowSurrogate(body[i]))
            {
                yield return body[start..i];
                (start, cost) = (i, 0);
            }

            cost += charCost;
        }

        if (start < body.Length)
        {
            yield return body[start..];
        }
    }

    /// <summary>Bytes a character can take in a JSON request at most: six when the serializer escapes it (\u0001).</summary>
    private static int JsonCost(char c) => c is < (char)0x20 or '"' or '\\' or > (char)0x7E ? 6 : 1;

    /// <summary>A long body's continuation row: '~' sorts after every hash character, so the rows follow their main row.</summary>
    private static string RejectionBodyRow(string key, int row) => $"{key}~{row:D3}";

    public async Task<IReadOnlyList<Rejection>> GetRejectionsAsync(string? department, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {department ?? UnattributedPartition}");
        var rejections = new List<Rejection>();
        var chunks = new Dictionary<string, string>(StringComparer.Ordinal);
        TableEntity? main = null;
        await foreach (var entity in _rejections.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (!entity.RowKey.Contains('~', StringComparison.Ordinal))
            {
                Complete();
                main = entity;
            }

            foreach (var (name, value) in entity)
            {
                if (name.StartsWith("Body", StringComparison.Ordinal) && int.TryParse(name.AsSpan(4), out _) && value is string text)
                {
                    chunks[name] = text;
                }
            }
        }

        Complete();
        return rejections.OrderBy(r => r.ReceivedAt).ToArray();

        // The rows of one rejection come together, main row first; a rejection is complete when the next one starts.
        void Complete()
        {
            if (main is null)
            {
                return;
            }

            var body = new StringBuilder();
            for (var i = 0; i < (main.GetInt32("BodyChunks") ?? 0); i++)
            {
                body.Append(chunks.GetValueOrDefault($"Body{i}"));
            }

            rejections.Add(new Rejection
            {
                Department = department,
                MessageId = main.GetString("MessageId"),
                Key = main.RowKey,
                EventId = main.GetString("EventId"),
                ReceivedAt = main.GetDateTimeOffset("ReceivedAt") ?? default,
                Channel = main.GetString("Channel"),
                Errors = JsonSerializer.Deserialize<List<ValidationError>>(main.GetString("Errors"), ComplianceJson.Options) ?? [],
                Body = body.ToString(),
                BodyLength = main.GetInt32("BodyLength") ?? body.Length,
            });
            chunks.Clear();
            main = null;
        }
    }

    public async Task<StorageProbe> ProbeAsync(CancellationToken cancellationToken)
    {
        // The probe's own bound, whatever its client does: credential acquisition or DNS can take longer than one
        // HTTP attempt's network timeout.
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(ProbeTimeout);
        try
        {
            await _probe.GetPropertiesAsync(bounded.Token).ConfigureAwait(false);
            return StorageProbe.Reachable;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return StorageProbe.Unreachable($"no answer within {ProbeTimeout.TotalSeconds.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture)} s");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Any failure means storage cannot be used: refused connections, DNS, TLS, 403s, credentials.
            return StorageProbe.Unreachable(StorageOutagePolicy.Describe(e));
        }
    }

    /// <summary>
    /// The record's columns that the list filters and sweeps query. None is ever null (absent values are empty
    /// strings, and no exemption is <see cref="NoExemption"/>), because the row is updated by merge, which would leave
    /// a stale value behind a null.
    /// </summary>
    private static IEnumerable<KeyValuePair<string, object>> QueryColumns(ComplianceRecord record) =>
    [
        new("Status", record.Status.ToString()),
        new("Severity", record.Severity?.ToString() ?? ""),
        new("VendorKey", record.Vendor?.Key ?? ""),
        new("DeviceType", record.Device.DeviceType?.ToWire() ?? ""),
        new("SiteId", record.Device.Site?.Id ?? ""),
        new("EvaluatedAt", record.EvaluatedAt),
        new("CatalogueVersion", record.CatalogueVersion),
        new("PolicyVersion", record.PolicyVersion),
        new("ExemptUntil", record.Exemption?.ExpiresAt ?? NoExemption),
    ];

    /// <summary>ExemptUntil of a record without an exemption: later than any expiry query asks about.</summary>
    private static readonly DateTimeOffset NoExemption = new(9999, 12, 31, 0, 0, 0, TimeSpan.Zero);
}

/// <summary>Row keys in a department's partition. Asset ids cannot contain '|', so no key can reach another kind.</summary>
internal static class StateKeys
{
    public const string Summary = "summary";

    /// <summary>When the department's alerts were last claimed for posting (<see cref="DispatchMark"/>).</summary>
    public const string Dispatch = "dispatch";
    public const string RecordFrom = "asset|";
    public const string RecordTo = "asset}";
    public const string OpenFrom = "open|";
    public const string OpenTo = "open}";
    public const string OutboxFrom = "outbox|";
    public const string OutboxTo = "outbox}";

    public static string Record(string assetId) => $"asset|{assetId}";

    /// <summary>Open NonCompliant devices sorted by how long they have been so: the first row is the oldest.</summary>
    public static string Open(DateTimeOffset since, string assetId) => $"open|{since.UtcTicks:D19}|{assetId}";

    /// <summary>Outbox rows (alerts not yet delivered everywhere) in the order their transitions happened.</summary>
    public static string Outbox(DateTimeOffset occurredAt, string alertId) => $"outbox|{occurredAt.UtcTicks:D19}|{alertId}";

    /// <summary>The first outbox key at or after <paramref name="time"/>.</summary>
    public static string OutboxAt(DateTimeOffset time) => $"outbox|{time.UtcTicks:D19}|";

    public const string DeliveredFrom = "sent|";
    public const string DeliveredTo = "sent}";

    /// <summary>Delivered alerts, moved out of the outbox range, in the order their transitions happened.</summary>
    public static string Delivered(DateTimeOffset occurredAt, string alertId) => $"sent|{occurredAt.UtcTicks:D19}|{alertId}";

    /// <summary>The first delivered key at or after <paramref name="time"/>: everything below it happened earlier.</summary>
    public static string DeliveredAt(DateTimeOffset time) => $"sent|{time.UtcTicks:D19}|";

    /// <summary>One asset's history row <paramref name="row"/> (1 and up; the first 100 entries live on the record row).</summary>
    public static string HistoryRow(string assetId, long row) => $"history|{assetId}|{row:D9}";

    /// <summary>All of one asset's history rows: asset ids hold no '|', and '~' sorts after every digit, so the range is exact.</summary>
    public static (string From, string To) HistoryRows(string assetId) => ($"history|{assetId}|", $"history|{assetId}|~");

}
