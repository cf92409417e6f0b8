using System.Text.Json;
using AssetCompliance.Core.Events;

namespace AssetCompliance.Core.NetBox;

/// <summary>What happened to a NetBox object, whatever the NetBox version spells it as.</summary>
public enum NetBoxAction
{
    Created,
    Updated,
    Deleted,
}

/// <summary>The NetBox models the pipeline reads. Any other model is accepted and ignored.</summary>
public enum NetBoxModel
{
    /// <summary><c>dcim.device</c>: the asset itself.</summary>
    Device,

    /// <summary><c>dcim.interface</c>: carries the device's MAC (<c>mac_address</c>; from 4.2 also <c>primary_mac_address</c>).</summary>
    Interface,

    /// <summary><c>dcim.macaddress</c> (NetBox 4.2 and later): a MAC as its own object, assigned to an interface.</summary>
    MacAddress,
}

/// <summary>
/// One NetBox object change, read from the default webhook body (no body template). <see cref="Data"/> is the
/// object's REST serialisation (for a deletion, as it was before it was deleted).
/// </summary>
/// <param name="ObjectId">NetBox's primary key of the object (<c>data.id</c>).</param>
/// <param name="Timestamp">When NetBox processed the change (<c>timestamp</c>).</param>
/// <param name="LastUpdated">The object's <c>data.last_updated</c>: its version; required for creations and updates.</param>
/// <param name="RequestId">The NetBox request that made the change (<c>request.id</c>, or the older <c>request_id</c>), when there was one.</param>
public sealed record NetBoxChange(NetBoxAction Action, NetBoxModel Model, long ObjectId, DateTimeOffset Timestamp, DateTimeOffset? LastUpdated, string? RequestId, JsonElement Data)
{
    /// <summary>The object's key in the replay memory and in messages: <c>dcim.device:12</c>.</summary>
    public string ObjectKey => NetBoxPayload.ObjectKey(Model, ObjectId);

    /// <summary>
    /// Where this change stands in the object's life, for ordering and refusing replays: the object's last_updated
    /// for a creation or update; for a deletion (which does not touch last_updated) the webhook's timestamp, and never
    /// earlier than last_updated.
    /// </summary>
    public DateTimeOffset Version => Action == NetBoxAction.Deleted
        ? (LastUpdated is { } lastUpdated && lastUpdated > Timestamp ? lastUpdated : Timestamp)
        : LastUpdated!.Value;
}

/// <summary>A webhook body read: the change, or why it is ignored (another model, a job event), or every error with its JSON path.</summary>
public sealed record NetBoxPayload(NetBoxChange? Change, string? Ignored, IReadOnlyList<ValidationError> Errors)
{
    /// <summary>
    /// Deep enough for any NetBox serialisation (nested objects three or four levels, config context data a few more),
    /// and a bound on what a hostile body can make the parser do.
    /// </summary>
    public const int MaxDepth = 32;

    /// <summary>The replay-memory key of a NetBox object.</summary>
    public static string ObjectKey(NetBoxModel model, long id) => $"{ModelName(model)}:{id}";

    /// <summary>The model's <c>app_label.model</c> name, as NetBox's <c>object_type</c> has it.</summary>
    public static string ModelName(NetBoxModel model) => model switch
    {
        NetBoxModel.Device => "dcim.device",
        NetBoxModel.Interface => "dcim.interface",
        _ => "dcim.macaddress",
    };

