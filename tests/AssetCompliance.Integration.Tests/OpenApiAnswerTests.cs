using System.Text;
using System.Text.Json.Nodes;
using AssetCompliance.Api;
using AssetCompliance.Core.NetBox;
using Microsoft.Extensions.DependencyInjection;

namespace AssetCompliance.Integration.Tests;

/// <summary>
/// The answers of every route against the document's schemas. Every API test's answers are validated as they come
/// (<see cref="TestHttp.SendAsync"/>, <see cref="ValidatingHandler"/>); here every operation is called through the
/// local run's services over Azurite until it has answered with success, so no operation goes unvalidated whatever
/// other tests run, and the validator is shown to refuse what it must.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class OpenApiAnswerTests(AzuriteFixture azurite)
{
    private const string Asset = "TOUR-CAM-1";

    [Fact]
    public async Task Every_operation_answers_success_with_a_body_valid_against_the_documented_schema()
    {
        await using var services = await RouteTableTests.LocalRunServicesAsync(azurite);
        var handler = services.GetRequiredService<ApiHandler>();
        var answered = new List<(string Id, int Status)>();
        async Task<int> Call(ApiRoute route, string query = "", byte[]? body = null, string? contentType = null, string? signature = null, string? accept = null, string? principal = null)
        {
            var request = TestHttp.Request(principal ?? TestEvents.Principal(), query, route.Method.ToUpperInvariant(), body, accept: accept);
            if (contentType is not null) request.ContentType = contentType;
            if (signature is not null) request.Headers[NetBoxSignature.HeaderName] = signature;
            if (route.PathParameters.Contains("department")) request.RouteValues["department"] = "HO";
            if (route.PathParameters.Contains("assetId")) request.RouteValues["assetId"] = Asset;
            if (route.PathParameters.Contains("file")) request.RouteValues["file"] = "dashboard.js";
            var (status, _) = await TestHttp.SendAsync(request, r => handler.RunAsync(r, t => route.Invoke(services, r, t)));
            // The handler admitted the request by this route's own entry (each handler names its entry by hand): its
            // answers were validated against this operation, and its access rule is this route's.
            Assert.Same(route, ApiRoute.Of(request.HttpContext));
            answered.Add((route.Id, status));
            return status;
        }

        Assert.Equal(202, await Call(RouteTable.IngestAssetEvents, body: Encoding.UTF8.GetBytes(TestEvents.Upsert("HO", Asset, 1)), contentType: "application/json"));
        Assert.Equal(202, await Call(RouteTable.IngestAssetEvents, body: Encoding.UTF8.GetBytes($"[{ObservedEvents.Observed("HO", "tour-seen", mac: "BC:AD:28:00:06:01", evidence: ObservedEvents.Dnvrs)}]"), contentType: "application/cloudevents-batch+json"));
        Assert.True(OpenApiAnswers.RequestsValidated.ContainsKey(RouteTable.IngestAssetEvents.Id)); // the accepted requests were checked against the document too
        var netBox = await File.ReadAllBytesAsync(Path.Combine(RepositoryPaths.Root, "samples", "netbox", "device-created-4.6.json"));
        await Call(RouteTable.NetBoxWebhook, body: netBox, contentType: "application/json", signature: NetBoxSignature.Compute(netBox, new NetBoxSecret("a-netbox-secret-of-enough-length")));
        var register = await File.ReadAllBytesAsync(Path.Combine(RepositoryPaths.Root, "samples", "register-as-typed.csv"));
        await Call(RouteTable.PostRegister, "?dryRun=true", register, "text/csv");
        await Call(RouteTable.Health);
        await Call(RouteTable.ListAssets);
        await Call(RouteTable.ListAssets, "?format=csv");
        await Call(RouteTable.GetAsset);
        await Call(RouteTable.GetAssetHistory);
        await Call(RouteTable.GetExemptions);
        var expires = DateTimeOffset.UtcNow.AddDays(30).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        var exemption = TestHttp.Json($$"""{"reason":"replacement ordered","approver":"CISO","expiresAt":"{{expires}}"}""");
        Assert.Equal(202, await Call(RouteTable.RequestExemption, body: exemption, contentType: "application/json"));
        Assert.Equal(200, await Call(RouteTable.ApproveExemption, body: TestHttp.Json("{}"), contentType: "application/json", principal: TestEvents.SecondAdmin()));
        await Call(RouteTable.RevokeExemption);
        Assert.Equal(202, await Call(RouteTable.RequestExemption, body: exemption, contentType: "application/json"));
        Assert.Equal(200, await Call(RouteTable.RefuseExemption, body: TestHttp.Json("""{"reason":"not justified"}"""), contentType: "application/json", principal: TestEvents.SecondAdmin()));
        await Call(RouteTable.ResetRevision, body: TestHttp.Json("""{"reason":"renumbered register"}"""), contentType: "application/json");
        var due = DateTimeOffset.UtcNow.AddDays(30).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(201, await Call(RouteTable.PutRemediation, body: TestHttp.Json($$"""{"action":"replace","dueDate":"{{due}}","owner":"Estates","state":"planned","notes":null}"""), contentType: "application/json"));
        Assert.Equal(200, await Call(RouteTable.PutRemediation, "?reopen=false", TestHttp.Json($$"""{"action":"replace","dueDate":"{{due}}","owner":"Estates","state":"ordered","notes":"PO 42"}"""), "application/json"));
        Assert.Equal(200, await Call(RouteTable.GetRemediation));
        await Call(RouteTable.GetRejections, "?includeBody=true");
        await Call(RouteTable.GetUnattributedRejections);
        await Call(RouteTable.GetDepartmentSummary);
        await Call(RouteTable.GetEstateSummary);
        await Call(RouteTable.GetAlerts);
        await Call(RouteTable.GetAlerts, "?department=HO&status=pending&status=sent");
        await Call(RouteTable.RetryFailedAlerts);
        await Call(RouteTable.LookupVendor, "?manufacturer=Hik%20Vision&mac=BC:AD:28:4F:11:02");
        await Call(RouteTable.Reevaluate);
        await Call(RouteTable.GetAudit);
        await Call(RouteTable.GetAudit, "?department=HO&since=2026-01-01T00:00:00Z");
        await Call(RouteTable.ListObservations, "?outcome=notSeen");
        await Call(RouteTable.OpenApiDocument);
        await Call(RouteTable.GetDepartmentProgress);
        await Call(RouteTable.GetEstateProgress);
        await Call(RouteTable.RebuildProgress, "?department=HO");
        await Call(RouteTable.DashboardPage);
        await Call(RouteTable.DashboardSession);
        await Call(RouteTable.DashboardAsset);

        foreach (var route in RouteTable.All)
        {
            Assert.True(answered.Any(a => a.Id == route.Id && a.Status is >= 200 and < 300), $"{route.Id}: {string.Join(", ", answered.Where(a => a.Id == route.Id).Select(a => a.Status))}");
            Assert.True(OpenApiAnswers.Validated.Keys.Any(k => k.StartsWith(route.Id + " 2", StringComparison.Ordinal)), $"{route.Id} had no success validated");
        }
    }

    [Fact]
    public void The_validator_refuses_a_status_the_document_does_not_list_another_media_type_and_a_body_off_its_schema()
    {
        var document = JsonNode.Parse(OpenApi.Document("test"))!;
        var problem = TestHttp.Json("""{"type":"https://asset-compliance/problems/x","title":"x","status":503}""");
        var health = TestHttp.Json("""{"status":"healthy","health":"healthy","version":"1","catalogueVersion":"1","policyVersion":"1","storage":"available","failedAlerts":0}""");

        Assert.Null(OpenApiAnswers.Check(RouteTable.Health, 503, "application/problem+json; charset=utf-8", problem, document));
        Assert.Null(OpenApiAnswers.Check(RouteTable.Health, 200, "application/json; charset=utf-8", health, document));
        Assert.Contains("does not list 503", OpenApiAnswers.Check(RouteTable.LookupVendor, 503, "application/problem+json", problem, document));
        Assert.Contains("does not list 418", OpenApiAnswers.Check(RouteTable.Health, 418, "application/problem+json", problem, document));
        Assert.Contains("does not list text/csv", OpenApiAnswers.Check(RouteTable.GetAsset, 200, "text/csv", [], document));
        Assert.Contains("not valid", OpenApiAnswers.Check(RouteTable.Health, 200, "application/json", TestHttp.Json("""{"status":"healthy","failedAlerts":"none"}"""), document));
        // Our own objects have no other member: a renamed member is found.
        Assert.Contains("not valid", OpenApiAnswers.Check(RouteTable.Health, 200, "application/json", TestHttp.Json(Encoding.UTF8.GetString(health).Replace("failedAlerts", "failed", StringComparison.Ordinal)), document));
        Assert.Contains("not valid", OpenApiAnswers.Check(RouteTable.Health, 503, "application/problem+json", TestHttp.Json("""{"title":"no type"}"""), document));
    }
}
