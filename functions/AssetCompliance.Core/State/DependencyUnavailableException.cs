namespace AssetCompliance.Core.State;

/// <summary>
/// A service the pipeline depends on (Table Storage, Service Bus) could not be used: it did not answer, answered that
/// it cannot serve now (408, 429, 5xx) after the client's retries, or refused the app's identity. The adapters in
/// AssetCompliance.Azure throw it in place of the SDK's exceptions, so that the HTTP routes can answer 503 for an
/// outage (and nothing else) without knowing the SDK, and the Service Bus trigger still fails its batch.
/// </summary>
/// <remarks>
/// <see cref="Reason"/> is one short line for logs and problem details: a status and error code, or the innermost
/// exception's type and message. It never holds a URI, header or token.
/// </remarks>
public class DependencyUnavailableException : Exception
{
    /// <summary>The name of Table Storage in <see cref="Dependency"/>.</summary>
    public const string TableStorage = "Table Storage";

    /// <summary>The name of Service Bus in <see cref="Dependency"/>.</summary>
    public const string ServiceBus = "Service Bus";

    public DependencyUnavailableException(string dependency, string reason, Exception? innerException = null)
        : base($"{dependency} is unavailable: {reason}", innerException)
    {
        Dependency = dependency;
        Reason = reason;
    }

    /// <summary><see cref="TableStorage"/> or <see cref="ServiceBus"/>.</summary>
    public string Dependency { get; }

    /// <summary>Why, in one line without secrets.</summary>
    public string Reason { get; }
}

/// <summary>
/// Service Bus failed while events were being enqueued, and what became of each: <see cref="Enqueued"/> were
/// confirmed by Service Bus before it failed, <see cref="Unconfirmed"/> were in the send that failed (Service Bus may
/// or may not have taken them), <see cref="NotSent"/> were never sent. Sending the whole request again is safe: each
/// event's id is its message id, so the queue's duplicate detection and the processor's repeat detection apply it once.
/// </summary>
public sealed class EventsNotEnqueuedException(string reason, IReadOnlyList<string> enqueued, IReadOnlyList<string> unconfirmed, IReadOnlyList<string> notSent, Exception? innerException = null)
    : DependencyUnavailableException(ServiceBus, reason, innerException)
{
    /// <summary>Event ids Service Bus confirmed.</summary>
    public IReadOnlyList<string> Enqueued { get; } = enqueued;

    /// <summary>Event ids of the send that failed: perhaps enqueued, perhaps not.</summary>
    public IReadOnlyList<string> Unconfirmed { get; } = unconfirmed;

    /// <summary>Event ids never sent.</summary>
    public IReadOnlyList<string> NotSent { get; } = notSent;
}
