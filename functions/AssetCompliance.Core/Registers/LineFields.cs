namespace AssetCompliance.Core.Registers;

/// <summary>
/// The fields of one physical line read alone, by CsvHelper's quoting rules, for telling whether a line inside a
/// quoted cell is shaped like a row. A quote that does not close on the line makes the rest of it one field.
/// </summary>
internal static class LineFields
{
    public static List<byte[]> Split(ReadOnlySpan<byte> line, char delimiter = ',')
    {
        var fields = new List<byte[]>();
        var i = 0;
        while (true)
        {
            var start = i;
            while (i < line.Length && line[i] != (byte)delimiter && line[i] is (byte)' ' or (byte)'\t')
            {
                i++;
            }

            if (i < line.Length && line[i] == (byte)'"')
            {
                i++;
                while (i < line.Length && !(line[i] == (byte)'"' && (i + 1 >= line.Length || line[i + 1] != (byte)'"')))
                {
                    i += line[i] == (byte)'"' ? 2 : 1;
                }

                i = Math.Min(i + 1, line.Length);
            }

            var comma = line[i..].IndexOf((byte)delimiter);
            var end = comma < 0 ? line.Length : i + comma;
            fields.Add(line[start..end].ToArray());
            if (comma < 0)
            {
                return fields;
            }

            i = end + 1;
        }
    }
}
