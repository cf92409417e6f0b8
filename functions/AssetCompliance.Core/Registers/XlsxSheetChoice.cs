using ExcelDataReader;

namespace AssetCompliance.Core.Registers;

/// <summary>
/// Which sheet of a workbook is the register, and where its header is: the sheet named by <c>--sheet</c> (any case),
/// else the first whose first <see cref="HeaderSearchRows"/> non-blank rows hold a row <see cref="HeaderMap"/> accepts
/// (cover and instructions sheets are passed over); and whether a later sheet holds a register too
/// (<see cref="OtherRegister"/>), which is then reported as not read.
/// </summary>
internal static class XlsxSheetChoice
{
    /// <summary>How many non-blank rows at the top of a sheet are tried as its header: title rows often stand above it.</summary>
    public const int HeaderSearchRows = 20;

    /// <summary>
    /// Moves <paramref name="reader"/> to the register's sheet and past its header: the header and its row number, or
    /// the one unreadable row that says why the workbook has no register to read (no such sheet, no header, all empty,
    /// damaged). <paramref name="context"/>'s notes get the sheet read and the header's notes.
    /// </summary>
    public static (HeaderMap? Header, int Line, RegisterRow? Refusal) Choose(IExcelDataReader reader, string? sheet, HeaderContext? context)
    {
        var names = new List<string>();
        HeaderMap? header = null;
        var line = 0;
        (string Sheet, int Line, string Error)? firstProblem = null;
        var found = false;
        do
        {
            names.Add(reader.Name);
            if (sheet is not null && !string.Equals(reader.Name.Trim(), sheet.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            found = true;
            line = 0;
            (string Error, int Line)? problem = null;
            for (var tried = 0; header is null && tried < HeaderSearchRows;)
            {
                if (!ExcelCells.Next(reader, ref line, out var failure))
                {
                    if (failure is not null)
                    {
                        return (null, line, RegisterRow.Unreadable(line, $"sheet '{reader.Name}' could not be read from row {line} on ({failure}); the rest of the workbook is not read"));
                    }

                    break;
                }

                var fields = ExcelCells.Cells(reader, macIndex: -1);
                if (fields.All(string.IsNullOrWhiteSpace))
                {
                    continue;
                }

                tried++;
                header = HeaderMap.Parse(TrimTrailing(fields), ',', context, out var headerError);
                problem ??= header is null ? (headerError!, line) : null;
            }

            if (header is not null)
            {
                if (context is not null)
                {
                    context.Header = header;
                }

                context?.Notes?.Add($"sheet '{reader.Name}' is read, its header on row {line}");
                context?.Notes?.AddRange(header.Notes);
                return (header, line, null);
            }

            if (sheet is not null)
            {
                return (null, line, problem is { } named
                    ? RegisterRow.Unreadable(named.Line, $"sheet '{reader.Name}': {named.Error}")
                    : RegisterRow.Unreadable(0, $"sheet '{reader.Name}' is empty: it has no header and no rows"));
            }

            // Without --sheet, a sheet that is empty or holds no register header (a cover or instructions sheet) is
            // passed over; if no sheet has one, the first sheet's problem is the answer.
            if (problem is { } first && firstProblem is null)
            {
                firstProblem = (reader.Name, first.Line, first.Error);
            }
        }
        while (ExcelCells.NextSheet(reader));

        return (null, line, (sheet, firstProblem) switch
        {
            (not null, _) when !found => RegisterRow.Unreadable(0, $"is an Excel workbook with no sheet named '{sheet}'; its sheets are {Listed(names)} (--sheet NAME chooses one)"),
            (_, { } problem) => RegisterRow.Unreadable(problem.Line, $"sheet '{problem.Sheet}': {problem.Error}{(names.Count > 1 ? $" (no sheet of {Listed(names)} has the register's header in its first {HeaderSearchRows} rows; --sheet NAME chooses one)" : "")}"),
            _ => RegisterRow.Unreadable(0, $"is an Excel workbook whose sheets ({Listed(names)}) are all empty: there is nothing to check"),
        });
    }

    /// <summary>The row of a register header with a data row after it in the sheet <paramref name="reader"/> is on, or null.</summary>
    public static int? OtherRegister(IExcelDataReader reader, HeaderContext? context)
    {
        var line = 0;
        int? header = null;
        for (var tried = 0; tried < HeaderSearchRows;)
        {
            if (!ExcelCells.Next(reader, ref line, out var failure))
            {
                // A damaged sheet that may hold a register is not passed over as if it held none.
                return failure is null ? null : header ?? line;
            }

            var fields = ExcelCells.Cells(reader, macIndex: -1);
            if (fields.All(string.IsNullOrWhiteSpace))
            {
                continue;
            }

            if (header is not null)
            {
                return header;
            }

            tried++;
            if (HeaderMap.Parse(TrimTrailing(fields), ',', new HeaderContext(context?.Options ?? RegisterReadOptions.Detect, null), out _) is not null)
            {
                header = line;
            }
        }

        return null;
    }

    /// <summary>Sheet names quoted and listed, for messages.</summary>
    private static string Listed(List<string> names) => string.Join(", ", names.Select(n => $"'{n}'"));

    /// <summary>A row without its blank cells at the end (a sheet's used range is often wider than its header).</summary>
    private static string[] TrimTrailing(string[] fields)
    {
        var length = fields.Length;
        while (length > 0 && string.IsNullOrWhiteSpace(fields[length - 1]))
        {
            length--;
        }

        return fields[..length];
    }
}
