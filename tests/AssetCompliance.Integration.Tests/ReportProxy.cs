using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using AssetCompliance.Core.Policy;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace AssetCompliance.Integration.Tests;

/// <summary>
/// A loopback proxy in front of the local run: every GET is passed on; a progress or remediation route that the run
/// answers with a plain 404 (it does not have it) is answered here instead, in the agreed shape, from the run's own
/// summary and devices (<see cref="ReportStandIn.ProgressOf"/>), with no remediation plans.
/// </summary>
internal sealed class ReportProxy : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HttpClient _run;

    private ReportProxy(WebApplication app, HttpClient run) => (_app, _run) = (app, run);

    /// <summary>The App Service principal header sent to the run with every request (null: the run's default caller, ReadAll and Admin).</summary>
    public string? Principal { get; set; }

    public Uri Address => new(_app.Urls.First() + "/");

    /// <summary>How many answers the proxy made up because the run lacked the route (a test of the real routes wants none).</summary>
    public int StandIns => _standIns;

    private int _standIns;

    public static async Task<ReportProxy> StartAsync(Uri run)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var proxy = new ReportProxy(app, new HttpClient { BaseAddress = run });
        app.MapGet("/{**path}", (HttpContext context) => proxy.ForwardAsync(context));
        await app.StartAsync();
        return proxy;
    }

    private async Task ForwardAsync(HttpContext context)
    {
        var path = context.Request.Path.Value!.TrimStart('/') + context.Request.QueryString.Value;
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (Principal is not null)
        {
            request.Headers.Add(AssetCompliance.Api.Security.CompliancePrincipal.HeaderName, Principal);
        }

        using var answer = await _run.SendAsync(request);
        var body = await answer.Content.ReadAsByteArrayAsync();
        var segments = context.Request.Path.Value!.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (answer.StatusCode == HttpStatusCode.NotFound && answer.Content.Headers.ContentType?.MediaType != "application/problem+json")
        {
            if (segments is ["api", "departments", var d, "progress"])
            {
                Interlocked.Increment(ref _standIns);
                await WriteAsync(context, 200, "application/json", ReportStandIn.ProgressOf(d, await DevicesAsync(d), []).ToJsonString());
                return;
            }

            if (segments is ["api", "departments", _, "assets", _, "remediation"])
            {
                Interlocked.Increment(ref _standIns);
                await WriteAsync(context, 404, "application/problem+json", """{"type":"https://asset-compliance/problems/remediation-not-found","title":"Not Found","status":404,"detail":"No remediation plan (answered by the test's proxy)."}""");
                return;
            }
        }

        await WriteAsync(context, (int)answer.StatusCode, answer.Content.Headers.ContentType?.ToString(), body);
    }

    private async Task<List<StandInDevice>> DevicesAsync(string department)
    {
        var page = JsonNode.Parse(await _run.GetStringAsync($"api/departments/{department}/assets?top=1000"))!;
        return [.. page["items"]!.AsArray().Select(i => new StandInDevice(
            i!["assetId"]!.GetValue<string>(),
            Enum.Parse<ComplianceStatus>(i["status"]!.GetValue<string>()),
            i["vendor"]?["name"]?.GetValue<string>() ?? "",
            i["vendor"]?["subjectToNationalIntelligenceLaw"]?.GetValue<bool>() == true,
            i["siteId"]?.GetValue<string>(),
            i["siteSensitive"]?.GetValue<bool>(),
            i["registered"]?["networkSegment"]?.GetValue<string>() == "core",
            i["statusSince"]!.GetValue<DateTimeOffset>()))];
    }

    private static async Task WriteAsync(HttpContext context, int status, string? type, string body) =>
        await WriteAsync(context, status, type, Encoding.UTF8.GetBytes(body));

    private static async Task WriteAsync(HttpContext context, int status, string? type, byte[] body)
    {
        context.Response.StatusCode = status;
        if (type is not null)
        {
            context.Response.ContentType = type;
        }

        await context.Response.Body.WriteAsync(body);
    }

    public async ValueTask DisposeAsync()
    {
        _run.Dispose();
        await _app.DisposeAsync();
    }
}
