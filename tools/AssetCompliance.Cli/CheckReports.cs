using System.Globalization;
using System.Text;
using System.Text.Json;
using AssetCompliance.Core.Catalogue;
using AssetCompliance.Core.Policy;
using AssetCompliance.Core.Registers;
using AssetCompliance.Core.State;

namespace AssetCompliance.Cli;

internal sealed record CheckVersions(string Catalogue, string Policy);

internal sealed record CheckError(int Line, IReadOnlyList<string> Errors);

/// <summary>
/// The counts behind a check's exit code: devices by status, devices with cell warnings, rows not read, how many
/// error rows the report could not list (it keeps <see cref="CheckCommand.ErrorsListed"/>), the exit code and why.
/// </summary>
/// <c>Events</c> is, for a file of events, how many were read (each device is reported once, at its last revision); null for a register.
internal sealed record CheckSummary(int Devices, IReadOnlyDictionary<ComplianceStatus, int> ByStatus, int DevicesWithWarnings, int RowsNotRead,
    int ErrorsNotListed, int ExitCode, string Verdict, string ReadAs = "", IReadOnlyList<string>? HeaderNotes = null, int? Events = null);

internal sealed record VendorView(string Key, string Name, string UltimateOwner, string Jurisdiction, bool? SubjectToNationalIntelligenceLaw, IReadOnlyList<VendorListing> Listings)
{
    public static VendorView From(Vendor v) => new(v.Key, v.Name, v.UltimateOwner.Name, v.Jurisdiction, v.SubjectToNationalIntelligenceLaw, v.Listings);
}

/// <summary>
/// One device's verdict as <c>compliance check</c> reports it. <paramref name="MacRegistrant"/> is the IEEE registrant
/// of the MAC block when the catalogue does not know it (Cisco, Ubiquiti): a name for the reader, not an identification.
/// </summary>
/// <paramref name="Registered"/> is what the register said (site, manufacturer, model, MAC as written), shown beside the verdict.
internal sealed record CheckResult(int Line, string AssetId, string Department, ComplianceStatus Status, Severity? Severity, string Rule,
    VendorView? Vendor, IReadOnlyList<EvidenceSnapshot> Evidence, bool RelabelSuspected, IReadOnlyList<string> Reasons, IReadOnlyList<CellWarning> Warnings,
    string? MacRegistrant = null, RegisteredText? Registered = null);

/// <summary>
/// One output format of <c>compliance check</c>. Results are written as they are produced, so a register of any size
/// is checked in constant memory.
/// </summary>
internal abstract class CheckReport : IAsyncDisposable
{
    public virtual Task BeginAsync(CheckVersions versions, CancellationToken cancellationToken) => Task.CompletedTask;

    public abstract ValueTask WriteAsync(CheckResult result, CancellationToken cancellationToken);

    /// <summary>A row that could not be read, as it is met; formats that list only devices ignore it here.</summary>
    public virtual ValueTask WriteErrorAsync(CheckError error, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>The end of the report; <paramref name="errors"/> are the first <see cref="CheckCommand.ErrorsListed"/> rows not read.</summary>
    public abstract Task EndAsync(CheckVersions versions, IReadOnlyList<CheckError> errors, CheckSummary summary, CancellationToken cancellationToken);

    public abstract ValueTask DisposeAsync();
}

/// <summary>
/// <c>{"catalogueVersion", "policyVersion", "results": [...], "errors": [...], "summary": {...}}</c>, streamed.
/// Results are written field by field rather than through the reflection serializer: a 100,000-row register spent
/// most of its time there. The shape matches <see cref="CheckResult"/> in camelCase, with every key present (null
/// where empty); <c>warnings</c> lists <c>{column, value, message, unread}</c> per cell not in the documented form.
/// <c>summary</c> holds the counts, the exit code and its reason, so a pipeline can read the verdict from the file.
/// </summary>
internal sealed class JsonCheckReport(Stream output, bool indented) : CheckReport
{
    private const int FlushEvery = 64 * 1024;
    private static readonly JsonEncodedText[] Statuses = Enum.GetNames<ComplianceStatus>().Select(n => JsonEncodedText.Encode(n)).ToArray();
    private static readonly JsonEncodedText[] Severities = Enum.GetNames<Severity>().Select(n => JsonEncodedText.Encode(n)).ToArray();
    private readonly Utf8JsonWriter _writer = new(output, new JsonWriterOptions { Indented = indented });
    private readonly Dictionary<VendorView, byte[]> _vendorJson = [];
    private readonly Dictionary<string, JsonEncodedText> _encoded = new(StringComparer.Ordinal);

