using System.Text.Json;
using AssetCompliance.Core.State;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace AssetCompliance.Api;

/// <summary>
/// A response from a route handler. It is both an ASP.NET Core <see cref="IResult"/> (the local run's minimal API)
/// and an MVC <see cref="IActionResult"/> (the Functions ASP.NET Core integration), so that both hosts write exactly
/// the same bytes without either one needing the other's services.
/// </summary>
public sealed class ApiResult : IResult, IActionResult
{
    private ApiResult(int statusCode, string contentType, object? payload)
    {
        StatusCode = statusCode;
        ContentType = contentType;
        Payload = payload;
    }

    public int StatusCode { get; }
    public string ContentType { get; }
    public object? Payload { get; }

    public static ApiResult Json(object payload, int statusCode = StatusCodes.Status200OK) => new(statusCode, "application/json; charset=utf-8", payload);

    /// <summary>A body written as it is produced (a CSV export of a whole department), never held in memory.</summary>
    public static ApiResult Streamed(string contentType, Func<Stream, CancellationToken, Task> write) => new(StatusCodes.Status200OK, contentType, new StreamedBody(write));

    /// <summary>An RFC 9457 problem. <paramref name="kind"/> becomes a stable type URI that clients can switch on.</summary>
    public static ApiResult Problem(int statusCode, string kind, string title, string? detail = null, IReadOnlyList<object>? errors = null) =>
        new(statusCode, "application/problem+json; charset=utf-8", new ProblemBody($"https://asset-compliance/problems/{kind}", title, statusCode, detail, errors));

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = StatusCode;
        response.ContentType = ContentType;
        response.Headers.CacheControl = "no-store";
        response.Headers["X-Content-Type-Options"] = "nosniff";
        if (Payload is StreamedBody streamed)
        {
            await streamed.Write(response.Body, httpContext.RequestAborted).ConfigureAwait(false);
        }
        else if (Payload is not null)
        {
            await JsonSerializer.SerializeAsync(response.Body, Payload, Payload.GetType(), ComplianceJson.Indented, httpContext.RequestAborted).ConfigureAwait(false);
        }
    }

    public Task ExecuteResultAsync(ActionContext context) => ExecuteAsync(context.HttpContext);

    private sealed record StreamedBody(Func<Stream, CancellationToken, Task> Write);

    private sealed record ProblemBody(string Type, string Title, int Status, string? Detail, IReadOnlyList<object>? Errors);
}
