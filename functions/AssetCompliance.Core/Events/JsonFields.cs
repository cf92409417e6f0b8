using System.Text.Json;

namespace AssetCompliance.Core.Events;

/// <summary>
/// The contract's rules for one string property of a JSON object, each problem added to the caller's list with its
/// JSON path (<c>at.name</c>): required (present, a string, not empty), optional (absent or null is unknown; empty
/// refused unless it means absent) and free text (bounded to <see cref="AssetEventParser.MaxTextLength"/>, then trimmed).
/// </summary>
internal static class JsonFields
{
    /// <summary>A required string: absent, null, not a string or empty is an error and null.</summary>
    public static string? RequiredString(JsonElement parent, string name, string at, List<ValidationError> errors)
    {
        if (!parent.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            errors.Add(new($"{at}.{name}", "is required"));
            return null;
        }

        if (element.ValueKind != JsonValueKind.String)
        {
            errors.Add(new($"{at}.{name}", "must be a string"));
            return null;
        }

        var value = element.GetString()!;
        if (value.Length == 0)
        {
            errors.Add(new($"{at}.{name}", "must not be empty"));
            return null;
        }

        return value;
    }

    /// <summary>
    /// An optional string: absent or null is null. Empty is an error unless <paramref name="emptyIsAbsent"/> (free
    /// text, where a register's blank cell means unknown): the schema refuses "" for enumerations, dates and the
    /// CloudEvents attributes, and the parser must never take what the schema refuses.
    /// </summary>
    public static string? OptionalString(JsonElement parent, string name, string at, List<ValidationError> errors, bool emptyIsAbsent = false)
    {
        if (!parent.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (element.ValueKind != JsonValueKind.String)
        {
            errors.Add(new($"{at}.{name}", "must be a string"));
            return null;
        }

        var value = element.GetString()!;
        if (value.Length == 0 && !emptyIsAbsent)
        {
            errors.Add(new($"{at}.{name}", "must not be empty (omit it, or give null, when unknown)"));
        }

        return value.Length == 0 ? null : value;
    }

    /// <summary>
    /// Free text from the register, bounded so that one row cannot bloat storage: the bound is checked on the value as
    /// sent, white space included (the schema's <c>maxLength</c>), and only then is the value trimmed, of
    /// <paramref name="trim"/> when given, else of any white space; empty, or white space alone, means absent.
    /// </summary>
    public static string? OptionalText(JsonElement parent, string name, string at, List<ValidationError> errors, string? trim = null)
    {
        var sent = OptionalString(parent, name, at, errors, emptyIsAbsent: true);
        if (sent is null)
        {
            return null;
        }

        if (sent.Length > AssetEventParser.MaxTextLength)
        {
            errors.Add(new($"{at}.{name}", $"must be at most {AssetEventParser.MaxTextLength} characters, white space included"));
            return null;
        }

        var value = trim is null ? sent.Trim() : sent.Trim(trim.ToCharArray());
        return value.Length == 0 ? null : value;
    }
}
