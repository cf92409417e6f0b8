using System.Globalization;
using AssetCompliance.Core.Processing;

namespace AssetCompliance.Cli;

/// <summary>
/// Reads JSON Lines event files into the same <see cref="InboundMessage"/>s the Service Bus trigger produces, so that
/// a replay takes exactly the production path. The message id is the file name and line number: replaying a file
/// twice sends the same message ids, as a Service Bus redelivery would.
/// </summary>
/// <remarks>
/// Lines are read as bytes, not text: decoding to a string would turn bytes that are not UTF-8 into U+FFFD and could
/// make a corrupted line valid, where the processor must see and reject it. Lines end at <c>\n</c> (a <c>\r</c> before
/// it is dropped); a UTF-8 byte-order mark at the start of the file or of a line is skipped by the parser. A line
/// longer than <see cref="MaxLineBytes"/> is rejected with its start kept, so memory is bounded by that, not by the file.
/// </remarks>
internal static class EventFileReplay
{
    public const int BatchSize = 100;

    /// <summary>The largest line read whole: the HTTP route's body limit, larger than any one event needs.</summary>
    public const int MaxLineBytes = 1024 * 1024;

    public static IEnumerable<IReadOnlyList<InboundMessage>> Batches(string path, DateTimeOffset now)
    {
        var name = Path.GetFileName(path);
        var batch = new List<InboundMessage>(BatchSize);
        foreach (var (lineNumber, bytes, tooLong) in Lines(path))
        {
            if (IsBlank(bytes))
            {
                continue;
            }

            var messageId = string.Create(CultureInfo.InvariantCulture, $"{name}:{lineNumber}");
            var error = tooLong ? $"the line is longer than {MaxLineBytes} bytes; its first {MaxLineBytes} bytes are kept" : null;
            batch.Add(new InboundMessage(messageId, bytes, 1, now, "replay", error));
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

    private static IEnumerable<(int Line, byte[] Bytes, bool TooLong)> Lines(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
        var buffer = new byte[64 * 1024];
        using var line = new MemoryStream();
        var (number, tooLong) = (0, false);
        int read;
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            var start = 0;
            for (var i = 0; i <= read; i++)
            {
                var end = i == read;
                if (!end && buffer[i] != (byte)'\n')
                {
                    continue;
                }

                var take = Math.Min(i - start, MaxLineBytes - (int)line.Length);
                tooLong |= take < i - start;
                line.Write(buffer, start, take);
                start = i + 1;
                if (end)
                {
                    break;
                }

                yield return (++number, WithoutCarriageReturn(line), tooLong);
                line.SetLength(0);
                tooLong = false;
            }
        }

        if (line.Length > 0)
        {
            yield return (++number, WithoutCarriageReturn(line), tooLong);
        }
    }

    private static byte[] WithoutCarriageReturn(MemoryStream line)
    {
        var bytes = line.ToArray();
        return bytes is [.., (byte)'\r'] ? bytes[..^1] : bytes;
    }

    /// <summary>Only white space (and perhaps a byte-order mark): a blank line, skipped as before.</summary>
    private static bool IsBlank(byte[] bytes)
    {
        var span = Core.Events.AssetEventParser.WithoutByteOrderMark(bytes).Span;
        foreach (var b in span)
        {
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r'))
            {
                return false;
            }
        }

        return true;
    }
}
