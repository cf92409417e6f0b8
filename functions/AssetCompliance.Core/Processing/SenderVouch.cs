using AssetCompliance.Core.Events;

namespace AssetCompliance.Core.Processing;

/// <summary>
/// Who the way in vouches a message came from, independently of the body (docs/security.md, "the queue"): the
/// department whose Service Bus topic the message was sent to (stamped by that topic's subscription rule), the
/// department an HTTP route authenticated, or the operator replaying a file on their own machine. The processor
/// applies an event only when its <c>data.department</c> is the vouched department; a message with no vouch is
/// refused (fail closed).
/// </summary>
public sealed record SenderVouch
{
    private SenderVouch(string? department, string way)
    {
        Department = department;
        Way = way;
    }

    /// <summary>The vouched department code, or null for <see cref="Operator"/>.</summary>
    public string? Department { get; }

    /// <summary>How the department was established, for the rejection's words ("its Service Bus topic", "the HTTP route").</summary>
    public string Way { get; }

    /// <summary>True for the operator's own file replay, which may carry any department's events.</summary>
    public bool IsOperator => Department is null;

    /// <summary>
    /// The local operator replaying event files (<c>compliance run --events</c>): whoever runs it holds the store
    /// itself, so the file's events speak for the departments they name. No transport produces this.
    /// </summary>
    public static SenderVouch Operator { get; } = new(null, "the operator's file replay");

    /// <summary>A department established by the way in, outside the body.</summary>
    /// <param name="department">A department code (<see cref="Identifiers.DepartmentError"/>); anything else yields null, no vouch.</param>
    /// <param name="way">How it was established, in words: "its Service Bus topic", "the HTTP route".</param>
    public static SenderVouch? ForDepartment(string? department, string way) =>
        Identifiers.IsValidDepartment(department) ? new SenderVouch(department, way) : null;

    /// <summary>
    /// Why a parsed event of <paramref name="eventDepartment"/> may not be applied under <paramref name="vouch"/>, or
    /// null when it may: no vouch (fail closed), or a vouched department that is not the event's (naming both).
    /// </summary>
    public static ValidationError? Refusal(SenderVouch? vouch, string eventDepartment) => vouch switch
    {
        null => new ValidationError("$", "the message carries no department vouched for by the way it came in (on Service Bus, the application property "
            + $"'{PropertyName}' that a department topic's subscription rule sets); it is refused, whatever its body says"),
        { IsOperator: true } => null,
        _ when string.Equals(vouch.Department, eventDepartment, StringComparison.Ordinal) => null,
        _ => new ValidationError("$.data.department", $"is '{eventDepartment}', but the message came from department '{vouch.Department}' ({vouch.Way}); "
            + $"a department may send only its own events, so nothing of '{eventDepartment}' was changed"),
    };

    /// <summary>
    /// The department a rejection is shown to: the vouched one, never the body's claim, so that a sender cannot file
    /// rejections in another department's name; for the operator's replay, the body's claim.
    /// </summary>
    public static string? RejectionDepartment(SenderVouch? vouch, string? claimed) => vouch switch
    {
        null => null,
        { IsOperator: true } => claimed,
        _ => vouch.Department,
    };

    /// <summary>The Service Bus application property that carries the vouched department (set by infrastructure, never trusted from a sender).</summary>
    public const string PropertyName = "vouchedDepartment";
}
