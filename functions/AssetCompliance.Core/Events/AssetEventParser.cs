using System.Globalization;
using System.Text.Json;

namespace AssetCompliance.Core.Events;

/// <summary>The outcome of parsing one event: either the event or every problem found, never both.</summary>
public sealed record AssetEventParseResult(AssetEvent? Event, IReadOnlyList<ValidationError> Errors)
{
    public bool IsValid => Event is not null;
}

/// <summary>
/// Parses and validates contract v1: one CloudEvents 1.0 event in structured JSON mode. Collects every error with
/// its JSON path rather than stopping at the first, because the sender needs the whole list to fix a register export.
/// Unknown properties are ignored so that senders may add CloudEvents extensions and newer optional fields.
/// </summary>
public static class AssetEventParser
{
    public const string SpecVersion = "1.0";
    public const int MaxTextLength = 256;
    private const string SourcePrefix = "/departments/";
    private const string SourceSuffix = "/asset-register";

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 16 };

    public static AssetEventParseResult Parse(ReadOnlyMemory<byte> utf8Json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8Json, DocumentOptions);
        }
        catch (JsonException ex)
        {
            var where = ex.LineNumber is { } line ? $" at line {line + 1}, position {ex.BytePositionInLine + 1}" : string.Empty;
            return Invalid(new ValidationError("$", $"body is not valid JSON{where}"));
        }

        using (document)
        {
            return Parse(document.RootElement);
        }
    }

    public static AssetEventParseResult Parse(string json) => Parse(System.Text.Encoding.UTF8.GetBytes(json));

    public static AssetEventParseResult Parse(JsonElement root)
    {
        var errors = new List<ValidationError>();
        if (root.ValueKind != JsonValueKind.Object)
        {
            return Invalid(new ValidationError("$", "must be a JSON object (one CloudEvent)"));
        }

        var specVersion = RequiredString(root, "specversion", "$", errors);
        if (specVersion is not null && specVersion != SpecVersion)
        {
            errors.Add(new("$.specversion", $"must be '{SpecVersion}'"));
        }

        var id = RequiredString(root, "id", "$", errors);
        var source = RequiredString(root, "source", "$", errors);
        var type = RequiredString(root, "type", "$", errors);
        AssetEventKind? kind = type switch
        {
            null => null,
            AssetEventTypes.Upserted => AssetEventKind.Upserted,
            AssetEventTypes.Removed => AssetEventKind.Removed,
            _ => null,
        };
        if (type is not null && kind is null)
        {
            errors.Add(new("$.type", $"must be '{AssetEventTypes.Upserted}' or '{AssetEventTypes.Removed}'"));
        }

        var subject = OptionalString(root, "subject", "$", errors);
        var timeText = RequiredString(root, "time", "$", errors);
        DateTimeOffset time = default;
        if (timeText is not null && !DateTimeOffset.TryParse(timeText, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out time))
        {
            errors.Add(new("$.time", "must be an RFC 3339 timestamp"));
        }

        var contentType = OptionalString(root, "datacontenttype", "$", errors);
        if (contentType is not null && !contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            errors.Add(new("$.datacontenttype", "must be 'application/json'"));
        }

        if (id is not null && (id.Length > 128 || id.Any(char.IsControl)))
        {
            errors.Add(new("$.id", "must be at most 128 characters without control characters"));
        }

        RegisteredDevice? device = null;
        if (!root.TryGetProperty("data", out var data) || data.ValueKind == JsonValueKind.Null)
        {
            errors.Add(new("$.data", "is required"));
        }
        else if (data.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new("$.data", "must be an object"));
        }
        else
        {
            device = ParseDevice(data, kind ?? AssetEventKind.Upserted, errors);
        }

        if (device is not null)
        {
            if (source is not null && source != SourcePrefix + device.Department + SourceSuffix)
            {
                errors.Add(new("$.source", $"must be '{SourcePrefix}{device.Department}{SourceSuffix}' (the department in data)"));
            }

            if (subject is not null && subject != device.AssetId)
            {
                errors.Add(new("$.subject", "must equal data.assetId"));
            }
        }

        if (errors.Count > 0 || device is null || id is null || source is null || kind is null)
        {
            return new AssetEventParseResult(null, errors);
        }

        return new AssetEventParseResult(
            new AssetEvent { Id = id, Source = source, Kind = kind.Value, Time = time, Device = device },
            []);
    }

    private static RegisteredDevice? ParseDevice(JsonElement data, AssetEventKind kind, List<ValidationError> errors)
    {
        const string at = "$.data";
        var before = errors.Count;

        var assetId = RequiredString(data, "assetId", at, errors);
        if (assetId is not null && Identifiers.AssetIdError(assetId) is { } assetError)
        {
            errors.Add(new($"{at}.assetId", assetError));
        }

        var department = RequiredString(data, "department", at, errors);
        if (department is not null && Identifiers.DepartmentError(department) is { } departmentError)
        {
            errors.Add(new($"{at}.department", departmentError));
        }

        long revision = 0;
        if (!data.TryGetProperty("revision", out var revisionElement) || revisionElement.ValueKind == JsonValueKind.Null)
        {
            errors.Add(new($"{at}.revision", "is required"));
        }
        else if (revisionElement.ValueKind != JsonValueKind.Number || !revisionElement.TryGetInt64(out revision) || revision < 0)
        {
            errors.Add(new($"{at}.revision", "must be a non-negative integer"));
        }

        var manufacturer = OptionalText(data, "manufacturer", at, errors);
        var model = OptionalText(data, "model", at, errors);
        var serial = OptionalText(data, "serialNumber", at, errors);
        var mac = OptionalText(data, "macAddress", at, errors);
        if (!string.IsNullOrWhiteSpace(mac) && !MacAddress.TryParse(mac, out _))
        {
            errors.Add(new($"{at}.macAddress", "must be a 48-bit MAC address such as 'AA:BB:CC:DD:EE:FF', 'aa-bb-cc-dd-ee-ff', 'aabb.ccdd.eeff' or 12 hex digits"));
        }

        DeviceType? deviceType = null;
        var deviceTypeText = kind == AssetEventKind.Upserted
            ? RequiredString(data, "deviceType", at, errors)
            : OptionalString(data, "deviceType", at, errors);
        if (deviceTypeText is not null)
        {
            if (DeviceTypes.TryParse(deviceTypeText, out var parsedType))
            {
                deviceType = parsedType;
            }
            else
            {
                errors.Add(new($"{at}.deviceType", $"must be one of {string.Join(", ", DeviceTypes.AllNames)}"));
            }
        }

        Site? site = null;
        if (!data.TryGetProperty("site", out var siteElement) || siteElement.ValueKind == JsonValueKind.Null)
        {
            if (kind == AssetEventKind.Upserted)
            {
                errors.Add(new($"{at}.site", "is required"));
            }
        }
        else if (siteElement.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new($"{at}.site", "must be an object"));
        }
        else
        {
            site = ParseSite(siteElement, $"{at}.site", errors);
        }

        NetworkSegment? segment = null;
        var segmentText = OptionalString(data, "networkSegment", at, errors);
        if (segmentText is not null)
        {
            if (NetworkSegments.TryParse(segmentText, out var parsedSegment))
            {
                segment = parsedSegment;
            }
            else
            {
                errors.Add(new($"{at}.networkSegment", $"must be one of {string.Join(", ", NetworkSegments.AllNames)}, or absent when unknown"));
            }
        }

        DateOnly? installedOn = null;
        var installedText = OptionalString(data, "installedOn", at, errors);
        if (installedText is not null)
        {
            if (DateOnly.TryParseExact(installedText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                installedOn = date;
            }
            else
            {
                errors.Add(new($"{at}.installedOn", "must be a date in the form YYYY-MM-DD"));
            }
        }

        if (errors.Count > before || assetId is null || department is null)
        {
            return null;
        }

        return new RegisteredDevice
        {
            AssetId = assetId,
            Department = department,
            Revision = revision,
            Manufacturer = manufacturer,
            Model = model,
            SerialNumber = serial,
            MacAddress = mac,
            DeviceType = deviceType,
            Site = site,
            NetworkSegment = segment,
            InstalledOn = installedOn,
        };
    }

    private static Site? ParseSite(JsonElement site, string at, List<ValidationError> errors)
    {
        var before = errors.Count;
        var id = RequiredString(site, "id", at, errors);
        if (id is not null && Identifiers.AssetIdError(id) is { } idError)
        {
            errors.Add(new($"{at}.id", idError.Replace("asset id", "site id", StringComparison.Ordinal)));
        }

        var name = OptionalText(site, "name", at, errors);
        bool? sensitive = null;
        if (site.TryGetProperty("sensitive", out var sensitiveElement))
        {
            switch (sensitiveElement.ValueKind)
            {
                case JsonValueKind.True: sensitive = true; break;
                case JsonValueKind.False: sensitive = false; break;
                case JsonValueKind.Null: break;
                default: errors.Add(new($"{at}.sensitive", "must be true, false, or absent when unknown")); break;
            }
        }

        return errors.Count > before || id is null ? null : new Site(id, name, sensitive);
    }

    private static string? RequiredString(JsonElement parent, string name, string at, List<ValidationError> errors)
    {
        if (!parent.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            errors.Add(new($"{at}.{name}", "is required"));
            return null;
        }

        if (element.ValueKind != JsonValueKind.String)
        {
            errors.Add(new($"{at}.{name}", "must be a string"));
            return null;
        }

        var value = element.GetString()!;
        if (value.Length == 0)
        {
            errors.Add(new($"{at}.{name}", "must not be empty"));
            return null;
        }

        return value;
    }

    private static string? OptionalString(JsonElement parent, string name, string at, List<ValidationError> errors)
    {
        if (!parent.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (element.ValueKind != JsonValueKind.String)
        {
            errors.Add(new($"{at}.{name}", "must be a string"));
            return null;
        }

        var value = element.GetString()!;
        return value.Length == 0 ? null : value;
    }

    /// <summary>Free text from the register: trimmed, empty means absent, bounded so that one row cannot bloat storage.</summary>
    private static string? OptionalText(JsonElement parent, string name, string at, List<ValidationError> errors)
    {
        var value = OptionalString(parent, name, at, errors)?.Trim();
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        if (value.Length > MaxTextLength)
        {
            errors.Add(new($"{at}.{name}", $"must be at most {MaxTextLength} characters"));
            return null;
        }

        return value;
    }

    private static AssetEventParseResult Invalid(ValidationError error) => new(null, [error]);
}
