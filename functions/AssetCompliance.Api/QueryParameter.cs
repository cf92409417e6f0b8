using System.Text.Json.Nodes;
using AssetCompliance.Core.Events;
using Microsoft.AspNetCore.Http;

namespace AssetCompliance.Api;

/// <summary>
/// A query parameter a route accepts, declared once for the route's checks and for the OpenAPI document.
/// A <see cref="Repeatable"/> parameter is a list: give it once per value (<c>status=NonCompliant&amp;status=NeedsReview</c>,
/// OpenAPI <c>style: form, explode: true</c>); its values are alternatives (OR), and different parameters all apply
/// (AND). A comma never separates values: a site id may contain one. Any other parameter takes exactly one value, and
/// a request that repeats it is refused (400) rather than answered with one of its values.
/// </summary>
/// <param name="Name">The name as it appears in the query string (case-sensitive).</param>
/// <param name="Repeatable">Whether the parameter is a list.</param>
/// <param name="Description">What it does, for the OpenAPI document.</param>
/// <param name="Type">The JSON Schema type of one value: string, integer or boolean.</param>
/// <param name="Values">The values one occurrence may take, when they are a closed set (documented as an enum).</param>
/// <param name="Format">The JSON Schema format of one value (date-time), if any.</param>
public sealed record QueryParameter(string Name, bool Repeatable, string Description, string Type = "string", IReadOnlyList<string>? Values = null, string? Format = null)
{
    /// <summary>A parameter that takes one value.</summary>
    public static QueryParameter One(string name, string description, string type = "string", IReadOnlyList<string>? values = null, string? format = null) =>
        new(name, false, description, type, values, format);

    /// <summary>
    /// A one-value instant, read by <see cref="QueryReader.Instant"/>: documented as <c>format: date-time</c> with the
    /// rule, since a date alone or a time without an offset (which other parsers read in the host's time zone) is refused.
    /// </summary>
    public static QueryParameter Instant(string name, string description) =>
        One(name, $"{description} RFC 3339 with seconds and an offset (Z or ±hh:mm), e.g. 2026-11-20T09:00:00Z or 2026-11-20T10:00:00+01:00; a date alone or a time without an offset answers 400.", format: "date-time");

    /// <summary>A list parameter: repeated once per value, values combined with OR.</summary>
    public static QueryParameter List(string name, string description, IReadOnlyList<string>? values = null) =>
        new(name, true, description + " Repeat the parameter for several values (any of them matches).", "string", values);

    /// <summary>The OpenAPI parameter object: a list is an array of unique values, <c>style: form, explode: true</c>.</summary>
    internal Microsoft.OpenApi.OpenApiParameter ToOpenApi()
    {
        var value = new Microsoft.OpenApi.OpenApiSchema
        {
            Type = Microsoft.OpenApi.OpenApiTypeMapper.ToJsonSchemaType(Type),
            Enum = Values?.Select(v => (JsonNode)JsonValue.Create(v)).ToList(),
            Format = Format,
        };
        return new Microsoft.OpenApi.OpenApiParameter
        {
            Name = Name,
            In = Microsoft.OpenApi.ParameterLocation.Query,
            Required = false,
            Description = Description,
            // form and explode are a query parameter's defaults (the writer leaves them out; OpenApi writes them
            // explicitly on lists); explode means nothing for one value.
            Style = Microsoft.OpenApi.ParameterStyle.Form,
            Explode = true,
            Schema = Repeatable ? new Microsoft.OpenApi.OpenApiSchema { Type = Microsoft.OpenApi.JsonSchemaType.Array, Items = value, UniqueItems = true } : value,
        };
    }
}

/// <summary>
/// Reads a request's query against the parameters its route declares, collecting every problem as a
/// <see cref="ValidationError"/> whose path is the parameter name, so that a route can report them all at once.
/// </summary>
internal sealed class QueryReader(IQueryCollection query, List<ValidationError> errors)
{
    /// <summary>The value of a one-value parameter, or null when it is absent. <see cref="RequestChecks"/> has refused repeats and empty values.</summary>
    public string? One(string name) => query.TryGetValue(name, out var values) && values.Count == 1 ? values[0] : null;

    /// <summary>
    /// A true/false parameter (<see cref="bool.TryParse(string?, out bool)"/>: any case); false when absent, and when
    /// anything else (<c>yes</c>, <c>1</c>) with an error naming the parameter: a flag is never guessed. The one flag
    /// rule of every route.
    /// </summary>
    public bool Flag(string name)
    {
        if (One(name) is not { } text)
        {
            return false;
        }

        if (bool.TryParse(text, out var value))
        {
            return value;
        }

        errors.Add(new ValidationError(name, "must be true or false"));
        return false;
    }

    /// <summary>
    /// The instant of a one-value date-time parameter, read by <see cref="Rfc3339"/> (offset required, never the host's
    /// time zone), in UTC; null when absent, or when unreadable with an error naming the parameter.
    /// </summary>
    public DateTimeOffset? Instant(string name)
    {
        if (One(name) is not { } text)
        {
            return null;
        }

        if (Rfc3339.TryParse(text, out var instant))
        {
            return instant;
        }

        errors.Add(new ValidationError(name, $"'{Shorten(text)}' {Rfc3339.Rule}"));
        return null;
    }

    /// <summary>The distinct values of a list parameter, each parsed by <paramref name="parse"/>; an unreadable value is an error naming it.</summary>
    public IReadOnlyList<T> List<T>(string name, Func<string, T?> parse, string expected) where T : struct
    {
        var parsed = new List<T>();
        foreach (var text in Values(name))
        {
            if (parse(text) is { } value)
            {
                if (!parsed.Contains(value)) parsed.Add(value);
            }
            else
            {
                errors.Add(new ValidationError(name, $"'{Shorten(text)}' {expected}{(text.Contains(',', StringComparison.Ordinal) ? $" (for several values, repeat the parameter: {name}=A&{name}=B)" : "")}"));
            }
        }

        return parsed;
    }

    /// <summary>The distinct values of a list parameter of keys, each checked by <paramref name="error"/> (null when valid).</summary>
    public IReadOnlyList<string> Keys(string name, Func<string, string?> error)
    {
        var keys = new List<string>();
        foreach (var text in Values(name))
        {
            if (error(text) is { } message) errors.Add(new ValidationError(name, $"'{Shorten(text)}' {message}"));
            else if (!keys.Contains(text, StringComparer.Ordinal)) keys.Add(text);
        }

        return keys;
    }

    /// <summary>A closed set of names, matched without regard to case; numbers are refused (an enum's numeric value is not a name).</summary>
    public static T? EnumValue<T>(string text) where T : struct, Enum =>
        !int.TryParse(text, out _) && !text.Contains(',', StringComparison.Ordinal) && Enum.TryParse<T>(text, ignoreCase: true, out var value) && Enum.IsDefined(value) ? value : null;

    private IEnumerable<string> Values(string name) => query.TryGetValue(name, out var values) ? values.OfType<string>() : [];

    private static string Shorten(string text) => text.Length > 64 ? text[..64] + "…" : text;
}
