using AssetCompliance.Cli;
using AssetCompliance.Core.Alerting;
using Microsoft.Extensions.Logging.Abstractions;

namespace AssetCompliance.Integration.Tests;

public sealed partial class CardRendererTests
{
    /// <summary>
    /// Issue 18's cards: what a scanner saw (a Server header, a host name) is a device's own words, as untrusted as a
    /// register's. Script, Markdown, a date function and a bidi override in an observed header and host name render
    /// as text in the official renderer, beside what was seen, where and why it matters.
    /// </summary>
    [Fact]
    public async Task An_observation_card_renders_with_hostile_observed_text_as_text()
    {
        var directory = Directory.CreateTempSubdirectory("cards-").FullName;
        try
        {
            var store = await azurite.CreateStoreAsync();
            const string header = "DNVRS-Webs <script>alert(document.cookie)</script> **urgent** [click](http://evil.test) {{DATE(2026-01-01T00:00:00Z)}} \u202Eevil";
            var observed = ObservedEvents.Observed("HO", "hostile-1", mac: "BC:AD:28:4F:11:77", hostname: "<img src=x onerror=alert(1)>", evidence: [("http-server", header), ObservedEvents.Dnvrs]);
            var results = await ObservedEvents.Processor(store).ProcessAsync([TestEvents.Message(observed)], CancellationToken.None);
            Assert.Equal(AssetCompliance.Core.Processing.MessageOutcome.Applied, Assert.Single(results).Outcome);

            var sender = new FileAlertSender(directory, TextWriter.Null, TimeProvider.System);
            var dispatcher = new AlertDispatcher(store, store, sender, new SingleTargetRouting(FileAlertSender.Target(directory)),
                new AlertCardBuilder(ApiBase), new DispatchSettings { GroupWindow = TimeSpan.Zero }, TimeProvider.System, NullLogger<AlertDispatcher>.Instance);
            Assert.Equal(1, await dispatcher.DispatchAsync(CancellationToken.None));

            var rendered = Assert.Single(await RenderAsync(Directory.GetFiles(directory, "*.json")));

            Assert.True(rendered.GetProperty("ok").GetBoolean(), rendered.ToString());
            AssertNoMarkup(rendered.GetProperty("html").GetString()!);
            var shown = rendered.GetProperty("text").GetString()!;
            Assert.Contains(CardText.Literal(header), shown, StringComparison.Ordinal);
            Assert.Contains("<img src=x onerror=alert(1)>", shown, StringComparison.Ordinal);
            foreach (var expected in new[] { "UNREGISTERED", "subnet 10.20.0.0/16", "core segment", "Why it matters", "[U+202E]evil" })
            {
                Assert.Contains(expected, shown, StringComparison.Ordinal);
            }

            Assert.DoesNotMatch(@"\b1/1/2026\b|January 1, 2026", shown);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
