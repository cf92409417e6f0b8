namespace AssetCompliance.Core.Registers;

/// <summary>
/// What one reading of a register shares between its header and its rows: the options, the notes for the summary,
/// the profile once the header is read, and which interface devices the rows joined (for the notes at the end).
/// </summary>
internal sealed class HeaderContext(RegisterReadOptions options, List<string>? notes)
{
    private readonly HashSet<string> _joined = new(StringComparer.Ordinal);
    private int _withoutInterface;

    public RegisterReadOptions Options { get; } = options;

    public List<string>? Notes { get; } = notes;

    /// <summary>The header read, once it is.</summary>
    public HeaderMap? Header { get; set; }

    /// <summary>How the profile was chosen: "detected", "--profile", or a mapping file's name.</summary>
    public string? How { get; set; }

    /// <summary>The MACs the interface export gives a device (none when it names no interface of it).</summary>
    public IReadOnlyList<string> Join(string deviceName)
    {
        var macs = Options.Interfaces!.Macs(deviceName);
        if (macs.Count == 0)
        {
            _withoutInterface++;
        }
        else
        {
            _joined.Add(deviceName);
        }

        return macs;
    }

    /// <summary>Adds the notes only the whole file can give: devices without an interface MAC, interfaces of devices not in the register.</summary>
    public void Complete()
    {
        if (Options.Interfaces is not { } interfaces || Header is null || Notes is null)
        {
            return;
        }

        if (_withoutInterface > 0)
        {
            Notes.Add($"{_withoutInterface} device{(_withoutInterface == 1 ? " has" : "s have")} no interface with a MAC in {interfaces.Name}: no MAC evidence for {(_withoutInterface == 1 ? "it" : "them")}");
        }

        var unknown = interfaces.Devices.Where(d => !_joined.Contains(d)).ToArray();
        if (unknown.Length > 0)
        {
            Notes.Add($"{unknown.Length} device{(unknown.Length == 1 ? "" : "s")} in {interfaces.Name} {(unknown.Length == 1 ? "is" : "are")} not in the register, so {(unknown.Length == 1 ? "its interfaces are" : "their interfaces are")} not read: {string.Join(", ", unknown.Take(10).Select(d => $"'{d}'"))}{(unknown.Length > 10 ? ", …" : "")}");
        }
    }
}
