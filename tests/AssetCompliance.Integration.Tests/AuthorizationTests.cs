using System.Text;
using System.Text.Json;
using AssetCompliance.Api;
using AssetCompliance.Api.Security;
using AssetCompliance.Azure.Tables;
using AssetCompliance.Core.State;
using Microsoft.AspNetCore.Http;

namespace AssetCompliance.Integration.Tests;

/// <summary>
/// Every route against every kind of caller: allowed callers get the data, others 401 or 403 and never another
/// department's rows; hostile identifiers and parameters are refused before they reach a query.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class AuthorizationTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private StateStores _store = null!;

    public async Task InitializeAsync()
    {
        _store = await azurite.CreateStoreAsync();
        await TestEvents.Processor(_store).ProcessAsync([
            TestEvents.Message(TestEvents.Upsert("HO", "CAM-1", 1)),
            TestEvents.Message(TestEvents.Upsert("MOJ", "CAM-9", 1)),
        ], CancellationToken.None);
        // A plan on each department's device, so that reading one is a 200 for whoever may, and another department's never shows.
        foreach (var (department, assetId) in new[] { ("HO", "CAM-1"), ("MOJ", "CAM-9") })
        {
            await new Core.Processing.Remediations(TestEvents.Commands(_store)).SetAsync(department, assetId, Plan, null, false, new Core.State.Actor("setup", ""), CancellationToken.None);
        }
    }

    private static readonly Core.Processing.RemediationRequest Plan = new("replace", DateTime.UtcNow.AddDays(30).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), "Estates team", "planned", null);

    public Task DisposeAsync() => Task.CompletedTask;

    private enum Caller { Anonymous, NoRoles, ReadAll, Admin, HomeOffice, Justice }

    /// <summary>A route; one whose handler is not on <see cref="ComplianceApi"/> or <see cref="StateApi"/> gives <paramref name="Handler"/> (store, trusted) instead of <paramref name="Call"/>.</summary>
    private sealed record Route(string Name, Access Needs, string? Department, Func<ComplianceApi, StateApi, HttpRequest, Task<ApiResult>>? Call, string Method = "GET", object? Body = null, string Query = "",
        Func<StateStores, bool, HttpRequest, Task<ApiResult>>? Handler = null, string? ContentType = null);

    private static readonly Route[] Routes =
    [
        new("asset", Access.ReadDepartment, "HO", (a, _, r) => a.GetAssetAsync(r, "HO", "CAM-1", default)),
        new("history", Access.ReadDepartment, "HO", (a, _, r) => a.GetAssetHistoryAsync(r, "HO", "CAM-1", default)),
        new("rejections", Access.ReadDepartment, "HO", (a, _, r) => a.GetRejectionsAsync(r, "HO", default)),
        new("summary", Access.ReadDepartment, "HO", (_, s, r) => s.GetDepartmentSummaryAsync(r, "HO", default)),
        new("estate summary", Access.ReadAll, null, (_, s, r) => s.GetEstateSummaryAsync(r, default)),
        new("exemptions", Access.ReadDepartment, "HO", (_, s, r) => s.GetExemptionsAsync(r, "HO", "CAM-1", default)),
        new("request exemption", Access.WriteDepartment, "HO", (_, s, r) => s.RequestExemptionAsync(r, "HO", "CAM-1", default), "POST",
            new { reason = "Replacement ordered", approver = "SIRO", expiresAt = DateTimeOffset.UtcNow.AddDays(30) }),
        new("approve exemption", Access.Admin, "HO", (_, s, r) => s.ApproveExemptionAsync(r, "HO", "CAM-1", default), "POST", new { preemptive = false }),
        new("refuse exemption", Access.Admin, "HO", (_, s, r) => s.RefuseExemptionAsync(r, "HO", "CAM-1", default), "POST", new { reason = "not justified" }),
        new("revoke exemption", Access.Admin, "HO", (_, s, r) => s.RevokeExemptionAsync(r, "HO", "CAM-1", default), "DELETE"),
        new("department alerts", Access.ReadDepartment, "HO", (_, s, r) => s.GetAlertsAsync(r, default), Query: "?department=HO"),
        new("all alerts", Access.ReadAll, null, (_, s, r) => s.GetAlertsAsync(r, default)),
        new("department audit", Access.ReadDepartment, "HO", (_, s, r) => s.GetAuditAsync(r, default), Query: "?department=HO"),
        new("all audit", Access.ReadAll, null, (_, s, r) => s.GetAuditAsync(r, default)),
        new("reevaluate", Access.Admin, null, (_, s, r) => s.ReevaluateAsync(r, default), "POST"),
        new("reset revision", Access.Admin, "HO", (_, s, r) => s.ResetRevisionAsync(r, "HO", "CAM-1", default), "POST", new { reason = "Revision sent by mistake" }),
        new("retry failed alerts", Access.Admin, null, (_, s, r) => s.RetryFailedAlertsAsync(r, default), "POST", Query: "?department=HO"),
        new("unattributed rejections", Access.ReadAll, null, (a, _, r) => a.GetUnattributedRejectionsAsync(r, default)),
        new("register", Access.WriteDepartment, "HO", null, "POST",
            Encoding.UTF8.GetBytes(string.Join(',', Core.Registers.RegisterReader.CsvHeader) + "\nCAM-1,HO,Hikvision,DS-2CD2143G2-I,S1,,camera,S1,Site one,true,segregated,2023-01-01,in-service\n"),
            "?dryRun=true", (s, trust, r) => TestEvents.RegisterApi(s, trust).PostAsync(r, "HO", default), "text/csv"),
        new("vendor lookup", Access.SignedIn, null, (a, _, r) => Task.FromResult(a.LookupVendor(r)), Query: "?manufacturer=Hikvision"),
        new("department progress", Access.ReadDepartment, "HO", null, Handler: (s, trust, r) => ProgressKit.Api(s, trustPrincipal: trust).GetDepartmentProgressAsync(r, "HO", default)),
        new("estate progress", Access.ReadAll, null, null, Handler: (s, trust, r) => ProgressKit.Api(s, trustPrincipal: trust).GetEstateProgressAsync(r, default)),
        new("rebuild progress", Access.Admin, null, null, "POST", Query: "?department=HO", Handler: (s, trust, r) => ProgressKit.Api(s, trustPrincipal: trust).RebuildProgressAsync(r, default)),
        new("remediation plan", Access.ReadDepartment, "HO", null, Handler: (s, trust, r) => TestEvents.RemediationApi(s, trustPrincipal: trust).GetAsync(r, "HO", "CAM-1", default)),
        new("put remediation plan", Access.WriteDepartment, "HO", null, "PUT", Plan with { Owner = "Home Office estates" },
            Handler: (s, trust, r) => TestEvents.RemediationApi(s, trustPrincipal: trust).PutAsync(r, "HO", "CAM-1", default)),
        new("dashboard", Access.SignedIn, null, null, Handler: (_, trust, r) => Task.FromResult(new Api.Dashboard.DashboardApi(TestEvents.Authorizer(trust)).Page(r))),
        new("dashboard session", Access.SignedIn, null, null, Handler: (_, trust, r) => Task.FromResult(new Api.Dashboard.DashboardApi(TestEvents.Authorizer(trust)).Session(r))),
        new("dashboard asset", Access.SignedIn, null, null, Handler: (_, trust, r) => Task.FromResult(new Api.Dashboard.DashboardApi(TestEvents.Authorizer(trust)).Asset(r, "dashboard.js"))),
        new("observations", Access.ReadDepartment, "HO", null, Query: "?outcome=notSeen",
            Handler: (s, trust, r) => ObservedEvents.Api(s, TimeProvider.System, trust).ListAsync(r, "HO", default)),
    ];

    public static TheoryData<string, string> Matrix()
    {
        var data = new TheoryData<string, string>();
        foreach (var route in Routes)
            foreach (var caller in Enum.GetNames<Caller>())
                data.Add(route.Name, caller);
        return data;
    }

    private static bool Allowed(Access needs, Caller caller) => caller switch
    {
        Caller.Anonymous => false,
        Caller.Admin => true,
        Caller.ReadAll => needs is Access.ReadDepartment or Access.ReadAll or Access.SignedIn,
        Caller.HomeOffice => needs is Access.ReadDepartment or Access.WriteDepartment or Access.SignedIn,
        Caller.Justice => needs is Access.SignedIn,
        _ => needs is Access.SignedIn,
    };

    private static string? Header(Caller caller) => caller switch
    {
        Caller.Anonymous => null,
        Caller.NoRoles => CompliancePrincipal.Encode("someone"),
        Caller.ReadAll => CompliancePrincipal.Encode("central", ComplianceRoles.ReadAll),
        Caller.Admin => CompliancePrincipal.Encode("admin", ComplianceRoles.Admin),
        Caller.HomeOffice => CompliancePrincipal.Encode("ho", "Department.HO"),
        _ => CompliancePrincipal.Encode("moj", "Department.MOJ"),
    };

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Every_route_admits_exactly_the_roles_it_should(string routeName, string callerName)
    {
        var route = Routes.Single(r => r.Name == routeName);
        var caller = Enum.Parse<Caller>(callerName);

        var (status, body) = await InvokeAsync(route, Header(caller), trust: true);

        if (Allowed(route.Needs, caller))
        {
            Assert.True(status is >= 200 and < 300 or 409, $"{routeName} as {callerName}: {status} {body}");
            if (route.Department == "HO")
            {
                Assert.DoesNotContain("CAM-9", body); // a department route never shows another department's rows
            }
        }
        else
        {
            Assert.Equal(caller == Caller.Anonymous ? 401 : 403, status);
            Assert.DoesNotContain("CAM-1", body);
            Assert.Contains("https://asset-compliance/problems/", body); // an RFC 9457 problem, not data
        }
    }

    [Fact]
    public async Task When_the_platform_principal_is_not_trusted_a_forged_header_opens_nothing_but_health()
    {
        foreach (var route in Routes)
        {
            var (status, body) = await InvokeAsync(route, Header(Caller.Admin), trust: false);
            Assert.True(status == 401, $"{route.Name}: {status} {body}");
        }

        var health = await TestEvents.ComplianceApi(_store, trustPrincipal: false).GetHealthAsync(TestHttp.Request(null), default);
        Assert.Equal(200, health.StatusCode);
    }

    /// <summary>
    /// A department code is letters, digits and hyphens, so an injection there is a 400. An asset id may hold quotes
    /// (registers do), so it reaches storage, but only as a point-read key or a parameterised filter value: the answer
    /// is "no such asset", never extra rows.
    /// </summary>
    [Theory]
    [InlineData("HO' or PartitionKey ne '", "CAM-1", 400)]
    [InlineData("MOJ%27%20or%201%20eq%201", "CAM-9", 400)]
    [InlineData("HO", "CAM-1' or RowKey ne '", 404)]
    [InlineData("HO", "x') or (PartitionKey ne 'y", 404)]
    [InlineData("HO", "CAM-1' or PartitionKey eq 'MOJ", 404)]
    public async Task Injection_strings_in_path_parameters_never_widen_a_query(string department, string assetId, int expected)
    {
        var api = TestEvents.ComplianceApi(_store);
        var state = TestEvents.StateApi(_store);
        var request = Request(Header(Caller.Admin));

        foreach (var result in new[]
        {
            await api.GetAssetAsync(request, department, assetId, default),
            await api.GetAssetHistoryAsync(request, department, assetId, default),
            await state.GetExemptionsAsync(request, department, assetId, default),
            await TestEvents.RemediationApi(_store).GetAsync(request, department, assetId, default),
        })
        {
            Assert.Equal(expected, result.StatusCode);
        }
    }

    [Fact]
    public async Task Injection_in_query_parameters_and_unknown_parameters_are_refused()
    {
        var state = TestEvents.StateApi(_store);

        var injected = await state.GetAlertsAsync(Request(Header(Caller.Admin), "?department=HO'%20or%20PartitionKey%20ne%20'"), default);
        var unknown = await state.GetDepartmentSummaryAsync(Request(Header(Caller.Admin), "?departmnt=MOJ"), "HO", default);

        Assert.Equal(400, injected.StatusCode);
        Assert.Equal(400, unknown.StatusCode);
    }

    [Fact]
    public async Task An_oversized_body_is_refused_with_413_before_it_is_read()
    {
        var request = TestHttp.Request(Header(Caller.Admin), method: "POST", body: new byte[16], declareLength: false);
        request.ContentLength = 2 * 1024 * 1024; // the declared length is what is checked

        var result = await TestEvents.StateApi(_store).RequestExemptionAsync(request, "HO", "CAM-1", default);

        Assert.Equal(413, result.StatusCode);

        // Without a Content-Length (chunked), the body is read only up to the limit and refused the same way.
        var chunked = TestHttp.Request(Header(Caller.Admin), method: "POST", body: new byte[200 * 1024], declareLength: false);
        Assert.Equal(413, (await TestEvents.StateApi(_store).RequestExemptionAsync(chunked, "HO", "CAM-1", default)).StatusCode);
    }

    private static HttpRequest Request(string? header, string query = "") => TestHttp.Request(header, query);

    private Task<(int Status, string Body)> InvokeAsync(Route route, string? header, bool trust)
    {
        var request = TestHttp.Request(header, route.Query, route.Method, route.Body switch { null => null, byte[] bytes => bytes, var body => TestHttp.Json(body) });
        request.ContentType = route.ContentType;
        return TestHttp.SendAsync(request,
            r => route.Handler is { } handler ? handler(_store, trust, r) : route.Call!(TestEvents.ComplianceApi(_store, trust), TestEvents.StateApi(_store, trustPrincipal: trust), r));
    }
}
