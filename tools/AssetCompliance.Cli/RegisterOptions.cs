using System.CommandLine;
using AssetCompliance.Core.Registers;

namespace AssetCompliance.Cli;

/// <summary>
/// The options that say how to read a register file, shared by <c>check</c> and <c>push</c> so both read a file the
/// same way: each overrides what is otherwise detected from the file.
/// </summary>
internal sealed class RegisterOptions
{
    private readonly Option<string?> _delimiter = new("--delimiter")
    {
        Description = "The CSV field delimiter: comma, semicolon or tab. Default: detected from the header and the first rows; a file two delimiters read equally well is refused.",
    };

    private readonly Option<string?> _encoding = new("--encoding")
    {
        Description = "The file's encoding: utf-8, utf-16 (utf-16le, utf-16be) or windows-1252. Default: a byte-order mark, else UTF-8 when the whole file is valid UTF-8, else Windows-1252 when its other bytes all are; a file that is neither is refused.",
    };

    private readonly Option<string?> _sheet = new("--sheet")
    {
        Description = "The sheet of an .xlsx workbook to read (by name, any case). Default: the first sheet with a register header in its first 20 rows; a later sheet that holds a register too is reported as not read.",
    };

    private readonly Option<string?> _profile = new("--profile")
    {
        Description = $"Read the file as this kind of export: {string.Join(", ", RegisterProfiles.Names)}. Default: detected from the header (a header two profiles fit equally is refused); a header that does not fit the profile given is refused.",
    };

    private readonly Option<string[]> _map = new("--map")
    {
        Description = $"\"Column Name=field\": read that column as a field, whatever the profile says (repeatable). Fields: {string.Join(", ", RegisterMapping.Fields)} ({RegisterMapping.Ignore} leaves a column unread).",
        AllowMultipleArgumentsPerToken = false,
    };

    private readonly Option<string?> _mapping = new("--mapping")
    {
        Description = "A JSON file kept with the register: {\"profile\": \"netbox\", \"columns\": {\"Column Name\": \"field\"}, \"department\": \"HO\"}. --profile, --map and --department override it.",
    };

    private readonly Option<string?> _interfaces = new("--interfaces")
    {
        Description = "A NetBox interface (or 4.2+ MAC address) CSV export whose MACs are joined to the devices of a NetBox device export by device name; or a ServiceNow cmdb_ci_network_adapter export, joined to a CMDB export by CI name.",
    };

    private readonly Option<string?> _department = new("--department")
    {
        Description = "The department code of rows whose department is missing or blank; a row naming another department is warned.",
    };

    private Option<string>? _pushDepartment;

    /// <summary>The fields, profiles and an example per profile, for a command's help (the README says the same at more length).</summary>
    public static string Help { get; } = $"""
        Fields (any order, case, spaces or '_'; usual other names such as 'Asset Tag', 'Serial No.', 'MAC Address', 'Make' too):
          {string.Join(", ", RegisterReader.CsvHeader)}. Only an asset id column is required; a field with no column is unknown
          for every device (said once; never compliant, never 'not sensitive').
        Profiles (detected from the header and printed as 'read as ...', or chosen with --profile NAME):
          netbox       NetBox device export, table view or "All data"; MACs from --interfaces (interface or MAC address export)
                         compliance check netbox-devices.csv --interfaces netbox-interfaces.csv
          servicenow   ServiceNow cmdb_ci / cmdb_ci_hardware list export, field names or labels; install_status 1-8, 100
                         compliance check cmdb_ci_hardware.csv
          snipeit      Snipe-IT custom asset report (BOM, backtick-escaped cells; MAC from a custom field)
                         compliance check snipeit-assets.csv
          lansweeper   Lansweeper asset export (AssetName, AssetType, Mac, State, ...)
                         compliance check lansweeper-assets.csv
          defender     Microsoft Defender for Endpoint device inventory export (no sites: map one, e.g. a tag)
                         compliance check defender-devices.csv --map "Tags=site_sensitive"
          spreadsheet  our fields in any order and spelling (a contractor's or estates team's sheet, CSV or .xlsx)
                         compliance check cameras.xlsx --department HO
        """;

