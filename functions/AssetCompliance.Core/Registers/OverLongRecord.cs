using AssetCompliance.Core.Events;

namespace AssetCompliance.Core.Registers;

/// <summary>
/// What becomes of a CSV record over <see cref="RegisterReader.MaxRecordBytes"/>, and where reading goes on after it:
/// a single long line costs that line; a quoted field that spans lines is skipped to the end of its record when that
/// end is found within <see cref="MaxAlignBytes"/> (<see cref="QuotedRecordScan"/>); a quote that never closes costs
/// its line; and when no end is found within the bound, the rest of the file is reported as not read.
/// </summary>
internal static class OverLongRecord
{
    /// <summary>
    /// How far past an over-long record's start the end of its quoted field is looked for: 256 MiB, five times the
    /// largest real cell seen (a 50 MB note). Scanning is a pass over bytes, with nothing kept.
    /// </summary>
    public const long MaxAlignBytes = 256L << 20;

    private static string TooLong =>
        $"is longer than {RegisterReader.MaxRecordBytes:N0} bytes (a line this long is not a register row); not read";

    /// <summary>The offset of physical line <paramref name="line"/> (1-based) counted from <paramref name="from"/>.</summary>
    public static long LineOffset(Stream stream, long from, int line)
    {
        stream.Position = from;
        var lines = new ByteLineReader(stream, 0);
        for (var i = 1; i < line && lines.SkipLine(); i++)
        {
        }

        return from + lines.Consumed;
    }

    /// <summary>
    /// The unreadable row for a record over the limit that starts at <paramref name="start"/> (line
    /// <paramref name="line"/>), and where reading goes on: the next line for a single long line or a quote that never
    /// closes, the line after the record for a quoted field that ends within <see cref="MaxAlignBytes"/>, or null
    /// (stop) when its end cannot be found within the bound.
    /// </summary>
    public static (RegisterRow Row, (long Offset, int Line, bool SkipLine)? Next) Skip(Stream stream, long start, int line)
    {
        stream.Position = start;
        var scan = QuotedRecordScan.Run(stream, MaxAlignBytes);
        return scan.Outcome switch
        {
            QuotedRecordScan.End.OneLine => (RegisterRow.Unreadable(line, TooLong), (start, line, true)),
            QuotedRecordScan.End.NeverCloses => (RegisterRow.Unreadable(line,
                $"is longer than {RegisterReader.MaxRecordBytes:N0} bytes: a quote opened on this line never closes before the end of the file (a stray '\"'?); the row is not read, and reading goes on at line {line + 1}"), (start, line, true)),
            QuotedRecordScan.End.Closed => (RegisterRow.Unreadable(line,
                $"is a record of {scan.Bytes:N0} bytes, a quoted field over lines {line} to {line + scan.Breaks}, longer than the {RegisterReader.MaxRecordBytes:N0} bytes a row may be; lines {line} to {line + scan.Breaks} are not read, and reading goes on at line {line + scan.Breaks + 1}"),
                (start + scan.Bytes, line + scan.Breaks, false)),
            _ => (RegisterRow.Unreadable(line,
                $"starts a quoted field that runs past {MaxAlignBytes >> 20} MiB without ending, so check cannot tell where the rows after it begin; the rest of the file, from line {line}, is not read"), null),
        };
    }
}
