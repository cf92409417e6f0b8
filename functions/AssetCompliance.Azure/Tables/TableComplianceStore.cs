using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AssetCompliance.Core.Events;
using AssetCompliance.Core.State;
using Azure;
using Azure.Data.Tables;

namespace AssetCompliance.Azure.Tables;

/// <summary>
/// Compliance state in Azure Table Storage. One partition per department in the <c>assets</c> table holds the
/// device records, their history and the markers of processed events, so that everything one event changes is one
/// entity-group transaction. Invalid inputs go to the <c>rejections</c> table.
/// </summary>
public sealed class TableComplianceStore : IComplianceStore
{
    /// <summary>Rejections whose department cannot be read are kept under this partition.</summary>
    public const string UnattributedPartition = "_unattributed";

    // A property holds at most 64 KiB (32K UTF-16 characters); long bodies are split across numbered properties.
    private const int BodyChunkChars = 30_000;
    private const int MaxBodyChunks = 30;

    private readonly TableClient _assets;
    private readonly TableClient _rejections;
    private readonly TableServiceClient _service;

    public TableComplianceStore(TableServiceClient service, string tablePrefix)
    {
        _service = service;
        _assets = service.GetTableClient(tablePrefix + "Assets");
        _rejections = service.GetTableClient(tablePrefix + "Rejections");
    }

    /// <summary>Creates the tables if they do not exist. Called once at start-up by the hosts.</summary>
    public async Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        await _assets.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
        await _rejections.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<StoredRecord?> GetRecordAsync(string department, string assetId, CancellationToken cancellationToken)
    {
        var response = await _assets.GetEntityIfExistsAsync<TableEntity>(department, StateKeys.Record(assetId), cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!response.HasValue || response.Value is not { } entity)
        {
            return null;
        }

        var record = JsonSerializer.Deserialize<ComplianceRecord>(entity.GetString("Record"), ComplianceJson.Options)!;
        return new StoredRecord(record, entity.ETag.ToString(), entity.GetInt64("HistoryCount") ?? 0);
    }

    public async Task<CommitOutcome> CommitAsync(StateChange change, CancellationToken cancellationToken)
    {
        var partition = change.Department;
        var marker = new TableEntity(partition, StateKeys.EventMarker(change.EventId))
        {
            ["EventId"] = change.EventId,
            ["AssetId"] = change.AssetId,
            ["Revision"] = change.History.Revision,
        };
        var history = new TableEntity(partition, StateKeys.History(change.AssetId, change.Sequence))
        {
            ["Kind"] = "history",
            ["AssetId"] = change.AssetId,
            ["Entry"] = JsonSerializer.Serialize(change.History, ComplianceJson.Options),
        };

        // The marker goes first: if the event was committed before, the whole transaction fails on it (409).
        var actions = new List<TableTransactionAction>(3)
        {
            new(TableTransactionActionType.Add, marker),
            new(TableTransactionActionType.Add, history),
        };

        var recordEntity = change.NewRecord is { } record
            ? ToEntity(record, change.Sequence)
            : new TableEntity(partition, StateKeys.Record(change.AssetId)) { ["HistoryCount"] = change.Sequence };
        if (change.ExpectedETag is { } etag)
        {
            // A superseded event only advances the history counter (merge); an applied one replaces the record.
            var type = change.NewRecord is null ? TableTransactionActionType.UpdateMerge : TableTransactionActionType.UpdateReplace;
            actions.Add(new TableTransactionAction(type, recordEntity, new ETag(etag)));
        }
        else
        {
            actions.Add(new TableTransactionAction(TableTransactionActionType.Add, recordEntity));
        }

        try
        {
            await _assets.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
            return CommitOutcome.Committed;
        }
        catch (TableTransactionFailedException ex) when (ex.Status is (int)HttpStatusCode.Conflict or (int)HttpStatusCode.PreconditionFailed)
        {
            return ex.FailedTransactionActionIndex == 0 ? CommitOutcome.AlreadyApplied : CommitOutcome.Conflict;
        }
    }

