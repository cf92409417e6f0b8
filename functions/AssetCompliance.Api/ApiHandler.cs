using AssetCompliance.Core.State;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AssetCompliance.Api;

/// <summary>
/// The one path every HTTP route that reaches a dependency takes, in both hosts: the function class and the local
/// run call each route as <c>handler.RunAsync(request, token =&gt; api.Route(…, token))</c>, so what no route decides
/// for itself is decided once. That is outages: a <see cref="DependencyUnavailableException"/> (Table Storage or
/// Service Bus could not be used, after the clients' bounded retries) answers <c>503</c> with an RFC 9457 problem
/// (<c>storage-unavailable</c> or <c>queue-unavailable</c>) and a <c>Retry-After</c> header, and is logged as one
/// warning line without a stack trace. Anything else a route throws is a defect and reaches the host as it is.
/// </summary>
/// <remarks>
/// Routes that use no dependency (the OpenAPI document, the vendor lookup) are synchronous: the function class calls
/// them directly, and the local run, which maps every route of <see cref="RouteTable"/> alike, runs them through here
/// to the same effect. A streamed body (the CSV export) that meets an outage while it is written answers 503 if nothing was sent,
/// else its response is aborted (see <see cref="ApiResult.Streamed"/>).
/// </remarks>
public sealed partial class ApiHandler(ILogger<ApiHandler>? logger = null)
{
    /// <summary>What a 503 tells clients to wait: the clients already retried for several seconds, and outages last longer.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(10);

    private readonly ILogger _logger = (ILogger?)logger ?? NullLogger.Instance;

    /// <summary>Runs one route with the request's abort token; its result, or the 503 problem for an outage.</summary>
    public async Task<ApiResult> RunAsync(HttpRequest request, Func<CancellationToken, Task<ApiResult>> route)
    {
        try
        {
            var result = await route(request.HttpContext.RequestAborted).ConfigureAwait(false);
            return result.IsStreamed
                ? result.ReportingOutages((e, started) =>
                {
                    if (started) StreamCutOff(_logger, request.Method, request.Path.Value ?? "", e.Dependency, e.Reason);
                    else Answered503(_logger, request.Method, request.Path.Value ?? "", e.Dependency, e.Reason);
                })
                : result;
        }
        catch (DependencyUnavailableException e)
        {
            // The path names the route, department and asset; the query is left out (it may hold the function key).
            Answered503(_logger, request.Method, request.Path.Value ?? "", e.Dependency, e.Reason);
            return Unavailable(e, request.Method);
        }
    }

    /// <summary>
    /// The 503 problem for an outage. It never claims more than is known: a read changed nothing; a write may or may
    /// not have been carried out; ingestion through Service Bus lists which events were enqueued, which are
    /// unconfirmed and which were not sent. Retrying is safe: events apply once by their id, an exemption or
    /// revision reset once if it carries a requestId. The reason (hosts, codes) is for the log, not the client.
    /// </summary>
    internal static ApiResult Unavailable(DependencyUnavailableException e, string method)
    {
        if (e is EventsNotEnqueuedException events)
        {
            var total = events.Enqueued.Count + events.Unconfirmed.Count + events.NotSent.Count;
            var detail = events.Enqueued.Count + events.Unconfirmed.Count == 0
                ? $"None of the {total} events was enqueued."
                : $"Of {total} events, {events.Enqueued.Count} were enqueued before Service Bus failed, {events.Unconfirmed.Count} may or may not have been, and {events.NotSent.Count} were not sent.";
            return ApiResult.Problem(StatusCodes.Status503ServiceUnavailable, "queue-unavailable", "Service Bus is unavailable: the events were not all enqueued.",
                detail + " Send the whole request again after the Retry-After delay: events are applied once by their id, so those already enqueued are not applied twice.",
                extensions: new Dictionary<string, object?>
                {
                    ["enqueuedEventIds"] = events.Enqueued,
                    ["unconfirmedEventIds"] = events.Unconfirmed,
                    ["notSentEventIds"] = events.NotSent,
                },
                retryAfter: RetryAfter);
        }

        var queue = e.Dependency == DependencyUnavailableException.ServiceBus;
        var outcome = HttpMethods.IsGet(method) || HttpMethods.IsHead(method)
            ? "Nothing was changed."
            : "The request may or may not have been carried out; sending it again is safe (events apply once by their id, and an exemption or revision reset once if it carries a requestId).";
        return ApiResult.Problem(StatusCodes.Status503ServiceUnavailable, queue ? "queue-unavailable" : "storage-unavailable", $"{e.Dependency} is unavailable.",
            $"{e.Dependency} did not answer or refused the app, so the request was not completed. {outcome} Try again after the Retry-After delay.",
            retryAfter: RetryAfter);
    }

    [LoggerMessage(EventId = 53, Level = LogLevel.Warning, Message = "{Method} {Path}: {Dependency} is unavailable ({Reason}); answered 503")]
    private static partial void Answered503(ILogger logger, string method, string path, string dependency, string reason);

    [LoggerMessage(EventId = 54, Level = LogLevel.Warning, Message = "{Method} {Path}: {Dependency} became unavailable while the body was being sent ({Reason}); the response was aborted")]
    private static partial void StreamCutOff(ILogger logger, string method, string path, string dependency, string reason);
}
