using System.Text.Json;
using AssetCompliance.Core.Observations;
using static AssetCompliance.Core.Events.JsonFields;

namespace AssetCompliance.Core.Events;

/// <summary>The outcome of parsing one <c>asset.device.observed</c> event: the observation or every problem, never both.</summary>
public sealed record ObservationParseResult(DeviceObservation? Observation, IReadOnlyList<ValidationError> Errors)
{
    public bool IsValid => Observation is not null;

    /// <summary>The department in <c>data.department</c> when it could be read, else null.</summary>
    public string? Department { get; init; }

    /// <summary>The event's id when it is valid.</summary>
    public string? EventId { get; init; }
}

/// <summary>
/// Parses contract v1.1's <c>asset.device.observed</c> (docs/event-contract.md, docs/schemas/asset-event.v1.schema.json):
/// a CloudEvents 1.0 structured JSON event whose <c>source</c> is <c>/departments/{CODE}/observations</c> and whose data
/// is one observation (<see cref="ObservedDeviceData"/>). The envelope rules are contract v1's (specversion, id, time,
/// datacontenttype). Never throws: bytes that are not UTF-8 JSON, repeated names or deep nesting are errors.
/// </summary>
public static class ObservationEventParser
{
    /// <summary>The event type.</summary>
    public const string Type = "asset.device.observed";

    private const string SourcePrefix = "/departments/";
    private const string SourceSuffix = "/observations";

    /// <summary>
    /// Whether the body is a JSON object whose top-level <c>type</c> is <see cref="Type"/>: the processor and the
    /// HTTP route send it to this parser, anything else to <see cref="AssetEventParser"/> (which reports what is
    /// wrong). Reads no further than that member; never throws.
    /// </summary>
    public static bool IsObservation(ReadOnlySpan<byte> utf8Json)
    {
        if (utf8Json.StartsWith("\uFEFF"u8)) utf8Json = utf8Json[3..];
        try
        {
            var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { MaxDepth = AssetEventParser.MaxDepth });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isType = reader.ValueTextEquals("type"u8);
                if (!reader.Read()) return false;
                if (isType) return reader.TokenType == JsonTokenType.String && reader.ValueTextEquals(Type);
                reader.Skip();
            }
        }
        catch (JsonException)
        {
        }

        return false;
    }

    public static ObservationParseResult Parse(ReadOnlyMemory<byte> utf8Json)
    {
        var inspection = JsonText.Inspect(utf8Json, AssetEventParser.MaxDepth);
        if (!inspection.Readable)
        {
            return new ObservationParseResult(null, inspection.Errors);
        }

        using var document = JsonDocument.Parse(inspection.Json, new JsonDocumentOptions { MaxDepth = AssetEventParser.MaxDepth });
        var errors = inspection.Errors;
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            return new ObservationParseResult(null, [new("$", "must be a JSON object (one CloudEvent)")]);
        }

        if (RequiredString(root, "specversion", "$", errors) is { } spec && spec != AssetEventParser.SpecVersion)
        {
            errors.Add(new("$.specversion", $"must be '{AssetEventParser.SpecVersion}'"));
        }

        var id = RequiredString(root, "id", "$", errors);
        if (id is not null && (id.Length > AssetEventParser.MaxIdLength || id.Any(char.IsControl)))
        {
            errors.Add(new("$.id", $"must be at most {AssetEventParser.MaxIdLength} characters without control characters"));
        }

        var source = RequiredString(root, "source", "$", errors);
        if (RequiredString(root, "type", "$", errors) is { } type && type != Type)
        {
            errors.Add(new("$.type", $"must be '{Type}'"));
        }

        if (RequiredString(root, "time", "$", errors) is { } time && !Rfc3339.TryParse(time, out _))
        {
            errors.Add(new("$.time", Rfc3339.Rule));
        }

        if (OptionalString(root, "datacontenttype", "$", errors) is { } contentType && !AssetEventParser.IsJsonMediaType(contentType))
        {
            errors.Add(new("$.datacontenttype", "must be 'application/json' (any case), optionally with '; charset=utf-8'"));
        }

        DeviceObservation? observation = null;
        string? department = null;
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
            (observation, department) = ObservedDeviceData.Parse(data, id ?? "event", errors);
        }

        if (department is not null && source is not null && source != SourcePrefix + department + SourceSuffix)
        {
            errors.Add(new("$.source", $"must be '{SourcePrefix}{department}{SourceSuffix}' (the department in data)"));
        }

        return errors.Count > 0 || observation is null
            ? new ObservationParseResult(null, errors) { Department = department }
            : new ObservationParseResult(observation, []) { Department = department, EventId = id };
    }
}