    /// <summary>
    /// Reads a default webhook body of any NetBox version since 2.10:
    /// <list type="bullet">
    /// <item>the model as <c>object_type</c> (<c>dcim.device</c>, 4.4 and later) or <c>model</c> (the bare model
    /// name, <c>device</c>, until 4.4; 4.4 sends both, and they must agree);</item>
    /// <item>the event as NetBox sends it (<c>created</c>, <c>updated</c>, <c>deleted</c>), as its documentation and
    /// change log spell it (<c>create</c>, …), or as its event types are named (<c>object_created</c>, …), in any case;</item>
    /// <item>the request id as <c>request.id</c> (4.4 and later) or <c>request_id</c>;</item>
    /// <item>timestamps in ISO 8601 with an offset, with <c>T</c> or a space between date and time (Python's
    /// <c>str()</c> of a datetime, as NetBox 2.x and 3.x sent <c>timestamp</c>).</item>
    /// </list>
    /// Job events (<c>job_started</c>, <c>job_ended</c>) and models other than <see cref="NetBoxModel"/> are ignored.
    /// </summary>
    public static NetBoxPayload Read(ReadOnlyMemory<byte> body)
    {
        // The contract's byte-level check first (bytes that are not UTF-8, lone surrogate escapes, nesting, a BOM):
        // a string that cannot be read must be this body's 400, never an exception when the device is mapped.
        var inspection = JsonText.Inspect(body, MaxDepth);
        if (!inspection.Readable || inspection.Errors.Count > 0)
        {
            return new NetBoxPayload(null, null, inspection.Errors.Count > 0 ? inspection.Errors : [new ValidationError("$", "is not JSON NetBox could have sent")]);
        }

        JsonDocument document;
        try
        {
            // A key given twice would be read as its last value: which one NetBox meant is unknown.
            document = JsonDocument.Parse(inspection.Json, new JsonDocumentOptions { MaxDepth = MaxDepth, AllowDuplicateProperties = false });
        }
        catch (JsonException e)
        {
            return Invalid(new ValidationError("$", $"is not JSON NetBox could have sent ({FirstSentence(e.Message)})"));
        }

        using (document)
        {
            return Read(document.RootElement);
        }
    }

    private static NetBoxPayload Read(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return Invalid(new ValidationError("$", $"must be a JSON object (NetBox's default webhook body), not {Kind(root)}"));
        }

        var errors = new List<ValidationError>();
        var eventText = String(root, "event", "$.event", errors, required: true);
        NetBoxAction? action = eventText is null ? null : ReadAction(eventText);
        if (eventText is not null && action is null)
        {
            if (eventText.StartsWith("job_", StringComparison.OrdinalIgnoreCase))
            {
                return new NetBoxPayload(null, $"'{eventText}' is a job event, not an object change", []);
            }

            errors.Add(new ValidationError("$.event", $"'{Shown(eventText)}' is not a NetBox object event (created, updated or deleted)"));
        }

        var objectType = String(root, "object_type", "$.object_type", errors, required: false);
        var model = String(root, "model", "$.model", errors, required: false);
        string? qualified = null;
        if (objectType is not null)
        {
            qualified = objectType.ToLowerInvariant();
            if (model is not null && !qualified.EndsWith("." + model.ToLowerInvariant(), StringComparison.Ordinal))
            {
                errors.Add(new ValidationError("$.model", $"'{Shown(model)}' is not the model of object_type '{Shown(objectType)}'"));
            }
        }
        else if (model is not null)
        {
            // Before 4.4 NetBox sent only the model's name; the three the pipeline reads are dcim's.
            qualified = model.Contains('.', StringComparison.Ordinal) ? model.ToLowerInvariant() : "dcim." + model.ToLowerInvariant();
        }
        else if (!errors.Any(e => e.Path is "$.object_type" or "$.model"))
        {
            errors.Add(new ValidationError("$.object_type", "is required (or model, as NetBox before 4.4 sent it)"));
        }

        NetBoxModel? netBoxModel = qualified switch
        {
            "dcim.device" => NetBoxModel.Device,
            "dcim.interface" => NetBoxModel.Interface,
            "dcim.macaddress" => NetBoxModel.MacAddress,
            _ => null,
        };
        if (qualified is not null && netBoxModel is null && errors.Count == 0)
        {
            return new NetBoxPayload(null, $"'{Shown(qualified)}' is not a model the pipeline reads (dcim.device, dcim.interface, dcim.macaddress)", []);
        }

