using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace AssetCompliance.Integration.Tests;

/// <summary>
/// <c>compliance run</c> as a user runs it: the built CLI in its own process, with its own Azurite. SIGINT (Ctrl-C)
/// and SIGTERM stop it with exit code 0 and stop its Azurite; SIGKILL, which it cannot handle, still leaves no Azurite
/// behind. Unix only: Windows has neither signal. Deadlines are generous limits for a shared machine, not timings.
/// </summary>
public sealed partial class RunSignalTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData("INT")]
    [InlineData("TERM")]
    public async Task Run_stops_on_the_signal_with_exit_0_and_stops_its_Azurite(string signal)
    {
        if (OperatingSystem.IsWindows()) return;
        await using var run = await CliRun.StartAsync();
        Assert.True(AzuriteIsRunning(run.AzuritePid), run.Output);
        if (signal == "INT")
        {
            await RepeatedValuesOverRealHttpAsync(run.Api);
        }

        await SendSignalAsync(run.Process.Id, signal);

        Assert.True(await ExitsWithinAsync(run.Process, Deadline), $"still running {Deadline.TotalSeconds} s after SIG{signal}:\n{run.Output}");
        Assert.True(run.Process.ExitCode == 0, $"exit code {run.Process.ExitCode}:\n{run.Output}");
        Assert.Contains($"Stopping (and Azurite, pid {run.AzuritePid}).", run.Output);
        Assert.False(AzuriteIsRunning(run.AzuritePid), $"Azurite (pid {run.AzuritePid}) outlived the run:\n{run.Output}");
    }

    /// <summary>
    /// Started the way a script's background job is (<c>compliance run &amp;</c>: SIGINT inherited ignored), SIGINT
    /// still stops the server and its Azurite, as Ctrl-C does at a terminal.
    /// </summary>
    [Fact]
    public async Task Run_started_with_SIGINT_ignored_still_stops_on_SIGINT_and_stops_its_Azurite()
    {
        if (!OperatingSystem.IsLinux() || !File.Exists("/usr/bin/env")) return;
        await using var run = await CliRun.StartAsync(sigIntIgnored: true);
        Assert.Equal(0UL, IgnoredSignals(run.Process.Id) & SigIntBit);

        await SendSignalAsync(run.Process.Id, "INT");

        Assert.True(await ExitsWithinAsync(run.Process, Deadline), $"still running {Deadline.TotalSeconds} s after SIGINT:\n{run.Output}");
        Assert.True(run.Process.ExitCode == 0, $"exit code {run.Process.ExitCode}:\n{run.Output}");
        Assert.False(AzuriteIsRunning(run.AzuritePid), $"Azurite (pid {run.AzuritePid}) outlived the run:\n{run.Output}");
    }

    private const ulong SigIntBit = 1UL << (2 - 1);

    /// <summary>The process's ignored-signal mask (<c>SigIgn</c> in /proc/{pid}/status).</summary>
    private static ulong IgnoredSignals(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
        return Convert.ToUInt64(line["SigIgn:".Length..].Trim(), 16);
    }

    /// <summary>
    /// A signal while the replay runs (before the web host exists, so only the command line's handler hears it):
    /// the run stops, says the replay did not finish, exits 1 (never 0: its state would be incomplete) and stops Azurite.
    /// </summary>
    [Fact]
    public async Task A_SIGTERM_during_the_replay_stops_it_with_exit_1_and_stops_its_Azurite()
    {
        if (OperatingSystem.IsWindows()) return;
        var events = Path.GetTempFileName();
        try
        {
            // Far more events than are replayed in the moment between the emulator's line and the signal.
            await File.WriteAllLinesAsync(events, Enumerable.Range(1, 20_000).Select(i => TestEvents.Upsert("HO", $"R{i:D5}", 1)));
            await using var run = await CliRun.StartAsync(["--events", events], until: "Table Storage: Azurite");

            await SendSignalAsync(run.Process.Id, "TERM");

            Assert.True(await ExitsWithinAsync(run.Process, Deadline), $"still running {Deadline.TotalSeconds} s after SIGTERM:\n{run.Output}");
            Assert.True(run.Process.ExitCode == 1, $"exit code {run.Process.ExitCode}:\n{run.Output}");
            Assert.Contains("Interrupted before the replay finished", run.Output);
            Assert.DoesNotContain("Serving", run.Output);
            Assert.False(AzuriteIsRunning(run.AzuritePid), $"Azurite (pid {run.AzuritePid}) outlived the run:\n{run.Output}");
        }
        finally
        {
            File.Delete(events);
        }
    }

    [Fact]
    public async Task After_SIGKILL_of_the_run_its_Azurite_ends_too()
    {
        if (OperatingSystem.IsWindows()) return;
        await using var run = await CliRun.StartAsync();
        Assert.True(AzuriteIsRunning(run.AzuritePid), run.Output);

        run.Process.Kill(entireProcessTree: false); // SIGKILL to the CLI alone: nothing of it runs to stop Azurite

        Assert.True(await ExitsWithinAsync(run.Process, Deadline), run.Output);
        var gone = Stopwatch.StartNew();
        while (AzuriteIsRunning(run.AzuritePid) && gone.Elapsed < Deadline)
        {
            await Task.Delay(200);
        }

        Assert.False(AzuriteIsRunning(run.AzuritePid), $"Azurite (pid {run.AzuritePid}) still runs {Deadline.TotalSeconds} s after its parent was killed");
    }

    /// <summary>The issue's sample through Kestrel, on the sample estate: both statuses, and a repeated top refused.</summary>
    private static async Task RepeatedValuesOverRealHttpAsync(Uri api)
    {
        using var http = new HttpClient(new ValidatingHandler()) { BaseAddress = api }; // its answers held to the document too
        async Task<int> CountAsync(string query)
        {
            var text = await http.GetStringAsync("departments/HO/assets?top=1000&" + query);
            return JsonDocument.Parse(text).RootElement.GetProperty("count").GetInt32();
        }

        var nonCompliant = await CountAsync("status=NonCompliant");
        Assert.True(nonCompliant > 0);
        Assert.Equal(nonCompliant + await CountAsync("status=NeedsReview"), await CountAsync("status=NonCompliant&status=NeedsReview"));
        using var repeated = await http.GetAsync("departments/HO/assets?top=5&top=6");
        Assert.Equal(HttpStatusCode.BadRequest, repeated.StatusCode);
        Assert.Contains("top takes one value", await repeated.Content.ReadAsStringAsync());
    }

    private static async Task SendSignalAsync(int pid, string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-s", signal, pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false })!;
        await kill.WaitForExitAsync();
        Assert.Equal(0, kill.ExitCode);
    }

    private static async Task<bool> ExitsWithinAsync(Process process, TimeSpan deadline)
    {
        using var timeout = new CancellationTokenSource(deadline);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Whether this pid is still an Azurite node process (a zombie or a reused pid is not).</summary>
    private static bool AzuriteIsRunning(int pid)
    {
        if (OperatingSystem.IsLinux())
        {
            try
            {
                return File.ReadAllText($"/proc/{pid}/cmdline").Contains("azurite", StringComparison.Ordinal);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return false;
            }
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>The built CLI running <c>compliance run</c> on a free port with the sample estate and its own Azurite.</summary>
    private sealed partial class CliRun : IAsyncDisposable
    {
        private readonly StringBuilder _output = new();
        private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly string _directory = Directory.CreateTempSubdirectory("run-signal-").FullName;
        private readonly string _until;

        private CliRun(int port, IReadOnlyList<string> arguments, string until, bool sigIntIgnored)
        {
            _until = until;
            Api = new Uri($"http://127.0.0.1:{port}/api/");
            var start = new ProcessStartInfo { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = _directory };
            // Started as a non-interactive shell's background job would be (`compliance run &` in a script): SIGINT
            // inherited ignored, which .NET keeps unless the program undoes it. Otherwise as this test run has it.
            if (sigIntIgnored && File.Exists("/usr/bin/env"))
            {
                start.FileName = "/usr/bin/env";
                start.ArgumentList.Add("--ignore-signal=INT");
                start.ArgumentList.Add(DotnetHost());
            }
            else
            {
                start.FileName = DotnetHost();
            }

            foreach (var argument in (string[])[Path.Combine(AppContext.BaseDirectory, "compliance.dll"), "run", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--alerts-dir", Path.Combine(_directory, "alerts"), .. arguments])
            {
                start.ArgumentList.Add(argument);
            }

            // Its own Azurite and no real channel, whatever this environment configures.
            foreach (var variable in new[] { "ComplianceStorage__ConnectionString", "Alerting__CentralWebhook", "ServiceBus__fullyQualifiedNamespace" })
            {
                start.Environment.Remove(variable);
            }

            Process = new Process { StartInfo = start };
            Process.OutputDataReceived += (_, e) => OnLine(e.Data);
            Process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        }

        public Process Process { get; }

        public Uri Api { get; }

        public int AzuritePid { get; private set; }

        public string Output
        {
            get
            {
                lock (_output) return _output.ToString();
            }
        }

        /// <param name="arguments">More arguments of <c>run</c>.</param>
        /// <param name="until">The output that means the run is where the test wants it: serving, by default.</param>
        /// <param name="sigIntIgnored">Start it with SIGINT ignored, as a script's background job inherits it.</param>
        public static async Task<CliRun> StartAsync(IReadOnlyList<string>? arguments = null, string until = "(Ctrl-C to stop)", bool sigIntIgnored = false)
        {
            var run = new CliRun(FreePort(), arguments ?? [], until, sigIntIgnored);
            run.Process.Start();
            run.Process.BeginOutputReadLine();
            run.Process.BeginErrorReadLine();
            try
            {
                // The first run of a fresh clone may install Azurite: minutes, not seconds.
                await run._ready.Task.WaitAsync(TimeSpan.FromMinutes(4));
            }
            catch (TimeoutException)
            {
                await run.DisposeAsync();
                Assert.Fail($"compliance run did not print '{until}':\n{run.Output}");
            }

            return run;
        }

        private void OnLine(string? line)
        {
            if (line is null)
            {
                _ready.TrySetException(new InvalidOperationException($"compliance run ended before it served:\n{Output}"));
                return;
            }

            lock (_output) _output.AppendLine(line);
            if (AzuriteLine().Match(line) is { Success: true } match)
            {
                AzuritePid = int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            }

            if (line.Contains(_until, StringComparison.Ordinal) && AzuritePid > 0)
            {
                _ready.TrySetResult();
            }
        }

        [GeneratedRegex(@"^Table Storage: Azurite \(in memory\) at \S+ \(pid (\d+)\)$")]
        private static partial Regex AzuriteLine();

        /// <summary>Stops what this test started and is still running: the CLI, then the Azurite it reported.</summary>
        public async ValueTask DisposeAsync()
        {
            if (!Process.HasExited)
            {
                Process.Kill(entireProcessTree: true);
                await Process.WaitForExitAsync();
            }

            if (AzuritePid > 0 && AzuriteIsRunning(AzuritePid))
            {
                using var azurite = Process.GetProcessById(AzuritePid);
                azurite.Kill();
            }

            Process.Dispose();
            Directory.Delete(_directory, recursive: true);
        }

        private static string DotnetHost() =>
            Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

        private static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
    }
}
