using AssetCompliance.Api.NetBox;
using AssetCompliance.Api.Security;
using AssetCompliance.Core.Processing;
using AssetCompliance.Core.State;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using static AssetCompliance.Api.ApiResponse;
using R = AssetCompliance.Api.ApiRoute;

namespace AssetCompliance.Api;

/// <summary>
/// Every HTTP route, once: method, path, host key, access rule, query parameters, bodies and answers per status, and
/// the OpenAPI operation. The routes' handlers admit requests by their entry (<see cref="ApiRoute.Admit(HttpRequest, ComplianceAuthorizer?, string?, string?, out CompliancePrincipal?)"/>),
/// the local run maps <see cref="All"/>, <see cref="OpenApi"/> is built from it, and a test compares the function
/// app's triggers (whose attributes must be constants) with it.
/// </summary>
public static class RouteTable
{
    private const string Success = "Success";
    private const string Invalid = "Problem details (RFC 9457)";
    private const string Unavailable = "Table Storage or Service Bus is unavailable: problem details (storage-unavailable, queue-unavailable) saying what was not done; retry after Retry-After";

    private static readonly ApiRequestBody SmallJson = new(null, ["application/json"], MaxBytes: JsonRequestBody.MaxBodyBytes);

    /// <summary>The problem answers of a route, with the generic description (503 with the outage one).</summary>
    private static ApiResponse[] Problems(params int[] statuses) => [.. statuses.Select(s => Problem(s, s == 503 ? Unavailable : Invalid))];

    private static string Department(HttpRequest r) => r.RouteValues["department"]?.ToString() ?? "";

    private static string AssetId(HttpRequest r) => r.RouteValues["assetId"]?.ToString() ?? "";

    private static T S<T>(IServiceProvider services) where T : notnull => services.GetRequiredService<T>();

    /// <summary><c>GET</c> <see cref="ApiRoutes.Health"/>.</summary>
    public static R Health { get; } = new("get", ApiRoutes.Health, "Health", HostKey.Anonymous, AccessRule.Anonymous, "health",
        "Health, versions and failed-alert count; 503 with the same body when storage does not answer. Anonymous.", [], null,
        [Json<HealthBody>(200), .. Problems(400), Problem(503, "Table Storage does not answer: a storage-unavailable problem with the health members (health unhealthy, versions, failedAlerts null: unknown); retry after Retry-After")],
        (s, r, t) => S<ComplianceApi>(s).GetHealthAsync(r, t));

    /// <summary><c>GET</c> <see cref="ApiRoutes.Assets"/>.</summary>
    public static R ListAssets { get; } = new("get", ApiRoutes.Assets, "ListAssets", HostKey.Browser, AccessRule.Role(Access.ReadDepartment), "listAssets",
        $"A department's devices, filtered and paged; CSV with Accept: text/csv or format=csv (the verdict, then what the register said: {string.Join(", ", ReportCsv.RegisteredColumns)}; a field starting = + - @, tab or CR gets a leading apostrophe). Values of one list parameter are alternatives (OR), different parameters all apply (AND).",
        AssetListApi.Parameters, null,
        [new(200, Success, typeof(AssetPage), ["application/json", "text/csv"]), .. Problems(400, 401, 403, 503)],
        (s, r, t) => S<AssetListApi>(s).ListAsync(r, Department(r), t));

    /// <summary><c>POST</c> <see cref="ApiRoutes.AssetEvents"/>.</summary>
    public static R IngestAssetEvents { get; } = new("post", ApiRoutes.AssetEvents, "IngestAssetEventsHttp", HostKey.Function, AccessRule.Role(Access.WriteDepartment), "ingestAssetEvents",
        "Send one CloudEvent, an array or a batch (max 500, 1 MB); validated all or nothing; a queue outage part way answers 503 listing what was enqueued (resending is safe). Network observations (asset.device.observed, contract v1.1, docs/schemas/asset-device-observed.v1.1.schema.json) are taken the same way.",
        [], new(null, ["application/json", "application/cloudevents-batch+json"], OpenApiSchemas.AssetEventBody, IngestionApi.MaxBodyBytes),
        [Json<EventsAccepted>(202), .. Problems(400, 401, 403, 413, 503)],
        (s, r, t) => S<IngestionApi>(s).IngestAsync(r, Department(r), t));

