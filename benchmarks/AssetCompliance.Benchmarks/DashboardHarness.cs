using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using AssetCompliance.Azure.Emulator;
using AssetCompliance.Azure.Tables;
using Azure.Data.Tables;
using Microsoft.Playwright;

namespace AssetCompliance.Benchmarks;

/// <summary>
/// The dashboard's first view of a large department (default 50,000 devices) in headless Debian chromium, against
/// <c>compliance run</c> (Release) on Azurite: from the navigation's start to the view rendered (the page's
/// <c>dashboard-view-rendered</c> mark, set once its figures, chart and first page of open items are on the page).
/// The baseline, measured in the same run and alternated with it, is the same view of a department of
/// <c>small</c> devices (default 200): the ratio says whether the first view grows with the department, which it must
/// not (it reads the maintained summary, the progress row and one page of open items). The harness also counts the
/// devices the first view fetched. Target: under 1 s. Not a test: the machine is shared.
/// </summary>
public static class DashboardHarness
{
    private const string Large = "BIG";
    private const string Small = "SML";

    public static async Task<int> RunAsync(string[] args)
    {
        var devices = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 50_000;
        var rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 15;
        var small = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 200;
        var root = RepositoryRoot.Find();
        var chromium = Environment.GetEnvironmentVariable("CHROMIUM_PATH") is { Length: > 0 } path ? path : "/usr/bin/chromium";
        if (!File.Exists(chromium))
        {
            Console.Error.WriteLine($"error: chromium is not at {chromium}: run .ci/install-tools.");
            return 1;
        }

        var cliProject = Path.Combine(root, "tools", "AssetCompliance.Cli");
        Console.WriteLine("Building the CLI in Release (not timed)...");
        if ((await XlsxCheckHarness.Run("dotnet", ["build", cliProject, "-c", "Release", "-nologo", "-v", "q"])).ExitCode != 0)
        {
            Console.Error.WriteLine("error: the Release build of the CLI failed.");
            return 1;
        }

        Console.WriteLine("Starting Azurite (in memory)...");
        await using var azurite = await AzuriteProcess.StartAsync(root, progress: null, CancellationToken.None);
        // The local run's own tables (its default prefix), so that it serves what is loaded here.
        var tables = new ComplianceTables(new TableServiceClient(azurite.ConnectionString), new TableStorageOptions().TablePrefix);
        await tables.EnsureCreatedAsync(CancellationToken.None);
        var store = new TableRecordStore(tables);
        var processor = StateHarness.Processor(store, new TableRejectionStore(tables));
        var load = Stopwatch.StartNew();
        foreach (var (department, count) in new[] { (Large, devices), (Small, small) })
        {
            foreach (var batch in StateHarness.DepartmentMessages(department, count).Chunk(StateHarness.MaxMessageBatchSize(root)))
            {
                await processor.ProcessAsync(batch, CancellationToken.None);
            }
        }

        var large = await store.GetSummaryAsync(Large, CancellationToken.None);
        Console.WriteLine($"Loaded {large.Counts.Total:N0} devices into {Large} and {small:N0} into {Small} in {load.Elapsed.TotalSeconds:F0} s.");

        var work = Directory.CreateTempSubdirectory("dashboard-bench-");
        var empty = Path.Combine(work.FullName, "none.jsonl");
        await File.WriteAllTextAsync(empty, "");
        var port = FreePort();
        using var run = Process.Start(new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Path.Combine(cliProject, "bin", "Release", "net10.0", "compliance.dll"), "run", "--storage", azurite.ConnectionString, "--port", port.ToString(CultureInfo.InvariantCulture), "--events", empty, "--alerts-dir", Path.Combine(work.FullName, "alerts") },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        _ = run.StandardOutput.ReadToEndAsync();
        _ = run.StandardError.ReadToEndAsync();
        try
        {
            var baseAddress = new Uri($"http://127.0.0.1:{port}/");
            await WaitForHealthAsync(baseAddress, run);
            using var playwright = await Playwright.CreateAsync();
            await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = chromium, Headless = true });
            Console.WriteLine($"{rounds} rounds, each the first view of {Large} and of {Small} in a new browser context (3 warm-up rounds first).");
            for (var i = 0; i < 3; i++)
            {
                await FirstViewAsync(browser, baseAddress, Large);
                await FirstViewAsync(browser, baseAddress, Small);
            }