    public RegisterOptions()
    {
        _delimiter.AcceptOnlyFromAmong("comma", "semicolon", "tab", ",", ";");
        _encoding.AcceptOnlyFromAmong(RegisterEncoding.Names);
    }

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    /// <remarks>
    /// A command with its own <c>--department</c> (push, where it is required) passes it as
    /// <paramref name="department"/>: it then also fills blank departments, and no second option is added.
    /// </remarks>
    public void AddTo(Command command, Option<string>? department = null)
    {
        command.Options.Add(_delimiter);
        command.Options.Add(_encoding);
        command.Options.Add(_sheet);
        command.Options.Add(_profile);
        command.Options.Add(_map);
        command.Options.Add(_mapping);
        command.Options.Add(_interfaces);
        _pushDepartment = department;
        if (department is null)
        {
            command.Options.Add(_department);
        }
    }

    /// <summary>The reading options a command line gives, or null after writing every problem to <paramref name="errors"/> (then exit 1).</summary>
    public RegisterReadOptions? Read(ParseResult parse, TextWriter errors)
    {
        var options = Build(new RegisterReadOptions
        {
            Delimiter = parse.GetValue(_delimiter) is { } delimiter ? CsvDelimiter.Parse(delimiter) : null,
            Encoding = parse.GetValue(_encoding),
            Sheet = parse.GetValue(_sheet),
        }, parse.GetValue(_profile), parse.GetValue(_map) ?? [], parse.GetValue(_mapping), parse.GetValue(_interfaces),
            _pushDepartment is { } d ? parse.GetValue(d) : parse.GetValue(_department), out var problems);
        foreach (var problem in problems)
        {
            errors.WriteLine(TerminalText.Safe($"error: {problem}"));
        }

        return options;
    }

    /// <summary>
    /// <paramref name="basis"/> with the profile, column map, department and interface join of the command line and
    /// a mapping file (whose profile, columns and department the command line's override), or null with every problem.
    /// </summary>
    public static RegisterReadOptions? Build(RegisterReadOptions basis, string? profile, IReadOnlyList<string> maps, string? mappingPath, string? interfacesPath, string? department, out IReadOnlyList<string> problems)
    {
        var errors = new List<string>();
        problems = errors;
        RegisterMapping? mapping = null;
        if (mappingPath is not null)
        {
            string? json = null;
            try
            {
                json = File.ReadAllText(mappingPath);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                errors.Add($"--mapping {mappingPath}: cannot be read ({e.Message})");
            }

            if (json is not null)
            {
                mapping = RegisterMapping.Parse(json, Path.GetFileName(mappingPath), out var mappingErrors);
                errors.AddRange(mappingErrors);
            }
        }

        if (profile is not null && RegisterProfiles.Find(profile) is null)
        {
            errors.Add($"--profile '{profile}' is not a profile (one of {string.Join(", ", RegisterProfiles.Names)})");
        }

        if (department is not null && Core.Events.Identifiers.DepartmentError(department) is { } departmentError)
        {
            errors.Add($"--department '{department}' {departmentError}");
        }

        var columns = new List<(string Column, string Field)>(mapping?.Columns ?? []);
        foreach (var map in maps)
        {
            if (RegisterMapping.ParsePair(map, out var mapError) is { } pair)
            {
                // The command line overrides the file's word on the same column.
                columns.RemoveAll(c => Core.Registers.RegisterColumns.Key(c.Column) == Core.Registers.RegisterColumns.Key(pair.Column));
                columns.Add(pair);
            }
            else
            {
                errors.Add(mapError!);
            }
        }

        NetBoxInterfaces? interfaces = null;
        if (interfacesPath is not null)
        {
            try
            {
                using var stream = File.OpenRead(interfacesPath);
                interfaces = NetBoxInterfaces.Read(stream, Path.GetFileName(interfacesPath), out var interfacesError);
                if (interfacesError is not null)
                {
                    errors.Add($"--interfaces {interfacesError}");
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                errors.Add($"--interfaces {interfacesPath}: cannot be read ({e.Message})");
            }
        }

        if (errors.Count > 0)
        {
            return null;
        }

        var mappingName = mappingPath is null ? null : Path.GetFileName(mappingPath);
        return basis with
        {
            Profile = profile ?? mapping?.Profile,
            ProfileSource = profile is null && mapping?.Profile is not null ? mappingName : null,
            Columns = columns.Count > 0 ? columns : null,
            ColumnsSource = maps.Count == 0 && mappingName is not null ? mappingName : maps.Count > 0 && mappingName is not null ? $"--map or {mappingName}" : null,
            Department = department ?? mapping?.Department,
            Interfaces = interfaces,
        };
    }
}
