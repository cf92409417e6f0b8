using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using AssetCompliance.Api.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;

namespace AssetCompliance.Api;

/// <summary>
/// The OpenAPI 3.1 description of every route, served at <c>GET /api/openapi.json</c>: built with Microsoft.OpenApi
/// from <see cref="RouteTable"/> (paths, parameters, access, bodies and answers per status), with the bodies' schemas
/// exported from their C# types (<see cref="OpenApiSchemas"/>). Every operation declares its security (<c>[]</c> for
/// the anonymous ones).
/// </summary>
public static class OpenApi
{
    /// <summary>The routes the document describes: <see cref="RouteTable.All"/>.</summary>
    public static IReadOnlyList<ApiRoute> Operations => RouteTable.All;

    private static readonly Lazy<JsonElement> Served = new(() => JsonDocument.Parse(Document(ComplianceApi.Version)).RootElement.Clone());

    /// <summary>The document as indented JSON.</summary>
    public static string Document(string version)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        Build(version).SerializeAsV31(new OpenApiJsonWriter(text));
        var document = JsonNode.Parse(text.ToString())!;
        ExplicitListParameters(document);
        return document.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    /// <summary>
    /// Writes <c>style: form, explode: true</c> on every list parameter. They are OpenAPI's defaults for a query
    /// parameter, so the writer leaves them out; but a list parameter repeated once per value is the one rule a
    /// client must not get wrong (a comma never separates values here), so the document says it rather than implies it.
    /// </summary>
    private static void ExplicitListParameters(JsonNode document)
    {
        foreach (var operation in document["paths"]!.AsObject().SelectMany(p => p.Value!.AsObject()).Select(o => o.Value).OfType<JsonObject>())
        {
            foreach (var parameter in (operation["parameters"] as JsonArray ?? []).OfType<JsonObject>().Where(p => p["schema"]?["type"]?.GetValue<string>() == "array"))
            {
                parameter["style"] = "form";
                parameter["explode"] = true;
            }
        }
    }

    public static ApiResult Serve(HttpRequest request) =>
        RouteTable.OpenApiDocument.Admit(request, null) ?? ApiResult.Json(Served.Value);

    private static OpenApiDocument Build(string version)
    {
        var document = new OpenApiDocument
        {
            Info = new OpenApiInfo
            {
                Title = "AssetCompliance API",
                Version = version,
                Description = $"Compliance of departmental surveillance and network assets with the UK direction of 24 November 2022. Roles: {ComplianceRoles.ReadAll}, {ComplianceRoles.Admin}, {ComplianceRoles.DepartmentPrefix}{{CODE}}. " +
                    "An array query parameter is repeated once per value (status=A&status=B): any of its values matches, and different parameters all apply. " +
                    "Any other query parameter takes one value; a repeated one, an empty value or an unknown parameter answers 400, on every route. " +
                    "Date-times are RFC 3339 with seconds and an offset (Z or ±hh:mm); a date alone or a time without an offset answers 400. " +
                    "When Table Storage or Service Bus is unavailable, a route answers 503 with problem details (storage-unavailable, queue-unavailable) and Retry-After.",
                License = new OpenApiLicense { Name = "MIT", Identifier = "MIT" },
            },
            Servers = [new OpenApiServer { Url = "/" + ApiRoutes.Prefix }],
            Components = new OpenApiComponents
            {
                SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>
                {
                    [EntraId] = new OpenApiSecurityScheme { Type = SecuritySchemeType.Http, Scheme = "bearer", Description = "An Entra ID token for the app registration; App Service Authentication validates it." },
                    [NetBoxSignature] = new OpenApiSecurityScheme { Type = SecuritySchemeType.ApiKey, In = ParameterLocation.Header, Name = "X-Hook-Signature", Description = "The lower-case hex HMAC-SHA512 of the raw body keyed with the department's NetBox webhook secret, as NetBox sends it." },
                },
                Schemas = new Dictionary<string, IOpenApiSchema>(),
            },
            Paths = [],
        };

        var types = RouteTable.All.SelectMany(r => r.Responses.Select(a => a.Body).Append(r.Body?.Json)).OfType<Type>();
        var reader = new OpenApiJsonReader();
        foreach (var (name, schema) in OpenApiSchemas.All(types))
        {
            document.Components.Schemas[name] = reader.ReadFragment<OpenApiSchema>(schema, OpenApiSpecVersion.OpenApi3_1, document, out _)
                ?? throw new InvalidOperationException($"Schema {name} could not be read.");
        }

        foreach (var group in RouteTable.All.GroupBy(r => "/" + r.Route))
        {
            var item = new OpenApiPathItem { Operations = [] };
            foreach (var route in group)
            {
                item.Operations[HttpMethod.Parse(route.Method)] = Operation(route, document);
            }

            document.Paths[group.Key] = item;
        }

        return document;
    }

