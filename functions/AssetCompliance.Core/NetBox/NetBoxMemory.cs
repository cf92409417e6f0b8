namespace AssetCompliance.Core.NetBox;

/// <summary>
/// What the pipeline remembers of one NetBox object of a department, to refuse replays and to build a device's whole
/// record from changes that arrive one object at a time (a MAC lives on an interface, not on the device).
/// </summary>
public sealed record NetBoxObjectState
{
    /// <summary><c>dcim.device:12</c>, <c>dcim.interface:40</c>, <c>dcim.macaddress:7</c>.</summary>
    public required string Key { get; init; }

    /// <summary>The <see cref="NetBoxChange.Version"/> of the last change applied, in UTC ticks; 0 for a device known only from its interfaces.</summary>
    public long VersionTicks { get; init; }

    /// <summary>Whether the last change applied was the object's deletion.</summary>
    public bool Deleted { get; init; }

    /// <summary>The NetBox request id and action of the last change applied: the same again is a replay.</summary>
    public string? RequestId { get; init; }

    /// <summary>The action of the last change applied (with <see cref="RequestId"/>, what a replay repeats).</summary>
    public NetBoxAction? Action { get; init; }

    /// <summary>Device rows: the asset id last sent (a rename sends a removal of the old one).</summary>
    public string? AssetId { get; init; }

    /// <summary>Device rows: the register cells last read from the device (null until a device webhook came).</summary>
    public IReadOnlyList<string>? Cells { get; init; }

    /// <summary>Device rows: the last revision sent for its asset, so that each event is newer than the one before.</summary>
    public long LastRevision { get; init; }

    /// <summary>Device rows: the MAC of each interface or MAC object of the device, by that object's key.</summary>
    public IReadOnlyDictionary<string, string> Macs { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Interface and MAC rows: the device (NetBox id) the object belonged to, and its MAC.</summary>
    public long? DeviceId { get; init; }

    /// <summary>Interface and MAC rows: the object's MAC, canonical (<c>AA:BB:CC:DD:EE:FF</c>); null when it has none or was deleted.</summary>
    public string? Mac { get; init; }

    /// <summary>The storage version read, for an optimistic write; null for a row not stored yet.</summary>
    public string? ETag { get; init; }
}

/// <summary>
/// Port to the NetBox replay memory: one row per NetBox object a department's webhooks named, in that department's
/// partition (Table Storage: <c>TableNetBoxMemory</c> in AssetCompliance.Azure).
/// </summary>
public interface INetBoxMemory
{
    /// <summary>The stored rows among <paramref name="keys"/> (absent keys are left out).</summary>
    Task<IReadOnlyDictionary<string, NetBoxObjectState>> GetAsync(string department, IReadOnlyCollection<string> keys, CancellationToken cancellationToken);

    /// <summary>
    /// Writes the rows together (one transaction): each only if it is unchanged since read (its
    /// <see cref="NetBoxObjectState.ETag"/>; a row with none must not exist yet). False, with nothing written, when
    /// another webhook changed one of them first; the caller reads again.
    /// </summary>
    /// <exception cref="State.DependencyUnavailableException">Storage could not be used.</exception>
    Task<bool> TrySaveAsync(string department, IReadOnlyList<NetBoxObjectState> rows, CancellationToken cancellationToken);
}
