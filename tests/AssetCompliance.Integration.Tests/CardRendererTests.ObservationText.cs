using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AssetCompliance.Api;
using AssetCompliance.Api.Security;
using AssetCompliance.Cli;
using AssetCompliance.Core.Alerting;
using AssetCompliance.Core.Processing;
using AssetCompliance.Functions;
using Microsoft.Extensions.Logging.Abstractions;

namespace AssetCompliance.Integration.Tests;

public sealed partial class CardRendererTests
{
    private const string HostileHost = "cam\u202Egnp.exe";
    private const string HostileModel = "DS-2CD\u200B2143";
    private const string HostileTitle = "\u2066Login\u2069 \u202Eevil\u2028next \u001B[31mred\u0000";

    /// <summary>
    /// Hidden characters end to end through the Service Bus function (messages from ServiceBusModelFactory): an
    /// observer or tool holding one is a rejection naming its JSON path, and the good observation beside them is
    /// applied; the device's own words (host name, model, an HTTP title) are kept exactly and shown escaped: in the
    /// card as the official renderer draws it (control pictures and [U+…], nothing reordered or hidden), and in the
    /// API's answer as JSON escapes, whose values are the observed text unchanged.
    /// </summary>
    [Fact]
    public async Task Hidden_characters_in_observations_are_refused_in_names_and_shown_escaped_everywhere_else()
    {
        var directory = Directory.CreateTempSubdirectory("cards-").FullName;
        try
        {
            var store = await azurite.CreateStoreAsync();
            var sender = new FileAlertSender(directory, TextWriter.Null, TimeProvider.System);
            var dispatcher = new AlertDispatcher(store, store, sender, new SingleTargetRouting(FileAlertSender.Target(directory)),
                new AlertCardBuilder(ApiBase), new DispatchSettings { GroupWindow = TimeSpan.Zero }, TimeProvider.System, NullLogger<AlertDispatcher>.Instance);
            var function = new ServiceBusFunctions(new AssetEventIntake(ObservedEvents.Processor(store), dispatcher));
            var badObserver = JsonNode.Parse(ObservedEvents.Observed("HO", "bad-observer", mac: "BC:AD:28:00:05:01", evidence: ObservedEvents.Dnvrs))!;
            badObserver["data"]!["observer"] = "nmap\u202E 7.93";
            var badTool = JsonNode.Parse(ObservedEvents.Observed("HO", "bad-tool", mac: "BC:AD:28:00:05:02", evidence: ObservedEvents.Dnvrs))!;
            badTool["data"]!["evidence"]![0]!["tool"] = "nmap\u001B[2J";
            var good = JsonNode.Parse(ObservedEvents.Observed("HO", "hostile-text", mac: "BC:AD:28:00:05:03", hostname: HostileHost, evidence: [ObservedEvents.Dnvrs, ("http-title", HostileTitle)]))!;
            good["data"]!["model"] = HostileModel;

            await function.IngestAssetEvents([
                ObservedEvents.Through("HO", badObserver.ToJsonString(), "bad-observer"),
                ObservedEvents.Through("HO", badTool.ToJsonString(), "bad-tool"),
                ObservedEvents.Through("HO", good.ToJsonString(), "hostile-text"),
            ], CancellationToken.None);

            var rejections = (await store.GetRejectionsAsync("HO", CancellationToken.None)).ToDictionary(r => r.MessageId);
            Assert.Equal("$.data.observer", Assert.Single(rejections["bad-observer"].Errors).Path);
            Assert.Equal("$.data.evidence[0].tool", Assert.Single(rejections["bad-tool"].Errors).Path);
            Assert.Null(await store.GetRecordAsync("HO", "observed:BC:AD:28:00:05:01", CancellationToken.None));
            var record = (await store.GetRecordAsync("HO", "observed:BC:AD:28:00:05:03", CancellationToken.None))!.Record;
            Assert.Equal((HostileHost, HostileModel), (record.Observation!.Hostnames[0], record.Device.Model));

            // The card, as the official renderer draws it.
            var rendered = Assert.Single(await RenderAsync(Directory.GetFiles(directory, "*.json")));
            Assert.True(rendered.GetProperty("ok").GetBoolean(), rendered.ToString());
            AssertNoMarkup(rendered.GetProperty("html").GetString()!);
            var shown = rendered.GetProperty("text").GetString()!;
            foreach (var expected in new[] { "cam[U+202E]gnp.exe", "DS-2CD[U+200B]2143", "[U+2066]Login[U+2069] [U+202E]evil[U+2028]next \u241B[31mred\u2400", "UNREGISTERED" })
            {
                Assert.Contains(expected, shown, StringComparison.Ordinal);
            }

            Assert.DoesNotMatch("[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u200B\u202E\u2066\u2069\u2028]", shown);

            // The API: JSON escapes in the bytes, the observed text unchanged in the values.
            var (status, body) = await TestHttp.SendAsync(TestHttp.Request(TestEvents.Principal("Department.HO"), "?outcome=unregistered"),
                r => ObservedEvents.Api(store, TimeProvider.System).ListAsync(r, "HO", CancellationToken.None));
            Assert.Equal(200, status);
            Assert.DoesNotMatch("[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u200B\u202E\u2066\u2069\u2028]", body); // (line breaks: the answer's own layout)
            Assert.Contains("\\u202E", body, StringComparison.OrdinalIgnoreCase);
            var item = Assert.Single(JsonDocument.Parse(body).RootElement.GetProperty("items").EnumerateArray());
            Assert.Equal(HostileHost, item.GetProperty("hostnames")[0].GetString());
            Assert.Contains(item.GetProperty("evidence").EnumerateArray(), e => e.GetProperty("value").GetString() == HostileTitle);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>The HTTP route validates all or nothing: an observer with a hidden character is a 400 naming its path in the array, and nothing of the request is applied.</summary>
    [Fact]
    public async Task The_http_route_refuses_a_hidden_character_in_a_name_at_its_path()
    {
        var store = await azurite.CreateStoreAsync();
        var api = new IngestionApi(new LocalProcessingPublisher(() => ObservedEvents.Intake(store), TimeProvider.System), TestEvents.Authorizer());
        var bad = JsonNode.Parse(ObservedEvents.Observed("HO", "http-bad", mac: "BC:AD:28:00:05:11"))!;
        bad["data"]!["observer"] = "nmap\u2066 7.93";

        var (status, body) = await TestHttp.SendAsync(TestHttp.Request(CompliancePrincipal.Encode("ho", "Department.HO"), method: "POST",
            body: Encoding.UTF8.GetBytes($"[{ObservedEvents.Observed("HO", "http-good", mac: "BC:AD:28:00:05:10")},{bad.ToJsonString()}]")), r => api.IngestAsync(r, "HO", CancellationToken.None));

        Assert.Equal(400, status);
        Assert.Contains("$[1].data.observer", body, StringComparison.Ordinal);
        Assert.Null(await store.GetRecordAsync("HO", "observed:BC:AD:28:00:05:10", CancellationToken.None));
    }
}
