using AssetCompliance.Core.State;
using Microsoft.Extensions.Logging;

namespace AssetCompliance.Core.Alerting;

/// <summary>
/// Posts alerts to one webhook in as many cards as they take, halving a card the webhook refuses as too large (413),
/// and notes per alert where it arrived and why not (<see cref="AlertOutcome"/>). Knows nothing of the outbox: the
/// caller settles the rows from the outcomes.
/// </summary>
internal sealed partial class CardPoster(IAlertSender sender, AlertCardBuilder cards, ILogger logger)
{
    /// <summary>
    /// Posts these alerts to one target, in as many cards as it takes: a card shows what fits in full, and only
    /// those are settled as delivered by its acceptance; the rest go in the next card, in the same round (so they
    /// never wait for the window their own department's card just opened). A 413 splits a card's alerts in two and
    /// tries each half; a refusal or transient failure stands for the rest too, which would go to the same webhook.
    /// </summary>
    public async Task PostAsync(string department, AlertTarget target, IReadOnlyList<Alert> alerts, Dictionary<string, AlertOutcome> outcomes,
        SendEffort effort, PostRound round, CancellationToken cancellationToken)
    {
        var rest = alerts;
        while (rest.Count > 0)
        {
            var card = cards.BuildCard(department, rest);
            var result = await sender.SendAsync(target, card.Message, effort, cancellationToken).ConfigureAwait(false);
            round.Sent = true;
            if (result.Status == DeliveryStatus.TooLarge && card.Shown.Count > 1)
            {
                var half = card.Shown.Count / 2;
                await PostAsync(department, target, card.Shown.Take(half).ToArray(), outcomes, effort, round, cancellationToken).ConfigureAwait(false);
                await PostAsync(department, target, card.Shown.Skip(half).ToArray(), outcomes, effort, round, cancellationToken).ConfigureAwait(false);
                rest = card.Rest;
                continue;
            }

            LogPosted(department, target.Name, card.Shown.Count, result.Status, result.HttpStatus);
            if (result.Status is DeliveryStatus.Accepted or DeliveryStatus.TooLarge) // a 413 of one device is that device's
            {
                Record(card.Shown, target, result, outcomes);
                rest = card.Rest;
            }
            else
            {
                Record(rest, target, result, outcomes); // the webhook's failure: the rest would meet it too
                return;
            }
        }
    }

    private static void Record(IReadOnlyList<Alert> alerts, AlertTarget target, DeliveryResult result, Dictionary<string, AlertOutcome> outcomes)
    {
        foreach (var alert in alerts)
        {
            var outcome = outcomes[alert.Id];
            if (result.Status == DeliveryStatus.Accepted)
            {
                outcome.Delivered.Add(target.Name);
            }
            else
            {
                outcome.Error = $"{target.Name}: {result.Status}{(result.HttpStatus is { } code ? $" (HTTP {code})" : "")}{(result.Detail is { Length: > 0 } d ? $": {d}" : "")}";
                outcome.Permanent |= result.Status is DeliveryStatus.Rejected or DeliveryStatus.TooLarge;
                if (result.RetryAfter is { } wait && (outcome.RetryAfter is null || wait > outcome.RetryAfter))
                {
                    outcome.RetryAfter = wait; // the longest any target asked for
                }
            }
        }
    }

    [LoggerMessage(EventId = 30, Level = LogLevel.Information, Message = "Posted {Count} alert(s) of {Department} to {Target}: {Status} {HttpStatus}")]
    private partial void LogPosted(string department, string target, int count, DeliveryStatus status, int? httpStatus);
}

/// <summary>What one round of posts did for one alert: where it arrived, the last failure, and whether it is final.</summary>
internal sealed class AlertOutcome(HashSet<string> delivered)
{
    public HashSet<string> Delivered { get; } = delivered;

    public string? Error { get; set; }

    public bool Permanent { get; set; }

    public TimeSpan? RetryAfter { get; set; }
}

/// <summary>Whether any request of a round left for a webhook (an answer, or a post cut in flight).</summary>
internal sealed class PostRound
{
    public bool Sent { get; set; }
}
