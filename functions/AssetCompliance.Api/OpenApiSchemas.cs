using System.Text.Json;
using System.Text.Json.Nodes;
using System.Reflection;
using System.Text.Json.Schema;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using AssetCompliance.Core.Events;
using AssetCompliance.Core.Processing;
using AssetCompliance.Core.State;

namespace AssetCompliance.Api;

/// <summary>
/// The document's <c>components.schemas</c> as JSON Schema (2020-12, as OpenAPI 3.1 uses it): every body type of
/// <see cref="RouteTable"/> exported by System.Text.Json's <see cref="JsonSchemaExporter"/> with the options the routes
/// serialise with (<see cref="ComplianceJson.Options"/>), so the schema is what is on the wire. What the exporter cannot
/// see is added here: the contract's wire names of types written by custom converters, the request bodies' rules
/// (required fields, lengths, strict instants), and no other member in our own objects. The event body is the
/// contract's own schemas (docs/schemas/asset-event.v1.schema.json and, for v1.1 observations,
/// asset-device-observed.v1.1.schema.json, embedded), whose <c>$defs</c> become components.
/// </summary>
internal static class OpenApiSchemas
{
    /// <summary>The components schema an event body is (one event, or an array of them).</summary>
    public const string AssetEventBody = "AssetEventBody";

    /// <summary>The components schema of a NetBox webhook's body (NetBox's own format, read without a C# type).</summary>
    public const string NetBoxWebhookBody = "NetBoxWebhookBody";

    /// <summary>The components schema name of a body type: its C# name.</summary>
    public static string NameOf(Type type) => type.Name;

    /// <summary>Every schema the routes refer to, by name.</summary>
    public static SortedDictionary<string, JsonNode> All(IEnumerable<Type> types)
    {
        var schemas = new SortedDictionary<string, JsonNode>(StringComparer.Ordinal);
        foreach (var type in types.Distinct())
        {
            schemas[NameOf(type)] = Export(type);
        }

        foreach (var (name, schema) in AssetEvent())
        {
            schemas[name] = schema;
        }

        schemas[NetBoxWebhookBody] = new JsonObject
        {
            ["type"] = "object",
            ["description"] = "NetBox's default event-rule webhook body, as NetBox sends it (read by the route without a fixed type; other members are ignored).",
            ["required"] = new JsonArray("event", "model", "data"),
            ["properties"] = new JsonObject
            {
                ["event"] = new JsonObject { ["type"] = "string", ["description"] = "created, updated or deleted." },
                ["timestamp"] = new JsonObject { ["type"] = "string" },
                ["model"] = new JsonObject { ["type"] = "string", ["description"] = "device, interface or macaddress (app dcim)." },
                ["username"] = new JsonObject { ["type"] = "string" },
                ["request_id"] = new JsonObject { ["type"] = "string" },
                ["data"] = new JsonObject { ["type"] = "object", ["description"] = "The object's serialisation." },
                ["snapshots"] = new JsonObject { ["type"] = "object", ["description"] = "prechange and postchange." },
            },
        };
        return schemas;
    }

    /// <summary>The exported schema of one type, with the additions listed on the class.</summary>
    /// <remarks>
    /// The exporter refers to a type it already wrote by a pointer from the schema's root (<c>#/properties/…</c>);
    /// such a pointer is replaced by a copy of what it points at, so that each schema stands alone and client
    /// generators, which take a <c>$ref</c> for a named type, see none that is not one. (No body type is recursive.)
    /// </remarks>
    public static JsonNode Export(Type type)
    {
        var schema = JsonSchemaExporter.GetJsonSchemaAsNode(ComplianceJson.Options, type, new JsonSchemaExporterOptions { TransformSchemaNode = Transform });
        return Inline(schema, schema, depth: 0);
    }

