using AssetCompliance.Core.Events;

namespace AssetCompliance.Core.NetBox;

/// <summary>How a webhook ended; the HTTP route answers each with its own status code.</summary>
public enum NetBoxOutcomeKind
{
    /// <summary>Events were enqueued (or, for a MAC of a device not seen yet, the MAC was remembered): 202.</summary>
    Accepted,

    /// <summary>A change already applied, or older than the one applied (a replay, a late delivery): 200, nothing changed.</summary>
    Duplicate,

    /// <summary>A model or event the pipeline does not read: 200, nothing changed.</summary>
    Ignored,

    /// <summary>Unsigned, wrongly signed, or the department has no secret: 401, nothing read or recorded.</summary>
    Unauthenticated,

    /// <summary>Not a NetBox webhook body (not JSON, wrong types, members missing): 400, recorded as a rejection.</summary>
    Invalid,

    /// <summary>A well-formed device the event contract cannot carry (an unknown role for a device in service): 422, recorded as a rejection.</summary>
    Unprocessable,

    /// <summary>Other webhooks kept changing the same objects: 503, nothing changed; NetBox's job can be requeued.</summary>
    Contended,
}

/// <summary>What became of one webhook: the outcome, a sentence for NetBox's job log, the events sent and any errors by JSON path.</summary>
public sealed record NetBoxOutcome(NetBoxOutcomeKind Kind, string Message, IReadOnlyList<string> EventIds, IReadOnlyList<ValidationError> Errors, string? ObjectKey = null);
