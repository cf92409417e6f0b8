using System.Globalization;
using System.Text;
using System.Text.Json;

namespace AssetCompliance.Core.Events;

/// <summary>
/// The outcome of parsing one event: either the event or every problem found, never both. For an invalid event,
/// <see cref="Department"/> and <see cref="EventId"/> say what could still be read (the department it claims beyond
/// doubt, an id of at most 128 characters), so that the rejection can be shown to the department that sent it.
/// </summary>
public sealed record AssetEventParseResult(AssetEvent? Event, IReadOnlyList<ValidationError> Errors)
{
    public bool IsValid => Event is not null;

    /// <summary>
    /// The event's department; for an invalid body, the department it claims beyond doubt (<see cref="DepartmentClaim"/>:
    /// one event, or an array of events, all naming the same valid code in <c>data.department</c> and <c>source</c>),
    /// else null.
    /// </summary>
    public string? Department { get; init; }

    /// <summary>The body's <c>id</c>, when it is a string of 1 to 128 characters without control characters; else null.</summary>
    public string? EventId { get; init; }
}

/// <summary>
/// Parses and validates contract v1: one CloudEvents 1.0 event in structured JSON mode. Collects every error with
/// its JSON path rather than stopping at the first, because the sender needs the whole list to fix a register export.
/// Unknown properties are ignored so that senders may add CloudEvents extensions and newer optional fields.
/// Never throws, whatever the bytes: a body that is not UTF-8, not JSON, holds a string that is not Unicode (a lone
/// surrogate), repeats a property name or nests deeper than <see cref="MaxDepth"/> is invalid with errors that say so.
/// A leading UTF-8 byte-order mark is skipped.
/// </summary>
public static class AssetEventParser
{
    public const string SpecVersion = "1.0";
    public const int MaxTextLength = 256;
    public const int MaxIdLength = 128;

    /// <summary>How deeply a body may nest objects and arrays (the contract needs 3).</summary>
    public const int MaxDepth = 16;

    /// <summary>
    /// The largest revision: 2^53 - 1, the largest integer a JSON number carries exactly in every client (JavaScript's
    /// Number.MAX_SAFE_INTEGER), and far inside Table Storage's Int64.
    /// </summary>
    public const long MaxRevision = (1L << 53) - 1;

    /// <summary>Written into the error of a body the parser failed on, which the tests look for: it must never appear.</summary>
    internal const string ParserFailure = "could not be read because the parser failed on it";

