using System.Net;
using AssetCompliance.Azure.Tables;
using AssetCompliance.Core.NetBox;
using Azure;
using Azure.Data.Tables;

namespace AssetCompliance.Azure.NetBox;

/// <summary>
/// The NetBox replay memory in Table Storage: table <c>{prefix}NetBox</c>, one partition per department, one row per
/// NetBox object (row key <c>dcim.device:12</c>; ':' and '.' are legal in keys). A department's NetBox names at most
/// its own objects, so the table grows with the NetBox inventory, not with the webhooks. The rows a webhook changes
/// (the object and its device) are written in one entity-group transaction, with ETags, so two webhooks about one
/// device at once cannot lose either's MAC.
/// </summary>
public sealed class TableNetBoxMemory(TableServiceClient service, string tablePrefix) : INetBoxMemory
{
    private const string TableSuffix = "NetBox";

    private readonly TableClient _table = service.GetTableClient(tablePrefix + TableSuffix);
    private volatile bool _created;

    /// <summary>The memory as the hosts configure storage (<see cref="TableStorageOptions.CreateDataClient"/>).</summary>
    public static TableNetBoxMemory Create(TableStorageOptions options) => new(options.CreateDataClient(), options.TablePrefix);

    /// <inheritdoc/>
    public async Task<IReadOnlyDictionary<string, NetBoxObjectState>> GetAsync(string department, IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var found = new Dictionary<string, NetBoxObjectState>(StringComparer.Ordinal);
        foreach (var key in keys.Distinct(StringComparer.Ordinal))
        {
            var response = await _table.GetEntityIfExistsAsync<TableEntity>(department, key, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (response.HasValue && response.Value is { } entity)
            {
                found[key] = NetBoxRow.Read(entity);
            }
        }

        return found;
    }

    /// <inheritdoc/>
    public async Task<bool> TrySaveAsync(string department, IReadOnlyList<NetBoxObjectState> rows, CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var actions = rows.Select(row => row.ETag is { } etag
            ? new TableTransactionAction(TableTransactionActionType.UpdateReplace, NetBoxRow.Write(department, row), new ETag(etag))
            : new TableTransactionAction(TableTransactionActionType.Add, NetBoxRow.Write(department, row))).ToArray();
        try
        {
            await _table.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (TableTransactionFailedException e) when (e.Status is (int)HttpStatusCode.Conflict or (int)HttpStatusCode.PreconditionFailed)
        {
            return false;
        }
    }

    private async Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        if (!_created)
        {
            await _table.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
            _created = true;
        }
    }
}
