using AssetCompliance.Api;
using AssetCompliance.Api.Dashboard;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace AssetCompliance.Functions;

/// <summary>
/// The dashboard page and its files (<see cref="DashboardApi"/>), under the <c>api</c> route prefix. No function key:
/// a browser's navigation cannot send one. App Service Authentication is in front of these paths as of every route
/// (they are not among its excluded paths), and the page holds no data.
/// </summary>
public sealed class DashboardFunctions(DashboardApi dashboard)
{
    [Function("Dashboard")]
    public IActionResult Dashboard(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.Dashboard)] HttpRequest request) =>
        dashboard.Page(request);

    [Function("DashboardSession")]
    public IActionResult DashboardSession(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.DashboardSession)] HttpRequest request) =>
        dashboard.Session(request);

    [Function("DashboardAsset")]
    public IActionResult DashboardAsset(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.DashboardAsset)] HttpRequest request, string file) =>
        dashboard.Asset(request, file);
}
