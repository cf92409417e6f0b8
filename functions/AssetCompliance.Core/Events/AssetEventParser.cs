using System.Globalization;
using System.Text;
using System.Text.Json;
using static AssetCompliance.Core.Events.JsonFields;

namespace AssetCompliance.Core.Events;

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
            device = DeviceData.Parse(data, kind ?? AssetEventKind.Upserted, errors);
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

    private static AssetEventParseResult Invalid(ValidationError error) => new(null, [error]);
}
