using System.Net;
using AssetCompliance.Core.Events;
using AssetCompliance.Core.Observations;

namespace AssetCompliance.Core.State;

/// <summary>Where on the network an observed address is, from the department's networks file (<see cref="NetworkMap"/>).</summary>
/// <param name="Subnet">The networks file's subnet holding the address, in CIDR notation.</param>
/// <param name="Segment">That subnet's segment.</param>
/// <param name="Site">The subnet's site, when the file names one.</param>
/// <param name="Name">The subnet's name, when the file gives one.</param>
public sealed record ObservedNetwork(string Subnet, NetworkSegment Segment, string? Site, string? Name)
{
    public static ObservedNetwork From(NetworkEntry entry) => new(entry.Network.ToString(), entry.Segment, entry.Site, entry.Name);
}

/// <summary>
/// The latest <c>asset.device.observed</c> event matched to a record (issue 18, docs/reconcile.md "In the pipeline"):
/// what the network showed, where, how it was matched and what reconciling it with the register found. Kept on the
/// record, so that every later evaluation of the device (a register event, a re-evaluation, an exemption step) weighs
/// the observed evidence and placement too: a device that shows Hikvision firmware is never cleared because its
/// register row says Axis. Each observation is also a history entry of the record.
/// </summary>
public sealed record ObservedState
{
    /// <summary>What reconciling found: confirmed, contradicted, unregistered or ambiguous (never not seen, which is worked out at read time from <see cref="LastSeenAt"/>).</summary>
    public required ReconcileOutcomeKind Outcome { get; init; }

    /// <summary>The latest observation event's id.</summary>
    public required string EventId { get; init; }

    /// <summary>Who observed (the tool or the event's observer).</summary>
    public required string Observer { get; init; }

    /// <summary>When the device was last seen (the latest observation's <c>observedAt</c>).</summary>
    public required DateTimeOffset LastSeenAt { get; init; }

    /// <summary>When the device was first seen by an observation stored on this record.</summary>
    public required DateTimeOffset FirstSeenAt { get; init; }

    /// <summary>
    /// True for a record that only observations made (<see cref="ReconcileOutcomeKind.Unregistered"/> or
    /// <see cref="ReconcileOutcomeKind.Ambiguous"/>): no register entry stands behind it, and its asset id is derived
    /// from the observed MAC or address (<see cref="AssetIdPrefix"/>).
    /// </summary>
    public bool NotRegistered { get; init; }

    /// <summary>The observed IP addresses (IPv4 and IPv6, as .NET writes them).</summary>
    public IReadOnlyList<string> IpAddresses { get; init; } = [];

    /// <summary>The observed MAC addresses, canonical (<c>AA:BB:CC:DD:EE:FF</c>).</summary>
    public IReadOnlyList<string> MacAddresses { get; init; } = [];

    /// <summary>The host names the observation gave, as written.</summary>
    public IReadOnlyList<string> Hostnames { get; init; } = [];

    /// <summary>The serial number, model and device type the observation reported, as written (null when none).</summary>
    public string? SerialNumber { get; init; }

    /// <inheritdoc cref="SerialNumber"/>
    public string? Model { get; init; }

    /// <inheritdoc cref="SerialNumber"/>
    public string? ReportedType { get; init; }

    /// <summary>The observed evidence items, as the event carried them.</summary>
    public IReadOnlyList<ObservedEvidence> Evidence { get; init; } = [];

    /// <summary>Where the device was seen (the most exposed subnet among its addresses); null when the networks file has none of them, or the department has no networks file (then the segment is unknown, never "not core").</summary>
    public ObservedNetwork? Network { get; init; }

    /// <summary>Whether the department had a networks file when the observation was placed (so a null <see cref="Network"/> reads "in no listed subnet" rather than "no networks file").</summary>
    public bool NetworksKnown { get; init; }

    /// <summary>The key that matched the record: mac, serial, hostname or (in the pipeline, for an observation without a MAC) address; null for an unregistered device.</summary>
    public string? MatchedBy { get; init; }

    /// <summary>For an ambiguous observation: every record its deciding key matched (asset ids); none was guessed.</summary>
    public IReadOnlyList<string> Candidates { get; init; } = [];

    /// <summary>The maker the register's fields identify, as reconciling named it.</summary>
    public string? RegisteredMaker { get; init; }

    /// <summary>The maker the observation alone identifies, or null.</summary>
    public string? ObservedMaker { get; init; }

    /// <summary>
    /// For a record only observations made that was closed because the device is another record (its MAC's, or the
    /// registered one it was matched to): that record's asset id, so that an observation which names this record
    /// again (by its address) is taken to the device's record, not reopened beside it. Null otherwise.
    /// </summary>
    public string? ClosedInto { get; init; }

    /// <summary>Reconciling's sentence: what agrees or differs, and where it was seen.</summary>
    public required string Explanation { get; init; }

    /// <summary>The prefix of the asset id of a record only observations made: <c>observed:</c> followed by the MAC (<c>AA:BB:CC:DD:EE:FF</c>) or, without one, the first IP address.</summary>
    public const string AssetIdPrefix = "observed:";

    /// <summary>The stable asset id of an unregistered or ambiguous observation: from its first MAC, else its first IP address.</summary>
    public static string AssetIdFor(DeviceObservation observation) =>
        AssetIdPrefix + (observation.MacAddresses.Count > 0 ? observation.MacAddresses[0].ToString() : observation.IpAddresses[0].ToString());

    /// <summary>The observation as the reconciler reads it again (when the register changes under a stored observation).</summary>
    public DeviceObservation ToObservation() => new()
    {
        Observer = Observer,
        Source = EventId,
        ObservedAt = LastSeenAt,
        IpAddresses = IpAddresses.Select(IPAddress.Parse).ToArray(),
        MacAddresses = MacAddresses.Select(m => MacAddress.TryParse(m, out var mac) ? mac : default).ToArray(),
        Hostnames = Hostnames,
        SerialNumber = SerialNumber,
        Model = Model,
        ReportedType = ReportedType,
        Evidence = Evidence,
    };
}
