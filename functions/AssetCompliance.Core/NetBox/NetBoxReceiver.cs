using AssetCompliance.Core.Events;
using AssetCompliance.Core.Processing;
using AssetCompliance.Core.State;
using Microsoft.Extensions.Logging;

namespace AssetCompliance.Core.NetBox;

/// <summary>
/// Takes in NetBox event-rule webhooks for a department: verifies the signature with the department's secret, reads
/// the body (<see cref="NetBoxPayload"/>), refuses replays from the replay memory (<see cref="INetBoxMemory"/>), and
/// turns device, interface and MAC changes into contract events enqueued through the publisher HTTP ingestion uses,
/// so that they take the one processing path. Invalid bodies and devices the contract cannot carry are recorded as
/// rejections of the department, like any bad event.
/// <para>
/// Replays: a change is applied once. It is a duplicate when its object's last applied change had the same request id
/// and action (NetBox sends one webhook per object per request), or when its version (last_updated; for a deletion
/// the webhook's timestamp) is not newer than the last applied. The events themselves are idempotent too (their ids
/// derive from their content, and revisions order them), so a webhook retried after a storage failure is safe.
/// </para>
/// The steps are their own types: <see cref="NetBoxSignature"/>, <see cref="NetBoxPayload"/>, <see cref="NetBoxReplay"/>,
/// <see cref="NetBoxDevice"/> and <see cref="NetBoxMacs"/> (the mapping); this type orders them and writes.
/// </summary>
public sealed partial class NetBoxReceiver(INetBoxMemory memory, IAssetEventPublisher publisher, IRejectionStore store, TimeProvider time, ILogger<NetBoxReceiver> logger)
{
    /// <summary>The largest body read: NetBox's device serialisations are a few KB; config-context data can add some.</summary>
    public const int MaxBodyBytes = 512 * 1024;

    /// <summary>The channel rejections are recorded under.</summary>
    public const string Channel = "netbox";

    private const int MaxAttempts = 8;

    /// <summary>Takes in one webhook. <paramref name="secret"/> is the department's (null when it has none).</summary>
    /// <exception cref="DependencyUnavailableException">Storage or the queue could not be used; nothing is lost by NetBox requeuing the job.</exception>
    public async Task<NetBoxOutcome> ReceiveAsync(string department, ReadOnlyMemory<byte> body, string? signature, NetBoxSecret? secret, CancellationToken cancellationToken)
    {
        var verdict = NetBoxSignature.Verify(body.Span, signature, secret);
        if (verdict != NetBoxSignature.Result.Valid)
        {
            // Neither the secret nor the header is logged: the result says enough to a support engineer.
            LogRefused(department, verdict, body.Length);
            return new NetBoxOutcome(NetBoxOutcomeKind.Unauthenticated, NetBoxSignature.Refusal(verdict, department), [], []);
        }

        var payload = NetBoxPayload.Read(body);
        if (payload.Ignored is { } ignored)
        {
            LogIgnored(department, ignored);
            return new NetBoxOutcome(NetBoxOutcomeKind.Ignored, $"Ignored: {ignored}.", [], []);
        }

        if (payload.Change is not { } change)
        {
            await RejectAsync(department, body, null, payload.Errors, cancellationToken).ConfigureAwait(false);
            return new NetBoxOutcome(NetBoxOutcomeKind.Invalid, "The body is not a NetBox webhook the pipeline can read; it is recorded as a rejection.", [], payload.Errors);
        }

        // Events sent by an attempt that then lost the race for the memory are on the queue: a later attempt's events
        // must carry higher revisions, or the processor would take them for older news and drop what they add.
        var sent = new SentRevisions();
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var outcome = change.Model == NetBoxModel.Device
                ? await DeviceAsync(department, change, sent, cancellationToken).ConfigureAwait(false)
                : await MacSourceAsync(department, change, sent, cancellationToken).ConfigureAwait(false);
            if (outcome is null)
            {
                continue; // another webhook wrote one of the rows first: read again
            }

            if (outcome.Kind == NetBoxOutcomeKind.Unprocessable)
            {
                await RejectAsync(department, body, change, outcome.Errors, cancellationToken).ConfigureAwait(false);
            }

            LogOutcome(department, change.ObjectKey, change.Action, outcome.Kind, outcome.EventIds.Count);
            return outcome;
        }

