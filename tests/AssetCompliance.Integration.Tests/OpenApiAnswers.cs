using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AssetCompliance.Api;
using Json.Schema;

namespace AssetCompliance.Integration.Tests;

/// <summary>
/// Every answer a test gets from a route, held to what the served OpenAPI document says of that operation: its status
/// must be listed, its media type listed for that status, and a JSON body valid against the schema given for it
/// (components resolved, JSON Schema 2020-12). <see cref="TestHttp.SendAsync"/> and <see cref="ValidatingHandler"/>
/// call it for every answer, so every API test validates; <see cref="Validated"/> counts what was, per operation.
/// </summary>
internal static partial class OpenApiAnswers
{
    private static readonly Lazy<JsonNode> Document = new(() => JsonNode.Parse(OpenApi.Document("test"))!);
    private static readonly ConcurrentDictionary<string, JsonSchema> Schemas = new();
    private static readonly ConcurrentDictionary<string, int> Counts = new();

    /// <summary>How many answers were validated, by operation id and status (<c>getAsset 200</c>).</summary>
    public static IReadOnlyDictionary<string, int> Validated => Counts;

    /// <summary>Throws (failing the test) when the answer is not one the document describes for <paramref name="route"/>.</summary>
    public static void Validate(ApiRoute route, int status, string? contentType, byte[] body, JsonNode? document = null)
    {
        var problem = Check(route, status, contentType, body, document ?? Document.Value);
        if (problem is not null)
        {
            throw new Xunit.Sdk.XunitException($"{route.Method.ToUpperInvariant()} /{route.Route} ({route.Id}) answered {status} {contentType}: {problem}\n{System.Text.Encoding.UTF8.GetString(body)[..Math.Min(body.Length, 2000)]}");
        }

        Counts.AddOrUpdate($"{route.Id} {status}", 1, (_, n) => n + 1);
    }

    /// <summary>What is wrong with the answer, or null when the document describes it.</summary>
    public static string? Check(ApiRoute route, int status, string? contentType, byte[] body, JsonNode document)
    {
        if (document["paths"]?["/" + route.Route]?[route.Method] is not JsonObject operation)
        {
            return "the document has no such operation";
        }

        if (operation["responses"]?[status.ToString(CultureInfo.InvariantCulture)] is not JsonObject response)
        {
            return $"the document does not list {status} for it";
        }

        var media = contentType?.Split(';')[0].Trim() ?? "";
        if (response["content"]?[media] is not JsonObject content)
        {
            return $"the document does not list {media} for {status}";
        }

        if (!media.EndsWith("json", StringComparison.Ordinal))
        {
            return null; // text/csv: a stream, described as a string
        }

        var schema = Schemas.GetOrAdd($"{route.Id} {status} {media} {document.GetHashCode()}", _ => Build(content["schema"]!, document));
        using var answer = JsonDocument.Parse(body);
        var result = schema.Evaluate(answer.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true });
        return result.IsValid
            ? null
            : "not valid against its schema: " + string.Join("; ", (result.Details ?? []).Where(d => d.Errors is { Count: > 0 }).Take(10)
                .Select(d => $"{d.InstanceLocation} {string.Join(", ", d.Errors!.Values)} (schema {d.EvaluationPath})"));
    }

    /// <summary>The operation's schema as a standalone 2020-12 schema, the components as its <c>$defs</c>.</summary>
    private static JsonSchema Build(JsonNode schema, JsonNode document)
    {
        var text = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$id"] = $"https://asset-compliance/tests/answers/{Guid.NewGuid():N}",
            ["$defs"] = document["components"]!["schemas"]!.DeepClone(),
            ["allOf"] = new JsonArray(schema.DeepClone()),
        }.ToJsonString();
        return JsonSchema.FromText(ComponentReference().Replace(text, "#/$defs/"));
    }

    [GeneratedRegex("#/components/schemas/")]
    private static partial Regex ComponentReference();

    /// <summary>The route of <see cref="RouteTable"/> a request's method and path are, or null.</summary>
    public static ApiRoute? RouteOf(string method, string path)
    {
        var relative = path.StartsWith("/" + ApiRoutes.Prefix + "/", StringComparison.Ordinal) ? path[(ApiRoutes.Prefix.Length + 2)..] : null;
        return relative is null ? null : RouteTable.All.FirstOrDefault(r =>
            string.Equals(r.Method, method, StringComparison.OrdinalIgnoreCase) &&
            Regex.IsMatch(relative, "^" + Regex.Replace(Regex.Escape(r.Route), @"\\\{\w+}", "[^/]+") + "$"));
    }
}

/// <summary>An HTTP client's handler that validates every answer of the API (<see cref="OpenApiAnswers"/>).</summary>
internal sealed class ValidatingHandler() : DelegatingHandler(new HttpClientHandler())
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        if (OpenApiAnswers.RouteOf(request.Method.Method, request.RequestUri!.AbsolutePath) is { } route)
        {
            // Buffered, so that the test still reads the body after it was validated.
            await response.Content.LoadIntoBufferAsync(cancellationToken);
            OpenApiAnswers.Validate(route, (int)response.StatusCode, response.Content.Headers.ContentType?.ToString(), await response.Content.ReadAsByteArrayAsync(cancellationToken));
        }

        return response;
    }
}
