using Microsoft.Extensions.DependencyInjection;
using AssetCompliance.Api;
using AssetCompliance.Api.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace AssetCompliance.Cli;

/// <summary>The function app's HTTP routes on the local web server: one line per route into <see cref="ComplianceApi"/>.</summary>
internal static class LocalRoutes
{
    /// <summary>
    /// Maps the routes behind a stand-in for App Service Authentication: a request that carries no
    /// X-MS-CLIENT-PRINCIPAL is given the developer's principal with <paramref name="defaultRoles"/>; one that carries
    /// it (to try another role) keeps it. The server listens on loopback only.
    /// </summary>
    public static void Map(WebApplication app, IReadOnlyList<string> defaultRoles)
    {
        var developer = CompliancePrincipal.Encode(Environment.UserName, [.. defaultRoles]);
        app.Use((context, next) =>
        {
            if (!context.Request.Headers.ContainsKey(CompliancePrincipal.HeaderName))
            {
                context.Request.Headers[CompliancePrincipal.HeaderName] = developer;
            }

            return next(context);
        });
        var api = app.Services.GetRequiredService<ComplianceApi>();
        var group = app.MapGroup("/" + ApiRoutes.Prefix);
        group.MapGet(ApiRoutes.OpenApiDocument, (HttpRequest r) => OpenApi.Serve(r));
        group.MapGet(ApiRoutes.Health, (HttpRequest r) => api.GetHealthAsync(r.HttpContext.RequestAborted));
        group.MapGet(ApiRoutes.Asset, (HttpRequest r, string department, string assetId) => api.GetAssetAsync(r, department, assetId, r.HttpContext.RequestAborted));
        group.MapGet(ApiRoutes.AssetHistory, (HttpRequest r, string department, string assetId) => api.GetAssetHistoryAsync(r, department, assetId, r.HttpContext.RequestAborted));
        group.MapGet(ApiRoutes.Rejections, (HttpRequest r, string department) => api.GetRejectionsAsync(r, department, r.HttpContext.RequestAborted));
        group.MapGet(ApiRoutes.UnattributedRejections, (HttpRequest r) => api.GetUnattributedRejectionsAsync(r, r.HttpContext.RequestAborted));
        group.MapGet(ApiRoutes.VendorLookup, (HttpRequest r) => api.LookupVendor(r));
        var state = app.Services.GetRequiredService<StateApi>();
        var assets = app.Services.GetRequiredService<AssetListApi>();
        var ingestion = app.Services.GetRequiredService<IngestionApi>();
        group.MapPost(ApiRoutes.AssetEvents, (HttpRequest r, string department) => ingestion.IngestAsync(r, department, r.HttpContext.RequestAborted));
        group.MapGet(ApiRoutes.Assets, (HttpRequest r, string department) => assets.ListAsync(r, department, r.HttpContext.RequestAborted));
        group.MapGet(ApiRoutes.DepartmentSummary, (HttpRequest r, string department) => state.GetDepartmentSummaryAsync(r, department, r.HttpContext.RequestAborted));
        group.MapGet(ApiRoutes.EstateSummary, (HttpRequest r) => state.GetEstateSummaryAsync(r, r.HttpContext.RequestAborted));
        group.MapGet(ApiRoutes.Exemptions, (HttpRequest r, string department, string assetId) => state.GetExemptionsAsync(r, department, assetId, r.HttpContext.RequestAborted));
        group.MapPost(ApiRoutes.Exemptions, (HttpRequest r, string department, string assetId) => state.GrantExemptionAsync(r, department, assetId, r.HttpContext.RequestAborted));
        group.MapDelete(ApiRoutes.Exemptions, (HttpRequest r, string department, string assetId) => state.RevokeExemptionAsync(r, department, assetId, r.HttpContext.RequestAborted));
        group.MapGet(ApiRoutes.Alerts, (HttpRequest r) => state.GetAlertsAsync(r, r.HttpContext.RequestAborted));
        group.MapPost(ApiRoutes.RetryFailedAlerts, (HttpRequest r) => state.RetryFailedAlertsAsync(r, r.HttpContext.RequestAborted));
        group.MapPost(ApiRoutes.ResetRevision, (HttpRequest r, string department, string assetId) => state.ResetRevisionAsync(r, department, assetId, r.HttpContext.RequestAborted));
        group.MapPost(ApiRoutes.Reevaluate, (HttpRequest r) => state.ReevaluateAsync(r, r.HttpContext.RequestAborted));
    }
}
