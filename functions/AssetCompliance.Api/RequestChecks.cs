using Microsoft.AspNetCore.Http;

namespace AssetCompliance.Api;

/// <summary>Checks every route makes before it touches storage: identifiers that are valid keys, no unknown parameters.</summary>
internal static class RequestChecks
{
    public static ApiResult? Identifiers(HttpRequest request, string department, string? assetId, params string[] allowedParameters)
    {
        if (Department(department) is { } departmentProblem)
        {
            return departmentProblem;
        }

        if (assetId is not null && Core.Events.Identifiers.AssetIdError(assetId) is { } assetError)
        {
            return ApiResult.Problem(StatusCodes.Status400BadRequest, "invalid-asset-id", "The asset id is not valid.", $"assetId {assetError}.");
        }

        return UnknownParameters(request, allowedParameters);
    }

    /// <summary>An unknown query parameter is an error, not ignored: a misspelt filter must not silently widen a query.</summary>
    public static ApiResult? UnknownParameters(HttpRequest request, params string[] allowed)
    {
        var unknown = request.Query.Keys.Where(k => !allowed.Contains(k, StringComparer.Ordinal) && k != "code").ToArray();
        return unknown.Length == 0
            ? null
            : ApiResult.Problem(StatusCodes.Status400BadRequest, "unknown-parameter", "The request has query parameters this route does not accept.", $"Unknown: {string.Join(", ", unknown)}.");
    }

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
