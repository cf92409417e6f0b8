using System.Text.RegularExpressions;
using AssetCompliance.Api.Security;
using Microsoft.AspNetCore.Http;

namespace AssetCompliance.Api;

/// <summary>The key the Functions host asks for before the route runs (a second lock; App Service Authentication and the route's own rule are the first).</summary>
public enum HostKey
{
    /// <summary>No key: health and the OpenAPI document.</summary>
    Anonymous,

    /// <summary>A function key (<c>AuthorizationLevel.Function</c>).</summary>
    Function,

    /// <summary>
    /// No host key (<c>AuthorizationLevel.Anonymous</c>) for a read route the dashboard calls from the browser, which
    /// cannot hold a function key: App Service Authentication (required for every path but health, NetBox's webhooks
    /// and nothing else) and the route's own role check are its locks, and the app trusts the platform's principal only
    /// where the deployment turns both on together (<c>ComplianceAuth:TrustPlatformPrincipal</c>, docs/security.md).
    /// Writes and administrators' routes keep their keys.
    /// </summary>
    Browser,

    /// <summary>The host's master key (<c>AuthorizationLevel.Admin</c>): the administrators' sweeps and resets.</summary>
    Admin,
}

/// <summary>
/// Who may call a route. <see cref="Needs"/> null is anonymous. The department a department role is checked against
/// is the path's <c>{department}</c>; with <see cref="WithoutDepartment"/> set, it is the <c>department</c> query
/// parameter instead: <see cref="Needs"/> when it is given, <see cref="WithoutDepartment"/> when it is not.
/// </summary>
public sealed record AccessRule(Access? Needs, Access? WithoutDepartment = null)
{
    /// <summary>Anyone, signed in or not.</summary>
    public static AccessRule Anonymous { get; } = new((Access?)null);

    /// <summary>One access, for the path's department if the route has one.</summary>
    public static AccessRule Role(Access access) => new(access);

    /// <summary>An optional <c>?department=</c> filter decides: <paramref name="withDepartment"/> for it, <paramref name="estate"/> without it.</summary>
    public static AccessRule ByDepartmentFilter(Access withDepartment, Access estate) => new(withDepartment, estate);

    /// <summary>The access a request needs, given the department it names (the path's or the filter's; null or empty for none).</summary>
    public Access? For(string? department) => WithoutDepartment is { } estate && string.IsNullOrEmpty(department) ? estate : Needs;

    public override string ToString() => Needs is not { } needs ? "Anonymous" : WithoutDepartment is { } estate ? $"{needs} with department, else {estate}" : needs.ToString();
}

/// <summary>One answer a route gives: its status, what it means, the body's type and its media types.</summary>
/// <param name="Body">The serialised type (<see cref="Problem"/> for problems); null for a body that is not JSON (text/csv) or free-form.</param>
public sealed record ApiResponse(int Status, string Description, Type? Body, IReadOnlyList<string> MediaTypes)
{
    /// <summary>A JSON body of <typeparamref name="T"/>.</summary>
    public static ApiResponse Json<T>(int status, string description = "Success") => new(status, description, typeof(T), ["application/json"]);

    /// <summary>An RFC 9457 problem.</summary>
    public static ApiResponse Problem(int status, string description) => new(status, description, typeof(Api.Problem), ["application/problem+json"]);
}

/// <summary>A header a route reads or answers, for the OpenAPI document.</summary>
public sealed record ApiHeader(string Name, string Description)
{
    /// <summary>The entity tag of what the answer shows (quoted).</summary>
    public static ApiHeader ETag { get; } = new("ETag", "The plan's entity tag (strong, quoted): send it in If-Match to change only the plan you read.");

    /// <summary>A condition on the entity tag of what is stored.</summary>
    public static ApiHeader IfMatch { get; } = new("If-Match", "Optional: * or the ETag last read (quoted). The change applies only while the stored plan still has that tag; 412 otherwise (an asset event, the overdue sweep or another person changed it). Without it the change is unconditional.");
}

/// <summary>What a route reads from its body: a JSON type, or raw bytes of listed media types up to a size.</summary>
/// <param name="Json">The type the body is read as; null when it is not read by the serialiser (events, register files).</param>
/// <param name="Schema">For a body not read as a type: the components schema it is described by (AssetEvent), if any.</param>
public sealed record ApiRequestBody(Type? Json, IReadOnlyList<string> MediaTypes, string? Schema = null, int? MaxBytes = null);

