using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace AssetCompliance.Azure.Emulator;

/// <summary>
/// Runs the Azurite Table Storage emulator (npm package pinned in tools/azurite/package.json) on a free loopback
/// port, in memory, for the local run and the integration tests. Installs the package on first use with
/// <c>npm ci</c>, under a file lock so that parallel test runs do not install twice.
/// The emulator never outlives this process: <see cref="DisposeAsync"/> stops it, and if this process dies without
/// disposing (killed with SIGKILL, or a crash), tools/azurite/exit-with-parent.js, preloaded into node, ends it
/// within about a second, when its standard input (a pipe only this process writes) closes or its parent changes.
/// </summary>
/// <remarks>
/// <see cref="Process"/> rather than a process library (CliWrap 3.10 was reviewed for issue 16): CliWrap runs a command
/// to completion, and closes standard input at once unless given a source that never ends, which this watchdog reads
/// as "parent gone"; readiness from an output line, the pid, and a tree kill are as short here. The emulator is
/// development-only code in an assembly that ships to Azure, so a dependency for it would ship too.
/// </remarks>
public sealed class AzuriteProcess : IAsyncDisposable
{
    /// <summary>Azurite's published development account key. It is public and only opens the local emulator.</summary>
    private const string DevelopmentAccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private const int MaxRetainedOutput = 64 * 1024;

    private readonly Process _process;

    private AzuriteProcess(Process process, int port)
    {
        _process = process;
        TableEndpoint = new Uri($"http://127.0.0.1:{port}/devstoreaccount1");
    }

    public Uri TableEndpoint { get; }

    /// <summary>The emulator's process id (the node process), for diagnostics and for tests that check it stopped.</summary>
    public int ProcessId => _process.Id;

    /// <summary>The emulator's connection string (development account only).</summary>
    public string ConnectionString => ConnectionStringFor(TableEndpoint);

    public static string ConnectionStringFor(Uri tableEndpoint) =>
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={DevelopmentAccountKey};TableEndpoint={tableEndpoint};";

    /// <summary>Starts Azurite and waits until it listens. <paramref name="repositoryRoot"/> holds tools/azurite.</summary>
    public static async Task<AzuriteProcess> StartAsync(string repositoryRoot, TextWriter? progress, CancellationToken cancellationToken)
    {
        var toolDirectory = Path.Combine(repositoryRoot, "tools", "azurite");
        var entryPoint = Path.Combine(toolDirectory, "node_modules", "azurite", "dist", "src", "table", "main.js");
        var watchdog = Path.Combine(toolDirectory, "exit-with-parent.js");
        if (!File.Exists(watchdog))
        {
            throw new FileNotFoundException($"{watchdog} is missing: without it, Azurite could outlive this process.", watchdog);
        }

        await NpmTool.EnsureInstalledAsync(toolDirectory, entryPoint, progress, cancellationToken).ConfigureAwait(false);

        var port = FreeLoopbackPort();
        var start = new ProcessStartInfo("node")
        {
            // Held open, never written: its end of file tells the watchdog that this process is gone.
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = toolDirectory,
        };
        // --silent: no access-log line per request. Nobody reads it here, and it costs the emulator (and this process,
        // which drains the pipe) on every request.
        foreach (var argument in new[] { "--require", watchdog, entryPoint, "--tableHost", "127.0.0.1", "--tablePort", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--inMemoryPersistence", "--skipApiVersionCheck", "--disableTelemetry", "--silent" })
        {
            start.ArgumentList.Add(argument);
        }

        var output = new StringBuilder();
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException($"Azurite exited before it was ready:\n{output}"));
        if (!process.Start())
        {
            throw new InvalidOperationException("Could not start node to run Azurite. Is Node.js installed and on PATH?");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await listening.Task.WaitAsync(TimeSpan.FromSeconds(60), cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            Kill(process);
            throw;
        }

        return new AzuriteProcess(process, port);

        void OnLine(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (output)
            {
                // Kept for the error message if Azurite dies while starting; bounded, so that a long local run
                // does not hold everything the emulator ever printed.
                if (output.Length < MaxRetainedOutput)
                {
                    output.AppendLine(line);
                }
            }

            if (line.Contains("successfully", StringComparison.OrdinalIgnoreCase))
            {
                listening.TrySetResult();
            }
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    public async ValueTask DisposeAsync()
    {
        Kill(_process);
        await _process.WaitForExitAsync().ConfigureAwait(false);
        _process.Dispose();
    }
}