    public async Task<IReadOnlyList<HistoryEntry>> GetHistoryAsync(string department, string assetId, CancellationToken cancellationToken)
    {
        var (from, to) = StateKeys.HistoryRange(assetId);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {department} and RowKey gt {from} and RowKey lt {to}");
        var entries = new List<HistoryEntry>();
        await foreach (var entity in _assets.QueryAsync<TableEntity>(filter, select: ["Entry"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            entries.Add(JsonSerializer.Deserialize<HistoryEntry>(entity.GetString("Entry"), ComplianceJson.Options)!);
        }

        return entries;
    }

    public async Task RecordRejectionAsync(Rejection rejection, CancellationToken cancellationToken)
    {
        var entity = new TableEntity(rejection.Department ?? UnattributedPartition, StateKeys.Hash(rejection.MessageId))
        {
            ["MessageId"] = rejection.MessageId,
            ["EventId"] = rejection.EventId,
            ["ReceivedAt"] = rejection.ReceivedAt,
            ["Channel"] = rejection.Channel,
            ["Errors"] = JsonSerializer.Serialize(rejection.Errors, ComplianceJson.Options),
            ["BodyLength"] = rejection.Body.Length,
        };
        var chunks = 0;
        for (var offset = 0; offset < rejection.Body.Length && chunks < MaxBodyChunks; offset += BodyChunkChars, chunks++)
        {
            entity[$"Body{chunks}"] = rejection.Body.Substring(offset, Math.Min(BodyChunkChars, rejection.Body.Length - offset));
        }

        entity["BodyChunks"] = chunks;

        // Upsert keyed by message id: a redelivered invalid message is recorded once.
        await _rejections.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<Rejection>> GetRejectionsAsync(string? department, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {department ?? UnattributedPartition}");
        var rejections = new List<Rejection>();
        await foreach (var entity in _rejections.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            var body = new StringBuilder();
            var chunks = entity.GetInt32("BodyChunks") ?? 0;
            for (var i = 0; i < chunks; i++)
            {
                body.Append(entity.GetString($"Body{i}"));
            }

            rejections.Add(new Rejection
            {
                Department = department,
                MessageId = entity.GetString("MessageId"),
                EventId = entity.GetString("EventId"),
                ReceivedAt = entity.GetDateTimeOffset("ReceivedAt") ?? default,
                Channel = entity.GetString("Channel"),
                Errors = JsonSerializer.Deserialize<List<ValidationError>>(entity.GetString("Errors"), ComplianceJson.Options) ?? [],
                Body = body.ToString(),
            });
        }

        return rejections.OrderBy(r => r.ReceivedAt).ToArray();
    }

    public async Task<bool> IsAvailableAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _service.GetPropertiesAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException)
        {
            return false;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    private static TableEntity ToEntity(ComplianceRecord record, long historyCount) => new(record.Department, StateKeys.Record(record.AssetId))
    {
        ["Kind"] = "asset",
        ["AssetId"] = record.AssetId,
        ["Revision"] = record.Revision,
        ["Status"] = record.Status.ToString(),
        ["Severity"] = record.Severity?.ToString(),
        ["VendorKey"] = record.Vendor?.Key,
        ["DeviceType"] = record.Device.DeviceType?.ToWire(),
        ["SiteId"] = record.Device.Site?.Id,
        ["StatusSince"] = record.StatusSince,
        ["CatalogueVersion"] = record.CatalogueVersion,
        ["PolicyVersion"] = record.PolicyVersion,
        ["HistoryCount"] = historyCount,
        ["Record"] = JsonSerializer.Serialize(record, ComplianceJson.Options),
    };
}

/// <summary>Row keys in a department's partition. Asset ids cannot contain '|', so no key can reach another kind.</summary>
internal static class StateKeys
{
    public static string Record(string assetId) => $"asset|{assetId}";

    public static string History(string assetId, long sequence) => $"history|{assetId}|{sequence:D10}";

    /// <summary>All of one asset's history rows: '|' sorts just below '}', so the range is exact.</summary>
    public static (string From, string To) HistoryRange(string assetId) => ($"history|{assetId}|", $"history|{assetId}|~");

    /// <summary>Event ids are the sender's choice and may hold characters that keys forbid, so they are hashed.</summary>
    public static string EventMarker(string eventId) => $"event|{Hash(eventId)}";

    public static string Hash(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)))[..40];
}