/// <summary>
/// One HTTP route, declared once (<see cref="RouteTable"/>): the function app's triggers are checked against it by a
/// test, and the local run's routing, the access check and the OpenAPI document are derived from it.
/// </summary>
/// <param name="Method">Lower case, as OpenAPI writes it: get, post, delete.</param>
/// <param name="Route">The path template without the <c>api</c> prefix (an <see cref="ApiRoutes"/> constant, shared with the trigger).</param>
/// <param name="Function">The function's name and method name in the function app.</param>
/// <param name="Id">The OpenAPI operationId.</param>
/// <param name="Invoke">Runs the route's handler with the host's services; path parameters come from the request's route values.</param>
public sealed record ApiRoute(
    string Method,
    string Route,
    string Function,
    HostKey Key,
    AccessRule Access,
    string Id,
    string Summary,
    QueryParameter[] Query,
    ApiRequestBody? Body,
    ApiResponse[] Responses,
    Func<IServiceProvider, HttpRequest, CancellationToken, Task<ApiResult>> Invoke)
{
    /// <summary>The <c>{name}</c> parameters of the path, in order.</summary>
    /// <remarks>Read from <see cref="Route"/> each time (cached per template), so that a copy made with <c>with</c> has its own.</remarks>
    public IReadOnlyList<string> PathParameters => Templates.GetOrAdd(Route, static route => [.. Regex.Matches(route, @"\{(\w+)\}").Select(m => m.Groups[1].Value)]);

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string[]> Templates = new(StringComparer.Ordinal);

    /// <summary>Request headers the route reads (documented as header parameters); none unless set.</summary>
    public IReadOnlyList<ApiHeader> RequestHeaders { get; init; } = [];

    /// <summary>Headers every success answer of the route carries (documented on its 2xx responses); none unless set.</summary>
    public IReadOnlyList<ApiHeader> ResponseHeaders { get; init; } = [];

    /// <summary>
    /// What every route does before it reads anything else: marks the request with its route (middleware and tests
    /// read it back with <see cref="Of"/>), then, in this order, the route's access rule (401/403; skipped for
    /// anonymous and NetBox-signed routes), the path's department and asset id (400), and the query's shape (400:
    /// unknown, repeated one-value or empty parameters). A route whose access depends on its <c>department</c> filter
    /// checks the query's shape first, so that a repeated department is refused rather than read.
    /// </summary>
    /// <param name="principal">The caller, when the rule asked for one.</param>
    internal ApiResult? Admit(HttpRequest request, ComplianceAuthorizer? authorizer, string? department, string? assetId, out CompliancePrincipal? principal)
    {
        request.HttpContext.Items[typeof(ApiRoute)] = this;
        principal = null;
        if (Access.WithoutDepartment is not null)
        {
            if (RequestChecks.Parameters(request, Query) is { } shape)
            {
                return shape;
            }

            department = new QueryReader(request.Query, []).One("department") ?? "";
        }

        if (Access.For(department) is { } needs && needs != Security.Access.NetBoxSignature
            && (authorizer ?? throw new InvalidOperationException($"{Id} needs the authorizer")).Check(request, needs, string.IsNullOrEmpty(department) ? null : department, out principal) is { } denied)
        {
            return denied;
        }

        if (Access.WithoutDepartment is not null)
        {
            return null;
        }

        return PathParameters.Contains("department")
            ? RequestChecks.Identifiers(request, department!, PathParameters.Contains("assetId") ? assetId : null, Query)
            : RequestChecks.Parameters(request, Query);
    }

    /// <inheritdoc cref="Admit(HttpRequest, ComplianceAuthorizer?, string?, string?, out CompliancePrincipal?)"/>
    internal ApiResult? Admit(HttpRequest request, ComplianceAuthorizer? authorizer, string? department = null, string? assetId = null) =>
        Admit(request, authorizer, department, assetId, out _);

    /// <summary>The route a request was admitted by, or null when no route admitted it.</summary>
    public static ApiRoute? Of(HttpContext context) => context.Items.TryGetValue(typeof(ApiRoute), out var route) ? route as ApiRoute : null;
}
