using AssetCompliance.Azure.Teams;
using AssetCompliance.Core.Alerting;

namespace AssetCompliance.Integration.Tests;

/// <summary>
/// The sender's own retries against a real loopback webhook, on a fake clock: every wait (backoff, Retry-After, the
/// rate gate) is on the <see cref="TimeProvider"/> the host gives it, so these tests move time instead of sleeping.
/// </summary>
public sealed class TeamsWebhookSenderTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    // A fake clock that moves only by the waits the sender asks for: a sender that waited on the wall clock instead
    // would never move it, and every wait asserted on below is exact, however loaded the machine.
    private readonly DemandClock _clock = new(Start);
    private LoopbackWebhook _webhook = null!;

    public async Task InitializeAsync() => _webhook = await LoopbackWebhook.StartAsync();

    public async Task DisposeAsync() => await _webhook.DisposeAsync();

    private TeamsWebhookSender Sender() =>
        new(new HttpClient(), new TeamsSenderSettings { MinInterval = TimeSpan.Zero, RetryBase = TimeSpan.FromSeconds(1) }, _clock);

    private Task<DeliveryResult> SendAsync(SendEffort effort = SendEffort.Full) =>
        Sender().SendAsync(new AlertTarget("central", _webhook.Url("central")), new TeamsMessage([]), effort, CancellationToken.None);

    /// <summary>Moves the fake clock by each wait the sender asks for until the send is done.</summary>
    private Task<DeliveryResult> DriveAsync(Task<DeliveryResult> send) => _clock.DriveAsync(send);

    [Fact]
    public async Task A_retry_after_is_waited_for_on_the_host_s_clock_and_the_retry_is_accepted()
    {
        _webhook.Answer(429, retryAfterSeconds: 30);

        var result = await DriveAsync(SendAsync());

        Assert.Equal((DeliveryStatus.Accepted, 202), (result.Status, result.HttpStatus));
        Assert.Equal([429, 202], _webhook.Posts.Select(p => p.Answered));
        Assert.True(_clock.GetUtcNow() - Start >= TimeSpan.FromSeconds(30), $"retried after {_clock.GetUtcNow() - Start} of a Retry-After of 30 s");
        Assert.Equal([TimeSpan.FromSeconds(30)], _clock.Requested); // the one wait before the retry: the Retry-After
    }

    [Fact]
    public async Task Attempts_are_bounded_and_the_last_transient_answer_is_returned_for_the_dispatcher()
    {
        foreach (var status in new[] { 500, 502, 503, 504, 500 })
        {
            _webhook.Answer(status);
        }

        var result = await DriveAsync(SendAsync());

        Assert.Equal((DeliveryStatus.RetryLater, 504), (result.Status, result.HttpStatus));
        Assert.Equal([500, 502, 503, 504], _webhook.Posts.Select(p => p.Answered)); // MaxAttempts, 4
    }

    [Theory]
    [InlineData(413, DeliveryStatus.TooLarge)]
    [InlineData(400, DeliveryStatus.Rejected)]
    [InlineData(404, DeliveryStatus.Rejected)]
    public async Task A_card_too_large_or_refused_is_returned_after_one_post_never_retried(int status, DeliveryStatus expected)
    {
        _webhook.Answer(status);

        var result = await DriveAsync(SendAsync());

        Assert.Equal((expected, status), (result.Status, result.HttpStatus));
        Assert.Equal([status], _webhook.Posts.Select(p => p.Answered));
    }

    /// <summary>
    /// A webhook (or a proxy in front of it) whose error answer echoes the request's credential in a form the generic
    /// patterns miss: URL-encoded, JSON-escaped, as a JSON member, or a connector URL's path without its scheme. The
    /// detail is stored on the alert and logged, so the sender strips the target's own secret parts, however spelt.
    /// </summary>
    [Theory]
    [InlineData("{\"error\":{\"message\":\"invalid signature for invoke?api-version=1&sig%3DSECRET-SIGNATURE\"}}")]
    [InlineData("{\"error\":{\"message\":\"sig\\u003dSECRET-SIGNATURE is not valid\"}}")]
    [InlineData("{\"sig\": \"SECRET-SIGNATURE\"}")]
    [InlineData("bad signature 'SECRET-SIGNATURE' on path /workflows/central")]
    [InlineData("signature SECRET%2DSIGNATURE refused")]
    public async Task A_refusal_that_echoes_the_signature_in_any_spelling_is_stored_without_it(string answer)
    {
        _webhook.Answer(401, body: answer);

        var result = await DriveAsync(SendAsync());

        Assert.Equal((DeliveryStatus.Rejected, 401), (result.Status, result.HttpStatus));
        Assert.NotNull(result.Detail);
        Assert.DoesNotContain("SECRET", result.Detail, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_retry_after_beyond_the_in_process_limit_is_returned_after_one_post_for_the_dispatcher_to_keep()
    {
        _webhook.Answer(429, retryAfterSeconds: 120); // MaxRetryAfter is 60 s

        var result = await DriveAsync(SendAsync());

        Assert.Equal((DeliveryStatus.RetryLater, 429, TimeSpan.FromSeconds(120)), (result.Status, result.HttpStatus, result.RetryAfter));
        Assert.Single(_webhook.Posts);
    }

    [Fact]
    public async Task With_one_attempt_a_transient_answer_and_its_retry_after_are_returned_at_once()
    {
        _webhook.Answer(503, retryAfterSeconds: 5);

        var result = await SendAsync(SendEffort.Once);

        Assert.Equal((DeliveryStatus.RetryLater, 503, TimeSpan.FromSeconds(5)), (result.Status, result.HttpStatus, result.RetryAfter));
        Assert.Single(_webhook.Posts);
    }
}
