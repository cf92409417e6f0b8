namespace AssetCompliance.Core.Events;

/// <summary>What happened to an asset in a department's register.</summary>
public enum AssetEventKind
{
    Upserted,
    Removed,
}

/// <summary>Kinds of device a register may list. Wire names are in <see cref="DeviceTypes"/>.</summary>
public enum DeviceType
{
    Camera,
    Nvr,
    Dvr,
    Encoder,
    VideoIntercom,
    AccessControl,
    Network,
    Other,
}

/// <summary>Where the device is plugged in. Absent in the event means unknown.</summary>
public enum NetworkSegment
{
    Core,
    Segregated,
    Standalone,
}

/// <summary>
/// The site a device is installed at. <see cref="Sensitive"/> is null when the register does not say. <see cref="Id"/>
/// is null when the register names the site or states its sensitivity but gives no id: what it states is still used.
/// </summary>
public sealed record Site(string? Id, string? Name, bool? Sensitive);

/// <summary>
/// The device as the department's register describes it: the whole current record (event-carried state), so one
/// event is enough to evaluate the device.
/// </summary>
public sealed record RegisteredDevice
{
    public required string AssetId { get; init; }
    public required string Department { get; init; }
    public required long Revision { get; init; }
    public string? Manufacturer { get; init; }
    public string? Model { get; init; }
    public string? SerialNumber { get; init; }
    public string? MacAddress { get; init; }
    public DeviceType? DeviceType { get; init; }
    public Site? Site { get; init; }
    public NetworkSegment? NetworkSegment { get; init; }
    public DateOnly? InstalledOn { get; init; }

    /// <summary>
    /// The fields the register holds a value for that could not be read (contract paths from
    /// <see cref="Events.UnreadFields.All"/>, each once, in that list's order; empty when every field was read). Such a
    /// field has no value here, and unlike an absent one it is not "the register holds nothing": a verdict it feeds
    /// is held back for review (<see cref="Policy.ComplianceEvaluator"/>). Stored with the record, so a re-evaluation
    /// applies the same rule. Never null (null is read as empty).
    /// </summary>
    public IReadOnlyList<string> UnreadFields
    {
        get => _unreadFields;
        init => _unreadFields = value ?? [];
    }

    private readonly IReadOnlyList<string> _unreadFields = [];
}

/// <summary>One validated asset-register change event (contract v1, a CloudEvents 1.0 structured JSON event).</summary>
public sealed record AssetEvent
{
    public required string Id { get; init; }
    public required string Source { get; init; }
    public required AssetEventKind Kind { get; init; }
    public required DateTimeOffset Time { get; init; }
    public required RegisteredDevice Device { get; init; }

    public string Department => Device.Department;
    public string AssetId => Device.AssetId;
    public long Revision => Device.Revision;
}
