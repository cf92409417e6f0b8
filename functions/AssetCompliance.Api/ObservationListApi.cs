using System.Globalization;
using AssetCompliance.Api.Security;
using AssetCompliance.Core.Events;
using AssetCompliance.Core.Observations;
using AssetCompliance.Core.Policy;
using AssetCompliance.Core.Processing;
using AssetCompliance.Core.State;
using Microsoft.AspNetCore.Http;

namespace AssetCompliance.Api;

/// <summary>
/// <c>GET /api/departments/{d}/observations?outcome=</c> (issue 18): a department's devices by what their latest
/// network observation found, paged like the asset list. <c>confirmed</c>, <c>contradicted</c>, <c>unregistered</c>
/// and <c>ambiguous</c> are stored with each observation; <c>notSeen</c> (registered devices in service whose latest
/// observation is older than the not-seen window, or that were never observed) is worked out when read, from the
/// last-seen time every record keeps. Removed devices are in no list (as in the summary's counts): a device once seen
/// unregistered and then matched to a registered one has its own record closed (<see cref="RetireObserved"/>).
/// </summary>
public sealed class ObservationListApi(IRecordStore store, ComplianceAuthorizer authorizer, ObservationSettings settings, TimeProvider time)
{
    /// <summary>The wire values of <c>outcome</c>, and what each selects.</summary>
    internal static readonly IReadOnlyList<(string Wire, ReconcileOutcomeKind Kind)> Outcomes =
    [
        ("confirmed", ReconcileOutcomeKind.Confirmed),
        ("contradicted", ReconcileOutcomeKind.Contradicted),
        ("unregistered", ReconcileOutcomeKind.Unregistered),
        ("notSeen", ReconcileOutcomeKind.NotSeen),
        ("ambiguous", ReconcileOutcomeKind.Ambiguous),
    ];

    /// <summary>The query parameters the route accepts; the OpenAPI document lists the same.</summary>
    internal static readonly QueryParameter[] Parameters =
    [
        QueryParameter.One("outcome", "Required: what the latest observation found (notSeen: registered, in service, and not observed within the not-seen window, Observations:NotSeenDays, default 30).", values: [.. Outcomes.Select(o => o.Wire)]),
        QueryParameter.One("top", $"Page size, 1 to {AssetListApi.MaxTop} (default {AssetListApi.DefaultTop}).", "integer"),
        QueryParameter.One("continuationToken", "The continuationToken of the previous page, unchanged."),
    ];

    public async Task<ApiResult> ListAsync(HttpRequest request, string department, CancellationToken cancellationToken)
    {
        if (RouteTable.ListObservations.Admit(request, authorizer, department) is { } refused)
        {
            return refused;
        }

        var errors = new List<ValidationError>();
        var reader = new QueryReader(request.Query, errors);
        var outcomeText = reader.One("outcome");
        var outcome = Outcomes.FirstOrDefault(o => o.Wire == outcomeText);
        if (outcomeText is null)
        {
            errors.Add(new ValidationError("outcome", $"is required: one of {string.Join(", ", Outcomes.Select(o => o.Wire))}"));
        }
        else if (outcome.Wire is null)
        {
            errors.Add(new ValidationError("outcome", $"is not one of {string.Join(", ", Outcomes.Select(o => o.Wire))}"));
        }

        var top = AssetListApi.DefaultTop;
        if (reader.One("top") is { } topText && (!int.TryParse(topText, NumberStyles.None, CultureInfo.InvariantCulture, out top) || top is < 1 or > AssetListApi.MaxTop))
        {
            errors.Add(new ValidationError("top", $"must be a whole number from 1 to {AssetListApi.MaxTop}"));
        }

        string? continuation = null;
        if (reader.One("continuationToken") is { } token && !ContinuationToken.TryRead(token, department, out continuation))
        {
            errors.Add(new ValidationError("continuationToken", "is not a token this route issued for this department"));
        }

        if (errors.Count > 0)
        {
            return RequestChecks.InvalidQuery(errors);
        }

        var notSeenBefore = time.GetUtcNow().AddDays(-settings.NotSeenDays);
        var query = new AssetQuery { Observed = outcome.Kind, NotSeenBefore = outcome.Kind == ReconcileOutcomeKind.NotSeen ? notSeenBefore : null };
        var page = await store.QueryRecordsAsync(department, query, top, continuation, cancellationToken).ConfigureAwait(false);
        return ApiResult.Json(new ObservationPage(department, outcome.Wire!, settings.NotSeenDays, page.Records.Count, page.Records.Select(r => Item(r, outcome.Wire!)),
            page.Continuation is null ? null : ContinuationToken.Write(department, page.Continuation)));
    }

