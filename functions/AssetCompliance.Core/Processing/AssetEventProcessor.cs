using System.Text;
using AssetCompliance.Core.Catalogue;
using AssetCompliance.Core.Events;
using AssetCompliance.Core.Observations;
using AssetCompliance.Core.Policy;
using AssetCompliance.Core.State;
using Microsoft.Extensions.Logging;

namespace AssetCompliance.Core.Processing;

/// <summary>
/// The one front door for asset events: parse and validate, identify the maker, evaluate the policy and commit the
/// resulting state. An event is applied only for the department the way in vouches for (<see cref="InboundMessage.Vouch"/>,
/// docs/security.md): another department's event, or a message nothing vouches for, is a rejection filed under the
/// vouched department (or the central team's), never the body's. Invalid input is recorded as a rejection and counts as handled (retrying cannot fix it);
/// infrastructure failures propagate so that the transport redelivers.
/// <para>
/// Network observations (<c>asset.device.observed</c>, contract v1.1) take the same door, under the same vouch: each
/// is matched against the department's stored records (<see cref="ObservationMatcher"/>, after the batch's asset
/// events are committed, so a device registered in the same batch is found) and applied to the matched record or
/// to the record of its own an unregistered device gets (<see cref="ApplyObservation"/>). A bad observation is a
/// rejection like any bad event.
/// </para>
/// </summary>
public sealed partial class AssetEventProcessor(
    CommandProcessor commands,
    IRejectionStore rejections,
    ILogger<AssetEventProcessor> logger,
    ObservationMatcher? observations = null)
{
    private readonly ObservationMatcher matcher = observations ?? new ObservationMatcher(commands.Store, commands.Planner, ObservationSettings.Default);

    /// <summary>Departments of one batch are independent partitions; a few are committed at once.</summary>
    private const int DepartmentParallelism = 8;

    public string CatalogueVersion => commands.Planner.CatalogueVersion;
    public string PolicyVersion => commands.Planner.PolicyVersion;

    public async Task<MessageResult> ProcessAsync(InboundMessage message, CancellationToken cancellationToken) =>
        (await ProcessAsync([message], cancellationToken).ConfigureAwait(false))[0];

    /// <summary>
    /// Processes a batch: invalid messages are rejected one by one; valid events are grouped by department and each
    /// department's events are committed together, in arrival order per asset. Returns a result per message, in order.
    /// </summary>
    public async Task<IReadOnlyList<MessageResult>> ProcessAsync(IReadOnlyList<InboundMessage> batch, CancellationToken cancellationToken)
    {
        var results = new MessageResult?[batch.Count];
        var valid = new List<(int Index, AssetEvent Event)>(batch.Count);
        var observed = new List<(int Index, string EventId, string Department, Observations.DeviceObservation Observation)>();
        for (var i = 0; i < batch.Count; i++)
        {
            if (batch[i].BodyError is null && ObservationEventParser.IsObservation(batch[i].Body.Span))
            {
                var reading = ObservationEventParser.Parse(batch[i].Body);
                var claimed = Identifiers.IsValidDepartment(reading.Department) ? reading.Department : null;
                ValidationError? refusal = null;
                if (reading.Observation is { } observation && (refusal = SenderVouch.Refusal(batch[i].Vouch, claimed!) ?? FutureRefusal(observation)) is null)
                {
                    observed.Add((i, reading.EventId!, claimed!, observation));
                    continue;
                }

                var refused = new AssetEventParseResult(null, refusal is null ? reading.Errors : [refusal])
                {
                    EventId = reading.EventId,
                    Department = SenderVouch.RejectionDepartment(batch[i].Vouch, claimed),
                };
                await RejectAsync(batch[i], refused, cancellationToken).ConfigureAwait(false);
                results[i] = new MessageResult(batch[i].MessageId, MessageOutcome.Rejected, refused.EventId, refused.Department, ErrorCount: refused.Errors.Count);
                continue;
            }

            // A body the transport could not turn into bytes (an AMQP value that is not text) is rejected as it is.
            // A body kept only in part is shown to the department its kept start claims beyond doubt, if any.
            var parsed = batch[i].BodyError is { } bodyError
                ? new AssetEventParseResult(null, [new ValidationError("$", bodyError)]) { Department = batch[i].Cut is null ? null : DepartmentClaim.Read(batch[i].Body.Span, complete: false) }
                : AssetEventParser.Parse(batch[i].Body);
            if (parsed.Event is { } assetEvent)
            {
                // The infrastructure, not the body, says whose message this is: an event for another department, or
                // a message nothing vouches for, is refused and changes nothing.
                if (SenderVouch.Refusal(batch[i].Vouch, assetEvent.Department) is not { } refusal)
                {
                    valid.Add((i, assetEvent));
                    continue;
                }

                parsed = new AssetEventParseResult(null, [refusal]) { EventId = assetEvent.Id, Department = assetEvent.Department };
            }

            parsed = parsed with { Department = SenderVouch.RejectionDepartment(batch[i].Vouch, parsed.Department) };

            await RejectAsync(batch[i], parsed, cancellationToken).ConfigureAwait(false);
            results[i] = new MessageResult(batch[i].MessageId, MessageOutcome.Rejected, parsed.EventId, parsed.Department, ErrorCount: parsed.Errors.Count);
        }

        var departments = valid.GroupBy(v => v.Event.Department, StringComparer.Ordinal).ToArray();
        await Parallel.ForEachAsync(departments, new ParallelOptions { MaxDegreeOfParallelism = DepartmentParallelism, CancellationToken = cancellationToken }, async (group, token) =>
        {
            var items = group.ToArray();
            var outcomes = await commands.ExecuteAsync(group.Key, items.Select(v => (RecordCommand)new ApplyAssetEvent(v.Event)).ToArray(), token).ConfigureAwait(false);
            for (var k = 0; k < items.Length; k++)
            {
                var (index, assetEvent) = items[k];
                var outcome = outcomes[k];
                results[index] = new MessageResult(batch[index].MessageId, ToMessageOutcome(outcome.Outcome), assetEvent.Id, assetEvent.Department, assetEvent.AssetId, outcome.Status);
                Log(assetEvent, outcome);
            }
        }).ConfigureAwait(false);

        // Observations after the events: matched against records as this batch left them.
        await Parallel.ForEachAsync(observed.GroupBy(o => o.Department, StringComparer.Ordinal), new ParallelOptions { MaxDegreeOfParallelism = DepartmentParallelism, CancellationToken = cancellationToken }, async (group, token) =>
        {
            var items = group.ToArray();
            var (planned, retirements) = await matcher.MatchAsync(group.Key, [.. items.Select(o => (o.EventId, o.Observation))], token).ConfigureAwait(false);
            var outcomes = await commands.ExecuteAsync(group.Key, [.. planned, .. retirements], token).ConfigureAwait(false);
            for (var k = 0; k < items.Length; k++)
            {
                var outcome = outcomes[k];
                results[items[k].Index] = new MessageResult(batch[items[k].Index].MessageId, ToMessageOutcome(outcome.Outcome), items[k].EventId, group.Key, planned[k].AssetId, outcome.Status);
                LogObserved(items[k].EventId, group.Key, planned[k].AssetId, planned[k].State.Outcome.ToWire(), outcome.Status);
            }
        }).ConfigureAwait(false);

        var final = results.Select(r => r!).ToArray();
        var counts = final.CountBy(r => r.Outcome).ToDictionary();
        LogBatch(final.Length, departments.Length, counts.GetValueOrDefault(MessageOutcome.Applied), counts.GetValueOrDefault(MessageOutcome.Superseded),
            counts.GetValueOrDefault(MessageOutcome.Duplicate), counts.GetValueOrDefault(MessageOutcome.Rejected));
        return final;
    }

    /// <summary>How far after the processor's clock an observation may be dated (a scanner's clock a little ahead, time zones written wrong).</summary>
    public static readonly TimeSpan MaxObservationSkew = TimeSpan.FromDays(1);

    /// <summary>
    /// An observation dated more than <see cref="MaxObservationSkew"/> after now is refused: stored, it would stay the
    /// latest for ever, and every real observation after it would be kept in the history only.
    /// </summary>
    private ValidationError? FutureRefusal(Observations.DeviceObservation observation)
    {
        var now = commands.Time.GetUtcNow();
        return observation.ObservedAt is { } at && at > now + MaxObservationSkew
            ? new ValidationError("$.data.observedAt", $"is {at:yyyy-MM-ddTHH:mm:ssZ}, more than a day after it was received ({now:yyyy-MM-ddTHH:mm:ssZ}): the observer's clock is wrong, and a device's latest observation must not be one from the future")
            : null;
    }

    private static MessageOutcome ToMessageOutcome(CommandOutcome outcome) => outcome switch
    {
        CommandOutcome.Applied => MessageOutcome.Applied,
        CommandOutcome.Superseded => MessageOutcome.Superseded,
        _ => MessageOutcome.Duplicate,
    };

    private void Log(AssetEvent assetEvent, CommandResult result)
    {
        switch (result.Outcome)
        {
            case CommandOutcome.Applied:
                LogApplied(assetEvent.Id, assetEvent.Department, assetEvent.AssetId, assetEvent.Revision, result.Status);
                break;
            case CommandOutcome.Superseded:
                LogSuperseded(assetEvent.Id, assetEvent.Department, assetEvent.AssetId, assetEvent.Revision);
                break;
            default:
                LogDuplicate(assetEvent.Id, assetEvent.Department, assetEvent.AssetId);
                break;
        }
    }

    private async Task RejectAsync(InboundMessage message, AssetEventParseResult parsed, CancellationToken cancellationToken)
    {
        // The department and id come from the parser's own reading, which cannot throw: the department, when it
        // is a valid code, sees its own rejection; otherwise it goes to the central team's unattributed list.
        var errors = parsed.Errors;
        var rejection = new Rejection
        {
            Department = parsed.Department,
            MessageId = message.MessageId,
            Key = Rejection.KeyFor(message.MessageId, message.Cut is { } cut ? cut.Digest.Span : message.Body.Span),
            EventId = parsed.EventId,
            ReceivedAt = message.EnqueuedTime,
            Channel = message.Channel,
            Errors = errors,
            Body = DecodeBody(message.Body),
        };
        await rejections.RecordRejectionAsync(rejection, cancellationToken).ConfigureAwait(false);
        LogRejected(message.MessageId, parsed.Department ?? "(unattributed)", errors.Count, string.Join("; ", errors.Take(5)));
    }

    internal static string DecodeBody(ReadOnlyMemory<byte> body)
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

    // Per-event lines are Debug: at thousands of events a second they would flood Application Insights, and the
    // history already records every event. The per-batch line below is the operational signal.
    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "Applied event {EventId} to {Department}/{AssetId} revision {Revision}: now {Status}")]
    private partial void LogApplied(string eventId, string department, string assetId, long revision, ComplianceStatus? status);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "Superseded event {EventId} for {Department}/{AssetId}: revision {Revision} is not newer than the stored one")]
    private partial void LogSuperseded(string eventId, string department, string assetId, long revision);

    [LoggerMessage(EventId = 3, Level = LogLevel.Debug, Message = "Duplicate event {EventId} for {Department}/{AssetId} ignored: already applied")]
    private partial void LogDuplicate(string eventId, string department, string assetId);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "Rejected message {MessageId} from {Department} with {ErrorCount} validation errors: {Errors}")]
    private partial void LogRejected(string messageId, string department, int errorCount, string errors);

    [LoggerMessage(EventId = 6, Level = LogLevel.Debug, Message = "Applied observation {EventId} to {Department}/{AssetId}: {Outcome}, now {Status}")]
    private partial void LogObserved(string eventId, string department, string assetId, string outcome, ComplianceStatus? status);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "Processed {MessageCount} message(s) for {DepartmentCount} department(s): {Applied} applied, {Superseded} superseded, {Duplicates} duplicate(s), {Rejected} rejected")]
    private partial void LogBatch(int messageCount, int departmentCount, int applied, int superseded, int duplicates, int rejected);
}