    /// <summary><c>POST</c> <see cref="ApiRoutes.Register"/>.</summary>
    public static R PostRegister { get; } = new("post", ApiRoutes.Register, "PostRegister", HostKey.Function, AccessRule.Role(Access.WriteDepartment), "postRegister",
        "Send a register file (CSV, JSON Lines or .xlsx, max 20 MiB), read as compliance check reads it: only new and changed devices are sent; sync=true also removes stored devices absent from it, within the guard. 202 (200 for dryRun) with counts and a line per device; 422 when rows were not read or not sent (the others were; no removal); 409 when the sync is refused whole.",
        RegisterApi.Parameters, new(null, RegisterApi.MediaTypes, MaxBytes: RegisterApi.MaxBodyBytes),
        [Json<RegisterAnswer>(200, "Dry run: what would be sent"), Json<RegisterAnswer>(202, "Sent"), .. Problems(400, 401, 403, 409, 413, 415, 422, 503)],
        (s, r, t) => S<RegisterApi>(s).PostAsync(r, Department(r), t));

    /// <summary><c>POST</c> <see cref="ApiRoutes.NetBoxWebhook"/>.</summary>
    public static R NetBoxWebhook { get; } = new("post", ApiRoutes.NetBoxWebhook, "NetBoxWebhook", HostKey.Function, AccessRule.Role(Access.NetBoxSignature), "receiveNetBoxWebhook",
        "A NetBox event-rule webhook (dcim.device, dcim.interface, dcim.macaddress; default body), signed in X-Hook-Signature with the department's secret: 202 events enqueued, 200 duplicate or ignored, 401 bad signature, 400 not a NetBox webhook and 422 a device the contract cannot carry (both recorded as rejections), 413 over 512 KiB.",
        [], new(null, ["application/json"], OpenApiSchemas.NetBoxWebhookBody, Core.NetBox.NetBoxReceiver.MaxBodyBytes),
        [Json<NetBoxAnswer>(200, "Duplicate or ignored"), Json<NetBoxAnswer>(202, "Enqueued"), .. Problems(400, 401, 413, 422, 503)],
        (s, r, t) => S<NetBoxApi>(s).ReceiveAsync(r, Department(r), t));

    /// <summary><c>GET</c> <see cref="ApiRoutes.Asset"/>.</summary>
    public static R GetAsset { get; } = new("get", ApiRoutes.Asset, "GetAsset", HostKey.Browser, AccessRule.Role(Access.ReadDepartment), "getAsset",
        "One device's compliance record.", [], null,
        [Json<ComplianceRecord>(200), .. Problems(400, 401, 403, 404, 503)],
        (s, r, t) => S<ComplianceApi>(s).GetAssetAsync(r, Department(r), AssetId(r), t));

    /// <summary><c>GET</c> <see cref="ApiRoutes.AssetHistory"/>.</summary>
    public static R GetAssetHistory { get; } = new("get", ApiRoutes.AssetHistory, "GetAssetHistory", HostKey.Browser, AccessRule.Role(Access.ReadDepartment), "getAssetHistory",
        "Every evaluation of a device, in order.", [], null,
        [Json<AssetHistoryBody>(200), .. Problems(400, 401, 403, 404, 503)],
        (s, r, t) => S<ComplianceApi>(s).GetAssetHistoryAsync(r, Department(r), AssetId(r), t));

