using System.Globalization;
using System.Text;
using System.Text.Json;
using AssetCompliance.Core.Catalogue;
using AssetCompliance.Core.Policy;
using AssetCompliance.Core.Registers;
using AssetCompliance.Core.State;

namespace AssetCompliance.Cli;

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
