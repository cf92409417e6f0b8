using Microsoft.Extensions.DependencyInjection;
using AssetCompliance.Api;
using AssetCompliance.Api.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace AssetCompliance.Cli;

/// <summary>
/// The function app's HTTP routes on the local web server: every route of <see cref="RouteTable"/>, run through
/// <see cref="ApiHandler"/> into the same handler the function class calls.
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
        // http://127.0.0.1:7071/ opens the dashboard, which the function app serves under its route prefix. A redirect
        // rather than an endpoint: the endpoints are exactly the route table's.
        app.Use((context, next) =>
        {
            if (context.Request.Path == "/" && HttpMethods.IsGet(context.Request.Method))
            {
                context.Response.Redirect("/" + ApiRoutes.Prefix + "/" + ApiRoutes.Dashboard);
                return Task.CompletedTask;
            }

            return next(context);
        });
        var handler = app.Services.GetRequiredService<ApiHandler>();
        var group = app.MapGroup("/" + ApiRoutes.Prefix);
        foreach (var route in RouteTable.All)
        {
            // Path parameters reach the handler as route values, as the function app's bindings pass them.
            group.MapMethods(route.Route, [route.Method.ToUpperInvariant()], (HttpRequest r) => handler.RunAsync(r, t => route.Invoke(r.HttpContext.RequestServices, r, t)))
                .WithName(route.Function);
        }
    }
}
