using System.Text;
using AssetCompliance.Core.Events;
using CsvHelper;

namespace AssetCompliance.Core.Registers;

/// <summary>
/// A CSV register export, read with CsvHelper (RFC 4180), row by row in constant memory, so that no cell, quote or
/// line costs more than its own row:
/// <list type="bullet">
/// <item>A header over <see cref="RegisterReader.MaxRecordBytes"/> is a file not read. A record over it: a single
/// long line is an unreadable row, and reading goes on at the next line; a quoted field that spans lines is skipped
/// to the end of its record when that end is found within <see cref="MaxAlignBytes"/> (one unreadable row naming the
/// lines skipped, never its inner lines read as rows); a quote that never closes before the end of the file is a
/// stray one (its line is not read, and reading goes on at the next line); and when no end is found within the
/// bound, the rest of the file is reported as not read, and reading stops, rather than guessing rows.</item>
/// <item>A quote that opens a field and does not close on its line (a record that would swallow the next lines and
/// come out malformed) makes that line an unreadable row, and reading goes on at the next line: a stray quote costs
/// its own row, never the rest of the file. A quoted cell that really spans lines is read as one cell, unless a line
/// after its first looks like a row of the register (<see cref="LooksLikeARow"/>): then the record is the rows a
/// stray quote swallowed, whatever its number of fields, and is treated as above.</item>
/// <item>A quote inside an unquoted field (<c>DS-2CD2143G2-I 4" dome</c>) is read as the character it is, and text
/// after a closing quote (<c>"Axis" Communications</c>) is read as CsvHelper reads it; either is a warning on every
/// such cell, named, ignored columns too (the value read is not RFC 4180's).</item>
/// <item>A value in a column the header leaves unnamed after its last name is a row that does not line up (a
/// shifted row), not a value to ignore.</item>
/// </list>
/// Why CsvHelper rather than Sylvan.Data.Csv, both measured in benchmarks/README.md: CsvHelper reports each malformed
/// record with its kind and line number, counts physical lines (inside quotes too) and gives every record's byte
/// offset, which is what lets a bad record be skipped by one line and reading go on; Sylvan's standard mode stops
/// for good at the first malformed quote, its lax mode changes values without saying so, it counts no lines, and it
/// skips lines starting with '#' as comments unless told otherwise.
/// </summary>
internal static class CsvRegister
{
    /// <summary>
    /// Reads a UTF-8 CSV register whose fields are separated by <paramref name="delimiter"/> (',', ';' or tab);
    /// <paramref name="context"/>'s notes get the header's notes (<see cref="HeaderMap.Notes"/>) once it is read.
    /// </summary>
    public static IEnumerable<RegisterRow> Read(Stream source, char delimiter, HeaderContext? context = null)
    {
        // A read failure is thrown after the complete rows read before it, never instead of them.
        var stream = source as DeferredFailureStream ?? new DeferredFailureStream(source);
        var baseOffset = stream.Position;
        var baseLine = 0;
        HeaderMap? header = null;
        var rows = 0;
        var malformed = new Queue<(long Line, CsvMalformedReason Reason)>();
        var departments = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var options = new CsvReaderOptions
        {
            HasHeader = false,
            Separator = delimiter,
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
            var skipLine = true;
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
                        var startLine = baseLine + (int)tooLarge.LineNumber;
                        if (header is null)
                        {
                            yield return RegisterRow.Unreadable(startLine, HeaderTooLong);
                            yield break;
                        }

                        rows++;
                        var recordStart = LineOffset(stream, baseOffset, (int)tooLarge.LineNumber);
                        var (overLong, next) = OverLong(stream, recordStart, startLine);
                        yield return overLong;
                        if (next is null)
                        {
                            yield break;
                        }

                        (restartAt, restartLine, skipLine) = next.Value;
                        break;
                    }

                    if (!read)
                    {
                        stream.ThrowIfFailed();
                        break;
                    }

                    if (stream.FailedAt is { } failedAt && baseOffset + csv.ByteOffset + csv.RawRecord.Length >= failedAt)
                    {
                        // This record reaches the point where reading failed: it may be cut short, so it is not a row.
                        stream.ThrowIfFailed();
                    }

                    var line = baseLine + (int)csv.LineNumber;
                    var reason = TakeMalformed(malformed, csv.LineNumber);
                    var raw = csv.RawRecord;
                    var spansLines = raw.IndexOfAny((byte)'\n', (byte)'\r') >= 0;
                    if (raw.Length > RegisterReader.MaxRecordBytes)
                    {
                        if (header is null)
                        {
                            yield return RegisterRow.Unreadable(line, HeaderTooLong);
                            yield break;
                        }

                        rows++;
                        var (overLong, next) = OverLong(stream, baseOffset + csv.ByteOffset, line);
                        yield return overLong;
                        if (next is null)
                        {
                            yield break;
                        }

                        (restartAt, restartLine, skipLine) = next.Value;
                        break;
                    }

                    if (header is null)
                    {
                        if (CsvDelimiter.IsHintLine(raw))
                        {
                            continue;
                        }

                        if (spansLines || reason == CsvMalformedReason.UnterminatedQuote)
                        {
                            yield return RegisterRow.Unreadable(line, "the header has a quote that does not close on its line; check cannot tell where the column names end");
                            yield break;
                        }

                        header = HeaderMap.Parse(Fields(csv), delimiter, context, out var headerError);
                        if (header is null)
                        {
                            yield return RegisterRow.Unreadable(line, headerError!);
                            yield break;
                        }

                        if (context is not null)
                        {
                            context.Header = header;
                        }

                        context?.Notes?.AddRange(header.Notes);
                        continue;
                    }

                    var swallowed = spansLines ? SwallowedLine(raw, header, departments, delimiter) : null;
                    if (spansLines && (reason is CsvMalformedReason.UnterminatedQuote or CsvMalformedReason.TextAfterClosingQuote || !Fits(csv, header)
                        || swallowed is not null))
                    {
                        rows++;
                        var column = FirstField(csv, f => f.IndexOfAny((byte)'\n', (byte)'\r') >= 0);
                        yield return RegisterRow.Unreadable(line,
                            $"the quoted field in {header.Describe(column)} does not close on this line (a stray '\"'?){(swallowed is { } at ? $": line {line + at} after it reads as a row of the register" : "")}; the row is not read, and reading goes on at line {line + 1}");
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
                        yield return RegisterRow.Unreadable(line, csv.FieldCount < header.FieldCount && csv.FieldCount > header.LastNamedIndex
                            ? $"has a value in {header.Describe(FirstValueAfter(csv, header.LastNamedIndex))}, after the header's last named column (a row shifted by a stray quote or comma?); the cells cannot be matched to columns"
                            : $"has {csv.FieldCount} fields, the header has {header.FieldCount}; the cells cannot be matched to columns");
                        continue;
                    }

                    RegisterRow row;
                    try
                    {
                        row = header.ReadRow(line, csv.GetString);
                        if (row.Device is { } device)
                        {
                            row = WithFieldWarnings(csv, header, raw, row);
                            if (departments.Count < MaxDepartmentsKept)
                            {
                                departments.Add(device.Department);
                            }
                        }
                    }
                    catch (Exception e) when (e is not OutOfMemoryException)
                    {
                        // A rule that fails on some cell costs that row, never the rows after it.
                        row = RegisterRow.Unreadable(line, $"could not be read ({e.GetType().Name}: {e.Message})");
                    }

                    yield return row;
                }
            }

            if (restartAt is null)
            {
                break;
            }

            // Go on at the line after the one the bad record started on (or, for a record skipped whole, after it).
            stream.Position = restartAt.Value;
            var lines = new ByteLineReader(stream, 0);
            if (skipLine && !lines.SkipLine())
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

    /// <summary>
    /// How far past an over-long record's start the end of its quoted field is looked for: 256 MiB, five times the
    /// largest real cell seen (a 50 MB note). Scanning is a pass over bytes, with nothing kept.
    /// </summary>
    public const long MaxAlignBytes = 256L << 20;

    private const int MaxDepartmentsKept = 64;

    private static string TooLong =>
        $"is longer than {RegisterReader.MaxRecordBytes:N0} bytes (a line this long is not a register row); not read";

    private static string HeaderTooLong =>
        $"the header is longer than {RegisterReader.MaxRecordBytes:N0} bytes, so check cannot tell where the column names end; the file is not read";

    /// <summary>The offset of physical line <paramref name="line"/> (1-based) counted from <paramref name="from"/>.</summary>
    private static long LineOffset(Stream stream, long from, int line)
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
    private static (RegisterRow Row, (long Offset, int Line, bool SkipLine)? Next) OverLong(Stream stream, long start, int line)
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

    private static CsvMalformedReason? TakeMalformed(Queue<(long Line, CsvMalformedReason Reason)> malformed, long line)
    {
        while (malformed.TryPeek(out var next) && next.Line < line)
        {
            malformed.Dequeue();
        }

        return malformed.TryPeek(out var current) && current.Line == line ? malformed.Dequeue().Reason : null;
    }

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
    /// Whether a record's cells line up with the header: a field for every named column, and nothing but empty cells
    /// after the last named one (trailing commas, or the unnamed columns spreadsheets pad a header with). A value
    /// after the last name is a row shifted by a stray quote or comma, not a value to ignore.
    /// </summary>
    private static bool Fits(CsvReader csv, HeaderMap header)
    {
        if (csv.FieldCount <= header.LastNamedIndex)
        {
            return false;
        }

        for (var i = header.LastNamedIndex + 1; i < csv.FieldCount; i++)
        {
            if (!csv.GetSpan(i).Trim(" \t"u8).IsEmpty)
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
    /// Which physical line of a record that spans lines (1 for the second) looks like a row of the register, or null.
    /// A quote opened by mistake in one row and closed by a stray one in a later row makes a record that may well
    /// have the header's number of fields (padded headers and trailing empty cells leave room), its cell being the
    /// rows in between; a real note with line breaks does not hold a line shaped like a row.
    /// </summary>
    private static int? SwallowedLine(ReadOnlySpan<byte> raw, HeaderMap header, HashSet<string> departments, char delimiter)
    {
        var number = 0;
        while (raw.IndexOfAny((byte)'\n', (byte)'\r') is var at and >= 0)
        {
            raw = raw[(raw[at] == (byte)'\r' && at + 1 < raw.Length && raw[at + 1] == (byte)'\n' ? at + 2 : at + 1)..];
            number++;
            var end = raw.IndexOfAny((byte)'\n', (byte)'\r');
            if (LooksLikeARow(end < 0 ? raw : raw[..end], header, departments, delimiter))
            {
                return number;
            }
        }

        return null;
    }

    /// <summary>
    /// Whether one physical line, read alone, is shaped like a row of the register: fields for every named column but
    /// the last (a row's own cells), or a first few fields that are an asset id (no spaces) and a department already
    /// seen in this file, in their columns.
    /// </summary>
    internal static bool LooksLikeARow(ReadOnlySpan<byte> line, HeaderMap header, IReadOnlySet<string> departments, char delimiter = ',')
    {
        var fields = LineFields.Split(line, delimiter);
        if (fields.Count >= header.LastNamedIndex)
        {
            return true;
        }

        var (id, department) = (header.AssetIdIndex, header[RegisterCells.Column.Department]);
        if (fields.Count < 3 || department < 0 || fields.Count <= Math.Max(id, department))
        {
            return false;
        }

        var idText = Encoding.UTF8.GetString(fields[id]).Trim().Trim('"');
        var departmentText = Encoding.UTF8.GetString(fields[department]).Trim().Trim('"');
        return idText.Length > 0 && !idText.Contains(' ') && departments.Contains(departmentText);
    }

    /// <summary>The row with a warning for each field whose quotes are not RFC 4180's, and each ignored cell with characters the register did not mean.</summary>
    private static RegisterRow WithFieldWarnings(CsvReader csv, HeaderMap header, ReadOnlySpan<byte> raw, RegisterRow row)
    {
        var quoted = raw.IndexOf((byte)'"') >= 0;
        var unusual = raw.IndexOfAnyExceptInRange((byte)0x20, (byte)0x7E) >= 0;
        if (!quoted && !unusual)
        {
            return row;
        }

        List<CellWarning>? warnings = null;
        for (var i = 0; i < csv.FieldCount && i < header.FieldCount; i++)
        {
            var field = csv.GetRawSpan(i).Trim(" \t"u8);
            var documented = header.DocumentedName(i);
            var column = documented ?? header.Name(i);
            if (quoted && QuoteProblem(field) is { } problem)
            {
                warnings ??= [.. row.Warnings];
                var value = csv.GetString(i).Trim();
                RegisterCells.Warn(warnings, column, Encoding.UTF8.GetString(field), problem switch
                {
                    QuoteFault.TextAfterClosingQuote => $"has text after its closing quote, which RFC 4180 does not allow; read as '{RegisterCells.Shown(value)}'{(documented is null ? " (a column check ignores)" : "")}",
                    _ => $"holds a '\"' in a cell that is not quoted; read as typed{(documented is null ? " (a column check ignores)" : "")}",
                }, unread: problem == QuoteFault.TextAfterClosingQuote && documented is not null && UnreadFields.ByColumn(documented)?.FeedsVerdict == true);
            }

            if (unusual && documented is null && RegisterCells.CharacterProblem(csv.GetString(i), keepLineBreaks: true) is { } characters)
            {
                warnings ??= [.. row.Warnings];
                RegisterCells.Warn(warnings, column, csv.GetString(i).Trim(), $"{characters} (a column check ignores)", unread: false);
            }
        }

        if (warnings is null)
        {
            return row;
        }

        RegisterCells.SortByColumn(warnings);
        return row with { Warnings = warnings };
    }

    private enum QuoteFault
    {
        TextAfterClosingQuote,
        QuoteInUnquotedField,
    }

    /// <summary>Whether a raw field's quotes are not RFC 4180's: text after the closing quote, or a quote in an unquoted field.</summary>
    private static QuoteFault? QuoteProblem(ReadOnlySpan<byte> field)
    {
        if (field.IsEmpty)
        {
            return null;
        }

        if (field[0] != (byte)'"')
        {
            return field.IndexOf((byte)'"') >= 0 ? QuoteFault.QuoteInUnquotedField : null;
        }

        for (var i = 1; i < field.Length; i++)
        {
            if (field[i] != (byte)'"')
            {
                continue;
            }

            if (i + 1 < field.Length && field[i + 1] == (byte)'"')
            {
                i++;
                continue;
            }

            return i == field.Length - 1 ? null : QuoteFault.TextAfterClosingQuote;
        }

        return null; // never closes: reported as a malformed row elsewhere
    }

    private static int? FirstValueAfter(CsvReader csv, int index)
    {
        for (var i = index + 1; i < csv.FieldCount; i++)
        {
            if (!csv.GetSpan(i).Trim(" \t"u8).IsEmpty)
            {
                return i;
            }
        }

        return null;
    }
}
