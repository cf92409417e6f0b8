using System.Text.Json.Nodes;
using AssetCompliance.Api.Security;
using Microsoft.AspNetCore.Http;

namespace AssetCompliance.Api;

/// <summary>
/// The OpenAPI 3.1 description of every route, served at <c>GET /api/openapi.json</c>. Built from one table of
/// operations; a test checks it against the function app's triggers in both directions.
/// </summary>
public static class OpenApi
{
    public sealed record Operation(string Method, string Route, string Id, string Summary, Access? Needs, QueryParameter[] Query, bool HasBody, int[] Responses);

    public static IReadOnlyList<Operation> Operations { get; } =
    [
        new("get", ApiRoutes.Health, "health", "Health, versions and failed-alert count; 503 with the same body when storage does not answer. Anonymous.", null, [], false, [200, 400, 503]),
        new("get", ApiRoutes.Assets, "listAssets", $"A department's devices, filtered and paged; CSV with Accept: text/csv or format=csv (the verdict, then what the register said: {string.Join(", ", AssetCompliance.Core.State.ReportCsv.RegisteredColumns)}; a field starting = + - @, tab or CR gets a leading apostrophe). Values of one list parameter are alternatives (OR), different parameters all apply (AND).", Access.ReadDepartment, AssetListApi.Parameters, false, [200, 400, 401, 403, 503]),
        new("post", ApiRoutes.AssetEvents, "ingestAssetEvents", "Send one CloudEvent, an array or a batch (max 500, 1 MB); validated all or nothing; a queue outage part way answers 503 listing what was enqueued (resending is safe).", Access.WriteDepartment, [], true, [202, 400, 401, 403, 413, 503]),
        new("post", ApiRoutes.Register, "postRegister", "Send a register file (CSV, JSON Lines or .xlsx, max 20 MiB), read as compliance check reads it: only new and changed devices are sent; sync=true also removes stored devices absent from it, within the guard. 202 (200 for dryRun) with counts and a line per device; 422 when rows were not read or not sent (the others were; no removal); 409 when the sync is refused whole.", Access.WriteDepartment, RegisterApi.Parameters, true, [200, 202, 400, 401, 403, 409, 413, 415, 422, 503]),
        new("post", ApiRoutes.NetBoxWebhook, "receiveNetBoxWebhook", "A NetBox event-rule webhook (dcim.device, dcim.interface, dcim.macaddress; default body), signed in X-Hook-Signature with the department's secret: 202 events enqueued, 200 duplicate or ignored, 401 bad signature, 400 not a NetBox webhook and 422 a device the contract cannot carry (both recorded as rejections), 413 over 512 KiB.", Access.NetBoxSignature, [], true, [200, 202, 400, 401, 413, 422, 503]),
        new("get", ApiRoutes.Asset, "getAsset", "One device's compliance record.", Access.ReadDepartment, [], false, [200, 400, 401, 403, 404, 503]),
        new("get", ApiRoutes.AssetHistory, "getAssetHistory", "Every evaluation of a device, in order.", Access.ReadDepartment, [], false, [200, 400, 401, 403, 404, 503]),
        new("get", ApiRoutes.Exemptions, "getExemptions", "The exemption in force and its history.", Access.ReadDepartment, [], false, [200, 400, 401, 403, 404, 503]),
        new("post", ApiRoutes.Exemptions, "grantExemption", "Grant an exemption: reason, approver, expiresAt (RFC 3339 with an offset, at most 12 months ahead), optional requestId.", Access.WriteDepartment, [], true, [200, 201, 400, 401, 403, 404, 409, 413, 503]),
        new("delete", ApiRoutes.Exemptions, "revokeExemption", "Revoke the exemption.", Access.Admin, [], false, [200, 400, 401, 403, 404, 409, 503]),
        new("get", ApiRoutes.Rejections, "getRejections", "Invalid events of a department, with every error; bodies on request.", Access.ReadDepartment, ComplianceApi.RejectionParameters, false, [200, 400, 401, 403, 503]),
        new("get", ApiRoutes.UnattributedRejections, "getUnattributedRejections", "Invalid messages whose department could not be read (central team).", Access.ReadAll, ComplianceApi.RejectionParameters, false, [200, 400, 401, 403, 503]),
        new("get", ApiRoutes.DepartmentSummary, "getDepartmentSummary", "Counts by status and severity and the oldest open NonCompliant device.", Access.ReadDepartment, [], false, [200, 400, 401, 403, 503]),
        new("get", ApiRoutes.EstateSummary, "getEstateSummary", "Every department's summary and the total.", Access.ReadAll, [], false, [200, 400, 401, 403, 503]),
        new("get", ApiRoutes.Alerts, "getAlerts", "The alert outbox and delivery states (status=pending|sending|sent|failed, repeatable), optionally only transitions since a time.", Access.ReadDepartment, StateApi.AlertParameters, false, [200, 400, 401, 403, 503]),
        new("post", ApiRoutes.RetryFailedAlerts, "retryFailedAlerts", "Put failed alerts back in the outbox (all departments, or department=), e.g. after fixing a webhook.", Access.Admin, StateApi.RetryParameters, false, [200, 400, 401, 403, 503]),
        new("get", ApiRoutes.VendorLookup, "lookupVendor", "Identify a maker from manufacturer, model and MAC address.", Access.SignedIn, ComplianceApi.LookupParameters, false, [200, 400, 401]),
        new("post", ApiRoutes.ResetRevision, "resetRevision", "Let the device's next event apply whatever its revision (a stuck or mistaken revision): reason required, optional requestId; recorded in the history with who did it.", Access.Admin, [], true, [200, 400, 401, 403, 404, 413, 503]),
        new("post", ApiRoutes.Reevaluate, "reevaluate", "Evaluate again devices not evaluated with the deployed catalogue and policy, for up to 60 s: 200 when none is left, 202 when the caller should ask again.", Access.Admin, [], false, [200, 202, 400, 401, 403, 503]),
        new("get", ApiRoutes.OpenApiDocument, "openApi", "This document. Anonymous.", null, [], false, [200, 400]),
    ];

