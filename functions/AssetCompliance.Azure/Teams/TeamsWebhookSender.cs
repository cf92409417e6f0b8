using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using AssetCompliance.Core.Alerting;
using Polly;
using Polly.Retry;

namespace AssetCompliance.Azure.Teams;

/// <summary>How hard the sender tries within one post, and how fast it may post to one webhook.</summary>
public sealed record TeamsSenderSettings
{
    /// <summary>Minimum time between two posts to the same webhook (default: at most one per second).</summary>
    public TimeSpan MinInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Attempts per post for 408, 429, 5xx and network errors before the dispatcher's slower retry takes over.</summary>
    public int MaxAttempts { get; init; } = 4;

    /// <summary>
    /// The first retry's backoff; each further retry doubles it, with jitter (Polly's exponential backoff). A Retry-After
    /// is waited for instead when it is longer than this base for the attempt.
    /// </summary>
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
/// The retries are Polly's retry strategy (<see cref="RetryStrategyOptions{TResult}"/>) over one attempt's
/// <see cref="DeliveryResult"/>, waiting on the host's <see cref="TimeProvider"/>; the rate gate, the classification
/// and the stop on a Retry-After longer than <see cref="TeamsSenderSettings.MaxRetryAfter"/> are this class's.
/// </summary>
public sealed partial class TeamsWebhookSender : IAlertSender
{
    private readonly ConcurrentDictionary<string, RateGate> _gates = new(StringComparer.Ordinal);
    private readonly HttpClient _http;
    private readonly TeamsSenderSettings _settings;
    private readonly TimeProvider _time;
    private readonly ResiliencePipeline<DeliveryResult> _fullEffort;

    public TeamsWebhookSender(HttpClient http, TeamsSenderSettings settings, TimeProvider time)
    {
        (_http, _settings, _time) = (http, settings, time);
        _fullEffort = settings.MaxAttempts <= 1
            ? ResiliencePipeline<DeliveryResult>.Empty
            : new ResiliencePipelineBuilder<DeliveryResult> { TimeProvider = time }.AddRetry(new RetryStrategyOptions<DeliveryResult>
            {
                MaxRetryAttempts = settings.MaxAttempts - 1,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = settings.RetryBase,
                // Only a transient answer is retried; exceptions never reach here (an attempt turns a network error or
                // a timeout into a result, and cancellation propagates). A Retry-After beyond the in-process limit is
                // returned at once for the dispatcher's slower retry.
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Result is { Status: DeliveryStatus.RetryLater } result && !(result.RetryAfter > settings.MaxRetryAfter)),
                // Retry-After is waited for, but never less than the backoff's base for that attempt (AttemptNumber 0
                // is the first retry): a "Retry-After: 0" does not turn the backoff off.
                DelayGenerator = args => ValueTask.FromResult(args.Outcome.Result?.RetryAfter is { } wait
                    ? Max(wait, settings.RetryBase * Math.Pow(2, args.AttemptNumber))
                    : (TimeSpan?)null),
            }).Build();
    }

    public async Task<DeliveryResult> SendAsync(AlertTarget target, TeamsMessage message, SendEffort effort, CancellationToken cancellationToken)
    {
        var post = new Post(this, _gates.GetOrAdd(target.Webhook.AbsoluteUri, _ => new RateGate()), target.Webhook,
            // Serialised once: every attempt posts the same bytes, and their count is the Content-Length.
            JsonSerializer.SerializeToUtf8Bytes(message, AlertCardBuilder.Json));
        var pipeline = effort == SendEffort.Once ? ResiliencePipeline<DeliveryResult>.Empty : _fullEffort;
        return await pipeline.ExecuteAsync(static (post, ct) => post.AttemptAsync(ct), post, cancellationToken).ConfigureAwait(false);
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    /// <summary>One post's attempts: they share the bytes, the webhook's rate gate and the count of attempts made.</summary>
    private sealed class Post(TeamsWebhookSender sender, RateGate gate, Uri webhook, byte[] body)
    {
        private int _attempts;

        public async ValueTask<DeliveryResult> AttemptAsync(CancellationToken cancellationToken)
        {
            var first = ++_attempts == 1;
            try
            {
                await gate.WaitTurnAsync(sender._settings.MinInterval, sender._time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (first && cancellationToken.IsCancellationRequested)
            {
                // Cut while queued behind other posts to this webhook: no request of this post has left.
                throw new PostNotStartedException(cancellationToken);
            }

            try
            {
                using var content = new ByteArrayContent(body);
                content.Headers.ContentType = JsonContentType;
                using var response = await sender._http.PostAsync(webhook, content, cancellationToken).ConfigureAwait(false);
                var code = (int)response.StatusCode;
                var status = Classify(response.StatusCode);
                if (status == DeliveryStatus.Accepted)
                {
                    return new DeliveryResult(status, code);
                }

                var detail = Redact(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false), webhook);
                return status == DeliveryStatus.RetryLater
                    ? new DeliveryResult(status, code, detail, sender.RetryAfter(response))
                    : new DeliveryResult(status, code, detail);
            }
            catch (HttpRequestException e)
            {
                return new DeliveryResult(DeliveryStatus.RetryLater, null, Redact(e.Message, webhook));
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return new DeliveryResult(DeliveryStatus.RetryLater, null, "timed out");
            }
        }
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
        { Date: { } date } => date - _time.GetUtcNow() is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero,
        _ => null,
    };

    /// <summary>
    /// Removes anything that looks like a webhook signature or URL from text that will be stored or logged, and every
    /// secret part of <paramref name="target"/> (its <c>sig</c>, the long path segments an older connector keeps its
    /// key in) however the answer spelt it: the text is first read through JSON <c>\uXXXX</c> escapes and URL
    /// percent-encoding, so that an answer echoing <c>sig%3D…</c> or <c>sig\u003d…</c> is caught too.
    /// </summary>
    public static string Redact(string text, Uri? target = null)
    {
        var redacted = Uri.UnescapeDataString(JsonUnicodeEscape().Replace(text, m => ((char)Convert.ToInt32(m.Groups[1].Value, 16)).ToString()));
        foreach (var secret in SecretParts(target))
        {
            redacted = redacted.Replace(secret, SecretText.Redacted, StringComparison.OrdinalIgnoreCase);
        }

        redacted = SignaturePattern().Replace(redacted, "sig=[redacted]");
        redacted = UrlPattern().Replace(redacted, "[url]");
        return redacted.Length <= 500 ? redacted : redacted[..500] + "…";
    }

    /// <summary>The parts of a webhook URL that are its credential: <c>sig</c> values and path segments of 16 characters or more, unescaped.</summary>
    private static IEnumerable<string> SecretParts(Uri? target)
    {
        if (target is not { IsAbsoluteUri: true })
        {
            yield break;
        }

        foreach (var pair in target.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var (name, value) = pair.IndexOf('=') is var at and >= 0 ? (pair[..at], pair[(at + 1)..]) : (pair, "");
            if (string.Equals(Uri.UnescapeDataString(name), "sig", StringComparison.OrdinalIgnoreCase) && Uri.UnescapeDataString(value) is { Length: >= 8 } sig)
            {
                yield return sig;
            }
        }

        foreach (var segment in target.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).Where(s => s.Length >= 16))
        {
            yield return segment;
        }
    }

    [GeneratedRegex(@"\\u([0-9a-fA-F]{4})")]
    private static partial Regex JsonUnicodeEscape();

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
