using System.Reflection;
using AssetCompliance.Api.Security;
using Microsoft.AspNetCore.Http;

namespace AssetCompliance.Api.Dashboard;

/// <summary>
/// The dashboard page (docs/dashboard.md): <c>GET /api/dashboard</c> (the page), <c>GET /api/dashboard/session</c>
/// (who the caller is, so that the page knows which view to open) and <c>GET /api/dashboard/assets/{file}</c> (its
/// script, style sheet and the pinned chart library), all embedded in this assembly. The page holds no data: it reads
/// the API in the browser with the caller's own sign-in, and the API's access rules decide what it may see.
/// </summary>
/// <remarks>
/// Served under the <c>api</c> route prefix (host.json) rather than at the site's root, so that App Service
/// Authentication and the Functions host treat it as every other route, and the prefix that the function app's other
/// routes depend on stays as it is. Every answer carries a strict Content-Security-Policy: scripts, styles, images and
/// requests from this origin only, no inline script or style, no framing.
/// </remarks>
public sealed class DashboardApi(ComplianceAuthorizer authorizer)
{
    /// <summary>The policy every dashboard answer carries: nothing from elsewhere, nothing inline, never framed.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; " +
        "object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private const string ResourcePrefix = "AssetCompliance.Dashboard.";

    /// <summary>The files <c>assets/{file}</c> serves, by name, with their media types; any other name is 404.</summary>
    internal static readonly IReadOnlyDictionary<string, string> Files = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["dashboard.js"] = "text/javascript; charset=utf-8",
        ["dashboard.css"] = "text/css; charset=utf-8",
        ["uPlot.iife.min.js"] = "text/javascript; charset=utf-8",
        ["uPlot.min.css"] = "text/css; charset=utf-8",
        ["uPlot.LICENSE.txt"] = "text/plain; charset=utf-8",
    };

    private static readonly Lazy<IReadOnlyDictionary<string, byte[]>> Contents = new(() =>
        Files.Keys.Append("index.html").ToDictionary(name => name, Read, StringComparer.Ordinal));

    /// <summary><c>GET /api/dashboard</c>: the page, for any signed-in caller.</summary>
    public ApiResult Page(HttpRequest request) =>
        RouteTable.DashboardPage.Admit(request, authorizer) ?? ApiResult.File("text/html; charset=utf-8", Contents.Value["index.html"], ContentSecurityPolicy);

    /// <summary><c>GET /api/dashboard/assets/{file}</c>: one of <see cref="Files"/>; 404 for any other name.</summary>
    public ApiResult Asset(HttpRequest request, string file)
    {
        if (RouteTable.DashboardAsset.Admit(request, authorizer) is { } refused)
        {
            return refused;
        }

        return Files.TryGetValue(file, out var mediaType)
            ? ApiResult.File(mediaType, Contents.Value[file], ContentSecurityPolicy)
            : ApiResult.Problem(StatusCodes.Status404NotFound, "not-found", "The dashboard has no such file.");
    }

    /// <summary>
    /// <c>GET /api/dashboard/session</c>: the caller's name and what the roles let them read, which the page uses to
    /// choose its first view. It grants nothing: each figure the page shows comes from a route that checks the roles.
    /// </summary>
    public ApiResult Session(HttpRequest request)
    {
        if (RouteTable.DashboardSession.Admit(request, authorizer, null, null, out var principal) is { } refused)
        {
            return refused;
        }

        return ApiResult.Json(new DashboardSession(principal!.Name, principal.CanReadAll, principal.IsAdmin, [.. principal.Departments.Order(StringComparer.Ordinal)]));
    }

    private static byte[] Read(string name)
    {
        using var stream = typeof(DashboardApi).Assembly.GetManifestResourceStream(ResourcePrefix + name)
            ?? throw new InvalidOperationException($"The dashboard resource {name} is not embedded in {typeof(DashboardApi).Assembly.GetName().Name}.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}

/// <summary>
/// <c>GET /api/dashboard/session</c> 200: the caller as the page greets them, whether they may read every department
/// (<c>Compliance.ReadAll</c> or <c>Compliance.Admin</c>), and the departments they have a role for.
/// </summary>
public sealed record DashboardSession(string Name, bool ReadAll, bool Admin, IReadOnlyList<string> Departments);
