using AssetCompliance.Core.Events;

namespace AssetCompliance.Core.Registers;

/// <summary>
/// Turns the cells of one register row into a device, reading every cell that can be read. Only the asset id is
/// required (without it there is nothing to report); any other cell that is not in the documented form becomes a
/// <see cref="CellWarning"/>: either read with a rule the warning names, or left unknown. Unknown is never a better
/// answer: an unreadable <c>site_sensitive</c> is unknown sensitivity, an unreadable MAC is no MAC evidence, an
/// unreadable <c>status</c> is in service (the device is evaluated rather than dropped). Values as people type them
/// are read by <see cref="RegisterValues"/> (device-type and status words), <see cref="RegisterMacs"/>,
/// <see cref="RegisterDates"/> and <see cref="ReadSensitivity"/>: a synonym of the documented value silently, a guess
/// with a warning saying what it was read as (not unread), and a value that is not certain not at all.
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
            var cause = CharacterProblem(department, keepLineBreaks: false) is { } characters ? $" ({characters})" : "";
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
            sensitive = ReadSensitivity(sensitiveText, out var sensitivityProblem);
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
            if (ReadSegment(segmentText, out var s))
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
            if (IdentifierProblem(siteId, Identifiers.AssetIdError(siteId)?.Replace("asset id", "site id", StringComparison.Ordinal)) is { } siteProblem)
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

    /// <summary>
    /// A sensitivity as registers spell it: true/yes/y/1/sensitive and false/no/n/0/not sensitive/non-sensitive, in any
    /// case, punctuation ignored (<c>Yes.</c>, <c>Non-Sensitive</c>, <c>Yes - sensitive</c>), and Excel's ticks (✓/✔ true, ✗/✘ false); <paramref name="problem"/>
    /// is then null. A level word that can only mean sensitive (High, high sensitivity) is read as true with
    /// <paramref name="problem"/> saying so: reading it as sensitive is the stricter reading. Anything else is unknown
    /// (null), with the reason: no word is ever read as false unless it says not sensitive, so a lower level (Low,
    /// Medium) is unknown rather than a guess that would relax the verdict; and a government security classification
    /// (OFFICIAL-SENSITIVE, SECRET) marks information, not whether a site is sensitive, so it is not guessed at.
    /// </summary>
    internal static bool? ReadSensitivity(string text, out string? problem)
    {
        problem = null;
        // Ticks are not letters, so they are matched before the words are keyed.
        var words = text.Trim() is "\u2713" or "\u2714" or "\u2611" ? "true" : text.Trim() is "\u2717" or "\u2718" or "\u2612" ? "false" : RegisterValues.Key(text);
        switch (words)
        {
            case "true" or "yes" or "y" or "1" or "sensitive" or "sensitive site" or "yes sensitive" or "y sensitive":
                return true;
            case "false" or "no" or "n" or "0" or "not sensitive" or "non sensitive" or "nonsensitive" or "not sensitive site" or "non sensitive site"
                or "no not sensitive" or "n not sensitive":
                return false;
            case "high" or "high sensitivity" or "highly sensitive" or "very sensitive":
                problem = "read as true (sensitive): a high sensitivity level, read as a sensitive site";
                return true;
        }

        problem = words switch
        {
            "official" or "official sensitive" or "secret" or "top secret" =>
                "is a government security classification, which marks information, not whether the site is sensitive; the site's sensitivity is unknown",
            "low" or "medium" or "moderate" or "low sensitivity" or "medium sensitivity" or "none" or "n a" or "na" or "unknown" or "not known" or "tbc" or "tbd" =>
                "is not clearly yes or no: check reads only a stated 'not sensitive' as not sensitive, so the site's sensitivity is unknown",
            _ => "is not true, false, yes, no, y, n, 1, 0, sensitive, not sensitive or empty; the site's sensitivity is unknown",
        };
        return null;
    }

    /// <summary>A network segment as registers spell it: the contract's names in any case, "stand-alone", and "… network".</summary>
    internal static bool ReadSegment(string text, out NetworkSegment segment)
    {
        var words = Words(text);
        if (words.EndsWith(" network", StringComparison.Ordinal))
        {
            words = words[..^" network".Length];
        }

        return NetworkSegments.TryParse(words is "stand alone" ? "standalone" : words, out segment);
    }

    /// <summary>Lower case, with runs of '-', '_' and white space as one space: "Non-Sensitive" and "non_sensitive" read alike.</summary>
    /// <remarks>
    /// Narrower than <see cref="RegisterValues.Key"/> on purpose: other punctuation stays, so a cell holding a list
    /// (a NetBox custom field <c>["core"]</c>, kept as its JSON text) is no segment, never read as its one member.
    /// </remarks>
    private static string Words(string text) =>
        string.Join(' ', text.ToLowerInvariant().Split(['-', '_', ' ', '\t'], StringSplitOptions.RemoveEmptyEntries));

    /// <summary>Orders warnings as the documented columns are (other columns after them), keeping the order within a column.</summary>
    public static void SortByColumn(List<CellWarning> warnings)
    {
        var ordered = warnings.Select((w, i) => (w, i)).OrderBy(x => Order(x.w.Column)).ThenBy(x => x.i).Select(x => x.w).ToArray();
        warnings.Clear();
        warnings.AddRange(ordered);

        static int Order(string column) => Array.IndexOf(RegisterReader.CsvHeader, column) is var i and >= 0 ? i : int.MaxValue;
    }

    /// <summary>
    /// A coded cell (status, type, sensitivity, segment, date, MAC) as it is, or null, with an unread warning, when it
    /// holds characters no code has (<see cref="CharacterProblem"/>): its value is then unknown rather than a guess.
    /// </summary>
    private static string? Coded(string value, string column, List<CellWarning> warnings, bool keepLineBreaks = false)
    {
        if (CharacterProblem(value, keepLineBreaks) is not { } problem)
        {
            return value;
        }

        Warn(warnings, column, value, $"{problem}; not read", unread: true);
        return null;
    }

    /// <summary>
    /// Why a cell's characters are not what the register meant, or null: U+FFFD, which decoding puts where the bytes
    /// are not UTF-8 (a file saved as Windows-1252, Excel's plain 'CSV'); a control character (NUL and the other C0
    /// and C1 controls, DEL; tab is allowed, and line breaks when <paramref name="keepLineBreaks"/>: a quoted cell may
    /// span lines); U+FEFF, a byte-order mark inside the text (two exports joined into one file); and U+FFFE and
    /// U+FFFF, which are not characters.
    /// </summary>
    public static string? CharacterProblem(string value, bool keepLineBreaks)
    {
        foreach (var c in value)
        {
            if (c == '\uFFFD')
            {
                return "holds U+FFFD where the file has bytes that are not UTF-8: the file was probably saved as Windows-1252 (Excel's plain 'CSV'); save it as 'CSV UTF-8 (comma delimited)'";
            }
        }

        foreach (var c in value)
        {
            if (IsBadCharacter(c, keepLineBreaks))
            {
                return c == '\uFEFF'
                    ? "holds U+FEFF, a byte-order mark inside the file (were two exports joined into one?)"
                    : c is '\uFFFE' or '\uFFFF'
                        ? $"holds U+{(int)c:X4}, which is not a character"
                        : $"holds the control character U+{(int)c:X4}";
            }
        }

        return null;
    }

    private static bool IsBadCharacter(char c, bool keepLineBreaks) =>
        c is '\uFEFF' or '\uFFFE' or '\uFFFF' || (char.IsControl(c) && c != '\t' && !(keepLineBreaks && c is '\n' or '\r'));

    /// <summary>Adds a warning, with the value cut for display.</summary>
    public static void Warn(List<CellWarning> warnings, string column, string value, string message, bool unread) =>
        warnings.Add(new CellWarning(column, Shown(value), message, unread));

    /// <summary>
    /// Why an identifier cannot be a storage key, naming the character at fault: Table Storage forbids
    /// <c>/ \ # ?</c> and control characters in keys, and the store uses <c>|</c> as a separator; and, for a key the
    /// rules allow, the characters of <see cref="CharacterProblem"/> (U+FFFD, U+FEFF, U+FFFE/U+FFFF) and invisible
    /// format characters (U+200B, U+00AD, U+202E, …), which push refuses too.
    /// </summary>
    public static string? IdentifierProblem(string value, string? error)
    {
        if (error is null)
        {
            // Characters the key rules allow but that are not what the register meant: U+FFFD from bytes that are
            // not UTF-8 (two such ids could become one key), a byte-order mark, U+FFFE/U+FFFF; and an invisible
            // format character (a zero-width space pasted from a web page, a soft hyphen, a bidirectional override),
            // which makes an id that reads as another's a second key: a sync would remove the device it looks like.
            return CharacterProblem(value, keepLineBreaks: false) ?? InvisibleProblem(value);
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

        return CharacterProblem(value, keepLineBreaks: false) is { } characters ? $"{error}; it {characters}" : error;
    }

    private static string? InvisibleProblem(string value)
    {
        foreach (var c in value)
        {
            if (char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.Format)
            {
                return $"holds the invisible character U+{(int)c:X4}, so it reads as an id it is not";
            }
        }

        return null;
    }

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
            Warn(warnings, column, text, $"{CharacterProblem(text, keepLineBreaks: true)}; read as far as it goes", unread: true);
        }

        if (CharacterProblem(text.Replace("\uFFFD", "", StringComparison.Ordinal), keepLineBreaks: true) is { } problem)
        {
            var shown = text;
            text = new string(text.Where(c => !IsBadCharacter(c, keepLineBreaks: true)).ToArray()).Trim();
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
