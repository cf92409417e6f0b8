using System.Diagnostics;
using System.Globalization;

namespace AssetCompliance.Cli;

/// <summary>
/// A one-line progress bar on a terminal's standard error, redrawn at most ten times a second. It is only shown for
/// an interactive terminal: redirected output and CI logs stay free of carriage-return noise.
/// </summary>
/// <remarks>
/// Hand-written rather than Spectre.Console's <c>Progress</c> (reviewed at 0.57.2, issue 16): that display owns the
/// work as a callback and redraws from its own refresh thread, and is documented as not thread safe beside other
/// output; check and push write error and warning lines to a <see cref="TextWriter"/> (the tests' seam) between rows,
/// clearing this bar synchronously first (<see cref="Complete"/>), which a background redraw would race. Its
/// non-interactive fallback also prints progress lines, where this prints nothing. What the library would add (colour,
/// an estimate of time left) does not outweigh restructuring both commands around it.
/// </remarks>
internal sealed class ProgressBar(TextWriter terminal, long total)
{
    private const int Width = 30;
    private readonly Stopwatch _sinceDraw = Stopwatch.StartNew();
    private bool _drawn;

    /// <summary>A bar for reading a file of this size, or none when standard error is not a terminal or the file is small.</summary>
    public static ProgressBar? ForFile(long bytes) =>
        Console.IsErrorRedirected || bytes < 1 << 20 ? null : new ProgressBar(Console.Error, bytes);

    /// <summary>A bar for sending this many items, or none when standard error is not a terminal or there are few.</summary>
    public static ProgressBar? ForItems(int count) =>
        Console.IsErrorRedirected || count < 1000 ? null : new ProgressBar(Console.Error, count);

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
