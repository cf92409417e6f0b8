using System.Collections.Concurrent;
using AssetCompliance.Azure.Tables.Rows;
using AssetCompliance.Core.Events;
using AssetCompliance.Core.State;
using Azure.Data.Tables;

namespace AssetCompliance.Azure.Tables;

/// <summary>
/// Compliance records in Azure Table Storage: one partition per department in <c>{prefix}Assets</c> holds the device
/// records with their history, the open-item index, the outbox and the summary, so that everything one event changes
/// is one entity-group transaction (<see cref="ChangeTransaction"/>, committed by <see cref="RecordCommitter"/>).
/// Layout and reasons: docs/state-design.md.
/// </summary>
public sealed class TableRecordStore : IRecordStore
{
    private const int ReadParallelism = 16;

    /// <summary>Records per cache generation: at most twice this many are cached (a few hundred MB at most).</summary>
    private const int RecordCacheGeneration = 100_000;
    private const int WholeDepartmentReadLimit = 2000;

    private readonly ComplianceTables _tables;

    // Only the processing path uses the record cache, and only to skip reads; API reads always go to storage.
    private readonly RecordCache _records = new(RecordCacheGeneration);
    private readonly SummaryCache _summaries;
    private readonly RecordCommitter _committer;

    public TableRecordStore(ComplianceTables tables)
    {
        _tables = tables;
        _summaries = new SummaryCache(tables.Assets);
        _committer = new RecordCommitter(tables.Assets, _records, _summaries);
    }

    private TableClient Assets => _tables.Assets;

    /// <inheritdoc/>
    public async Task<StoredRecord?> GetRecordAsync(string department, string assetId, CancellationToken cancellationToken)
    {
        var response = await Assets.GetEntityIfExistsAsync<TableEntity>(department, StateKeys.Record(assetId), RecordRow.ReadColumns, cancellationToken).ConfigureAwait(false);
        return response.HasValue && response.Value is { } entity ? RecordRow.Read(entity) : null;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyDictionary<string, StoredRecord>> GetRecordsAsync(string department, IReadOnlyCollection<string> assetIds, CancellationToken cancellationToken)
    {
        var found = new ConcurrentDictionary<string, StoredRecord>(StringComparer.Ordinal);
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

    /// <inheritdoc/>
    public Task<CommitReport> CommitAsync(string department, IReadOnlyList<AssetChange> changes, CancellationToken cancellationToken) =>
        _committer.CommitAsync(department, changes, cancellationToken);

    /// <summary>
    /// Whether one range read of the department is cheaper than point reads of the assets this instance has not seen:
    /// true for small departments and when the unseen assets are a large share of it (a register import).
    /// </summary>
    private async Task<bool> ShouldReadWholeDepartmentAsync(string department, int misses, CancellationToken cancellationToken)
    {
        var summary = await _summaries.GetAsync(department, cancellationToken).ConfigureAwait(false);
        // A department larger than a cache generation could not stay whole in the cache: point reads instead.
        return summary.Counts.Total < _records.GenerationSize && summary.Counts.Total <= Math.Max(WholeDepartmentReadLimit, misses * 4L);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<HistoryEntry>> GetHistoryAsync(string department, string assetId, CancellationToken cancellationToken)
    {
        var response = await Assets.GetEntityIfExistsAsync<TableEntity>(department, StateKeys.Record(assetId), cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!response.HasValue || response.Value is not { } record)
        {
            return [];
        }

        var entries = new SortedList<string, HistoryEntry>(StringComparer.Ordinal);
        HistoryRow.Collect(record, entries);
        if (RecordRow.ReadCommands(record).HistoryCount > HistoryRow.EntriesPerRow)
        {
            var (from, to) = StateKeys.HistoryRows(assetId);
            await foreach (var row in Assets.QueryAsync<TableEntity>(TableRow.KeyRange(department, from, to), cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                HistoryRow.Collect(row, entries);
            }
        }

        // Property names are 'H' and the entry's number in seven digits, so their ordinal order is the history's.
        return [.. entries.Values];
    }

    /// <inheritdoc/>
    public async Task<DepartmentSummary> GetSummaryAsync(string department, CancellationToken cancellationToken)
    {
        // One point read: the counters and the oldest open item are kept on the summary row.
        var summary = await _summaries.ReadAsync(department, cancellationToken).ConfigureAwait(false);
        return new DepartmentSummary(department, summary.Counts, summary.Oldest);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<string>> GetDepartmentsAsync(CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {StateKeys.DepartmentsPartition}");
        var departments = new List<string>();
        await foreach (var entity in Assets.QueryAsync<TableEntity>(filter, select: [TableRow.Names.RowKey], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            departments.Add(entity.RowKey);
        }

        return departments;
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<StoredRecord> FindRecordsAsync(string department, RecordFilter filter, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var entity in Assets.QueryAsync<TableEntity>(RecordRow.Filter(department, filter), select: RecordRow.ReadColumns, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            yield return RecordRow.Read(entity);
        }
    }

    /// <inheritdoc/>
    public async Task<RecordPage> QueryRecordsAsync(string department, AssetQuery query, int top, string? continuation, CancellationToken cancellationToken)
    {
        if (query.FilterValueCount > AssetQuery.MaxFilterValues)
        {
            throw new ArgumentException($"At most {AssetQuery.MaxFilterValues} filter values fit one Table Storage query.", nameof(query));
        }

        var filter = RecordRow.Filter(department, query);
        var records = new List<ComplianceRecord>(top);
        string? next = continuation;
        // A page can come back short (or empty) with a token: keep reading until the page is full or the table ends.
        do
        {
            var pages = Assets.QueryAsync<TableEntity>(filter, maxPerPage: top - records.Count, select: RecordRow.ReadColumns, cancellationToken: cancellationToken).AsPages(next, top - records.Count);
            await using var enumerator = pages.GetAsyncEnumerator(cancellationToken);
            if (!await enumerator.MoveNextAsync().ConfigureAwait(false))
            {
                next = null;
                break;
            }

            records.AddRange(enumerator.Current.Values.Select(e => RecordRow.Read(e).Record));
            next = enumerator.Current.ContinuationToken;
        }
        while (next is not null && records.Count < top);

        return new RecordPage(records, next);
    }

    /// <inheritdoc/>
    public Task<StorageProbe> ProbeAsync(CancellationToken cancellationToken) => _tables.ProbeAsync(cancellationToken);
}
