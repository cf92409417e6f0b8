using System.Net;
using AssetCompliance.Azure.Tables.Rows;
using AssetCompliance.Core.Alerting;
using Azure;
using Azure.Data.Tables;

namespace AssetCompliance.Azure.Tables;

/// <summary>
/// The alert outbox in each department's partition of <c>{prefix}Assets</c>: the <c>outbox|</c> rows the record
/// store's transactions add (<see cref="ChangeTransaction"/>), the <c>dispatch</c> mark, and the <c>sent|</c> log.
/// Every claim and outcome is guarded by the row's ETag. Layout: docs/state-design.md.
/// </summary>
public sealed class TableAlertOutbox(ComplianceTables tables) : IAlertOutbox
{
    private const int MaxEntitiesPerTransaction = ComplianceTables.MaxEntitiesPerTransaction;

    private TableClient Assets => tables.Assets;

    /// <inheritdoc/>
    public Task<IReadOnlyList<OutboxEntry>> GetOutboxEntriesAsync(string department, IReadOnlyCollection<OutboxState> states, CancellationToken cancellationToken) =>
        GetOutboxEntriesAsync(department, states, since: null, cancellationToken);

    /// <inheritdoc/>
    public async Task<IReadOnlyList<OutboxEntry>> GetOutboxEntriesAsync(string department, IReadOnlyCollection<OutboxState> states, DateTimeOffset? since, CancellationToken cancellationToken)
    {
        var entries = new List<OutboxEntry>();
        // The outbox range holds only what is not yet delivered (pending, sending, failed), so the dispatcher's
        // minute-by-minute read does not grow with the alerts of the past; delivered rows are in their own range.
        var undelivered = states.Where(s => s != OutboxState.Sent).ToArray();
        if (undelivered.Length > 0)
        {
            // Both ranges are keyed by when the transition happened, so "since" is a key bound, not a scan.
            var filter = TableRow.KeyRange(department, since is { } s1 ? StateKeys.OutboxAt(s1) : StateKeys.OutboxFrom, StateKeys.OutboxTo);
            if (undelivered.Length < Enum.GetValues<OutboxState>().Length - 1)
            {
                filter += OutboxRow.InStates(undelivered);
            }

            await foreach (var entity in Assets.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                entries.Add(OutboxRow.Read(entity));
            }
        }

        if (states.Contains(OutboxState.Sent))
        {
            var filter = TableRow.KeyRange(department, since is { } s2 ? StateKeys.DeliveredAt(s2) : StateKeys.DeliveredFrom, StateKeys.DeliveredTo);
            await foreach (var entity in Assets.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                entries.Add(OutboxRow.Read(entity));
            }
        }

        return [.. entries.OrderBy(e => e.Alert.OccurredAt).ThenBy(e => e.Alert.Id, StringComparer.Ordinal)];
    }

    /// <inheritdoc/>
    public async Task<DispatchMark> GetDispatchMarkAsync(string department, CancellationToken cancellationToken)
    {
        var response = await Assets.GetEntityIfExistsAsync<TableEntity>(department, StateKeys.Dispatch, select: DispatchRow.ReadColumns, cancellationToken: cancellationToken).ConfigureAwait(false);
        return response.HasValue && response.Value is { } entity ? DispatchRow.Read(entity) : DispatchMark.None;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<OutboxEntry>?> ClaimOutboxAsync(string department, IReadOnlyList<OutboxEntry> entries, DateTimeOffset leaseUntil, DispatchMark? mark, CancellationToken cancellationToken)
    {
        var claimed = new List<OutboxEntry>(entries.Count);
        // The mark goes into the first transaction, so the first chunk holds one row fewer.
        var first = mark is null ? MaxEntitiesPerTransaction : MaxEntitiesPerTransaction - 1;
        var chunks = new List<OutboxEntry[]> { entries.Take(first).ToArray() };
        chunks.AddRange(entries.Skip(first).Chunk(MaxEntitiesPerTransaction));
        foreach (var chunk in chunks.Where(c => c.Length > 0))
        {
            var actions = chunk.Select(e => OutboxRow.Claim(department, e, leaseUntil)).ToList();
            if (mark is not null)
            {
                // Guarded by the ETag read with it: a department another dispatcher claimed meanwhile is not due any more.
                var row = DispatchRow.Entity(department, mark.LastClaimedAt);
                actions.Add(mark.ETag is { } etag
                    ? new TableTransactionAction(TableTransactionActionType.UpdateReplace, row, new ETag(etag))
                    : new TableTransactionAction(TableTransactionActionType.Add, row));
                mark = null;
            }

            try
            {
                var response = await Assets.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
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

    /// <inheritdoc/>
    public async Task<bool> RestoreDispatchMarkAsync(string department, DateTimeOffset claimedAt, DateTimeOffset? previous, CancellationToken cancellationToken)
    {
        var current = await GetDispatchMarkAsync(department, cancellationToken).ConfigureAwait(false);
        if (current.LastClaimedAt != claimedAt || current.ETag is not { } etag)
        {
            return false; // another dispatcher claimed the department since: its window stands
        }

        try
        {
            await Assets.UpdateEntityAsync(DispatchRow.Entity(department, previous), new ETag(etag), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is (int)HttpStatusCode.PreconditionFailed or (int)HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    /// <inheritdoc/>
    public async Task<bool> SettleOutboxAsync(string department, OutboxEntry entry, CancellationToken cancellationToken)
    {
        try
        {
            if (entry.State != OutboxState.Sent)
            {
                await Assets.UpdateEntityAsync(OutboxRow.Settled(department, entry), new ETag(entry.ETag), TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
                return true;
            }

            // Delivered: the row moves to the delivered log in one transaction, guarded by the claim's ETag.
            await Assets.SubmitTransactionAsync(
                [
                    new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(department, StateKeys.Outbox(entry.Alert.OccurredAt, entry.Alert.Id)), new ETag(entry.ETag)),
                    new TableTransactionAction(TableTransactionActionType.Add, OutboxRow.Delivered(department, entry)),
                ],
                cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is (int)HttpStatusCode.PreconditionFailed or (int)HttpStatusCode.NotFound or (int)HttpStatusCode.Conflict)
        {
            return false;
        }
    }

    /// <inheritdoc/>
    public async Task<int> PruneDeliveredAlertsAsync(string department, DateTimeOffset before, CancellationToken cancellationToken)
    {
        // Delivered rows are keyed by when their transition happened, so everything older is one key range.
        var filter = TableRow.KeyRange(department, StateKeys.DeliveredFrom, StateKeys.DeliveredAt(before));
        var pruned = 0;
        var batch = new List<TableTransactionAction>(MaxEntitiesPerTransaction);
        await foreach (var entity in Assets.QueryAsync<TableEntity>(filter, select: [TableRow.Names.RowKey], cancellationToken: cancellationToken).ConfigureAwait(false))
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
            await Assets.SubmitTransactionAsync(deletes, cancellationToken).ConfigureAwait(false);
            return deletes.Count;
        }
        catch (TableTransactionFailedException ex) when (ex.Status == (int)HttpStatusCode.NotFound)
        {
            return 0; // the next prune deletes whatever this one left
        }
    }
}
