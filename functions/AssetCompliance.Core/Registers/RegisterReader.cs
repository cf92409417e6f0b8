using System.Globalization;
using System.Text;
using AssetCompliance.Core.Events;

namespace AssetCompliance.Core.Registers;

/// <summary>One row of a register export: the device and whether it is still in service, or why the row is unusable.</summary>
public sealed record RegisterRow(int Line, AssetEventKind Kind, RegisteredDevice? Device, IReadOnlyList<string> Errors);

/// <summary>
/// Reads a department's register export: CSV with the documented header, or JSON Lines of contract-v1 CloudEvents.
/// A malformed row is returned with its line number and reasons and does not stop the others.
/// </summary>
public static class RegisterReader
{
    public static readonly string[] CsvHeader =
    [
        "asset_id", "department", "manufacturer", "model", "serial_number", "mac_address", "device_type",
        "site_id", "site_name", "site_sensitive", "network_segment", "installed_on", "status",
    ];

    public static IEnumerable<RegisterRow> Read(TextReader reader, string fileName)
    {
        return fileName.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase) || fileName.EndsWith(".ndjson", StringComparison.OrdinalIgnoreCase)
            ? ReadJsonLines(reader)
            : ReadCsv(reader);
    }

    public static IEnumerable<RegisterRow> ReadJsonLines(TextReader reader)
    {
        var line = 0;
        string? text;
        while ((text = reader.ReadLine()) is not null)
        {
            line++;
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }

            var parsed = AssetEventParser.Parse(Encoding.UTF8.GetBytes(text));
            yield return parsed.Event is { } e
                ? new RegisterRow(line, e.Kind, e.Device, [])
                : new RegisterRow(line, AssetEventKind.Upserted, null, parsed.Errors.Select(x => x.ToString()).ToArray());
        }
    }

    public static IEnumerable<RegisterRow> ReadCsv(TextReader reader)
    {
        var line = 0;
        Dictionary<string, int>? columns = null;
        foreach (var (startLine, fields) in CsvRecords(reader))
        {
            line = startLine;
            if (columns is null)
            {
                columns = fields.Select((name, index) => (name: name.Trim().ToLowerInvariant(), index)).ToDictionary(x => x.name, x => x.index);
                var missing = CsvHeader.Where(h => !columns.ContainsKey(h)).ToArray();
                if (missing.Length > 0)
                {
                    yield return new RegisterRow(line, AssetEventKind.Upserted, null, [$"header is missing columns: {string.Join(", ", missing)}"]);
                    yield break;
                }

                continue;
            }

            if (fields.Count == 1 && fields[0].Length == 0)
            {
                continue;
            }

            yield return ParseCsvRow(line, fields, columns);
        }
    }

    private static RegisterRow ParseCsvRow(int line, IReadOnlyList<string> fields, Dictionary<string, int> columns)
    {
        var errors = new List<string>();
        if (fields.Count != columns.Count)
        {
            errors.Add($"has {fields.Count} fields, the header has {columns.Count}");
            return new RegisterRow(line, AssetEventKind.Upserted, null, errors);
        }

        string Field(string name) => fields[columns[name]].Trim();
        string? Optional(string name) => Field(name) is { Length: > 0 } v ? v : null;

        var assetId = Field("asset_id");
        if (Identifiers.AssetIdError(assetId) is { } assetError) errors.Add($"asset_id {assetError}");
        var department = Field("department");
        if (Identifiers.DepartmentError(department) is { } departmentError) errors.Add($"department {departmentError}");

        var status = Field("status");
        AssetEventKind? kind = status.Length == 0 || status.Equals("in-service", StringComparison.OrdinalIgnoreCase) ? AssetEventKind.Upserted
            : status.Equals("removed", StringComparison.OrdinalIgnoreCase) ? AssetEventKind.Removed
            : null;
        if (kind is null) errors.Add("status must be 'in-service' or 'removed'");

        DeviceType? deviceType = null;
        if (DeviceTypes.TryParse(Field("device_type"), out var parsedType)) deviceType = parsedType;
        else errors.Add($"device_type must be one of {string.Join(", ", DeviceTypes.AllNames)}");

        var sensitiveText = Field("site_sensitive");
        bool? sensitive = sensitiveText.Length == 0 ? null
            : IsAny(sensitiveText, "true", "yes", "y") ? true
            : IsAny(sensitiveText, "false", "no", "n") ? false
            : Invalid<bool?>($"site_sensitive must be true, false or empty, not '{sensitiveText}'");

        NetworkSegment? segment = null;
        if (Optional("network_segment") is { } segmentText)
        {
            if (NetworkSegments.TryParse(segmentText, out var s)) segment = s;
            else errors.Add($"network_segment must be one of {string.Join(", ", NetworkSegments.AllNames)} or empty");
        }

        DateOnly? installed = null;
        if (Optional("installed_on") is { } installedText)
        {
            if (DateOnly.TryParseExact(installedText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) installed = d;
            else errors.Add("installed_on must be YYYY-MM-DD or empty");
        }

        var mac = Optional("mac_address");
        if (mac is not null && !MacAddress.TryParse(mac, out _)) errors.Add($"mac_address '{mac}' is not a MAC address");

        var siteId = Optional("site_id");
        if (siteId is not null && Identifiers.AssetIdError(siteId) is { } siteError) errors.Add($"site_id {siteError.Replace("asset id", "site id", StringComparison.Ordinal)}");

        if (errors.Count > 0)
        {
            return new RegisterRow(line, kind ?? AssetEventKind.Upserted, null, errors);
        }

        var device = new RegisteredDevice
        {
            AssetId = assetId,
            Department = department,
            Revision = 0,
            Manufacturer = Optional("manufacturer"),
            Model = Optional("model"),
            SerialNumber = Optional("serial_number"),
            MacAddress = mac,
            DeviceType = deviceType,
            Site = siteId is null ? null : new Site(siteId, Optional("site_name"), sensitive),
            NetworkSegment = segment,
            InstalledOn = installed,
        };
        return new RegisterRow(line, kind!.Value, device, []);

        static bool IsAny(string text, string a, string b, string c) =>
            text.Equals(a, StringComparison.OrdinalIgnoreCase) || text.Equals(b, StringComparison.OrdinalIgnoreCase) || text.Equals(c, StringComparison.OrdinalIgnoreCase);

        T Invalid<T>(string message)
        {
            errors.Add(message);
            return default!;
        }
    }

    /// <summary>RFC 4180 records: quoted fields may hold commas, doubled quotes and line breaks.</summary>
    internal static IEnumerable<(int Line, IReadOnlyList<string> Fields)> CsvRecords(TextReader reader)
    {
        var line = 0;
        string? text;
        while ((text = reader.ReadLine()) is not null)
        {
            line++;
            var startLine = line;
            if (text.IndexOf('"') < 0)
            {
                // Most rows have no quoted field: one vectorised split instead of a character loop.
                var plain = text.Split(',');
                if (startLine == 1 && plain[0].Length > 0 && plain[0][0] == '\uFEFF')
                {
                    plain[0] = plain[0][1..];
                }

                yield return (startLine, plain);
                continue;
            }

            var fields = new List<string>();
            var field = new StringBuilder();
            var inQuotes = false;
            var i = 0;
            while (true)
            {
                if (i >= text.Length)
                {
                    if (inQuotes && reader.ReadLine() is { } next)
                    {
                        line++;
                        field.Append('\n');
                        text = next;
                        i = 0;
                        continue;
                    }

                    break;
                }

                var c = text[i++];
                if (inQuotes)
                {
                    if (c == '"' && i < text.Length && text[i] == '"') { field.Append('"'); i++; }
                    else if (c == '"') inQuotes = false;
                    else field.Append(c);
                }
                else if (c == '"') inQuotes = true;
                else if (c == ',') { fields.Add(field.ToString()); field.Clear(); }
                else field.Append(c);
            }

            fields.Add(field.ToString());
            if (startLine == 1 && fields.Count > 0 && fields[0].Length > 0 && fields[0][0] == '\uFEFF')
            {
                fields[0] = fields[0][1..];
            }

            yield return (startLine, fields);
        }
    }
}
