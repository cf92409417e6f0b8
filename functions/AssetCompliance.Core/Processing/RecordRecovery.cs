using AssetCompliance.Core.State;
using AssetCompliance.Core.Events;

namespace AssetCompliance.Core.Processing;

/// <summary>An administrator's request to reset a device's revision: why (required) and an optional idempotency id.</summary>
public sealed record RevisionResetRequest(string? Reason, string? RequestId);

/// <summary>
/// Recovers device records that events can no longer change. A record keeps the highest revision it applied, and an
/// event whose revision is not newer is superseded; a revision sent by mistake (or a register that renumbered its
/// rows) would otherwise leave the device stuck for good. A reset lets the next event of any revision apply; the
/// record, its history and the reset itself (who, when, why, and the revision it had) are all kept.
/// </summary>
public sealed class RecordRecovery(CommandProcessor commands)
{
    /// <summary>Every problem with the request, with the JSON path of the field; empty when it is acceptable.</summary>
    public static IReadOnlyList<ValidationError> Validate(RevisionResetRequest request)
    {
        var errors = new List<ValidationError>();
        Exemptions.ValidateReasonAndRequestId(request.Reason, request.RequestId, errors);
        return errors;
    }

    /// <summary>
    /// Resets the revision of one device (after <see cref="Validate"/>). <c>NotFound</c> when the department has no such
    /// asset; a repeated request id changes nothing.
    /// </summary>
    public async Task<CommandResult> ResetRevisionAsync(string department, string assetId, RevisionResetRequest request, Actor? resetBy, CancellationToken cancellationToken)
    {
        if (Validate(request) is { Count: > 0 } errors)
        {
            throw new ArgumentException(string.Join("; ", errors), nameof(request));
        }

        var command = new ResetRevision(request.RequestId ?? Guid.NewGuid().ToString("N"), department, assetId, request.Reason!.Trim(), resetBy?.Name) { By = resetBy };
        return (await commands.ExecuteAsync(department, [command], cancellationToken).ConfigureAwait(false))[0];
    }
}
