namespace AssetCompliance.Core.Registers;

/// <summary>
/// Which character separates the fields of a CSV register: comma, semicolon (Excel where the decimal separator is a
/// comma) or tab (Excel's "Text (Tab delimited)"), decided from the header line and the first records of the file,
/// reading quotes as RFC 4180 does (a ';' inside a quoted cell of a comma file separates nothing). Excel's
/// <c>sep=X</c> first line decides when present. A file that two candidates read equally well is refused, naming
/// both: reading it with the wrong one would give cells that look like values but are not.
/// </summary>
public static class CsvDelimiter
{
    /// <summary>The delimiters tried, in the order messages name them.</summary>
    public static readonly char[] Candidates = [',', ';', '\t'];

    /// <summary>How many records after the header are compared: enough to see a shape, few enough to be quick.</summary>
    private const int RecordsCompared = 50;

    /// <summary>The name a delimiter has in messages and the report: "comma", "semicolon", "tab".</summary>
    public static string Name(char delimiter) => delimiter switch
    {
        ',' => "comma",
        ';' => "semicolon",
        '\t' => "tab",
        _ => $"'{delimiter}'",
    };

    /// <summary>
    /// The delimiter a <c>--delimiter</c> value names: ',', ';', a tab character, or the words comma, semicolon, tab
    /// (also "\t"), in any case; null for anything else.
    /// </summary>
    public static char? Parse(string text) => text.Trim(' ').ToLowerInvariant() switch
    {
        "," or "comma" => ',',
        ";" or "semicolon" => ';',
        "\t" or "\\t" or "tab" => '\t',
        _ => null,
    };

    /// <summary>
    /// The delimiter of a UTF-8 file starting with <paramref name="head"/> (its first bytes; <paramref name="complete"/>
    /// when that is the whole file, so a last line without a line break is a record), or null with
    /// <paramref name="error"/> when it cannot be told. <paramref name="hintLine"/> is true when the first line is a
    /// <c>sep=X</c> hint that decided it (the reader skips that line).
    /// </summary>
    public static char? Detect(ReadOnlySpan<byte> head, bool complete, out bool hintLine, out string? error)
    {
        error = null;
        hintLine = false;
        if (head.StartsWith("\uFEFF"u8))
        {
            head = head[3..];
        }

        // Field counts per candidate, for the header (index 0) and the records after it.
        var counts = new List<int[]>();
        var fields = new int[Candidates.Length];
        Array.Fill(fields, 1);
        var inQuotes = false;
        var blank = true;
        for (var i = 0; i < head.Length && counts.Count <= RecordsCompared; i++)
        {
            var b = head[i];
            if (b == (byte)'"')
            {
                inQuotes = !inQuotes;
                blank = false;
            }
            else if (!inQuotes && b is (byte)'\n' or (byte)'\r')
            {
                if (!blank)
                {
                    counts.Add(fields);
                }

                fields = new int[Candidates.Length];
                Array.Fill(fields, 1);
                blank = true;
            }
            else if (!inQuotes)
            {
                var at = Array.IndexOf(Candidates, (char)b);
                if (at >= 0)
                {
                    fields[at]++;
                }

                blank &= b == (byte)' ';
            }
            else
            {
                blank = false;
            }
        }

        if (complete && !blank && counts.Count <= RecordsCompared)
        {
            counts.Add(fields);
        }

        if (counts.Count == 0)
        {
            return ','; // an empty file: the reader says so
        }

        if (HintLine(head) is { } hinted)
        {
            hintLine = true;
            if (hinted is ',' or ';' or '\t')
            {
                return hinted;
            }

            error = $"the first line, 'sep={hinted}', says the fields are separated by '{hinted}'; check reads comma, semicolon or tab separated files";
            return null;
        }

        var header = counts[0];
        var records = counts.Skip(1).ToArray();
        var splitting = Enumerable.Range(0, Candidates.Length).Where(c => header[c] >= 2).ToArray();
        if (splitting.Length == 0)
        {
            return ','; // one column whatever the delimiter: the header check says what is missing
        }

        if (splitting.Length == 1)
        {
            return Candidates[splitting[0]];
        }

        // Several split the header: the one that gives every record the header's number of fields.
        var consistent = splitting.Where(c => records.Length > 0 && records.All(r => r[c] == header[c])).ToArray();
        if (consistent.Length == 1)
        {
            return Candidates[consistent[0]];
        }

        // None does (trailing empty cells, a ragged export): the one that splits every row at all, if only one does
        // ("Model; Type" in a comma header, with no ';' in the rows).
        var present = consistent.Length == 0 ? splitting.Where(c => records.Length > 0 && records.All(r => r[c] >= 2)).ToArray() : [];
        if (present.Length == 1)
        {
            return Candidates[present[0]];
        }

        var named = string.Join(", ", (consistent.Length > 1 ? consistent : splitting).Select(c => $"{Name(Candidates[c])} ({header[c]} columns)"));
        error = $"the delimiter cannot be told: the header splits into columns by {named}{(records.Length == 0 ? ", and there are no rows to tell them apart" : consistent.Length > 1 ? ", and every row has the same number of each" : ", and no one of them gives every row the header's number of fields")}; give --delimiter comma, semicolon or tab";
        return null;
    }

    /// <summary>The character of a <c>sep=X</c> first line (Excel writes one to name the delimiter), or null.</summary>
    private static char? HintLine(ReadOnlySpan<byte> head)
    {
        var end = head.IndexOfAny((byte)'\n', (byte)'\r');
        var line = end < 0 ? head : head[..end];
        return line.Length == 5 && System.Text.Ascii.EqualsIgnoreCase(line[..4], "sep="u8) ? (char)line[4] : null;
    }

    /// <summary>Whether <paramref name="raw"/>, a record, is a <c>sep=X</c> hint line.</summary>
    internal static bool IsHintLine(ReadOnlySpan<byte> raw) => raw.Length == 5 && System.Text.Ascii.EqualsIgnoreCase(raw[..4], "sep="u8);
}
