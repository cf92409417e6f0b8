namespace AssetCompliance.Core.State;

/// <summary>
/// One administrative action, as the audit keeps it (issue 17 item 3): who, what, where and with what outcome. Never
/// rewritten. Device-level actions are also in the device's history (<see cref="HistoryEntry.By"/>); the audit also
/// holds the estate-wide ones (re-evaluation, alert retry), which change no history when they change nothing.
/// </summary>
/// <param name="Id">Unique per entry (a GUID's 32 hex digits).</param>
/// <param name="At">When the action was answered (UTC).</param>
/// <param name="Action">The route's operation id: <c>approveExemption</c>, <c>refuseExemption</c>, <c>revokeExemption</c>, <c>resetRevision</c>, <c>reevaluate</c>, <c>retryFailedAlerts</c>.</param>
/// <param name="Department">The department acted on; null for an action over every department.</param>
/// <param name="AssetId">The device acted on, when there is one.</param>
/// <param name="By">The caller.</param>
/// <param name="Outcome">What became of it: a command outcome (<c>Applied</c>, <c>Forbidden</c>, <c>Refused</c>, …) or a count.</param>
public sealed record AuditEntry(string Id, DateTimeOffset At, string Action, string? Department, string? AssetId, Actor By, string Outcome);

/// <summary>Port to the audit of administrative actions.</summary>
public interface IAuditLog
{
    /// <summary>Adds an entry.</summary>
    Task RecordAuditAsync(AuditEntry entry, CancellationToken cancellationToken);

    /// <summary>
    /// Entries at or after <paramref name="since"/> (every one when null), oldest first: one department's when
    /// <paramref name="department"/> is given, else every entry (those over every department included).
    /// </summary>
    Task<IReadOnlyList<AuditEntry>> GetAuditAsync(string? department, DateTimeOffset? since, CancellationToken cancellationToken);
}
