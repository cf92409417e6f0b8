using System.Globalization;
using System.Text.Json;
using static AssetCompliance.Core.Events.JsonFields;

namespace AssetCompliance.Core.Events;

/// <summary>
/// Reads an event's <c>data</c> object (the device record of contract v1) into a <see cref="RegisteredDevice"/>:
/// identifiers, revision, free text, MAC, enumerations, site, install date and <c>unreadFields</c>, every problem added
/// with its JSON path under <c>$.data</c>. The envelope around it is <see cref="AssetEventParser"/>'s.
/// </summary>
internal static class DeviceData
{
    /// <summary>The device, or null when <c>data</c> adds an error (each one is in <paramref name="errors"/>).</summary>
    public static RegisteredDevice? Parse(JsonElement data, AssetEventKind kind, List<ValidationError> errors)
    {
        const string at = "$.data";
        var before = errors.Count;

        var assetId = RequiredString(data, "assetId", at, errors);
        if (assetId is not null && Identifiers.RegisteredAssetIdError(assetId) is { } assetError)
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
        else if (revisionElement.ValueKind != JsonValueKind.Number || !revisionElement.TryGetInt64(out revision) || revision is < 0 or > AssetEventParser.MaxRevision)
        {
            // TryGetInt64 also refuses fractions and exponents (1.0, 1e2): a revision is written as a plain integer.
            errors.Add(new($"{at}.revision", $"must be an integer from 0 to {AssetEventParser.MaxRevision} (2^53 - 1) written without fraction or exponent"));
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

}
