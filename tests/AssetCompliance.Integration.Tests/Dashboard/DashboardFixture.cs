using System.Text.Json.Nodes;
using AssetCompliance.Api.Security;
using AssetCompliance.Cli;
using Microsoft.Playwright;

namespace AssetCompliance.Integration.Tests.Dashboard;

/// <summary>
/// One local run (<c>compliance run</c> on the sample estate and a department of hostile register text, with its own
/// Azurite) and one headless Debian chromium driven by Playwright through its <c>ExecutablePath</c> (no browser is
/// downloaded), shared by the tests of a class and stopped after them.
/// </summary>
public sealed class DashboardFixture : IAsyncLifetime
{
    /// <summary>Where Debian's chromium package puts the browser; CHROMIUM_PATH overrides it.</summary>
    public static string ChromiumPath => Environment.GetEnvironmentVariable("CHROMIUM_PATH") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    /// <summary>The department whose register holds hostile text (markup, script, quotes) in every free-text field.</summary>
    public const string HostileDepartment = "DCMS";

    /// <summary>The asset id of its one device (quotes and angle brackets are allowed in ids; registers hold them).</summary>
    public const string HostileAssetId = "CAM-<b>\"1\"";

    /// <summary>Text that would run or draw something if it ever became markup.</summary>
    public const string HostileManufacturer = "Hikvision <img src=x onerror=\"window.__injected='img'\">";
    public const string HostileModel = "<script>window.__injected='script'</script>DS-2CD2143G2-I";
    public const string HostileSiteName = "\"><svg onload=\"window.__injected='svg'\"></svg>&amp; Lobby";

    /// <summary>The owner of the hostile device's plan: a right-to-left override would show "Estates exe.png" reversed as a file name.</summary>
    public const string HostileOwner = "Estates \u202Egnp.exe";

    private readonly CancellationTokenSource _stop = new();
    private readonly StringWriter _output = new();
    private Task<int>? _run;
    private IPlaywright? _playwright;

    /// <summary>The local run's address, <c>http://127.0.0.1:{port}/</c>.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Screenshots and the printed PDF: under the test output, kept after the run.</summary>
    public string OutputDirectory { get; } = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "dashboard-screenshots")).FullName;

    /// <summary>The local run's console, for a failure's message.</summary>
    public string RunOutput => _output.ToString();

    public async Task InitializeAsync()
    {
        Assert.True(File.Exists(ChromiumPath), $"chromium is not installed at {ChromiumPath}: run .ci/install-tools (it runs `apt-get install -y chromium`), the README's install step, then the tests again.");
        var directory = Directory.CreateTempSubdirectory("dashboard-").FullName;
        var hostile = Path.Combine(directory, "hostile.jsonl");
        await File.WriteAllTextAsync(hostile, HostileEvent() + "\n");
        var port = LocalRunTests.FreePort();
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
        var settings = new RunCommand.Settings([Path.Combine(RepositoryPaths.Root, "samples", "asset-events.jsonl"), hostile], port, null, Verbose: false,
            AlertsDir: Path.Combine(directory, "alerts"));
        _run = Task.Run(() => new RunCommand(TextWriter.Synchronized(_output)).ExecuteAsync(settings, _stop.Token));
        using (var http = new HttpClient { BaseAddress = new Uri(BaseAddress, "api/") })
        {
            await LocalRunTests.WaitUntilServingAsync(http, _run, _output);
        }

        await MakePlansAsync();

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = ChromiumPath, Headless = true });
    }

    /// <summary>An API client acting as <paramref name="principal"/>, every answer validated against the OpenAPI document.</summary>
    public HttpClient Api(string principal)
    {
        var http = new HttpClient(new ValidatingHandler()) { BaseAddress = new Uri(BaseAddress, "api/") };
        http.DefaultRequestHeaders.Add(CompliancePrincipal.HeaderName, principal);
        return http;
    }

    /// <summary>A browser page whose every request carries <paramref name="principal"/>, as App Service Authentication would.</summary>
    /// <param name="prepare">Runs before the page is opened (to route a request, for instance).</param>
    public async Task<DashboardPage> OpenAsync(string principal, string fragment = "", Func<IPage, Task>? prepare = null)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
            ExtraHTTPHeaders = new Dictionary<string, string> { [CompliancePrincipal.HeaderName] = principal },
            Locale = "en-GB",
        });
        var page = new DashboardPage(context, await context.NewPageAsync(), BaseAddress, OutputDirectory);
        if (prepare is not null)
        {
            await prepare(page.Page);
        }

        await page.GoToAsync(fragment);
        return page;
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
        await _stop.CancelAsync();
        if (_run is not null)
        {
            await _run;
        }

        _stop.Dispose();
    }

    /// <summary>The plans the fixture makes through the real route (as the Home Office), so the pages show real plan counts.</summary>
    public static readonly (string AssetId, string Action, string State)[] Plans =
        [("HO-CAM-0001", "replace", "planned"), ("HO-CAM-0003", "disconnect", "planned"), ("HO-NVR-0001", "remove", "ordered")];

    /// <summary>Records <see cref="Plans"/> and the hostile device's plan (<see cref="HostileOwner"/>) through <c>PUT …/remediation</c>, due 30 days on (within every urgency's limit).</summary>
    private async Task MakePlansAsync()
    {
        using var api = Api(CompliancePrincipal.Encode("Home Office officer", ComplianceRoles.DepartmentPrefix + "HO"));
        var due = DateTime.UtcNow.AddDays(30).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        foreach (var (assetId, action, state) in Plans)
        {
            var body = new JsonObject { ["action"] = action, ["dueDate"] = due, ["owner"] = "HO Estates", ["state"] = state, ["notes"] = "<i>on order</i>" };
            using var response = await api.PutAsync($"departments/HO/assets/{assetId}/remediation",
                new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json"));
            Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, $"{assetId}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        using var dcms = Api(CompliancePrincipal.Encode("DCMS officer", ComplianceRoles.DepartmentPrefix + HostileDepartment));
        var hostile = new JsonObject { ["action"] = "replace", ["dueDate"] = due, ["owner"] = HostileOwner, ["state"] = "planned", ["notes"] = "PO \u2066<b>1</b>\u2069" };
        using var made = await dcms.PutAsync($"departments/{HostileDepartment}/assets/{Uri.EscapeDataString(HostileAssetId)}/remediation",
            new StringContent(hostile.ToJsonString(), System.Text.Encoding.UTF8, "application/json"));
        Assert.True(made.StatusCode == System.Net.HttpStatusCode.Created, $"{HostileAssetId}: {(int)made.StatusCode} {await made.Content.ReadAsStringAsync()}");
    }

    private static string HostileEvent()
    {
        var upsert = JsonNode.Parse(TestEvents.Upsert(HostileDepartment, HostileAssetId, 1, manufacturer: HostileManufacturer, id: "DCMS-hostile-1"))!;
        upsert["data"]!["model"] = HostileModel;
        upsert["data"]!["site"]!["name"] = HostileSiteName;
        return upsert.ToJsonString();
    }
}
