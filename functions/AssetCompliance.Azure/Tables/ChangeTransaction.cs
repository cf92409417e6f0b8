using AssetCompliance.Azure.Tables.Rows;
using AssetCompliance.Core.State;
using Azure.Data.Tables;

namespace AssetCompliance.Azure.Tables;

/// <summary>
/// One entity-group transaction of a commit, in one department's partition: for each change its record row, its
/// history rows, its open-index moves and its outbox rows, and, when the changes move the department's counts,
/// oldest open item or progress figures, the progress rows they move and the summary row last. Everything is in one transaction, so either all of a change's writes and
/// the summary move are stored, or none: no crash can leave a record without its history, an alert without its
/// transition, or a count that disagrees with the records.
/// </summary>
/// <param name="Actions">The transaction's actions, in order.</param>
/// <param name="Owners">Per action, the change it belongs to (null for the summary row) and whether it is that change's record row.</param>
internal sealed record ChangeTransaction(IReadOnlyList<TableTransactionAction> Actions, IReadOnlyList<(AssetChange? Change, bool IsRecord)> Owners)
{
    /// <summary>
    /// Builds the transaction of <paramref name="changes"/>, with the summary row moved by <paramref name="delta"/>
    /// when <paramref name="summary"/> is given (none when nothing here moves the counts; see <see cref="MovesSummary"/>).
    /// </summary>
    /// <param name="progress">The progress rows the changes move (issue 19), written just before the summary row; they belong to no change.</param>
    public static ChangeTransaction Build(string partition, IReadOnlyList<AssetChange> changes, SummarySnapshot? summary, SummaryDelta delta, OpenItem? oldest,
        IReadOnlyList<TableTransactionAction>? progress = null)
    {
        var actions = new List<TableTransactionAction>();
        var owners = new List<(AssetChange?, bool)>();
        foreach (var change in changes)
        {
            actions.Add(RecordRow.Write(partition, change));
            owners.Add((change, true));

            // Entries past the first 100 go to history rows, also by merge.
            foreach (var row in HistoryRow.RowsOf(change))
            {
                actions.Add(HistoryRow.Write(partition, change.AssetId, row));
                owners.Add((change, false));
            }

            var (removeOpen, addOpen) = OpenIndexRow.Change(change);
            if (removeOpen is not null)
            {
                actions.Add(OpenIndexRow.Delete(partition, removeOpen));
                owners.Add((change, false));
            }

            if (addOpen is not null)
            {
                actions.Add(OpenIndexRow.Add(partition, addOpen));
                owners.Add((change, false));
            }

            foreach (var alert in change.Alerts)
            {
                actions.Add(OutboxRow.Add(partition, alert));
                owners.Add((change, false));
            }
        }

        foreach (var row in progress ?? [])
        {
            actions.Add(row);
            owners.Add((null, false));
        }

        if (summary is not null)
        {
            // The summary goes last so that its response carries the ETag the next transaction must match.
            actions.Add(SummaryRow.Write(partition, summary.Counts.Apply(delta), oldest, summary.ETag));
            owners.Add((null, false));
        }

        return new ChangeTransaction(actions, owners);
    }

    /// <summary>Whether committing the change must update the department's summary row (its counts or oldest open item).</summary>
    public static bool MovesSummary(AssetChange change) => !change.Delta.IsZero || OpenIndexRow.Change(change) != (null, null)
        || ProgressRow.Moves(change); // progress rows move only with the summary row, whose ETag guards them too

    /// <summary>
    /// Groups changes so that each transaction holds at most <paramref name="capacity"/> of their entities (99 beside
    /// the summary row, 100 without it), in as few transactions as that allows and with the entities spread evenly
    /// over them (199 entities make transactions of 100 and 99, not 99, 99 and 1): every transaction costs a round
    /// trip, and a summary write when it has one, whatever its size.
    /// </summary>
    /// <param name="extra">Entities a change writes beyond its own rows (its progress rows, when they are counted per change).</param>
    public static IEnumerable<List<AssetChange>> Pack(IReadOnlyList<AssetChange> changes, int capacity, Func<AssetChange, int>? extra = null)
    {
        var counts = changes.Select(c => EntityCount(c) + (extra?.Invoke(c) ?? 0)).ToArray();
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

    /// <summary>The entities a change writes: as <see cref="Build"/> adds them.</summary>
    private static int EntityCount(AssetChange change)
    {
        var (remove, add) = OpenIndexRow.Change(change);
        return 1 + HistoryRow.RowsOf(change).Count() + change.Alerts.Count + (remove is null ? 0 : 1) + (add is null ? 0 : 1);
    }
}
