using System.Text;
using AssetCompliance.Core.Events;
using CsvHelper;

namespace AssetCompliance.Core.Registers;

/// <summary>
/// A CSV register export, read with CsvHelper (RFC 4180), row by row in constant memory, so that no cell, quote or
/// line costs more than its own row:
/// <list type="bullet">
/// <item>A record over <see cref="RegisterReader.MaxRecordBytes"/> (a giant line, or a quote that never closes) is an
/// unreadable row with its line number; reading goes on at the next line.</item>
/// <item>A quote that opens a field and does not close on its line (a record that would swallow the next lines and
/// come out malformed) makes that line an unreadable row, and reading goes on at the next line: a stray quote costs
/// its own row, never the rest of the file. A quoted cell that really spans lines, closes cleanly and leaves the
/// row with the header's number of fields is read as one cell, unless it holds a whole row's worth of commas: then
/// it is the rows a bad quote swallowed, and is treated so.</item>
/// <item>A quote inside an unquoted field (<c>DS-2CD2143G2-I 4" dome</c>) is read as the character it is.</item>
/// </list>
/// Why CsvHelper rather than Sylvan.Data.Csv, both measured in benchmarks/README.md: CsvHelper reports each malformed
/// record with its kind and line number, counts physical lines (inside quotes too) and gives every record's byte
/// offset, which is what lets a bad record be skipped by one line and reading go on; Sylvan's standard mode stops
/// for good at the first malformed quote, its lax mode changes values without saying so, it counts no lines, and it
/// skips lines starting with '#' as comments unless told otherwise.
/// </summary>
internal static class CsvRegister
{
    public static IEnumerable<RegisterRow> Read(Stream stream)
    {
        var baseOffset = stream.Position;
        var baseLine = 0;
        HeaderMap? header = null;
        var rows = 0;
        var malformed = new Queue<(long Line, CsvMalformedReason Reason)>();
        var options = new CsvReaderOptions
        {
            HasHeader = false,
            Separator = ',',
            TrackLineNumbers = true,
            // Cells are trimmed anyway; trimming here also lets a quote after a space open a field (a, "b, c").
            TrimWhitespace = true,
            SkipEmptyLines = true,
            MaxRecordSize = RegisterReader.MaxRecordBytes,
            MalformedData = CsvMalformedDataHandling.Recover,
            FieldCountMismatch = CsvFieldCountHandling.Allow,
            OnMalformedRecord = m => malformed.Enqueue((m.LineNumber, m.Reason)),
        };

        while (true)
        {
            long? restartAt = null;
            var restartLine = 0;
            stream.Position = baseOffset;
            malformed.Clear();
            using (var csv = CsvReader.Create(stream, options, leaveOpen: true))
            {
                while (true)
                {
                    CsvFormatException? tooLarge = null;
                    bool read;
                    try
                    {
                        read = csv.Read();
                    }
                    catch (CsvFormatException e)
                    {
                        tooLarge = e;
                        read = false;
                    }

                    if (tooLarge is not null)
                    {
                        rows += header is null ? 0 : 1;
                        restartLine = baseLine + (int)tooLarge.LineNumber;
                        restartAt = baseOffset + tooLarge.ByteOffset;
                        yield return RegisterRow.Unreadable(restartLine, TooLong);
                        break;
                    }

                    if (!read)
                    {
                        break;
                    }

                    var line = baseLine + (int)csv.LineNumber;
                    var reason = TakeMalformed(malformed, csv.LineNumber);
                    var raw = csv.RawRecord;
                    var spansLines = raw.IndexOfAny((byte)'\n', (byte)'\r') >= 0;
                    if (raw.Length > RegisterReader.MaxRecordBytes)
                    {
                        rows += header is null ? 0 : 1;
                        yield return RegisterRow.Unreadable(line, TooLong);
                        if (spansLines)
                        {
                            (restartAt, restartLine) = (baseOffset + csv.ByteOffset, line);
                            break;
                        }

                        continue;
                    }

                    if (header is null)
                    {
                        if (IsSeparatorHint(raw))
                        {
                            continue;
                        }

                        if (spansLines || reason == CsvMalformedReason.UnterminatedQuote)
                        {
                            yield return RegisterRow.Unreadable(line, "the header has a quote that does not close on its line; check cannot tell where the column names end");
                            yield break;
                        }

                        header = HeaderMap.Parse(Fields(csv), out var headerError);
                        if (header is null)
                        {
                            yield return RegisterRow.Unreadable(line, headerError!);
                            yield break;
                        }

                        continue;
                    }

                    if (spansLines && (reason is CsvMalformedReason.UnterminatedQuote or CsvMalformedReason.TextAfterClosingQuote || !Fits(csv, header)
                        || FirstField(csv, f => SwallowsARow(f, header.FieldCount)) is not null))
                    {
                        rows++;
                        var column = FirstField(csv, f => f.IndexOfAny((byte)'\n', (byte)'\r') >= 0);
                        yield return RegisterRow.Unreadable(line,
                            $"the quoted field in {header.Describe(column)} does not close on this line (a stray '\"'?): the row is not read, and reading goes on at line {line + 1}");
                        (restartAt, restartLine) = (baseOffset + csv.ByteOffset, line);
                        break;
                    }

                    if (!Fits(csv, header) || csv.GetSpan(header.AssetIdIndex).Trim(" \t"u8).IsEmpty)
                    {
                        if (IsBlank(csv))
                        {
                            // A row of empty cells (spreadsheets export formatted blank rows so) holds no device.
                            continue;
                        }
                    }

                    rows++;
                    if (reason == CsvMalformedReason.UnterminatedQuote)
                    {
                        var column = FirstField(csv, f => f.Length > 0 && f[0] == (byte)'"');
                        yield return RegisterRow.Unreadable(line, $"the quoted field in {header.Describe(column)} never closes; the row is not read");
                        continue;
                    }

                    if (!Fits(csv, header))
                    {
                        yield return RegisterRow.Unreadable(line, $"has {csv.FieldCount} fields, the header has {header.FieldCount}; the cells cannot be matched to columns");
                        continue;
                    }

                    var row = RegisterCells.Read(line, position => csv.GetString(header[position]).Trim());
                    if (reason == CsvMalformedReason.TextAfterClosingQuote && row.Device is not null
                        && FirstField(csv, IsTextAfterClosingQuote) is { } bad && header.DocumentedName(bad) is { } badColumn)
                    {
                        var warnings = row.Warnings.ToList();
                        RegisterCells.Warn(warnings, badColumn, Encoding.UTF8.GetString(csv.GetRawSpan(bad)),
                            $"has text after its closing quote; read as '{csv.GetString(bad).Trim()}'", unread: false);
                        row = row with { Warnings = warnings };
                    }

                    yield return row;
                }
            }

            if (restartAt is null)
            {
                break;
            }

            // Go on at the line after the one the bad record started on.
            stream.Position = restartAt.Value;
            var lines = new ByteLineReader(stream, 0);
            if (!lines.SkipLine())
            {
                break;
            }

            baseOffset = restartAt.Value + lines.Consumed;
            baseLine = restartLine;
        }

        if (header is null)
        {
            yield return RegisterRow.Unreadable(0, "the file has no header (it is empty, or holds only blank lines)");
        }
        else if (rows == 0)
        {
            yield return RegisterRow.Unreadable(0, "the file has a header but no rows: there is nothing to check");
        }
    }

