using System.Diagnostics;

namespace AssetCompliance.Azure.Emulator;

/// <summary>
/// A pinned npm package under <c>tools/</c> (package.json and package-lock.json committed), installed on first use with
/// <c>npm ci</c> under a file lock, so that parallel test runs and the local run never install twice or half-way.
/// </summary>
public static class NpmTool
{
    /// <summary>Installs the tool unless <paramref name="entryPoint"/> exists already.</summary>
    public static Task EnsureInstalledAsync(string toolDirectory, string entryPoint, TextWriter? progress, CancellationToken cancellationToken) =>
        EnsureInstalledAsync(toolDirectory, entryPoint, progress, "npm", ["ci", "--no-audit", "--no-fund", "--ignore-scripts"], cancellationToken);

    /// <summary>
    /// Runs <paramref name="installer"/> in the tool's folder, under the lock, unless <paramref name="entryPoint"/>
    /// exists. Cancelled, it ends the installer (and what it started) before the lock is released, so that a later
    /// run never installs beside a half-finished one.
    /// </summary>
    internal static async Task EnsureInstalledAsync(string toolDirectory, string entryPoint, TextWriter? progress, string installer, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        if (File.Exists(entryPoint))
        {
            return;
        }

        Directory.CreateDirectory(toolDirectory);
        var lockPath = Path.Combine(toolDirectory, ".install.lock");
        using var installLock = await AcquireLockAsync(lockPath, cancellationToken).ConfigureAwait(false);
        if (File.Exists(entryPoint))
        {
            return;
        }

        progress?.WriteLine($"Installing {Path.GetFileName(toolDirectory)} ({installer} {string.Join(' ', arguments.Take(1))} in {toolDirectory}, first run only)...");
        var start = new ProcessStartInfo(installer)
        {
            WorkingDirectory = toolDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var npm = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {installer}. Is Node.js installed and on PATH?");
        var stdout = npm.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = npm.StandardError.ReadToEndAsync(CancellationToken.None);
        try
        {
            await npm.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Disposing a Process does not end it: without this, npm would go on writing node_modules after the lock
            // is released, beside the next run's install.
            try
            {
                npm.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // It ended by itself meanwhile.
            }

            await npm.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        if (npm.ExitCode != 0 || !File.Exists(entryPoint))
        {
            throw new InvalidOperationException($"'{installer} {string.Join(' ', arguments.Take(1))}' in {toolDirectory} failed with exit code {npm.ExitCode}:\n{await stdout.ConfigureAwait(false)}\n{await stderr.ConfigureAwait(false)}");
        }
    }

    private static async Task<FileStream> AcquireLockAsync(string path, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow.AddMinutes(5);
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(250, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
