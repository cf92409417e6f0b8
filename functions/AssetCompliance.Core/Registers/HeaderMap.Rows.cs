using System.Text.RegularExpressions;
using AssetCompliance.Core.Events;

namespace AssetCompliance.Core.Registers;

// The rows under the header: each documented field's cell read through the profile, then RegisterCells.Read.
internal sealed partial class HeaderMap
{
    /// <summary>
    /// Reads a row whose fields <paramref name="raw"/> gives by index (untrimmed): each documented field's cell through
    /// the profile (backticks, codes, date-times, the asset id's fallbacks, --department, the interface join), then
    /// <see cref="RegisterCells.Read"/>; a field with no column loses its per-row warnings (the notes say it once) and,
    /// where its blank cell is unread, marks the device's field unread.
    /// </summary>
    public RegisterRow ReadRow(int line, Func<int, string> raw)
    {
        string? fallbackWarning = null;
        string? mac = null;
        IReadOnlyList<string>? joinedMacs = null;
        var macSource = _context.Options.Interfaces is { } joined ? $"the device's interfaces in {joined.Name}" : "";

        // The cell reader may ask for a cell more than once (its value and its text as written); the join counts
        // devices without an interface, so each cell is worked out once per row.
        var cells = new string?[RegisterReader.CsvHeader.Length];
        string Cell(int position) => cells[position] ??= Compute(position);
        string Compute(int position)
        {
            var field = RegisterReader.CsvHeader[position];
            var candidates = _columns[position];
            var value = "";
            for (var n = 0; n < candidates.Length && value.Length == 0; n++)
            {
                value = Clean(raw(candidates[n]), field);
                if (value.Length > 0 && n > 0 && position == RegisterCells.Column.AssetId)
                {
                    // The asset id is the device's key: one read from a fallback changes when the first is filled in.
                    fallbackWarning = $"is read from '{HeaderNames.Shorten(_spelled[candidates[n]])}', as {HeaderNames.Listed(candidates.Take(n).Select(p => $"'{HeaderNames.Shorten(_spelled[p])}'").ToArray())} {(n == 1 ? "is" : "are")} blank: the asset id changes if that is filled in later";
                }
            }

            if (value.Length > 0)
            {
                return value;
            }

            if (position == RegisterCells.Column.Department && _context.Options.Department is { } department)
            {
                return department;
            }

            if (position == RegisterCells.Column.MacAddress && _joinIndex >= 0)
            {
                joinedMacs = _context.Join(raw(_joinIndex).Trim());
                return mac = joinedMacs.Count > 0 ? joinedMacs[0] : "";
            }

            return "";
        }

        var row = RegisterCells.Read(line, Cell);
        if (row.Device is not { } device)
        {
            return row;
        }

        var warnings = new List<CellWarning>(row.Warnings.Count);
        var unread = new List<string>();
        var changed = false; // nearly every row: nothing to take out or add, and the row is returned as it was read
        foreach (var warning in row.Warnings)
        {
            if (_missing.Contains(warning.Column) && !(warning.Column == "department" && _context.Options.Department is not null)
                && !(warning.Column == "mac_address" && _joinIndex >= 0))
            {
                // Said once in the notes; an unread blank still counts against the verdict.
                if (warning.Unread && UnreadFields.ByColumn(warning.Column) is { } unreadField)
                {
                    unread.Add(unreadField.Path);
                }

                changed = true;
                continue;
            }

            warnings.Add(warning);
        }

        if (fallbackWarning is not null)
        {
            changed = true;
            RegisterCells.Warn(warnings, "asset_id", device.AssetId, fallbackWarning, unread: false);
        }

        if (_context.Options.Department is { } expected && !string.Equals(device.Department, expected, StringComparison.Ordinal))
        {
            changed = true;
            RegisterCells.Warn(warnings, "department", device.Department, $"is not '{expected}', the --department given: push refuses the row (it sends one department's register)", unread: false);
        }

        if (joinedMacs is { Count: > 1 } && mac is not null && device.MacAddress is not null)
        {
            var blocks = joinedMacs.Select(RegisterMacs.Block).Distinct(StringComparer.Ordinal).Count();
            if (blocks > 1)
            {
                changed = true;
                RegisterCells.Warn(warnings, "mac_address", string.Join(", ", joinedMacs),
                    $"are {joinedMacs.Count} MACs ({macSource}) in {blocks} different blocks: which one identifies the device is unknown; no MAC evidence", unread: true);
            }
        }

        if (!changed)
        {
            return row;
        }

        if (unread.Count > 0)
        {
            device = UnreadFields.MarkUnread(device, unread);
        }

        RegisterCells.SortByColumn(warnings);
        return row with { Device = device, Warnings = warnings, Network = NetworkOf(raw) };
    }

    /// <summary>The row's host-name and IP cells (<see cref="RegisterRow.Network"/>), blanks left out.</summary>
    private NetworkNames NetworkOf(Func<int, string> raw)
    {
        if (_hostColumns.Length == 0 && _ipColumns.Length == 0)
        {
            return NetworkNames.None;
        }

        static List<string> Cells(int[] columns, Func<int, string> raw)
        {
            var list = new List<string>(columns.Length);
            foreach (var column in columns)
            {
                if (raw(column).Trim() is { Length: > 0 } text) list.Add(text);
            }

            return list;
        }

        return new NetworkNames(Cells(_hostColumns, raw), Cells(_ipColumns, raw));
    }

    /// <summary>A cell trimmed, unescaped and translated by the profile's codes for its field.</summary>
    private string Clean(string cell, string field)
    {
        var text = cell.Trim();
        if (Profile.BacktickEscapes)
        {
            text = HeaderNames.Unescape(text);
        }

        if (text.Length == 0)
        {
            return text;
        }

        if (Profile.Code(field, text) is { } canonical)
        {
            return canonical;
        }

        if (Profile.DateTimes && field == "installed_on" && DateWithTime().Match(text) is { Success: true } match)
        {
            return match.Groups["date"].Value;
        }

        return text;
    }

    [GeneratedRegex(@"^(?<date>\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{4})[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?( ?[AaPp][Mm])?(Z|[+-]\d{2}:?\d{2})?$")]
    private static partial Regex DateWithTime();
}
