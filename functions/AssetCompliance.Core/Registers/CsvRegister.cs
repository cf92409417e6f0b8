using AssetCompliance.Core.Events;
using CsvHelper;

namespace AssetCompliance.Core.Registers;

/// <summary>
/// A CSV register export, read with CsvHelper (RFC 4180), row by row in constant memory, so that no cell, quote or
/// line costs more than its own row:
/// <list type="bullet">
/// <item>A header over <see cref="RegisterReader.MaxRecordBytes"/> is a file not read. A record over it: a single
/// long line is an unreadable row, and reading goes on at the next line; a quoted field that spans lines is skipped
/// to the end of its record when that end is found within <see cref="OverLongRecord.MaxAlignBytes"/> (one unreadable row naming the
/// lines skipped, never its inner lines read as rows); a quote that never closes before the end of the file is a
/// stray one (its line is not read, and reading goes on at the next line); and when no end is found within the
/// bound, the rest of the file is reported as not read, and reading stops, rather than guessing rows.</item>
/// <item>A quote that opens a field and does not close on its line (a record that would swallow the next lines and
/// come out malformed) makes that line an unreadable row, and reading goes on at the next line: a stray quote costs
/// its own row, never the rest of the file. A quoted cell that really spans lines is read as one cell, unless a line
/// after its first looks like a row of the register (<see cref="StrayQuoteCheck.LooksLikeARow"/>): then the record is the rows a
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
    /// <summary>How many lines of one cell at most above the header are read as titles (a spreadsheet's title and blank rows).</summary>
    private const int MaxTitleRows = 5;

    private static string OtherDelimiters(char delimiter) => delimiter switch { ',' => ";\t", ';' => ",\t", _ => ",;" };

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
        var titleRows = 0;
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
                        var recordStart = OverLongRecord.LineOffset(stream, baseOffset, (int)tooLarge.LineNumber);
                        var (overLong, next) = OverLongRecord.Skip(stream, recordStart, startLine);
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
                        var (overLong, next) = OverLongRecord.Skip(stream, baseOffset + csv.ByteOffset, line);
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

                        var names = CsvRecord.Fields(csv);
                        if (titleRows < MaxTitleRows && names.Count(n => !string.IsNullOrWhiteSpace(n)) <= 1
                            && !names.Any(n => n.AsSpan().IndexOfAny(OtherDelimiters(delimiter)) >= 0))
                        {
                            // A title above the header, as a spreadsheet saved as CSV keeps it ("CCTV register - exported
                            // 30/11/2026",,,): a header has two names at least (an asset id and a field), so a line of one
                            // cell is never taken for it. Workbooks are read the same way (XlsxSheetChoice). A cell
                            // holding another delimiter is a header read with the wrong one, which HeaderMap explains.
                            titleRows++;
                            context?.Notes?.Add($"line {line} has one cell at most{(names.FirstOrDefault(n => !string.IsNullOrWhiteSpace(n)) is { } t ? $" ('{HeaderNames.Shorten(t.Trim())}')" : "")}: read as a title above the header, not as data");
                            continue;
                        }

                        header = HeaderMap.Parse(names, delimiter, context, out var headerError);
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

                    var swallowed = spansLines ? StrayQuoteCheck.SwallowedLine(raw, header, departments, delimiter) : null;
                    if (spansLines && (reason is CsvMalformedReason.UnterminatedQuote or CsvMalformedReason.TextAfterClosingQuote || !CsvRecord.Fits(csv, header)
                        || swallowed is not null))
                    {
                        rows++;
                        var column = CsvRecord.FirstField(csv, f => f.IndexOfAny((byte)'\n', (byte)'\r') >= 0);
                        yield return RegisterRow.Unreadable(line,
                            $"the quoted field in {header.Describe(column)} does not close on this line (a stray '\"'?){(swallowed is { } at ? $": line {line + at} after it reads as a row of the register" : "")}; the row is not read, and reading goes on at line {line + 1}");
                        (restartAt, restartLine) = (baseOffset + csv.ByteOffset, line);
                        break;
                    }

                    if (!CsvRecord.Fits(csv, header) || csv.GetSpan(header.AssetIdIndex).Trim(" \t"u8).IsEmpty)
                    {
                        if (CsvRecord.IsBlank(csv))
                        {
                            // A row of empty cells (spreadsheets export formatted blank rows so) holds no device.
                            continue;
                        }
                    }

                    rows++;
                    if (reason == CsvMalformedReason.UnterminatedQuote)
                    {
                        var column = CsvRecord.FirstField(csv, f => f.Length > 0 && f[0] == (byte)'"');
                        yield return RegisterRow.Unreadable(line, $"the quoted field in {header.Describe(column)} never closes; the row is not read");
                        continue;
                    }

                    if (!CsvRecord.Fits(csv, header))
                    {
                        yield return RegisterRow.Unreadable(line, csv.FieldCount < header.FieldCount && csv.FieldCount > header.LastNamedIndex
                            ? $"has a value in {header.Describe(CsvRecord.FirstValueAfter(csv, header.LastNamedIndex))}, after the header's last named column (a row shifted by a stray quote or comma?); the cells cannot be matched to columns"
                            : $"has {csv.FieldCount} fields, the header has {header.FieldCount}; the cells cannot be matched to columns");
                        continue;
                    }

                    RegisterRow row;
                    try
                    {
                        row = header.ReadRow(line, csv.GetString);
                        if (row.Device is { } device)
                        {
                            row = CsvFieldWarnings.Add(csv, header, raw, row);
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

    /// <summary>How many department codes a file's rows are compared with when a quoted cell may have swallowed rows.</summary>
    private const int MaxDepartmentsKept = 64;

    private static string HeaderTooLong =>
        $"the header is longer than {RegisterReader.MaxRecordBytes:N0} bytes, so check cannot tell where the column names end; the file is not read";

    /// <summary>The malformed-record report CsvHelper made for <paramref name="line"/>, if any; earlier ones are dropped.</summary>
    private static CsvMalformedReason? TakeMalformed(Queue<(long Line, CsvMalformedReason Reason)> malformed, long line)
    {
        while (malformed.TryPeek(out var next) && next.Line < line)
        {
            malformed.Dequeue();
        }

        return malformed.TryPeek(out var current) && current.Line == line ? malformed.Dequeue().Reason : null;
    }
}
