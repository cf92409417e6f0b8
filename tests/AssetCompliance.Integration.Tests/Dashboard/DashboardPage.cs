using System.Collections.Concurrent;
using Microsoft.Playwright;

namespace AssetCompliance.Integration.Tests.Dashboard;

/// <summary>
/// One dashboard page in its own browser context, watched: every API answer it receives is validated against the
/// OpenAPI document (<see cref="OpenApiAnswers"/>), every request's origin and every console message are kept, so
/// that <see cref="AssertCleanAsync"/> can say the page stayed on its own origin, broke no Content-Security-Policy
/// rule and threw nothing.
/// </summary>
public sealed class DashboardPage : IAsyncDisposable
{
    private readonly IBrowserContext _context;
    private readonly Uri _base;
    private readonly string _screenshots;
    private readonly ConcurrentQueue<Task> _validations = new();
    private readonly ConcurrentQueue<string> _problems = new();
    private readonly ConcurrentQueue<(string Path, int Status)> _answers = new();

    internal DashboardPage(IBrowserContext context, IPage page, Uri baseAddress, string screenshots)
    {
        _context = context;
        Page = page;
        _base = baseAddress;
        _screenshots = screenshots;
        page.Request += (_, request) =>
        {
            var url = new Uri(request.Url);
            if (url.Scheme is not "data" && url.GetLeftPart(UriPartial.Authority) != baseAddress.GetLeftPart(UriPartial.Authority))
            {
                _problems.Enqueue($"requested another origin: {request.Url}");
            }
        };
        page.Response += (_, response) =>
        {
            var url = new Uri(response.Url);
            _answers.Enqueue((url.AbsolutePath, response.Status));
            if (OpenApiAnswers.RouteOf(response.Request.Method, url.AbsolutePath) is { } route)
            {
                _validations.Enqueue(ValidateAsync(route, response));
            }
        };
        page.Console += (_, message) =>
        {
            // A 403 or 404 the page handles is logged by the browser as a failed resource: that is not a defect.
            if (message.Type == "error" && !message.Text.StartsWith("Failed to load resource", StringComparison.Ordinal))
            {
                _problems.Enqueue($"console error: {message.Text}");
            }
        };
        page.PageError += (_, error) => _problems.Enqueue($"uncaught error: {error}");
    }

    public IPage Page { get; }

    /// <summary>The API paths the page read and their statuses, in order.</summary>
    public IReadOnlyList<(string Path, int Status)> Answers => [.. _answers];

    /// <summary>Opens <c>/api/dashboard#/{fragment}</c> and waits until that view is whole.</summary>
    public async Task GoToAsync(string fragment)
    {
        await Page.GotoAsync(new Uri(_base, "api/dashboard#/" + fragment).AbsoluteUri);
        await WaitForViewAsync();
    }

    /// <summary>Changes the address's fragment, as a person editing the URL would, and waits for that view.</summary>
    public async Task EditAddressAsync(string fragment)
    {
        await Page.EvaluateAsync("f => { location.hash = '#/' + f; }", fragment);
        await WaitForViewAsync();
    }

    /// <summary>Waits until the page says the view of the current address is rendered (charts drawn).</summary>
    public Task WaitForViewAsync() =>
        Page.WaitForFunctionAsync("() => document.body.getAttribute('data-view') === (location.hash || '#/')", null, new PageWaitForFunctionOptions { Timeout = 60_000 });

    /// <summary>Every figure on the page (<c>data-figure</c>) and its text as shown.</summary>
    public async Task<IReadOnlyDictionary<string, string>> FiguresAsync()
    {
        var pairs = await Page.EvalOnSelectorAllAsync<string[][]>("[data-figure]", "els => els.map(e => [e.getAttribute('data-figure'), e.textContent.trim()])");
        var figures = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in pairs)
        {
            Assert.True(figures.TryAdd(pair[0], pair[1]), $"the figure {pair[0]} is shown twice");
        }

        return figures;
    }

    /// <summary>The text of each element matching <paramref name="selector"/>, in page order.</summary>
    public async Task<IReadOnlyList<string>> TextsAsync(string selector) =>
        await Page.EvalOnSelectorAllAsync<string[]>(selector, "els => els.map(e => e.textContent.trim())");

    /// <summary>A full-page screenshot under the test output (dashboard-screenshots/{name}.png); its path.</summary>
    public async Task<string> ScreenshotAsync(string name)
    {
        var path = Path.Combine(_screenshots, name + ".png");
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        return path;
    }

    /// <summary>No request left the origin, no policy was broken, nothing was thrown, every API answer was as documented.</summary>
    public async Task AssertCleanAsync()
    {
        while (_validations.TryDequeue(out var validation))
        {
            await validation;
        }

        Assert.Empty(_problems);
    }

    private async Task ValidateAsync(Api.ApiRoute route, IResponse response)
    {
        try
        {
            var body = await response.BodyAsync();
            OpenApiAnswers.Validate(route, response.Status, await response.HeaderValueAsync("content-type"), body);
        }
        catch (Xunit.Sdk.XunitException e)
        {
            _problems.Enqueue(e.Message);
        }
        catch (PlaywrightException)
        {
            // The page went away before its body was read (a later view replaced it): nothing to validate.
        }
    }

    public async ValueTask DisposeAsync() => await _context.CloseAsync();
}
