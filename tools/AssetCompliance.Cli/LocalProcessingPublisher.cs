using AssetCompliance.Core.Processing;

namespace AssetCompliance.Cli;

/// <summary>
/// The local run's queue: events accepted over HTTP are taken in at once through the intake the Service Bus function
/// uses (commit, then the alerts their group window allows), so a developer sees the state change straight after the
/// 202.
/// </summary>
internal sealed class LocalProcessingPublisher(Func<AssetEventIntake> intake, TimeProvider time) : IAssetEventPublisher
{
    public async Task PublishAsync(IReadOnlyList<OutgoingEvent> events, CancellationToken cancellationToken) =>
        await intake().ProcessAsync(events.Select(e => new InboundMessage(e.EventId, e.Body, 1, time.GetUtcNow(), "http")).ToArray(), cancellationToken);
}
