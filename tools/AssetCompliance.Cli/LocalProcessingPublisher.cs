using AssetCompliance.Core.Processing;

namespace AssetCompliance.Cli;

/// <summary>
/// The local run's queue: events accepted over HTTP are taken in at once through the intake the Service Bus function
/// uses (commit, then the alerts their group window allows), so a developer sees the state change straight after the
/// 202. Each event is vouched for by the department its route authenticated (<see cref="OutgoingEvent.Department"/>),
/// so the local run refuses another department's event as the deployment does.
/// </summary>
internal sealed class LocalProcessingPublisher(Func<AssetEventIntake> intake, TimeProvider time) : IAssetEventPublisher
{
    public async Task PublishAsync(IReadOnlyList<OutgoingEvent> events, CancellationToken cancellationToken) =>
        await intake().ProcessAsync(events.Select(e => new InboundMessage(e.EventId, e.Body, 1, time.GetUtcNow(), "http")
        {
            // The department the route authenticated, as the app's Service Bus publisher stamps it.
            Vouch = SenderVouch.ForDepartment(e.Department, "the HTTP route"),
        }).ToArray(), cancellationToken);
}
