using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace AssetCompliance.Integration.Tests;

/// <summary>
/// A real HTTP server on loopback that plays a Teams Workflows webhook: it records every post and answers from a
/// script (status and optional Retry-After), then 202 Accepted with an empty body, as the real one does.
/// </summary>
internal sealed class LoopbackWebhook : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<(int Status, int? RetryAfterSeconds, string? Body)> _script = new();

    private LoopbackWebhook(WebApplication app) => _app = app;

    public sealed record Post(DateTimeOffset At, string Path, JsonDocument Body, int Answered);

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
            var body = await JsonDocument.ParseAsync(context.Request.Body);
            var (status, retryAfter, text) = webhook._script.TryDequeue(out var scripted) ? scripted : (202, null, null);
            webhook.Posts.Enqueue(new Post(DateTimeOffset.UtcNow, name, body, status));
            context.Response.StatusCode = status;
            if (retryAfter is { } seconds) context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (text is not null) await context.Response.WriteAsync(text);
        });
        await app.StartAsync();
        return webhook;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
