using AssetCompliance.Core.Catalogue;
using AssetCompliance.Core.Events;
using AssetCompliance.Core.Policy;
using AssetCompliance.Core.State;
using AssetCompliance.Api.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AssetCompliance.Api;

/// <summary>
/// Every HTTP route's behaviour, once. Hosts translate their request into one call here and return the result.
/// </summary>
/// <param name="time">The clock for the health route's cached count and outage log; the system clock unless a test sets one.</param>
/// <param name="logger">Where the health route reports storage outages (rate-limited, see <see cref="StorageOutageLog"/>).</param>
public sealed class ComplianceApi(IRecordStore store, Core.Alerting.IAlertOutbox outbox, IRejectionStore rejections, DeviceIdentifier identifier, CompliancePolicy policy, ComplianceAuthorizer authorizer, TimeProvider? time = null, ILogger<ComplianceApi>? logger = null)
{
    /// <summary>
    /// How long the health route reuses its count of failed alerts. Health is anonymous and probed often, and the count
    /// reads every department's outbox; without this, any caller could make each request cost a read per department.
    /// </summary>
    public static readonly TimeSpan FailedAlertsCountLifetime = TimeSpan.FromSeconds(60);

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly StorageOutageLog _outages = new((ILogger?)logger ?? NullLogger.Instance, time ?? TimeProvider.System);
    private FailedAlertCount? _failedAlerts; // a reference, so that concurrent requests read it whole

    /// <summary>The query parameters of the two rejection routes; the OpenAPI document lists the same.</summary>
    internal static readonly QueryParameter[] RejectionParameters =
    [
        QueryParameter.One("includeBody", "true to include each rejected message's body as received (false by default).", "boolean"),
    ];

    /// <summary>The query parameters of the vendor lookup: at least one is required.</summary>
    internal static readonly QueryParameter[] LookupParameters =
    [
        QueryParameter.One("manufacturer", "The manufacturer as registered, e.g. Hik Vision."),
        QueryParameter.One("model", "The model as registered, e.g. DS-2CD2143G2-I."),
        QueryParameter.One("mac", "A MAC address: AA:BB:CC:DD:EE:FF, aa-bb-cc-dd-ee-ff, aabb.ccdd.eeff or 12 hex digits."),
    ];

    public static string Version { get; } =
        typeof(ComplianceApi).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    /// <summary>
    /// 200 <c>healthy</c> or <c>degraded</c> (failed alerts), or 503 <c>unhealthy</c> when Table Storage does not
    /// answer the probe in time. Never a bare 500: an outage is an answer here, not an error. Like every route, it
    /// refuses query parameters it does not take (400, before storage is probed): a monitor's misspelt or added
    /// parameter is seen at once rather than silently ignored.
    /// </summary>
    public async Task<ApiResult> GetHealthAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (RouteTable.Health.Admit(request, null) is { } problem)
        {
            return problem;
        }

        // Storage is probed on every call (one cheap request, one attempt, bounded): an outage must show at once.
        var probe = await store.ProbeAsync(cancellationToken).ConfigureAwait(false);
        var failedAlerts = 0;
        if (probe.Available)
        {
            try
            {
                failedAlerts = await CountFailedAlertsAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (DependencyUnavailableException e)
            {
                // Storage answered the probe, then failed the count: it is not usable either. Anything else the count
                // throws is a defect and reaches the host, rather than passing for an outage on every probe.
                probe = StorageProbe.Unreachable($"counting failed alerts: {e.Reason}");
            }
        }

        _outages.Record(probe);
        if (!probe.Available)
        {
            // An RFC 9457 problem like every other 503, with the health members beside it. The failed-alert count is
            // unknown (null), not zero: it could not be read.
            return ApiResult.Problem(StatusCodes.Status503ServiceUnavailable, "storage-unavailable", "Table Storage is unavailable.",
                "Table Storage did not answer; compliance state can be neither read nor written.",
                extensions: new Dictionary<string, object?>
                {
                    ["health"] = "unhealthy",
                    ["version"] = Version,
                    ["catalogueVersion"] = identifier.Catalogue.Version,
                    ["policyVersion"] = policy.Version,
                    ["storage"] = "unavailable",
                    ["failedAlerts"] = null,
                },
                retryAfter: ApiHandler.RetryAfter);
        }

        var health = failedAlerts == 0 ? "healthy" : "degraded";
        return ApiResult.Json(new HealthBody(health, health, Version, identifier.Catalogue.Version, policy.Version, "available", failedAlerts));
    }

    /// <summary>Alerts Teams refused: a delivery problem an operator must see, though the pipeline itself is healthy.</summary>
    private async Task<int> CountFailedAlertsAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (_failedAlerts is { } cached && now - cached.CountedAt < FailedAlertsCountLifetime && now >= cached.CountedAt)
        {
            return cached.Count;
        }

