namespace AssetCompliance.Api;

/// <summary>
/// Route templates without the "api" prefix: constants, because the function app's <c>[HttpTrigger]</c> attributes need
/// them; <see cref="RouteTable"/> declares each route with its template, and a test holds the triggers to the table.
/// </summary>
public static class ApiRoutes
{
    public const string Prefix = "api";
    public const string Health = "health";
    public const string Assets = "departments/{department}/assets";
    public const string AssetEvents = "departments/{department}/asset-events";
    public const string Register = "departments/{department}/register";
    public const string NetBoxWebhook = "departments/{department}/netbox";
    public const string Asset = "departments/{department}/assets/{assetId}";
    public const string AssetHistory = "departments/{department}/assets/{assetId}/history";
    public const string Rejections = "departments/{department}/rejections";
    public const string UnattributedRejections = "rejections/unattributed";
    public const string VendorLookup = "vendors/lookup";
    public const string DepartmentSummary = "departments/{department}/summary";
    public const string EstateSummary = "summary";
    public const string Exemptions = "departments/{department}/assets/{assetId}/exemptions";
    public const string ExemptionApproval = "departments/{department}/assets/{assetId}/exemptions/approve";
    public const string ExemptionRefusal = "departments/{department}/assets/{assetId}/exemptions/refuse";
    public const string Remediation = "departments/{department}/assets/{assetId}/remediation";
    public const string Reevaluate = "admin/reevaluate";
    public const string Alerts = "alerts";
    public const string RetryFailedAlerts = "admin/alerts/retry";
    public const string ResetRevision = "admin/departments/{department}/assets/{assetId}/reset-revision";
    public const string Audit = "audit";
    public const string OpenApiDocument = "openapi.json";
    public const string DepartmentProgress = "departments/{department}/progress";
    public const string EstateProgress = "progress";
    public const string RebuildProgress = "admin/progress/rebuild";
    public const string Dashboard = "dashboard";
    public const string DashboardSession = "dashboard/session";
    public const string DashboardAsset = "dashboard/assets/{file}";
    public const string Observations = "departments/{department}/observations";
}
