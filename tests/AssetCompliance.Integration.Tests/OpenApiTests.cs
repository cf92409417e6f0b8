using System.Reflection;
using System.Text.Json;
using AssetCompliance.Api;
using AssetCompliance.Functions;
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

        Assert.Equal("3.1.0", root.GetProperty("openapi").GetString());
        foreach (var path in root.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                Assert.True(operation.Value.GetProperty("responses").EnumerateObject().Any(), $"{operation.Name} {path.Name}");
                var pathParameters = operation.Value.GetProperty("parameters").EnumerateArray().Where(p => p.GetProperty("in").GetString() == "path").Select(p => "{" + p.GetProperty("name").GetString() + "}");
                Assert.All(pathParameters, p => Assert.Contains(p, path.Name));
                var anonymous = operation.Value.GetProperty("x-required-access").GetString() == "Anonymous";
                Assert.Equal(!anonymous, operation.Value.TryGetProperty("security", out _));
            }
        }
    }
}
