using System.Text.RegularExpressions;
using AssetCompliance.Core.Events;

namespace AssetCompliance.Core.Registers;

/// <summary>
/// Turns the cells of one register row into a device, reading every cell that can be read. Only the asset id is
/// required (without it there is nothing to report); any other cell that is not in the documented form becomes a
/// <see cref="CellWarning"/>: either read with a rule the warning names, or left unknown. Unknown is never a better
/// answer: an unreadable <c>site_sensitive</c> is unknown sensitivity, an unreadable MAC is no MAC evidence, an
/// unreadable <c>status</c> is in service (the device is evaluated rather than dropped).
/// </summary>
internal static partial class RegisterCells
{
    private const int ShownValueLength = 80;


    /// <summary>Reads a row; <paramref name="cell"/> gives the trimmed text of a documented column by its position in <see cref="RegisterReader.CsvHeader"/>.</summary>
    public static RegisterRow Read(int line, Func<int, string> cell)
    {
        var warnings = new List<CellWarning>();
        var assetId = cell(Column.AssetId);
        if (assetId.Length == 0)
        {
            return RegisterRow.Unreadable(line, "asset_id is blank: a row needs an asset id to be reported");
        }

        if (IdentifierProblem(assetId, Identifiers.AssetIdError(assetId)) is { } assetProblem)
        {
            Warn(warnings, "asset_id", assetId, $"{assetProblem}; check reports the device, push refuses the row", unread: false);
        }

        var department = cell(Column.Department);
        if (Identifiers.DepartmentError(department) is { } departmentError)
        {
            Warn(warnings, "department", department, $"{departmentError}; push refuses the row", unread: false);
        }

        var status = cell(Column.Status);
        var kind = AssetEventKind.Upserted;
        if (status.Equals("removed", StringComparison.OrdinalIgnoreCase))
        {
            kind = AssetEventKind.Removed;
        }
        else if (status.Length > 0 && !status.Equals("in-service", StringComparison.OrdinalIgnoreCase))
        {
            Warn(warnings, "status", status, "is not 'in-service', 'removed' or empty; the device is evaluated as in service", unread: true);
        }

        DeviceType? deviceType = null;
        var deviceTypeText = cell(Column.DeviceType);
        if (DeviceTypes.TryParse(deviceTypeText, out var parsedType))
        {
            deviceType = parsedType;
        }
        else
        {
            Warn(warnings, "device_type", deviceTypeText,
                $"{(deviceTypeText.Length == 0 ? "is blank" : "is not a known device type")} (one of {string.Join(", ", DeviceTypes.AllNames)}); the device type is unknown",
                unread: true);
        }

        bool? sensitive = null;
        var sensitiveText = cell(Column.SiteSensitive);
        if (sensitiveText.Length > 0)
        {
            sensitive = IsAny(sensitiveText, "true", "yes", "y", "1") ? true : IsAny(sensitiveText, "false", "no", "n", "0") ? false : null;
            if (sensitive is null)
            {
                Warn(warnings, "site_sensitive", sensitiveText, "is not true, false, yes, no, 1, 0 or empty; the site's sensitivity is unknown", unread: true);
            }
        }

        NetworkSegment? segment = null;
        var segmentText = cell(Column.NetworkSegment);
        if (segmentText.Length > 0)
        {
            if (NetworkSegments.TryParse(segmentText, out var s))
            {
                segment = s;
            }
            else
            {
                Warn(warnings, "network_segment", segmentText, $"is not one of {string.Join(", ", NetworkSegments.AllNames)} or empty; the network segment is unknown", unread: true);
            }
        }

        DateOnly? installed = null;
        var installedText = cell(Column.InstalledOn);
        if (installedText.Length > 0)
        {
            installed = RegisterDates.Read(installedText, out var dateWarning, out var dateUnread);
            if (dateWarning is not null)
            {
                Warn(warnings, "installed_on", installedText, dateWarning, dateUnread);
            }
        }

        var mac = ReadMac(cell(Column.MacAddress), warnings);

        var siteId = cell(Column.SiteId);
        var siteName = Text("site_name", cell(Column.SiteName), warnings);
        Site? site = null;
        if (siteId.Length > 0)
        {
            if (IdentifierProblem(siteId, Identifiers.AssetIdError(siteId)?.Replace("asset id", "site id", StringComparison.Ordinal)) is { } siteProblem)
            {
                Warn(warnings, "site_id", siteId, $"{siteProblem}; push refuses the row", unread: false);
            }

            site = new Site(siteId, siteName, sensitive);
        }
        else if (siteName is not null || sensitiveText.Length > 0)
        {
            // The sensitivity is still the register's word about where the device is: keep it rather than lose it.
            Warn(warnings, "site_id", "", "is blank while the site's name or sensitivity is given; the site is read without an id, and push refuses the row", unread: false);
            site = new Site("", siteName, sensitive);
        }

        var device = new RegisteredDevice
        {
            AssetId = assetId,
            Department = department,
            Revision = 0,
            Manufacturer = Text("manufacturer", cell(Column.Manufacturer), warnings),
            Model = Text("model", cell(Column.Model), warnings),
            SerialNumber = Text("serial_number", cell(Column.SerialNumber), warnings),
            MacAddress = mac,
            DeviceType = deviceType,
            Site = site,
            NetworkSegment = segment,
            InstalledOn = installed,
        };
        warnings.Sort((a, b) => Array.IndexOf(RegisterReader.CsvHeader, a.Column).CompareTo(Array.IndexOf(RegisterReader.CsvHeader, b.Column)));
        return new RegisterRow(line, kind, device, []) { Warnings = warnings };
    }

