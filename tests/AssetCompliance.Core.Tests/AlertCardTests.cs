using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AssetCompliance.Core.Alerting;
using AssetCompliance.Core.Catalogue;
using AssetCompliance.Core.Events;
using AssetCompliance.Core.Policy;
using AssetCompliance.Core.Processing;
using AssetCompliance.Core.State;

namespace AssetCompliance.Core.Tests;

/// <summary>Every card the builder can produce obeys the Adaptive Card 1.4 rules Teams relies on, within the size limit.</summary>
public sealed class AlertCardTests
{
    private static readonly RecordPlanner Planner = new(new DeviceIdentifier(VendorCatalogue.Default), new ComplianceEvaluator(CompliancePolicy.Default));
    private static readonly AlertCardBuilder Cards = new(new Uri("https://compliance.example/api"));
    // No TextBlock or FactSet: both are Markdown, and cards carry register text (see RichTextBlock).
    private static readonly HashSet<string> ElementTypes = ["RichTextBlock", "Container"];
    private static readonly HashSet<string> Colors = ["Default", "Dark", "Light", "Accent", "Good", "Warning", "Attention"];
    private static readonly HashSet<string> Styles = ["default", "emphasis", "good", "attention", "warning", "accent"];

    private static Alert AlertFor(string assetId, string manufacturer, bool sensitive, string segment, string? mac = null, string? previousManufacturer = null, string? previousSegment = null, string[]? unread = null)
    {
        StoredRecord? stored = null;
        if (previousManufacturer is not null)
        {
            var (first, _) = Planner.Plan("HO", assetId, null, [Command(assetId, 1, previousManufacturer, sensitive, previousSegment ?? segment, mac)], DateTimeOffset.UnixEpoch);
            stored = new StoredRecord(first!.After!, "etag", 1);
        }

        var (change, _) = Planner.Plan("HO", assetId, stored, [Command(assetId, 2, manufacturer, sensitive, segment, mac, unread)], DateTimeOffset.UnixEpoch.AddHours(1));
        return Assert.Single(change!.Alerts);
    }

    /// <summary>The event as a register sends it; fields in <paramref name="unread"/> are marked unread and sent without a value.</summary>
    private static ApplyAssetEvent Command(string assetId, long revision, string manufacturer, bool sensitive, string segment, string? mac, string[]? unread = null)
    {
        var data = new JsonObject
        {
            ["assetId"] = assetId, ["department"] = "HO", ["revision"] = revision, ["manufacturer"] = manufacturer, ["model"] = "CAM-4MP \"quoted\" <b>",
            ["deviceType"] = "camera", ["networkSegment"] = segment, ["installedOn"] = "2021-01-05",
            ["site"] = new JsonObject { ["id"] = "S1", ["name"] = "2 Marsham Street", ["sensitive"] = sensitive },
        };
        if (mac is not null) data["macAddress"] = mac;
        foreach (var path in unread ?? [])
        {
            var parts = path.Split('.');
            (parts.Length == 1 ? data : data[parts[0]]!.AsObject()).Remove(parts[^1]);
        }

        if (unread is not null) data["unreadFields"] = new JsonArray([.. unread.Select(p => (JsonNode)JsonValue.Create(p))]);
        var json = new JsonObject
        {
            ["specversion"] = "1.0", ["id"] = $"{assetId}-{revision}", ["source"] = "/departments/HO/asset-register", ["type"] = "asset.device.upserted",
            ["time"] = "2026-11-20T09:00:00Z", ["datacontenttype"] = "application/json", ["data"] = data,
        };
        return new ApplyAssetEvent(AssetEventParser.Parse(Encoding.UTF8.GetBytes(json.ToJsonString())).Event!);
    }

    private static readonly string[] ShapeNames = ["critical", "high", "review", "resolved", "escalated", "relabel", "unread"];

    public static TheoryData<string> Shapes => new(ShapeNames);

