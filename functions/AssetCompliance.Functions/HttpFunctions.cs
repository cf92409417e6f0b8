using AssetCompliance.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace AssetCompliance.Functions;

/// <summary>
/// The HTTP routes. Each is one line into the route handlers through <see cref="ApiHandler"/> (which answers outages
/// with 503); function keys stay on as a second lock.
/// </summary>
public sealed class HttpFunctions(ApiHandler handler, ComplianceApi api, StateApi state, AssetListApi assets, IngestionApi ingestion, RegisterApi register, ProgressApi progress, RemediationApi remediation)
{
    [Function("GetDepartmentProgress")]
    public async Task<IActionResult> GetDepartmentProgress(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.DepartmentProgress)] HttpRequest request, string department) =>
        await handler.RunAsync(request, t => progress.GetDepartmentProgressAsync(request, department, t));

    [Function("GetEstateProgress")]
    public async Task<IActionResult> GetEstateProgress(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.EstateProgress)] HttpRequest request) =>
        await handler.RunAsync(request, t => progress.GetEstateProgressAsync(request, t));

    [Function("RebuildProgress")]
    public async Task<IActionResult> RebuildProgress(
        [HttpTrigger(AuthorizationLevel.Admin, "post", Route = ApiRoutes.RebuildProgress)] HttpRequest request) =>
        await handler.RunAsync(request, t => progress.RebuildProgressAsync(request, t));
    [Function("GetRemediation")]
    public async Task<IActionResult> GetRemediation(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.Remediation)] HttpRequest request, string department, string assetId) =>
        await handler.RunAsync(request, t => remediation.GetAsync(request, department, assetId, t));

    [Function("PutRemediation")]
    public async Task<IActionResult> PutRemediation(
        [HttpTrigger(AuthorizationLevel.Function, "put", Route = ApiRoutes.Remediation)] HttpRequest request, string department, string assetId) =>
        await handler.RunAsync(request, t => remediation.PutAsync(request, department, assetId, t));

    [Function("Health")]
    public async Task<IActionResult> Health(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.Health)] HttpRequest request) =>
        await handler.RunAsync(request, t => api.GetHealthAsync(request, t));

    [Function("ListAssets")]
    public async Task<IActionResult> ListAssets(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.Assets)] HttpRequest request, string department) =>
        await handler.RunAsync(request, t => assets.ListAsync(request, department, t));

    [Function("IngestAssetEventsHttp")]
    public async Task<IActionResult> IngestAssetEventsHttp(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = ApiRoutes.AssetEvents)] HttpRequest request, string department) =>
        await handler.RunAsync(request, t => ingestion.IngestAsync(request, department, t));

    [Function("PostRegister")]
    public async Task<IActionResult> PostRegister(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = ApiRoutes.Register)] HttpRequest request, string department) =>
        await handler.RunAsync(request, t => register.PostAsync(request, department, t));

    [Function("OpenApiDocument")]
    public IActionResult OpenApiDocument(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.OpenApiDocument)] HttpRequest request) =>
        OpenApi.Serve(request);

    [Function("GetAsset")]
    public async Task<IActionResult> GetAsset(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.Asset)] HttpRequest request, string department, string assetId) =>
        await handler.RunAsync(request, t => api.GetAssetAsync(request, department, assetId, t));

    [Function("GetAssetHistory")]
    public async Task<IActionResult> GetAssetHistory(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.AssetHistory)] HttpRequest request, string department, string assetId) =>
        await handler.RunAsync(request, t => api.GetAssetHistoryAsync(request, department, assetId, t));

    [Function("GetRejections")]
    public async Task<IActionResult> GetRejections(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ApiRoutes.Rejections)] HttpRequest request, string department) =>
        await handler.RunAsync(request, t => api.GetRejectionsAsync(request, department, t));

    [Function("GetUnattributedRejections")]
    public async Task<IActionResult> GetUnattributedRejections(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ApiRoutes.UnattributedRejections)] HttpRequest request) =>
        await handler.RunAsync(request, t => api.GetUnattributedRejectionsAsync(request, t));

    [Function("LookupVendor")]
    public IActionResult LookupVendor(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ApiRoutes.VendorLookup)] HttpRequest request) =>
        api.LookupVendor(request);

    [Function("GetDepartmentSummary")]
    public async Task<IActionResult> GetDepartmentSummary(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.DepartmentSummary)] HttpRequest request, string department) =>
        await handler.RunAsync(request, t => state.GetDepartmentSummaryAsync(request, department, t));

    [Function("GetEstateSummary")]
    public async Task<IActionResult> GetEstateSummary(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.EstateSummary)] HttpRequest request) =>
        await handler.RunAsync(request, t => state.GetEstateSummaryAsync(request, t));

    [Function("GetExemptions")]
    public async Task<IActionResult> GetExemptions(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.Exemptions)] HttpRequest request, string department, string assetId) =>
        await handler.RunAsync(request, t => state.GetExemptionsAsync(request, department, assetId, t));

    [Function("GetAudit")]
    public async Task<IActionResult> GetAudit(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ApiRoutes.Audit)] HttpRequest request) =>
        await handler.RunAsync(request, t => state.GetAuditAsync(request, t));

    [Function("RequestExemption")]
    public async Task<IActionResult> RequestExemption(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = ApiRoutes.Exemptions)] HttpRequest request, string department, string assetId) =>
        await handler.RunAsync(request, t => state.RequestExemptionAsync(request, department, assetId, t));

    [Function("ApproveExemption")]
    public async Task<IActionResult> ApproveExemption(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = ApiRoutes.ExemptionApproval)] HttpRequest request, string department, string assetId) =>
        await handler.RunAsync(request, t => state.ApproveExemptionAsync(request, department, assetId, t));

    [Function("RefuseExemption")]
    public async Task<IActionResult> RefuseExemption(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = ApiRoutes.ExemptionRefusal)] HttpRequest request, string department, string assetId) =>
        await handler.RunAsync(request, t => state.RefuseExemptionAsync(request, department, assetId, t));

    [Function("RevokeExemption")]
    public async Task<IActionResult> RevokeExemption(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = ApiRoutes.Exemptions)] HttpRequest request, string department, string assetId) =>
        await handler.RunAsync(request, t => state.RevokeExemptionAsync(request, department, assetId, t));

    [Function("GetAlerts")]
    public async Task<IActionResult> GetAlerts(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ApiRoutes.Alerts)] HttpRequest request) =>
        await handler.RunAsync(request, t => state.GetAlertsAsync(request, t));

    // The administrators' operations need both the host's master key (Admin level) and the Compliance.Admin role the
    // route itself checks: either alone is not enough.
    [Function("Reevaluate")]
    public async Task<IActionResult> Reevaluate(
        [HttpTrigger(AuthorizationLevel.Admin, "post", Route = ApiRoutes.Reevaluate)] HttpRequest request) =>
        await handler.RunAsync(request, t => state.ReevaluateAsync(request, t));

    [Function("ResetRevision")]
    public async Task<IActionResult> ResetRevision(
        [HttpTrigger(AuthorizationLevel.Admin, "post", Route = ApiRoutes.ResetRevision)] HttpRequest request, string department, string assetId) =>
        await handler.RunAsync(request, t => state.ResetRevisionAsync(request, department, assetId, t));

    [Function("RetryFailedAlerts")]
    public async Task<IActionResult> RetryFailedAlerts(
        [HttpTrigger(AuthorizationLevel.Admin, "post", Route = ApiRoutes.RetryFailedAlerts)] HttpRequest request) =>
        await handler.RunAsync(request, t => state.RetryFailedAlertsAsync(request, t));
}
