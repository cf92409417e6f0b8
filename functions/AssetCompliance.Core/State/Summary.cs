using AssetCompliance.Core.Policy;

namespace AssetCompliance.Core.State;

/// <summary>
/// Counts of one department's devices by status and, for <c>NonCompliant</c>, by severity. Maintained by adding a
/// <see cref="SummaryDelta"/> in the same transaction as each record change, so it never needs a scan.
/// </summary>
public sealed record SummaryCounts
{
    public IReadOnlyDictionary<ComplianceStatus, long> ByStatus { get; init; } = new Dictionary<ComplianceStatus, long>();
    public IReadOnlyDictionary<Severity, long> NonCompliantBySeverity { get; init; } = new Dictionary<Severity, long>();

    /// <summary>Remediation plans recorded in the department, open or closed, by state (issue 19).</summary>
    public IReadOnlyDictionary<RemediationState, long> PlansByState { get; init; } = new Dictionary<RemediationState, long>();

    /// <summary>Plans the overdue sweep marked overdue and that are still open (issue 19).</summary>
    public long OverduePlans { get; init; }

    public long Total => ByStatus.Values.Sum();

    /// <summary>Devices (not removed) whose latest observation found them unregistered (issue 18).</summary>
    public long ObservedUnregistered { get; init; }

    /// <summary>Devices (not removed) whose latest observation contradicts the register's maker (issue 18).</summary>
    public long ObservedContradicted { get; init; }

    public static SummaryCounts Empty { get; } = new();

    public SummaryCounts Apply(SummaryDelta delta)
    {
        var byStatus = Enum.GetValues<ComplianceStatus>().ToDictionary(s => s, s => ByStatus.GetValueOrDefault(s) + delta.Status(s));
        var bySeverity = Enum.GetValues<Severity>().ToDictionary(s => s, s => NonCompliantBySeverity.GetValueOrDefault(s) + delta.Severity(s));
        var plans = Enum.GetValues<RemediationState>().ToDictionary(s => s, s => PlansByState.GetValueOrDefault(s) + delta.Plans(s));
        return new SummaryCounts
        {
            ByStatus = byStatus,
            NonCompliantBySeverity = bySeverity,
            PlansByState = plans,
            OverduePlans = OverduePlans + delta.OverduePlans,
            ObservedUnregistered = ObservedUnregistered + delta.Observed(Observations.ReconcileOutcomeKind.Unregistered),
            ObservedContradicted = ObservedContradicted + delta.Observed(Observations.ReconcileOutcomeKind.Contradicted),
        };
    }

    public SummaryCounts Add(SummaryCounts other) => new()
    {
        ByStatus = Enum.GetValues<ComplianceStatus>().ToDictionary(s => s, s => ByStatus.GetValueOrDefault(s) + other.ByStatus.GetValueOrDefault(s)),
        NonCompliantBySeverity = Enum.GetValues<Severity>().ToDictionary(s => s, s => NonCompliantBySeverity.GetValueOrDefault(s) + other.NonCompliantBySeverity.GetValueOrDefault(s)),
        PlansByState = Enum.GetValues<RemediationState>().ToDictionary(s => s, s => PlansByState.GetValueOrDefault(s) + other.PlansByState.GetValueOrDefault(s)),
        OverduePlans = OverduePlans + other.OverduePlans,
        ObservedUnregistered = ObservedUnregistered + other.ObservedUnregistered,
        ObservedContradicted = ObservedContradicted + other.ObservedContradicted,
    };
}

