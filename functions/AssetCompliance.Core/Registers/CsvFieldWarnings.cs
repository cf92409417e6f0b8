using System.Text;
using AssetCompliance.Core.Events;
using CsvHelper;

namespace AssetCompliance.Core.Registers;

/// <summary>
/// Warnings on a CSV row's fields that only the raw record shows: quotes that are not RFC 4180's (text after a
/// closing quote, a quote in an unquoted field), named on every such cell, ignored columns too; and characters the
/// register did not mean in an ignored column (documented columns get theirs from <see cref="RegisterCells"/>).
/// </summary>
internal static class CsvFieldWarnings
{
    /// <summary>The row with a warning for each field whose quotes are not RFC 4180's, and each ignored cell with characters the register did not mean.</summary>
    public static RegisterRow Add(CsvReader csv, HeaderMap header, ReadOnlySpan<byte> raw, RegisterRow row)
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

            if (unusual && documented is null && CellCharacters.CharacterProblem(csv.GetString(i), keepLineBreaks: true) is { } characters)
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

}
