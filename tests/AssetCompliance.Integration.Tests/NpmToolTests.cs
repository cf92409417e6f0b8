using System.Diagnostics;
using AssetCompliance.Azure.Emulator;

namespace AssetCompliance.Integration.Tests;

/// <summary>The first-run install of a pinned npm tool, with a stand-in installer (a shell script) instead of npm.</summary>
public sealed class NpmToolTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "npmtool-" + Guid.NewGuid().ToString("N")[..12]);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task An_install_cancelled_while_it_runs_ends_the_installer_before_giving_up_the_lock()
    {
        // The finding: WaitForExitAsync gave up on cancellation and the Process was disposed, which does not end it:
        // npm went on writing node_modules after the lock was released, beside the next run's install.
        Directory.CreateDirectory(_directory);
        var pidFile = Path.Combine(_directory, "installer.pid");
        var script = Path.Combine(_directory, "install.sh");
        await File.WriteAllTextAsync(script, $"echo $$ > '{pidFile}.tmp' && mv '{pidFile}.tmp' '{pidFile}' && exec sleep 300\n");
        using var cancel = new CancellationTokenSource();

        var install = NpmTool.EnsureInstalledAsync(_directory, Path.Combine(_directory, "never-written.js"), null, "/bin/sh", [script], cancel.Token);
        using (var started = new CancellationTokenSource(TimeSpan.FromMinutes(2))) // a guard against a hang, not a timed assertion
        {
            while (!File.Exists(pidFile) && !install.IsCompleted)
            {
                await Task.Delay(20, started.Token);
            }
        }

        Assert.False(install.IsCompleted, "the installer ended before it was cancelled");
        var pid = int.Parse((await File.ReadAllTextAsync(pidFile)).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        await cancel.CancelAsync();

        try
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => install);
            Assert.False(IsRunning(pid), $"the installer (pid {pid}) outlived the cancelled install");
        }
        finally
        {
            // What the test started, it stops, even when the assertion above fails.
            if (IsRunning(pid))
            {
                using var left = Process.GetProcessById(pid);
                left.Kill(entireProcessTree: true);
            }
        }
    }

    [Fact]
    public async Task A_failed_install_says_which_command_failed_with_its_exit_code_and_output()
    {
        Directory.CreateDirectory(_directory);
        var script = Path.Combine(_directory, "install.sh");
        await File.WriteAllTextAsync(script, "echo 'registry unreachable' >&2; exit 3\n");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            NpmTool.EnsureInstalledAsync(_directory, Path.Combine(_directory, "never-written.js"), null, "/bin/sh", [script], CancellationToken.None));

        Assert.Contains("exit code 3", error.Message, StringComparison.Ordinal);
        Assert.Contains("registry unreachable", error.Message, StringComparison.Ordinal);
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false; // no such process
        }
    }
}
