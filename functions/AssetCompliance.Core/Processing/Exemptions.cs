using System.Text.Json.Serialization;
using AssetCompliance.Core.Events;
using AssetCompliance.Core.State;

namespace AssetCompliance.Core.Processing;

/// <summary>
/// An exemption request as a department or administrator sends it. <see cref="ExpiresAt"/> is read as RFC 3339 with an
/// offset (<see cref="Rfc3339JsonConverter"/>): <c>2027-01-01T00:00:00</c> without one is refused, never read in the
/// host's time zone.
/// </summary>
public sealed record ExemptionRequest(string? Reason, string? Approver, [property: JsonConverter(typeof(Rfc3339JsonConverter))] DateTimeOffset? ExpiresAt, string? RequestId);

/// <summary>
/// Grants and revokes exemptions. Validation is here, not in the HTTP layer, so every host refuses the same things:
/// a reason and an approver are required, and the expiry must be in the future and at most a year ahead.
/// </summary>
public sealed class Exemptions(CommandProcessor commands, TimeProvider time)
{
    /// <summary>The longest reason a request may give (characters), exemptions and revision resets alike.</summary>
    public const int MaxReasonLength = 2000;

    /// <summary>The longest approver name (characters).</summary>
    public const int MaxApproverLength = 200;

    /// <summary>The longest request id (characters) of an idempotent administrative request.</summary>
    public const int MaxRequestIdLength = 128;

    public static readonly TimeSpan MaxDuration = TimeSpan.FromDays(366);

    /// <summary>Every problem with the request, with the JSON path of the field; empty when it is acceptable.</summary>
    public IReadOnlyList<ValidationError> Validate(ExemptionRequest request)
    {
        var errors = new List<ValidationError>();
        var now = time.GetUtcNow();
        ValidateReasonAndRequestId(request.Reason, request.RequestId, errors);
        if (string.IsNullOrWhiteSpace(request.Approver))
            errors.Add(new ValidationError("$.approver", "is required"));
        else if (request.Approver.Length > MaxApproverLength)
            errors.Add(new ValidationError("$.approver", $"must be at most {MaxApproverLength} characters"));
        if (request.ExpiresAt is not { } expires)
            errors.Add(new ValidationError("$.expiresAt", "is required (an RFC 3339 date-time)"));
        else if (expires <= now)
            errors.Add(new ValidationError("$.expiresAt", "must be in the future"));
        else if (expires > now + MaxDuration)
            errors.Add(new ValidationError("$.expiresAt", "must be at most 12 months ahead"));
        return errors;
    }

    /// <summary>The rules every administrative request shares: a reason is required and bounded; a request id, if given, is 1 to 128 characters.</summary>
    internal static void ValidateReasonAndRequestId(string? reason, string? requestId, List<ValidationError> errors)
    {
        if (string.IsNullOrWhiteSpace(reason))
            errors.Add(new ValidationError("$.reason", "is required"));
        else if (reason.Length > MaxReasonLength)
            errors.Add(new ValidationError("$.reason", $"must be at most {MaxReasonLength} characters"));
        if (requestId is { } id && (id.Length is 0 or > MaxRequestIdLength))
            errors.Add(new ValidationError("$.requestId", $"must be 1 to {MaxRequestIdLength} characters"));
    }

    /// <summary>Grants the exemption (after <see cref="Validate"/>). A repeated request id changes nothing.</summary>
    public async Task<CommandResult> GrantAsync(string department, string assetId, ExemptionRequest request, string? requestedBy, CancellationToken cancellationToken)
    {
        if (Validate(request) is { Count: > 0 } errors)
        {
            throw new ArgumentException(string.Join("; ", errors), nameof(request));
        }

        var exemption = new Exemption
        {
            Reason = request.Reason!.Trim(),
            Approver = request.Approver!.Trim(),
            ExpiresAt = request.ExpiresAt!.Value.ToUniversalTime(),
            GrantedAt = time.GetUtcNow(),
            RequestedBy = requestedBy,
        };
        var command = new GrantExemption(request.RequestId ?? Guid.NewGuid().ToString("N"), department, assetId, exemption);
        return (await commands.ExecuteAsync(department, [command], cancellationToken).ConfigureAwait(false))[0];
    }

    public async Task<CommandResult> RevokeAsync(string department, string assetId, string? revokedBy, CancellationToken cancellationToken)
    {
        var command = new RevokeExemption(Guid.NewGuid().ToString("N"), department, assetId, revokedBy);
        return (await commands.ExecuteAsync(department, [command], cancellationToken).ConfigureAwait(false))[0];
    }
}
