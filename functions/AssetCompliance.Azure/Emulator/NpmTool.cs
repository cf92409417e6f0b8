using System.Diagnostics;

namespace AssetCompliance.Azure.Emulator;

/// <summary>
/// A pinned npm package under <c>tools/</c> (package.json and package-lock.json committed), installed on first use with
/// <c>npm ci</c> under a file lock, so that parallel test runs and the local run never install twice or half-way.
/// </summary>
public static class NpmTool
{
    /// <summary>Installs the tool unless <paramref name="entryPoint"/> exists already.</summary>
    public static async Task EnsureInstalledAsync(string toolDirectory, string entryPoint, TextWriter? progress, CancellationToken cancellationToken)
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

        progress?.WriteLine($"Installing {Path.GetFileName(toolDirectory)} (npm ci in {toolDirectory}, first run only)...");
        var start = new ProcessStartInfo("npm")
        {
            WorkingDirectory = toolDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "ci", "--no-audit", "--no-fund", "--ignore-scripts" })
        {
            start.ArgumentList.Add(argument);
        }

        using var npm = Process.Start(start) ?? throw new InvalidOperationException("Could not start npm. Is Node.js installed and on PATH?");
        var stdout = npm.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = npm.StandardError.ReadToEndAsync(cancellationToken);
        await npm.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        if (npm.ExitCode != 0 || !File.Exists(entryPoint))
        {
            throw new InvalidOperationException($"'npm ci' in {toolDirectory} failed with exit code {npm.ExitCode}:\n{await stdout.ConfigureAwait(false)}\n{await stderr.ConfigureAwait(false)}");
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
