using System.Globalization;
using System.Text;
using AssetCompliance.Core.Processing;

namespace AssetCompliance.Cli;

/// <summary>
/// Reads JSON Lines event files into the same <see cref="InboundMessage"/>s the Service Bus trigger produces, so that
/// a replay takes exactly the production path. The message id is the file name and line number: replaying a file
/// twice sends the same message ids, as a Service Bus redelivery would.
/// </summary>
internal static class EventFileReplay
{
    public const int BatchSize = 100;

    public static IEnumerable<IReadOnlyList<InboundMessage>> Batches(string path, DateTimeOffset now)
    {
        var name = Path.GetFileName(path);
        var batch = new List<InboundMessage>(BatchSize);
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path, Encoding.UTF8))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var messageId = string.Create(CultureInfo.InvariantCulture, $"{name}:{lineNumber}");
            batch.Add(new InboundMessage(messageId, Encoding.UTF8.GetBytes(line), 1, now, "replay"));
            if (batch.Count == BatchSize)
            {
                yield return batch;
                batch = new List<InboundMessage>(BatchSize);
            }
        }

        if (batch.Count > 0)
        {
            yield return batch;
        }
    }
}
