using System.Net;
using AssetCompliance.Azure.Tables.Rows;
using AssetCompliance.Core.State;
using Azure;
using Azure.Data.Tables;

namespace AssetCompliance.Azure.Tables;

/// <summary>
/// The progress figures' rows (<c>progress|{yyyy-MM}</c> in each department's partition) on Table Storage: read for
/// the progress routes (one range query per department, nothing else), and replaced by <see cref="ProgressRebuild"/>.
/// <see cref="TableRecordStore"/>'s commits move them, in the same transaction as the records and the summary row.
/// </summary>
public sealed class TableProgressStore(ComplianceTables tables) : IProgressStore
{
    private TableClient Assets => tables.Assets;

    /// <inheritdoc/>
    public async Task<ProgressLedger> GetProgressAsync(string department, CancellationToken cancellationToken) =>
        (await ProgressCache.ReadAsync(Assets, department, cancellationToken).ConfigureAwait(false)).Ledger;

    /// <inheritdoc/>
    public async Task<string?> GetProgressVersionAsync(string department, CancellationToken cancellationToken)
    {
        // Every transaction that moves the progress rows moves the summary row too, so its ETag is the version.
        var response = await Assets.GetEntityIfExistsAsync<TableEntity>(department, StateKeys.Summary, [TableRow.Names.Kind], cancellationToken).ConfigureAwait(false);
        return response.HasValue && response.Value is { } entity ? entity.ETag.ToString() : null;
    }

    /// <inheritdoc/>
    /// <exception cref="InvalidOperationException">The rows do not fit one transaction (more than 99 months with figures).</exception>
    public async Task<bool> ReplaceProgressAsync(string department, string? version, ProgressLedger ledger, CancellationToken cancellationToken)
    {
        var stored = await ProgressCache.ReadAsync(Assets, department, cancellationToken).ConfigureAwait(false);
        var actions = new List<TableTransactionAction>();
        foreach (var (month, value) in ledger.Months.Where(m => !m.Value.IsZero))
        {
            actions.Add(ProgressRow.Write(department, month, value, stored.Months.TryGetValue(month, out var row) ? row.ETag : null));
        }

        foreach (var month in stored.Months.Keys.Where(m => !ledger.Months.TryGetValue(m, out var value) || value.IsZero))
        {
            actions.Add(ProgressRow.Delete(department, month));
        }

        if (version is not null)
        {
            // The guard: an empty merge of the summary row with the ETag read before the records were. A change
            // committed since moved it, and then nothing here is written.
            actions.Add(new TableTransactionAction(TableTransactionActionType.UpdateMerge, new TableEntity(department, StateKeys.Summary), new ETag(version)));
        }

        if (actions.Count == 0)
        {
            return true;
        }

        if (actions.Count > ComplianceTables.MaxEntitiesPerTransaction)
        {
            throw new InvalidOperationException($"The progress of {department} spans {actions.Count - 1} monthly rows, more than one transaction holds ({ComplianceTables.MaxEntitiesPerTransaction - 1}).");
        }

        try
        {
            await Assets.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (TableTransactionFailedException ex) when (ex.Status is (int)HttpStatusCode.Conflict or (int)HttpStatusCode.PreconditionFailed)
        {
            // A commit moved the summary (or a progress row) since the version was read: the caller reads again.
            return false;
        }
    }
}