    public override Task BeginAsync(CheckVersions versions, CancellationToken cancellationToken)
    {
        _writer.WriteStartObject();
        _writer.WriteString("catalogueVersion", versions.Catalogue);
        _writer.WriteString("policyVersion", versions.Policy);
        _writer.WriteStartArray("results");
        return Task.CompletedTask;
    }

    public override async ValueTask WriteAsync(CheckResult r, CancellationToken cancellationToken)
    {
        var w = _writer;
        w.WriteStartObject();
        w.WriteNumber(Names.Line, r.Line);
        w.WriteString(Names.AssetId, r.AssetId);
        w.WriteString(Names.Department, Encoded(r.Department));
        WriteRegistered(w, r.Registered);
        w.WriteString(Names.Status, Statuses[(int)r.Status]);
        if (r.Severity is { } severity) w.WriteString(Names.Severity, Severities[(int)severity]);
        else w.WriteNull(Names.Severity);
        w.WriteString(Names.Rule, Encoded(r.Rule));
        w.WritePropertyName(Names.Vendor);
        if (r.Vendor is { } vendor) WriteVendor(w, vendor);
        else w.WriteNullValue();
        w.WriteStartArray(Names.Evidence);
        foreach (var e in r.Evidence)
        {
            w.WriteStartObject();
            w.WriteString(Names.Kind, Encoded(e.Kind));
            w.WriteString(Names.Method, Encoded(e.Method));
            w.WriteString(Names.Input, e.Input);
            w.WriteString(Names.Matched, Encoded(e.Matched));
            if (e.Vendor is null) w.WriteNull(Names.Vendor);
            else w.WriteString(Names.Vendor, Encoded(e.Vendor));
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteBoolean(Names.RelabelSuspected, r.RelabelSuspected);
        if (r.MacRegistrant is { } registrant) w.WriteString(Names.MacRegistrant, Encoded(registrant));
        else w.WriteNull(Names.MacRegistrant);
        w.WriteStartArray(Names.Reasons);
        foreach (var reason in r.Reasons)
        {
            w.WriteStringValue(Encoded(reason));
        }

        w.WriteEndArray();
        w.WriteStartArray(Names.Warnings);
        foreach (var warning in r.Warnings)
        {
            w.WriteStartObject();
            w.WriteString(Names.Column, Encoded(warning.Column));
            w.WriteString(Names.Value, warning.Value);
            w.WriteString(Names.Message, warning.Message);
            w.WriteBoolean(Names.Unread, warning.Unread);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
        if (w.BytesPending > FlushEvery)
        {
            await w.FlushAsync(cancellationToken);
        }
    }

    public override async Task EndAsync(CheckVersions versions, IReadOnlyList<CheckError> errors, CheckSummary summary, CancellationToken cancellationToken)
    {
        _writer.WriteEndArray();
        _writer.WriteStartArray("errors");
        foreach (var error in errors)
        {
            _writer.WriteStartObject();
            _writer.WriteNumber(Names.Line, error.Line);
            _writer.WriteStartArray("errors");
            foreach (var message in error.Errors)
            {
                _writer.WriteStringValue(message);
            }

            _writer.WriteEndArray();
            _writer.WriteEndObject();
        }

        _writer.WriteEndArray();
        _writer.WriteStartObject("summary");
        _writer.WriteNumber("devices", summary.Devices);
        _writer.WriteStartObject("byStatus");
        foreach (var (status, count) in summary.ByStatus)
        {
            _writer.WriteNumber(Statuses[(int)status], count);
        }

        _writer.WriteEndObject();
        _writer.WriteNumber("devicesWithWarnings", summary.DevicesWithWarnings);
        _writer.WriteNumber("rowsNotRead", summary.RowsNotRead);
        _writer.WriteNumber("errorsNotListed", summary.ErrorsNotListed);
        _writer.WriteBoolean("complete", summary.RowsNotRead == 0);
        _writer.WriteNumber("exitCode", summary.ExitCode);
        _writer.WriteString("verdict", summary.Verdict);
        _writer.WriteString("readAs", summary.ReadAs);
        if (summary.Events is { } eventsRead) _writer.WriteNumber("eventsRead", eventsRead);
        else _writer.WriteNull("eventsRead");
        _writer.WriteStartArray("header");
        foreach (var note in summary.HeaderNotes ?? [])
        {
            _writer.WriteStringValue(note);
        }

        _writer.WriteEndArray();
        _writer.WriteEndObject();
        _writer.WriteEndObject();
        await _writer.FlushAsync(cancellationToken);
        await output.WriteAsync("\n"u8.ToArray(), cancellationToken);
        await output.FlushAsync(cancellationToken);
    }

    public override ValueTask DisposeAsync() => _writer.DisposeAsync();

    // Registers repeat a few hundred vendors, methods and reasons across every row: encode each once and copy bytes.
    private JsonEncodedText Encoded(string value)
    {
        if (!_encoded.TryGetValue(value, out var encoded))
        {
            encoded = JsonEncodedText.Encode(value);
            if (_encoded.Count < 100_000)
            {
                _encoded[value] = encoded;
            }
        }

        return encoded;
    }

    // What the register said, in full (the table cuts it, JSON never does); null where the register holds nothing.
    // Sites and makers repeat across rows, so they are encoded once; models and MACs mostly do not.
    private void WriteRegistered(Utf8JsonWriter w, RegisteredText? registered)
    {
        w.WriteStartObject(Names.Registered);
        WriteText(w, Names.SiteId, registered?.SiteId, repeats: true);
        WriteText(w, Names.SiteName, registered?.SiteName, repeats: true);
        WriteText(w, Names.Manufacturer, registered?.Manufacturer, repeats: true);
        WriteText(w, Names.Model, registered?.Model, repeats: false);
        WriteText(w, Names.MacAddress, registered?.MacAddress, repeats: false);
        w.WriteEndObject();
    }

    private void WriteText(Utf8JsonWriter w, JsonEncodedText name, string? value, bool repeats)
    {
        if (value is null) w.WriteNull(name);
        else if (repeats) w.WriteString(name, Encoded(value));
        else w.WriteString(name, value);
    }

    private void WriteVendor(Utf8JsonWriter w, VendorView vendor)
    {
        if (!_vendorJson.TryGetValue(vendor, out var json))
        {
            using var buffer = new MemoryStream();
            using (var vendorWriter = new Utf8JsonWriter(buffer))
            {
                WriteVendorObject(vendorWriter, vendor);
            }

            json = _vendorJson[vendor] = buffer.ToArray();
        }

        w.WriteRawValue(json, skipInputValidation: true);
    }

    private static void WriteVendorObject(Utf8JsonWriter w, VendorView vendor)
    {
        w.WriteStartObject();
        w.WriteString(Names.Key, vendor.Key);
        w.WriteString(Names.Name, vendor.Name);
        w.WriteString(Names.UltimateOwner, vendor.UltimateOwner);
        w.WriteString(Names.Jurisdiction, vendor.Jurisdiction);
        if (vendor.SubjectToNationalIntelligenceLaw is { } subject) w.WriteBoolean(Names.SubjectToNil, subject);
        else w.WriteNull(Names.SubjectToNil);
        w.WriteStartArray(Names.Listings);
        foreach (var listing in vendor.Listings)
        {
            w.WriteStartObject();
            w.WriteString(Names.List, listing.List);
            w.WriteString(Names.Since, listing.Since.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            w.WriteString(Names.Source, listing.Source);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static class Names
    {
        public static readonly JsonEncodedText Line = JsonEncodedText.Encode("line");
        public static readonly JsonEncodedText AssetId = JsonEncodedText.Encode("assetId");
        public static readonly JsonEncodedText Department = JsonEncodedText.Encode("department");
        public static readonly JsonEncodedText Registered = JsonEncodedText.Encode("registered");
        public static readonly JsonEncodedText SiteId = JsonEncodedText.Encode("siteId");
        public static readonly JsonEncodedText SiteName = JsonEncodedText.Encode("siteName");
        public static readonly JsonEncodedText Manufacturer = JsonEncodedText.Encode("manufacturer");
        public static readonly JsonEncodedText Model = JsonEncodedText.Encode("model");
        public static readonly JsonEncodedText MacAddress = JsonEncodedText.Encode("macAddress");
        public static readonly JsonEncodedText Status = JsonEncodedText.Encode("status");
        public static readonly JsonEncodedText Severity = JsonEncodedText.Encode("severity");
        public static readonly JsonEncodedText Rule = JsonEncodedText.Encode("rule");
        public static readonly JsonEncodedText Vendor = JsonEncodedText.Encode("vendor");
        public static readonly JsonEncodedText Evidence = JsonEncodedText.Encode("evidence");
        public static readonly JsonEncodedText Kind = JsonEncodedText.Encode("kind");
        public static readonly JsonEncodedText Method = JsonEncodedText.Encode("method");
        public static readonly JsonEncodedText Input = JsonEncodedText.Encode("input");
        public static readonly JsonEncodedText Matched = JsonEncodedText.Encode("matched");
        public static readonly JsonEncodedText RelabelSuspected = JsonEncodedText.Encode("relabelSuspected");
        public static readonly JsonEncodedText MacRegistrant = JsonEncodedText.Encode("macRegistrant");
        public static readonly JsonEncodedText Reasons = JsonEncodedText.Encode("reasons");
        public static readonly JsonEncodedText Warnings = JsonEncodedText.Encode("warnings");
        public static readonly JsonEncodedText Column = JsonEncodedText.Encode("column");
        public static readonly JsonEncodedText Value = JsonEncodedText.Encode("value");
        public static readonly JsonEncodedText Message = JsonEncodedText.Encode("message");
        public static readonly JsonEncodedText Unread = JsonEncodedText.Encode("unread");
        public static readonly JsonEncodedText Key = JsonEncodedText.Encode("key");
        public static readonly JsonEncodedText Name = JsonEncodedText.Encode("name");
        public static readonly JsonEncodedText UltimateOwner = JsonEncodedText.Encode("ultimateOwner");
        public static readonly JsonEncodedText Jurisdiction = JsonEncodedText.Encode("jurisdiction");
        public static readonly JsonEncodedText SubjectToNil = JsonEncodedText.Encode("subjectToNationalIntelligenceLaw");
        public static readonly JsonEncodedText Listings = JsonEncodedText.Encode("listings");
        public static readonly JsonEncodedText List = JsonEncodedText.Encode("list");
        public static readonly JsonEncodedText Since = JsonEncodedText.Encode("since");
        public static readonly JsonEncodedText Source = JsonEncodedText.Encode("source");
    }
}

/// <summary>
/// One CSV line per device, for spreadsheets, with its cell warnings in the last column; a row that could not be read
/// is a line too, with status <c>NotRead</c> and the reasons, so the spreadsheet accounts for every row of the register.
/// </summary>
internal sealed class CsvCheckReport(Stream output) : CheckReport
{
    /// <summary>The status a row that could not be read has in the CSV report.</summary>
    public const string NotRead = "NotRead";

    private readonly StreamWriter _writer = new(output, new UTF8Encoding(false), 1 << 16, leaveOpen: true);

    /// <summary>
    /// The header: the verdict's columns, then what the register said (<see cref="ReportCsv.RegisteredColumns"/>, as
    /// the API's export has them, under the same names), so the spreadsheet shows which row of the register is meant.
    /// </summary>
    internal static readonly string[] Columns =
    [
        "line", ReportCsv.AssetId, ReportCsv.Department, ReportCsv.Status, ReportCsv.Severity, ReportCsv.Rule, ReportCsv.Vendor, ReportCsv.Jurisdiction,
        ReportCsv.SubjectToNil, ReportCsv.RelabelSuspected, "reasons", "warnings", .. ReportCsv.RegisteredColumns,
    ];

    // A row not read has its line, status and reasons; every other column is empty.
    private static readonly string EmptyAfterReasons = new(',', Columns.Length - Array.IndexOf(Columns, "reasons") - 1);

    public override async Task BeginAsync(CheckVersions versions, CancellationToken cancellationToken) =>
        await _writer.WriteLineAsync(string.Join(',', Columns));

    public override async ValueTask WriteAsync(CheckResult r, CancellationToken cancellationToken)
    {
        // Every field goes through the formula guard: register text (and header names, in warnings) is anyone's.
        string[] fields =
        [
            r.Line.ToString(CultureInfo.InvariantCulture), r.AssetId, r.Department, r.Status.ToString(), r.Severity?.ToString() ?? "", r.Rule,
            r.Vendor?.Name ?? "", r.Vendor?.Jurisdiction ?? "", r.Vendor?.SubjectToNationalIntelligenceLaw switch { true => "true", false => "false", null => "" },
            r.RelabelSuspected ? "true" : "false", string.Join(" ", r.Reasons), CheckCommand.Describe(r.Warnings),
            .. ReportCsv.RegisteredValues(r.Registered),
        ];
        await _writer.WriteLineAsync(string.Join(',', fields.Select(ReportCsv.Field)));
    }

    public override async ValueTask WriteErrorAsync(CheckError error, CancellationToken cancellationToken) =>
        await _writer.WriteLineAsync($"{error.Line.ToString(CultureInfo.InvariantCulture)},,,{NotRead},,,,,,,{ReportCsv.Field(string.Join("; ", error.Errors))}{EmptyAfterReasons}");

    public override async Task EndAsync(CheckVersions versions, IReadOnlyList<CheckError> errors, CheckSummary summary, CancellationToken cancellationToken) =>
        await _writer.FlushAsync(cancellationToken);

    public override ValueTask DisposeAsync() => _writer.DisposeAsync();
}

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
        await _writer.WriteLineAsync($"{summary.Devices} devices{(counts.Length > 0 ? ": " + counts : "")}; {summary.DevicesWithWarnings} with warnings; {summary.RowsNotRead} rows not readable. Catalogue {versions.Catalogue}, policy {versions.Policy}.");
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
