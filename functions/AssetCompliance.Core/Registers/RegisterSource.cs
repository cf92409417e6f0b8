namespace AssetCompliance.Core.Registers;

/// <summary>
/// A register being read: <paramref name="ReadAs"/> says how, for the report ("CSV, semicolon-delimited (detected)");
/// <paramref name="Rows"/> are read as they are enumerated, once.
/// </summary>
public sealed record RegisterSource(string ReadAs, IEnumerable<RegisterRow> Rows)
{
    private readonly string _readAs = ReadAs;

    /// <summary>
    /// How the file is read: its shape, delimiter and encoding, and, once the header is read, the profile and how it
    /// was chosen ("CSV, comma-delimited (detected), UTF-8; read as a NetBox device export (detected)").
    /// </summary>
    public string ReadAs
    {
        // A spreadsheet the profile detection fell back to is what every register was read as before profiles: its
        // header notes say how; only an export profile, or one chosen, is named.
        get => Context?.Header is { } header && (header.Profile != RegisterProfiles.Spreadsheet || Context.How != "detected")
            ? $"{_readAs}; read as {header.Profile.Title} ({Context.How})"
            : _readAs;
        init => _readAs = value;
    }

    /// <summary>The profile the header was read as, once it is read (null for JSON Lines and a file not read).</summary>
    public RegisterProfile? Profile => Context?.Header?.Profile;

    internal HeaderContext? Context { get; init; }

    /// <summary>
    /// How the header was read, filled once it is (after the first row is enumerated): each name read as a field it is
    /// not spelled as ("column 1 'Asset Tag' is read as asset_id"). Empty for a header in the documented names.
    /// </summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>
    /// Whether the rows are events (JSON Lines), several of which may describe one device at different revisions:
    /// reports then fold them per device (<see cref="LatestRevisions{T}"/>) rather than list each event.
    /// </summary>
    public bool Events { get; init; }
}
