using Microsoft.Extensions.DependencyInjection;
using AssetCompliance.Api;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace AssetCompliance.Cli;

/// <summary>The function app's HTTP routes on the local web server: one line per route into <see cref="ComplianceApi"/>.</summary>
internal static class LocalRoutes
{
    public static void Map(WebApplication app)
    {
        var api = app.Services.GetRequiredService<ComplianceApi>();
        var group = app.MapGroup("/" + ApiRoutes.Prefix);
        group.MapGet(ApiRoutes.Health, (HttpRequest r) => api.GetHealthAsync(r.HttpContext.RequestAborted));
        group.MapGet(ApiRoutes.Asset, (HttpRequest r, string department, string assetId) => api.GetAssetAsync(r, department, assetId, r.HttpContext.RequestAborted));
        group.MapGet(ApiRoutes.AssetHistory, (HttpRequest r, string department, string assetId) => api.GetAssetHistoryAsync(r, department, assetId, r.HttpContext.RequestAborted));
        group.MapGet(ApiRoutes.Rejections, (HttpRequest r, string department) => api.GetRejectionsAsync(r, department, r.HttpContext.RequestAborted));
        group.MapGet(ApiRoutes.VendorLookup, (HttpRequest r) => api.LookupVendor(r));
    }
}
