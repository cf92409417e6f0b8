namespace AssetCompliance.Core.Processing;

/// <summary>
/// A message as any transport delivers it (Service Bus, a replayed file, HTTP ingestion through the queue): the
/// processor sees only this, so every way in takes the same path.
/// </summary>
public sealed record InboundMessage(string MessageId, ReadOnlyMemory<byte> Body, int DeliveryCount, DateTimeOffset EnqueuedTime, string Channel);

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
