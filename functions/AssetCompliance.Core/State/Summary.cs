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

    public long Total => ByStatus.Values.Sum();

    public static SummaryCounts Empty { get; } = new();

    public SummaryCounts Apply(SummaryDelta delta)
    {
        var byStatus = Enum.GetValues<ComplianceStatus>().ToDictionary(s => s, s => ByStatus.GetValueOrDefault(s) + delta.Status(s));
        var bySeverity = Enum.GetValues<Severity>().ToDictionary(s => s, s => NonCompliantBySeverity.GetValueOrDefault(s) + delta.Severity(s));
        return new SummaryCounts { ByStatus = byStatus, NonCompliantBySeverity = bySeverity };
    }

    public SummaryCounts Add(SummaryCounts other) => new()
    {
        ByStatus = Enum.GetValues<ComplianceStatus>().ToDictionary(s => s, s => ByStatus.GetValueOrDefault(s) + other.ByStatus.GetValueOrDefault(s)),
        NonCompliantBySeverity = Enum.GetValues<Severity>().ToDictionary(s => s, s => NonCompliantBySeverity.GetValueOrDefault(s) + other.NonCompliantBySeverity.GetValueOrDefault(s)),
    };
}

/// <summary>How one or more record changes move a department's counts.</summary>
public readonly struct SummaryDelta
{
    private readonly long[] _status;
    private readonly long[] _severity;

    private SummaryDelta(long[] status, long[] severity)
    {
        _status = status;
        _severity = severity;
    }

    public static SummaryDelta None => new(new long[Enum.GetValues<ComplianceStatus>().Length], new long[Enum.GetValues<Severity>().Length]);

    /// <summary>The change from one state of a record to another (either may be absent).</summary>
    public static SummaryDelta Between(ComplianceRecord? before, ComplianceRecord? after)
    {
        var delta = None;
        if (before is not null)
        {
            delta._status[(int)before.Status]--;
            if (before.Status == ComplianceStatus.NonCompliant && before.Severity is { } s) delta._severity[(int)s]--;
        }

        if (after is not null)
        {
            delta._status[(int)after.Status]++;
            if (after.Status == ComplianceStatus.NonCompliant && after.Severity is { } s) delta._severity[(int)s]++;
        }

        return delta;
    }

    public long Status(ComplianceStatus status) => _status is null ? 0 : _status[(int)status];

    public long Severity(Severity severity) => _severity is null ? 0 : _severity[(int)severity];

    public bool IsZero => (_status is null || _status.All(v => v == 0)) && (_severity is null || _severity.All(v => v == 0));

    public SummaryDelta Plus(SummaryDelta other)
    {
        var sum = None;
        for (var i = 0; i < sum._status.Length; i++) sum._status[i] = Status((ComplianceStatus)i) + other.Status((ComplianceStatus)i);
        for (var i = 0; i < sum._severity.Length; i++) sum._severity[i] = Severity((Severity)i) + other.Severity((Severity)i);
        return sum;
    }
}

/// <summary>The oldest device that is still <c>NonCompliant</c>: the one a department has left longest.</summary>
public sealed record OpenItem(string Department, string AssetId, DateTimeOffset Since, Severity? Severity);

/// <summary>A department's summary as the API returns it.</summary>
public sealed record DepartmentSummary(string Department, SummaryCounts Counts, OpenItem? OldestOpenNonCompliant);
