using AssetCompliance.Api.Security;
using AssetCompliance.Core.Events;
using AssetCompliance.Core.Processing;
using Microsoft.AspNetCore.Http;

namespace AssetCompliance.Api;

/// <summary>
/// <c>POST /api/departments/{d}/asset-events</c>: HTTP ingestion for registers that cannot talk to Service Bus. Takes
/// asset events and network observations (<c>asset.device.observed</c>, contract v1.1) alike: one CloudEvent, a JSON array of them, or CloudEvents batch mode; validates everything first and answers 400 with
/// every error if anything is wrong (nothing is enqueued), else enqueues all and answers 202 with the event ids.
/// A leading UTF-8 byte-order mark is skipped. Whatever the bytes, a bad body is a 400 problem naming the JSON path
/// of each error (<c>$[2].data.model</c> in a batch), never a 500. When the queue fails, the publisher's
/// <see cref="Core.State.EventsNotEnqueuedException"/> becomes a 503 (<see cref="ApiHandler"/>) listing the events
/// it confirmed, those of the failed send and those never sent; the whole request can be sent again safely.
/// </summary>
public sealed class IngestionApi(IAssetEventPublisher publisher, ComplianceAuthorizer authorizer)
{
    public const int MaxBodyBytes = 1024 * 1024;
    public const int MaxEvents = 500;

    public async Task<ApiResult> IngestAsync(HttpRequest request, string department, CancellationToken cancellationToken)
    {
        if (RouteTable.IngestAssetEvents.Admit(request, authorizer, department) is { } refused)
        {
            return refused;
        }

        if (await RequestChecks.ReadBodyAsync(request, MaxBodyBytes, cancellationToken).ConfigureAwait(false) is not { } body)
        {
            return TooLarge();
        }

        var split = EventBatchBody.Read(body);
        if (split.Problem is { } title)
        {
            return ApiResult.Problem(StatusCodes.Status400BadRequest, "invalid-body", title, split.Detail);
        }

        var single = !split.IsBatch;
        var elements = split.Events;
        if (elements.Count is 0 or > MaxEvents)
        {
            return ApiResult.Problem(StatusCodes.Status400BadRequest, "invalid-batch", $"A batch holds 1 to {MaxEvents} events, not {elements.Count}.");
        }

        var errors = new List<ValidationError>();
        var events = new List<OutgoingEvent>(elements.Count);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < elements.Count; i++)
        {
            var prefix = single ? "$" : $"$[{i}]";
            // The event's own bytes, exactly as sent (a slice of the body): what the queue carries is what was validated here.
            var bytes = elements[i];
            if (ObservationEventParser.IsObservation(bytes.Span))
            {
                // Contract v1.1's observation: the same rules (valid, the path's department, once per batch), the same queue.
                var observed = ObservationEventParser.Parse(bytes);
                errors.AddRange(observed.Errors.Select(e => e with { Path = prefix + e.Path.TrimStart('$') }));
                if (observed.Observation is null)
                {
                    continue;
                }

                if (observed.Department != department)
                {
                    errors.Add(new ValidationError($"{prefix}.data.department", $"must be '{department}', the department in the path"));
                }

                if (!ids.Add(observed.EventId!))
                {
                    errors.Add(new ValidationError($"{prefix}.id", "appears twice in the batch"));
                }

                events.Add(new OutgoingEvent(observed.EventId!, department, bytes));
                continue;
            }

            var parsed = AssetEventParser.Parse(bytes);
            errors.AddRange(parsed.Errors.Select(e => e with { Path = prefix + e.Path.TrimStart('$') }));
            if (parsed.Event is not { } assetEvent)
            {
                continue;
            }

            if (assetEvent.Department != department)
            {
                errors.Add(new ValidationError($"{prefix}.data.department", $"must be '{department}', the department in the path"));
            }

            if (!ids.Add(assetEvent.Id))
            {
                errors.Add(new ValidationError($"{prefix}.id", "appears twice in the batch"));
            }

            events.Add(new OutgoingEvent(assetEvent.Id, department, bytes));
        }

        if (errors.Count > 0)
        {
            return ApiResult.Problem(StatusCodes.Status400BadRequest, "invalid-events", "Nothing was accepted: some events are not valid.",
                $"{errors.Count} error(s) in {elements.Count} event(s).", errors.Cast<object>().ToArray());
        }

        try
        {
            await publisher.PublishAsync(events, cancellationToken).ConfigureAwait(false);
        }
        catch (EventTooLargeException e)
        {
            var path = single ? "$" : $"$[{e.Index}]";
            return ApiResult.Problem(StatusCodes.Status413PayloadTooLarge, "event-too-large", "Nothing was accepted: an event is larger than a queue message may be.",
                e.Message, [new ValidationError(path, $"is {e.BodyBytes} bytes, more than one Service Bus message holds; leave out what the contract does not need")]);
        }

        return ApiResult.Json(new EventsAccepted(department, events.Count, events.Select(e => e.EventId)), StatusCodes.Status202Accepted);
    }

    private static ApiResult TooLarge() =>
        ApiResult.Problem(StatusCodes.Status413PayloadTooLarge, "body-too-large", $"The body must be at most {MaxBodyBytes} bytes.", "Split the register into batches.");
}
