using AssetCompliance.Core.State;
using Microsoft.Extensions.Logging;

namespace AssetCompliance.Api;

/// <summary>
/// What the health route says in the log about storage: one warning when an outage is first seen, then at most one
/// per <see cref="Interval"/> while it lasts (with how many probes failed meanwhile), and one line when storage
/// answers again. Monitors probe health every few seconds; a line per probe, let alone a stack trace, would bury
/// everything else in the log and cost as much as the outage tells.
/// </summary>
internal sealed partial class StorageOutageLog(ILogger logger, TimeProvider time)
{
    /// <summary>The least time between two warnings about the same outage.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    private readonly Lock _gate = new();
    private DateTimeOffset? _downSince;
    private DateTimeOffset _lastWarned;
    private int _failedSinceWarning;

    public void Record(StorageProbe probe)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            if (probe.Available)
            {
                if (_downSince is { } since)
                {
                    StorageAvailableAgain(logger, now - since);
                    _downSince = null;
                }

                return;
            }

            if (_downSince is null)
            {
                _downSince = now;
                _lastWarned = now;
                _failedSinceWarning = 0;
                StorageUnavailable(logger, probe.Problem ?? "unknown");
                return;
            }

            _failedSinceWarning++;
            if (now - _lastWarned >= Interval || now < _lastWarned)
            {
                StorageStillUnavailable(logger, now - _downSince.Value, _failedSinceWarning, probe.Problem ?? "unknown");
                _lastWarned = now;
                _failedSinceWarning = 0;
            }
        }
    }

    [LoggerMessage(EventId = 50, Level = LogLevel.Warning, Message = "Health: Table Storage is unavailable ({Problem}); health answers 503 until it answers again")]
    private static partial void StorageUnavailable(ILogger logger, string problem);

    [LoggerMessage(EventId = 51, Level = LogLevel.Warning, Message = "Health: Table Storage still unavailable after {Duration} ({FailedProbes} more failed probes; last: {Problem})")]
    private static partial void StorageStillUnavailable(ILogger logger, TimeSpan duration, int failedProbes, string problem);

    [LoggerMessage(EventId = 52, Level = LogLevel.Information, Message = "Health: Table Storage is available again after {Duration}")]
    private static partial void StorageAvailableAgain(ILogger logger, TimeSpan duration);
}