    private static string TooLong =>
        $"is longer than {RegisterReader.MaxRecordBytes:N0} bytes (a line this long, or a quote that never closes, is not a register row); not read";

    private static CsvMalformedReason? TakeMalformed(Queue<(long Line, CsvMalformedReason Reason)> malformed, long line)
    {
        while (malformed.TryPeek(out var next) && next.Line < line)
        {
            malformed.Dequeue();
        }

        return malformed.TryPeek(out var current) && current.Line == line ? malformed.Dequeue().Reason : null;
    }

    private static bool IsSeparatorHint(ReadOnlySpan<byte> raw) =>
        raw.Length == 5 && Ascii.EqualsIgnoreCase(raw, "sep=,"u8);

    private static string[] Fields(CsvReader csv)
    {
        var fields = new string[csv.FieldCount];
        for (var i = 0; i < fields.Length; i++)
        {
            fields[i] = csv.GetString(i);
        }

        return fields;
    }

    /// <summary>
    /// Whether a record's cells line up with the header: as many fields, or more whose extra cells are all empty
    /// (trailing commas), or fewer where only columns with no name are missing (spreadsheets pad the header so).
    /// </summary>
    private static bool Fits(CsvReader csv, HeaderMap header)
    {
        if (csv.FieldCount == header.FieldCount)
        {
            return true;
        }

        for (var i = Math.Min(csv.FieldCount, header.FieldCount); i < Math.Max(csv.FieldCount, header.FieldCount); i++)
        {
            if (i < csv.FieldCount ? !csv.GetSpan(i).Trim(" \t"u8).IsEmpty : !header.IsBlank(i))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsBlank(CsvReader csv)
    {
        for (var i = 0; i < csv.FieldCount; i++)
        {
            if (!csv.GetSpan(i).Trim(" \t"u8).IsEmpty)
            {
                return false;
            }
        }

        return true;
    }

    private delegate bool RawFieldTest(ReadOnlySpan<byte> raw);

    private static int? FirstField(CsvReader csv, RawFieldTest test)
    {
        for (var i = 0; i < csv.FieldCount; i++)
        {
            if (test(csv.GetRawSpan(i).Trim(" \t"u8)))
            {
                return i;
            }
        }

        return null;
    }

    /// <summary>
    /// Whether a quoted cell that spans lines holds what a whole row would: as many separators as the header has
    /// between its columns. A quote opened by mistake in one row and closed by a stray one in the same column of a
    /// later row makes a record with the right number of fields, whose cell is the rows in between; a real note
    /// with line breaks has nowhere near a row's worth of commas. Such a record is treated as the bad quote it is.
    /// </summary>
    private static bool SwallowsARow(ReadOnlySpan<byte> raw, int fieldCount) =>
        raw.IndexOfAny((byte)'\n', (byte)'\r') >= 0 && raw.Count((byte)',') >= fieldCount - 1;

    private static bool IsTextAfterClosingQuote(ReadOnlySpan<byte> raw) =>
        raw.Length > 1 && raw[0] == (byte)'"' && raw[^1] != (byte)'"';
}