        return new NetBoxOutcome(NetBoxOutcomeKind.Contended, $"Other webhooks kept changing {change.ObjectKey} at the same time; nothing was changed. Requeue the webhook in NetBox (System > Background Tasks).", [], [], change.ObjectKey);
    }

    private async Task<NetBoxOutcome?> DeviceAsync(string department, NetBoxChange change, SentRevisions sent, CancellationToken cancellationToken)
    {
        var rows = await memory.GetAsync(department, [change.ObjectKey], cancellationToken).ConfigureAwait(false);
        var stored = rows.GetValueOrDefault(change.ObjectKey);
        if (NetBoxReplay.Duplicate(change, stored) is { } replay)
        {
            return replay;
        }

        var errors = new List<ValidationError>();
        var cells = NetBoxDevice.Cells(change.Data, department, errors);
        if (cells is null && change.Action == NetBoxAction.Deleted && stored is { AssetId: not null, Cells: { } applied })
        {
            // A deletion needs only the asset already applied: a last serialisation that cannot be read (its name
            // and asset tag blanked, a field of another type) must not leave that asset in service for good.
            cells = [.. applied];
        }

        if (cells is null)
        {
            return new NetBoxOutcome(NetBoxOutcomeKind.Unprocessable, "The device's serialisation is not what NetBox sends; it is recorded as a rejection.", [], errors, change.ObjectKey);
        }

        var macs = stored?.Macs ?? new Dictionary<string, string>(StringComparer.Ordinal);
        var assetId = cells[Registers.RegisterCells.Column.AssetId];
        var revision = Math.Max(NetBoxReplay.Revision(change, stored), sent.Highest + 1);
        var events = new List<OutgoingEvent>();
        var refusals = new List<ValidationError>();

        // A renamed device (or one given an asset tag) is another asset: the old one is removed, not left in service.
        if (change.Action != NetBoxAction.Deleted && stored is { AssetId: { } oldAssetId, Deleted: false } && oldAssetId != assetId)
        {
            Add(NetBoxDevice.Events(NetBoxDevice.Removal(oldAssetId, department), department, revision, change.Timestamp), events, refusals);
        }

        var current = change.Action == NetBoxAction.Deleted ? NetBoxDevice.Removal(stored?.AssetId ?? assetId, department) : NetBoxMacs.WithMac(cells, macs);
        Add(NetBoxDevice.Events(current, department, revision, change.Timestamp), events, refusals);
        if (refusals.Count > 0)
        {
            return new NetBoxOutcome(NetBoxOutcomeKind.Unprocessable, $"Device {change.ObjectId} cannot be sent as an asset event: {string.Join("; ", refusals.Select(r => r.Message))}. It is recorded as a rejection.", [], refusals, change.ObjectKey);
        }

        var row = new NetBoxObjectState
        {
            Key = change.ObjectKey,
            VersionTicks = change.Version.UtcTicks,
            Deleted = change.Action == NetBoxAction.Deleted,
            RequestId = change.RequestId,
            Action = change.Action,
            AssetId = change.Action == NetBoxAction.Deleted ? stored?.AssetId ?? assetId : assetId,
            Cells = cells,
            LastRevision = revision,
            Macs = macs,
            ETag = stored?.ETag,
        };
        return await SendAsync(department, events, [row], sent, revision, cancellationToken).ConfigureAwait(false)
            ? new NetBoxOutcome(NetBoxOutcomeKind.Accepted, $"{events.Count} asset event(s) enqueued for {change.ObjectKey} ({change.Action.ToString().ToLowerInvariant()}).", events.Select(e => e.EventId).ToArray(), [], change.ObjectKey)
            : null;
    }

    /// <summary>An interface or a MAC object changed: the MAC of its device (and of the device it left, if it moved).</summary>
    private async Task<NetBoxOutcome?> MacSourceAsync(string department, NetBoxChange change, SentRevisions sent, CancellationToken cancellationToken)
    {
        var errors = new List<ValidationError>();
        var (deviceId, mac) = NetBoxMacs.ReadSource(change, errors);
        if (errors.Count > 0)
        {
            return new NetBoxOutcome(NetBoxOutcomeKind.Unprocessable, $"The {NetBoxPayload.ModelName(change.Model)} serialisation is not what NetBox sends; it is recorded as a rejection.", [], errors, change.ObjectKey);
        }

        var source = (await memory.GetAsync(department, [change.ObjectKey], cancellationToken).ConfigureAwait(false)).GetValueOrDefault(change.ObjectKey);
        if (NetBoxReplay.Duplicate(change, source) is { } replay)
        {
            return replay;
        }

        var deleted = change.Action == NetBoxAction.Deleted;
        var devices = new[] { source?.DeviceId, deleted ? null : deviceId }.OfType<long>().Distinct().ToArray();
        var deviceKeys = devices.Select(d => NetBoxPayload.ObjectKey(NetBoxModel.Device, d)).ToArray();
        var deviceRows = await memory.GetAsync(department, deviceKeys, cancellationToken).ConfigureAwait(false);
        var writes = new List<NetBoxObjectState>
        {
            new()
            {
                Key = change.ObjectKey, VersionTicks = change.Version.UtcTicks, Deleted = deleted, RequestId = change.RequestId, Action = change.Action,
                DeviceId = deleted ? source?.DeviceId : deviceId, Mac = deleted ? null : mac, ETag = source?.ETag,
            },
        };
        var events = new List<OutgoingEvent>();
        var refusals = new List<ValidationError>();
        var waiting = 0;
        foreach (var key in deviceKeys)
        {
            var device = deviceRows.GetValueOrDefault(key) ?? new NetBoxObjectState { Key = key };
            var macs = new Dictionary<string, string>(device.Macs, StringComparer.Ordinal);
            var belongsHere = !deleted && key == NetBoxPayload.ObjectKey(NetBoxModel.Device, deviceId ?? 0) && mac is not null;
            if (belongsHere) macs[change.ObjectKey] = mac!;
            else macs.Remove(change.ObjectKey);

            var updated = device with { Macs = macs };
            if (device is { Cells: { } cells, Deleted: false, AssetId: not null } && NetBoxMacs.Chosen(macs) != NetBoxMacs.Chosen(device.Macs))
            {
                var revision = Math.Max(Math.Max(NetBoxReplay.Revision(change, null), device.LastRevision + 1), sent.Highest + 1);
                Add(NetBoxDevice.Events(NetBoxMacs.WithMac([.. cells], macs), department, revision, change.Timestamp), events, refusals);
                updated = updated with { LastRevision = revision };
            }
            else if (device.Cells is null)
            {
                waiting++;
            }

            writes.Add(updated);
        }

        if (refusals.Count > 0)
        {
            return new NetBoxOutcome(NetBoxOutcomeKind.Unprocessable, $"The device of {change.ObjectKey} cannot be sent as an asset event: {string.Join("; ", refusals.Select(r => r.Message))}. It is recorded as a rejection.", [], refusals, change.ObjectKey);
        }

        if (!await SendAsync(department, events, writes, sent, writes.Max(w => w.LastRevision), cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var message = events.Count > 0
            ? $"{events.Count} asset event(s) enqueued: the MAC of the device of {change.ObjectKey} changed."
            : waiting > 0
                ? $"The MAC of {change.ObjectKey} is remembered; it is sent with its device's next webhook (device {deviceId} has not been seen yet)."
                : $"{change.ObjectKey} is remembered; its device's MAC is unchanged, so nothing was sent.";
        return new NetBoxOutcome(NetBoxOutcomeKind.Accepted, message, events.Select(e => e.EventId).ToArray(), [], change.ObjectKey);
    }


    private static void Add(Registers.RegisterPush push, List<OutgoingEvent> events, List<ValidationError> refusals)
    {
        events.AddRange(push.Sent.Select(s => s.Event));
        refusals.AddRange(push.Errors.Select(e => new ValidationError("$.data", e.Reason)));
    }

    /// <summary>Enqueues, then remembers; false when the memory changed meanwhile (the events are idempotent, so sending them again is harmless).</summary>
    private async Task<bool> SendAsync(string department, List<OutgoingEvent> events, IReadOnlyList<NetBoxObjectState> rows, SentRevisions sent, long highest, CancellationToken cancellationToken)
    {
        if (events.Count > 0)
        {
            sent.Highest = Math.Max(sent.Highest, highest);
            await publisher.PublishAsync(events, cancellationToken).ConfigureAwait(false);
        }

        return await memory.TrySaveAsync(department, rows, cancellationToken).ConfigureAwait(false);
    }

    private async Task RejectAsync(string department, ReadOnlyMemory<byte> body, NetBoxChange? change, IReadOnlyList<ValidationError> errors, CancellationToken cancellationToken)
    {
        // The signature proved the department's NetBox sent it, so the department sees its own rejection.
        var messageId = change is null ? $"netbox:{Identifiers.Hash(Convert.ToBase64String(body.Span))[..16]}" : $"netbox:{change.ObjectKey}@{change.Version:yyyyMMddTHHmmss.ffffffZ}";
        await store.RecordRejectionAsync(new Rejection
        {
            Department = department,
            MessageId = messageId,
            Key = Rejection.KeyFor(messageId, body.Span),
            ReceivedAt = time.GetUtcNow(),
            Channel = Channel,
            Errors = errors.Take(50).ToArray(),
            Body = AssetEventProcessor.DecodeBody(body),
        }, cancellationToken).ConfigureAwait(false);
        LogRejected(department, messageId, errors.Count, string.Join("; ", errors.Take(5)));
    }

    /// <summary>The highest revision one webhook's attempts have sent so far (-1: none).</summary>
    private sealed class SentRevisions
    {
        public long Highest { get; set; } = -1;
    }

    [LoggerMessage(EventId = 80, Level = LogLevel.Warning, Message = "Refused a NetBox webhook for {Department}: signature {SignatureResult} ({BodyBytes} bytes)")]
    private partial void LogRefused(string department, NetBoxSignature.Result signatureResult, int bodyBytes);

    [LoggerMessage(EventId = 81, Level = LogLevel.Information, Message = "Ignored a NetBox webhook for {Department}: {Reason}")]
    private partial void LogIgnored(string department, string reason);

    [LoggerMessage(EventId = 82, Level = LogLevel.Warning, Message = "Rejected NetBox webhook {MessageId} from {Department} with {ErrorCount} errors: {Errors}")]
    private partial void LogRejected(string department, string messageId, int errorCount, string errors);

    [LoggerMessage(EventId = 83, Level = LogLevel.Information, Message = "NetBox webhook for {Department} {ObjectKey} {Action}: {Outcome}, {EventCount} event(s) enqueued")]
    private partial void LogOutcome(string department, string objectKey, NetBoxAction action, NetBoxOutcomeKind outcome, int eventCount);
}
