using System.Reflection;
using System.Text.Json.Nodes;
using AssetCompliance.Api;
using AssetCompliance.Api.Security;
using AssetCompliance.Cli;
using AssetCompliance.Functions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AssetCompliance.Integration.Tests;

/// <summary>
/// <see cref="RouteTable"/> is the one declaration of each route; what is not derived from it is compared with it here.
/// Four places are read as they really are: the function app's <c>[HttpTrigger]</c> attributes (constants, so read by
/// reflection), the local run's mapped endpoints, the authoriser's decisions (each route called as each kind of caller)
/// and the served OpenAPI document. <see cref="Drift"/> lists every difference in method, path, host key, access rule
/// or parameter name and type; it is also run on altered copies of the table, to show that it sees each kind.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class RouteTableTests(AzuriteFixture azurite)
{
    /// <summary>A route as one place states it; <c>Access</c> is null where that place does not state one.</summary>
    internal sealed record Declared(string Where, string Method, string Path, string? Key, string? Access, string[] Parameters);

    private static string Type(QueryParameter p) => p.Repeatable ? $"array<{p.Type}>" : p.Type;

    /// <summary>What the table says each place should state.</summary>
    private static string[] Parameters(ApiRoute route, bool query) =>
        [.. route.PathParameters.Select(p => $"{p}:path:string"), .. query ? route.Query.Select(p => $"{p.Name}:query:{Type(p)}") : [],
            .. query ? route.RequestHeaders.Select(h => $"{h.Name}:header:string") : []];

    // ---- the four places, as they are -------------------------------------------------------------------------

    /// <summary>The function app's triggers, by function name: verbs, route, key level and the bound path parameters.</summary>
    internal static Dictionary<string, Declared> Triggers() =>
        FunctionClasses.Methods()
            .Select(m => (Method: m, Trigger: m.GetParameters().Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).OfType<HttpTriggerAttribute>().SingleOrDefault()))
            .Where(t => t.Trigger is not null)
            .ToDictionary(t => t.Method.Name, t => new Declared("trigger", string.Join(",", t.Trigger!.Methods ?? []), t.Trigger.Route ?? "",
                t.Trigger.AuthLevel.ToString(), null,
                [.. t.Method.GetParameters().Where(p => p.ParameterType == typeof(string)).Select(p => $"{p.Name}:path:string")]));

    /// <summary>The local run's endpoints, by endpoint name (the function name), as LocalRoutes maps them.</summary>
    internal static Dictionary<string, Declared> LocalEndpoints()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Services.AddSingleton<ApiHandler>();
        using var app = builder.Build(); // never started: only its endpoints are read
        LocalRoutes.Map(app, []);
        return ((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>()
            .ToDictionary(e => e.Metadata.GetMetadata<IEndpointNameMetadata>()!.EndpointName, e => new Declared("local run",
                string.Join(",", e.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods).ToLowerInvariant(),
                e.RoutePattern.RawText!.TrimStart('/')[(ApiRoutes.Prefix.Length + 1)..], null, null,
                [.. e.RoutePattern.Parameters.Select(p => $"{p.Name}:path:string")]));
    }

    /// <summary>The document's operations, by operationId.</summary>
    internal static Dictionary<string, Declared> Documented(JsonNode document) =>
        document["paths"]!.AsObject().SelectMany(path => path.Value!.AsObject().Select(op => (Path: path.Key, Method: op.Key, Operation: op.Value!)))
            .ToDictionary(o => o.Operation["operationId"]!.GetValue<string>(), o =>
            {
                var access = o.Operation["x-required-access"]!.GetValue<string>();
                var estate = o.Operation["x-required-access-without-department"]?.GetValue<string>();
                var schemes = o.Operation["security"]!.AsArray().SelectMany(s => s!.AsObject().Select(p => p.Key)).ToArray();
                // The security the document declares must say the same as its access: none exactly when anonymous.
                var security = schemes.Length == 0 ? "Anonymous" : schemes.Single() == "netBoxSignature" ? nameof(Access.NetBoxSignature) : "entraId";
                return new Declared("document", o.Method, o.Path.TrimStart('/'), null,
                    (estate is null ? access : $"{access} with department, else {estate}") + " / " + security,
                    [.. (o.Operation["parameters"] as JsonArray ?? []).Select(p =>
                    {
                        var schema = p!["schema"]!;
                        var type = schema["type"]!.GetValue<string>();
                        return $"{p["name"]}:{p["in"]}:{(type == "array" ? $"array<{schema["items"]!["type"]}>" : type)}";
                    })]);
            });

    private static string DocumentedAccess(AccessRule rule) =>
        rule + " / " + (rule.Needs switch { null => "Anonymous", Access.NetBoxSignature => nameof(Access.NetBoxSignature), _ => "entraId" });

    /// <summary>The kinds of caller the authoriser is asked about, with the roles they hold (null: no principal).</summary>
    private static readonly (string Name, string[]? Roles)[] Callers =
    [
        ("nobody", null), ("HO", ["Department.HO"]), ("MOJ", ["Department.MOJ"]), ("ReadAll", [ComplianceRoles.ReadAll]), ("Admin", [ComplianceRoles.Admin]),
    ];

    /// <summary>Whether the table's rule lets a caller in, for a request naming <paramref name="department"/> ("" for none).</summary>
    private static bool Allows(AccessRule rule, string[]? roles, string department)
    {
        if (rule.Needs is null) return true;
        if (roles is null) return false;
        bool Has(string role) => roles.Contains(role);
        var admin = Has(ComplianceRoles.Admin);
        var readAll = admin || Has(ComplianceRoles.ReadAll);
        var own = department.Length > 0 && Has(ComplianceRoles.DepartmentPrefix + department);
        return rule.For(department) switch
        {
            Access.ReadDepartment => readAll || own,
            Access.WriteDepartment => admin || own,
            Access.ReadAll => readAll,
            Access.Admin => admin,
            Access.SignedIn => true,
            _ => false,
        };
    }

    /// <summary>The requests each route is asked as each caller: path department HO, and with and without a department filter.</summary>
    private static IEnumerable<(string Department, string Query)> Probes(ApiRoute route) =>
        route.Query.Any(p => p.Name == "department") ? [("HO", "?department=HO"), ("", "")] : [(route.PathParameters.Contains("department") ? "HO" : "", "")];

    /// <summary>The authoriser's decisions, each route called as each caller (401/403 is refused, anything else admitted).</summary>
    internal static async Task<Dictionary<string, bool>> Decisions(IServiceProvider services)
    {
        var handler = services.GetRequiredService<ApiHandler>();
        var decisions = new Dictionary<string, bool>();
        foreach (var route in RouteTable.All)
        {
            foreach (var (department, query) in Probes(route))
            {
                foreach (var (name, roles) in Callers)
                {
                    var request = TestHttp.Request(roles is null ? null : TestEvents.Principal(roles), query, route.Method.ToUpperInvariant());
                    if (route.PathParameters.Contains("department")) request.RouteValues["department"] = "HO";
                    if (route.PathParameters.Contains("assetId")) request.RouteValues["assetId"] = "NO-SUCH-ASSET";
                    var (status, _) = await TestHttp.SendAsync(request, r => handler.RunAsync(r, t => route.Invoke(services, r, t)));
                    decisions[$"{route.Id} {query} as {name}"] = status is not (401 or 403);
                }
            }
        }

        return decisions;
    }

    // ---- the comparison ---------------------------------------------------------------------------------------

    internal sealed record Places(Dictionary<string, Declared> Triggers, Dictionary<string, Declared> Local, Dictionary<string, Declared> Document, Dictionary<string, bool> Decisions);

    /// <summary>Every difference between <paramref name="table"/> and the places, one line each naming the route.</summary>
    internal static List<string> Drift(IReadOnlyList<ApiRoute> table, Places places)
    {
        var drift = new List<string>();
        void Compare(ApiRoute route, Dictionary<string, Declared> place, string key, Declared expected)
        {
            if (!place.TryGetValue(key, out var actual))
            {
                drift.Add($"{route.Id}: no {expected.Where} declares it");
                return;
            }

            if (actual.Method != expected.Method) drift.Add($"{route.Id}: {expected.Where} method {actual.Method}, table {expected.Method}");
            if (actual.Path != expected.Path) drift.Add($"{route.Id}: {expected.Where} path {actual.Path}, table {expected.Path}");
            if (expected.Key is not null && actual.Key != expected.Key) drift.Add($"{route.Id}: {expected.Where} key {actual.Key}, table {expected.Key}");
            if (expected.Access is not null && actual.Access != expected.Access) drift.Add($"{route.Id}: {expected.Where} access {actual.Access}, table {expected.Access}");
            if (!actual.Parameters.SequenceEqual(expected.Parameters)) drift.Add($"{route.Id}: {expected.Where} parameters [{string.Join(", ", actual.Parameters)}], table [{string.Join(", ", expected.Parameters)}]");
        }

        foreach (var route in table)
        {
            var key = route.Key switch { HostKey.Anonymous or HostKey.Browser => nameof(AuthorizationLevel.Anonymous), HostKey.Admin => nameof(AuthorizationLevel.Admin), _ => nameof(AuthorizationLevel.Function) };
            Compare(route, places.Triggers, route.Function, new("trigger", route.Method, route.Route, key, null, Parameters(route, query: false)));
            Compare(route, places.Local, route.Function, new("local run", route.Method, route.Route, null, null, Parameters(route, query: false)));
            Compare(route, places.Document, route.Id, new("document", route.Method, route.Route, null, DocumentedAccess(route.Access), Parameters(route, query: true)));
            foreach (var (department, query) in Probes(route))
            {
                foreach (var (name, roles) in Callers)
                {
                    var probe = $"{route.Id} {query} as {name}";
                    if (!places.Decisions.TryGetValue(probe, out var admitted)) drift.Add($"{probe}: not asked");
                    else if (admitted != Allows(route.Access, roles, department)) drift.Add($"{probe}: the authoriser {(admitted ? "admits" : "refuses")}, the table says {route.Access}");
                }
            }
        }

        var functions = table.Select(r => r.Function).ToHashSet();
        drift.AddRange(places.Triggers.Keys.Where(f => !functions.Contains(f)).Select(f => $"trigger {f} is not in the table"));
        drift.AddRange(places.Local.Keys.Where(f => !functions.Contains(f)).Select(f => $"local route {f} is not in the table"));
        var ids = table.Select(r => r.Id).ToHashSet();
        drift.AddRange(places.Document.Keys.Where(id => !ids.Contains(id)).Select(id => $"documented operation {id} is not in the table"));
        return drift;
    }

    /// <summary>The local run's services over fresh tables of Azurite, with a NetBox secret for HO.</summary>
    internal static async Task<ServiceProvider> LocalRunServicesAsync(AzuriteFixture azurite)
    {
        var settings = new RunCommand.Settings([], 7072, azurite.ConnectionString, Verbose: false, AlertsDir: Directory.CreateTempSubdirectory("alerts-").FullName);
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(RunCommand.Configuration(settings, azurite.ConnectionString))
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ComplianceStorage:TablePrefix"] = AzuriteFixture.UniquePrefix(),
                ["NetBox:Secrets:HO"] = "a-netbox-secret-of-enough-length",
            })
            .Build();
        var services = new ServiceCollection().AddLogging();
        RunCommand.AddServices(services, configuration, settings, TextWriter.Null);
        var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<AssetCompliance.Azure.Tables.ComplianceTables>().EnsureCreatedAsync(CancellationToken.None);
        return provider;
    }

    private async Task<Places> ReadPlacesAsync()
    {
        await using var services = await LocalRunServicesAsync(azurite);
        return new Places(Triggers(), LocalEndpoints(), Documented(JsonNode.Parse(OpenApi.Document("test"))!), await Decisions(services));
    }

    [Fact]
    public void Only_read_routes_that_need_a_role_go_without_a_host_key_for_the_browser()
    {
        var browser = RouteTable.All.Where(r => r.Key == HostKey.Browser).ToArray();
        Assert.NotEmpty(browser);
        Assert.All(browser, r =>
        {
            Assert.Equal("get", r.Method);
            Assert.True(r.Access.Needs is Access.ReadDepartment or Access.ReadAll, $"{r.Function}: {r.Access}");
        });
        // Every write and administrator route keeps a key: the browser's exception is for reading only.
        Assert.All(RouteTable.All.Where(r => r.Method != "get"), r => Assert.NotEqual(HostKey.Browser, r.Key));
    }

    [Fact]
    public async Task Every_route_is_declared_the_same_by_the_table_the_triggers_the_local_run_the_authoriser_and_the_document()
    {
        var places = await ReadPlacesAsync();

        Assert.Equal(RouteTable.All.Count, places.Triggers.Count);
        Assert.Equal(RouteTable.All.Count, places.Local.Count);
        Assert.Empty(Drift(RouteTable.All, places));
        // The access the issue found misstated: without a department, the alerts need ReadAll, and the document says so.
        Assert.Equal("ReadDepartment with department, else ReadAll / entraId", places.Document["getAlerts"].Access);
        Assert.False(places.Decisions["getAlerts  as HO"]);
        Assert.True(places.Decisions["getAlerts ?department=HO as HO"]);
    }

    [Fact]
    public async Task The_comparison_finds_a_changed_method_path_key_access_rule_parameter_name_or_parameter_type()
    {
        var places = await ReadPlacesAsync();
        static IReadOnlyList<ApiRoute> Altered(ApiRoute original, ApiRoute changed) => [.. RouteTable.All.Select(r => r == original ? changed : r)];
        var first = RouteTable.GetRejections.Query[0];

        var cases = new (string Kind, IReadOnlyList<ApiRoute> Table, string Expected)[]
        {
            ("method", Altered(RouteTable.RevokeExemption, RouteTable.RevokeExemption with { Method = "post" }), "revokeExemption: trigger method"),
            ("path", Altered(RouteTable.GetAsset, RouteTable.GetAsset with { Route = "departments/{department}/devices/{assetId}" }), "getAsset: local run path"),
            ("host key", Altered(RouteTable.Reevaluate, RouteTable.Reevaluate with { Key = HostKey.Function }), "reevaluate: trigger key"),
            ("access rule", Altered(RouteTable.GetAlerts, RouteTable.GetAlerts with { Access = AccessRule.Role(Access.ReadAll) }), "getAlerts ?department=HO as HO: the authoriser admits"),
            ("access rule of a department", Altered(RouteTable.RevokeExemption, RouteTable.RevokeExemption with { Access = AccessRule.Role(Access.WriteDepartment) }), "revokeExemption  as HO: the authoriser refuses"),
            ("access rule the authoriser agrees with", Altered(RouteTable.GetAlerts, RouteTable.GetAlerts with { Access = AccessRule.Role(Access.ReadDepartment) }), "getAlerts: document access"),
            ("access in the document", Altered(RouteTable.GetEstateSummary, RouteTable.GetEstateSummary with { Access = AccessRule.Role(Access.ReadDepartment) }), "getEstateSummary: document access"),
            ("parameter name", Altered(RouteTable.GetRejections, RouteTable.GetRejections with { Query = [first with { Name = "withBody" }] }), "getRejections: document parameters"),
            ("parameter type", Altered(RouteTable.GetRejections, RouteTable.GetRejections with { Query = [first with { Type = "string" }] }), "getRejections: document parameters"),
            ("path parameter", Altered(RouteTable.GetAssetHistory, RouteTable.GetAssetHistory with { Route = "departments/{department}/assets/{asset}/history" }), "getAssetHistory: trigger parameters"),
        };

        foreach (var (kind, table, expected) in cases)
        {
            var drift = Drift(table, places);
            Assert.True(drift.Any(d => d.StartsWith(expected, StringComparison.Ordinal)), $"{kind}: {string.Join("\n", drift)}");
        }
    }
}