    public static string Document(string version) => Build(version).ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true });

    public static ApiResult Serve(HttpRequest request) =>
        RequestChecks.Parameters(request) ?? ApiResult.Json(Build(ComplianceApi.Version));

    /// <summary>
    /// The small request bodies' schemas, as the route reads them: no other field, each name once, instants RFC 3339
    /// with an offset. (Events are described by docs/asset-event.schema.json.)
    /// </summary>
    private static JsonObject? BodySchema(string operationId)
    {
        static JsonObject Text(int min, int max, string description) => new() { ["type"] = "string", ["minLength"] = min, ["maxLength"] = max, ["description"] = description };
        var requestId = Text(1, Core.Processing.Exemptions.MaxRequestIdLength, "Makes the request idempotent: sending it again changes nothing.");
        return operationId switch
        {
            "grantExemption" => new JsonObject
            {
                ["type"] = "object",
                ["additionalProperties"] = false,
                ["required"] = new JsonArray("reason", "approver", "expiresAt"),
                ["properties"] = new JsonObject
                {
                    ["reason"] = Text(1, Core.Processing.Exemptions.MaxReasonLength, "Why the device may stay for now."),
                    ["approver"] = Text(1, Core.Processing.Exemptions.MaxApproverLength, "Who approved it."),
                    ["expiresAt"] = new JsonObject
                    {
                        ["type"] = "string",
                        ["format"] = "date-time",
                        ["description"] = "When the exemption ends: RFC 3339 with seconds and an offset (Z or ±hh:mm), e.g. 2027-01-31T17:00:00Z; in the future and at most 12 months ahead. A time without an offset, or a date alone, answers 400 naming $.expiresAt.",
                    },
                    ["requestId"] = requestId,
                },
            },
            "resetRevision" => new JsonObject
            {
                ["type"] = "object",
                ["additionalProperties"] = false,
                ["required"] = new JsonArray("reason"),
                ["properties"] = new JsonObject
                {
                    ["reason"] = Text(1, Core.Processing.Exemptions.MaxReasonLength, "Why the revision is reset; kept in the history."),
                    ["requestId"] = requestId.DeepClone(),
                },
            },
            _ => null,
        };
    }

    /// <summary>A register file: its bytes as exported, whichever type it is sent as (the content decides how it is read).</summary>
    private static JsonObject RegisterContent()
    {
        var content = new JsonObject();
        foreach (var type in new[] { "text/csv", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/octet-stream" })
        {
            content[type] = new JsonObject { ["schema"] = new JsonObject { ["type"] = "string", ["contentMediaType"] = type, ["maxLength"] = RegisterApi.MaxBodyBytes } };
        }

        return content;
    }

    private static JsonObject Build(string version)
    {
        var paths = new JsonObject();
        foreach (var group in Operations.GroupBy(o => "/" + o.Route))
        {
            var item = new JsonObject();
            foreach (var op in group)
            {
                var parameters = new JsonArray();
                foreach (var name in System.Text.RegularExpressions.Regex.Matches(op.Route, @"\{(\w+)\}").Select(m => m.Groups[1].Value))
                {
                    parameters.Add(new JsonObject { ["name"] = name, ["in"] = "path", ["required"] = true, ["schema"] = new JsonObject { ["type"] = "string" } });
                }

                foreach (var parameter in op.Query)
                {
                    parameters.Add(parameter.ToOpenApi());
                }

                var responses = new JsonObject();
                foreach (var code in op.Responses)
                {
                    // Every 503 is a problem with Retry-After; health's also carries the health members (health: unhealthy).
                    var json = code < 300;
                    var response = new JsonObject
                    {
                        ["description"] = json ? "Success" :
                            code == 503 && op.Id == "health" ? "Table Storage does not answer: a storage-unavailable problem with the health members (health unhealthy, versions, failedAlerts null: unknown); retry after Retry-After" :
                            code == 503 ? "Table Storage or Service Bus is unavailable: problem details (storage-unavailable, queue-unavailable) saying what was not done; retry after Retry-After" :
                            "Problem details (RFC 9457)",
                        ["content"] = new JsonObject { [json ? "application/json" : "application/problem+json"] = new JsonObject() },
                    };
                    if (code == 503 && !json)
                    {
                        response["headers"] = new JsonObject { ["Retry-After"] = new JsonObject { ["description"] = "Seconds to wait before trying again.", ["schema"] = new JsonObject { ["type"] = "integer" } } };
                    }

                    responses[code.ToString(System.Globalization.CultureInfo.InvariantCulture)] = response;
                }

                var operation = new JsonObject
                {
                    ["operationId"] = op.Id,
                    ["summary"] = op.Summary,
                    ["parameters"] = parameters,
                    ["responses"] = responses,
                    ["x-required-access"] = op.Needs?.ToString() ?? "Anonymous",
                };
                if (op.Needs is not null) operation["security"] = new JsonArray(new JsonObject { [op.Needs == Access.NetBoxSignature ? "netBoxSignature" : "entraId"] = new JsonArray() });
                if (op.HasBody)
                {
                    operation["requestBody"] = op.Id == "postRegister"
                        ? new JsonObject { ["required"] = true, ["content"] = RegisterContent() }
                        : BodySchema(op.Id) is { } schema
                        ? new JsonObject { ["required"] = true, ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = schema } } }
                        : new JsonObject { ["required"] = true, ["content"] = new JsonObject { ["application/json"] = new JsonObject(), ["application/cloudevents-batch+json"] = new JsonObject() } };
                }

                item[op.Method] = operation;
            }

            paths[group.Key] = item;
        }

        return new JsonObject
        {
            ["openapi"] = "3.1.0",
            ["info"] = new JsonObject
            {
                ["title"] = "AssetCompliance API",
                ["version"] = version,
                ["description"] = $"Compliance of departmental surveillance and network assets with the UK direction of 24 November 2022. Roles: {ComplianceRoles.ReadAll}, {ComplianceRoles.Admin}, {ComplianceRoles.DepartmentPrefix}{{CODE}}. " +
                    "An array query parameter is repeated once per value (status=A&status=B): any of its values matches, and different parameters all apply. " +
                    "Any other query parameter takes one value; a repeated one, an empty value or an unknown parameter answers 400, on every route. " +
                    "Date-times are RFC 3339 with seconds and an offset (Z or ±hh:mm); a date alone or a time without an offset answers 400. " +
                    "When Table Storage or Service Bus is unavailable, a route answers 503 with problem details (storage-unavailable, queue-unavailable) and Retry-After.",
            },
            ["servers"] = new JsonArray(new JsonObject { ["url"] = "/" + ApiRoutes.Prefix }),
            ["components"] = new JsonObject
            {
                ["securitySchemes"] = new JsonObject
                {
                    ["entraId"] = new JsonObject { ["type"] = "http", ["scheme"] = "bearer", ["description"] = "An Entra ID token for the app registration; App Service Authentication validates it." },
                    ["netBoxSignature"] = new JsonObject { ["type"] = "apiKey", ["in"] = "header", ["name"] = "X-Hook-Signature", ["description"] = "The lower-case hex HMAC-SHA512 of the raw body keyed with the department's NetBox webhook secret, as NetBox sends it." },
                },
            },
            ["paths"] = paths,
        };
    }
}