    /// <summary><c>GET</c> <see cref="ApiRoutes.Exemptions"/>.</summary>
    public static R GetExemptions { get; } = new("get", ApiRoutes.Exemptions, "GetExemptions", HostKey.Browser, AccessRule.Role(Access.ReadDepartment), "getExemptions",
        "The exemption in force and its history.", [], null,
        [Json<ExemptionsBody>(200), .. Problems(400, 401, 403, 404, 503)],
        (s, r, t) => S<StateApi>(s).GetExemptionsAsync(r, Department(r), AssetId(r), t));

    /// <summary><c>POST</c> <see cref="ApiRoutes.Exemptions"/>.</summary>
    public static R RequestExemption { get; } = new("post", ApiRoutes.Exemptions, "RequestExemption", HostKey.Function, AccessRule.Role(Access.WriteDepartment), "requestExemption",
        "Request an exemption: reason, expiresAt (RFC 3339 with an offset, at most 12 months ahead), optional approver (whom you ask; informational) and requestId. Recorded as pendingExemption with the requester's name and object id; the status does not change until a different administrator approves it (an administrator's own request needs a second administrator too). 409 while another request is pending.",
        [], SmallJson with { Json = typeof(ExemptionRequest) },
        [Json<ComplianceRecord>(200, "Unchanged (the same request again)"), Json<ComplianceRecord>(202, "Requested: pending approval"), .. Problems(400, 401, 403, 404, 409, 413, 503)],
        (s, r, t) => S<StateApi>(s).RequestExemptionAsync(r, Department(r), AssetId(r), t));

    /// <summary><c>POST</c> <see cref="ApiRoutes.ExemptionApproval"/>.</summary>
    public static R ApproveExemption { get; } = new("post", ApiRoutes.ExemptionApproval, "ApproveExemption", HostKey.Function, AccessRule.Role(Access.Admin), "approveExemption",
        "Approve the pending exemption request (Compliance.Admin, and a different person from the requester by object id: 403 same-person otherwise). Optional requestId (must be the pending one) and preemptive: true, the explicit pre-emptive waiver a device the policy does not find NonCompliant, NeedsReview or Advisory needs (409 without it). Recorded in the history with both identities.",
        [], SmallJson with { Json = typeof(ExemptionDecision) },
        [Json<ComplianceRecord>(200, "Granted"), .. Problems(400, 401, 403, 404, 409, 413, 503)],
        (s, r, t) => S<StateApi>(s).ApproveExemptionAsync(r, Department(r), AssetId(r), t));

    /// <summary><c>POST</c> <see cref="ApiRoutes.ExemptionRefusal"/>.</summary>
    public static R RefuseExemption { get; } = new("post", ApiRoutes.ExemptionRefusal, "RefuseExemption", HostKey.Function, AccessRule.Role(Access.Admin), "refuseExemption",
        "Refuse the pending exemption request (Compliance.Admin): reason required, optional requestId (must be the pending one). Recorded in the history with who refused it.",
        [], SmallJson with { Json = typeof(ExemptionDecision) },
        [Json<ComplianceRecord>(200, "Refused"), .. Problems(400, 401, 403, 404, 409, 413, 503)],
        (s, r, t) => S<StateApi>(s).RefuseExemptionAsync(r, Department(r), AssetId(r), t));

    /// <summary><c>DELETE</c> <see cref="ApiRoutes.Exemptions"/>.</summary>
    public static R RevokeExemption { get; } = new("delete", ApiRoutes.Exemptions, "RevokeExemption", HostKey.Function, AccessRule.Role(Access.Admin), "revokeExemption",
        "Revoke the exemption.", [], null,
        [Json<ComplianceRecord>(200), .. Problems(400, 401, 403, 404, 409, 503)],
        (s, r, t) => S<StateApi>(s).RevokeExemptionAsync(r, Department(r), AssetId(r), t));