            var largeTimes = new List<double>();
            var smallTimes = new List<double>();
            var fetched = 0;
            long bytes = 0;
            for (var i = 0; i < rounds; i++)
            {
                var big = await FirstViewAsync(browser, baseAddress, Large);
                largeTimes.Add(big.Milliseconds);
                (fetched, bytes) = (big.Devices, big.Bytes);
                smallTimes.Add((await FirstViewAsync(browser, baseAddress, Small)).Milliseconds);
            }

            var largeMedian = Timings.Median(largeTimes);
            var smallMedian = Timings.Median(smallTimes);
            Console.WriteLine($"first view, {large.Counts.Total:N0} devices: median {largeMedian:F0} ms, p95 {Percentile(largeTimes, 0.95):F0} ms  [{string.Join(", ", largeTimes.Select(t => t.ToString("F0", CultureInfo.InvariantCulture)))}]");
            Console.WriteLine($"first view, {small:N0} devices (baseline): median {smallMedian:F0} ms, p95 {Percentile(smallTimes, 0.95):F0} ms");
            Console.WriteLine($"ratio large / small: {largeMedian / smallMedian:F2}");
            Console.WriteLine($"devices fetched by the first view: {fetched:N0}; API bytes: {bytes / 1024.0:F1} KiB");
            Console.WriteLine($"load average: {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
            Console.WriteLine(largeMedian < 1000 ? "PASS: under 1 s" : "FAIL: 1 s or more");
            return largeMedian < 1000 ? 0 : 3;
        }
        finally
        {
            // What the harness started, it stops: the local run (by its pid), then Azurite (its own disposal).
            if (!run.HasExited)
            {
                run.Kill(entireProcessTree: true);
                await run.WaitForExitAsync();
            }

            work.Delete(recursive: true);
        }
    }

    /// <summary>Opens the department's view as its own role in a new context: the time to the rendered mark, the devices and bytes the API sent.</summary>
    private static async Task<(double Milliseconds, int Devices, long Bytes)> FirstViewAsync(IBrowser browser, Uri baseAddress, string department)
    {
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            ExtraHTTPHeaders = new Dictionary<string, string> { ["X-MS-CLIENT-PRINCIPAL"] = Principal(department) },
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
        });
        var page = await context.NewPageAsync();
        var devices = 0;
        long bytes = 0;
        var reads = new System.Collections.Concurrent.ConcurrentBag<Task>();
        page.Response += (_, response) => reads.Add(Task.Run(async () =>
        {
            if (!new Uri(response.Url).AbsolutePath.StartsWith("/api/departments/", StringComparison.Ordinal)) return;
            byte[] body;
            try
            {
                body = await response.BodyAsync();
            }
            catch (PlaywrightException)
            {
                return; // an answer without a body (the 404 of a route not there): nothing was sent
            }

            Interlocked.Add(ref bytes, body.Length);
            if (response.Ok && new Uri(response.Url).AbsolutePath.EndsWith("/assets", StringComparison.Ordinal))
            {
                Interlocked.Add(ref devices, JsonDocument.Parse(body).RootElement.GetProperty("items").GetArrayLength());
            }
        }));
        await page.GotoAsync(new Uri(baseAddress, "api/dashboard#/departments/" + department).AbsoluteUri);
        await page.WaitForFunctionAsync("() => document.body.getAttribute('data-view') === location.hash", null, new PageWaitForFunctionOptions { Timeout = 60_000 });
        var milliseconds = await page.EvaluateAsync<double>("() => performance.getEntriesByName('dashboard-view-rendered').at(-1).startTime");
        await Task.WhenAll(reads);
        return (milliseconds, devices, bytes);
    }

    private static string Principal(string department) => Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(new
    {
        auth_typ = "aad",
        name_typ = "name",
        role_typ = "roles",
        claims = new[] { new { typ = "name", val = "officer" }, new { typ = "roles", val = "Department." + department } },
    }));

    private static async Task WaitForHealthAsync(Uri baseAddress, Process run)
    {
        using var http = new HttpClient();
        for (var attempt = 0; attempt < 600; attempt++)
        {
            if (run.HasExited) throw new InvalidOperationException($"compliance run exited with {run.ExitCode}");
            try
            {
                if ((await http.GetAsync(new Uri(baseAddress, "api/health"))).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        throw new InvalidOperationException("compliance run did not start serving");
    }

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToArray();
        return sorted[Math.Min(sorted.Length - 1, (int)(sorted.Length * p))];
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
