using AssetCompliance.Core.Events;

namespace AssetCompliance.Core.Registers;

/// <summary>
/// A register of JSON Lines: one contract-v1 CloudEvent per line, each validated as the queue validates it, so a bad
/// line is that line's unreadable row and never the file's.
/// </summary>
internal static class JsonLinesRegister
{
    /// <summary>JSON Lines: one contract-v1 event per line, validated as the queue validates it; blank lines are skipped.</summary>
    public static IEnumerable<RegisterRow> Read(Stream stream)
    {
        // The same reader, and so the same line numbers, as the replay of event files (compliance run --events).
        var lines = new ByteLineReader(stream, RegisterReader.MaxRecordBytes);
        var rows = 0;
        while (lines.TryReadLine(out var line))
        {
            if (line.TooLong)
            {
                rows++;
                yield return RegisterRow.Unreadable(line.Number, $"is {line.Length:N0} bytes, longer than {RegisterReader.MaxRecordBytes:N0} bytes; not read");
                continue;
            }

            if (line.IsBlank)
            {
                continue;
            }

            rows++;
            yield return ParseEvent(line.Number, line.Bytes); // the parser skips a leading byte-order mark
        }

        if (rows == 0)
        {
            yield return RegisterRow.Unreadable(0, "the file has no events (it is empty, or holds only blank lines)");
        }
    }

    private static RegisterRow ParseEvent(int line, ReadOnlyMemory<byte> bytes)
    {
        AssetEventParseResult parsed;
        try
        {
            parsed = AssetEventParser.Parse(bytes);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The parser's job is to return errors; if it throws on some input, that line is still only one bad row.
            return RegisterRow.Unreadable(line, $"could not be parsed as an event ({e.GetType().Name}: {e.Message})");
        }

        return parsed.Event is { } parsedEvent
            ? new RegisterRow(line, parsedEvent.Kind, parsedEvent.Device, []) { Warnings = RegisterEvaluation.Warnings(parsedEvent.Device) }
            : RegisterRow.Unreadable(line, parsed.Errors.Select(x => x.ToString()).ToArray());
    }
}
