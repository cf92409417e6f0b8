namespace AssetCompliance.Core.Processing;

/// <summary>
/// A message as any transport delivers it (Service Bus, a replayed file, HTTP ingestion through the queue): the
/// processor sees only this, so every way in takes the same path.
/// </summary>
/// <param name="MessageId">The transport's id (Service Bus message id, file and line); a rejection is keyed by it and the body.</param>
/// <param name="Body">The body's bytes, expected to be one CloudEvent as UTF-8 JSON.</param>
/// <param name="BodyError">
/// Set when the transport could not turn the body into bytes (a Service Bus body that is an AMQP value of another
/// type than text or binary): the message is then rejected with this error, and <paramref name="Body"/> holds what
/// could be kept of it.
/// </param>
/// <param name="Cut">
/// Set when <paramref name="Body"/> is only the start of what was sent (a replayed line over its limit; then
/// <paramref name="BodyError"/> says so): the whole body's length and digest. The rejection is keyed by the digest, so
/// two long bodies with the same start are two rejections, and attributed to a department only when the start
/// shows it beyond doubt (<see cref="Events.DepartmentClaim"/>).
/// </param>
public sealed record InboundMessage(string MessageId, ReadOnlyMemory<byte> Body, int DeliveryCount, DateTimeOffset EnqueuedTime, string Channel, string? BodyError = null, BodyCut? Cut = null)
{
    /// <summary>
    /// Who the way in vouches the message came from, outside the body (<see cref="SenderVouch"/>). Null when nothing
    /// vouches for it: the message is then refused, whatever its body says (fail closed).
    /// </summary>
    public SenderVouch? Vouch { get; init; }
}

/// <summary>What is known of a body of which only the start was kept.</summary>
/// <param name="Length">The whole body's length in bytes.</param>
/// <param name="Digest">The SHA-256 of the whole body.</param>
public sealed record BodyCut(long Length, ReadOnlyMemory<byte> Digest);

public enum MessageOutcome
{
    /// <summary>The event changed the device's state.</summary>
    Applied,

    /// <summary>A newer revision was already stored; the event is in the history as superseded.</summary>
    Superseded,

    /// <summary>The same event was processed before; nothing changed.</summary>
    Duplicate,

    /// <summary>The message was invalid and is in the rejections table.</summary>
    Rejected,
}

public sealed record MessageResult(
    string MessageId,
    MessageOutcome Outcome,
    string? EventId = null,
    string? Department = null,
    string? AssetId = null,
    Policy.ComplianceStatus? Status = null,
    int ErrorCount = 0);