/// <summary>How one or more record changes move a department's counts.</summary>
public readonly struct SummaryDelta
{
    private readonly long[] _status;
    private readonly long[] _severity;

    /// <summary>Plans by <see cref="RemediationState"/>, then the overdue count last.</summary>
    private readonly long[] _plans;

    // Observation outcomes the summary counts, by ReconcileOutcomeKind (only Unregistered and Contradicted move).
    private readonly long[] _observed;

    private SummaryDelta(long[] status, long[] severity, long[] plans, long[] observed)
    {
        _status = status;
        _severity = severity;
        _plans = plans;
        _observed = observed;
    }

    private static readonly int OverdueSlot = Enum.GetValues<RemediationState>().Length;

    public static SummaryDelta None => new(new long[Enum.GetValues<ComplianceStatus>().Length], new long[Enum.GetValues<Severity>().Length], new long[OverdueSlot + 1],
        new long[Enum.GetValues<Observations.ReconcileOutcomeKind>().Length]);

    /// <summary>The change from one state of a record to another (either may be absent).</summary>
    public static SummaryDelta Between(ComplianceRecord? before, ComplianceRecord? after)
    {
        var delta = None;
        if (before is not null)
        {
            delta._status[(int)before.Status]--;
            if (before.Status == ComplianceStatus.NonCompliant && before.Severity is { } s) delta._severity[(int)s]--;
            if (before.Remediation is { } plan) delta.Count(plan, -1);
            if (CountedObservation(before) is { } o) delta._observed[(int)o]--;
        }

        if (after is not null)
        {
            delta._status[(int)after.Status]++;
            if (after.Status == ComplianceStatus.NonCompliant && after.Severity is { } s) delta._severity[(int)s]++;
            if (after.Remediation is { } plan) delta.Count(plan, +1);
            if (CountedObservation(after) is { } o) delta._observed[(int)o]++;
        }

        return delta;
    }

    private void Count(RemediationPlan plan, int sign)
    {
        _plans[(int)plan.State] += sign;
        if (plan.Overdue && !plan.Closed) _plans[OverdueSlot] += sign;
    }

    /// <summary>The observation outcome a record counts under in the summary: unregistered or contradicted, while not removed.</summary>
    private static Observations.ReconcileOutcomeKind? CountedObservation(ComplianceRecord record) =>
        record.Status != ComplianceStatus.Removed && record.Observation?.Outcome is { } o && o is Observations.ReconcileOutcomeKind.Unregistered or Observations.ReconcileOutcomeKind.Contradicted ? o : null;

    /// <summary>How many records move into (positive) or out of an observation outcome.</summary>
    public long Observed(Observations.ReconcileOutcomeKind outcome) => _observed is null ? 0 : _observed[(int)outcome];

    public long Status(ComplianceStatus status) => _status is null ? 0 : _status[(int)status];

    public long Severity(Severity severity) => _severity is null ? 0 : _severity[(int)severity];

    /// <summary>How the count of plans in <paramref name="state"/> moves.</summary>
    public long Plans(RemediationState state) => _plans is null ? 0 : _plans[(int)state];

    /// <summary>How the count of overdue open plans moves.</summary>
    public long OverduePlans => _plans is null ? 0 : _plans[OverdueSlot];

    public bool IsZero => (_status is null || _status.All(v => v == 0)) && (_severity is null || _severity.All(v => v == 0)) && (_plans is null || _plans.All(v => v == 0))
        && (_observed is null || _observed.All(v => v == 0));

    public SummaryDelta Plus(SummaryDelta other)
    {
        var sum = None;
        for (var i = 0; i < sum._status.Length; i++) sum._status[i] = Status((ComplianceStatus)i) + other.Status((ComplianceStatus)i);
        for (var i = 0; i < sum._severity.Length; i++) sum._severity[i] = Severity((Severity)i) + other.Severity((Severity)i);
        for (var i = 0; i < OverdueSlot; i++) sum._plans[i] = Plans((RemediationState)i) + other.Plans((RemediationState)i);
        sum._plans[OverdueSlot] = OverduePlans + other.OverduePlans;
        for (var i = 0; i < sum._observed.Length; i++) sum._observed[i] = Observed((Observations.ReconcileOutcomeKind)i) + other.Observed((Observations.ReconcileOutcomeKind)i);
        return sum;
    }
}

/// <summary>The oldest device that is still <c>NonCompliant</c>: the one a department has left longest.</summary>
public sealed record OpenItem(string Department, string AssetId, DateTimeOffset Since, Severity? Severity);

/// <summary>A department's summary as the API returns it.</summary>
public sealed record DepartmentSummary(string Department, SummaryCounts Counts, OpenItem? OldestOpenNonCompliant);
