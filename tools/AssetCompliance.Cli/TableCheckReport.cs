using System.Text;
using AssetCompliance.Core.Registers;

namespace AssetCompliance.Cli;

/// <summary>
/// A table for a person, with a closing line of counts by status: per device a line of the verdict in fixed-width
/// columns, and under it a line of what the register said (<see cref="Registered"/>), both within 120 columns but for
/// the warnings' column names.
/// </summary>
internal sealed class TableCheckReport(Stream output) : CheckReport
{
    private readonly StreamWriter _writer = new(output, new UTF8Encoding(false), 1 << 16, leaveOpen: true);

    public override async Task BeginAsync(CheckVersions versions, CancellationToken cancellationToken) =>
        await _writer.WriteLineAsync($"{"ASSET",-20} {"DEPT",-6} {"STATUS",-13} {"SEVERITY",-9} {"VENDOR",-22} {"RELABEL",-7} WARNINGS");

    public override async ValueTask WriteAsync(CheckResult r, CancellationToken cancellationToken)
    {
        // Column names come from the register's header, which may hold escape sequences.
        var warnings = r.Warnings.Count == 0 ? "" : TerminalText.Safe(string.Join(",", r.Warnings.Select(w => w.Column).Distinct()));
        await _writer.WriteLineAsync($"{Trim(r.AssetId, 20),-20} {Trim(r.Department, 6),-6} {r.Status,-13} {r.Severity?.ToString() ?? "-",-9} {Trim(r.Vendor?.Name ?? (r.MacRegistrant is { } registrant ? "IEEE: " + TerminalText.Safe(registrant) : "(unidentified)"), 22),-22} {(r.RelabelSuspected ? "yes" : ""),-7} {warnings}".TrimEnd());
        await _writer.WriteLineAsync(Registered(r.Line, r.Registered));
    }

    /// <summary>
    /// The second line of a device: what the register said, under the verdict, so the reader can find the row. Each
    /// value is cut to fit (with an ellipsis; JSON and CSV carry it whole) and shown, not obeyed, so the line stays
    /// within <see cref="Width"/> columns whatever a cell holds.
    /// </summary>
    internal static string Registered(int line, RegisteredText? registered)
    {
        var parts = new List<string>(4);
        if (registered?.Manufacturer is { } manufacturer) parts.Add(Trim(manufacturer, 24));
        if (registered?.Model is { } model) parts.Add($"model {Trim(model, 24)}");
        if (registered?.MacAddress is { } mac) parts.Add($"MAC {Trim(mac, 20)}");
        if ((registered?.SiteName ?? registered?.SiteId) is { } site) parts.Add($"at {Trim(site, 48)}"); // last, so it has what is left of the line
        return Cut($"  line {line}: {(parts.Count == 0 ? "no manufacturer, model, MAC or site registered" : string.Join(", ", parts))}", Width);
    }

    /// <summary>The widest a registered line is: a 120-column terminal shows it whole.</summary>
    internal const int Width = 118;

    public override async Task EndAsync(CheckVersions versions, IReadOnlyList<CheckError> errors, CheckSummary summary, CancellationToken cancellationToken)
    {
        var counts = string.Join(", ", summary.ByStatus.OrderBy(c => c.Key).Select(c => $"{c.Value} {c.Key}"));
        await _writer.WriteLineAsync($"{summary.Devices} device{(summary.Devices == 1 ? "" : "s")}{(counts.Length > 0 ? ": " + counts : "")}; {summary.DevicesWithWarnings} with warnings; {summary.RowsNotRead} rows not readable. Catalogue {versions.Catalogue}, policy {versions.Policy}.");
        await _writer.WriteLineAsync($"Exit {summary.ExitCode}: {summary.Verdict}");
        await _writer.WriteLineAsync(summary.Events is { } events
            ? $"Read as {summary.ReadAs}: {events} event{(events == 1 ? "" : "s")} read, for {summary.Devices} device{(summary.Devices == 1 ? "" : "s")}, each reported at its last revision."
            : $"Read as {summary.ReadAs}.");
        if (summary.HeaderNotes is { Count: > 0 } notes)
        {
            await _writer.WriteLineAsync(TerminalText.Safe($"Header: {string.Join("; ", notes)}."));
        }
        await _writer.FlushAsync(cancellationToken);
    }

    public override ValueTask DisposeAsync() => _writer.DisposeAsync();

    private static string Trim(string value, int width)
    {
        // Escaped before it is cut, so a cut never splits an escape into something a terminal would obey.
        return Cut(TerminalText.Safe(value), width);
    }

    // Cut to width characters with an ellipsis, never between the halves of a surrogate pair.
    private static string Cut(string value, int width)
    {
        if (value.Length <= width)
        {
            return value;
        }

        var end = width - 1;
        return value[..(char.IsHighSurrogate(value[end - 1]) ? end - 1 : end)] + "…";
    }
}
