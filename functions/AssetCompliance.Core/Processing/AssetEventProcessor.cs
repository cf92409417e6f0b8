using System.Text;
using System.Text.Json;
using AssetCompliance.Core.Catalogue;
using AssetCompliance.Core.Events;
using AssetCompliance.Core.Policy;
using AssetCompliance.Core.State;
using Microsoft.Extensions.Logging;

namespace AssetCompliance.Core.Processing;

/// <summary>
/// The one front door for asset events: parse and validate, identify the maker, evaluate the policy and commit the
/// resulting state. Invalid input is recorded as a rejection and counts as handled (retrying cannot fix it);
/// infrastructure failures propagate so that the transport redelivers.
/// </summary>
public sealed partial class AssetEventProcessor(
    DeviceIdentifier identifier,
    ComplianceEvaluator evaluator,
    IComplianceStore store,
    TimeProvider time,
    ILogger<AssetEventProcessor> logger)
{
    /// <summary>Concurrent writers to one record are rare (sessions are not used); a few re-reads settle them.</summary>
    private const int MaxConflictRetries = 10;

    public string CatalogueVersion => identifier.Catalogue.Version;
    public string PolicyVersion => evaluator.Policy.Version;

    /// <summary>Processes a batch in order, so that events for one asset are applied in the order they arrived.</summary>
    public async Task<IReadOnlyList<MessageResult>> ProcessAsync(IReadOnlyList<InboundMessage> batch, CancellationToken cancellationToken)
    {
        var results = new List<MessageResult>(batch.Count);
        foreach (var message in batch)
        {
            cancellationToken.ThrowIfCancellationRequested();
            results.Add(await ProcessAsync(message, cancellationToken).ConfigureAwait(false));
        }

        return results;
    }

    public async Task<MessageResult> ProcessAsync(InboundMessage message, CancellationToken cancellationToken)
    {
        var parsed = AssetEventParser.Parse(message.Body);
        if (parsed.Event is not { } assetEvent)
        {
            await RejectAsync(message, parsed.Errors, cancellationToken).ConfigureAwait(false);
            return new MessageResult(message.MessageId, MessageOutcome.Rejected, ErrorCount: parsed.Errors.Count);
        }

        using var scope = logger.BeginScope(new Dictionary<string, object>
        {
            ["EventId"] = assetEvent.Id,
            ["Department"] = assetEvent.Department,
            ["AssetId"] = assetEvent.AssetId,
        });

        for (var attempt = 1; ; attempt++)
        {
            var current = await store.GetRecordAsync(assetEvent.Department, assetEvent.AssetId, cancellationToken).ConfigureAwait(false);
            var change = Decide(assetEvent, current);
            var outcome = await store.CommitAsync(change, cancellationToken).ConfigureAwait(false);
            switch (outcome)
            {
                case CommitOutcome.Committed when change.NewRecord is { } record:
                    LogApplied(assetEvent.Id, assetEvent.Department, assetEvent.AssetId, assetEvent.Revision, change.History.StatusBefore, record.Status);
                    return new MessageResult(message.MessageId, MessageOutcome.Applied, assetEvent.Id, assetEvent.Department, assetEvent.AssetId, record.Status);
                case CommitOutcome.Committed:
                    LogSuperseded(assetEvent.Id, assetEvent.Department, assetEvent.AssetId, assetEvent.Revision, current?.Record.Revision ?? 0);
                    return new MessageResult(message.MessageId, MessageOutcome.Superseded, assetEvent.Id, assetEvent.Department, assetEvent.AssetId, current?.Record.Status);
                case CommitOutcome.AlreadyApplied:
                    LogDuplicate(assetEvent.Id, assetEvent.Department, assetEvent.AssetId);
                    return new MessageResult(message.MessageId, MessageOutcome.Duplicate, assetEvent.Id, assetEvent.Department, assetEvent.AssetId);
                case CommitOutcome.Conflict when attempt < MaxConflictRetries:
                    // Jittered backoff so that racing instances stop colliding in lockstep.
                    await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 20 * attempt)), time, cancellationToken).ConfigureAwait(false);
                    continue;
                default:
                    throw new InvalidOperationException(
                        $"Event {assetEvent.Id} for {assetEvent.Department}/{assetEvent.AssetId} lost {MaxConflictRetries} optimistic-concurrency races; the message will be redelivered.");
            }
        }
    }

    /// <summary>What the event would change, given the stored state. Pure; the store makes it atomic.</summary>
    internal StateChange Decide(AssetEvent assetEvent, StoredRecord? current)
    {
        var now = time.GetUtcNow();
        var previous = current?.Record;
        var eventType = assetEvent.Kind.ToWire();

        if (previous is not null && assetEvent.Revision <= previous.Revision)
        {
            var superseded = new HistoryEntry
            {
                Department = assetEvent.Department,
                AssetId = assetEvent.AssetId,
                EventId = assetEvent.Id,
                Revision = assetEvent.Revision,
                EventType = eventType,
                EventTime = assetEvent.Time,
                RecordedAt = now,
                Outcome = HistoryOutcome.Superseded,
                StatusBefore = previous.Status,
                StatusAfter = previous.Status,
                SeverityBefore = previous.Severity,
                SeverityAfter = previous.Severity,
                Reasons = [$"Revision {assetEvent.Revision} is not newer than the stored revision {previous.Revision}; the stored state was kept."],
                CatalogueVersion = previous.CatalogueVersion,
                PolicyVersion = previous.PolicyVersion,
            };
            return new StateChange(assetEvent.Department, assetEvent.AssetId, assetEvent.Id, current!.HistoryCount + 1, superseded, null, current.ETag);
        }

        var device = assetEvent.Kind == AssetEventKind.Removed && previous is not null
            ? MergeRemoval(previous.Device, assetEvent.Device)
            : assetEvent.Device;
        var identification = identifier.Identify(device.Manufacturer, device.Model, device.MacAddress);
        var evaluation = evaluator.Evaluate(assetEvent.Kind, device, identification);
        var changed = previous is null || previous.Status != evaluation.Status || previous.Severity != evaluation.Severity;

        var record = new ComplianceRecord
        {
            Department = assetEvent.Department,
            AssetId = assetEvent.AssetId,
            Revision = assetEvent.Revision,
            EventId = assetEvent.Id,
            EventTime = assetEvent.Time,
            Device = device,
            Status = evaluation.Status,
            Severity = evaluation.Severity,
            Rule = evaluation.Rule,
            Reasons = evaluation.Reasons,
            Vendor = identification.Vendor is { } vendor ? VendorSnapshot.From(vendor) : null,
            Evidence = identification.Evidence.Select(EvidenceSnapshot.From).ToArray(),
            RelabelSuspected = identification.RelabelSuspected,
            CatalogueVersion = CatalogueVersion,
            PolicyVersion = PolicyVersion,
            FirstSeen = previous?.FirstSeen ?? now,
            StatusSince = changed ? now : previous!.StatusSince,
            EvaluatedAt = now,
            PreviousStatus = changed ? previous?.Status : previous!.PreviousStatus,
        };

        var history = new HistoryEntry
        {
            Department = assetEvent.Department,
            AssetId = assetEvent.AssetId,
            EventId = assetEvent.Id,
            Revision = assetEvent.Revision,
            EventType = eventType,
            EventTime = assetEvent.Time,
            RecordedAt = now,
            Outcome = HistoryOutcome.Applied,
            StatusBefore = previous?.Status,
            StatusAfter = evaluation.Status,
            SeverityBefore = previous?.Severity,
            SeverityAfter = evaluation.Severity,
            Reasons = evaluation.Reasons,
            CatalogueVersion = CatalogueVersion,
            PolicyVersion = PolicyVersion,
        };

        return new StateChange(assetEvent.Department, assetEvent.AssetId, assetEvent.Id, (current?.HistoryCount ?? 0) + 1, history, record, current?.ETag);
    }

    /// <summary>A removal may carry only ids; keep the last known description so that the record still says what was removed.</summary>
    private static RegisteredDevice MergeRemoval(RegisteredDevice previous, RegisteredDevice removal) => previous with
    {
        Revision = removal.Revision,
        Manufacturer = removal.Manufacturer ?? previous.Manufacturer,
        Model = removal.Model ?? previous.Model,
        SerialNumber = removal.SerialNumber ?? previous.SerialNumber,
        MacAddress = removal.MacAddress ?? previous.MacAddress,
        DeviceType = removal.DeviceType ?? previous.DeviceType,
        Site = removal.Site ?? previous.Site,
        NetworkSegment = removal.NetworkSegment ?? previous.NetworkSegment,
        InstalledOn = removal.InstalledOn ?? previous.InstalledOn,
    };

    private async Task RejectAsync(InboundMessage message, IReadOnlyList<ValidationError> errors, CancellationToken cancellationToken)
    {
        var (department, eventId) = BestEffortAttribution(message.Body);
        var rejection = new Rejection
        {
            Department = department,
            MessageId = message.MessageId,
            EventId = eventId,
            ReceivedAt = message.EnqueuedTime,
            Channel = message.Channel,
            Errors = errors,
            Body = DecodeBody(message.Body),
        };
        await store.RecordRejectionAsync(rejection, cancellationToken).ConfigureAwait(false);
        LogRejected(message.MessageId, department ?? "(unattributed)", errors.Count, string.Join("; ", errors.Take(5)));
    }

    /// <summary>Which department sent an invalid message, if that much can be read, so that it can see its own rejections.</summary>
    private static (string? Department, string? EventId) BestEffortAttribution(ReadOnlyMemory<byte> body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return (null, null);
            }

            string? department = null;
            if (root.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object &&
                data.TryGetProperty("department", out var d) && d.ValueKind == JsonValueKind.String && Identifiers.IsValidDepartment(d.GetString()))
            {
                department = d.GetString();
            }

            var eventId = root.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;
            return (department, eventId is { Length: <= 128 } ? eventId : null);
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }

    private static string DecodeBody(ReadOnlyMemory<byte> body)
    {
        // Keep the bytes recoverable even when they are not UTF-8: fall back to base64 with a marker.
        try
        {
            return new UTF8Encoding(false, true).GetString(body.Span);
        }
        catch (DecoderFallbackException)
        {
            return "base64:" + Convert.ToBase64String(body.Span);
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Applied event {EventId} to {Department}/{AssetId} revision {Revision}: {StatusBefore} -> {StatusAfter}")]
    private partial void LogApplied(string eventId, string department, string assetId, long revision, ComplianceStatus? statusBefore, ComplianceStatus statusAfter);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Superseded event {EventId} for {Department}/{AssetId}: revision {Revision} is not newer than stored revision {StoredRevision}")]
    private partial void LogSuperseded(string eventId, string department, string assetId, long revision, long storedRevision);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Duplicate event {EventId} for {Department}/{AssetId} ignored: already applied")]
    private partial void LogDuplicate(string eventId, string department, string assetId);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "Rejected message {MessageId} from {Department} with {ErrorCount} validation errors: {Errors}")]
    private partial void LogRejected(string messageId, string department, int errorCount, string errors);
}
