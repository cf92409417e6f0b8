namespace AssetCompliance.Core.Registers;

/// <summary>
/// The header names a register's columns go by, for each documented column (<see cref="RegisterReader.CsvHeader"/>):
/// the one place the synonyms are kept. Names are compared loosely (<see cref="Key"/>): case, spaces, '_', '-', '.'
/// and other punctuation are ignored, so "Asset ID", "asset-id" and "ASSET_ID" are one name, and "Model No." is
/// "model no". A name here must belong to one column only (a test holds it); a header with two columns read as one
/// field is refused by <see cref="HeaderMap"/>.
/// </summary>
public static class RegisterColumns
{
    /// <summary>Each documented column and the other names it is known by in registers (spreadsheets, CMDB exports).</summary>
    public static readonly IReadOnlyDictionary<string, string[]> Synonyms = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["asset_id"] = ["asset", "asset tag", "asset number", "asset no", "asset ref", "asset reference", "asset code", "asset identifier", "tag", "tag number",
            "camera ref", "camera reference", "camera id", "camera no", "camera number", "device ref", "device reference", "equipment ref", "equipment id", "equipment number"],
        ["department"] = ["dept", "department code", "organisation", "organization", "org"],
        ["manufacturer"] = ["vendor", "make", "manufacturer name", "maker", "brand", "oem"],
        ["model"] = ["model no", "model number", "model name", "model id", "product model"],
        ["serial_number"] = ["serial", "serial no", "serial num", "serial number", "sn", "s n", "serial #"],
        ["mac_address"] = ["mac", "mac addr", "mac address", "hardware address", "ethernet address"],
        ["device_type"] = ["device type", "type", "category", "asset type", "equipment type", "device category", "camera type", "product type", "item type", "hardware type", "asset category", "asset class", "equipment category", "device class"],
        ["site_id"] = ["site id", "site code", "location id", "location code", "site ref"],
        ["site_name"] = ["site", "site name", "location", "location name", "building"],
        ["site_sensitive"] = ["site sensitive", "sensitive", "sensitive site", "sensitivity", "site sensitivity"],
        ["network_segment"] = ["network", "network segment", "segment", "network zone"],
        ["installed_on"] = ["installed", "install date", "installation date", "date installed", "installed date", "date of installation"],
        ["status"] = ["state", "asset status", "device status", "lifecycle status", "lifecycle state", "operational status", "install status", "camera status"],
    };

    private static readonly Dictionary<string, string> ByKey = Build();

    /// <summary>A name as it is compared: its letters and digits, lower case ("Model No." is "modelno").</summary>
    public static string Key(string name) => new(name.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant).ToArray());

    /// <summary>The documented column a header name is read as, or null for a column check ignores.</summary>
    public static string? Field(string name) => ByKey.GetValueOrDefault(Key(name));

    private static Dictionary<string, string> Build()
    {
        var byKey = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (field, names) in Synonyms)
        {
            foreach (var name in names.Append(field))
            {
                if (byKey.TryGetValue(Key(name), out var other) && other != field)
                {
                    throw new InvalidOperationException($"'{name}' is a name of both {other} and {field}");
                }

                byKey[Key(name)] = field;
            }
        }

        return byKey;
    }
}
