using Microsoft.AspNetCore.Http;

namespace AssetCompliance.Api;

/// <summary>Checks every route makes before it touches storage: identifiers that are valid keys, no unknown parameters.</summary>
internal static class RequestChecks
{
    public static ApiResult? Identifiers(HttpRequest request, string department, string? assetId, params string[] allowedParameters)
    {
        if (Core.Events.Identifiers.DepartmentError(department) is { } departmentError)
        {
            return ApiResult.Problem(StatusCodes.Status400BadRequest, "invalid-department", "The department code is not valid.", $"department {departmentError}.");
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

    public static ApiResult AssetNotFound(string department, string assetId) =>
        ApiResult.Problem(StatusCodes.Status404NotFound, "asset-not-found", "No such asset.", $"Department {department} has no asset '{assetId}'.");
}
