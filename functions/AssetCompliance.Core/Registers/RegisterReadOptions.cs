namespace AssetCompliance.Core.Registers;

/// <summary>How to read a register: each null is detected from the file.</summary>
public sealed record RegisterReadOptions
{
    /// <summary>Everything detected.</summary>
    public static readonly RegisterReadOptions Detect = new();

    /// <summary>The CSV field delimiter (',', ';' or tab), or null to detect it (<see cref="CsvDelimiter.Detect"/>).</summary>
    public char? Delimiter { get; init; }

    /// <summary>The encoding, one of <see cref="RegisterEncoding.Names"/>, or null to detect it (<see cref="RegisterEncoding.Decide"/>).</summary>
    public string? Encoding { get; init; }

    /// <summary>The workbook sheet to read (any case), or null for the first with a register header; ignored for text files.</summary>
    public string? Sheet { get; init; }

    /// <summary>
    /// The profile the header is read as, one of <see cref="RegisterProfiles.Names"/>, or null to detect it from the
    /// header (a header two profiles fit equally is refused). A header that does not fit the chosen profile is refused.
    /// </summary>
    public string? Profile { get; init; }

    /// <summary>What chose <see cref="Profile"/>, for messages and the report: "--profile" (the default) or a mapping file's name.</summary>
    public string? ProfileSource { get; init; }

    /// <summary>Columns read as fields whatever the profile says (<c>--map</c>, a mapping file), each field one of <see cref="RegisterMapping.Fields"/>.</summary>
    public IReadOnlyList<(string Column, string Field)>? Columns { get; init; }

    /// <summary>What gave <see cref="Columns"/>, for messages: "--map" (the default) or a mapping file's name.</summary>
    public string? ColumnsSource { get; init; }

    /// <summary>
    /// The department code of every row whose department is missing or blank, or null. A row that names another
    /// department is warned (check) and refused (push, which sends one department's register).
    /// </summary>
    public string? Department { get; init; }

    /// <summary>A NetBox interface export whose MACs are joined to the devices by name (<c>--interfaces</c>), or null.</summary>
    public NetBoxInterfaces? Interfaces { get; init; }
}
