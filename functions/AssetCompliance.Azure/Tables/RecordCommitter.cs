using System.Collections.Concurrent;
using System.Net;
using AssetCompliance.Azure.Tables.Rows;
using AssetCompliance.Core.State;
using Azure.Data.Tables;

namespace AssetCompliance.Azure.Tables;

/// <summary>
/// The commit loop of <see cref="TableRecordStore"/>: packs a department's changes into transactions
/// (<see cref="ChangeTransaction"/>), submits them, keeps the caches in step with what was committed, and sorts out
/// lost races: a change whose record moved is reported as conflicted, a summary another writer moved is read again.
/// </summary>
internal sealed class RecordCommitter(TableClient assets, RecordCache records, SummaryCache summaries)
{
    private const int MaxEntitiesPerTransaction = ComplianceTables.MaxEntitiesPerTransaction;
    private const int MaxSummaryRetries = 20;

    /// <summary>Transactions of one commit that leave the summary alone and go to storage side by side.</summary>
    private const int CommitParallelism = 2;

    /// <summary>
    /// Progress rows a run of counted changes may share and still be packed as if each wrote none of its own (every
    /// transaction keeps room for all of them); beyond this each change counts its own.
    /// </summary>
    private const int MaxSharedProgressRows = 32;

    private readonly ConcurrentDictionary<string, bool> _knownDepartments = new(StringComparer.Ordinal);
    private readonly ProgressCache _progress = new(assets);

    /// <summary>The progress rows along one commit's chain of counted transactions, as last committed.</summary>
    private sealed class ProgressChain(ProgressSnapshot snapshot)
    {
        public ProgressSnapshot Snapshot { get; set; } = snapshot;
    }

    /// <inheritdoc cref="IRecordStore.CommitAsync"/>
    public async Task<CommitReport> CommitAsync(string department, IReadOnlyList<AssetChange> changes, CancellationToken cancellationToken)
    {
        await RegisterDepartmentAsync(department, cancellationToken).ConfigureAwait(false);
        var committed = new List<AssetChange>();
        var conflicted = new List<AssetChange>();

        // Changes that move the department's counts or its open index commit one transaction after another, each with
        // the summary row guarded by the ETag the previous one returned. The others (a re-evaluation or a revision
        // that keeps the verdict, history that only grows) leave the summary alone: their transactions carry no
        // summary row, so they commit side by side, each guarded by its records' ETags.
        var counted = changes.Where(ChangeTransaction.MovesSummary).ToList();
        var uncounted = changes.Where(c => !ChangeTransaction.MovesSummary(c)).ToList();
        var chain = CommitCountedAsync(department, counted, committed, conflicted, cancellationToken);
        var sideBySide = Parallel.ForEachAsync(ChangeTransaction.Pack(uncounted, MaxEntitiesPerTransaction),
            new ParallelOptions { MaxDegreeOfParallelism = CommitParallelism, CancellationToken = cancellationToken },
            async (group, token) => await CommitGroupAsync(department, group, summary: null, progress: null, committed, conflicted, token).ConfigureAwait(false));
        // Both run to the end before this returns or throws, so no write of this call is still in flight afterwards.
        await Task.WhenAll(chain, sideBySide).ConfigureAwait(false);
        return new CommitReport(committed, conflicted);
    }

