using AssetCompliance.Core.Events;

namespace AssetCompliance.Core.Registers;

/// <summary>
/// Turns the cells of one register row into a device, reading every cell that can be read. Only the asset id is
/// required (without it there is nothing to report); any other cell that is not in the documented form becomes a
/// <see cref="CellWarning"/>: either read with a rule the warning names, or left unknown. Unknown is never a better
/// answer: an unreadable <c>site_sensitive</c> is unknown sensitivity, an unreadable MAC is no MAC evidence, an
/// unreadable <c>status</c> is in service (the device is evaluated rather than dropped). Values as people type them
/// are read by <see cref="RegisterValues"/> (device-type and status words), <see cref="RegisterMacs"/>,
/// <see cref="RegisterDates"/> and <see cref="RegisterSiteValues"/> (sensitivity, segment): a synonym of the
/// documented value silently, a guess with a warning saying what it was read as (not unread), and a value that is not
/// certain not at all. Characters the register did not mean are found by <see cref="CellCharacters"/>.
/// </summary>
internal static class RegisterCells
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

        if (CellCharacters.IdentifierProblem(assetId, Identifiers.AssetIdError(assetId)) is { } assetProblem)
        {
            Warn(warnings, "asset_id", assetId, $"{assetProblem}; check reports the device, push refuses the row", unread: false);
        }

        var department = cell(Column.Department);
        if (Identifiers.DepartmentError(department) is { } departmentError)
        {
            var cause = CellCharacters.CharacterProblem(department, keepLineBreaks: false) is { } characters ? $" ({characters})" : "";
            Warn(warnings, "department", department, $"{departmentError}{cause}; push refuses the row", unread: false);
        }

        var status = Coded(cell(Column.Status), "status", warnings);
        var kind = AssetEventKind.Upserted;

        // A null status had unreadable characters: it is unknown (Coded warned), and push refuses the row.
        if (status is { Length: > 0 })
        {
            if (RegisterValues.TryStatus(status, out var statusKind, out var statusGuess))
            {
                kind = statusKind;
                if (statusGuess is not null)
                {
                    Warn(warnings, "status", status, $"read as {(kind == AssetEventKind.Removed ? "removed" : "in service")}: {statusGuess}", unread: false);
                }
            }
            else
            {
                Warn(warnings, "status", status, "is not a status check knows ('in-service', 'removed', or a word for either, such as Active or Retired) or empty; the device is evaluated as in service", unread: true);
            }
        }

        DeviceType? deviceType = null;
        var deviceTypeText = Coded(cell(Column.DeviceType), "device_type", warnings);

        // A null device type had unreadable characters, which Coded already warned of.
        if (deviceTypeText is { Length: > 0 } && RegisterValues.TryDeviceType(deviceTypeText, out var parsedType, out var typeGuess))
        {
            deviceType = parsedType;
            if (typeGuess is not null)
            {
                Warn(warnings, "device_type", deviceTypeText, $"read as {parsedType.ToWire()}: {typeGuess}", unread: false);
            }
        }
        else if (deviceTypeText is not null)
        {
            Warn(warnings, "device_type", deviceTypeText,
                $"{(deviceTypeText.Length == 0 ? "is blank" : "is not a known device type")} (one of {string.Join(", ", DeviceTypes.AllNames)}, or a word for one, such as IP Camera, PTZ, NVR or Door Entry); the device type is unknown",
                unread: true);
        }

        bool? sensitive = null;
        var sensitiveText = Coded(cell(Column.SiteSensitive), "site_sensitive", warnings);
        if (sensitiveText is { Length: > 0 })
        {
            sensitive = RegisterSiteValues.ReadSensitivity(sensitiveText, out var sensitivityProblem);
            if (sensitivityProblem is not null)
            {
                // Unknown, or read as sensitive from a level word (High): the message says which.
                Warn(warnings, "site_sensitive", sensitiveText, sensitivityProblem, unread: sensitive is null);
            }
        }

        NetworkSegment? segment = null;
        var segmentText = Coded(cell(Column.NetworkSegment), "network_segment", warnings);
        if (segmentText is { Length: > 0 })
        {
            if (RegisterSiteValues.ReadSegment(segmentText, out var s))
            {
                segment = s;
            }
            else
            {
                Warn(warnings, "network_segment", segmentText, $"is not one of {string.Join(", ", NetworkSegments.AllNames)} or empty; the network segment is unknown", unread: true);
            }
        }

        DateOnly? installed = null;
        var installedText = Coded(cell(Column.InstalledOn), "installed_on", warnings);
        if (installedText is { Length: > 0 })
        {
            string? dateWarning;
            bool dateUnread;
            try
            {
                installed = RegisterDates.Read(installedText, out dateWarning, out dateUnread);
            }
            catch (Exception e) when (e is FormatException or OverflowException or ArgumentException)
            {
                // A date rule that fails on some text costs that cell, never the row or the rest of the file.
                (installed, dateWarning, dateUnread) = (null, $"could not be read as a date ({e.GetType().Name}); not read", true);
            }

            if (dateWarning is not null)
            {
                Warn(warnings, "installed_on", installedText, dateWarning, dateUnread);
            }
        }

        // Line breaks are allowed: several MACs in one cell are often one a line (Alt+Enter in Excel).
        var macText = Coded(cell(Column.MacAddress), "mac_address", warnings, keepLineBreaks: true);
        var mac = macText is null ? null : ReadMac(macText, warnings);

        var siteId = cell(Column.SiteId);
        var siteName = Text("site_name", cell(Column.SiteName), warnings);
        Site? site = null;
        if (siteId.Length > 0)
        {
            if (CellCharacters.IdentifierProblem(siteId, Identifiers.AssetIdError(siteId)?.Replace("asset id", "site id", StringComparison.Ordinal)) is { } siteProblem)
            {
                Warn(warnings, "site_id", siteId, $"{siteProblem}; push refuses the row", unread: false);
            }

            site = new Site(siteId, siteName, sensitive);
        }
        else if (siteName is not null || sensitiveText is not (null or ""))
        {
            // The sensitivity is still the register's word about where the device is: keep it rather than lose it, in
            // check and in push (the contract accepts a site without an id when its name or sensitivity is stated).
            Warn(warnings, "site_id", "", "is blank while the site's name or sensitivity is given; the site is read without an id", unread: false);
            site = new Site(null, siteName, sensitive);
        }
        else if (kind == AssetEventKind.Upserted)
        {
            // No site at all: the contract requires one for a device in service, so check must not call the row clean.
            Warn(warnings, "site_id", "", "is blank, and so are the site's name and sensitivity: the site is unknown, and push refuses the row (a device in service needs a site)", unread: false);
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
        SortByColumn(warnings);
        return new RegisterRow(line, kind, device, [])
        {
            Warnings = warnings,
            // Reports show what the register said beside the verdict, including cells that could not be read.
            AsWritten = RegisteredText.FromCells(siteId, cell(Column.SiteName), cell(Column.Manufacturer), cell(Column.Model), cell(Column.MacAddress)),
        };
    }


    /// <summary>Orders warnings as the documented columns are (other columns after them), keeping the order within a column.</summary>
    public static void SortByColumn(List<CellWarning> warnings)
    {
        if (warnings.Count < 2)
        {
            return; // nearly every row: nothing to order, and this runs once per row of a 100,000-row register
        }

        var ordered = warnings.Select((w, i) => (w, i)).OrderBy(x => Order(x.w.Column)).ThenBy(x => x.i).Select(x => x.w).ToArray();
        warnings.Clear();
        warnings.AddRange(ordered);

        static int Order(string column) => Array.IndexOf(RegisterReader.CsvHeader, column) is var i and >= 0 ? i : int.MaxValue;
    }

    /// <summary>
    /// A coded cell (status, type, sensitivity, segment, date, MAC) as it is, or null, with an unread warning, when it
    /// holds characters no code has (<see cref="CellCharacters.CharacterProblem"/>): its value is then unknown rather than a guess.
    /// </summary>
    private static string? Coded(string value, string column, List<CellWarning> warnings, bool keepLineBreaks = false)
    {
        if (CellCharacters.CharacterProblem(value, keepLineBreaks) is not { } problem)
        {
            return value;
        }

        Warn(warnings, column, value, $"{problem}; not read", unread: true);
        return null;
    }


    /// <summary>Adds a warning, with the value cut for display.</summary>
    public static void Warn(List<CellWarning> warnings, string column, string value, string message, bool unread) =>
        warnings.Add(new CellWarning(column, Shown(value), message, unread));


    /// <summary>A MAC by the rules of <see cref="RegisterMacs"/>, with its warning.</summary>
    private static string? ReadMac(string text, List<CellWarning> warnings)
    {
        if (text.Length == 0)
        {
            return null;
        }

        var mac = RegisterMacs.Read(text, out var warning, out var unread);
        if (warning is not null)
        {
            Warn(warnings, "mac_address", text, warning, unread);
        }

        return mac;
    }

    /// <summary>
    /// Free text, empty meaning absent. Text with U+FFFD is kept as decoded, with an unread warning (its bytes are
    /// lost). Control characters other than tab and line breaks, U+FEFF and U+FFFE/U+FFFF are removed, with a warning
    /// naming them (unread when the column feeds the verdict: the value read is not the one written), so that
    /// <c>Hik\0vision</c> is read, and sent, as <c>Hikvision</c>. Text over the contract's 256 characters is kept whole
    /// is not read: it gets an unread warning, so <see cref="RegisterEvaluation.Device"/> drops the value (identification
    /// never sees it) and push sends the field as unread, as the contract cannot hold the text.
    /// </summary>
    private static string? Text(string column, string text, List<CellWarning> warnings)
    {
        if (text.Length == 0)
        {
            return null;
        }

        if (text.Contains('\uFFFD'))
        {
            Warn(warnings, column, text, $"{CellCharacters.CharacterProblem(text, keepLineBreaks: true)}; read as far as it goes", unread: true);
        }

        if (CellCharacters.CharacterProblem(text.Replace("\uFFFD", "", StringComparison.Ordinal), keepLineBreaks: true) is { } problem)
        {
            var shown = text;
            text = new string(text.Where(c => !CellCharacters.IsBadCharacter(c, keepLineBreaks: true)).ToArray()).Trim();
            Warn(warnings, column, shown, $"{problem}, which is removed: read as '{Shown(text)}'", unread: UnreadFields.ByColumn(column)?.FeedsVerdict == true);
            if (text.Length == 0)
            {
                return null;
            }
        }

        if (text.Length > AssetEventParser.MaxTextLength)
        {
            Warn(warnings, column, text,
                $"is {text.Length:N0} characters, over the {AssetEventParser.MaxTextLength} the event contract holds: not read; push sends it as unread",
                unread: true);
        }

        return text;
    }

    /// <summary>A value cut for display in a message.</summary>
    public static string Shown(string value) => value.Length <= ShownValueLength ? value : value[..(ShownValueLength - 1)] + "…";

    /// <summary>Positions of the documented columns in <see cref="RegisterReader.CsvHeader"/>, which is what the cell reader is asked for.</summary>
    public static class Column
    {
        public const int AssetId = 0, Department = 1, Manufacturer = 2, Model = 3, SerialNumber = 4, MacAddress = 5, DeviceType = 6,
            SiteId = 7, SiteName = 8, SiteSensitive = 9, NetworkSegment = 10, InstalledOn = 11, Status = 12;
    }
}
