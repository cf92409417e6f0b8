using System.Text.Json;
using AssetCompliance.Core.Alerting;

namespace AssetCompliance.Cli;

/// <summary>
/// The local run's stand-in for a Teams channel when no webhook is given: each card is written as the exact JSON
/// that would be posted, and a one-line summary is printed.
/// </summary>
internal sealed class FileAlertSender(string directory, TextWriter output, TimeProvider time) : IAlertSender
{
    private int _sequence;

    public static AlertTarget Target(string directory) => new("alerts-dir", new Uri(Path.GetFullPath(directory) + Path.DirectorySeparatorChar));

    public async Task<DeliveryResult> SendAsync(AlertTarget target, TeamsMessage message, SendEffort effort, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        var headline = message.Attachments[0].Content.Body.OfType<RichTextBlock>().FirstOrDefault()?.PlainText ?? "alert";
        var name = $"{time.GetUtcNow():yyyyMMdd-HHmmss}-{Interlocked.Increment(ref _sequence):D4}.json";
        var path = Path.Combine(directory, name);
        await File.WriteAllBytesAsync(path, JsonSerializer.SerializeToUtf8Bytes(message, AlertCardBuilder.Json), cancellationToken);
        await output.WriteLineAsync($"  card → {Path.Combine(Path.GetFileName(Path.TrimEndingDirectorySeparator(directory)), name)}: {headline}");
        return new DeliveryResult(DeliveryStatus.Accepted, 202);
    }
}

/// <summary>Routes every department's alerts to one target (the alerts directory).</summary>
internal sealed class SingleTargetRouting(AlertTarget target) : IAlertRouting
{
    public IReadOnlyList<AlertTarget> For(string department) => [target];
}
