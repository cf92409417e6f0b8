namespace AssetCompliance.Core.Processing;

/// <summary>An already-validated event, serialised as the CloudEvent that will be the message body.</summary>
public sealed record OutgoingEvent(string EventId, string Department, ReadOnlyMemory<byte> Body);

/// <summary>Port to the event queue, used by HTTP ingestion and <c>compliance push</c>.</summary>
public interface IAssetEventPublisher
{
    /// <summary>Enqueues the events, in order.</summary>
    /// <exception cref="EventTooLargeException">An event does not fit in one queue message; nothing was sent.</exception>
    /// <exception cref="State.EventsNotEnqueuedException">The queue failed; says which events were and were not enqueued.</exception>
    Task PublishAsync(IReadOnlyList<OutgoingEvent> events, CancellationToken cancellationToken);
}

/// <summary>
/// An event larger than one queue message may be (256 KB on the Standard tier, 100 MB at most on Premium: the
/// namespace decides). Thrown before anything is sent, so the sender can drop or shrink that event and send again.
/// </summary>
public sealed class EventTooLargeException(string eventId, int index, int bodyBytes)
    : Exception($"Event {eventId} (number {index + 1}, {bodyBytes} bytes) is larger than a Service Bus message may be; nothing was sent.")
{
    /// <summary>The CloudEvent id of the event that does not fit.</summary>
    public string EventId { get; } = eventId;

    /// <summary>Its zero-based position in the request.</summary>
    public int Index { get; } = index;

    /// <summary>Its body's size in bytes.</summary>
    public int BodyBytes { get; } = bodyBytes;
}