    private async Task CommitCountedAsync(string department, List<AssetChange> changes, List<AssetChange> committed, List<AssetChange> conflicted, CancellationToken cancellationToken)
    {
        if (changes.Count == 0)
        {
            return;
        }

        var summary = await summaries.GetForCommitAsync(department, cancellationToken).ConfigureAwait(false);
        var progress = new ProgressChain(await _progress.GetForCommitAsync(department, cancellationToken).ConfigureAwait(false));
        // The progress rows go in the transactions as well: usually one (this month's) shared by every change.
        var progressRows = changes.SelectMany(c => ProgressRow.MoveOf(c).Months.Keys).Distinct(StringComparer.Ordinal).Count();
        var groups = progressRows <= MaxSharedProgressRows
            ? ChangeTransaction.Pack(changes, MaxEntitiesPerTransaction - 1 - progressRows)
            : ChangeTransaction.Pack(changes, MaxEntitiesPerTransaction - 1, c => ProgressRow.MoveOf(c).Months.Count);
        foreach (var group in groups)
        {
            summary = await CommitGroupAsync(department, group, summary, progress, committed, conflicted, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Commits one transaction's changes, with the summary row when <paramref name="summary"/> is given (then returns
    /// the summary as committed). A change that loses a race is reported as conflicted and the others are resubmitted;
    /// a summary moved by another writer is read again, at most <see cref="MaxSummaryRetries"/> times.
    /// </summary>
    private async Task<SummarySnapshot?> CommitGroupAsync(
        string department, List<AssetChange> group, SummarySnapshot? summary, ProgressChain? progress, List<AssetChange> committed, List<AssetChange> conflicted, CancellationToken cancellationToken)
    {
        var remaining = group.ToList();
        var summaryRetries = 0;
        while (remaining.Count > 0)
        {
            var delta = remaining.Aggregate(SummaryDelta.None, (sum, c) => sum.Plus(c.Delta));
            var oldest = summary is null ? null : await OldestAfterAsync(department, remaining, summary, cancellationToken).ConfigureAwait(false);
            var progressRows = summary is null || progress is null ? [] : ProgressWrites(department, remaining, progress.Snapshot);
            var (actions, owners) = ChangeTransaction.Build(department, remaining, summary, delta, oldest, [.. progressRows.Select(r => r.Action)]);
            try
            {
                var response = await assets.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
                if (summary is not null)
                {
                    summary = new SummarySnapshot(summary.Counts.Apply(delta), response.Value[^1].Headers.ETag?.ToString(), oldest);
                    summaries.Remember(department, summary);
                }

                if (progress is not null && progressRows.Count > 0)
                {
                    // The progress rows are the actions just before the summary row, in order.
                    var months = progress.Snapshot.Months.ToDictionary(StringComparer.Ordinal);
                    for (var i = 0; i < progressRows.Count; i++)
                    {
                        months[progressRows[i].Month] = (progressRows[i].Value, response.Value[actions.Count - 1 - progressRows.Count + i].Headers.ETag?.ToString() ?? "");
                    }

                    progress.Snapshot = new ProgressSnapshot(months);
                    _progress.Remember(department, progress.Snapshot);
                }

                for (var i = 0; i < owners.Count; i++)
                {
                    if (owners[i] is { IsRecord: true, Change: { } change } && response.Value[i].Headers.ETag is { } etag)
                    {
                        records.Remember(department, change.AssetId, new StoredRecord(change.After ?? change.Before!.Record, etag.ToString(), change.HistoryCount, change.AppliedCommands)
                        {
                            HasObservationColumns = change.After is not null || change.Before!.HasObservationColumns, // only a record write sends columns
                        });
                    }
                }

                lock (committed) committed.AddRange(remaining);
                break;
            }
            catch (TableTransactionFailedException ex) when (ex.Status is (int)HttpStatusCode.Conflict or (int)HttpStatusCode.PreconditionFailed
                or (int)HttpStatusCode.NotFound // a progress row this instance remembers was deleted by a rebuild (it found the month empty)
                && ex.FailedTransactionActionIndex is { } index)
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

                    summary = await summaries.RefreshAsync(department, cancellationToken).ConfigureAwait(false);
                    if (progress is not null)
                    {
                        // Or moved a progress row (a rebuild, or a writer whose summary move came first): read them again too.
                        progress.Snapshot = await _progress.RefreshAsync(department, cancellationToken).ConfigureAwait(false);
                    }

                    continue;
                }

                // One change lost a race (its record moved, or another writer created it first); the transaction
                // wrote nothing. Report that change, to be read and planned again, and resubmit the others.
                records.Forget(department, owner.AssetId);
                remaining.Remove(owner);
                lock (conflicted) conflicted.Add(owner);
            }
        }

        return summary;
    }

    /// <summary>
    /// The progress rows these changes move, with their values after the changes: each month's stored value (as the
    /// snapshot read it) plus the changes' moves, written with the ETag read (or added when the month had no row).
    /// </summary>
    private static List<(string Month, Core.State.ProgressMonth Value, TableTransactionAction Action)> ProgressWrites(string department, IReadOnlyList<AssetChange> changes, ProgressSnapshot snapshot)
    {
        var move = new ProgressLedger(changes.SelectMany(c => ProgressRow.MoveOf(c).Months));
        var rows = new List<(string, Core.State.ProgressMonth, TableTransactionAction)>();
        foreach (var (month, change) in move.Months)
        {
            var stored = snapshot.Months.TryGetValue(month, out var row) ? row : ((Core.State.ProgressMonth?)null, (string?)null);
            var value = (stored.Item1 ?? Core.State.ProgressMonth.Empty).Plus(change);
            rows.Add((month, value, ProgressRow.Write(department, month, value, stored.Item2)));
        }

        return rows;
    }

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
            var (remove, add) = OpenIndexRow.Change(change);
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
            var filter = TableRow.KeyRange(department, StateKeys.OpenFrom, StateKeys.OpenTo);
            await foreach (var entity in assets.QueryAsync<TableEntity>(filter, maxPerPage: removed.Count + 1, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                if (!removed.Contains(entity.RowKey))
                {
                    candidates.Add(OpenIndexRow.Read(department, entity));
                    break;
                }
            }
        }

        return candidates.MinBy(c => StateKeys.Open(c.Since, c.AssetId), StringComparer.Ordinal);
    }

    private async Task RegisterDepartmentAsync(string department, CancellationToken cancellationToken)
    {
        if (_knownDepartments.ContainsKey(department))
        {
            return;
        }

        // Idempotent and outside the change's transaction (another partition): a department listed with no records
        // yet is harmless, and the list is what lets the all-departments summary avoid a table scan.
        await assets.UpsertEntityAsync(new TableEntity(StateKeys.DepartmentsPartition, department), TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
        _knownDepartments.TryAdd(department, true);
    }
}
