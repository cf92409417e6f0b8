using System.Text;

namespace AssetCompliance.Core.Registers;

/// <summary>
/// Where each documented column (<see cref="RegisterReader.CsvHeader"/>) is in a CSV export. Names match loosely, by
/// the documented name or a synonym (<see cref="RegisterColumns"/>: "Asset Tag", "Serial No.", "MAC Address"), case,
/// spaces, '_' and '-' ignored; each name read as another field is noted (<see cref="Notes"/>). Columns check does
/// not know are ignored, and so are blank names. A header that lacks a documented column, or has two columns read as
/// one field, is refused with every problem and the names that were found.
/// </summary>
internal sealed class HeaderMap
{
    private const int NamesShown = 40;
    private readonly string[] _names;
    private readonly string?[] _fields;

    private readonly int[] _ordinals;

    private HeaderMap(Dictionary<string, int> index, string[] names, string?[] fields, IReadOnlyList<string> notes)
    {
        _names = names;
        _fields = fields;
        Notes = notes;
        _ordinals = RegisterReader.CsvHeader.Select(c => index[c]).ToArray();
        AssetIdIndex = index["asset_id"];
        LastNamedIndex = Array.FindLastIndex(names, n => n.Length > 0);
    }

    /// <summary>Each header name read as a documented field it is not spelled as: "column 1 'Asset Tag' is read as asset_id".</summary>
    public IReadOnlyList<string> Notes { get; }

    /// <summary>The field index of the header's last non-blank name: a row needs a field up to it, and nothing after it.</summary>
    public int LastNamedIndex { get; }

    /// <summary>The header's name at a field index (lower case), or "column N" where it has none.</summary>
    public string Name(int index) => index < _names.Length && _names[index].Length > 0 ? _names[index] : $"column {index + 1}";

    /// <summary>Fields in the header; every row must have as many.</summary>
    public int FieldCount => _names.Length;

    public int AssetIdIndex { get; }

    /// <summary>The field index of the documented column at <paramref name="position"/> in <see cref="RegisterReader.CsvHeader"/>.</summary>
    public int this[int position] => _ordinals[position];

    /// <summary>The documented column a field index is read as, or null for a column check ignores.</summary>
    public string? DocumentedName(int index) => index < _fields.Length ? _fields[index] : null;

    /// <summary>"column 4 (model)", for messages.</summary>
    public string Describe(int? index) => index is { } i && i < _names.Length
        ? $"column {i + 1} ({(_names[i].Length == 0 ? "no name" : _names[i])})"
        : "a column";

    public static HeaderMap? Parse(IReadOnlyList<string> fields, out string? error) => Parse(fields, ',', out error);

    /// <summary>The header of a file read with <paramref name="delimiter"/>; see the class summary.</summary>
    public static HeaderMap? Parse(IReadOnlyList<string> fields, char delimiter, out string? error)
    {
        error = null;
        var names = fields.Select(f => f.Trim().Trim('\uFEFF').Trim().ToLowerInvariant()).ToArray();
        if (names.Length == 1 && CsvDelimiter.Candidates.FirstOrDefault(c => c != delimiter && names[0].Contains(c)) is var other and not '\0')
        {
            error = $"the header is one column, '{Shorten(fields[0])}', read with {CsvDelimiter.Name(delimiter)} as the delimiter: the file seems to be separated by {CsvDelimiter.Name(other)}s; give --delimiter {CsvDelimiter.Name(other)}, or leave it out to detect it";
            return null;
        }

        var mapped = names.Select(n => n.Length == 0 ? null : RegisterColumns.Field(n)).ToArray();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var column in RegisterReader.CsvHeader)
        {
            var positions = mapped.Select((f, i) => (f, i)).Where(x => x.f == column).Select(x => x.i).ToArray();
            if (positions.Length > 1)
            {
                problems.Add(positions.All(p => names[p] == column)
                    ? $"'{column}' names {positions.Length} columns ({string.Join(", ", positions.Select(p => p + 1))}), and check cannot tell which to read"
                    : $"{string.Join(" and ", positions.Select(p => $"'{Shorten(fields[p].Trim())}' (column {p + 1})"))} are all read as {column}, and check cannot tell which to read");
            }
            else if (positions.Length == 1)
            {
                index[column] = positions[0];
            }
        }

        var missing = RegisterReader.CsvHeader.Where(c => !mapped.Contains(c)).ToArray();
        if (missing.Length > 0)
        {
            problems.Insert(0, $"missing column{(missing.Length == 1 ? "" : "s")}: {string.Join(", ", missing)}");
        }

        if (problems.Count == 0)
        {
            var notes = mapped.Select((f, i) => (f, i)).Where(x => x.f is not null && names[x.i] != x.f)
                .Select(x => $"column {x.i + 1} '{Shorten(fields[x.i].Trim().Trim('\uFEFF'))}' is read as {x.f}").ToArray();
            return new HeaderMap(index, names, mapped, notes);
        }

        var found = new StringBuilder();
        for (var i = 0; i < Math.Min(fields.Count, NamesShown); i++)
        {
            found.Append(i == 0 ? "" : ", ").Append(names[i].Length == 0 ? "(blank)" : Shorten(fields[i].Trim()));
        }

        if (fields.Count > NamesShown)
        {
            found.Append($", and {fields.Count - NamesShown} more");
        }

        error = $"the header does not match the documented columns: {string.Join("; ", problems)}. Found {fields.Count} column{(fields.Count == 1 ? "" : "s")}: {found}. "
            + $"Expected: {string.Join(",", RegisterReader.CsvHeader)} (any order, in any case, with spaces, '_' or '-', or a usual other name such as 'Asset Tag', 'Serial No.' or 'MAC Address', listed in the README; other columns are ignored)";
        return null;
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..39] + "…";
}
