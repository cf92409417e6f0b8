using System.Text.Json;
using AssetCompliance.Core.Events;
using AssetCompliance.Core.State;
using Microsoft.AspNetCore.Http;

namespace AssetCompliance.Api;

/// <summary>
/// The small JSON request bodies (an exemption, a revision reset): read strictly into their type, or a problem.
/// </summary>
internal static class JsonRequestBody
{
    /// <summary>The largest small body accepted (bytes).</summary>
    public const int MaxBodyBytes = 64 * 1024;

    /// <summary>
    /// How request bodies are read: the stored model's names and converters, but nothing left to guess. A name given
    /// twice is refused (which one would count?), and nesting is bounded; unknown names are refused by
    /// <see cref="ReadAsync"/> with their path (a misspelt <c>requestId</c> must not silently lose idempotency).
    /// </summary>
    private static readonly JsonDocumentOptions RequestDocument = new() { AllowDuplicateProperties = false, MaxDepth = 16 };

    private static readonly JsonSerializerOptions RequestJson = new(ComplianceJson.Options) { AllowDuplicateProperties = false, MaxDepth = 16 };

    /// <summary>
    /// A small JSON request body, validated: the body, or a problem. 413 past the limit; 400 <c>invalid-body</c> when
    /// it is not JSON (or repeats a name); 400 <paramref name="invalidKind"/> when a field is unknown, of the wrong
    /// type, not valid Unicode (a lone surrogate escape, invalid UTF-8) or breaks a rule (an <c>expiresAt</c> without
    /// an offset), with every error and its JSON path. A leading byte-order mark is skipped. Never a 500.
    /// </summary>
    public static async Task<(ApiResult? Problem, T? Body)> ReadAsync<T>(
        HttpRequest request, string what, string invalidKind, Func<T, IReadOnlyList<ValidationError>> validate, CancellationToken cancellationToken)
        where T : class
    {
        if (await RequestChecks.ReadBodyAsync(request, MaxBodyBytes, cancellationToken).ConfigureAwait(false) is not { } bytes)
        {
            return (ApiResult.Problem(StatusCodes.Status413PayloadTooLarge, "body-too-large", $"The body must be at most {MaxBodyBytes} bytes."), null);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(AssetEventParser.WithoutByteOrderMark(bytes), RequestDocument);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // Not JSON, a name given twice, or (when names are compared for repeats) a name that is not valid Unicode.
            var message = e is InvalidOperationException ? "A field name is not valid Unicode text (a lone surrogate or invalid UTF-8)." : e.Message;
            return (ApiResult.Problem(StatusCodes.Status400BadRequest, "invalid-body", $"The body is not a valid {what}.", message,
                [new ValidationError("$", message)]), null);
        }

        using (document)
        {
            var errors = new List<ValidationError>();
            T? body = null;
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                errors.Add(new ValidationError("$", "a JSON object is required"));
            }
            else
            {
                var fields = RequestJson.GetTypeInfo(typeof(T)).Properties.Select(p => p.Name).ToArray();
                foreach (var property in document.RootElement.EnumerateObject())
                {
                    if (UnicodeName(property) is not { } name)
                    {
                        errors.Add(new ValidationError("$", "has a field name that is not valid Unicode text"));
                    }
                    else if (!fields.Contains(name, StringComparer.OrdinalIgnoreCase))
                    {
                        errors.Add(new ValidationError($"$.{name}", $"is not a field of the {what} ({string.Join(", ", fields)})"));
                    }
                }

                try
                {
                    body = document.Deserialize<T>(RequestJson);
                }
                catch (JsonException e)
                {
                    errors.Add(new ValidationError(e.Path is { Length: > 0 } path ? path : "$", e.InnerException is InvalidOperationException
                        ? "is not valid Unicode text (a lone surrogate or invalid UTF-8)"
                        : e.Message.Contains(" Path: ", StringComparison.Ordinal) ? "has the wrong JSON type for this field" : e.Message));
                }
            }

            if (body is not null)
            {
                errors.AddRange(validate(body));
            }

            // Every problem at once, each with the JSON path of its field.
            return errors.Count > 0
                ? (ApiResult.Problem(StatusCodes.Status400BadRequest, invalidKind, $"The {what} is not valid.", errors: errors.Cast<object>().ToArray()), null)
                : (null, body);
        }
    }

    private static string? UnicodeName(JsonProperty property)
    {
        try
        {
            return property.Name;
        }
        catch (InvalidOperationException)
        {
            return null; // a lone surrogate escape or invalid UTF-8 in the name
        }
    }
}
