using System.Text.Json;
using System.Text.Json.Nodes;
using AssetCompliance.Cli;
using AssetCompliance.Core.Events;
using AssetCompliance.Core.Processing;

namespace AssetCompliance.Integration.Tests;

/// <summary>
/// <c>compliance check</c> on a register typed as people type one (samples/register-as-typed.csv: "Fixed Dome",
/// "Yes", "13/03/2023", "Active", "MAC: …", Excel's 1.23457E+11, "Recorder", "Spare", "Lost/Stolen", two MACs in a
/// cell): every device gets the verdict its values call for, and every guess is a warning that says what it was read as.
/// </summary>
public sealed class RegisterValueCheckTests
{
    private static readonly string Sample = Path.Combine(RepositoryPaths.Root, "samples", "register-as-typed.csv");

    [Fact]
    public async Task A_register_in_the_words_people_type_is_judged_as_the_documented_form_would_be_with_each_guess_warned()
    {
        var file = Path.GetTempFileName();
        var errors = new StringWriter();
        int exit;
        try
        {
            await using (var output = File.Create(file))
            {
                exit = await CheckCommand.RunAsync(Sample, "json", output, errors, indented: false, CancellationToken.None);
            }

            using var json = JsonDocument.Parse(await File.ReadAllTextAsync(file));
            var results = json.RootElement.GetProperty("results").EnumerateArray().ToDictionary(r => r.GetProperty("assetId").GetString()!);
            string Status(string id) => results[id].GetProperty("status").GetString()!;
            string[] Warnings(string id) => results[id].GetProperty("warnings").EnumerateArray()
                .Select(w => $"{w.GetProperty("column").GetString()}{(w.GetProperty("unread").GetBoolean() ? " (unread)" : "")}").ToArray();

            Assert.Equal(CheckCommand.ExitNonCompliant, exit);
            Assert.Equal(8, results.Count);

            // Fixed Dome, Yes, Active and a labelled MAC are the documented values; the UK date is warned as read.
            Assert.Equal(("NonCompliant", "Critical"), (Status("HO-0001"), results["HO-0001"].GetProperty("severity").GetString()));
            Assert.Equal(["installed_on"], Warnings("HO-0001"));
            Assert.Equal("Compliant", Status("HO-0002"));
            Assert.Empty(Warnings("HO-0002"));
            // Excel's rendering of a MAC is no evidence: an unidentified camera at a sensitive site is held for review.
            Assert.Equal("NeedsReview", Status("HO-0003"));
            Assert.Equal(["mac_address (unread)", "installed_on"], Warnings("HO-0003"));
            // Recorder, High and Spare are guesses toward the stricter reading: a Dahua recorder at a sensitive site.
            Assert.Equal("NonCompliant", Status("HO-0004"));
            Assert.Equal(["device_type", "site_sensitive", "status"], Warnings("HO-0004"));
            Assert.Equal("Removed", Status("HO-0005"));
            Assert.Empty(Warnings("HO-0005"));
            // Lost/Stolen may still be connected: evaluated, never removed.
            Assert.Equal("NonCompliant", Status("HO-0006"));
            Assert.Equal(["device_type", "installed_on", "status"], Warnings("HO-0006"));
            // A date valid only month-first is not read, and so holds a compliant verdict back.
            Assert.Equal("NeedsReview", Status("HO-0007"));
            Assert.Equal(["installed_on (unread)"], Warnings("HO-0007"));
            Assert.Equal("Compliant", Status("HO-0008"));
            Assert.Equal(["mac_address", "installed_on"], Warnings("HO-0008"));

            var text = errors.ToString();
            Assert.Contains("HO-0004: device_type 'Recorder' read as nvr", text, StringComparison.Ordinal);
            Assert.Contains("HO-0004: status 'Spare' read as in service", text, StringComparison.Ordinal);
            Assert.Contains("HO-0006: status 'Lost/Stolen' read as in service", text, StringComparison.Ordinal);
            Assert.Contains("HO-0006: device_type 'Door Entry' read as video-intercom", text, StringComparison.Ordinal);
            Assert.Contains("HO-0003: mac_address '1.23457E+11' is a number in scientific notation", text, StringComparison.Ordinal);
            Assert.Contains("HO-0008: installed_on '03/04/2023' read as 2023-04-03, day/month/year (the UK order); ambiguous", text, StringComparison.Ordinal);
            Assert.Contains("HO-0007: installed_on '03/13/2023' is a date only in month/day/year order (US)", text, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Push_sends_the_same_register_as_contract_values_and_never_a_removal_for_a_device_that_may_be_connected()
    {
        var publisher = new CollectingPublisher();
        var report = new StringWriter();

        var exit = await PushCommand.RunAsync(Sample, "HO", 1, publisher, report, CancellationToken.None);

        // Every row sent; exit 3 because cells were read by a rule (warned) or not read (sent as unread).
        Assert.Equal(3, exit);
        Assert.DoesNotContain(": not sent:", report.ToString(), StringComparison.Ordinal);
        Assert.Contains("0 row(s) not sent; 6 sent with warnings", report.ToString(), StringComparison.Ordinal);
        Assert.All(publisher.Sent, e => Assert.Empty(AssetEventParser.Parse(e.Body).Errors));
        var events = publisher.Sent.ToDictionary(e => Data(e)["assetId"]!.GetValue<string>(), e => JsonNode.Parse(e.Body.Span)!);
        Assert.Equal(8, events.Count);
        string Type(string id) => events[id]["type"]!.GetValue<string>();
        JsonNode Field(string id) => events[id]["data"]!;

        Assert.Equal(("camera", "BC:AD:28:4F:11:02"), (Field("HO-0001")["deviceType"]!.GetValue<string>(), Field("HO-0001")["macAddress"]!.GetValue<string>()));
        Assert.Equal(["macAddress"], Field("HO-0003")["unreadFields"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal(("nvr", true), (Field("HO-0004")["deviceType"]!.GetValue<string>(), Field("HO-0004")["site"]!["sensitive"]!.GetValue<bool>()));
        Assert.Equal(AssetEventTypes.Upserted, Type("HO-0004")); // Spare
        Assert.Equal(AssetEventTypes.Removed, Type("HO-0005")); // Decommissioned
        Assert.Equal(AssetEventTypes.Upserted, Type("HO-0006")); // Lost/Stolen
        Assert.Equal("video-intercom", Field("HO-0006")["deviceType"]!.GetValue<string>());
        Assert.Equal("2023-03-13", Field("HO-0006")["installedOn"]!.GetValue<string>());
        Assert.Equal(["installedOn"], Field("HO-0007")["unreadFields"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal("00:00:0C:12:34:56", Field("HO-0008")["macAddress"]!.GetValue<string>());
    }

    private static JsonNode Data(OutgoingEvent e) => JsonNode.Parse(e.Body.Span)!["data"]!;

    private sealed class CollectingPublisher : IAssetEventPublisher
    {
        public List<OutgoingEvent> Sent { get; } = [];

        public Task PublishAsync(IReadOnlyList<OutgoingEvent> events, CancellationToken cancellationToken)
        {
            Sent.AddRange(events);
            return Task.CompletedTask;
        }
    }
}
