using AssetCompliance.Core.State;

namespace AssetCompliance.Core.Alerting;

/// <summary>Where a department's alerts go: the central security channel and, optionally, the department's own.</summary>
/// <param name="Name">A name safe to log and store ("central", "department:HO"); never the URL, which is a secret.</param>
/// <param name="Webhook">The URL posted to: a secret (its <c>sig</c>), printed by <see cref="ToString"/> as its host only.</param>
public sealed record AlertTarget(string Name, Uri Webhook)
{
    /// <summary>The record's text (<see cref="ToString"/>, and any record that holds this one): the name, and the webhook's host only.</summary>
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append("Name = ").Append(Name).Append(", Webhook = ").Append(SecretText.Webhook(Webhook));
        return true;
    }
}

public interface IAlertRouting
{
    IReadOnlyList<AlertTarget> For(string department);
}

public enum DeliveryStatus
{
    /// <summary>Any 2xx, including the Workflows webhook's 202.</summary>
    Accepted,

    /// <summary>413: the card must be split.</summary>
    TooLarge,

    /// <summary>Another 4xx: retrying the same post cannot succeed.</summary>
    Rejected,

    /// <summary>408, 429, 5xx or a network error, still failing after the sender's retries: try again later.</summary>
    RetryLater,
}

/// <summary>What the webhook said, with the response kept (redacted) for the failed-alerts view.</summary>
/// <param name="RetryAfter">The webhook's <c>Retry-After</c> on a transient failure, when it gave one: the next try waits at least this long.</param>
public sealed record DeliveryResult(DeliveryStatus Status, int? HttpStatus = null, string? Detail = null, TimeSpan? RetryAfter = null);

/// <summary>How hard a sender tries within one call.</summary>
public enum SendEffort
{
    /// <summary>The timer sweep's: the sender's own retries with backoff, honouring <c>Retry-After</c> in-process.</summary>
    Full,

    /// <summary>
    /// Right after a batch commits: one attempt and no in-process waits but the per-webhook spacing, so that a slow
    /// webhook cannot hold the batch; what does not go through is left to the sweep, which tries with
    /// <see cref="Full"/> effort.
    /// </summary>
    Once,
}

/// <summary>Posts one message to one webhook, with the sender's own retries for transient failures and rate limit.</summary>
public interface IAlertSender
{
    /// <summary>
    /// Posts <paramref name="message"/> to <paramref name="target"/> as hard as <paramref name="effort"/> says. Answers
    /// what the webhook said; throws <see cref="OperationCanceledException"/> only when
    /// <paramref name="cancellationToken"/> is cancelled (then whether the post arrived is unknown), and
    /// <see cref="PostNotStartedException"/>, one kind of it, when it was cancelled before any request left (waiting
    /// for the webhook's rate limit): then the post is known not to have arrived.
    /// </summary>
    Task<DeliveryResult> SendAsync(AlertTarget target, TeamsMessage message, SendEffort effort, CancellationToken cancellationToken);
}

/// <summary>
/// A send cancelled before any request was sent (while it waited for its turn at the webhook's rate limit): nothing
/// can have arrived, so the dispatcher may treat the round as never posted.
/// </summary>
public sealed class PostNotStartedException(CancellationToken cancellationToken)
    : OperationCanceledException("The post was cancelled before any request was sent.", cancellationToken);

/// <summary>An outbox row as the dispatcher sees it.</summary>
public sealed record OutboxEntry(
    Alert Alert,
    string ETag,
    OutboxState State,
    int Attempts,
    DateTimeOffset? NotBefore,
    IReadOnlySet<string> DeliveredTo,
    string? LastError,
    DateTimeOffset? LeaseUntil = null);

/// <summary>
/// When a department's alerts were last claimed for posting, and the concurrency token of the row that says so. The
/// group window runs from this time (see <see cref="DispatchSettings.GroupWindow"/>). It lives in the department's
/// partition, not in memory, because every instance of the function app posts for every department.
/// </summary>
/// <param name="LastClaimedAt">Null when the department's alerts were never claimed.</param>
/// <param name="ETag">Null when there is no row yet; a claim then creates it, and fails if another created it first.</param>
public sealed record DispatchMark(DateTimeOffset? LastClaimedAt, string? ETag)
{
    public static DispatchMark None { get; } = new(null, null);
}

public enum OutboxState
{
    Pending,
    Sending,
    Sent,
    Failed,
}