    /// <summary><c>GET</c> <see cref="ApiRoutes.Remediation"/>.</summary>
    public static R GetRemediation { get; } = new("get", ApiRoutes.Remediation, "GetRemediation", HostKey.Browser, AccessRule.Role(Access.ReadDepartment), "getRemediation",
        "The device's remediation plan, open or closed, with its entity tag in ETag (for If-Match); 404 when the device or the plan is absent.", [], null,
        [Json<RemediationBody>(200), .. Problems(400, 401, 403, 404, 503)],
        (s, r, t) => S<RemediationApi>(s).GetAsync(r, Department(r), AssetId(r), t))
    { ResponseHeaders = [ApiHeader.ETag] };

    /// <summary><c>PUT</c> <see cref="ApiRoutes.Remediation"/>.</summary>
    public static R PutRemediation { get; } = new("put", ApiRoutes.Remediation, "PutRemediation", HostKey.Function, AccessRule.Role(Access.WriteDepartment), "putRemediation",
        "Make or change the device's remediation plan (the department's role or Compliance.Admin): action replace|remove|relocate|disconnect, dueDate YYYY-MM-DD (UTC; not in the past, and at most the policy's remediation.maxDueDays for the device from the day the plan was made), owner (1-200 characters), state planned|ordered|done|cancelled, notes (at most 2000, or null); no other field. Only for a NonCompliant, NeedsReview or Advisory device (409 otherwise). planned -> ordered, done or cancelled; ordered -> done or cancelled; a done, cancelled or closed plan changes only with reopen=true. If-Match with the ETag read applies the change only to that plan (412 otherwise). The plan closes itself when the device is removed, becomes Compliant or leaves the core network; the overdue sweep marks it overdue after its due date. 201 made, 200 changed or unchanged; every change is a history entry.",
        RemediationApi.PutParameters, SmallJson with { Json = typeof(RemediationRequest) },
        [Json<RemediationBody>(200, "Changed, reopened or unchanged"), Json<RemediationBody>(201, "Made"), .. Problems(400, 401, 403, 404, 409, 412, 413, 422, 503)],
        (s, r, t) => S<RemediationApi>(s).PutAsync(r, Department(r), AssetId(r), t))
    { RequestHeaders = [ApiHeader.IfMatch], ResponseHeaders = [ApiHeader.ETag] };

    /// <summary><c>GET</c> <see cref="ApiRoutes.Rejections"/>.</summary>
    public static R GetRejections { get; } = new("get", ApiRoutes.Rejections, "GetRejections", HostKey.Function, AccessRule.Role(Access.ReadDepartment), "getRejections",
        "Invalid events of a department, with every error; bodies on request.", ComplianceApi.RejectionParameters, null,
        [Json<RejectionsBody>(200), .. Problems(400, 401, 403, 503)],
        (s, r, t) => S<ComplianceApi>(s).GetRejectionsAsync(r, Department(r), t));

    /// <summary><c>GET</c> <see cref="ApiRoutes.UnattributedRejections"/>.</summary>
    public static R GetUnattributedRejections { get; } = new("get", ApiRoutes.UnattributedRejections, "GetUnattributedRejections", HostKey.Function, AccessRule.Role(Access.ReadAll), "getUnattributedRejections",
        "Invalid messages whose department could not be read (central team).", ComplianceApi.RejectionParameters, null,
        [Json<RejectionsBody>(200), .. Problems(400, 401, 403, 503)],
        (s, r, t) => S<ComplianceApi>(s).GetUnattributedRejectionsAsync(r, t));

    /// <summary><c>GET</c> <see cref="ApiRoutes.DepartmentSummary"/>.</summary>
    public static R GetDepartmentSummary { get; } = new("get", ApiRoutes.DepartmentSummary, "GetDepartmentSummary", HostKey.Browser, AccessRule.Role(Access.ReadDepartment), "getDepartmentSummary",
        "Counts by status and severity and the oldest open NonCompliant device.", [], null,
        [Json<SummaryView>(200), .. Problems(400, 401, 403, 503)],
        (s, r, t) => S<StateApi>(s).GetDepartmentSummaryAsync(r, Department(r), t));

