using System.Text;

namespace AssetCompliance.Core.Registers;

/// <summary>
/// Where each documented column (<see cref="RegisterReader.CsvHeader"/>) is in a CSV export. Names match ignoring
/// case and surrounding spaces; columns check does not know are ignored, and so are blank names. A header that lacks a
/// documented column or names one twice is refused with every problem, the names that were found, and the found
/// names that look like a documented one written differently.
/// </summary>
internal sealed class HeaderMap
{
    private const int NamesShown = 40;
    private readonly string[] _names;

    private readonly int[] _ordinals;

    private HeaderMap(Dictionary<string, int> index, string[] names)
    {
        _names = names;
        _ordinals = RegisterReader.CsvHeader.Select(c => index[c]).ToArray();
        AssetIdIndex = index["asset_id"];
        LastNamedIndex = Array.FindLastIndex(names, n => n.Length > 0);
    }

    /// <summary>The field index of the header's last non-blank name: a row needs a field up to it, and nothing after it.</summary>
    public int LastNamedIndex { get; }

    /// <summary>The header's name at a field index (lower case), or "column N" where it has none.</summary>
    public string Name(int index) => index < _names.Length && _names[index].Length > 0 ? _names[index] : $"column {index + 1}";

    /// <summary>Fields in the header; every row must have as many.</summary>
    public int FieldCount => _names.Length;

    public int AssetIdIndex { get; }

    /// <summary>The field index of the documented column at <paramref name="position"/> in <see cref="RegisterReader.CsvHeader"/>.</summary>
    public int this[int position] => _ordinals[position];

    /// <summary>The documented column at a field index, or null for a column check ignores.</summary>
    public string? DocumentedName(int index) => Array.IndexOf(RegisterReader.CsvHeader, _names[index]) >= 0 ? _names[index] : null;

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

        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var column in RegisterReader.CsvHeader)
        {
            var positions = names.Select((n, i) => (n, i)).Where(x => x.n == column).Select(x => x.i + 1).ToArray();
            if (positions.Length > 1)
            {
                problems.Add($"'{column}' names {positions.Length} columns ({string.Join(", ", positions)}), and check cannot tell which to read");
            }
            else if (positions.Length == 1)
            {
                index[column] = positions[0] - 1;
            }
        }

        var missing = RegisterReader.CsvHeader.Where(c => !index.ContainsKey(c) && !names.Contains(c)).ToArray();
        if (missing.Length > 0)
        {
            problems.Insert(0, $"missing column{(missing.Length == 1 ? "" : "s")}: {string.Join(", ", missing)}");
            var lookalikes = missing
                .SelectMany(m => fields.Where(f => Loose(f) == Loose(m) && Loose(f).Length > 0).Select(f => $"'{Shorten(f.Trim())}' is not '{m}'"))
                .ToArray();
            if (lookalikes.Length > 0)
            {
                problems.Add($"names are matched exactly (ignoring case and surrounding spaces): {string.Join(", ", lookalikes)}");
            }
        }

        if (problems.Count == 0)
        {
            return new HeaderMap(index, names);
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
            + $"Expected: {string.Join(",", RegisterReader.CsvHeader)} (any order; other columns are ignored)";
        return null;
    }

    /// <summary>A name with case, spaces, '_' and '-' ignored: 'Asset ID' and 'asset-id' look like asset_id.</summary>
    private static string Loose(string name) => new(name.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant).ToArray());

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..39] + "…";
}
