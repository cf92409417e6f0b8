using AssetCompliance.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace AssetCompliance.Functions;

/// <summary>The HTTP routes. Each is one line into <see cref="ComplianceApi"/>; function keys stay on as a second lock.</summary>
public sealed class HttpFunctions(ComplianceApi api)
{
    [Function("Health")]
    public async Task<IActionResult> Health(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.Health)] HttpRequest request) =>
        await api.GetHealthAsync(request.HttpContext.RequestAborted);

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

    [Function("LookupVendor")]
    public IActionResult LookupVendor(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ApiRoutes.VendorLookup)] HttpRequest request) =>
        api.LookupVendor(request);
}
