using System.Net;
using AssetCompliance.Core.Events;
using CsvHelper;

namespace AssetCompliance.Core.Observations;

/// <summary>
/// The CSV side of the inventory readers (runZero, Defender for Endpoint): CsvHelper (RFC 4180) with malformed
/// quoting and rows of the wrong length thrown as <see cref="ObservationReadException"/> naming the line, a header
/// looked up by any of a column's names (case and surrounding space ignored), and the list cells these exports
/// write (several addresses in one cell, separated by commas, semicolons, white space, or as a JSON array).
/// </summary>
internal sealed class InventoryCsv : IDisposable
{
    private readonly CsvReader _csv;
    private readonly string _file;

    private InventoryCsv(CsvReader csv, string file)
    {
        _csv = csv;
        _file = file;
    }

    /// <summary>Opens the file and reads its header; an empty file, or one without a header, throws.</summary>
    public static InventoryCsv Open(Stream stream, string file)
    {
        var options = new CsvReaderOptions
        {
            HasHeader = true,
            TrackLineNumbers = true,
            TrimWhitespace = true,
            SkipEmptyLines = true,
            MaxRecordSize = 1 << 20,
            MalformedData = CsvMalformedDataHandling.Throw,
            FieldCountMismatch = CsvFieldCountHandling.Throw,
        };
        var reader = new InventoryCsv(CsvReader.Create(stream, options, leaveOpen: true), file);
        try
        {
            reader._csv.ReadHeader();
        }
        catch (CsvFormatException e)
        {
            reader.Dispose();
            throw new ObservationReadException(file, (int)e.LineNumber, $"the header cannot be read: {e.Message}", e);
        }

        if (reader._csv.Headers.Count == 0)
        {
            reader.Dispose();
            throw new ObservationReadException(file, 0, "empty: no header row");
        }

        return reader;
    }

    /// <summary>The header's names.</summary>
    public IReadOnlyList<string> Headers => [.. _csv.Headers];

    /// <summary>The 1-based line the current row starts on.</summary>
    public int Line => (int)_csv.LineNumber;

    /// <summary>The index of the first of <paramref name="names"/> the header has, or -1.</summary>
    public int Column(params string[] names)
    {
        foreach (var name in names)
        {
            if (_csv.TryGetFieldIndex(name, out var index))
            {
                return index;
            }
        }

        return -1;
    }

    /// <summary>Advances to the next row; malformed quoting or a row of the wrong length throws naming the line.</summary>
    public bool Read()
    {
        try
        {
            return _csv.Read();
        }
        catch (CsvFormatException e)
        {
            throw new ObservationReadException(_file, (int)e.LineNumber, $"malformed CSV (a stray quote, a row cut short or with extra cells?): {e.Message}", e);
        }
    }

    /// <summary>The trimmed cell, or null when the column is absent or the cell empty.</summary>
    public string? Cell(int column) => column < 0 || _csv.GetString(column).Trim() is not { Length: > 0 } value ? null : value;

    /// <summary>A list cell split into its items (see the type).</summary>
    public IReadOnlyList<string> List(int column) => SplitList(Cell(column));

    /// <summary>Splits a cell holding several values: a JSON array of strings, or values separated by commas, semicolons or white space.</summary>
    public static IReadOnlyList<string> SplitList(string? cell)
    {
        if (cell is null)
        {
            return [];
        }

        return cell.Split([',', ';', ' ', '\t', '\n', '\r', '[', ']', '"', '|'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    /// <summary>Reads IP addresses from items, throwing for one that is not an address: a column misread is not a device without addresses.</summary>
    public List<IPAddress> Addresses(IEnumerable<string> items, string column)
    {
        var result = new List<IPAddress>();
        foreach (var item in items)
        {
            result.Add(IPAddress.TryParse(item, out var ip) ? NmapXmlReader.Normalise(ip) : throw new ObservationReadException(_file, Line, $"{column}: '{item}' is not an IP address"));
        }

        return result;
    }

    /// <summary>Reads MAC addresses from items, throwing for one that is not a MAC.</summary>
    public List<MacAddress> Macs(IEnumerable<string> items, string column)
    {
        var result = new List<MacAddress>();
        foreach (var item in items)
        {
            result.Add(MacAddress.TryParse(item, out var mac) ? mac : throw new ObservationReadException(_file, Line, $"{column}: '{item}' is not a MAC address"));
        }

        return result;
    }

    public void Dispose() => _csv.Dispose();
}
