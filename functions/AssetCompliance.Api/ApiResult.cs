using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
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
    private ApiResult(int statusCode, string contentType, object? payload, TimeSpan? retryAfter = null)
    {
        StatusCode = statusCode;
        ContentType = contentType;
        Payload = payload;
        RetryAfter = retryAfter;
    }

    public int StatusCode { get; }
    public string ContentType { get; }
    public object? Payload { get; }

    /// <summary>Sent as a Retry-After header in whole seconds (a 503 says when to try again).</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>Sent as the ETag header (quoted, as given): the entity tag a later <c>If-Match</c> names; null for none.</summary>
    public string? ETag { get; private init; }

    /// <summary>The same result with an <c>ETag</c> header.</summary>
    public ApiResult WithETag(string etag) => new(StatusCode, ContentType, Payload, RetryAfter) { ETag = etag };

    /// <summary>Whether the body is written as it is produced (<see cref="Streamed"/>), after the route returned.</summary>
    internal bool IsStreamed => Payload is StreamedBody;

    public static ApiResult Json(object payload, int statusCode = StatusCodes.Status200OK) => new(statusCode, "application/json; charset=utf-8", payload);

    /// <summary>
    /// A file's bytes as they are (the dashboard's page and assets), with a Content-Security-Policy header, and a
    /// referrer policy that never sends the page's address (it names departments and devices) elsewhere.
    /// </summary>
    public static ApiResult File(string contentType, byte[] content, string contentSecurityPolicy) =>
        new(StatusCodes.Status200OK, contentType, content) { ContentSecurityPolicy = contentSecurityPolicy };

    /// <summary>Sent as the Content-Security-Policy header when set (files only).</summary>
    public string? ContentSecurityPolicy { get; private init; }

    /// <summary>
    /// A body written as it is produced (a CSV export of a whole department), never held in memory. When a
    /// dependency fails while it is written: a 503 problem if nothing was sent yet, else the response is aborted, so
    /// that a client never takes a cut-off body for a whole one.
    /// </summary>
    public static ApiResult Streamed(string contentType, Func<Stream, CancellationToken, Task> write) => new(StatusCodes.Status200OK, contentType, new StreamedBody(write, null));

    /// <summary>
    /// An RFC 9457 problem. <paramref name="kind"/> becomes a stable type URI that clients can switch on;
    /// <paramref name="extensions"/> are further members of the problem object (camelCase names).
    /// </summary>
    public static ApiResult Problem(int statusCode, string kind, string title, string? detail = null, IReadOnlyList<object>? errors = null,
        IReadOnlyDictionary<string, object?>? extensions = null, TimeSpan? retryAfter = null) =>
        new(statusCode, "application/problem+json; charset=utf-8",
            new Problem
            {
                Type = $"https://asset-compliance/problems/{kind}",
                Title = title,
                Status = statusCode,
                Detail = detail,
                Errors = errors,
                Extensions = extensions?.ToDictionary(),
            },
            retryAfter);

    /// <summary>The same streamed result, telling <paramref name="report"/> of a dependency failure while the body is written.</summary>
    internal ApiResult ReportingOutages(Action<DependencyUnavailableException, bool> report) =>
        Payload is StreamedBody streamed ? new(StatusCode, ContentType, streamed with { Report = report }, RetryAfter) : this;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = StatusCode;
        response.ContentType = ContentType;
        response.Headers.CacheControl = "no-store";
        response.Headers["X-Content-Type-Options"] = "nosniff";
        if (RetryAfter is { } retryAfter)
        {
            response.Headers.RetryAfter = Math.Ceiling(retryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        }

        if (ETag is { } etag)
        {
            response.Headers.ETag = etag;
        }

        if (ContentSecurityPolicy is { } policy)
        {
            response.Headers.ContentSecurityPolicy = policy;
            response.Headers["Referrer-Policy"] = "no-referrer";
        }

        if (Payload is byte[] file)
        {
            await response.Body.WriteAsync(file, httpContext.RequestAborted).ConfigureAwait(false);
        }
        else if (Payload is StreamedBody streamed)
        {
            try
            {
                await streamed.Write(response.Body, httpContext.RequestAborted).ConfigureAwait(false);
            }
            catch (DependencyUnavailableException e)
            {
                var started = response.HasStarted;
                streamed.Report?.Invoke(e, started);
                if (started)
                {
                    // The status line went out as 200: only breaking the connection tells the client the body is not whole.
                    httpContext.Abort();
                    return;
                }

                response.Clear();
                await ApiHandler.Unavailable(e, httpContext.Request.Method).ExecuteAsync(httpContext).ConfigureAwait(false);
            }
        }
        else if (Payload is not null)
        {
            await JsonSerializer.SerializeAsync(response.Body, Payload, Payload.GetType(), ComplianceJson.Indented, httpContext.RequestAborted).ConfigureAwait(false);
        }
    }

    public Task ExecuteResultAsync(ActionContext context) => ExecuteAsync(context.HttpContext);

    private sealed record StreamedBody(Func<Stream, CancellationToken, Task> Write, Action<DependencyUnavailableException, bool>? Report);
}