    private static ObservationItem Item(ComplianceRecord r, string outcome)
    {
        var o = r.Observation;
        return new ObservationItem(
            r.AssetId,
            outcome,
            o is not { NotRegistered: true },
            r.Status,
            r.Severity,
            r.Rule,
            r.Vendor is { } v ? new AssetListVendor(v.Key, v.Name, v.Jurisdiction, v.SubjectToNationalIntelligenceLaw) : null,
            o?.LastSeenAt,
            o?.FirstSeenAt,
            o?.Observer,
            o?.IpAddresses ?? [],
            o?.MacAddresses ?? [],
            o?.Hostnames ?? [],
            o?.Network is { } n ? new ObservationNetworkView(n.Subnet, n.Segment.ToWire(), n.Site, n.Name) : null,
            o?.MatchedBy,
            o?.Candidates ?? [],
            o?.RegisteredMaker,
            o?.ObservedMaker,
            o?.Explanation ?? "Registered and in service, and never observed on the network.",
            [.. (o?.Evidence ?? []).Select(e => new ObservedEvidenceView(e.Signal.ToWire(), e.Value, e.Tool, e.Port))]);
    }
}

/// <summary>One page of <c>GET …/observations</c>.</summary>
/// <param name="NotSeenDays">The not-seen window in days (what notSeen means).</param>
public sealed record ObservationPage(string Department, string Outcome, int NotSeenDays, int Count, IEnumerable<ObservationItem> Items, string? ContinuationToken);

/// <summary>
/// One device by its latest observation: the verdict, whether a register entry stands behind it (false for a record
/// only observations made, asset id <c>observed:…</c>), what was seen, where, how it was matched, and both makers.
/// </summary>
/// <param name="LastSeenAt">When it was last observed; null when never.</param>
/// <param name="Network">The networks file's subnet its address is in (segment core, segregated or standalone), or null: in no listed subnet, or the department has no networks file (segment unknown).</param>
public sealed record ObservationItem(
    string AssetId,
    string Outcome,
    bool Registered,
    ComplianceStatus Status,
    Severity? Severity,
    string Rule,
    AssetListVendor? Vendor,
    DateTimeOffset? LastSeenAt,
    DateTimeOffset? FirstSeenAt,
    string? Observer,
    IReadOnlyList<string> IpAddresses,
    IReadOnlyList<string> MacAddresses,
    IReadOnlyList<string> Hostnames,
    ObservationNetworkView? Network,
    string? MatchedBy,
    IReadOnlyList<string> Candidates,
    string? RegisteredMaker,
    string? ObservedMaker,
    string Explanation,
    IReadOnlyList<ObservedEvidenceView> Evidence);

/// <summary>Where an observed address is: the networks file's subnet (CIDR), its segment (core, segregated, standalone), site and name.</summary>
public sealed record ObservationNetworkView(string Subnet, string Segment, string? Site, string? Name);

/// <summary>One evidence item as the observation carried it: signal (contract v1.1 wire name), value, the tool that saw it, and the port.</summary>
public sealed record ObservedEvidenceView(string Signal, string Value, string Tool, int? Port);

/// <summary>The summary's observation counts (issue 18), maintained with every record change.</summary>
/// <param name="Unregistered">Devices (not removed) no register entry matched when last observed.</param>
/// <param name="Contradicted">Devices (not removed) whose latest observation shows another maker than the register.</param>
public sealed record ObservationCountsView(long Unregistered, long Contradicted)
{
    internal static ObservationCountsView From(SummaryCounts counts) => new(counts.ObservedUnregistered, counts.ObservedContradicted);
}
