namespace AssetCompliance.Core.State;

/// <summary>Which stored records a sweep wants.</summary>
public abstract record RecordFilter
{
    private RecordFilter()
    {
    }

    /// <summary>Records evaluated with a different catalogue or policy version than these.</summary>
    public sealed record NotEvaluatedWith(string CatalogueVersion, string PolicyVersion) : RecordFilter;

    /// <summary>Records whose exemption expired at or before this time.</summary>
    public sealed record ExemptionExpiredBy(DateTimeOffset Time) : RecordFilter;

    /// <summary>Records whose remediation plan still binds, is not marked overdue, and was due before this time (<see cref="RemediationPlan.OverdueFrom"/> at or before it).</summary>
    public sealed record RemediationDueBy(DateTimeOffset Time) : RecordFilter;

    /// <summary>Records whose remediation plan is marked overdue and still open (for the daily digest).</summary>
    public sealed record RemediationOverdue : RecordFilter;

    /// <summary>Records that are NonCompliant or NeedsReview (for the daily digest).</summary>
    public sealed record Open : RecordFilter;

    /// <summary>Every record (for consistency checks and exports).</summary>
    public sealed record All : RecordFilter;

    /// <summary>
    /// Records whose registered MAC address (canonical <c>AA:BB:CC:DD:EE:FF</c>) is one of <paramref name="MacAddresses"/>,
    /// whose serial number (trimmed, upper case) is one of <paramref name="SerialNumbers"/>, whose asset id's host-name
    /// key (<see cref="Observations.HostNames.Key"/>; registered records only) is one of <see cref="HostKeys"/>, or whose
    /// latest observation's first IP address is one of <see cref="IpAddresses"/>: the candidates an observation is
    /// matched against. At most <see cref="MaxValues"/> values together (one Table Storage filter).
    /// </summary>
    public sealed record Identifies(IReadOnlyList<string> MacAddresses, IReadOnlyList<string> SerialNumbers) : RecordFilter
    {
        /// <summary>Host-name keys (<see cref="Observations.HostNames.Keys"/>) a registered record's asset id may have.</summary>
        public IReadOnlyList<string> HostKeys { get; init; } = [];

        /// <summary>IP addresses (as .NET writes them) a record's latest observation may have first.</summary>
        public IReadOnlyList<string> IpAddresses { get; init; } = [];

        /// <summary>The most values (MACs, serials, host-name keys and addresses together) one filter holds (Table Storage allows 15 comparisons; the key range takes 3).</summary>
        public const int MaxValues = 10;

        /// <summary>A serial number as the filter and its column compare it: trimmed, upper case (invariant).</summary>
        public static string? SerialKey(string? serial) => string.IsNullOrWhiteSpace(serial) ? null : serial.Trim().ToUpperInvariant();

        /// <summary>A registered MAC as the filter and its column compare it (any notation a register uses), or null when it does not read as one.</summary>
        public static string? MacKey(string? mac) => mac is not null && Events.MacAddress.TryParse(mac, Events.MacNotation.Register, out var parsed) ? parsed.ToString() : null;
    }
}

/// <summary>
/// Filters of the asset list. Each list is a set of accepted values of one stored column: a record matches a list
/// when its value is any of them (OR), and matches the query when it matches every list that is not empty and the
/// lower bound on the change time (AND). An empty list filters nothing. A record without a value (no severity, no
/// vendor, no site, no device type) matches no value of that list.
/// </summary>
public sealed record AssetQuery
{
    /// <summary>
    /// The most values all lists together may hold. Table Storage allows at most 15 comparisons in one filter; the
    /// department's key range takes 3 and <see cref="ChangedSince"/> 1, which leaves 11.
    /// </summary>
    public const int MaxFilterValues = 10;

    public IReadOnlyList<Policy.ComplianceStatus> Statuses { get; init; } = [];
    public IReadOnlyList<Policy.Severity> Severities { get; init; } = [];
    public IReadOnlyList<string> SiteIds { get; init; } = [];
    public IReadOnlyList<string> VendorKeys { get; init; } = [];
    public IReadOnlyList<Events.DeviceType> DeviceTypes { get; init; } = [];

    /// <summary>Only records evaluated at or after this time.</summary>
    public DateTimeOffset? ChangedSince { get; init; }

    /// <summary>
    /// Only records whose latest observation found this (issue 18); <see cref="Observations.ReconcileOutcomeKind.NotSeen"/>
    /// selects registered devices in service whose latest observation is older than <see cref="NotSeenBefore"/>, or
    /// that were never observed. Removed records match no outcome (as the summary counts them). Null: no observation filter.
    /// </summary>
    public Observations.ReconcileOutcomeKind? Observed { get; init; }

    /// <summary>The not-seen cutoff (now less the not-seen window); required with <see cref="Observations.ReconcileOutcomeKind.NotSeen"/>.</summary>
    public DateTimeOffset? NotSeenBefore { get; init; }

    /// <summary>How many values the lists hold together (compared with <see cref="MaxFilterValues"/>).</summary>
    public int FilterValueCount => Statuses.Count + Severities.Count + SiteIds.Count + VendorKeys.Count + DeviceTypes.Count;

    /// <summary>The query's meaning, stated once: the store's filter must select exactly the records this accepts.</summary>
    public bool Matches(ComplianceRecord record) =>
        Accepts(Statuses, record.Status) &&
        Accepts(Severities, record.Severity) &&
        Accepts(SiteIds, record.Device.Site?.Id) &&
        Accepts(VendorKeys, record.Vendor?.Key) &&
        Accepts(DeviceTypes, record.Device.DeviceType) &&
        (ChangedSince is not { } since || record.EvaluatedAt >= since) &&
        MatchesObserved(record);

    private bool MatchesObserved(ComplianceRecord record) => Observed switch
    {
        null => true,
        Observations.ReconcileOutcomeKind.NotSeen => record.Observation is not { NotRegistered: true } && record.Status != Policy.ComplianceStatus.Removed &&
            (record.Observation?.LastSeenAt ?? DateTimeOffset.UnixEpoch) < (NotSeenBefore ?? DateTimeOffset.MaxValue),
        { } outcome => record.Observation?.Outcome == outcome && record.Status != Policy.ComplianceStatus.Removed,
    };

    private static bool Accepts<T>(IReadOnlyList<T> accepted, T? value) where T : struct => accepted.Count == 0 || (value is { } v && accepted.Contains(v));

    private static bool Accepts(IReadOnlyList<string> accepted, string? value) => accepted.Count == 0 || (value is not null && accepted.Contains(value, StringComparer.Ordinal));
}

/// <summary>What the health probe found: storage answered, or a short reason why not (for the log; never a secret).</summary>
public sealed record StorageProbe(bool Available, string? Problem)
{
    public static StorageProbe Reachable { get; } = new(true, null);

    public static StorageProbe Unreachable(string problem) => new(false, problem);
}

/// <summary>One page of records and the storage continuation for the next (null on the last page).</summary>
public sealed record RecordPage(IReadOnlyList<ComplianceRecord> Records, string? Continuation);
