namespace AssetCompliance.Core.Registers;

/// <summary>
/// Where each documented field (<see cref="RegisterReader.CsvHeader"/>) is in a register's header, under the profile
/// the header is read as (<see cref="RegisterProfiles"/>: detected, or chosen with <see cref="RegisterReadOptions.Profile"/>),
/// with <see cref="RegisterReadOptions.Columns"/> overriding both. Names match loosely (<see cref="RegisterColumns.Key"/>).
/// <para>
/// Only the asset id is required (and one other field, so that a title row is not taken for a header): without it
/// a row cannot be reported. A field with no column is unknown for every row, said once in <see cref="Notes"/> and
/// never per row: a blank sensitivity or network is unknown to the policy already (never "not sensitive"); a field
/// whose blank cell the cell rules read as unread (the device type) is marked unread on every device, so a verdict
/// that would be Compliant or Advisory is held back for review (<see cref="Policy.ComplianceEvaluator.UnreadFieldsRule"/>).
/// </para>
/// A header that fits two profiles equally, does not fit a chosen one, names a --map column it lacks, or has two
/// columns read as one field, is refused with every problem and the names that were found.
/// </summary>
internal sealed partial class HeaderMap
{
    private readonly string[] _names;
    private readonly string[] _spelled;
    private readonly string?[] _fields;
    private readonly int[] _ordinals;
    private readonly int[][] _columns;
    private readonly HashSet<string> _missing;
    private readonly HeaderContext _context;
    private readonly int _joinIndex;

    private HeaderMap(string[] names, string[] spelled, string?[] fields, int[][] columns, RegisterProfile profile, HeaderContext context, int joinIndex, IReadOnlyList<string> notes)
    {
        _names = names;
        _spelled = spelled;
        _fields = fields;
        _columns = columns;
        _ordinals = columns.Select(c => c.Length > 0 ? c[0] : -1).ToArray();
        _context = context;
        _joinIndex = joinIndex;
        Profile = profile;
        Notes = notes;
        _missing = RegisterReader.CsvHeader.Where((_, i) => columns[i].Length == 0).ToHashSet(StringComparer.Ordinal);
        AssetIdIndex = columns[RegisterCells.Column.AssetId][0];
        LastNamedIndex = Array.FindLastIndex(names, n => n.Length > 0);
        (_hostColumns, _ipColumns) = NetworkColumns(names, fields, AssetIdIndex);
    }

    private readonly int[] _hostColumns;
    private readonly int[] _ipColumns;

    /// <summary>Header keys (<see cref="RegisterColumns.Key"/>) of the columns that name a device on the network: its host name.</summary>
    private static readonly HashSet<string> HostNameKeys = new(["name", "hostname", "host", "dnsname", "fqdn", "devicename", "computername", "networkname", "cameraname", "assetname"], StringComparer.Ordinal);

    /// <summary>Header keys of the columns that hold a device's IP address (ServiceNow ip_address, NetBox Primary IPv4/IPv6, spreadsheets).</summary>
    private static readonly HashSet<string> IpKeys = new(["ip", "ipaddress", "ipaddresses", "ipv4", "ipv4address", "ipv6", "ipv6address", "primaryip", "primaryipv4", "primaryipv6",
        "primaryipaddress", "managementip", "managementipaddress", "mgmtip", "staticip"], StringComparer.Ordinal);

    /// <summary>
    /// The host-name and IP columns reconcile matches by (<see cref="RegisterRow.Network"/>): a column read as no
    /// documented field, or as an asset id after the first (NetBox's and ServiceNow's <c>name</c> stands in for a
    /// blank asset tag; it is the host name on every row).
    /// </summary>
    private static (int[] Hosts, int[] Ips) NetworkColumns(string[] names, string?[] fields, int assetIdIndex)
    {
        var hosts = new List<int>();
        var ips = new List<int>();
        for (var i = 0; i < names.Length; i++)
        {
            var free = fields[i] is null || fields[i] == RegisterMapping.Ignore || (fields[i] == "asset_id" && i != assetIdIndex);
            var key = RegisterColumns.Key(names[i]);
            if (!free || key.Length == 0) continue;
            if (HostNameKeys.Contains(key)) hosts.Add(i);
            else if (IpKeys.Contains(key)) ips.Add(i);
        }

        return ([.. hosts], [.. ips]);
    }