    /// <summary><c>GET</c> <see cref="ApiRoutes.EstateSummary"/>.</summary>
    public static R GetEstateSummary { get; } = new("get", ApiRoutes.EstateSummary, "GetEstateSummary", HostKey.Browser, AccessRule.Role(Access.ReadAll), "getEstateSummary",
        "Every department's summary and the total.", [], null,
        [Json<EstateSummaryBody>(200), .. Problems(400, 401, 403, 503)],
        (s, r, t) => S<StateApi>(s).GetEstateSummaryAsync(r, t));

    /// <summary><c>GET</c> <see cref="ApiRoutes.Alerts"/>.</summary>
    public static R GetAlerts { get; } = new("get", ApiRoutes.Alerts, "GetAlerts", HostKey.Function, AccessRule.ByDepartmentFilter(Access.ReadDepartment, Access.ReadAll), "getAlerts",
        "The alert outbox and delivery states (status=pending|sending|sent|failed, repeatable), optionally only transitions since a time. With department=, that department's role is enough; without it, every department's alerts need Compliance.ReadAll.",
        StateApi.AlertParameters, null,
        [Json<AlertsBody>(200), .. Problems(400, 401, 403, 503)],
        (s, r, t) => S<StateApi>(s).GetAlertsAsync(r, t));

    /// <summary><c>POST</c> <see cref="ApiRoutes.RetryFailedAlerts"/>.</summary>
    public static R RetryFailedAlerts { get; } = new("post", ApiRoutes.RetryFailedAlerts, "RetryFailedAlerts", HostKey.Admin, AccessRule.Role(Access.Admin), "retryFailedAlerts",
        "Put failed alerts back in the outbox (all departments, or department=), e.g. after fixing a webhook.", StateApi.RetryParameters, null,
        [Json<RetriedBody>(200), .. Problems(400, 401, 403, 503)],
        (s, r, t) => S<StateApi>(s).RetryFailedAlertsAsync(r, t));

    /// <summary><c>GET</c> <see cref="ApiRoutes.VendorLookup"/>.</summary>
    public static R LookupVendor { get; } = new("get", ApiRoutes.VendorLookup, "LookupVendor", HostKey.Function, AccessRule.Role(Access.SignedIn), "lookupVendor",
        "Identify a maker from manufacturer, model and MAC address.", ComplianceApi.LookupParameters, null,
        [Json<VendorLookupBody>(200), .. Problems(400, 401)],
        (s, r, t) => Task.FromResult(S<ComplianceApi>(s).LookupVendor(r)));

    /// <summary><c>POST</c> <see cref="ApiRoutes.ResetRevision"/>.</summary>
    public static R ResetRevision { get; } = new("post", ApiRoutes.ResetRevision, "ResetRevision", HostKey.Admin, AccessRule.Role(Access.Admin), "resetRevision",
        "Let the device's next event apply whatever its revision (a stuck or mistaken revision): reason required, optional requestId; recorded in the history with who did it.",
        [], SmallJson with { Json = typeof(RevisionResetRequest) },
        [Json<ComplianceRecord>(200), .. Problems(400, 401, 403, 404, 413, 503)],
        (s, r, t) => S<StateApi>(s).ResetRevisionAsync(r, Department(r), AssetId(r), t));

    /// <summary><c>POST</c> <see cref="ApiRoutes.Reevaluate"/>.</summary>
    public static R Reevaluate { get; } = new("post", ApiRoutes.Reevaluate, "Reevaluate", HostKey.Admin, AccessRule.Role(Access.Admin), "reevaluate",
        "Evaluate again devices not evaluated with the deployed catalogue and policy, for up to 60 s: 200 when none is left, 202 when the caller should ask again.", [], null,
        [Json<SweepReport>(200, "None is left"), Json<SweepReport>(202, "Ask again"), .. Problems(400, 401, 403, 503)],
        (s, r, t) => S<StateApi>(s).ReevaluateAsync(r, t));

