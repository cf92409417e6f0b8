using System.Reflection;
using System.Text.Json;
using AssetCompliance.Api;
using AssetCompliance.Functions;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace AssetCompliance.Integration.Tests;

/// <summary>The OpenAPI document and the function app's HTTP triggers describe exactly the same routes.</summary>
public sealed class OpenApiTests
{
    private static HashSet<string> TriggeredRoutes() =>
        typeof(HttpFunctions).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods())
            .SelectMany(m => m.GetParameters())
            .Select(p => p.GetCustomAttribute<HttpTriggerAttribute>())
            .OfType<HttpTriggerAttribute>()
            .SelectMany(a => (a.Methods ?? []).Select(method => $"{method.ToUpperInvariant()} /{a.Route}"))
            .ToHashSet();

    [Fact]
    public void Every_route_in_the_app_is_documented_and_every_documented_route_exists()
    {
        var documented = OpenApi.Operations.Select(o => $"{o.Method.ToUpperInvariant()} /{o.Route}").ToHashSet();
        var triggered = TriggeredRoutes();

        Assert.True(triggered.Count >= 15);
        Assert.Empty(triggered.Except(documented));
        Assert.Empty(documented.Except(triggered));
    }

    [Fact]
    public void The_document_is_OpenAPI_3_1_with_parameters_responses_and_security_for_every_operation()
    {
        using var document = JsonDocument.Parse(OpenApi.Document("test"));
        var root = document.RootElement;

        // Microsoft.OpenApi writes its newest 3.1 patch version (3.1.2): the same dialect.
        Assert.StartsWith("3.1.", root.GetProperty("openapi").GetString());
        foreach (var path in root.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                Assert.True(operation.Value.GetProperty("responses").EnumerateObject().Any(), $"{operation.Name} {path.Name}");
                // Microsoft.OpenApi leaves out an empty parameter list.
                var pathParameters = (operation.Value.TryGetProperty("parameters", out var parameters) ? parameters.EnumerateArray().ToArray() : []).Where(p => p.GetProperty("in").GetString() == "path").Select(p => "{" + p.GetProperty("name").GetString() + "}");
                Assert.All(pathParameters, p => Assert.Contains(p, path.Name));
                // Every operation declares its security: none ([]) exactly for the anonymous ones.
                var anonymous = operation.Value.GetProperty("x-required-access").GetString() == "Anonymous";
                Assert.Equal(!anonymous, operation.Value.GetProperty("security").GetArrayLength() > 0);
            }
        }
    }

    /// <summary>A schema, or the components schema it refers to.</summary>
    internal static JsonElement Schema(JsonElement root, JsonElement schema) =>
        schema.TryGetProperty("$ref", out var reference) ? root.GetProperty("components").GetProperty("schemas").GetProperty(reference.GetString()!["#/components/schemas/".Length..]) : schema;

    private static JsonElement Parameter(JsonElement root, string path, string method, string name) =>
        root.GetProperty("paths").GetProperty(path).GetProperty(method).GetProperty("parameters").EnumerateArray().Single(p => p.GetProperty("name").GetString() == name);

    [Fact]
    public void List_parameters_are_arrays_exploded_as_repeated_parameters_and_the_others_single_values()
    {
        using var document = JsonDocument.Parse(OpenApi.Document("test"));
        var root = document.RootElement;

        foreach (var name in new[] { "status", "severity", "siteId", "vendor", "deviceType" })
        {
            var parameter = Parameter(root, "/departments/{department}/assets", "get", name);
            Assert.Equal("array", parameter.GetProperty("schema").GetProperty("type").GetString());
            Assert.Equal(("form", true), (parameter.GetProperty("style").GetString(), parameter.GetProperty("explode").GetBoolean()));
            Assert.Contains("Repeat the parameter", parameter.GetProperty("description").GetString());
        }

        var status = Parameter(root, "/departments/{department}/assets", "get", "status").GetProperty("schema").GetProperty("items");
        Assert.Equal(Enum.GetNames<AssetCompliance.Core.Policy.ComplianceStatus>(), status.GetProperty("enum").EnumerateArray().Select(v => v.GetString()));
        var states = Parameter(root, "/alerts", "get", "status").GetProperty("schema");
        Assert.Equal("array", states.GetProperty("type").GetString());
        Assert.Equal(["pending", "sending", "sent", "failed"], states.GetProperty("items").GetProperty("enum").EnumerateArray().Select(v => v.GetString()));

        Assert.Equal("integer", Parameter(root, "/departments/{department}/assets", "get", "top").GetProperty("schema").GetProperty("type").GetString());
        Assert.Equal("date-time", Parameter(root, "/alerts", "get", "since").GetProperty("schema").GetProperty("format").GetString());
        Assert.Equal("boolean", Parameter(root, "/departments/{department}/rejections", "get", "includeBody").GetProperty("schema").GetProperty("type").GetString());
        foreach (var single in new[] { ("/departments/{department}/assets", "get", "changedSince"), ("/alerts", "get", "department"), ("/admin/alerts/retry", "post", "department"), ("/vendors/lookup", "get", "mac") })
        {
            var parameter = Parameter(root, single.Item1, single.Item2, single.Item3);
            Assert.NotEqual("array", parameter.GetProperty("schema").GetProperty("type").GetString());
            Assert.False(parameter.TryGetProperty("explode", out _));
        }
    }

    /// <summary>
    /// Every one-value parameter the document lists, on every route, is refused when given twice: by the route itself,
    /// before anything is read (the store here does not answer). A new route with query parameters must join the table.
    /// </summary>
    [Fact]
    public async Task Every_route_refuses_each_of_its_one_value_parameters_when_repeated()
    {
        var store = TestEvents.UnreachableStore();
        var api = TestEvents.ComplianceApi(store);
        var state = TestEvents.StateApi(store);
        var routes = new Dictionary<string, Func<HttpRequest, Task<ApiResult>>>
        {
            ["listAssets"] = r => new AssetListApi(store, TestEvents.Authorizer()).ListAsync(r, "HO", default),
            ["getRejections"] = r => api.GetRejectionsAsync(r, "HO", default),
            ["getUnattributedRejections"] = r => api.GetUnattributedRejectionsAsync(r, default),
            ["getAlerts"] = r => state.GetAlertsAsync(r, default),
            ["retryFailedAlerts"] = r => state.RetryFailedAlertsAsync(r, default),
            ["getAudit"] = r => state.GetAuditAsync(r, default),
            ["lookupVendor"] = r => Task.FromResult(api.LookupVendor(r)),
            ["postRegister"] = r => TestEvents.RegisterApi(store).PostAsync(r, "HO", default),
            ["rebuildProgress"] = r => ProgressKit.Api(store).RebuildProgressAsync(r, default),
            ["putRemediation"] = r => TestEvents.RemediationApi(store).PutAsync(r, "HO", "CAM-1", default),
            ["listObservations"] = r => new ObservationListApi(store, TestEvents.Authorizer(), AssetCompliance.Core.Processing.ObservationSettings.Default, TimeProvider.System).ListAsync(r, "HO", default),
        };

        var checkedParameters = 0;
        foreach (var operation in OpenApi.Operations)
        {
            foreach (var parameter in operation.Query.Where(p => !p.Repeatable))
            {
                Assert.True(routes.TryGetValue(operation.Id, out var call), $"{operation.Id} has query parameters: add it to this test");
                var request = TestHttp.Request(TestEvents.Principal(), $"?{parameter.Name}=x&{parameter.Name}=x", method: operation.Method.ToUpperInvariant());
                var (status, body) = await TestHttp.SendAsync(request, call);
                Assert.True(status == 400, $"{operation.Id} {parameter.Name}: {status} {body}");
                Assert.Contains($"{parameter.Name} takes one value", body);
                checkedParameters++;
            }
        }

        Assert.True(checkedParameters >= 12, $"{checkedParameters}");
    }
    /// <summary>
    /// What changed with strict times and outages is in the document: date-time parameters and expiresAt say an offset
    /// is required; every route that reaches storage lists a 503 problem with Retry-After (health with its health members); the small
    /// bodies' schemas refuse other fields.
    /// </summary>
    [Fact]
    public void Times_require_an_offset_and_every_route_that_needs_storage_documents_its_503()
    {
        using var document = JsonDocument.Parse(OpenApi.Document("test"));
        var root = document.RootElement;

        foreach (var (path, name) in new[] { ("/alerts", "since"), ("/departments/{department}/assets", "changedSince") })
        {
            var parameter = Parameter(root, path, "get", name);
            Assert.Equal("date-time", parameter.GetProperty("schema").GetProperty("format").GetString());
            Assert.Contains("a time without an offset answers 400", parameter.GetProperty("description").GetString());
        }

        var grant = Schema(root, root.GetProperty("paths").GetProperty("/departments/{department}/assets/{assetId}/exemptions").GetProperty("post").GetProperty("requestBody")
            .GetProperty("content").GetProperty("application/json").GetProperty("schema"));
        Assert.False(grant.GetProperty("additionalProperties").GetBoolean());
        Assert.Equal("date-time", grant.GetProperty("properties").GetProperty("expiresAt").GetProperty("format").GetString());
        Assert.Contains("without an offset", grant.GetProperty("properties").GetProperty("expiresAt").GetProperty("description").GetString());

        // The register route takes a file, not JSON: each accepted type is documented with the size limit.
        var register = root.GetProperty("paths").GetProperty("/departments/{department}/register").GetProperty("post").GetProperty("requestBody").GetProperty("content");
        Assert.Equal(["text/csv", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/octet-stream"], register.EnumerateObject().Select(p => p.Name));
        Assert.Equal(RegisterApi.MaxBodyBytes, register.GetProperty("text/csv").GetProperty("schema").GetProperty("maxLength").GetInt32());

        foreach (var operation in OpenApi.Operations)
        {
            var responses = root.GetProperty("paths").GetProperty("/" + operation.Route).GetProperty(operation.Method).GetProperty("responses");
            if (operation.Id is "openApi" or "lookupVendor" or "dashboard" or "dashboardSession" or "dashboardAsset")
            {
                Assert.False(responses.TryGetProperty("503", out _), operation.Id);
                continue;
            }

            var unavailable = responses.GetProperty("503");
            Assert.True(unavailable.GetProperty("content").TryGetProperty("application/problem+json", out _));
            Assert.True(unavailable.TryGetProperty("headers", out var headers) && headers.TryGetProperty("Retry-After", out _));
        }
    }
}