    /// <summary>The profile the header is read as.</summary>
    public RegisterProfile Profile { get; }

    /// <summary>How the header is read, once for the file: each name read as a field it is not spelled as, each field with no column and what that means.</summary>
    public IReadOnlyList<string> Notes { get; }

    /// <summary>The field index of the header's last non-blank name: a row needs a field up to it, and nothing after it.</summary>
    public int LastNamedIndex { get; }

    /// <summary>The header's name at a field index (lower case), or "column N" where it has none.</summary>
    public string Name(int index) => index < _names.Length && _names[index].Length > 0 ? _names[index] : $"column {index + 1}";

    /// <summary>Fields in the header; every row must have as many.</summary>
    public int FieldCount => _names.Length;

    /// <summary>The field index of the asset id's first column.</summary>
    public int AssetIdIndex { get; }

    /// <summary>The field index of the documented column at <paramref name="position"/> in <see cref="RegisterReader.CsvHeader"/>, or -1 when the header has none.</summary>
    public int this[int position] => _ordinals[position];

    /// <summary>The documented column a field index is read as, or null for a column check ignores.</summary>
    public string? DocumentedName(int index) => index < _fields.Length && _fields[index] != RegisterMapping.Ignore ? _fields[index] : null;

    /// <summary>"column 4 (model)", for messages.</summary>
    public string Describe(int? index) => index is { } i && i < _names.Length
        ? $"column {i + 1} ({(_names[i].Length == 0 ? "no name" : _names[i])})"
        : "a column";

    /// <summary>The header of a comma-delimited file, with every option detected; see the class summary.</summary>
    public static HeaderMap? Parse(IReadOnlyList<string> fields, out string? error) => Parse(fields, ',', null, out error);

    /// <summary>The header of a file read with <paramref name="delimiter"/>, with every option detected.</summary>
    public static HeaderMap? Parse(IReadOnlyList<string> fields, char delimiter, out string? error) => Parse(fields, delimiter, null, out error);

