using AssetCompliance.Core.State;
using Microsoft.Extensions.Logging;

namespace AssetCompliance.Core.Processing;

/// <summary>
/// Carries out commands for one department: reads the records they touch, plans each asset's change in command
/// order, and commits all of them in as few transactions as possible. A lost optimistic-concurrency race sends the
/// affected commands round again with fresh state (where a command another writer committed meanwhile shows as a
/// repeat); everything else is final.
/// </summary>
public sealed partial class CommandProcessor(RecordPlanner planner, IRecordStore store, TimeProvider time, ILogger<CommandProcessor> logger)
{
    /// <summary>Rounds without progress before giving up (the transport then redelivers).</summary>
    private const int MaxFruitlessRounds = 10;

    public RecordPlanner Planner => planner;

    /// <summary>The store the commands are committed to (observations are matched against its records).</summary>
    public IRecordStore Store => store;

    /// <summary>The clock the commands are planned by (an observation dated after it is refused).</summary>
    public TimeProvider Time => time;

    /// <summary>Executes commands of one department in order per asset; returns a result per command, in input order.</summary>
    public Task<IReadOnlyList<CommandResult>> ExecuteAsync(string department, IReadOnlyList<RecordCommand> commands, CancellationToken cancellationToken) =>
        ExecuteAsync(department, commands, alreadyRead: null, cancellationToken);

    /// <summary>
    /// As <see cref="ExecuteAsync(string, IReadOnlyList{RecordCommand}, CancellationToken)"/>, planning the first round
    /// on records the caller has just read from storage (a sweep's scan), by asset id, instead of reading them again.
    /// Only the first round uses them: their ETags still guard every write, and a change that loses a race is planned
    /// again on a fresh read, as any other. Assets not among them are read from the store.
    /// </summary>
    public async Task<IReadOnlyList<CommandResult>> ExecuteAsync(
        string department, IReadOnlyList<RecordCommand> commands, IReadOnlyDictionary<string, StoredRecord>? alreadyRead, CancellationToken cancellationToken)
    {
        var results = new CommandResult?[commands.Count];
        var pending = Enumerable.Range(0, commands.Count).ToList();
        var fruitless = 0;
        while (pending.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var pendingAtStart = pending.Count;
            var assetIds = pending.Select(i => commands[i].AssetId).Distinct(StringComparer.Ordinal).ToArray();
            var records = await ReadAsync(department, assetIds, alreadyRead, cancellationToken).ConfigureAwait(false);
            alreadyRead = null;
            var now = time.GetUtcNow();

            // Plan each asset's next commands (at most one change's worth), keeping their order.
            var changes = new List<AssetChange>();
            var planned = new Dictionary<AssetChange, (List<int> Indexes, IReadOnlyList<CommandResult> Results)>(ReferenceEqualityComparer.Instance);
            foreach (var group in pending.GroupBy(i => commands[i].AssetId, StringComparer.Ordinal))
            {
                var indexes = group.Take(AssetChange.MaxCommands).ToList();
                var (change, planResults) = planner.Plan(department, group.Key, records.GetValueOrDefault(group.Key), indexes.Select(i => commands[i]).ToArray(), now);
                if (change is null)
                {
                    for (var k = 0; k < indexes.Count; k++) results[indexes[k]] = planResults[k];
                    continue;
                }

                changes.Add(change);
                planned[change] = (indexes, planResults);
            }

            pending.RemoveAll(i => results[i] is not null);
            if (changes.Count == 0)
            {
                continue;
            }

            var report = await store.CommitAsync(department, changes, cancellationToken).ConfigureAwait(false);
            foreach (var change in report.Committed)
            {
                var (indexes, planResults) = planned[change];
                for (var k = 0; k < indexes.Count; k++) results[indexes[k]] = planResults[k];
            }

            pending.RemoveAll(i => results[i] is not null);
            if (report.Conflicted.Count > 0)
            {
                fruitless = pending.Count < pendingAtStart ? 0 : fruitless + 1;
                if (fruitless >= MaxFruitlessRounds)
                {
                    throw new InvalidOperationException(
                        $"{pending.Count} command(s) for department {department} lost {MaxFruitlessRounds} optimistic-concurrency races in a row; the message will be redelivered.");
                }

                LogConflict(department, report.Conflicted.Count);
                // Jittered backoff so that racing instances stop colliding in lockstep.
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 20 * (fruitless + 1))), time, cancellationToken).ConfigureAwait(false);
            }
        }

        return results.Select(r => r!).ToArray();
    }

    private async Task<IReadOnlyDictionary<string, StoredRecord>> ReadAsync(
        string department, string[] assetIds, IReadOnlyDictionary<string, StoredRecord>? alreadyRead, CancellationToken cancellationToken)
    {
        if (alreadyRead is null)
        {
            return await store.GetRecordsAsync(department, assetIds, cancellationToken).ConfigureAwait(false);
        }

        var unread = assetIds.Where(id => !alreadyRead.ContainsKey(id)).ToArray();
        if (unread.Length == 0)
        {
            return alreadyRead;
        }

        var records = new Dictionary<string, StoredRecord>(alreadyRead, StringComparer.Ordinal);
        foreach (var (assetId, record) in await store.GetRecordsAsync(department, unread, cancellationToken).ConfigureAwait(false))
        {
            records[assetId] = record;
        }

        return records;
    }

    [LoggerMessage(EventId = 11, Level = LogLevel.Debug, Message = "{Count} change(s) in {Department} lost an optimistic-concurrency race; retrying with fresh state")]
    private partial void LogConflict(string department, int count);
}
