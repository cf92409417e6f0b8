using System.Diagnostics;

namespace AssetCompliance.Cli;

/// <summary>
/// Prints an HTML document to PDF with Debian's chromium, headless (<c>--print-to-pdf</c>): the page's own print CSS
/// decides the paper (A4) and margins, without the browser's header and footer. No browser is downloaded: the one on
/// the machine is used (<c>--browser</c>, else <c>CHROMIUM</c>, else chromium or chromium-browser on PATH), and its
/// absence is an error naming how to install it. The browser runs in a fresh profile in a temporary folder that is
/// removed afterwards, and is ended (its whole process tree) if it has not finished within <see cref="Timeout"/>.
/// </summary>
internal static class ChromiumPdf
{
    /// <summary>How long one print may take; a report of many thousand open items prints in seconds.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    /// <summary>What to do when there is no browser.</summary>
    public const string InstallHint = "printing a PDF needs Debian's chromium: apt-get install chromium (or run .ci/install-tools), give its path with --browser, or write --output report.html";

    /// <summary>The browser to print with, or null when there is none (<paramref name="given"/>: the --browser option).</summary>
    public static string? Find(string? given)
    {
        if (!string.IsNullOrEmpty(given ?? Environment.GetEnvironmentVariable("CHROMIUM")))
        {
            var path = given ?? Environment.GetEnvironmentVariable("CHROMIUM")!;
            return File.Exists(path) ? Path.GetFullPath(path) : null;
        }

        foreach (var folder in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (var name in (string[])["chromium", "chromium-browser"])
            {
                var candidate = Path.Combine(folder, name);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    /// <summary>Prints <paramref name="html"/> to <paramref name="pdfPath"/>; the reason it could not, or null.</summary>
    public static async Task<string?> PrintAsync(string browser, string html, string pdfPath, CancellationToken cancellationToken)
    {
        var work = Directory.CreateTempSubdirectory("compliance-report-");
        try
        {
            var page = Path.Combine(work.FullName, "report.html");
            await File.WriteAllTextAsync(page, html, cancellationToken);
            var start = new ProcessStartInfo(browser)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in (string[])["--headless", "--disable-gpu", "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--disable-sync",
                "--disable-background-networking", "--disable-component-update", "--no-pdf-header-footer", $"--user-data-dir={Path.Combine(work.FullName, "profile")}",
                $"--print-to-pdf={pdfPath}"])
            {
                start.ArgumentList.Add(argument);
            }

            // Chromium refuses to start as root with its sandbox on; the page it prints is our own, scriptless, and
            // its Content-Security-Policy lets it fetch nothing.
            if (Environment.IsPrivilegedProcess)
            {
                start.ArgumentList.Add("--no-sandbox");
            }

            start.ArgumentList.Add(new Uri(page).AbsoluteUri);
            using var process = Process.Start(start) ?? throw new InvalidOperationException($"{browser} did not start");
            var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
            var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(Timeout);
            try
            {
                await process.WaitForExitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None);
                cancellationToken.ThrowIfCancellationRequested();
                return $"{browser} did not finish printing within {Timeout.TotalMinutes:0} minutes and was stopped";
            }

            await Task.WhenAll(stdout, stderr);
            if (process.ExitCode != 0 || !IsPdf(pdfPath))
            {
                var last = (await stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "";
                return $"{browser} exited with {process.ExitCode} without writing a PDF{(last.Length > 0 ? ": " + TerminalText.Safe(last) : "")}";
            }

            return null;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or IOException or UnauthorizedAccessException)
        {
            return $"{browser} could not be run: {e.Message}";
        }
        finally
        {
            try
            {
                work.Delete(recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A browser helper still holding its profile: the temporary folder is the system's to clean.
            }
        }
    }

    private static bool IsPdf(string path)
    {
        if (!File.Exists(path))
        {
            return false;
        }

        using var file = File.OpenRead(path);
        Span<byte> start = stackalloc byte[5];
        return file.ReadAtLeast(start, 5, throwOnEndOfStream: false) == 5 && start.SequenceEqual("%PDF-"u8);
    }
}
