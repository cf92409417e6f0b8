using System.Net.Sockets;
using AssetCompliance.Core.Processing;
using AssetCompliance.Core.State;
using Azure;
using Azure.Identity;
using Azure.Messaging.ServiceBus;

namespace AssetCompliance.Azure.ServiceBus;

/// <summary>
/// Sends validated events to the <c>asset-events</c> queue with an identity-based connection. The CloudEvent id is
/// the message id, so the queue's duplicate detection drops a resent event within its window and the processor's
/// repeat detection (a fingerprint of every event applied, kept on the record) catches anything later.
/// </summary>
/// <remarks>
/// Every batch is built before the first is sent, so an event too large for a message refuses the whole request with
/// nothing sent. Batches then go in order; when Service Bus fails (after the client's retries), the publisher throws
/// <see cref="EventsNotEnqueuedException"/> saying which events were confirmed, which were in the failed send and
/// which were never sent, so that the caller can say exactly that, and retrying the whole request is safe.
/// </remarks>
public sealed class ServiceBusEventPublisher(ServiceBusSender sender) : IAssetEventPublisher
{
    public const string QueueName = "asset-events";

    /// <summary>
    /// The department's own topic (infra/modules/departments.bicep): the one entity its senders may send to, whose
    /// subscription stamps the department and forwards to <see cref="QueueName"/>.
    /// </summary>
    public static string DepartmentTopic(string department) => $"{QueueName}-{department.ToLowerInvariant()}";

    /// <summary>
    /// The HTTP ingestion client's retries, bounded so that an outage answers well inside App Service's 230 s request
    /// timeout: 3 retries, exponential from 0.8 s and at most 5 s apart, each try at most 15 s (the SDK's default is
    /// 60 s a try, four minutes in all).
    /// </summary>
    public static ServiceBusClientOptions ClientOptions() => new()
    {
        RetryOptions = new ServiceBusRetryOptions
        {
            Mode = ServiceBusRetryMode.Exponential,
            MaxRetries = 3,
            Delay = TimeSpan.FromSeconds(0.8),
            MaxDelay = TimeSpan.FromSeconds(5),
            TryTimeout = TimeSpan.FromSeconds(15),
        },
    };

    public async Task PublishAsync(IReadOnlyList<OutgoingEvent> events, CancellationToken cancellationToken)
    {
        var batches = new List<(ServiceBusMessageBatch Batch, string[] Ids)>();
        try
        {
            try
            {
                await FillBatchesAsync(events, batches, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (IsOutage(e, cancellationToken))
            {
                throw new EventsNotEnqueuedException(Describe(e), [], [], [.. events.Select(x => x.EventId)], e);
            }

            for (var i = 0; i < batches.Count; i++)
            {
                try
                {
                    await sender.SendMessagesAsync(batches[i].Batch, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (IsOutage(e, cancellationToken))
                {
                    throw new EventsNotEnqueuedException(Describe(e),
                        [.. batches.Take(i).SelectMany(b => b.Ids)], batches[i].Ids, [.. batches.Skip(i + 1).SelectMany(b => b.Ids)], e);
                }
            }
        }
        finally
        {
            foreach (var (batch, _) in batches)
            {
                batch.Dispose();
            }
        }
    }

    private async Task FillBatchesAsync(IReadOnlyList<OutgoingEvent> events, List<(ServiceBusMessageBatch Batch, string[] Ids)> batches, CancellationToken cancellationToken)
    {
        var next = 0;
        while (next < events.Count)
        {
            var batch = await sender.CreateMessageBatchAsync(cancellationToken).ConfigureAwait(false);
            var first = next;
            while (next < events.Count && batch.TryAddMessage(ToMessage(events[next])))
            {
                next++;
            }

            batches.Add((batch, [.. events.Skip(first).Take(next - first).Select(e => e.EventId)]));
            if (next == first)
            {
                throw new EventTooLargeException(events[next].EventId, next, events[next].Body.Length);
            }
        }
    }

    /// <summary>
    /// Failures of Service Bus or the way to it, after the client's retries: the broker's own (busy, timeout, quota,
    /// entity missing), the identity's (no token, no rights) and the network's. Not the caller's cancellation, and not
    /// an event too large for a message (the publisher's own refusal, before anything is sent).
    /// </summary>
    private static bool IsOutage(Exception e, CancellationToken cancellationToken) => e switch
    {
        OperationCanceledException => !cancellationToken.IsCancellationRequested,
        ServiceBusException or RequestFailedException or AuthenticationFailedException or UnauthorizedAccessException or
            SocketException or IOException or TimeoutException or HttpRequestException => true,
        _ => false,
    };

    /// <summary>One line for logs and problem details: the broker's reason, else the kind of failure; never a connection string or token.</summary>
    private static string Describe(Exception e)
    {
        var message = e.Message.ReplaceLineEndings(" ");
        return e switch
        {
            ServiceBusException bus => $"Service Bus failed ({bus.Reason})",
            UnauthorizedAccessException => "Service Bus refused the app's identity",
            AuthenticationFailedException => "no token for the app's identity",
            OperationCanceledException or TimeoutException => "no answer from Service Bus in time",
            _ => $"{e.GetType().Name}: {(message.Length > 200 ? message[..200] + "…" : message)}",
        };
    }

    /// <summary>
    /// The message id of an event: <c>{department}/{event id}</c>, or, when that is longer than Service Bus's 128
    /// characters, <c>sha256:</c> and the hex of its SHA-256. Event ids are unique within a department only (two
    /// departments may both send <c>evt-1</c>), so a message id of the event id alone would let a queue that detects
    /// duplicates drop one department's event as a repeat of another's; a resend of the same event keeps its id.
    /// </summary>
    internal static string MessageIdOf(OutgoingEvent outgoing)
    {
        var id = $"{outgoing.Department}/{outgoing.EventId}";
        return id.Length <= 128 ? id : "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(id)));
    }

    internal static ServiceBusMessage ToMessage(OutgoingEvent outgoing) => new(outgoing.Body)
    {
        MessageId = MessageIdOf(outgoing),
        ContentType = "application/cloudevents+json; charset=utf-8",
        Subject = outgoing.Department,
        // The department the app's route authenticated (never the body's): the processor applies only that
        // department's events. Department senders reach this queue only through their own topic, whose rule
        // overwrites the property (docs/security.md).
        ApplicationProperties = { ["department"] = outgoing.Department, [SenderVouch.PropertyName] = outgoing.Department },
    };
}
