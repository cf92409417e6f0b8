using System.Text.Json;
using AssetCompliance.Core.Events;
using AssetCompliance.Core.Registers;

namespace AssetCompliance.Core.NetBox;

/// <summary>
/// A NetBox device's REST serialisation (<c>data</c> of a <c>dcim.device</c> webhook) as the cells of a register row,
/// so that it is read by the same cell rules as a register export (<see cref="RegisterCells"/>) and sent by the same
/// event builder as <c>compliance push</c> (<see cref="RegisterEvents"/>):
/// <list type="table">
/// <item><term>asset_id</term><description><c>asset_tag</c>, else <c>name</c> (NetBox allows unnamed devices; one with neither is refused)</description></item>
/// <item><term>manufacturer, model</term><description><c>device_type.manufacturer.name</c>, <c>device_type.model</c></description></item>
/// <item><term>serial_number</term><description><c>serial</c></description></item>
/// <item><term>device_type</term><description><c>role.name</c> (<c>device_role</c> before NetBox 4.0), else the role's slug, each through the NetBox profile's role codes as a device export's Role column is</description></item>
/// <item><term>site_id, site_name</term><description><c>site.slug</c>, <c>site.name</c></description></item>
/// <item><term>status</term><description>through the NetBox profile's status codes (<see cref="RegisterProfiles.NetBox"/>: the built-in
/// statuses all describe a device the department holds, so in service); a status an instance added is read as a register's status cell is</description></item>
/// <item><term>mac_address</term><description>from the device's interfaces (<see cref="NetBoxMemory"/>), else a custom field</description></item>
/// <item><term>site_sensitive, network_segment, installed_on</term><description>only from custom fields named as the register columns
/// are (<see cref="RegisterColumns"/>: <c>site_sensitive</c>, <c>sensitive</c>, <c>network_segment</c>, …). NetBox has no such fields, so
/// without them they are unknown, and unknown is never compliant</description></item>
/// </list>
/// The department is the route's: nothing in the body can name another. The codes are the NetBox profile's, never a
/// second list, so a device reads the same from a NetBox export (<c>check</c>, <c>push</c>, the register route) and from its webhook.
/// </summary>
internal static class NetBoxDevice
{
    /// <summary>Custom fields read as register columns (the others are ignored: NetBox itself carries them).</summary>
    private static readonly string[] CustomFieldColumns = ["site_sensitive", "network_segment", "installed_on", "mac_address"];

    /// <summary>
    /// The register cells of a device (indexed as <see cref="RegisterReader.CsvHeader"/>), or the errors of a body whose
    /// members are not what NetBox sends (wrong types), each at its JSON path.
    /// </summary>
    public static string[]? Cells(JsonElement data, string department, List<ValidationError> errors)
    {
        var cells = new string[RegisterReader.CsvHeader.Length];
        Array.Fill(cells, "");
        var assetTag = Text(data, "asset_tag", "$.data.asset_tag", errors);
        var name = Text(data, "name", "$.data.name", errors);
        cells[RegisterCells.Column.AssetId] = assetTag is { Length: > 0 } ? assetTag : name ?? "";
        cells[RegisterCells.Column.Department] = department;

        var deviceType = Nested(data, "device_type", "$.data.device_type", errors);
        if (deviceType is { } type)
        {
            cells[RegisterCells.Column.Model] = Text(type, "model", "$.data.device_type.model", errors) ?? "";
            if (Nested(type, "manufacturer", "$.data.device_type.manufacturer", errors) is { } manufacturer)
            {
                cells[RegisterCells.Column.Manufacturer] = Text(manufacturer, "name", "$.data.device_type.manufacturer.name", errors) ?? "";
            }
        }

        cells[RegisterCells.Column.SerialNumber] = Text(data, "serial", "$.data.serial", errors) ?? "";
        var rolePath = data.TryGetProperty("role", out _) ? "role" : "device_role";
        if (Nested(data, rolePath, $"$.data.{rolePath}", errors) is { } role)
        {
            var roleName = Text(role, "name", $"$.data.{rolePath}.name", errors) ?? "";
            var slug = Text(role, "slug", $"$.data.{rolePath}.slug", errors) ?? "";
            var profile = RegisterProfiles.NetBox;
            cells[RegisterCells.Column.DeviceType] = profile.Code("device_type", roleName) ?? profile.Code("device_type", slug)
                ?? (!DeviceTypes.TryParse(roleName, out _) && DeviceTypes.TryParse(slug, out _) ? slug : roleName);
        }

        if (Nested(data, "site", "$.data.site", errors) is { } site)
        {
            cells[RegisterCells.Column.SiteId] = Text(site, "slug", "$.data.site.slug", errors) ?? "";
            cells[RegisterCells.Column.SiteName] = Text(site, "name", "$.data.site.name", errors) ?? "";
        }

        cells[RegisterCells.Column.Status] = Status(data, errors);
        if (data.TryGetProperty("custom_fields", out var customFields) && customFields.ValueKind == JsonValueKind.Object)
        {
            foreach (var field in customFields.EnumerateObject())
            {
                if (RegisterColumns.Field(field.Name) is { } column && CustomFieldColumns.Contains(column))
                {
                    cells[Array.IndexOf(RegisterReader.CsvHeader, column)] = CustomValue(field.Value);
                }
            }
        }
        else if (customFields.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null))
        {
            errors.Add(new ValidationError("$.data.custom_fields", $"must be an object, not {NetBoxPayload.Kind(customFields)}"));
        }