    private static Alert Shape(string shape, string assetId = "HO-CAM-1") => shape switch
    {
        "critical" => AlertFor(assetId, "Hikvision", true, "core"),
        "high" => AlertFor(assetId, "Hikvision", true, "segregated"),
        "review" => AlertFor(assetId, "Unknown Co", true, "segregated"),
        "resolved" => AlertFor(assetId, "Axis", true, "segregated", previousManufacturer: "Hikvision"),
        "escalated" => AlertFor(assetId, "Hikvision", true, "core", previousManufacturer: "Hikvision", previousSegment: "segregated"),
        "unread" => AlertFor(assetId, "Axis", false, "segregated", unread: ["site.sensitive", "networkSegment", "installedOn"]),
        _ => AlertFor(assetId, "Secure View Ltd", true, "segregated", mac: "08:ED:ED:12:34:56"),
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Every_kind_of_card_is_a_valid_Adaptive_Card_1_4_in_the_Workflows_envelope(string shape)
    {
        var alert = Shape(shape);
        var json = JsonSerializer.SerializeToElement(Cards.Build("HO", [alert]), AlertCardBuilder.Json);

        AssertValid(json);
        var expected = shape switch
        {
            "critical" => "CRITICAL: non-compliant",
            "high" => "HIGH: non-compliant",
            "review" => "NEEDS REVIEW",
            "resolved" => "RESOLVED: now Compliant",
            "escalated" => "ESCALATED TO CRITICAL",
            "unread" => "site_sensitive, network_segment, installed_on: the register holds a value there that could not be read",
            _ => "Relabel suspected",
        };
        Assert.Contains(expected, json.ToString());
        Assert.Contains("https://compliance.example/api/departments/HO/assets/HO-CAM-1", json.ToString());
    }

    [Fact]
    public void A_card_says_which_fields_were_not_read_never_that_they_are_not_recorded()
    {
        var alert = Shape("unread");
        var runs = Runs(JsonSerializer.SerializeToElement(Cards.Build("HO", [alert]), AlertCardBuilder.Json)).ToArray();

        Assert.Equal((ComplianceStatus.NeedsReview, ComplianceEvaluator.UnreadFieldsRule), (alert.Record.Status, alert.Record.Rule));
        Assert.Contains("2 Marsham Street (S1), sensitivity not read", runs);
        Assert.Equal("not read", runs[Array.IndexOf(runs, "Network: ") + 1]);
        Assert.Equal("not read", runs[Array.IndexOf(runs, "Installed: ") + 1]);
        Assert.Equal("site_sensitive, network_segment, installed_on: the register holds a value there that could not be read", runs[Array.IndexOf(runs, "Not read: ") + 1]);
        Assert.DoesNotContain(runs, r => r.Contains("not recorded", StringComparison.Ordinal));
    }

    [Fact]
    public void A_card_names_both_sides_of_a_conflict_with_a_prc_maker()
    {
        var alert = AlertFor("HO-CAM-9", "Hikvision", true, "segregated", mac: "AC:CC:8E:0A:1B:2C");
        var runs = Runs(JsonSerializer.SerializeToElement(Cards.Build("HO", [alert]), AlertCardBuilder.Json)).ToArray();

        Assert.Equal((ComplianceStatus.NeedsReview, ComplianceEvaluator.ConflictRule), (alert.Record.Status, alert.Record.Rule));
        var conflict = Assert.Single(runs, r => r.StartsWith("• The evidence conflicts", StringComparison.Ordinal));
        Assert.Contains("\"Hikvision\"", conflict);
        Assert.Contains("Axis Communications AB", conflict);
        Assert.Contains("Axis Communications AB", runs[Array.IndexOf(runs, "Evidence: ") + 1]);
    }

    [Fact]
    public void A_card_names_an_unlisted_registrant_and_its_country_and_says_when_a_mac_carries_no_maker_information()
    {
        var registered = AlertFor("HO-CAM-10", "Acme", true, "segregated", mac: "00:01:7A:12:34:56");
        var zeros = AlertFor("HO-CAM-11", "Acme", true, "segregated", mac: "00:00:00:00:00:00");
        var runs = Runs(JsonSerializer.SerializeToElement(Cards.Build("HO", [registered]), AlertCardBuilder.Json)).ToArray();
        var zeroRuns = Runs(JsonSerializer.SerializeToElement(Cards.Build("HO", [zeros]), AlertCardBuilder.Json)).ToArray();

        Assert.StartsWith("not identified by the catalogue; the MAC block is registered to Chengdu Maipu", runs[Array.IndexOf(runs, "Made by: ") + 1]);
        Assert.Contains("registrant in mainland China (PRC)", runs[Array.IndexOf(runs, "Evidence: ") + 1]);
        Assert.Contains("carries no maker information", zeroRuns[Array.IndexOf(zeroRuns, "Evidence: ") + 1]);
        Assert.Equal("not identified", zeroRuns[Array.IndexOf(zeroRuns, "Made by: ") + 1]);
        Assert.DoesNotContain(zeroRuns, r => r.Contains("XEROX", StringComparison.Ordinal));
    }

    /// <summary>The text of every run in a card, in order.</summary>
    private static IEnumerable<string> Runs(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => (element.TryGetProperty("type", out var type) && type.GetString() == "TextRun" ? [element.GetProperty("text").GetString()!] : Array.Empty<string>())
            .Concat(element.EnumerateObject().SelectMany(p => Runs(p.Value))),
        JsonValueKind.Array => element.EnumerateArray().SelectMany(Runs),
        _ => [],
    };

    /// <summary>
    /// Ids a URL could misread (<see cref="EventParserTests.IdsALinkCouldMisread"/>): the link must stay under the
    /// department's assets, and its last segment must be no dot segment in any spelling a browser knows (the WHATWG URL standard: '.', '%2e', '..', '.%2e', '%2e.',
    /// '%2e%2e', any case) and decode to the id.
    /// </summary>
    [Theory]
    [MemberData(nameof(EventParserTests.IdsALinkCouldMisread), MemberType = typeof(EventParserTests))]
    public void A_card_links_to_its_asset_whatever_the_asset_id(string assetId)
    {
        var card = JsonSerializer.SerializeToElement(Cards.Build("HO", [Shape("critical", assetId)]), AlertCardBuilder.Json);
        var link = Links(card).Where(l => l.Contains("/assets/", StringComparison.Ordinal)).Distinct().Single();

        var uri = new Uri(link);
        Assert.Equal("/api/departments/HO/assets/", uri.AbsolutePath[..(uri.AbsolutePath.LastIndexOf('/') + 1)]);
        var segment = uri.AbsolutePath[(uri.AbsolutePath.LastIndexOf('/') + 1)..];
        string[] dotSegments = [".", "%2e", "..", ".%2e", "%2e.", "%2e%2e"];
        Assert.DoesNotContain(segment.ToLowerInvariant(), dotSegments);
        Assert.Equal(assetId, Uri.UnescapeDataString(segment));
    }

    private static IEnumerable<string> Links(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p => p.Name == "url" && p.Value.ValueKind == JsonValueKind.String ? [p.Value.GetString()!] : Links(p.Value)),
        JsonValueKind.Array => element.EnumerateArray().SelectMany(Links),
        _ => [],
    };

