using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace AssetCompliance.Integration.Tests;

/// <summary>
/// A real HTTP server on loopback that plays a Teams Workflows webhook: it records every post and answers from a
/// script (status and optional Retry-After), then 202 Accepted with an empty body, as the real one does. It records how
/// each body was framed (its Content-Length and Transfer-Encoding headers and the bytes that arrived), and with
/// <see cref="RequireContentLength"/> it answers 411 Length Required to a post without a length, as some proxies and
/// gateways do. After <see cref="Hang"/> it plays a webhook that accepts the connection and the post and never answers,
/// until <see cref="Release"/>; <see cref="AbandonedAsync"/> waits until the server has seen the clients of held posts give
/// up, so that a release answers nothing the client already abandoned. Each post is stamped on <see cref="Clock"/>.
/// </summary>
internal sealed class LoopbackWebhook : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<(int Status, int? RetryAfterSeconds, string? Body)> _script = new();

    private readonly SemaphoreSlim _abandoned = new(0);
    private TaskCompletionSource? _hold;
    private int _unanswered;

    private LoopbackWebhook(WebApplication app) => _app = app;

    /// <summary>Posts received and held unanswered by <see cref="Hang"/> (they are not in <see cref="Posts"/>).</summary>
    public int Unanswered => Volatile.Read(ref _unanswered);

    /// <summary>From now on every post is read and then held, unanswered, until <see cref="Release"/> or the client gives up.</summary>
    public void Hang() => _hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// Waits until the server has seen <paramref name="count"/> held posts abandoned by their clients (the request
    /// aborted). A client's cancellation reaches the server later than the client sees it, so a test that releases
    /// right after a cut waits for this first: else a held post the client already gave up on could still be answered
    /// and recorded. The bound only keeps a broken test from hanging; it asserts nothing about time.
    /// </summary>
    public async Task AbandonedAsync(int count)
    {
        for (var i = 0; i < count; i++)
        {
            Assert.True(await _abandoned.WaitAsync(TimeSpan.FromMinutes(2)), $"{i} of {count} held posts were abandoned by their clients");
        }
    }

    /// <summary>The clock each post's <see cref="Post.At"/> is read from: a test's fake clock makes arrival times exact.</summary>
    public TimeProvider Clock { get; set; } = TimeProvider.System;

    /// <summary>Answers again: held posts whose client still waits get their answer, and new posts are answered at once.</summary>
    public void Release() => Interlocked.Exchange(ref _hold, null)?.TrySetResult();

    /// <param name="At">When the post arrived, on <see cref="Clock"/>.</param>
    /// <param name="ContentLength">The request's Content-Length header; null when it had none (chunked).</param>
    /// <param name="TransferEncoding">The request's Transfer-Encoding header, if any.</param>
    /// <param name="BodyBytes">How many body bytes arrived.</param>
    public sealed record Post(DateTimeOffset At, string Path, JsonDocument Body, int Answered, long? ContentLength, string? TransferEncoding, int BodyBytes);

    /// <summary>Answer 411 to every post that has no Content-Length (before the script is consulted).</summary>
    public bool RequireContentLength { get; set; }

    public ConcurrentQueue<Post> Posts { get; } = new();

    public Uri Url(string name) => new($"{_app.Urls.First()}/workflows/{name}?api-version=1&sig=SECRET-SIGNATURE");

    public void Answer(int status, int? retryAfterSeconds = null, string? body = null) => _script.Enqueue((status, retryAfterSeconds, body));

    public static async Task<LoopbackWebhook> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var webhook = new LoopbackWebhook(app);
        app.MapPost("/workflows/{name}", async (HttpContext context, string name) =>
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer);
            var length = context.Request.ContentLength;
            var encoding = context.Request.Headers.TransferEncoding.ToString() is { Length: > 0 } te ? te : null;
            var body = JsonDocument.Parse(buffer.ToArray());
            if (webhook._hold is { } hold)
            {
                Interlocked.Increment(ref webhook._unanswered);
                try
                {
                    await hold.Task.WaitAsync(context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    webhook._abandoned.Release();
                    return; // the client gave up waiting
                }
            }

            var (status, retryAfter, text) = webhook.RequireContentLength && length is null ? (411, null, "Length Required")
                : webhook._script.TryDequeue(out var scripted) ? scripted : (202, null, null);
            webhook.Posts.Enqueue(new Post(webhook.Clock.GetUtcNow(), name, body, status, length, encoding, (int)buffer.Length));
            context.Response.StatusCode = status;
            if (retryAfter is { } seconds) context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (text is not null) await context.Response.WriteAsync(text);
        });
        await app.StartAsync();
        return webhook;
    }

    public async ValueTask DisposeAsync()
    {
        Release();
        await _app.DisposeAsync();
    }
}
