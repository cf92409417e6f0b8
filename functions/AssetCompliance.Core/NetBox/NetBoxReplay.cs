using AssetCompliance.Core.Events;

namespace AssetCompliance.Core.NetBox;

/// <summary>
/// A webhook's place in its object's history: whether it is a replay of a change already applied (the same request
/// and action, or a version not newer than the last applied), and the contract revision its events carry.
/// </summary>
internal static class NetBoxReplay
{
    /// <summary>Null when the change is new; else the duplicate outcome saying why.</summary>
    public static NetBoxOutcome? Duplicate(NetBoxChange change, NetBoxObjectState? stored)
    {
        if (stored is null || (stored.VersionTicks == 0 && stored.Action is null))
        {
            return null;
        }

        if (change.RequestId is { } requestId && requestId == stored.RequestId && change.Action == stored.Action)
        {
            return new NetBoxOutcome(NetBoxOutcomeKind.Duplicate, $"Duplicate: request {requestId} was already applied to {change.ObjectKey}; nothing changed.", [], [], change.ObjectKey);
        }

        var ticks = change.Version.UtcTicks;
        var newer = ticks > stored.VersionTicks || (ticks == stored.VersionTicks && change.Action == NetBoxAction.Deleted && !stored.Deleted);
        return newer
            ? null
            : new NetBoxOutcome(NetBoxOutcomeKind.Duplicate,
                $"Duplicate: {change.ObjectKey} was last changed at {change.Version:yyyy-MM-ddTHH:mm:ss.ffffffZ}, not after the change already applied ({new DateTimeOffset(stored.VersionTicks, TimeSpan.Zero):yyyy-MM-ddTHH:mm:ss.ffffffZ}{(stored.Deleted ? ", its deletion" : "")}); nothing changed.",
                [], [], change.ObjectKey);
    }

    /// <summary>
    /// The contract revision of a change: its version in microseconds since 1970, doubled so that a deletion at the
    /// same instant as the last update (+1) orders after it; 2^53 is reached in the year 2112. Never below the last
    /// revision sent for the device plus one.
    /// </summary>
    public static long Revision(NetBoxChange change, NetBoxObjectState? stored)
    {
        var revision = Math.Min(Registers.RegisterEvents.RevisionAt(change.Version) + (change.Action == NetBoxAction.Deleted ? 1 : 0), AssetEventParser.MaxRevision);
        return Math.Max(revision, (stored?.LastRevision ?? -1) + 1);
    }
}