        var count = 0;
        foreach (var department in await store.GetDepartmentsAsync(cancellationToken).ConfigureAwait(false))
        {
            count += (await outbox.GetOutboxEntriesAsync(department, [Core.Alerting.OutboxState.Failed], cancellationToken).ConfigureAwait(false)).Count;
        }

        _failedAlerts = new FailedAlertCount(now, count);
        return count;
    }

    private sealed record FailedAlertCount(DateTimeOffset CountedAt, int Count);

    public async Task<ApiResult> GetAssetAsync(HttpRequest request, string department, string assetId, CancellationToken cancellationToken)
    {
        if (RouteTable.GetAsset.Admit(request, authorizer, department, assetId) is { } refused)
        {
            return refused;
        }

        var stored = await store.GetRecordAsync(department, assetId, cancellationToken).ConfigureAwait(false);
        return stored is null
            ? RequestChecks.AssetNotFound(department, assetId)
            : ApiResult.Json(stored.Record);
    }

    public async Task<ApiResult> GetAssetHistoryAsync(HttpRequest request, string department, string assetId, CancellationToken cancellationToken)
    {
        if (RouteTable.GetAssetHistory.Admit(request, authorizer, department, assetId) is { } refused)
        {
            return refused;
        }

        var history = await store.GetHistoryAsync(department, assetId, cancellationToken).ConfigureAwait(false);
        return history.Count == 0
            ? RequestChecks.AssetNotFound(department, assetId)
            : ApiResult.Json(new AssetHistoryBody(department, assetId, history));
    }

    public async Task<ApiResult> GetRejectionsAsync(HttpRequest request, string department, CancellationToken cancellationToken)
    {
        if (RouteTable.GetRejections.Admit(request, authorizer, department) is { } refused)
        {
            return refused;
        }

        return await RejectionsAsync(request, department, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Invalid messages whose department could not be read (not JSON, no valid department code): only the central
    /// team may see them, since they could have come from anyone.
    /// </summary>
    public async Task<ApiResult> GetUnattributedRejectionsAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (RouteTable.GetUnattributedRejections.Admit(request, authorizer) is { } refused)
        {
            return refused;
        }

        return await RejectionsAsync(request, null, cancellationToken).ConfigureAwait(false);
    }

    private async Task<ApiResult> RejectionsAsync(HttpRequest request, string? department, CancellationToken cancellationToken)
    {
        // true or false, nothing else: includeBody=yes must not quietly answer without the bodies.
        var errors = new List<ValidationError>();
        var includeBody = new QueryReader(request.Query, errors).Flag("includeBody");
        if (errors.Count > 0)
        {
            return RequestChecks.InvalidQuery(errors);
        }

        var stored = await rejections.GetRejectionsAsync(department, cancellationToken).ConfigureAwait(false);
        // bodyLength as received; longer than the body only when a body past 3 million characters was cut to fit storage.
        return ApiResult.Json(new RejectionsBody(department, stored.Select(r =>
            new RejectionView(r.MessageId, r.EventId, r.ReceivedAt, r.Channel, r.Errors, r.BodyLength ?? r.Body.Length, includeBody ? r.Body : null))));
    }

    public ApiResult LookupVendor(HttpRequest request)
    {
        if (RouteTable.LookupVendor.Admit(request, authorizer) is { } refused)
        {
            return refused;
        }

        var query = new QueryReader(request.Query, []);
        var manufacturer = query.One("manufacturer") ?? "";
        var model = query.One("model") ?? "";
        var mac = query.One("mac") ?? "";
        if (string.IsNullOrWhiteSpace(manufacturer) && string.IsNullOrWhiteSpace(model) && string.IsNullOrWhiteSpace(mac))
        {
            return ApiResult.Problem(StatusCodes.Status400BadRequest, "missing-parameter", "Give at least one of manufacturer, model or mac.");
        }

        if (!string.IsNullOrWhiteSpace(mac) && !MacAddress.TryParse(mac, out _))
        {
            return ApiResult.Problem(StatusCodes.Status400BadRequest, "invalid-parameter", "mac is not a MAC address.", "Use AA:BB:CC:DD:EE:FF, aa-bb-cc-dd-ee-ff, aabb.ccdd.eeff or 12 hex digits.");
        }

        var identification = identifier.Identify(manufacturer, model, mac);
        // The MAC block's IEEE registrant only when the catalogue does not know the maker: a name, not an identification.
        return ApiResult.Json(new VendorLookupBody(identifier.Catalogue.Version, identification.Vendor is { } vendor ? VendorSnapshot.From(vendor) : null,
            identification.Evidence.Select(EvidenceSnapshot.From), identification.RelabelSuspected, identification.Vendor is null ? identification.UnlistedMacOrganisation : null));
    }
}
