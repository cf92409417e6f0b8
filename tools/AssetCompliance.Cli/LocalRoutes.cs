using Microsoft.Extensions.DependencyInjection;
using AssetCompliance.Api;
using AssetCompliance.Api.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace AssetCompliance.Cli;

/// <summary>
/// The function app's HTTP routes on the local web server: one line per route into the route handlers through
/// <see cref="ApiHandler"/>, exactly as the function class does.
/// </summary>
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
        var handler = app.Services.GetRequiredService<ApiHandler>();
        var api = app.Services.GetRequiredService<ComplianceApi>();
        var group = app.MapGroup("/" + ApiRoutes.Prefix);
        group.MapGet(ApiRoutes.OpenApiDocument, (HttpRequest r) => OpenApi.Serve(r));
        group.MapGet(ApiRoutes.Health, (HttpRequest r) => handler.RunAsync(r, t => api.GetHealthAsync(r, t)));
        group.MapGet(ApiRoutes.Asset, (HttpRequest r, string department, string assetId) => handler.RunAsync(r, t => api.GetAssetAsync(r, department, assetId, t)));
        group.MapGet(ApiRoutes.AssetHistory, (HttpRequest r, string department, string assetId) => handler.RunAsync(r, t => api.GetAssetHistoryAsync(r, department, assetId, t)));
        group.MapGet(ApiRoutes.Rejections, (HttpRequest r, string department) => handler.RunAsync(r, t => api.GetRejectionsAsync(r, department, t)));
        group.MapGet(ApiRoutes.UnattributedRejections, (HttpRequest r) => handler.RunAsync(r, t => api.GetUnattributedRejectionsAsync(r, t)));
        group.MapGet(ApiRoutes.VendorLookup, (HttpRequest r) => api.LookupVendor(r));
        var state = app.Services.GetRequiredService<StateApi>();
        var assets = app.Services.GetRequiredService<AssetListApi>();
        var ingestion = app.Services.GetRequiredService<IngestionApi>();
        group.MapPost(ApiRoutes.AssetEvents, (HttpRequest r, string department) => handler.RunAsync(r, t => ingestion.IngestAsync(r, department, t)));
        var register = app.Services.GetRequiredService<RegisterApi>();
        group.MapPost(ApiRoutes.Register, (HttpRequest r, string department) => handler.RunAsync(r, t => register.PostAsync(r, department, t)));
        var netBox = app.Services.GetRequiredService<AssetCompliance.Api.NetBox.NetBoxApi>();
        group.MapPost(ApiRoutes.NetBoxWebhook, (HttpRequest r, string department) => handler.RunAsync(r, t => netBox.ReceiveAsync(r, department, t)));
        group.MapGet(ApiRoutes.Assets, (HttpRequest r, string department) => handler.RunAsync(r, t => assets.ListAsync(r, department, t)));
        group.MapGet(ApiRoutes.DepartmentSummary, (HttpRequest r, string department) => handler.RunAsync(r, t => state.GetDepartmentSummaryAsync(r, department, t)));
        group.MapGet(ApiRoutes.EstateSummary, (HttpRequest r) => handler.RunAsync(r, t => state.GetEstateSummaryAsync(r, t)));
        group.MapGet(ApiRoutes.Exemptions, (HttpRequest r, string department, string assetId) => handler.RunAsync(r, t => state.GetExemptionsAsync(r, department, assetId, t)));
        group.MapPost(ApiRoutes.Exemptions, (HttpRequest r, string department, string assetId) => handler.RunAsync(r, t => state.GrantExemptionAsync(r, department, assetId, t)));
        group.MapDelete(ApiRoutes.Exemptions, (HttpRequest r, string department, string assetId) => handler.RunAsync(r, t => state.RevokeExemptionAsync(r, department, assetId, t)));
        group.MapGet(ApiRoutes.Alerts, (HttpRequest r) => handler.RunAsync(r, t => state.GetAlertsAsync(r, t)));
        group.MapPost(ApiRoutes.RetryFailedAlerts, (HttpRequest r) => handler.RunAsync(r, t => state.RetryFailedAlertsAsync(r, t)));
        group.MapPost(ApiRoutes.ResetRevision, (HttpRequest r, string department, string assetId) => handler.RunAsync(r, t => state.ResetRevisionAsync(r, department, assetId, t)));
        group.MapPost(ApiRoutes.Reevaluate, (HttpRequest r) => handler.RunAsync(r, t => state.ReevaluateAsync(r, t)));
    }
}