    /// <summary>Adds a warning, with the value cut for display.</summary>
    public static void Warn(List<CellWarning> warnings, string column, string value, string message, bool unread) =>
        warnings.Add(new CellWarning(column, value.Length <= ShownValueLength ? value : value[..(ShownValueLength - 1)] + "…", message, unread));

    /// <summary>
    /// Why an identifier cannot be a storage key, naming the character at fault: Table Storage forbids
    /// <c>/ \ # ?</c> and control characters in keys, and the store uses <c>|</c> as a separator.
    /// </summary>
    public static string? IdentifierProblem(string value, string? error)
    {
        if (error is null)
        {
            return null;
        }

        foreach (var c in value)
        {
            if (c is '/' or '\\' or '#' or '?' or '|')
            {
                return $"contains '{c}', which a storage key cannot hold ({error})";
            }

            if (char.IsControl(c))
            {
                return $"contains the control character U+{(int)c:X4}, which a storage key cannot hold";
            }
        }

        return error;
    }

    /// <summary>A MAC in any register notation, kept as written when the contract accepts that notation, else in canonical form.</summary>
    private static string? ReadMac(string text, List<CellWarning> warnings)
    {
        if (text.Length == 0)
        {
            return null;
        }

        if (MacAddress.TryParse(text, out _))
        {
            return text;
        }

        if (MacAddress.TryParse(text, MacNotation.Register, out var address))
        {
            return address.ToString();
        }

        Warn(warnings, "mac_address", text, ScientificNumber().IsMatch(text)
            ? "is a number in scientific notation, as Excel shows a long number: the digits of the MAC are lost; no MAC evidence. Format the column as text before exporting"
            : "is not a MAC address; no MAC evidence", unread: true);
        return null;
    }

    /// <summary>Free text, empty meaning absent. Kept whole when long (push refuses it: the contract holds 256 characters).</summary>
    private static string? Text(string column, string text, List<CellWarning> warnings)
    {
        if (text.Length == 0)
        {
            return null;
        }

        if (text.Contains('\uFFFD'))
        {
            Warn(warnings, column, text, "contains bytes that are not UTF-8 (was the file saved as 'CSV UTF-8'?); read as far as it goes", unread: true);
        }

        if (text.Length > AssetEventParser.MaxTextLength)
        {
            Warn(warnings, column, text, $"is {text.Length} characters, over the {AssetEventParser.MaxTextLength} the event contract holds; check reads it, push refuses the row", unread: false);
        }

        return text;
    }

    private static bool IsAny(string text, params ReadOnlySpan<string> values)
    {
        foreach (var value in values)
        {
            if (text.Equals(value, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    [GeneratedRegex(@"^[+-]?\d+([.,]\d+)?[eE][+-]?\d+$")]
    private static partial Regex ScientificNumber();

    /// <summary>Positions of the documented columns in <see cref="RegisterReader.CsvHeader"/>, which is what the cell reader is asked for.</summary>
    public static class Column
    {
        public const int AssetId = 0, Department = 1, Manufacturer = 2, Model = 3, SerialNumber = 4, MacAddress = 5, DeviceType = 6,
            SiteId = 7, SiteName = 8, SiteSensitive = 9, NetworkSegment = 10, InstalledOn = 11, Status = 12;
    }
}
