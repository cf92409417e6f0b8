using System.Text.Json;

namespace AssetCompliance.Core.Registers;

/// <summary>
/// How a department says its register is read, kept beside the register (<c>--mapping FILE</c>) or given on the
/// command line (<c>--map "Column Name=field"</c>): a profile and column overrides. A mapping file is a small JSON
/// object, every key optional and no other allowed:
/// <code>
/// { "profile": "netbox", "columns": { "Camera site sensitive": "site_sensitive", "Tenant": "ignore" }, "department": "HO" }
/// </code>
/// A field is one of <see cref="RegisterReader.CsvHeader"/>, or <see cref="Ignore"/> to leave a column unread.
/// </summary>
public sealed record RegisterMapping
{
    /// <summary>The field name that leaves a column unread.</summary>
    public const string Ignore = "ignore";

    /// <summary>The profile name, or null to detect it.</summary>
    public string? Profile { get; init; }

    /// <summary>Each column name and the field it is read as, in the order given.</summary>
    public IReadOnlyList<(string Column, string Field)> Columns { get; init; } = [];

    /// <summary>The department code every row with a blank department is read as, or null.</summary>
    public string? Department { get; init; }

    /// <summary>The fields a column may be read as: the documented ones and <see cref="Ignore"/>.</summary>
    public static IReadOnlyList<string> Fields { get; } = [.. RegisterReader.CsvHeader, Ignore];

    /// <summary>
    /// Reads one <c>--map</c> value, <c>Column Name=field</c> (the last '=' separates, so a column name may hold one);
    /// the field may be spelled loosely ("Site Sensitive" is site_sensitive).
    /// </summary>
    /// <returns>The pair, or null with <paramref name="error"/> saying why.</returns>
    public static (string Column, string Field)? ParsePair(string text, out string? error)
    {
        error = null;
        var at = text.LastIndexOf('=');
        if (at <= 0 || at == text.Length - 1 || text[..at].Trim().Length == 0)
        {
            error = $"--map '{text}' is not \"Column Name=field\"";
            return null;
        }

        var column = text[..at].Trim();
        if (FieldNamed(text[(at + 1)..].Trim()) is not { } field)
        {
            error = $"--map '{text}': '{text[(at + 1)..].Trim()}' is not a field (one of {string.Join(", ", Fields)})";
            return null;
        }

        return (column, field);
    }

    /// <summary>The field a name means (compared as <see cref="RegisterColumns.Key"/> compares names), or null.</summary>
    public static string? FieldNamed(string name) => Fields.FirstOrDefault(f => RegisterColumns.Key(f) == RegisterColumns.Key(name) && name.Length > 0);

    /// <summary>
    /// Reads a mapping file's text. Every problem is returned, each naming <paramref name="fileName"/> and the key at
    /// fault ("mapping.json: columns.Tenant: 'tenant_code' is not a field …"); an unknown key is a problem, so that a
    /// misspelt one is not silently ignored.
    /// </summary>
    public static RegisterMapping? Parse(string json, string fileName, out IReadOnlyList<string> errors)
    {
        var problems = new List<string>();
        errors = problems;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            problems.Add($"{fileName}: is not JSON ({e.Message})");
            return null;
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                problems.Add($"{fileName}: must be a JSON object with \"profile\", \"columns\" and \"department\"");
                return null;
            }

            string? profile = null, department = null;
            var columns = new List<(string, string)>();
            foreach (var property in document.RootElement.EnumerateObject())
            {
                switch (property.Name)
                {
                    case "$schema" or "description":
                        break;
                    case "profile" when property.Value.ValueKind == JsonValueKind.String:
                        profile = property.Value.GetString()!;
                        if (RegisterProfiles.Find(profile) is null)
                        {
                            problems.Add($"{fileName}: profile: '{profile}' is not a profile (one of {string.Join(", ", RegisterProfiles.Names)})");
                        }

                        break;
                    case "department" when property.Value.ValueKind == JsonValueKind.String:
                        department = property.Value.GetString()!;
                        if (Events.Identifiers.DepartmentError(department) is { } departmentError)
                        {
                            problems.Add($"{fileName}: department: '{department}' {departmentError}");
                        }

                        break;
                    case "columns" when property.Value.ValueKind == JsonValueKind.Object:
                        foreach (var column in property.Value.EnumerateObject())
                        {
                            if (column.Value.ValueKind != JsonValueKind.String || FieldNamed(column.Value.GetString()!) is not { } field)
                            {
                                problems.Add($"{fileName}: columns.{column.Name}: {(column.Value.ValueKind == JsonValueKind.String ? $"'{column.Value.GetString()}'" : "the value")} is not a field (one of {string.Join(", ", Fields)})");
                                continue;
                            }

                            if (column.Name.Trim().Length == 0)
                            {
                                problems.Add($"{fileName}: columns: a column name is blank");
                                continue;
                            }

                            columns.Add((column.Name.Trim(), field));
                        }

                        break;
                    case "profile" or "department" or "columns":
                        problems.Add($"{fileName}: {property.Name}: must be {(property.Name == "columns" ? "an object of \"Column Name\": \"field\"" : "a string")}");
                        break;
                    default:
                        problems.Add($"{fileName}: {property.Name}: is not a key of a mapping file (profile, columns, department, description)");
                        break;
                }
            }

            return problems.Count > 0 ? null : new RegisterMapping { Profile = profile, Columns = columns, Department = department };
        }
    }
}
