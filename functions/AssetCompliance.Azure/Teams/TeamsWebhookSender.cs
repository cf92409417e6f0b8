using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using AssetCompliance.Core.Alerting;

namespace AssetCompliance.Azure.Teams;

/// <summary>How hard the sender tries within one post, and how fast it may post to one webhook.</summary>
public sealed record TeamsSenderSettings
{
    /// <summary>Minimum time between two posts to the same webhook (default: at most one per second).</summary>
    public TimeSpan MinInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Attempts per post for 408, 429, 5xx and network errors before the dispatcher's slower retry takes over.</summary>
    public int MaxAttempts { get; init; } = 4;

    public TimeSpan RetryBase { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>A Retry-After longer than this is not waited for in-process; the dispatcher retries later.</summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromSeconds(60);
}

/// <summary>
/// Posts cards to Teams Workflows webhooks. Any 2xx (the webhook answers 202) is accepted; 408, 429 and 5xx are
/// retried with exponential backoff and jitter, honouring Retry-After (with <see cref="SendEffort.Full"/>; with
/// <see cref="SendEffort.Once"/> there is one attempt and its Retry-After is returned for the dispatcher to keep);
/// 413 and other 4xx are returned for the dispatcher
/// to split or fail (<see cref="Classify"/>). Cancelled while waiting for the webhook's rate limit before its first
/// request, it throws <see cref="PostNotStartedException"/>: that post is known not to have arrived. Every post carries its body as bytes with a <c>Content-Length</c>, never
/// chunked: a receiver or proxy that requires a length (411) would otherwise refuse every card, and no retry could help.
/// Webhook URLs carry a credential (<c>sig</c>): they are never logged or returned, only the target's name, and
/// response text is redacted before it is stored.
/// </summary>
public sealed partial class TeamsWebhookSender(HttpClient http, TeamsSenderSettings settings, TimeProvider time) : IAlertSender
{
    private readonly ConcurrentDictionary<string, RateGate> _gates = new(StringComparer.Ordinal);

    public async Task<DeliveryResult> SendAsync(AlertTarget target, TeamsMessage message, SendEffort effort, CancellationToken cancellationToken)
    {
        var gate = _gates.GetOrAdd(target.Webhook.AbsoluteUri, _ => new RateGate());
        // Serialised once: every attempt posts the same bytes, and their count is the Content-Length.
        var body = JsonSerializer.SerializeToUtf8Bytes(message, AlertCardBuilder.Json);
        DeliveryResult last = new(DeliveryStatus.RetryLater, Detail: "not attempted");
        var attempts = effort == SendEffort.Once ? 1 : settings.MaxAttempts;
        for (var attempt = 1; attempt <= attempts; attempt++)
        {
            try
            {
                await gate.WaitTurnAsync(settings.MinInterval, time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (attempt == 1 && cancellationToken.IsCancellationRequested)
            {
                // Cut while queued behind other posts to this webhook: no request of this post has left.
                throw new PostNotStartedException(cancellationToken);
            }

            TimeSpan? retryAfter = null;
            try
            {
                using var content = new ByteArrayContent(body);
                content.Headers.ContentType = JsonContentType;
                using var response = await http.PostAsync(target.Webhook, content, cancellationToken).ConfigureAwait(false);
                var code = (int)response.StatusCode;
                var status = Classify(response.StatusCode);
                if (status == DeliveryStatus.Accepted)
                {
                    return new DeliveryResult(status, code);
                }

                var detail = Redact(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
                if (status != DeliveryStatus.RetryLater)
                {
                    return new DeliveryResult(status, code, detail);
                }

                retryAfter = RetryAfter(response);
                last = new DeliveryResult(status, code, detail, retryAfter);
            }
            catch (HttpRequestException e)
            {
                last = new DeliveryResult(DeliveryStatus.RetryLater, null, Redact(e.Message));
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                last = new DeliveryResult(DeliveryStatus.RetryLater, null, "timed out");
            }

            if (attempt == attempts || retryAfter > settings.MaxRetryAfter)
            {
                break;
            }

            var backoff = settings.RetryBase * Math.Pow(2, attempt - 1) * (0.8 + (Random.Shared.NextDouble() * 0.4));
            await Task.Delay(retryAfter is { } wait && wait > backoff ? wait : backoff, time, cancellationToken).ConfigureAwait(false);
        }

        return last;
    }

    private static readonly MediaTypeHeaderValue JsonContentType = MediaTypeHeaderValue.Parse("application/json; charset=utf-8");

    /// <summary>
    /// What a webhook's answer means for the alert, in one place: 2xx accepted; 413 too large (split the card); 408,
    /// 429 and 5xx transient (retry); every other status a permanent refusal that the same post cannot get past, such
    /// as 400 (flow disabled), 401/403/404 (the URL or its signature is wrong) or 411 (a proxy that wants a length:
    /// every post has one, so a 411 means something between us and Teams is misconfigured).
    /// </summary>
    public static DeliveryStatus Classify(HttpStatusCode status) => (int)status switch
    {
        >= 200 and < 300 => DeliveryStatus.Accepted,
        413 => DeliveryStatus.TooLarge,
        408 or 429 or >= 500 => DeliveryStatus.RetryLater,
        _ => DeliveryStatus.Rejected,
    };

    private TimeSpan? RetryAfter(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - time.GetUtcNow() is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero,
        _ => null,
    };

    /// <summary>Removes anything that looks like a webhook signature or URL from text that will be stored or logged.</summary>
    public static string Redact(string text)
    {
        var redacted = SignaturePattern().Replace(text, "sig=[redacted]");
        redacted = UrlPattern().Replace(redacted, "[url]");
        return redacted.Length <= 500 ? redacted : redacted[..500] + "…";
    }

    [GeneratedRegex(@"sig=[^&\s""']+", RegexOptions.IgnoreCase)]
    private static partial Regex SignaturePattern();

    [GeneratedRegex(@"https?://\S+", RegexOptions.IgnoreCase)]
    private static partial Regex UrlPattern();

    /// <summary>Spaces posts to one webhook at least <c>MinInterval</c> apart, across concurrent callers.</summary>
    private sealed class RateGate
    {
        private readonly SemaphoreSlim _lock = new(1, 1);
        private DateTimeOffset _next = DateTimeOffset.MinValue;

        public async Task WaitTurnAsync(TimeSpan interval, TimeProvider time, CancellationToken cancellationToken)
        {
            await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var wait = _next - time.GetUtcNow();
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
                }

                _next = time.GetUtcNow() + interval;
            }
            finally
            {
                _lock.Release();
            }
        }
    }
}