        if (cells[RegisterCells.Column.AssetId].Length == 0 && errors.Count == 0)
        {
            errors.Add(new ValidationError("$.data.name", "is blank and so is asset_tag: the device has nothing to be known by as an asset; give it an asset tag or a name in NetBox"));
        }

        return errors.Count == 0 ? cells : null;
    }

    /// <summary>Cells that say only "this asset is gone": a removal needs nothing else.</summary>
    public static string[] Removal(string assetId, string department)
    {
        var cells = new string[RegisterReader.CsvHeader.Length];
        Array.Fill(cells, "");
        cells[RegisterCells.Column.AssetId] = assetId;
        cells[RegisterCells.Column.Department] = department;
        cells[RegisterCells.Column.Status] = "removed";
        return cells;
    }

    /// <summary>
    /// The events for one row of cells, built and checked as <c>compliance push</c> builds them, or why it cannot be
    /// sent (an unknown role where the contract needs a device type, an asset id storage cannot key).
    /// </summary>
    public static RegisterPush Events(string[] cells, string department, long revision, DateTimeOffset time) =>
        RegisterEvents.From([RegisterCells.Read(1, i => cells[i])], department, revision, time);

    private static string Status(JsonElement data, List<ValidationError> errors)
    {
        if (!data.TryGetProperty("status", out var status) || status.ValueKind == JsonValueKind.Null)
        {
            return "";
        }

        // The REST form is {"value": "active", "label": "Active"}; a snapshot's is the bare value.
        var value = status.ValueKind == JsonValueKind.Object
            ? Text(status, "value", "$.data.status.value", errors)
            : Text(data, "status", "$.data.status", errors);
        if (value is null)
        {
            return "";
        }

        var label = status.ValueKind == JsonValueKind.Object ? Text(status, "label", "$.data.status.label", errors) : null;
        return RegisterProfiles.NetBox.Code("status", value) ?? (label is { Length: > 0 } ? RegisterProfiles.NetBox.Code("status", label) ?? label : value);
    }

    private static string CustomValue(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => "",
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.String => value.GetString()!.Trim(),

        // NetBox 2.x serialised a selection custom field as {"value": 3, "label": "Sensitive"}: the label is what was chosen.
        JsonValueKind.Object when value.TryGetProperty("label", out var label) && label.ValueKind == JsonValueKind.String => label.GetString()!.Trim(),

        // A number, an object or a list (select, object custom fields) is kept as its JSON text: the cell rules
        // then read it as a register would, and what they cannot read stays unknown, with a warning.
        _ => value.GetRawText(),
    };

    /// <summary>A string member trimmed; null when absent or null; an error when another type.</summary>
    private static string? Text(JsonElement parent, string name, string path, List<ValidationError> errors) =>
        NetBoxPayload.String(parent, name, path, errors, required: false)?.Trim();

    /// <summary>A nested object; null when absent or null; an error when another type.</summary>
    internal static JsonElement? Nested(JsonElement parent, string name, string path, List<ValidationError> errors)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new ValidationError(path, $"must be an object, not {NetBoxPayload.Kind(value)}"));
            return null;
        }

        return value;
    }
}