    [Fact]
    public void A_card_for_hundreds_of_devices_stays_under_the_size_limit_and_says_how_many_more()
    {
        var alerts = Enumerable.Range(1, 300).Select(i => Shape(ShapeNames[i % 6], $"HO-CAM-{i:D3}")).ToArray();
        var message = Cards.Build("HO", alerts);
        var json = JsonSerializer.SerializeToElement(message, AlertCardBuilder.Json);

        AssertValid(json);
        Assert.True(AlertCardBuilder.Size(message) <= AlertCardBuilder.MaxPayloadBytes, $"{AlertCardBuilder.Size(message)} bytes");
        Assert.Contains(message.Attachments[0].Content.Body.OfType<RichTextBlock>(), t => System.Text.RegularExpressions.Regex.IsMatch(t.PlainText, "^…and [0-9]+ more change"));
        // Deterministic: the same alerts in another order give the same bytes.
        Assert.Equal(JsonSerializer.Serialize(message, AlertCardBuilder.Json), JsonSerializer.Serialize(Cards.Build("HO", alerts.Reverse().ToArray()), AlertCardBuilder.Json));
    }

    [Fact]
    public void A_card_reports_the_devices_it_shows_in_full_and_the_rest_fill_further_cards_each_under_the_limit()
    {
        var alerts = Enumerable.Range(1, 60).Select(i => Shape(ShapeNames[i % 6], $"HO-CAM-{i:D3}")).ToArray();
        var shown = new List<Alert>();
        var cards = 0;
        IReadOnlyList<Alert> rest = alerts.Reverse().ToArray();
        while (rest.Count > 0)
        {
            var card = Cards.BuildCard("HO", rest);
            cards++;
            Assert.NotEmpty(card.Shown);
            Assert.Equal(rest.Count, card.Shown.Count + card.Rest.Count);
            Assert.True(AlertCardBuilder.Size(card.Message) <= AlertCardBuilder.MaxPayloadBytes, $"{AlertCardBuilder.Size(card.Message)} bytes");
            // What the card claims to show is what its device blocks show, and no more.
            var headings = card.Message.Attachments[0].Content.Body.OfType<Container>().Select(c => ((RichTextBlock)c.Items[0]).PlainText).ToArray();
            Assert.Equal(card.Shown.Select(a => a.AssetId), headings.Select(h => h[(h.LastIndexOf(' ') + 1)..]));
            Assert.Equal(card.Rest.Count > 0, card.Message.Attachments[0].Content.Body.OfType<RichTextBlock>().Any(t => t.PlainText.StartsWith($"…and {card.Rest.Count} more change(s) in HO, in the next card", StringComparison.Ordinal)));
            Assert.Equal(JsonSerializer.Serialize(Cards.Build("HO", rest), AlertCardBuilder.Json), JsonSerializer.Serialize(card.Message, AlertCardBuilder.Json));
            shown.AddRange(card.Shown);
            rest = card.Rest;
        }

        Assert.True(cards > 1, "60 devices fit in one card: the test no longer splits");
        Assert.Equal(alerts.OrderBy(a => a.OccurredAt).ThenBy(a => a.AssetId, StringComparer.Ordinal).Select(a => a.AssetId), shown.Select(a => a.AssetId));
    }