    private const string EntraId = "entraId";
    private const string NetBoxSignature = "netBoxSignature";

    private static OpenApiOperation Operation(ApiRoute route, OpenApiDocument document)
    {
        var operation = new OpenApiOperation
        {
            OperationId = route.Id,
            Summary = route.Summary,
            Parameters = [.. route.PathParameters.Select(name => (IOpenApiParameter)new OpenApiParameter
            {
                Name = name,
                In = ParameterLocation.Path,
                Required = true,
                Description = name == "department" ? "The department code, e.g. HO." : name == "file" ? "The file's name, e.g. dashboard.js." : "The asset id in the department's register.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            }), .. route.Query.Select(p => (IOpenApiParameter)p.ToOpenApi()), .. route.RequestHeaders.Select(h => (IOpenApiParameter)new OpenApiParameter
            {
                Name = h.Name,
                In = ParameterLocation.Header,
                Required = false,
                Description = h.Description,
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            })],
            Responses = [],
            Security = route.Access.Needs switch
            {
                null => [],
                Access.NetBoxSignature => [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(NetBoxSignature, document)] = [] }],
                _ => [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(EntraId, document)] = [] }],
            },
            Extensions = new Dictionary<string, IOpenApiExtension>
            {
                ["x-required-access"] = new JsonNodeExtension(JsonValue.Create(route.Access.Needs?.ToString() ?? "Anonymous")),
            },
        };
        if (route.Access.WithoutDepartment is { } estate)
        {
            operation.Extensions["x-required-access-without-department"] = new JsonNodeExtension(JsonValue.Create(estate.ToString()));
        }

        if (route.Body is { } body)
        {
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Content = body.MediaTypes.ToDictionary(type => type, type => (IOpenApiMediaType)new OpenApiMediaType
                {
                    Schema = body.Json is { } json ? Reference(json, document)
                        : body.Schema is { } schema ? new OpenApiSchemaReference(schema, document)
                        : new OpenApiSchema { Type = JsonSchemaType.String, Extensions = new Dictionary<string, IOpenApiExtension> { ["contentMediaType"] = new JsonNodeExtension(JsonValue.Create(type)) }, MaxLength = body.MaxBytes },
                }),
            };
        }

        foreach (var answer in route.Responses)
        {
            var response = new OpenApiResponse
            {
                Description = answer.Description,
                Content = answer.MediaTypes.ToDictionary(type => type, type => (IOpenApiMediaType)new OpenApiMediaType
                {
                    Schema = type == "text/csv" ? new OpenApiSchema { Type = JsonSchemaType.String, Description = "CSV: a header line, then a line per device." }
                        : answer.Body is { } bodyType ? Reference(bodyType, document)
                        : type.StartsWith("text/", StringComparison.Ordinal) ? new OpenApiSchema { Type = JsonSchemaType.String, Description = "The file as it is." }
                        : new OpenApiSchema { Type = JsonSchemaType.Object },
                }),
            };
            if (answer.Status is >= 200 and < 300 && route.ResponseHeaders.Count > 0)
            {
                response.Headers = route.ResponseHeaders.ToDictionary(h => h.Name, h => (IOpenApiHeader)new OpenApiHeader
                {
                    Description = h.Description,
                    Required = true,
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                });
            }

            if (answer.Status == StatusCodes.Status503ServiceUnavailable)
            {
                response.Headers = new Dictionary<string, IOpenApiHeader>
                {
                    ["Retry-After"] = new OpenApiHeader { Description = "Seconds to wait before trying again.", Schema = new OpenApiSchema { Type = JsonSchemaType.Integer } },
                };
            }

            operation.Responses[answer.Status.ToString(CultureInfo.InvariantCulture)] = response;
        }

        return operation;
    }

    private static OpenApiSchemaReference Reference(Type type, OpenApiDocument document) => new(OpenApiSchemas.NameOf(type), document);
}
