namespace AssetCompliance.Core.Processing;

/// <summary>An already-validated event, serialised as the CloudEvent that will be the message body.</summary>
public sealed record OutgoingEvent(string EventId, string Department, ReadOnlyMemory<byte> Body);

/// <summary>Port to the event queue, used by HTTP ingestion and <c>compliance push</c>.</summary>
public interface IAssetEventPublisher
{
    Task PublishAsync(IReadOnlyList<OutgoingEvent> events, CancellationToken cancellationToken);
}