    internal static void AssertValid(JsonElement message)
    {
        Assert.Equal("message", message.GetProperty("type").GetString());
        var attachment = Assert.Single(message.GetProperty("attachments").EnumerateArray());
        Assert.Equal("application/vnd.microsoft.card.adaptive", attachment.GetProperty("contentType").GetString());
        Assert.Equal(JsonValueKind.Null, attachment.GetProperty("contentUrl").ValueKind);
        var card = attachment.GetProperty("content");
        Assert.Equal("AdaptiveCard", card.GetProperty("type").GetString());
        Assert.Equal("1.4", card.GetProperty("version").GetString());
        Assert.Equal("http://adaptivecards.io/schemas/adaptive-card.json", card.GetProperty("$schema").GetString());
        Assert.All(card.GetProperty("body").EnumerateArray(), AssertElement);
        Assert.All(card.GetProperty("actions").EnumerateArray(), a =>
        {
            Assert.Equal("Action.OpenUrl", a.GetProperty("type").GetString());
            Assert.True(Uri.IsWellFormedUriString(a.GetProperty("url").GetString(), UriKind.Absolute));
            Assert.False(string.IsNullOrWhiteSpace(a.GetProperty("title").GetString()));
        });
        Assert.True(card.GetProperty("actions").GetArrayLength() <= 6, "Teams shows at most six actions");
    }

    private static void AssertElement(JsonElement element)
    {
        var type = element.GetProperty("type").GetString()!;
        Assert.Contains(type, ElementTypes);
        switch (type)
        {
            case "RichTextBlock":
                Assert.NotEqual(0, element.GetProperty("inlines").GetArrayLength());
                Assert.All(element.GetProperty("inlines").EnumerateArray(), run =>
                {
                    Assert.Equal("TextRun", run.GetProperty("type").GetString());
                    Assert.False(string.IsNullOrEmpty(run.GetProperty("text").GetString()));
                    if (run.TryGetProperty("color", out var color)) Assert.Contains(color.GetString()!, Colors);
                    if (run.TryGetProperty("selectAction", out var link))
                    {
                        Assert.Equal("Action.OpenUrl", link.GetProperty("type").GetString());
                        Assert.StartsWith("https://compliance.example/api/", link.GetProperty("url").GetString());
                    }
                });
                break;
            default:
                if (element.TryGetProperty("style", out var style)) Assert.Contains(style.GetString()!, Styles);
                Assert.All(element.GetProperty("items").EnumerateArray(), AssertElement);
                break;
        }
    }
}