    /// <summary><c>GET</c> <see cref="ApiRoutes.Audit"/>.</summary>
    public static R GetAudit { get; } = new("get", ApiRoutes.Audit, "GetAudit", HostKey.Function, AccessRule.ByDepartmentFilter(Access.ReadDepartment, Access.ReadAll), "getAudit",
        "Administrative actions with who did them (name and Entra object id) and their outcome: exemption approvals, refusals and revocations, revision resets, re-evaluations and alert retries, oldest first. With department=, that department's role is enough; without it, every action needs Compliance.ReadAll.",
        StateApi.AuditParameters, null,
        [Json<AuditBody>(200), .. Problems(400, 401, 403, 503)],
        (s, r, t) => S<StateApi>(s).GetAuditAsync(r, t));

    /// <summary><c>GET</c> <see cref="ApiRoutes.OpenApiDocument"/>.</summary>
    public static R OpenApiDocument { get; } = new("get", ApiRoutes.OpenApiDocument, "OpenApiDocument", HostKey.Anonymous, AccessRule.Anonymous, "openApi",
        "This document. Anonymous.", [], null,
        [new(200, "This OpenAPI 3.1 document", null, ["application/json"]), .. Problems(400)],
        (s, r, t) => Task.FromResult(Api.OpenApi.Serve(r)));

    /// <summary><c>GET</c> <see cref="ApiRoutes.DepartmentProgress"/>.</summary>
    public static R GetDepartmentProgress { get; } = new("get", ApiRoutes.DepartmentProgress, "GetDepartmentProgress", HostKey.Browser, AccessRule.Role(Access.ReadDepartment), "getDepartmentProgress",
        "Progress since the instruction date (24 November 2022), from maintained rows: devices, PRC-made ones (maker subject to the PRC National Intelligence Law, as the record's evaluation names it), those on sensitive sites and on core networks, and open items (NonCompliant) now; a monthly trend (each point the value at the month's end, the last point now); open items by age (whole days since they opened); plans by state and overdue plans.",
        [], null,
        [Json<DepartmentProgressBody>(200), .. Problems(400, 401, 403, 503)],
        (s, r, t) => S<ProgressApi>(s).GetDepartmentProgressAsync(r, Department(r), t));

    /// <summary><c>GET</c> <see cref="ApiRoutes.EstateProgress"/>.</summary>
    public static R GetEstateProgress { get; } = new("get", ApiRoutes.EstateProgress, "GetEstateProgress", HostKey.Browser, AccessRule.Role(Access.ReadAll), "getEstateProgress",
        "The estate's progress (every department's figures added up) and each department's, as GET /api/departments/{department}/progress answers it.", [], null,
        [Json<EstateProgressBody>(200), .. Problems(400, 401, 403, 503)],
        (s, r, t) => S<ProgressApi>(s).GetEstateProgressAsync(r, t));

