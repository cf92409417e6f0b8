using System.Text.Json;
using System.Text.RegularExpressions;
using AssetCompliance.Api.Dashboard;
using AssetCompliance.Api.Security;
using AssetCompliance.Azure.Emulator;

namespace AssetCompliance.Integration.Tests.Dashboard;

/// <summary>
/// The dashboard's files as the routes serve them, without a browser: the chart library shipped is exactly the pinned
/// npm package's file (tools/dashboard-assets, installed with npm ci on first use), with its licence and version; the
/// page carries no inline script, style or handler and its policy forbids them; only known files are served.
/// </summary>
public sealed partial class DashboardAssetTests
{
    private static readonly string Shipped = Path.Combine(RepositoryPaths.Root, "functions", "AssetCompliance.Api", "Dashboard");
    private static readonly string Tool = Path.Combine(RepositoryPaths.Root, "tools", "dashboard-assets");

    [Fact]
    public async Task The_shipped_chart_library_is_the_pinned_package_s_file_with_its_licence_and_version()
    {
        var package = Path.Combine(Tool, "node_modules", "uplot");
        await NpmTool.EnsureInstalledAsync(Tool, Path.Combine(package, "dist", "uPlot.iife.min.js"), null, CancellationToken.None);

        var pinned = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(Tool, "package.json"))).RootElement.GetProperty("dependencies").GetProperty("uplot").GetString()!;
        var installed = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(package, "package.json"))).RootElement.GetProperty("version").GetString();
        Assert.Equal(pinned, installed);
        foreach (var (copy, source) in new[] { ("uPlot.iife.min.js", "dist/uPlot.iife.min.js"), ("uPlot.min.css", "dist/uPlot.min.css"), ("uPlot.LICENSE.txt", "LICENSE") })
        {
            var shipped = await File.ReadAllBytesAsync(Path.Combine(Shipped, copy));
            var original = await File.ReadAllBytesAsync(Path.Combine(package, source));
            Assert.True(shipped.AsSpan().SequenceEqual(original),
                $"{copy} differs from uplot {pinned}'s {source}: copy it again from tools/dashboard-assets/node_modules/uplot (docs/dashboard.md)");
        }

        Assert.StartsWith($"/*! https://github.com/leeoniya/uPlot (v{pinned}) */", await File.ReadAllTextAsync(Path.Combine(Shipped, "uPlot.iife.min.js")), StringComparison.Ordinal);
        Assert.Contains($"uPlot {pinned} (MIT licence)", await File.ReadAllTextAsync(Path.Combine(Shipped, "index.html")), StringComparison.Ordinal);
        Assert.Contains("MIT License", await File.ReadAllTextAsync(Path.Combine(Shipped, "uPlot.LICENSE.txt")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_page_has_no_inline_script_style_or_handler_and_its_policy_allows_none()
    {
        var (status, html, headers) = await GetAsync(d => d.Page, Signed);

        Assert.Equal(200, status);
        Assert.Equal(DashboardApi.ContentSecurityPolicy, headers["Content-Security-Policy"]);
        Assert.Equal("no-referrer", headers["Referrer-Policy"]);
        Assert.Equal("nosniff", headers["X-Content-Type-Options"]);
        Assert.Contains("default-src 'self'", DashboardApi.ContentSecurityPolicy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", DashboardApi.ContentSecurityPolicy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", DashboardApi.ContentSecurityPolicy, StringComparison.Ordinal);
        Assert.Empty(InlineScript().Matches(html));
        Assert.DoesNotMatch(@"<style|\sstyle=|\son[a-z]+=|javascript:", html);
        // Nothing from another origin: every script and style sheet is one of the served files.
        var references = Reference().Matches(html).Select(m => m.Groups[1].Value).ToArray();
        Assert.Equal(4, references.Length); // uPlot's script and style sheet, and the page's own
        Assert.All(references, r => Assert.StartsWith("/api/dashboard/assets/", r, StringComparison.Ordinal));
        foreach (var reference in references)
        {
            var (fileStatus, _, fileHeaders) = await GetAsync(d => r => d.Asset(r, reference["/api/dashboard/assets/".Length..]), Signed);
            Assert.Equal(200, fileStatus);
            Assert.Equal(DashboardApi.ContentSecurityPolicy, fileHeaders["Content-Security-Policy"]);
        }

        // The script builds the page with elements and text nodes only.
        var script = await File.ReadAllTextAsync(Path.Combine(Shipped, "dashboard.js"));
        Assert.DoesNotMatch(@"innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function", script);
    }

    [Theory]
    [InlineData("../DashboardApi.cs")]
    [InlineData("index.html")]
    [InlineData("DashboardApi.cs")]
    [InlineData("dashboard.JS")]
    [InlineData("")]
    public async Task Only_the_dashboard_s_own_files_are_served(string file)
    {
        var (status, body, _) = await GetAsync(d => r => d.Asset(r, file), Signed);

        Assert.Equal(404, status);
        Assert.Contains("https://asset-compliance/problems/not-found", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_session_names_the_caller_s_departments_and_nobody_unsigned_gets_the_page()
    {
        var (status, body, _) = await GetAsync(d => d.Session, CompliancePrincipal.Encode("officer", "Department.HO", "Department.DFE"));
        var session = JsonDocument.Parse(body).RootElement;
        Assert.Equal(200, status);
        Assert.Equal("officer", session.GetProperty("name").GetString());
        Assert.False(session.GetProperty("readAll").GetBoolean());
        Assert.Equal(["DFE", "HO"], session.GetProperty("departments").EnumerateArray().Select(d => d.GetString()));

        Assert.True(JsonDocument.Parse((await GetAsync(d => d.Session, CompliancePrincipal.Encode("central", ComplianceRoles.ReadAll))).Body).RootElement.GetProperty("readAll").GetBoolean());
        Assert.Equal(401, (await GetAsync(d => d.Page, null)).Status);
        Assert.Equal(401, (await GetAsync(d => d.Session, null)).Status);
        Assert.Equal(401, (await GetAsync(d => r => d.Asset(r, "dashboard.js"), null)).Status);
        Assert.Equal(401, (await GetAsync(d => d.Page, Signed, trust: false)).Status);
    }

    private static readonly string Signed = CompliancePrincipal.Encode("someone");

    private static async Task<(int Status, string Body, Microsoft.AspNetCore.Http.IHeaderDictionary Headers)> GetAsync(
        Func<DashboardApi, Func<Microsoft.AspNetCore.Http.HttpRequest, Api.ApiResult>> route, string? principal, bool trust = true)
    {
        var request = TestHttp.Request(principal);
        var (status, body) = await TestHttp.SendAsync(request, r => Task.FromResult(route(new DashboardApi(TestEvents.Authorizer(trust)))(r)));
        return (status, body, request.HttpContext.Response.Headers);
    }

    [GeneratedRegex(@"<script(?![^>]*\ssrc=)[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex InlineScript();

    [GeneratedRegex(@"(?:src|href)=""(/api/dashboard/assets/[^""]+\.(?:js|css))""")]
    private static partial Regex Reference();
}
