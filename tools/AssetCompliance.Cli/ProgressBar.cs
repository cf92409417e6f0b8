using System.Diagnostics;
using System.Globalization;

namespace AssetCompliance.Cli;

/// <summary>
/// A one-line progress bar on a terminal's standard error, redrawn at most ten times a second. It is only shown for
/// an interactive terminal: redirected output and CI logs stay free of carriage-return noise.
/// </summary>
internal sealed class ProgressBar(TextWriter terminal, long total)
{
    private const int Width = 30;
    private readonly Stopwatch _sinceDraw = Stopwatch.StartNew();
    private bool _drawn;

    /// <summary>A bar for reading a file of this size, or none when standard error is not a terminal or the file is small.</summary>
    public static ProgressBar? ForFile(long bytes) =>
        Console.IsErrorRedirected || bytes < 1 << 20 ? null : new ProgressBar(Console.Error, bytes);

    public void Report(long done, int rows)
    {
        if (_sinceDraw.ElapsedMilliseconds < 100)
        {
            return;
        }

        _sinceDraw.Restart();
        var fraction = total <= 0 ? 1 : Math.Clamp((double)done / total, 0, 1);
        var filled = (int)(fraction * Width);
        terminal.Write(string.Create(CultureInfo.InvariantCulture, $"\r[{new string('#', filled)}{new string('.', Width - filled)}] {fraction,4:P0} {rows:N0} rows"));
        _drawn = true;
    }

    /// <summary>Clears the bar so the next line starts clean; the next report draws it again.</summary>
    public void Complete()
    {
        if (_drawn)
        {
            terminal.Write("\r" + new string(' ', Width + 30) + "\r");
            _drawn = false;
        }
    }
}
