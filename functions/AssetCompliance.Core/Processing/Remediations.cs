using System.Globalization;
using AssetCompliance.Core.Events;
using AssetCompliance.Core.State;

namespace AssetCompliance.Core.Processing;

/// <summary>
/// A remediation plan as a department sends it (<c>PUT …/assets/{id}/remediation</c>): every field a string, so that
/// each is checked here by the same rules whatever the host, and a number or a differently cased name is refused with
/// its path rather than read by a lenient converter. <see cref="DueDate"/> is a calendar date, <c>YYYY-MM-DD</c> (UTC).
/// </summary>
public sealed record RemediationRequest(string? Action, string? DueDate, string? Owner, string? State, string? Notes);

/// <summary>
/// Remediation plans (issue 19): a department (its own role, or an administrator) makes and changes the plan of a
/// NonCompliant, NeedsReview or Advisory device; an asset event or re-evaluation closes it when the device's state shows
/// the outcome; the overdue sweep marks an open plan past its due date. Every change is a command with a history entry,
/// committed with the record's ETag and the department's counts. Validation of the body is here, not in the HTTP layer.
/// </summary>
public sealed class Remediations(CommandProcessor commands)
{
    /// <summary>The longest owner (characters).</summary>
    public const int MaxOwnerLength = 200;

    /// <summary>The longest notes (characters).</summary>
    public const int MaxNotesLength = 2000;

    /// <summary>The wire names of the actions and states, as the body takes them.</summary>
    public static readonly IReadOnlyList<string> Actions = [.. Enum.GetValues<RemediationAction>().Select(RemediationPlanner.Wire)];

    /// <inheritdoc cref="Actions"/>
    public static readonly IReadOnlyList<string> States = [.. Enum.GetValues<RemediationState>().Select(RemediationPlanner.Wire)];

    /// <summary>Every problem with the body, with the JSON path of the field; empty when it is well formed. Rules that depend on the record (due date limits, transitions) are the planner's.</summary>
    public static IReadOnlyList<ValidationError> Validate(RemediationRequest request) => Read(request).Errors;

    /// <summary>The request as a change, or its errors.</summary>
    public static (RemediationChange? Change, IReadOnlyList<ValidationError> Errors) Read(RemediationRequest request)
    {
        var errors = new List<ValidationError>();
        var action = OneOf<RemediationAction>(request.Action, "$.action", Actions, errors);
        var state = OneOf<RemediationState>(request.State, "$.state", States, errors);
        DateOnly due = default;
        if (request.DueDate is null)
            errors.Add(new ValidationError("$.dueDate", "is required (a date, YYYY-MM-DD)"));
        else if (!DateOnly.TryParseExact(request.DueDate, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out due))
            errors.Add(new ValidationError("$.dueDate", "must be a calendar date YYYY-MM-DD (UTC), e.g. 2027-03-31"));
        var owner = Text(request.Owner, "$.owner", MaxOwnerLength, required: true, errors);
        var notes = Text(request.Notes, "$.notes", MaxNotesLength, required: false, errors);
        return errors.Count > 0 ? (null, errors) : (new RemediationChange(action, due, owner!, state, notes), errors);
    }

    private static T OneOf<T>(string? value, string path, IReadOnlyList<string> names, List<ValidationError> errors) where T : struct, Enum
    {
        // Exactly the wire name: "Planned" or "1" is a client's mistake to show, not to guess at.
        var index = value is null ? -1 : names.ToList().IndexOf(value);
        if (index < 0)
        {
            errors.Add(new ValidationError(path, value is null ? $"is required (one of {string.Join(", ", names)})" : $"must be one of {string.Join(", ", names)}"));
            return default;
        }

        return Enum.GetValues<T>()[index];
    }

    /// <summary>Trimmed text of at most <paramref name="max"/> characters without control characters (tabs and line breaks allowed in notes); blank optional text is none.</summary>
    private static string? Text(string? value, string path, int max, bool required, List<ValidationError> errors)
    {
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            if (required) errors.Add(new ValidationError(path, "is required"));
            return null;
        }

        if (text.Length > max)
            errors.Add(new ValidationError(path, $"must be at most {max} characters"));
        else if (text.Any(c => char.IsControl(c) && (required || c is not ('\n' or '\r' or '\t'))))
            errors.Add(new ValidationError(path, "must not contain control characters"));
        return text;
    }

    /// <summary>Whether <paramref name="result"/> of <see cref="SetAsync"/> made a plan where the device had none (rather than changing or reopening one).</summary>
    public static bool Made(CommandResult result) => result.Outcome == CommandOutcome.Applied && result.Reason == RemediationPlanner.MadeReason;

    /// <summary>
    /// Makes, changes or reopens the plan (after <see cref="Validate"/>). <paramref name="ifMatch"/> is the caller's
    /// <c>If-Match</c> (null for none); <paramref name="reopen"/> allows a change to a done, cancelled or closed plan.
    /// </summary>
    public async Task<CommandResult> SetAsync(string department, string assetId, RemediationRequest request, string? ifMatch, bool reopen, Actor by, CancellationToken cancellationToken)
    {
        if (Read(request) is not ({ } change, _))
        {
            throw new ArgumentException(string.Join("; ", Validate(request)), nameof(request));
        }

        var command = new SetRemediation(Guid.NewGuid().ToString("N"), department, assetId, change, ifMatch, reopen) { By = by };
        return (await commands.ExecuteAsync(department, [command], cancellationToken).ConfigureAwait(false))[0];
    }
}