    private const string SourcePrefix = "/departments/";
    private const string SourceSuffix = "/asset-register";

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = MaxDepth };

    public static AssetEventParseResult Parse(ReadOnlyMemory<byte> utf8Json)
    {
        try
        {
            var inspection = JsonText.Inspect(utf8Json, MaxDepth);
            if (!inspection.Readable)
            {
                return new AssetEventParseResult(null, inspection.Errors) { Department = DepartmentClaim.Read(inspection.Json.Span, complete: true) };
            }

            using var document = JsonDocument.Parse(inspection.Json, DocumentOptions);
            var parsed = Parse(document.RootElement, inspection.Errors);
            // Read from the inspected copy, whose strings are all Unicode (bad ones replaced): a claim cannot throw.
            return parsed with { Errors = Cap(parsed.Errors), Department = parsed.IsValid ? parsed.Department : DepartmentClaim.Read(inspection.Json.Span, complete: true) };
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Defence in depth: the checks above are meant to leave nothing that throws, and the fuzz tests look for
            // this message. Should it ever happen, the message is still rejected on its own rather than failing its batch.
            return Invalid(new ValidationError("$", $"{ParserFailure} ({e.GetType().Name}); it is kept for review"));
        }
    }

    /// <summary>
    /// Parses text. A string that is not valid UTF-16 (a lone surrogate character) is invalid, never silently turned
    /// into U+FFFD, which could make a corrupted body valid.
    /// </summary>
    public static AssetEventParseResult Parse(string json)
    {
        byte[] bytes;
        try
        {
            bytes = StrictUtf8.GetBytes(json);
        }
        catch (EncoderFallbackException e)
        {
            return Invalid(new ValidationError("$", $"body is not valid Unicode text: a lone UTF-16 surrogate at character {e.Index}"));
        }

        return Parse(bytes);
    }

    /// <summary>The body without a leading UTF-8 byte-order mark (which the parser skips too).</summary>
    public static ReadOnlyMemory<byte> WithoutByteOrderMark(ReadOnlyMemory<byte> body) => JsonText.WithoutByteOrderMark(body);

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static IReadOnlyList<ValidationError> Cap(IReadOnlyList<ValidationError> errors) =>
        errors.Count <= JsonText.MaxErrors + 1 ? errors : [.. errors.Take(JsonText.MaxErrors), new("$", $"more than {JsonText.MaxErrors} errors; the rest are not listed")];

    private static AssetEventParseResult Parse(JsonElement root, List<ValidationError> errors)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new ValidationError("$", "must be a JSON object (one CloudEvent)"));
            return new AssetEventParseResult(null, errors);
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
        if (timeText is not null && !Rfc3339.TryParse(timeText, out time))
        {
            errors.Add(new("$.time", Rfc3339.Rule));
        }

        var contentType = OptionalString(root, "datacontenttype", "$", errors);
        if (contentType is not null && !IsJsonMediaType(contentType))
        {
            errors.Add(new("$.datacontenttype", "must be 'application/json' (any case), optionally with '; charset=utf-8'"));
        }

        var validId = id is not null && id.Length <= MaxIdLength && !id.Any(char.IsControl);
        if (id is not null && !validId)
        {
            errors.Add(new("$.id", $"must be at most {MaxIdLength} characters without control characters"));
        }

        var hasData = root.TryGetProperty("data", out var data) && data.ValueKind != JsonValueKind.Null;
        if (root.TryGetProperty("data_base64", out _))
        {
            errors.Add(new("$.data_base64", hasData
                ? "must not be given together with data (CloudEvents), and is not accepted: send the device record as JSON in data"
                : "is not accepted: contract v1 carries the device record as JSON in data, not base64"));
        }

        RegisteredDevice? device = null;
        if (!hasData)
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
            return new AssetEventParseResult(null, errors) { EventId = validId ? id : null };
        }

        return new AssetEventParseResult(new AssetEvent { Id = id, Source = source, Kind = kind.Value, Time = time, Device = device }, [])
        {
            Department = device.Department,
            EventId = id,
        };
    }

    /// <summary>
    /// The one <c>datacontenttype</c> rule: the media type <c>application/json</c> in any case, with no parameter but
    /// an optional <c>charset=utf-8</c> (JSON is UTF-8; any other charset would contradict the body). No prefix match:
    /// <c>application/jsonx</c> or <c>application/json-seq</c> are other types.
    /// </summary>
    internal static bool IsJsonMediaType(string value)
    {
        const string type = "application/json";
        // ASCII case only: OrdinalIgnoreCase would also take 'ı' for 'i' and 'ſ' for 's', which the schema does not.
        if (value.Length < type.Length || !Ascii.EqualsIgnoreCase(value.AsSpan(0, type.Length), type))
        {
            return false;
        }

        var rest = value.AsSpan(type.Length).TrimStart(" \t");
        if (rest.IsEmpty)
        {
            return value.Length == type.Length; // trailing white space without a parameter is not a media type
        }

        if (rest[0] != ';')
        {
            return false;
        }

        var parameter = rest[1..].Trim(" \t");
        return Ascii.EqualsIgnoreCase(parameter, "charset=utf-8") || Ascii.EqualsIgnoreCase(parameter, "charset=\"utf-8\"");
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
        else if (revisionElement.ValueKind != JsonValueKind.Number || !revisionElement.TryGetInt64(out revision) || revision is < 0 or > MaxRevision)
        {
            // TryGetInt64 also refuses fractions and exponents (1.0, 1e2): a revision is written as a plain integer.
            errors.Add(new($"{at}.revision", $"must be an integer from 0 to {MaxRevision} (2^53 - 1) written without fraction or exponent"));
        }

        var manufacturer = OptionalText(data, "manufacturer", at, errors);
        var model = OptionalText(data, "model", at, errors);
        var serial = OptionalText(data, "serialNumber", at, errors);
        // The MAC is read as the schema's pattern reads it: one notation between ASCII white space only (a no-break
        // space or a byte-order mark is not padding there, so it is not here either), or white space alone.
        var mac = OptionalText(data, "macAddress", at, errors, trim: MacAddress.ContractWhiteSpace);
        if (mac is not null && !MacAddress.TryParse(mac, out _))
        {
            errors.Add(new($"{at}.macAddress", "must be a 48-bit MAC address such as 'AA:BB:CC:DD:EE:FF', 'aa-bb-cc-dd-ee-ff', 'aabb.ccdd.eeff' or 12 hex digits, with nothing around it but ASCII white space"));
        }

        DeviceType? deviceType = null;
        var deviceTypeText = kind == AssetEventKind.Upserted
            ? RequiredString(data, "deviceType", at, errors)
            : OptionalString(data, "deviceType", at, errors);
        if (deviceTypeText is not null)
        {
            // Exactly the wire name, as the schema's enum says (the CSV reader is the lenient one).
            if (DeviceTypes.AllNames.Contains(deviceTypeText, StringComparer.Ordinal) && DeviceTypes.TryParse(deviceTypeText, out var parsedType))
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
            if (NetworkSegments.AllNames.Contains(segmentText, StringComparer.Ordinal) && NetworkSegments.TryParse(segmentText, out var parsedSegment))
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

        var unread = ParseUnreadFields(data, at, errors);

        // A site without an id is kept when the register states something about it (a name, a sensitivity, or a value
        // it could not read there): the device is then evaluated on what the register says. With nothing stated there
        // is no site to speak of, and the id stays required.
        if (site is { Id: null, Name: null, Sensitive: null } &&
            !unread.Contains("site.name", StringComparer.Ordinal) && !unread.Contains("site.sensitive", StringComparer.Ordinal))
        {
            errors.Add(new($"{at}.site.id", "is required when neither the site's name nor its sensitivity is stated"));
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
            UnreadFields = unread,
        };
    }

    /// <summary>
    /// <c>data.unreadFields</c>: absent or null is none; else an array of distinct names from
    /// <see cref="UnreadFields.AllPaths"/>, each of whose own value must be absent or null (a value and an unread mark
    /// contradict each other). Returned in the contract's order.
    /// </summary>
    private static IReadOnlyList<string> ParseUnreadFields(JsonElement data, string at, List<ValidationError> errors)
    {
        var path = $"{at}.{UnreadFields.WireName}";
        if (!data.TryGetProperty(UnreadFields.WireName, out var list) || list.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        if (list.ValueKind != JsonValueKind.Array)
        {
            errors.Add(new(path, "must be an array of field names, or absent when every field was read"));
            return [];
        }

        var names = new List<string>();
        var index = 0;
        foreach (var item in list.EnumerateArray())
        {
            var name = item.ValueKind == JsonValueKind.String ? item.GetString() : null;
            if (name is null || UnreadFields.ByPath(name) is null)
            {
                errors.Add(new($"{path}[{index}]", $"must be one of {string.Join(", ", UnreadFields.AllPaths)}"));
            }
            else if (names.Contains(name, StringComparer.Ordinal))
            {
                errors.Add(new($"{path}[{index}]", $"repeats '{name}': list each field at most once"));
            }
            else
            {
                names.Add(name);
                if (HasValue(data, name))
                {
                    errors.Add(new($"{at}.{name}", $"must be absent or null: it is listed in {UnreadFields.WireName} (the register holds a value that could not be read), so it cannot also have a value"));
                }
            }

            index++;
        }

        return UnreadFields.Canonical(names);
    }

    /// <summary>Whether <c>data</c> gives the field at a contract path a value other than null (an empty string is a value here, as in the schema).</summary>
    private static bool HasValue(JsonElement data, string path)
    {
        var element = data;
        foreach (var part in path.Split('.'))
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(part, out element))
            {
                return false;
            }
        }

        return element.ValueKind != JsonValueKind.Null;
    }

    private static Site? ParseSite(JsonElement site, string at, List<ValidationError> errors)
    {
        var before = errors.Count;
        var id = OptionalString(site, "id", at, errors);
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

        return errors.Count > before ? null : new Site(id, name, sensitive);
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

    /// <summary>
    /// An optional string: absent or null is null. Empty is an error unless <paramref name="emptyIsAbsent"/> (free
    /// text, where a register's blank cell means unknown): the schema refuses "" for enumerations, dates and the
    /// CloudEvents attributes, and the parser must never take what the schema refuses.
    /// </summary>
    private static string? OptionalString(JsonElement parent, string name, string at, List<ValidationError> errors, bool emptyIsAbsent = false)
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
        if (value.Length == 0 && !emptyIsAbsent)
        {
            errors.Add(new($"{at}.{name}", "must not be empty (omit it, or give null, when unknown)"));
        }

        return value.Length == 0 ? null : value;
    }

    /// <summary>
    /// Free text from the register, bounded so that one row cannot bloat storage: the bound is checked on the value as
    /// sent, white space included (the schema's <c>maxLength</c>), and only then is the value trimmed, of
    /// <paramref name="trim"/> when given, else of any white space; empty, or white space alone, means absent.
    /// </summary>
    private static string? OptionalText(JsonElement parent, string name, string at, List<ValidationError> errors, string? trim = null)
    {
        var sent = OptionalString(parent, name, at, errors, emptyIsAbsent: true);
        if (sent is null)
        {
            return null;
        }

        if (sent.Length > MaxTextLength)
        {
            errors.Add(new($"{at}.{name}", $"must be at most {MaxTextLength} characters, white space included"));
            return null;
        }

        var value = trim is null ? sent.Trim() : sent.Trim(trim.ToCharArray());
        return value.Length == 0 ? null : value;
    }

    private static AssetEventParseResult Invalid(ValidationError error) => new(null, [error]);
}
