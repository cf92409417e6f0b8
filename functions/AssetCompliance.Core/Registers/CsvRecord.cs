using CsvHelper;

namespace AssetCompliance.Core.Registers;

/// <summary>
/// One CSV record's fields against the header: whether they line up with it, whether they are all blank, and which
/// field a message should name. Read from CsvHelper's spans, trimmed of spaces and tabs, without copying.
/// </summary>
internal static class CsvRecord
{
    /// <summary>The record's fields as strings (the header's names).</summary>
    public static string[] Fields(CsvReader csv)
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
    public static bool Fits(CsvReader csv, HeaderMap header)
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

    /// <summary>Whether every field is blank: a row of empty cells, which holds no device.</summary>
    public static bool IsBlank(CsvReader csv)
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

    /// <summary>A test of one raw field, trimmed (quotes kept), for <see cref="FirstField"/>.</summary>
    public delegate bool RawFieldTest(ReadOnlySpan<byte> raw);

    /// <summary>The index of the first field that passes <paramref name="test"/>, or null.</summary>
    public static int? FirstField(CsvReader csv, RawFieldTest test)
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

    /// <summary>The index of the first non-blank field after <paramref name="index"/>, or null.</summary>
    public static int? FirstValueAfter(CsvReader csv, int index)
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
