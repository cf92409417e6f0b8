using AssetCompliance.Core.Processing;

namespace AssetCompliance.Cli;

/// <summary>
/// The local run's queue: events accepted over HTTP are processed at once through the processor the Service Bus
/// function uses, so a developer sees the state change straight after the 202.
/// </summary>
internal sealed class LocalProcessingPublisher(Func<AssetEventProcessor> processor, TimeProvider time) : IAssetEventPublisher
{
    public async Task PublishAsync(IReadOnlyList<OutgoingEvent> events, CancellationToken cancellationToken) =>
        await processor().ProcessAsync(events.Select(e => new InboundMessage(e.EventId, e.Body, 1, time.GetUtcNow(), "http")).ToArray(), cancellationToken);
}
