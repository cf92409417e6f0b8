using AssetCompliance.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace AssetCompliance.Functions;

/// <summary>The HTTP routes. Each is one line into <see cref="ComplianceApi"/>; function keys stay on as a second lock.</summary>
public sealed class HttpFunctions(ComplianceApi api, StateApi state, AssetListApi assets, IngestionApi ingestion)
{
    [Function("Health")]
    public async Task<IActionResult> Health(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.Health)] HttpRequest request) =>
        await api.GetHealthAsync(request.HttpContext.RequestAborted);

    [Function("ListAssets")]
    public async Task<IActionResult> ListAssets(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ApiRoutes.Assets)] HttpRequest request, string department) =>
        await assets.ListAsync(request, department, request.HttpContext.RequestAborted);

    [Function("IngestAssetEventsHttp")]
    public async Task<IActionResult> IngestEvents(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = ApiRoutes.AssetEvents)] HttpRequest request, string department) =>
        await ingestion.IngestAsync(request, department, request.HttpContext.RequestAborted);

    [Function("OpenApiDocument")]
    public IActionResult OpenApiDocument(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.OpenApiDocument)] HttpRequest request) =>
        OpenApi.Serve(request);

    [Function("GetAsset")]
    public async Task<IActionResult> GetAsset(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ApiRoutes.Asset)] HttpRequest request, string department, string assetId) =>
        await api.GetAssetAsync(request, department, assetId, request.HttpContext.RequestAborted);

    [Function("GetAssetHistory")]
    public async Task<IActionResult> GetAssetHistory(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ApiRoutes.AssetHistory)] HttpRequest request, string department, string assetId) =>
        await api.GetAssetHistoryAsync(request, department, assetId, request.HttpContext.RequestAborted);

    [Function("GetRejections")]
    public async Task<IActionResult> GetRejections(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ApiRoutes.Rejections)] HttpRequest request, string department) =>
        await api.GetRejectionsAsync(request, department, request.HttpContext.RequestAborted);

    [Function("GetUnattributedRejections")]
    public async Task<IActionResult> GetUnattributedRejections(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ApiRoutes.UnattributedRejections)] HttpRequest request) =>
        await api.GetUnattributedRejectionsAsync(request, request.HttpContext.RequestAborted);

    [Function("LookupVendor")]
    public IActionResult LookupVendor(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ApiRoutes.VendorLookup)] HttpRequest request) =>
        api.LookupVendor(request);

    [Function("GetDepartmentSummary")]
    public async Task<IActionResult> GetDepartmentSummary(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ApiRoutes.DepartmentSummary)] HttpRequest request, string department) =>
        await state.GetDepartmentSummaryAsync(request, department, request.HttpContext.RequestAborted);

    [Function("GetEstateSummary")]
    public async Task<IActionResult> GetEstateSummary(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ApiRoutes.EstateSummary)] HttpRequest request) =>
        await state.GetEstateSummaryAsync(request, request.HttpContext.RequestAborted);

    [Function("GetExemptions")]
    public async Task<IActionResult> GetExemptions(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ApiRoutes.Exemptions)] HttpRequest request, string department, string assetId) =>
        await state.GetExemptionsAsync(request, department, assetId, request.HttpContext.RequestAborted);

    [Function("GrantExemption")]
    public async Task<IActionResult> GrantExemption(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = ApiRoutes.Exemptions)] HttpRequest request, string department, string assetId) =>
        await state.GrantExemptionAsync(request, department, assetId, request.HttpContext.RequestAborted);

    [Function("RevokeExemption")]
    public async Task<IActionResult> RevokeExemption(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = ApiRoutes.Exemptions)] HttpRequest request, string department, string assetId) =>
        await state.RevokeExemptionAsync(request, department, assetId, request.HttpContext.RequestAborted);

    [Function("GetAlerts")]
    public async Task<IActionResult> GetAlerts(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ApiRoutes.Alerts)] HttpRequest request) =>
        await state.GetAlertsAsync(request, request.HttpContext.RequestAborted);

    // The administrators' operations need both the host's master key (Admin level) and the Compliance.Admin role the
    // route itself checks: either alone is not enough.
    [Function("Reevaluate")]
    public async Task<IActionResult> Reevaluate(
        [HttpTrigger(AuthorizationLevel.Admin, "post", Route = ApiRoutes.Reevaluate)] HttpRequest request) =>
        await state.ReevaluateAsync(request, request.HttpContext.RequestAborted);

    [Function("ResetRevision")]
    public async Task<IActionResult> ResetRevision(
        [HttpTrigger(AuthorizationLevel.Admin, "post", Route = ApiRoutes.ResetRevision)] HttpRequest request, string department, string assetId) =>
        await state.ResetRevisionAsync(request, department, assetId, request.HttpContext.RequestAborted);

    [Function("RetryFailedAlerts")]
    public async Task<IActionResult> RetryFailedAlerts(
        [HttpTrigger(AuthorizationLevel.Admin, "post", Route = ApiRoutes.RetryFailedAlerts)] HttpRequest request) =>
        await state.RetryFailedAlertsAsync(request, request.HttpContext.RequestAborted);
}
