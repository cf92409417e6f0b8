using System.Text;

namespace AssetCompliance.Core.Registers;

/// <summary>
/// Whether a CSV record that spans lines is the rows a stray quote swallowed rather than a quoted cell with line
/// breaks: a line after its first that, read alone, is shaped like a row of the register.
/// </summary>
internal static class StrayQuoteCheck
{
    /// <summary>
    /// Which physical line of a record that spans lines (1 for the second) looks like a row of the register, or null.
    /// A quote opened by mistake in one row and closed by a stray one in a later row makes a record that may well
    /// have the header's number of fields (padded headers and trailing empty cells leave room), its cell being the
    /// rows in between; a real note with line breaks does not hold a line shaped like a row.
    /// </summary>
    public static int? SwallowedLine(ReadOnlySpan<byte> raw, HeaderMap header, HashSet<string> departments, char delimiter)
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

}
