namespace AssetCompliance.Core.Events;

/// <summary>
/// The outcome of parsing one event: either the event or every problem found, never both. For an invalid event,
/// <see cref="Department"/> and <see cref="EventId"/> say what could still be read (the department it claims beyond
/// doubt, an id of at most 128 characters), so that the rejection can be shown to the department that sent it.
/// </summary>
public sealed record AssetEventParseResult(AssetEvent? Event, IReadOnlyList<ValidationError> Errors)
{
    public bool IsValid => Event is not null;

    /// <summary>
    /// The event's department; for an invalid body, the department it claims beyond doubt (<see cref="DepartmentClaim"/>:
    /// one event, or an array of events, all naming the same valid code in <c>data.department</c> and <c>source</c>),
    /// else null.
    /// </summary>
    public string? Department { get; init; }

    /// <summary>The body's <c>id</c>, when it is a string of 1 to 128 characters without control characters; else null.</summary>
    public string? EventId { get; init; }
}
