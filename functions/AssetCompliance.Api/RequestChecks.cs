using Microsoft.AspNetCore.Http;

namespace AssetCompliance.Api;

/// <summary>Checks every route makes before it touches storage: identifiers that are valid keys, no unknown parameters.</summary>
internal static class RequestChecks
{
    public static ApiResult? Identifiers(HttpRequest request, string department, string? assetId, params QueryParameter[] allowedParameters)
    {
        if (Department(department) is { } departmentProblem)
        {
            return departmentProblem;
        }

        if (assetId is not null && Core.Events.Identifiers.AssetIdError(assetId) is { } assetError)
        {
            return ApiResult.Problem(StatusCodes.Status400BadRequest, "invalid-asset-id", "The asset id is not valid.", $"assetId {assetError}.");
        }

        return Parameters(request, allowedParameters);
    }

    /// <summary>
    /// The query's shape, before any value is read: an unknown parameter is an error, not ignored (a misspelt filter
    /// must not silently widen a query); a one-value parameter given twice is an error, not one of its values; an
    /// empty value is an error, not "no filter". <c>code</c> (the Functions key) is the host's and always allowed.
    /// </summary>
    public static ApiResult? Parameters(HttpRequest request, params QueryParameter[] allowed)
    {
        var unknown = request.Query.Keys.Where(k => k != FunctionKeyParameter && !allowed.Any(p => p.Name == k)).ToArray();
        if (unknown.Length > 0)
        {
            return ApiResult.Problem(StatusCodes.Status400BadRequest, "unknown-parameter", "The request has query parameters this route does not accept.", $"Unknown: {string.Join(", ", unknown)}.");
        }

        var errors = new List<Core.Events.ValidationError>();
        foreach (var parameter in allowed)
        {
            var values = request.Query[parameter.Name];
            if (values.Count > 1 && !parameter.Repeatable)
            {
                errors.Add(new Core.Events.ValidationError(parameter.Name, $"takes one value, and was given {values.Count} times"));
            }
            else if (values.Any(string.IsNullOrEmpty))
            {
                errors.Add(new Core.Events.ValidationError(parameter.Name, "has an empty value (leave the parameter out for no filter)"));
            }
        }

        return errors.Count == 0 ? null : InvalidQuery(errors);
    }

    /// <summary>400 with every problem of the query: in <c>errors</c> (path = parameter name) and, for people, in the detail.</summary>
    public static ApiResult InvalidQuery(IReadOnlyList<Core.Events.ValidationError> errors) =>
        ApiResult.Problem(StatusCodes.Status400BadRequest, "invalid-parameter", "The query is not valid.", string.Join(" ", errors.Select(e => $"{e.Path} {e.Message}.")), [.. errors]);

    /// <summary>The function key a caller may send in the query; the Functions host reads it, and every route allows it.</summary>
    private const string FunctionKeyParameter = "code";

    /// <summary>
    /// The request body, or null when it is longer than <paramref name="maxBytes"/>. Reads at most the limit plus one
    /// byte, so a body sent without Content-Length (chunked) is refused the same way as one that declares its size.
    /// </summary>
    public static async Task<byte[]?> ReadBodyAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > maxBytes)
            {
                return null;
            }
        }

        return buffer.ToArray();
    }

    /// <summary>An optional <c>?department=</c> filter: valid when absent or a valid department code.</summary>
    public static ApiResult? OptionalDepartment(string department) => department.Length == 0 ? null : Department(department);

    private static ApiResult? Department(string department) =>
        Core.Events.Identifiers.DepartmentError(department) is { } error
            ? ApiResult.Problem(StatusCodes.Status400BadRequest, "invalid-department", "The department code is not valid.", $"department {error}.")
            : null;

    public static ApiResult AssetNotFound(string department, string assetId) =>
        ApiResult.Problem(StatusCodes.Status404NotFound, "asset-not-found", "No such asset.", $"Department {department} has no asset '{assetId}'.");
}
