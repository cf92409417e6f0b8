using System.Globalization;
using AssetCompliance.Core.Events;
using AssetCompliance.Core.Processing;

namespace AssetCompliance.Cli;

/// <summary>
/// Reads JSON Lines event files into the same <see cref="InboundMessage"/>s the Service Bus trigger produces, so that
/// a replay takes exactly the production path. The message id is the file name and line number: replaying a file
/// twice sends the same message ids, as a Service Bus redelivery would.
/// </summary>
/// <remarks>
/// Lines are read by <see cref="ByteLineReader"/>, as <c>check</c> reads a JSON Lines register, so both give a line the
/// same number: lines end at LF, CR LF or a lone CR; blank lines (spaces and tabs, perhaps after a byte-order mark)
/// are skipped but counted; a UTF-8 byte-order mark at the start of a line is skipped by the parser. A line longer
/// than <see cref="MaxLineBytes"/> is rejected with its start kept (memory is bounded by that, not by the file) and
/// the whole line's digest, so that two long lines with the same start are still two rejections.
/// </remarks>
internal static class EventFileReplay
{
    public const int BatchSize = 100;

    /// <summary>The largest line read whole: the HTTP route's body limit, larger than any one event needs.</summary>
    public const int MaxLineBytes = AssetCompliance.Api.IngestionApi.MaxBodyBytes;

    public static IEnumerable<IReadOnlyList<InboundMessage>> Batches(string path, DateTimeOffset now)
    {
        var name = Path.GetFileName(path);
        var batch = new List<InboundMessage>(BatchSize);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
        var lines = new ByteLineReader(stream, MaxLineBytes, digestLongLines: true);
        while (lines.TryReadLine(out var line))
        {
            if (line.IsBlank)
            {
                continue;
            }

            var messageId = string.Create(CultureInfo.InvariantCulture, $"{name}:{line.Number}");
            // The operator's own files speak for the departments they name (docs/security.md).
            batch.Add(line.TooLong
                ? new InboundMessage(messageId, line.Bytes, 1, now, "replay",
                    string.Create(CultureInfo.InvariantCulture, $"the line is {line.Length:N0} bytes, longer than the {MaxLineBytes:N0} a line may be; its first {MaxLineBytes:N0} bytes are kept"),
                    new BodyCut(line.Length, line.Digest!.Value)) { Vouch = SenderVouch.Operator }
                : new InboundMessage(messageId, line.Bytes, 1, now, "replay") { Vouch = SenderVouch.Operator });
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
