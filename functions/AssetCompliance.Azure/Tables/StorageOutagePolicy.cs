using AssetCompliance.Core.State;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace AssetCompliance.Azure.Tables;

/// <summary>
/// The outermost step of every Table Storage call of the data client (<see cref="TableStorageOptions.DataClientOptions"/>):
/// when the call could not be carried out, after the retry policy inside it gave up, it throws
/// <see cref="DependencyUnavailableException"/> instead of the SDK's exception. An outage is any failure to get an
/// answer (refused connection, DNS, TLS, network timeout, a credential that yields no token) or an answer that says
/// the service cannot serve now or will not serve this identity (401, 403, 408, 429, 500, 502, 503, 504). Every other
/// answer (404, 409, 412, a 400 for a bad request) goes back to the caller as the SDK returns it: those are outcomes
/// the store handles, or defects, not outages.
/// </summary>
/// <remarks>
/// One place for the whole store instead of a try/catch around each of its SDK calls; the caller's own cancellation
/// is never turned into an outage.
/// </remarks>
internal sealed class StorageOutagePolicy : HttpPipelinePolicy
{
    private static readonly int[] OutageStatuses = [401, 403, 408, 429, 500, 502, 503, 504];

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        try
        {
            await ProcessNextAsync(message, pipeline).ConfigureAwait(false);
        }
        catch (Exception e) when (!CallerCancelled(e, message))
        {
            throw new DependencyUnavailableException(DependencyUnavailableException.TableStorage, Describe(e), e);
        }

        ThrowIfOutage(message);
    }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        try
        {
            ProcessNext(message, pipeline);
        }
        catch (Exception e) when (!CallerCancelled(e, message))
        {
            throw new DependencyUnavailableException(DependencyUnavailableException.TableStorage, Describe(e), e);
        }

        ThrowIfOutage(message);
    }

    private static bool CallerCancelled(Exception e, HttpMessage message) => e is OperationCanceledException && message.CancellationToken.IsCancellationRequested;

    private static void ThrowIfOutage(HttpMessage message)
    {
        if (message.HasResponse && OutageStatuses.Contains(message.Response.Status))
        {
            var code = message.Response.Headers.TryGetValue("x-ms-error-code", out var errorCode) ? " " + errorCode : "";
            throw new DependencyUnavailableException(DependencyUnavailableException.TableStorage, $"storage answered {message.Response.Status}{code}");
        }
    }

    /// <summary>
    /// One short line for logs and problem details: the status of an answer, else the innermost cause (a refused
    /// connection, a timeout). Never headers, URIs (a SAS would be in one) or tokens.
    /// </summary>
    internal static string Describe(Exception e)
    {
        while (e is AggregateException { InnerExceptions.Count: > 0 } aggregate)
        {
            e = aggregate.InnerExceptions[^1]; // the retry policy's last attempt
        }

        if (e is RequestFailedException { Status: > 0 } failed)
        {
            return $"storage answered {failed.Status}{(failed.ErrorCode is { } code ? " " + code : "")}";
        }

        while (e.InnerException is { } inner)
        {
            e = inner;
        }

        if (e is OperationCanceledException)
        {
            return "no answer within the network timeout";
        }

        var message = e.Message.ReplaceLineEndings(" ");
        return $"{e.GetType().Name}: {(message.Length > 200 ? message[..200] + "…" : message)}";
    }
}
