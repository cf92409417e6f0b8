using AssetCompliance.Azure.Tables.Rows;
using AssetCompliance.Core.State;
using Azure.Data.Tables;

namespace AssetCompliance.Azure.Tables;

/// <summary>
/// Rejections in the <c>{prefix}Rejections</c> table, partitioned by department and keyed by a hash of the message id
/// and the body (<see cref="Rejection.KeyFor"/>), a long body continued in rows written in the same transaction.
/// Layout: docs/state-design.md.
/// </summary>
public sealed class TableRejectionStore(ComplianceTables tables) : IRejectionStore
{
    /// <summary>Rejections whose department cannot be read are kept under this partition.</summary>
    public const string UnattributedPartition = "_unattributed";

    /// <inheritdoc cref="RejectionBody.MaxBytes"/>
    internal const int MaxRejectionBodyBytes = RejectionBody.MaxBytes;

    /// <inheritdoc/>
    public async Task RecordRejectionAsync(Rejection rejection, CancellationToken cancellationToken)
    {
        var partition = rejection.Department ?? UnattributedPartition;
        var key = rejection.Key;
        var body = rejection.Body[..RejectionBody.StorablePrefix(rejection.Body)];
        var chunks = RejectionBody.Chunks(body).ToArray();
        var rows = chunks.Chunk(RejectionBody.ChunksPerRow).ToArray();

        var main = RejectionRow.Main(partition, rejection, chunks.Length, rows.Length);
        var entities = new List<TableEntity> { main };
        for (var row = 0; row < rows.Length; row++)
        {
            var entity = row == 0 ? main : new TableEntity(partition, RejectionRow.ContinuationKey(key, row));
            for (var i = 0; i < rows[row].Length; i++)
            {
                entity[RejectionRow.ChunkProperty((row * RejectionBody.ChunksPerRow) + i)] = rows[row][i];
            }

            if (row > 0)
            {
                entities.Add(entity);
            }
        }

        // Upserts keyed by message id and body, all rows at once: a redelivered invalid message is recorded once, and
        // whole; another body under the same id has another key, so it is recorded beside it, not over it.
        await tables.Rejections.SubmitTransactionAsync(entities.Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace, e)), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<Rejection>> GetRejectionsAsync(string? department, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {department ?? UnattributedPartition}");
        var rejections = new List<Rejection>();
        var chunks = new Dictionary<string, string>(StringComparer.Ordinal);
        TableEntity? main = null;
        await foreach (var entity in tables.Rejections.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (RejectionRow.IsMain(entity))
            {
                Complete();
                main = entity;
            }

            RejectionRow.CollectChunks(entity, chunks);
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

            rejections.Add(RejectionRow.Read(department, main, chunks));
            chunks.Clear();
            main = null;
        }
    }
}