        var timestamp = Time(root, "timestamp", "$.timestamp", errors, required: true);
        string? requestId = null;
        if (root.TryGetProperty("request", out var request) && request.ValueKind != JsonValueKind.Null)
        {
            if (request.ValueKind != JsonValueKind.Object)
            {
                errors.Add(new ValidationError("$.request", $"must be an object or null, not {Kind(request)}"));
            }
            else
            {
                requestId = String(request, "id", "$.request.id", errors, required: false);
            }
        }

        requestId ??= String(root, "request_id", "$.request_id", errors, required: false);
        if (requestId is { Length: > 128 })
        {
            errors.Add(new ValidationError("$.request_id", "is longer than 128 characters; NetBox's are UUIDs"));
        }

        if (root.TryGetProperty("snapshots", out var snapshots) && snapshots.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null))
        {
            errors.Add(new ValidationError("$.snapshots", $"must be an object or null, not {Kind(snapshots)}"));
        }

        long id = 0;
        DateTimeOffset? lastUpdated = null;
        JsonElement data = default;
        if (!root.TryGetProperty("data", out data) || data.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new ValidationError("$.data", data.ValueKind == JsonValueKind.Undefined ? "is required: the object's serialisation" : $"must be an object, not {Kind(data)}"));
        }
        else
        {
            if (!data.TryGetProperty("id", out var idElement) || idElement.ValueKind != JsonValueKind.Number || !idElement.TryGetInt64(out id) || id < 1)
            {
                errors.Add(new ValidationError("$.data.id", "must be the object's NetBox id, a positive integer"));
            }

            lastUpdated = Time(data, "last_updated", "$.data.last_updated", errors, required: action is not NetBoxAction.Deleted);
        }

        if (errors.Count > 0)
        {
            return new NetBoxPayload(null, null, errors);
        }

        return new NetBoxPayload(new NetBoxChange(action!.Value, netBoxModel!.Value, id, timestamp!.Value, lastUpdated, requestId, data.Clone()), null, []);
    }

    private static NetBoxAction? ReadAction(string text)
    {
        var word = text.ToLowerInvariant();
        if (word.StartsWith("object_", StringComparison.Ordinal))
        {
            word = word["object_".Length..];
        }

        return word switch
        {
            "created" or "create" => NetBoxAction.Created,
            "updated" or "update" => NetBoxAction.Updated,
            "deleted" or "delete" => NetBoxAction.Deleted,
            _ => null,
        };
    }

    /// <summary>A string member, null when absent or null (an error when <paramref name="required"/>), an error when another type.</summary>
    internal static string? String(JsonElement parent, string name, string path, List<ValidationError> errors, bool required)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required) errors.Add(new ValidationError(path, "is required"));
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            errors.Add(new ValidationError(path, $"must be a string, not {Kind(value)}"));
            return null;
        }

        return value.GetString();
    }

    private static DateTimeOffset? Time(JsonElement parent, string name, string path, List<ValidationError> errors, bool required)
    {
        var text = String(parent, name, path, errors, required);
        if (text is null)
        {
            return null;
        }

        // Python's str() of a datetime puts a space where ISO 8601 has 'T'.
        var iso = text.Length > 10 && text[10] == ' ' ? string.Concat(text.AsSpan(0, 10), "T", text.AsSpan(11)) : text;
        if (Rfc3339.TryParse(iso, out var instant))
        {
            return instant;
        }

        errors.Add(new ValidationError(path, $"'{Shown(text)}' is not a date and time with an offset, as NetBox sends them"));
        return null;
    }

    internal static string Kind(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    internal static string Shown(string text) => text.Length <= 80 ? text : text[..79] + "…";

    private static string FirstSentence(string message) => message.Split(". ")[0].TrimEnd('.');

    private static NetBoxPayload Invalid(ValidationError error) => new(null, null, [error]);
}
