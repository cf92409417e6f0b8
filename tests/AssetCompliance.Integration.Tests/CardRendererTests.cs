using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AssetCompliance.Azure.Emulator;
using AssetCompliance.Cli;
using AssetCompliance.Core.Alerting;
using AssetCompliance.Core.Processing;
using CsCheck;
using Microsoft.Extensions.Logging.Abstractions;

namespace AssetCompliance.Integration.Tests;

/// <summary>
/// Every card the pipeline posts for the sample estate, and a truncated card for hundreds of devices, rendered by the
/// official Adaptive Cards JavaScript renderer (npm <c>adaptivecards</c>, pinned in tools/card-renderer) as schema 1.4,
/// with no parse or validation warning; and cards of hostile register text, which must show it literally although
/// the renderer processes Markdown with markdown-it (more than Teams does).
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed partial class CardRendererTests(AzuriteFixture azurite)
{
    private static readonly Uri ApiBase = new("https://compliance.example/api/");

    [Fact]
    public async Task Every_card_renders_in_the_official_renderer_without_warnings()
    {
        var directory = Directory.CreateTempSubdirectory("cards-").FullName;
        try
        {
            var store = await azurite.CreateStoreAsync();
            var processor = TestEvents.Processor(store);
            foreach (var batch in EventFileReplay.Batches(Path.Combine(RepositoryPaths.Root, "samples", "asset-events.jsonl"), DateTimeOffset.UtcNow))
            {
                await processor.ProcessAsync(batch, CancellationToken.None);
            }

            // Three hundred devices in one department: the card must truncate and still render.
            await processor.ProcessAsync(Enumerable.Range(1, 300).Select(i => TestEvents.Message(TestEvents.Upsert("DWP", $"BULK-{i:D3}", 1, segment: i % 2 == 0 ? "core" : "segregated"))).ToArray(), CancellationToken.None);
            // A device with fields the register holds but the sender could not read: the card says "not read".
            var unread = System.Text.Json.Nodes.JsonNode.Parse(TestEvents.Upsert("MOD", "MOD-CAM-1", 1, manufacturer: "Axis", sensitive: null, segment: null))!;
            unread["data"]!["unreadFields"] = new System.Text.Json.Nodes.JsonArray("site.sensitive", "networkSegment");
            await processor.ProcessAsync([TestEvents.Message(unread.ToJsonString())], CancellationToken.None);

            var sender = new FileAlertSender(directory, TextWriter.Null, TimeProvider.System);
            var dispatcher = new AlertDispatcher(store, store, sender, new SingleTargetRouting(FileAlertSender.Target(directory)),
                new AlertCardBuilder(ApiBase), new DispatchSettings { GroupWindow = TimeSpan.Zero, MaxAlertsPerCard = 300 },
                TimeProvider.System, NullLogger<AlertDispatcher>.Instance);
            Assert.True(await dispatcher.DispatchAsync(CancellationToken.None) > 300);
            Assert.True(await dispatcher.SendDigestsAsync(CancellationToken.None) >= 3); // the daily digests too
            var cards = Directory.GetFiles(directory, "*.json");
            Assert.True(cards.Length >= 4);

            var results = await RenderAsync(cards);

            Assert.Equal(cards.Length, results.Count);
            Assert.All(results, r => Assert.True(r.GetProperty("ok").GetBoolean(), r.ToString()));
            Assert.All(results, r => Assert.True(r.GetProperty("elements").GetInt32() > 10));
            // The rendered text is what a channel shows: a device block per alert, or a digest.
            Assert.All(results, r => Assert.Matches("— [A-Z]+-|daily digest", r.GetProperty("text").GetString()!));
            Assert.Contains(results, r => r.GetProperty("text").GetString()!.Contains("CRITICAL: non-compliant — HO-CAM-0003", StringComparison.Ordinal));
            Assert.Contains(results, r => r.GetProperty("text").GetString()!.Contains("Not read: site_sensitive, network_segment: the register holds a value there that could not be read", StringComparison.Ordinal));
            Assert.All(results, r => AssertNoMarkup(r.GetProperty("html").GetString()!));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>Issue 17: a card per exemption step renders in the official renderer, the requester's text literally.</summary>
    [Fact]
    public async Task Exemption_step_cards_render_in_the_official_renderer_with_the_requesters_text_literal()
    {
        var directory = Directory.CreateTempSubdirectory("cards-").FullName;
        try
        {
            var store = await azurite.CreateStoreAsync();
            await TestEvents.Processor(store).ProcessAsync(TestEvents.Message(TestEvents.Upsert("HO", "CAM-1", 1)), CancellationToken.None);
            var api = TestEvents.StateApi(store);
            var officer = AssetCompliance.Api.Security.CompliancePrincipal.Encode("ho.officer", "Department.HO");
            async Task<int> Request(string reason) => (await TestHttp.SendAsync(TestHttp.Request(officer, method: "POST",
                body: TestHttp.Json(new { reason, expiresAt = DateTimeOffset.UtcNow.AddDays(30) })), r => api.RequestExemptionAsync(r, "HO", "CAM-1", default))).Status;
            Assert.Equal(202, await Request("**URGENT** [details](http://example.test) <b>x</b>"));
            Assert.Equal(200, (await TestHttp.SendAsync(TestHttp.Request(TestEvents.Principal(), method: "POST", body: TestHttp.Json(new { reason = "# no" })), r => api.RefuseExemptionAsync(r, "HO", "CAM-1", default))).Status);
            Assert.Equal(202, await Request("Replacement ordered"));
            Assert.Equal(200, (await TestEvents.ApproveExemptionAsync(api, "HO", "CAM-1")).Status);
            Assert.Equal(200, (await TestHttp.SendAsync(TestHttp.Request(TestEvents.Principal(), method: "DELETE"), r => api.RevokeExemptionAsync(r, "HO", "CAM-1", default))).Status);

            var dispatcher = new AlertDispatcher(store, store, new FileAlertSender(directory, TextWriter.Null, TimeProvider.System), new SingleTargetRouting(FileAlertSender.Target(directory)),
                new AlertCardBuilder(ApiBase), new DispatchSettings { GroupWindow = TimeSpan.Zero, MaxAlertsPerCard = 1 }, TimeProvider.System, NullLogger<AlertDispatcher>.Instance);
            Assert.True(await dispatcher.DispatchAsync(CancellationToken.None) >= 5);
            var results = await RenderAsync(Directory.GetFiles(directory, "*.json"));

            Assert.All(results, r => Assert.True(r.GetProperty("ok").GetBoolean(), r.ToString()));
            var text = string.Join("\n", results.Select(r => r.GetProperty("text").GetString()));
            foreach (var word in new[] { "EXEMPTION REQUESTED", "EXEMPTION REFUSED", "EXEMPTION GRANTED: now Exempt", "EXEMPTION REVOKED: now NonCompliant", "**URGENT** [details](http://example.test) <b>x</b>", "refused by tester" })
            {
                Assert.Contains(word, text);
            }

            Assert.All(results, r => AssertNoMarkup(r.GetProperty("html").GetString()!));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>Issue 19: the overdue plan's card and a digest naming it render, the department's owner and notes literally.</summary>
    [Fact]
    public async Task Overdue_remediation_cards_and_the_digest_render_in_the_official_renderer_with_the_plans_text_literal()
    {
        var directory = Directory.CreateTempSubdirectory("cards-").FullName;
        try
        {
            var store = await azurite.CreateStoreAsync();
            var time = new ManualTime(DateTimeOffset.Parse("2026-11-20T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
            await TestEvents.Processor(store, time).ProcessAsync(TestEvents.Message(TestEvents.Upsert("HO", "CAM-1", 1)), CancellationToken.None);
            var plan = new RemediationRequest("replace", "2026-11-30", "**Estates** <b>team</b>", "ordered", "[PO](http://example.test) {{DATE(2026-01-01T00:00:00Z)}}");
            Assert.Equal(CommandOutcome.Applied, (await new Remediations(TestEvents.Commands(store, time)).SetAsync("HO", "CAM-1", plan, null, false, new("ho.officer", ""), CancellationToken.None)).Outcome);
            time.Now = time.Now.AddDays(11);
            Assert.Equal(1, (await new StateSweeps(TestEvents.Commands(store, time), store, time, NullLogger<StateSweeps>.Instance).MarkOverdueRemediationsAsync(CancellationToken.None)).Changed);

            var dispatcher = new AlertDispatcher(store, store, new FileAlertSender(directory, TextWriter.Null, TimeProvider.System), new SingleTargetRouting(FileAlertSender.Target(directory)),
                new AlertCardBuilder(ApiBase), new DispatchSettings { GroupWindow = TimeSpan.Zero, MaxAlertsPerCard = 1 }, time, NullLogger<AlertDispatcher>.Instance);
            Assert.True(await dispatcher.DispatchAsync(CancellationToken.None) >= 2); // the device opening, then the overdue plan
            Assert.Equal(1, await dispatcher.SendDigestsAsync(CancellationToken.None));
            var results = await RenderAsync(Directory.GetFiles(directory, "*.json"));

            Assert.All(results, r => Assert.True(r.GetProperty("ok").GetBoolean(), r.ToString()));
            var text = string.Join("\n", results.Select(r => r.GetProperty("text").GetString()));
            foreach (var word in new[] { "REMEDIATION PLAN OVERDUE: due 2026-11-30, still NonCompliant", "1 remediation plan overdue", CardText.Literal("**Estates** <b>team</b>"),
                CardText.Literal("[PO](http://example.test) {{DATE(2026-01-01T00:00:00Z)}}"), "daily digest: 1 open, 1 remediation plan(s) overdue", "remediation plan OVERDUE (due 2026-11-30" })
            {
                Assert.Contains(word, text);
            }

            Assert.DoesNotMatch(@"\b1/1/2026\b|January 1, 2026", text); // no date function ran

            Assert.All(results, r => AssertNoMarkup(r.GetProperty("html").GetString()!));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>The samples of issue 13 and more of each kind (Markdown, date functions, HTML, controls, bidi, emoji, length).</summary>
    private static readonly string[] HostileSamples =
    [
        "[details](http://example.test)",
        "**URGENT**",
        "_quietly_ *also* __strong__ ~~gone~~",
        "- one\n- two\n* three",
        "1. first\n2. second",
        "# Heading\n## Sub\n> quoted\n    code",
        "{{DATE(2026-01-01T00:00:00Z)}} at {{TIME(2026-01-01T00:00:00Z)}} or {{DATE(2026-01-01T00:00:00Z, LONG)}}",
        "<b>bold</b> <script>alert(1)</script> <img src=x onerror=alert(1)> &amp;",
        @"C:\cams\*.cfg \\server \*not\*",
        "Thames House\nCompliant: yes\r\n\tall clear",
        "abc\u202Egnp.exe \u2066x\u2069 zero\u200Bwidth",
        "📷 Hikvision 海康威视 شبكة 👨‍👩‍👧",
        "`code` ![img](http://example.test/x.png) <http://example.test> http://example.test",
        new string('W', 256),
    ];

    [Fact]
    public async Task Register_text_renders_literally_in_the_official_renderer()
    {
        var directory = Directory.CreateTempSubdirectory("cards-").FullName;
        try
        {
            var store = await azurite.CreateStoreAsync();
            // The samples, and generated strings of the same kinds (fixed seed), in every free-text field of a row:
            // model and site name always, the manufacturer in every other row (so those devices need review).
            var generated = new List<string>();
            Check.Sample(Gen.OneOf(HostileSamples.Select(h => Gen.Const(h)).Append(Gen.String[1, 40]).ToArray()).Array[3, 6].Array[30],
                parts => generated.AddRange(parts.Select(p => string.Concat(p))), seed: "0N0XIzNsQ0O2", iter: 1, threads: 1);
            var texts = HostileSamples.Concat(generated.Select(g => new string(g.EnumerateRunes().SelectMany(r => r.ToString()).ToArray())))
                .Select(t => CardText.Clip(t.Trim(), 256).Trim()).Where(t => t.Length > 0).ToArray();
            var events = texts.Select((text, i) =>
            {
                var json = JsonNode.Parse(TestEvents.Upsert("HO", $"HOSTILE-{i:D3}", 1, manufacturer: i % 2 == 0 ? "Hikvision" : text))!;
                json["data"]!["model"] = text;
                json["data"]!["site"]!["name"] = text;
                return TestEvents.Message(json.ToJsonString());
            }).ToList();
            // Ids accept Markdown and bidi characters too (not '/', '\\', '#', '?', '|' or controls).
            var ids = JsonNode.Parse(TestEvents.Upsert("HO", "**CAM**_1_ [x](mailto:a@b) {{DATE(2026-01-01T00:00:00Z)}}", 1))!;
            ids["data"]!["site"]!["id"] = "*S1* \u202Eevil";
            events.Add(TestEvents.Message(ids.ToJsonString()));
            var results = await TestEvents.Processor(store).ProcessAsync(events, CancellationToken.None);
            Assert.All(results, r => Assert.Equal(MessageOutcome.Applied, r.Outcome));

            var sender = new FileAlertSender(directory, TextWriter.Null, TimeProvider.System);
            var dispatcher = new AlertDispatcher(store, store, sender, new SingleTargetRouting(FileAlertSender.Target(directory)),
                new AlertCardBuilder(ApiBase), new DispatchSettings { GroupWindow = TimeSpan.Zero, MaxAlertsPerCard = 1 },
                TimeProvider.System, NullLogger<AlertDispatcher>.Instance);
            Assert.Equal(events.Count, await dispatcher.DispatchAsync(CancellationToken.None)); // one card per device: nothing truncated
            Assert.Equal(1, await dispatcher.SendDigestsAsync(CancellationToken.None));
            var cards = Directory.GetFiles(directory, "*.json");

            var rendered = await RenderAsync(cards);

            Assert.Equal(cards.Length, rendered.Count);
            Assert.All(rendered, r => Assert.True(r.GetProperty("ok").GetBoolean(), r.ToString()));
            Assert.All(rendered, r => AssertNoMarkup(r.GetProperty("html").GetString()!));
            // What a channel shows is the text as written: only our word joiners between braces are added.
            var shown = string.Join("\n", rendered.Select(r => r.GetProperty("text").GetString()!));
            var visible = shown.Replace(CardText.WordJoiner.ToString(), "", StringComparison.Ordinal);
            foreach (var text in texts.Append("**CAM**_1_ [x](mailto:a@b) {{DATE(2026-01-01T00:00:00Z)}}"))
            {
                Assert.Contains(CardText.Literal(text), shown, StringComparison.Ordinal);
            }

            Assert.Contains("*S1* [U+202E]evil", shown, StringComparison.Ordinal);
            Assert.Contains("Thames House␊Compliant: yes␍␊␉all clear", shown, StringComparison.Ordinal);
            Assert.Contains("abc[U+202E]gnp.exe", shown, StringComparison.Ordinal);
            foreach (var text in HostileSamples.Where(t => CardText.Literal(t).Replace(CardText.WordJoiner.ToString(), "", StringComparison.Ordinal) == t))
            {
                Assert.Contains(text, visible, StringComparison.Ordinal); // every character of it, unprocessed
            }

            Assert.DoesNotMatch(@"\b1/1/2026\b|January 1, 2026|\b12:00 AM\b", shown); // no date function ran
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task The_markup_check_catches_register_text_put_in_a_TextBlock()
    {
        // The same text as a Markdown TextBlock (what the cards used to do): the renderer makes a link, bold, a list
        // and a date of it, and the check that the test above relies on sees each.
        var file = Path.Combine(Directory.CreateTempSubdirectory("cards-").FullName, "textblock.json");
        try
        {
            var body = new JsonArray(HostileSamples.Take(7).Select(t => (JsonNode)new JsonObject { ["type"] = "TextBlock", ["text"] = t, ["wrap"] = true }).ToArray());
            await File.WriteAllTextAsync(file, new JsonObject
            {
                ["type"] = "message",
                ["attachments"] = new JsonArray(new JsonObject
                {
                    ["contentType"] = "application/vnd.microsoft.card.adaptive",
                    ["content"] = new JsonObject { ["type"] = "AdaptiveCard", ["version"] = "1.4", ["body"] = body },
                }),
            }.ToJsonString());

            var html = Assert.Single(await RenderAsync([file])).GetProperty("html").GetString()!;

            var problem = Record.Exception(() => AssertNoMarkup(html));
            Assert.NotNull(problem);
            foreach (var expected in new[] { "<strong[^>]*>URGENT</strong>", "<a [^>]*href=\"http://example.test\"", "<em[^>]*>quietly</em>", "<li[^>]*>one</li>", "<h1[^>]*>Heading</h1>" })
            {
                Assert.Matches(expected, html);
            }

            Assert.DoesNotContain("{{DATE(", html, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(file)!, recursive: true);
        }
    }

    /// <summary>No element that Markdown or HTML would make, and no link but ours.</summary>
    private static void AssertNoMarkup(string html)
    {
        Assert.DoesNotMatch(MarkupElement(), html);
        foreach (Match link in Href().Matches(html))
        {
            Assert.StartsWith(ApiBase.AbsoluteUri, link.Groups[1].Value, StringComparison.Ordinal);
        }
    }

    [GeneratedRegex(@"<(strong|b|em|i|u|s|del|h[1-6]|ul|ol|li|p|blockquote|pre|code|img|script|table|hr)\b", RegexOptions.IgnoreCase)]
    private static partial Regex MarkupElement();

    [GeneratedRegex(@"href=""([^""]*)""")]
    private static partial Regex Href();

    private static async Task<List<JsonElement>> RenderAsync(IEnumerable<string> files)
    {
        var tool = Path.Combine(RepositoryPaths.Root, "tools", "card-renderer");
        // markdown-it is the newest of the tool's packages: a node_modules from before it is installed again.
        await NpmTool.EnsureInstalledAsync(tool, Path.Combine(tool, "node_modules", "markdown-it", "package.json"), null, CancellationToken.None);
        var start = new ProcessStartInfo("node") { WorkingDirectory = tool, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("render.js");
        foreach (var file in files) start.ArgumentList.Add(file);
        using var node = Process.Start(start)!;
        var output = await node.StandardOutput.ReadToEndAsync();
        var errors = await node.StandardError.ReadToEndAsync();
        await node.WaitForExitAsync();
        Assert.True(node.ExitCode == 0, $"renderer exit {node.ExitCode}:\n{output}\n{errors}");
        return output.Split('\n').Where(l => l.StartsWith('{')).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
    }
}