    /// <summary><c>POST</c> <see cref="ApiRoutes.RebuildProgress"/>.</summary>
    public static R RebuildProgress { get; } = new("post", ApiRoutes.RebuildProgress, "RebuildProgress", HostKey.Admin, AccessRule.Role(Access.Admin), "rebuildProgress",
        "Rebuild the progress rows from every record's history (all departments, or department=), for a store that held records before the figures were maintained: reads every record and its history, then replaces the rows in one transaction per department, starting again if a change is committed meanwhile.",
        ProgressApi.RebuildParameters, null,
        [Json<ProgressRebuildBody>(200), .. Problems(400, 401, 403, 503)],
        (s, r, t) => S<ProgressApi>(s).RebuildProgressAsync(r, t));
    /// <summary><c>GET</c> <see cref="ApiRoutes.Dashboard"/>.</summary>
    /// <remarks>
    /// No host key (a browser's navigation cannot carry one); App Service Authentication is in front, as for every
    /// route, and the page holds no data: its figures come from the routes above, each with its own rule.
    /// </remarks>
    public static R DashboardPage { get; } = new("get", ApiRoutes.Dashboard, "Dashboard", HostKey.Anonymous, AccessRule.Role(Access.SignedIn), "dashboard",
        "The dashboard page (HTML, strict Content-Security-Policy). It reads the routes of this API in the browser with the caller's sign-in; it holds no data itself.", [], null,
        [new(200, "The page", null, ["text/html"]), .. Problems(400, 401)],
        (s, r, t) => Task.FromResult(S<Dashboard.DashboardApi>(s).Page(r)));

    /// <summary><c>GET</c> <see cref="ApiRoutes.DashboardSession"/>.</summary>
    public static R DashboardSession { get; } = new("get", ApiRoutes.DashboardSession, "DashboardSession", HostKey.Anonymous, AccessRule.Role(Access.SignedIn), "dashboardSession",
        "Who the caller is and which departments their roles name, for the dashboard to choose its first view. It grants nothing: every figure comes from a route that checks the roles.", [], null,
        [Json<Dashboard.DashboardSession>(200), .. Problems(400, 401)],
        (s, r, t) => Task.FromResult(S<Dashboard.DashboardApi>(s).Session(r)));

    /// <summary><c>GET</c> <see cref="ApiRoutes.DashboardAsset"/>.</summary>
    public static R DashboardAsset { get; } = new("get", ApiRoutes.DashboardAsset, "DashboardAsset", HostKey.Anonymous, AccessRule.Role(Access.SignedIn), "dashboardAsset",
        "A file of the dashboard (its script, style sheet, the pinned chart library and its licence), embedded in the app; 404 for any other name.", [], null,
        [new(200, "The file", null, ["text/javascript", "text/css", "text/plain"]), .. Problems(400, 401, 404)],
        (s, r, t) => Task.FromResult(S<Dashboard.DashboardApi>(s).Asset(r, r.RouteValues["file"]?.ToString() ?? "")));
    /// <summary><c>GET</c> <see cref="ApiRoutes.Observations"/>.</summary>
    public static R ListObservations { get; } = new("get", ApiRoutes.Observations, "ListObservations", HostKey.Function, AccessRule.Role(Access.ReadDepartment), "listObservations",
        "A department's devices by what their latest network observation (asset.device.observed) found: confirmed, contradicted, unregistered (a record of its own, asset id observed:MAC-or-IP), ambiguous (several registered devices matched; none guessed), or notSeen (registered and not observed within the not-seen window). What was seen, where (networks file subnet, segment, site), how it was matched and both makers; paged.",
        ObservationListApi.Parameters, null,
        [Json<ObservationPage>(200), .. Problems(400, 401, 403, 503)],
        (s, r, t) => S<ObservationListApi>(s).ListAsync(r, Department(r), t));

    /// <summary>Every route, in the document's order.</summary>
    public static IReadOnlyList<R> All { get; } =
    [
        Health, ListAssets, IngestAssetEvents, PostRegister, NetBoxWebhook, GetAsset, GetAssetHistory, GetExemptions, RequestExemption, ApproveExemption, RefuseExemption, RevokeExemption,
        GetRejections, GetUnattributedRejections, GetDepartmentSummary, GetEstateSummary, GetAlerts, RetryFailedAlerts, LookupVendor, ResetRevision,
        Reevaluate, GetAudit, OpenApiDocument,
        GetDepartmentProgress, GetEstateProgress, RebuildProgress,
        GetRemediation, PutRemediation,
        DashboardPage, DashboardSession, DashboardAsset,
        ListObservations,
    ];
}
