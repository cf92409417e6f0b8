using AssetCompliance.Core.Events;

namespace AssetCompliance.Core.Registers;

/// <summary>
/// One row of a register export, starting at physical line <see cref="Line"/> (1-based; 0 for the file as a whole):
/// the device and whether it is still in service, or, when <see cref="Device"/> is null, why the row could not be
/// read (<see cref="Errors"/>). A device read despite cells that are not in the documented form carries a
/// <see cref="Warnings"/> entry per such cell.
/// </summary>
public sealed record RegisterRow(int Line, AssetEventKind Kind, RegisteredDevice? Device, IReadOnlyList<string> Errors)
{
    /// <summary>The cells of this row that were read in another form than the documented one, or not read at all.</summary>
    public IReadOnlyList<CellWarning> Warnings { get; init; } = [];

    /// <summary>
    /// The register's cells as written, for reports (set by the CSV and workbook readers); null for a row read from an
    /// event, whose fields are already as the sender wrote them (see <see cref="Registered"/>).
    /// </summary>
    public RegisteredText? AsWritten { get; init; }

    /// <summary>What the register said about the device, as written (<see cref="AsWritten"/>, or the event's fields); null for a row not read.</summary>
    public RegisteredText? Registered => AsWritten ?? (Device is { } device ? RegisteredText.From(device) : null);

    /// <summary>
    /// What else the row calls the device on the network, outside the contract: the cells of its host-name columns
    /// (<c>name</c> beside an asset tag, <c>hostname</c>, <c>dns_name</c>, <c>fqdn</c>) and of its IP columns
    /// (<c>ip_address</c>, NetBox's <c>Primary IPv4</c>), as written (trimmed); empty when it has none. Reconcile
    /// matches a scan's host names and addresses by them (docs/reconcile.md); nothing else reads them.
    /// </summary>
    public NetworkNames Network { get; init; } = NetworkNames.None;

    /// <summary>A row, or the whole file (line 0), that could not be read.</summary>
    public static RegisterRow Unreadable(int line, params string[] errors) => new(line, AssetEventKind.Upserted, null, errors);
}

/// <summary>
/// A register row's host names and IP addresses as written (<see cref="RegisterRow.Network"/>): each cell of a
/// host-name column, each cell of an IP column (a cell may hold several addresses, or an address with its prefix
/// length, as NetBox writes <c>10.30.1.15/24</c>).
/// </summary>
public sealed record NetworkNames(IReadOnlyList<string> Hostnames, IReadOnlyList<string> IpAddresses)
{
    /// <summary>No host name and no IP column.</summary>
    public static readonly NetworkNames None = new([], []);
}

/// <summary>
/// A cell of a register row that is not in the documented form: <see cref="Value"/> as the file has it (cut to 80
/// characters), what was made of it (<see cref="Message"/>), and whether its value stayed unknown
/// (<see cref="Unread"/>: the device is evaluated without it, and unknown never counts as compliant) or was read
/// with a rule the message names (a UK date, text after a closing quote).
/// </summary>
public sealed record CellWarning(string Column, string Value, string Message, bool Unread);