    private static JsonNode Inline(JsonNode node, JsonNode root, int depth)
    {
        if (depth > 32) throw new InvalidOperationException("A body type's schema refers to itself; it cannot be inlined.");
        switch (node)
        {
            case JsonObject obj when obj["$ref"]?.GetValue<string>() is { } reference && reference.StartsWith("#/", StringComparison.Ordinal):
                var target = reference[2..].Split('/').Aggregate((JsonNode?)root, (at, step) => at?[step.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)])
                    ?? throw new InvalidOperationException($"{reference} points at nothing.");
                var copy = Inline(target.DeepClone(), root, depth + 1).AsObject();
                foreach (var (name, value) in obj.Where(p => p.Key != "$ref").ToArray())
                {
                    copy[name] = value?.DeepClone(); // what the exporter wrote beside the pointer (a nullable type)
                }

                return copy;
            case JsonObject obj:
                foreach (var (name, child) in obj.ToArray())
                {
                    if (child is not null) obj[name] = Inline(child.DeepClone(), root, depth);
                }

                return obj;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is { } item) array[i] = Inline(item.DeepClone(), root, depth);
                }

                return array;
            default:
                return node;
        }
    }

    private static JsonNode Transform(JsonSchemaExporterContext context, JsonNode schema)
    {
        // "true" (anything) as an object, so that every schema is one the OpenAPI model can hold.
        var node = schema is JsonObject o ? o : new JsonObject();
        var type = Nullable.GetUnderlyingType(context.TypeInfo.Type) ?? context.TypeInfo.Type;
        // Type-level additions hold wherever the type appears (a property's value, an item, the root).
        if (type == typeof(DeviceType))
        {
            node = Enumeration(DeviceTypes.AllNames, context.TypeInfo.Type != type);
        }
        else if (type == typeof(NetworkSegment))
        {
            node = Enumeration(NetworkSegments.AllNames, context.TypeInfo.Type != type);
        }

        if (context.Path.IsEmpty && node["type"] is JsonArray types && types.Count == 2 && types.Any(t => t?.GetValue<string>() == "null"))
        {
            // A body is never null: the root of a body type is its object (members may still be null).
            node["type"] = types.First(t => t?.GetValue<string>() != "null")!.GetValue<string>();
        }

        if (node["type"] is JsonArray numberTypes && numberTypes.Any(t => t?.GetValue<string>() is "integer" or "number") && numberTypes.Any(t => t?.GetValue<string>() == "string"))
        {
            // The web defaults read numbers from strings too, but every number is written as a number: the answer's schema.
            var kept = numberTypes.Select(t => t!.GetValue<string>()).Where(t => t != "string").ToArray();
            node["type"] = kept.Length == 1 ? kept[0] : new JsonArray([.. kept.Select(t => JsonValue.Create(t))]);
            node.Remove("pattern");
        }

        if (node["properties"] is JsonObject && type.Namespace?.StartsWith("AssetCompliance", StringComparison.Ordinal) == true && type != typeof(Problem))
        {
            // Our own objects have no other member; a problem may have extension members.
            node["additionalProperties"] = false;
        }

        if (context.TypeInfo.Kind == JsonTypeInfoKind.Object && node["required"] is JsonArray exported)
        {
            // The serialiser leaves nulls out (and empty unreadFields): a member that may be null is not always there.
            var optional = context.TypeInfo.Properties.Where(MayBeAbsent).Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
            var kept = exported.Select(r => r!.GetValue<string>()).Where(r => !optional.Contains(r)).ToArray();
            if (kept.Length > 0) node["required"] = new JsonArray([.. kept.Select(r => JsonValue.Create(r))]);
            else node.Remove("required");
        }

        if (context.PropertyInfo is { } property && Rules.TryGetValue((property.DeclaringType, property.Name), out var rule))
        {
            rule(node);
        }

        if (context.PropertyInfo is null && Required.TryGetValue(type, out var required))
        {
            node["required"] = new JsonArray([.. required.Select(r => JsonValue.Create(r))]);
        }

        return node;
    }

    /// <summary>
    /// Whether <see cref="ComplianceJson"/> may leave the member out: a value that may be null (nulls are omitted unless
    /// the member says <see cref="JsonIgnoreCondition.Never"/>), or one with its own rule for when it is written.
    /// </summary>
    private static bool MayBeAbsent(JsonPropertyInfo property)
    {
        if (property.ShouldSerialize is not null) return true;
        if (property.AttributeProvider?.GetCustomAttributes(typeof(JsonIgnoreAttribute), false).OfType<JsonIgnoreAttribute>().Any(a => a.Condition == JsonIgnoreCondition.Never) == true) return false;
        if (Nullable.GetUnderlyingType(property.PropertyType) is not null) return true;
        if (property.PropertyType.IsValueType) return false;
        return property.AttributeProvider switch
        {
            // A context per call: NullabilityInfoContext is not thread-safe, and documents may be built concurrently.
            PropertyInfo p => new NullabilityInfoContext().Create(p).ReadState != NullabilityState.NotNull,
            FieldInfo f => new NullabilityInfoContext().Create(f).ReadState != NullabilityState.NotNull,
            _ => true,
        };
    }

    private static JsonObject Enumeration(IEnumerable<string> names, bool nullable) => new()
    {
        ["type"] = nullable ? new JsonArray("string", "null") : "string",
        ["enum"] = new JsonArray([.. names.Select(n => JsonValue.Create(n)), .. nullable ? new JsonNode?[] { null } : []]),
    };

    /// <summary>A string of <paramref name="min"/> to <paramref name="max"/> characters.</summary>
    private static Action<JsonObject> Text(int min, int max, string description) => node =>
    {
        node["type"] = "string";
        node["minLength"] = min;
        node["maxLength"] = max;
        node["description"] = description;
    };

    private const string RequestIdDescription = "Makes the request idempotent: sending it again changes nothing.";

    /// <summary>The request bodies' rules the routes enforce beyond the types (Exemptions.Validate, RecordRecovery.Validate).</summary>
    private static readonly Dictionary<(Type, string), Action<JsonObject>> Rules = new()
    {
        [(typeof(ExemptionRequest), "reason")] = Text(1, Exemptions.MaxReasonLength, "Why the device may stay for now."),
        [(typeof(ExemptionRequest), "approver")] = Text(1, Exemptions.MaxApproverLength, "Who approved it."),
        [(typeof(ExemptionRequest), "expiresAt")] = node =>
        {
            node["type"] = "string";
            node["format"] = "date-time";
            node["description"] = "When the exemption ends: RFC 3339 with seconds and an offset (Z or ±hh:mm), e.g. 2027-01-31T17:00:00Z; in the future and at most 12 months ahead. A time without an offset, or a date alone, answers 400 naming $.expiresAt.";
        },
        [(typeof(ExemptionRequest), "requestId")] = Text(1, Exemptions.MaxRequestIdLength, RequestIdDescription),
        [(typeof(RemediationRequest), "action")] = Choice(Remediations.Actions, "What will be done."),
        [(typeof(RemediationRequest), "state")] = Choice(Remediations.States, "Where the plan stands: planned -> ordered, done or cancelled; ordered -> done or cancelled; done and cancelled only change with reopen=true."),
        [(typeof(RemediationRequest), "dueDate")] = node =>
        {
            node["type"] = "string";
            node["format"] = "date";
            node["description"] = "YYYY-MM-DD (UTC): not in the past, and at most the policy's remediation.maxDueDays for the device (Critical, High: NonCompliant of that severity; Medium: NeedsReview; Low: Advisory) from the day the plan was made; 422 otherwise.";
        },
        [(typeof(RemediationRequest), "owner")] = Text(1, Remediations.MaxOwnerLength, "Who answers for the plan."),
        [(typeof(RemediationRequest), "notes")] = node =>
        {
            node["type"] = new JsonArray("string", "null");
            node["maxLength"] = Remediations.MaxNotesLength;
            node["description"] = "Free text, or null.";
        },
        [(typeof(RevisionResetRequest), "reason")] = Text(1, Exemptions.MaxReasonLength, "Why the revision is reset; kept in the history."),
        [(typeof(RevisionResetRequest), "requestId")] = Text(1, Exemptions.MaxRequestIdLength, RequestIdDescription),
    };

    private static readonly Dictionary<Type, string[]> Required = new()
    {
        [typeof(ExemptionRequest)] = ["reason", "approver", "expiresAt"],
        [typeof(RevisionResetRequest)] = ["reason"],
        [typeof(RemediationRequest)] = ["action", "dueDate", "owner", "state"],
    };

    /// <summary>A string that is one of <paramref name="names"/>.</summary>
    private static Action<JsonObject> Choice(IReadOnlyList<string> names, string description) => node =>
    {
        node.Clear();
        node["type"] = "string";
        node["enum"] = new JsonArray([.. names.Select(n => JsonValue.Create(n))]);
        node["description"] = description;
    };

    /// <summary>The event contract's schema, its <c>$defs</c> moved to components, and the body: one event or an array of them.</summary>
    private static IEnumerable<(string Name, JsonNode Schema)> AssetEvent() =>
        [
            .. Embedded("asset-event.v1.schema.json", "AssetEvent"),
            .. Embedded("asset-device-observed.v1.1.schema.json", ObservedEvent),
            (AssetEventBody, new JsonObject
            {
                ["description"] = $"One CloudEvent, a JSON array of 1 to {IngestionApi.MaxEvents}, or a CloudEvents batch (application/cloudevents-batch+json, an array). Each event is a contract v1 asset event or a contract v1.1 asset.device.observed.",
                ["oneOf"] = new JsonArray(
                    AnyEvent(),
                    new JsonObject { ["type"] = "array", ["minItems"] = 1, ["maxItems"] = IngestionApi.MaxEvents, ["items"] = AnyEvent() }),
            }),
        ];

    /// <summary>The components schema of a contract v1.1 observation event (docs/schemas/asset-device-observed.v1.1.schema.json).</summary>
    public const string ObservedEvent = "AssetDeviceObserved";

    private static JsonObject AnyEvent() => new()
    {
        ["anyOf"] = new JsonArray(new JsonObject { ["$ref"] = "#/components/schemas/AssetEvent" }, new JsonObject { ["$ref"] = "#/components/schemas/" + ObservedEvent }),
    };

    /// <summary>
    /// A contract schema embedded from docs/schemas as the component <paramref name="component"/>, its <c>$defs</c>
    /// as components named after it (<c>AssetEventDevice</c>), references rewritten to them.
    /// </summary>
    private static IEnumerable<(string Name, JsonNode Schema)> Embedded(string file, string component)
    {
        using var stream = typeof(OpenApiSchemas).Assembly.GetManifestResourceStream("AssetCompliance.schemas." + file)
            ?? throw new InvalidOperationException($"The schema {file} is not embedded.");
        var schema = JsonNode.Parse(stream)!.AsObject();
        schema.Remove("$schema");
        schema.Remove("$id");
        var definitions = schema["$defs"]?.AsObject() ?? [];
        schema.Remove("$defs");
        var names = definitions.Select(d => d.Key).ToArray();
        string Component(string name) => component + char.ToUpperInvariant(name[0]) + name[1..];
        void Rewrite(JsonNode? node)
        {
            switch (node)
            {
                case JsonObject obj:
                    if (obj["$ref"]?.GetValue<string>() is { } reference && reference.StartsWith("#/$defs/", StringComparison.Ordinal))
                    {
                        obj["$ref"] = "#/components/schemas/" + Component(reference["#/$defs/".Length..]);
                    }

                    // A property schema "false" (never present) as {"not": {}}: the OpenAPI model holds schemas as objects.
                    if (obj["properties"] is JsonObject properties)
                    {
                        foreach (var (name, value) in properties.ToArray().Where(p => p.Value is JsonValue v && v.GetValueKind() == JsonValueKind.False))
                        {
                            properties[name] = new JsonObject { ["not"] = new JsonObject() };
                        }
                    }

                    foreach (var (_, child) in obj.ToArray()) Rewrite(child);
                    break;
                case JsonArray array:
                    foreach (var child in array) Rewrite(child);
                    break;
            }
        }

        Rewrite(schema);
        yield return (component, schema);
        foreach (var name in names)
        {
            var definition = definitions[name]!.DeepClone();
            Rewrite(definition);
            yield return (Component(name), definition);
        }
    }
}