    /// <summary>The header of a file read with <paramref name="delimiter"/>, under <paramref name="context"/>'s options; see the class summary.</summary>
    public static HeaderMap? Parse(IReadOnlyList<string> fields, char delimiter, HeaderContext? context, out string? error)
    {
        context ??= new HeaderContext(RegisterReadOptions.Detect, null);
        var options = context.Options;
        error = null;
        var spelled = fields.Select(f => HeaderNames.Unescape(f.Trim().Trim('\uFEFF').Trim())).ToArray();
        var names = spelled.Select(n => n.ToLowerInvariant()).ToArray();
        if (names.Length == 1 && CsvDelimiter.Candidates.FirstOrDefault(c => c != delimiter && names[0].Contains(c)) is var other and not '\0')
        {
            error = $"the header is one column, '{HeaderNames.Shorten(fields[0])}', read with {CsvDelimiter.Name(delimiter)} as the delimiter: the file seems to be separated by {CsvDelimiter.Name(other)}s; give --delimiter {CsvDelimiter.Name(other)}, or leave it out to detect it";
            return null;
        }

        var keys = names.Select(RegisterColumns.Key).ToArray();
        var problems = new List<string>();
        var profile = HeaderProfileChoice.Choose(keys, options, problems, out var how);
        if (profile is null)
        {
            error = HeaderMessages.Refusal(fields, names, problems, null);
            return null;
        }

        var mapped = new string?[names.Length];
        // Each field's columns in order of preference: a row reads the first that is not blank.
        var columns = RegisterReader.CsvHeader.ToDictionary(f => f, _ => new List<int>(), StringComparer.Ordinal);
        var assetIds = columns["asset_id"];
        var notes = new List<string>();

        // 1. --map and a mapping file's columns: the department's word beats any detection.
        foreach (var (column, field) in options.Columns ?? [])
        {
            var at = Array.IndexOf(keys, RegisterColumns.Key(column));
            if (at < 0 || RegisterColumns.Key(column).Length == 0)
            {
                problems.Add($"{options.ColumnsSource ?? "--map"} names the column '{column}', which the header does not have");
                continue;
            }

            if (mapped[at] is { } already && already != field)
            {
                problems.Add($"{options.ColumnsSource ?? "--map"} reads the column '{column}' as both {already} and {field}");
                continue;
            }

            if (field != RegisterMapping.Ignore && mapped.Select((f, i) => (f, i)).FirstOrDefault(x => x.f == field && x.i != at) is { f: not null } taken)
            {
                problems.Add($"{options.ColumnsSource ?? "--map"} reads both '{spelled[taken.i]}' and '{column}' as {field}, and check cannot tell which to read");
                continue;
            }

            mapped[at] = field;
            if (field != RegisterMapping.Ignore)
            {
                columns[field].Add(at);
            }
        }

        var fixedByMap = mapped.Where(f => f is not null).ToHashSet(StringComparer.Ordinal);

        // 2. The profile's own names, in its order of preference; the asset id last, as its fallbacks may be columns
        // read as other fields too (a Defender MAC address, a Snipe-IT serial).
        foreach (var (field, candidates) in profile.Columns.OrderBy(c => c.Key == "asset_id"))
        {
            if (fixedByMap.Contains(field))
            {
                continue;
            }

            if (field == "asset_id")
            {
                var ids = candidates.SelectMany(c => HeaderNames.Matching(keys, c)).Where(i => mapped[i] != RegisterMapping.Ignore).Distinct().ToArray();
                if (ids.Length > 0)
                {
                    assetIds.AddRange(ids);
                    mapped[ids[0]] ??= field;
                }

                continue;
            }

            var present = candidates.SelectMany(c => HeaderNames.Matching(keys, c)).Where(i => mapped[i] is null).Distinct().ToArray();
            if (present.Length == 0)
            {
                continue;
            }

            foreach (var i in present)
            {
                mapped[i] = field;
            }

            columns[field].AddRange(present);
        }

        // 3. The generic synonyms, for fields the profile leaves without a column (custom fields such as "Site sensitive").
        if (profile.GenericSynonyms)
        {
            var ignored = profile.Ignore.Select(RegisterColumns.Key).ToHashSet(StringComparer.Ordinal);
            var byField = new Dictionary<string, List<int>>(StringComparer.Ordinal);
            for (var i = 0; i < names.Length; i++)
            {
                if (mapped[i] is null && names[i].Length > 0 && !ignored.Contains(keys[i]) && (RegisterColumns.Field(names[i]) ?? RegisterColumns.Field(HeaderNames.CustomFieldName(names[i]))) is { } field
                    && !mapped.Contains(field))
                {
                    (byField.TryGetValue(field, out var list) ? list : byField[field] = []).Add(i);
                }
            }

            foreach (var (field, positions) in byField)
            {
                if (positions.Count > 1 && field == "site_name")
                {
                    // "Site" beside "Location" (a room) or "Building": the site's name is the broadest, the others
                    // stand in where it is blank. Only the site's name, which no verdict reads; two columns of any
                    // other field are refused.
                    var ordered = positions.OrderBy(p => Array.IndexOf(SiteNamePreference, RegisterColumns.Key(names[p])) is var rank and >= 0 ? rank : int.MaxValue).ToArray();
                    foreach (var p in ordered)
                    {
                        mapped[p] = field;
                    }

                    columns[field].AddRange(ordered);
                    continue;
                }

                if (positions.Count > 1)
                {
                    problems.Add(positions.All(p => names[p] == field)
                        ? $"'{field}' names {positions.Count} columns ({string.Join(", ", positions.Select(p => p + 1))}), and check cannot tell which to read"
                        : $"{string.Join(" and ", positions.Select(p => $"'{HeaderNames.Shorten(spelled[p])}' (column {p + 1})"))} are all read as {field}, and check cannot tell which to read");
                    continue;
                }

                mapped[positions[0]] = field;
                columns[field].Add(positions[0]);
            }
        }

        if (assetIds.Count == 0 && profile == RegisterProfiles.Spreadsheet
            && NameColumns.SelectMany(n => HeaderNames.Matching(keys, n)).Where(i => mapped[i] is null).Cast<int?>().FirstOrDefault() is { } named)
        {
            // A sheet with no asset id column but a device name ("Camera Name", "Hostname"): the name is the id, said once.
            mapped[named] = "asset_id";
            assetIds.Add(named);
            notes.Add($"no column is an asset id: column {named + 1} '{HeaderNames.Shorten(spelled[named])}' is read as asset_id (the asset id changes if the device is renamed)");
        }

        if (assetIds.Count == 0)
        {
            problems.Insert(0, $"no column is read as asset_id{(profile == RegisterProfiles.Spreadsheet ? "" : $" ({profile.Title} names it {string.Join(" or ", profile.Columns["asset_id"].Select(n => $"'{n}'"))})")}");
        }
        else if (mapped.Count(f => f is not null && f != RegisterMapping.Ignore && f != "asset_id") == 0)
        {
            problems.Add("only the asset id is read: no other column is a documented field (is this a title row, not the header?)");
        }

        if (problems.Count > 0)
        {
            error = HeaderMessages.Refusal(fields, names, problems, profile);
            return null;
        }

        var ordinals = RegisterReader.CsvHeader.Select(c => columns[c].Count > 0 ? columns[c][0] : -1).ToArray();
        notes.InsertRange(0, RegisterReader.CsvHeader.SelectMany(field => columns[field].Select((p, n) => (Field: field, Index: p, Rank: n)))
            .Where(x => x.Rank > 0 || names[x.Index] != x.Field)
            .OrderBy(x => x.Rank).ThenBy(x => x.Index)
            .Select(x => $"column {x.Index + 1} '{HeaderNames.Shorten(spelled[x.Index])}' is read as {x.Field}{(x.Rank == 0 ? "" : $" where {HeaderNames.Listed(columns[x.Field].Take(x.Rank).Select(q => $"'{HeaderNames.Shorten(spelled[q])}'").ToArray())} {(x.Rank == 1 ? "is" : "are")} blank")}"));
        var joinIndex = -1;
        if (context.Options.Interfaces is { } interfaces)
        {
            joinIndex = (profile.JoinsInterfacesOn ?? []).SelectMany(c => HeaderNames.Matching(keys, c)).DefaultIfEmpty(-1).First();
            if (joinIndex < 0)
            {
                error = HeaderMessages.Refusal(fields, names, [$"--interfaces joins a NetBox interface export on the device name, and the header, read as {profile.Title}, has no device name column"], profile);
                return null;
            }

            notes.Add(ordinals[RegisterCells.Column.MacAddress] >= 0
                ? $"mac_address is read from '{HeaderNames.Shorten(spelled[ordinals[RegisterCells.Column.MacAddress]])}', and from {interfaces.Name} (joined on '{HeaderNames.Shorten(spelled[joinIndex])}') where that is blank"
                : $"mac_address is read from {interfaces.Name}, joined on the device name ('{HeaderNames.Shorten(spelled[joinIndex])}')");
        }

        foreach (var (field, i) in RegisterReader.CsvHeader.Select((f, i) => (f, i)))
        {
            if (ordinals[i] < 0 && HeaderMessages.MissingNote(field, profile, context, joinIndex >= 0) is { } note)
            {
                notes.Add(note);
            }
        }

        context.How = how;
        return new HeaderMap(names, spelled, mapped, RegisterReader.CsvHeader.Select(c => columns[c].ToArray()).ToArray(), profile, context, joinIndex, notes);
    }

    /// <summary>The site-name synonyms from broadest to narrowest, for a header with several (<c>Site</c> before <c>Location</c>).</summary>
    private static readonly string[] SiteNamePreference = ["sitename", "site", "locationname", "location", "building"];

    /// <summary>Device-name columns a spreadsheet without an asset id column is identified by, in order of preference.</summary>
    private static readonly string[] NameColumns = ["asset name", "device name", "camera name", "equipment name", "hostname", "host name", "name"];
}
