using AssetCompliance.Core.State;

namespace AssetCompliance.Core.Alerting;

/// <summary>Where a department's alerts go: the central security channel and, optionally, the department's own.</summary>
/// <param name="Name">A name safe to log and store ("central", "department:HO"); never the URL, which is a secret.</param>
public sealed record AlertTarget(string Name, Uri Webhook);

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
public sealed record DeliveryResult(DeliveryStatus Status, int? HttpStatus = null, string? Detail = null);

/// <summary>Posts one message to one webhook, with the sender's own retries for transient failures and rate limit.</summary>
public interface IAlertSender
{
    Task<DeliveryResult> SendAsync(AlertTarget target, TeamsMessage message, CancellationToken cancellationToken);
}

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
