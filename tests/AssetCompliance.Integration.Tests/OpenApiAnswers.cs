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
        return Verdict(schema, body);
    }

    /// <summary>Null when the JSON is valid against the schema, else the first ten errors with where they are.</summary>
    private static string? Verdict(JsonSchema schema, byte[] json)
    {
        using var instance = JsonDocument.Parse(json);
        var result = schema.Evaluate(instance.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true });
        return result.IsValid
            ? null
            : "not valid against its schema: " + string.Join("; ", (result.Details ?? []).Where(d => d.Errors is { Count: > 0 }).Take(10)
                .Select(d => $"{d.InstanceLocation} {string.Join(", ", d.Errors!.Values)} (schema {d.EvaluationPath})"));
    }

    /// <summary>
    /// The routes whose JSON requests are held to the document too: what a route accepts (answers 2xx) must be valid
    /// against its documented request body, since the parser is never looser than the schema. (The ingestion route's
    /// body is the contract's own schemas, v1 and v1.1; the other routes' bodies are exported from C# types.)
    /// </summary>
    public static readonly IReadOnlySet<string> RequestsChecked = new HashSet<string>(StringComparer.Ordinal) { RouteTable.IngestAssetEvents.Id };

    /// <summary>How many accepted requests were validated, by operation id.</summary>
    public static IReadOnlyDictionary<string, int> RequestsValidated => RequestCounts;

    private static readonly ConcurrentDictionary<string, int> RequestCounts = new();

    /// <summary>Throws (failing the test) when a request the route accepted is not one its documented body describes.</summary>
    public static void ValidateRequest(ApiRoute route, int status, string? contentType, byte[] body, JsonNode? document = null)
    {
        if (status is < 200 or >= 300 || !RequestsChecked.Contains(route.Id))
        {
            return;
        }

        var problem = CheckRequest(route, contentType, body, document ?? Document.Value);
        if (problem is not null)
        {
            throw new Xunit.Sdk.XunitException($"{route.Method.ToUpperInvariant()} /{route.Route} ({route.Id}) accepted ({status}) a request the document does not describe: {problem}\n{System.Text.Encoding.UTF8.GetString(body)[..Math.Min(body.Length, 2000)]}");
        }

        RequestCounts.AddOrUpdate(route.Id, 1, (_, n) => n + 1);
    }

    /// <summary>What is wrong with a request body for <paramref name="route"/>, or null when its documented request body describes it.</summary>
    public static string? CheckRequest(ApiRoute route, string? contentType, byte[] body, JsonNode document)
    {
        if (document["paths"]?["/" + route.Route]?[route.Method]?["requestBody"]?["content"] is not JsonObject content)
        {
            return "the document has no request body for it";
        }

        var media = contentType?.Split(';')[0].Trim() ?? "application/json";
        if (content[media] is not JsonObject type)
        {
            return $"the document does not list {media} for its request";
        }

        if (!media.EndsWith("json", StringComparison.Ordinal))
        {
            return null;
        }

        var schema = Schemas.GetOrAdd($"{route.Id} request {media} {document.GetHashCode()}", _ => Build(type["schema"]!, document));
        return Verdict(schema, body.AsSpan().StartsWith("\uFEFF"u8) ? body[3..] : body); // a byte-order mark the route skips
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
        // A registry of its own per schema: the default one is shared by every test class running in parallel, and
        // registering into it from several threads at once lost entries now and then (RefResolutionException for
        // '#/$defs/Problem' in some runs).
        return JsonSchema.FromText(ComponentReference().Replace(text, "#/$defs/"), new BuildOptions { SchemaRegistry = new SchemaRegistry() });
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
        byte[]? sent = null;
        if (request.Content is { } content)
        {
            await content.LoadIntoBufferAsync(cancellationToken); // read twice: here and by the send
            sent = await content.ReadAsByteArrayAsync(cancellationToken);
        }

        var response = await base.SendAsync(request, cancellationToken);
        if (OpenApiAnswers.RouteOf(request.Method.Method, request.RequestUri!.AbsolutePath) is { } route)
        {
            // Buffered, so that the test still reads the body after it was validated.
            await response.Content.LoadIntoBufferAsync(cancellationToken);
            OpenApiAnswers.Validate(route, (int)response.StatusCode, response.Content.Headers.ContentType?.ToString(), await response.Content.ReadAsByteArrayAsync(cancellationToken));
            if (sent is not null)
            {
                OpenApiAnswers.ValidateRequest(route, (int)response.StatusCode, request.Content!.Headers.ContentType?.ToString(), sent);
            }
        }

        return response;
    }
}
