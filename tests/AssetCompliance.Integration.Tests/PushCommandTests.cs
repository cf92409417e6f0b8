using AssetCompliance.Core.Registers;
using AssetCompliance.Cli;
using AssetCompliance.Core.Events;
using AssetCompliance.Core.Policy;
using AssetCompliance.Core.Processing;

namespace AssetCompliance.Integration.Tests;

/// <summary><c>compliance push</c>: register rows become valid events with stable ids, which the pipeline processes.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class PushCommandTests(AzuriteFixture azurite)
{
    private static readonly string Register = Path.Combine(RepositoryPaths.Root, "samples", "register-dfe.csv");
    private const string Header = "asset_id,department,manufacturer,model,serial_number,mac_address,device_type,site_id,site_name,site_sensitive,network_segment,installed_on,status";

    private static string Camera(string id, string mac = "", string installed = "2023-01-01", string manufacturer = "Hikvision", string model = "DS-2CD2143G2-I") =>
        $"{id},HO,{manufacturer},{model},S-{id},{mac},camera,HO-SITE,Marsham Street,true,segregated,{installed},in-service";

    private static async Task<(int Exit, CollectingPublisher Publisher, string Report)> PushLinesAsync(params string[] lines)
    {
        var path = Path.Combine(Path.GetTempPath(), $"push-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(path, string.Join("\n", lines) + "\n");
        try
        {
            return await PushAsync(path, "HO");
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Sends the pushed events through the pipeline's processor into Azurite; every one must apply. Returns a status lookup.</summary>
    private async Task<Func<string, string, Task<ComplianceStatus>>> ProcessAsync(CollectingPublisher publisher)
    {
        var store = await azurite.CreateStoreAsync();
        var results = await TestEvents.Processor(store).ProcessAsync(publisher.Sent.Select(e => TestEvents.Message(System.Text.Encoding.UTF8.GetString(e.Body.Span), e.EventId)).ToArray(), CancellationToken.None);
        Assert.All(results, r => Assert.Equal(MessageOutcome.Applied, r.Outcome));
        return async (department, assetId) => (await store.GetRecordAsync(department, assetId, CancellationToken.None))!.Record.Status;
    }

    private static System.Text.Json.Nodes.JsonNode Data(OutgoingEvent e) => System.Text.Json.Nodes.JsonNode.Parse(e.Body.Span)!["data"]!;

    private sealed class CollectingPublisher : IAssetEventPublisher
    {
        public List<OutgoingEvent> Sent { get; } = [];

        public Task PublishAsync(IReadOnlyList<OutgoingEvent> events, CancellationToken cancellationToken)
        {
            Sent.AddRange(events);
            return Task.CompletedTask;
        }
    }

    private static async Task<(int Exit, CollectingPublisher Publisher, string Report)> PushAsync(string path, string department, long revision = 42, RegisterReadOptions? options = null)
    {
        var publisher = new CollectingPublisher();
        var report = new StringWriter();
        var exit = await PushCommand.RunAsync(path, department, revision, publisher, report, CancellationToken.None, options);
        return (exit, publisher, report.ToString());
    }

    [Fact]
    public async Task A_register_becomes_valid_events_that_the_pipeline_evaluates_and_bad_rows_are_reported_not_sent()
    {
        var (exit, publisher, report) = await PushAsync(Register, "DFE");

        Assert.Equal(2, exit); // one row could not be sent
        Assert.Contains("register-dfe.csv:8: not sent: the device type could not be read", report);
        Assert.Equal(6, publisher.Sent.Count);
        Assert.All(publisher.Sent, e => Assert.Empty(AssetEventParser.Parse(e.Body).Errors));

        var status = await ProcessAsync(publisher);
        Assert.Equal(ComplianceStatus.NonCompliant, await status("DFE", "DFE-0003"));
        Assert.Equal(ComplianceStatus.Removed, await status("DFE", "DFE-0006"));
    }

    [Fact]
    public async Task Pushing_the_same_file_again_gives_the_same_ids_and_a_changed_row_a_new_one()
    {
        var copy = Path.GetTempFileName() + ".csv";
        try
        {
            var first = (await PushAsync(Register, "DFE")).Publisher.Sent.Select(e => e.EventId).ToArray();
            var again = (await PushAsync(Register, "DFE")).Publisher.Sent.Select(e => e.EventId).ToArray();
            File.WriteAllText(copy, File.ReadAllText(Register).Replace("P3245-LVE", "P3265-LVE", StringComparison.Ordinal));
            var changed = (await PushAsync(copy, "DFE")).Publisher.Sent.Select(e => e.EventId).ToArray();

            Assert.Equal(first, again);
            Assert.Single(first.Except(changed));
        }
        finally
        {
            File.Delete(copy);
        }
    }

    [Fact]
    public async Task Rows_of_another_department_are_refused()
    {
        var (exit, publisher, report) = await PushAsync(Register, "HO");

        Assert.Equal(2, exit);
        Assert.Empty(publisher.Sent);
        Assert.Contains("department is 'DFE', not 'HO'", report);
    }

    [Fact]
    public async Task An_asset_id_a_storage_key_cannot_hold_is_refused_naming_the_character_and_the_other_rows_are_sent()
    {
        var (exit, publisher, report) = await PushLinesAsync(Header, Camera("HO/CAM/1"), Camera("HO-CAM-2"));

        Assert.Equal(2, exit);
        Assert.Contains(":2: not sent: asset_id 'HO/CAM/1' contains '/'", report);
        Assert.Equal("HO-CAM-2", Data(Assert.Single(publisher.Sent))["assetId"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_asset_id_that_is_a_dot_segment_is_refused_saying_why_and_the_other_rows_are_sent()
    {
        var (exit, publisher, report) = await PushLinesAsync(Header, Camera(".."), Camera("..."), Camera("."));

        Assert.Equal(2, exit);
        Assert.Contains(":2: not sent: asset_id '..' must not be '..', which a link reads as 'the folder above'", report);
        Assert.Contains(":4: not sent: asset_id '.' must not be '.', which a link reads as 'this folder'", report);
        Assert.Equal("...", Data(Assert.Single(publisher.Sent))["assetId"]!.GetValue<string>());
    }

    [Fact]
    public async Task Unreadable_cells_are_left_out_and_reported_register_notations_are_sent_canonically_and_the_pipeline_still_finds_the_hikvision_cameras()
    {
        var (exit, publisher, report) = await PushLinesAsync(Header,
            Camera("HO-CAM-1", mac: "4.419E+11", installed: "24/11/2022"),
            Camera("HO-CAM-2", mac: "bcad-284f-1102", manufacturer: "Secure View", model: "SV-100"));

        Assert.Equal(3, exit); // everything sent, with warnings
        Assert.Contains(":2: sent with warnings: mac_address '4.419E+11' is a number in scientific notation", report);
        var first = Data(publisher.Sent[0]);
        Assert.Null(first["macAddress"]);
        Assert.Equal("macAddress", Assert.Single(first["unreadFields"]!.AsArray())!.GetValue<string>()); // unread, not absent
        Assert.Equal("2022-11-24", first["installedOn"]!.GetValue<string>());
        Assert.Equal("BC:AD:28:4F:11:02", Data(publisher.Sent[1])["macAddress"]!.GetValue<string>());

        var status = await ProcessAsync(publisher);
        Assert.Equal(ComplianceStatus.NonCompliant, await status("HO", "HO-CAM-1"));
        Assert.Equal(ComplianceStatus.NonCompliant, await status("HO", "HO-CAM-2"));
    }

    [Fact]
    public async Task A_file_that_is_not_a_register_sends_nothing_and_says_why()
    {
        var (exit, publisher, report) = await PushLinesAsync("Owner,Department", "HO-1,HO");

        Assert.Equal(2, exit);
        Assert.Empty(publisher.Sent);
        Assert.Contains("not sent: the header does not match the documented columns: no column is read as asset_id", report);
    }

    [Fact]
    public async Task Rows_the_contract_cannot_carry_are_refused_not_sent_to_be_rejected()
    {
        var (exit, publisher, report) = await PushLinesAsync(Header,
            Camera("HO-CAM-1", model: new string('M', 300)),
            Camera("HO-CAM-2").Replace(",in-service", ",quarantined", StringComparison.Ordinal),
            Camera("HO-CAM-3").Replace("HO-SITE", "", StringComparison.Ordinal),
            Camera("HO-CAM-4"));

        Assert.Equal(2, exit);
        // Text over the contract's 256 characters is not read: sent without its value, marked unread, never cut.
        Assert.Contains(":2: sent with warnings: ", report);
        Assert.Contains(":3: not sent: status 'quarantined' could not be read", report);
        // A blank site id beside a stated name and sensitivity is sent without an id (see the test below).
        Assert.Contains(":4: sent with warnings: ", report);
        Assert.Equal(["HO-CAM-1", "HO-CAM-3", "HO-CAM-4"], publisher.Sent.Select(e => Data(e)["assetId"]!.GetValue<string>()));
        var longModel = Data(publisher.Sent[0]);
        Assert.Null(longModel["model"]);
        Assert.Equal(["model"], longModel["unreadFields"]!.AsArray().Select(n => n!.GetValue<string>()));
    }

    [Fact]
    public async Task A_stated_sensitivity_is_sent_and_evaluated_even_when_the_site_id_is_blank()
    {
        var (exit, publisher, report) = await PushLinesAsync(Header,
            Camera("HO-CAM-1").Replace("HO-SITE,Marsham Street", ",", StringComparison.Ordinal), // sensitive, no id, no name
            Camera("HO-CAM-2").Replace("HO-SITE,Marsham Street,true", ",,Yes", StringComparison.Ordinal),
            Camera("HO-CAM-3").Replace("HO-SITE", "", StringComparison.Ordinal), // a name, sensitive
            Camera("HO-CAM-4").Replace("HO-SITE,Marsham Street,true", ",,", StringComparison.Ordinal)); // nothing stated

        Assert.Equal(2, exit);
        Assert.Contains(":5: not sent: site_id is blank, and so are site_name and site_sensitive", report);
        Assert.Equal(["HO-CAM-1", "HO-CAM-2", "HO-CAM-3"], publisher.Sent.Select(e => Data(e)["assetId"]!.GetValue<string>()));
        Assert.All(publisher.Sent, e => Assert.Null(Data(e)["site"]!["id"]));
        Assert.All(publisher.Sent, e => Assert.True(Data(e)["site"]!["sensitive"]!.GetValue<bool>()));

        // The pipeline evaluates them on what the register says: a Hikvision camera at a sensitive site.
        var status = await ProcessAsync(publisher);
        Assert.Equal(ComplianceStatus.NonCompliant, await status("HO", "HO-CAM-1"));
        Assert.Equal(ComplianceStatus.NonCompliant, await status("HO", "HO-CAM-2"));
        Assert.Equal(ComplianceStatus.NonCompliant, await status("HO", "HO-CAM-3"));
    }

    [Fact]
    public async Task Ids_with_characters_the_register_did_not_mean_are_refused_and_text_with_control_characters_is_sent_as_unread()
    {
        // /tmp/break2/cpid.csv: Windows-1252 ids CAM-é, CAM-è (both CAM-U+FFFD once decoded); nul.csv, bommid.csv.
        var path = Path.Combine(Path.GetTempPath(), $"push-{Guid.NewGuid():N}.csv");
        // 100 rows first: a NUL in the first 8 KiB makes the file "not text" as a whole.
        var text = string.Join("\n", [Header, .. Enumerable.Range(0, 100).Select(i => Camera($"F-{i}")), Camera("CAM-@"), Camera("CAM-#"), Camera("A\u00002"), Camera("\uFEFFA3"), Camera("HO-5").Replace("S-HO-5", "S-HO-\uFFFD", StringComparison.Ordinal),
            Camera("HO-6").Replace("HO-SITE", "HO-\uFFFF", StringComparison.Ordinal), Camera("HO-7", manufacturer: "Hik\0vision")]) + "\n";
        await File.WriteAllBytesAsync(path, System.Text.Encoding.UTF8.GetBytes(text).Select(b => b == (byte)'@' ? (byte)0xE9 : b == (byte)'#' ? (byte)0xE8 : b).ToArray());
        try
        {
            // UTF-8 and Windows-1252 bytes mixed: the encoding cannot be told, and nothing is sent.
            var (refused, nothingSent, why) = await PushAsync(path, "HO");
            Assert.Equal(PushCommand.ExitNotAllSent, refused); // a file push cannot read counts as all rows not sent
            Assert.Empty(nothingSent.Sent);
            Assert.Contains("encoding cannot be told", why);

            // Read as UTF-8 when told so: the Windows-1252 bytes are U+FFFD, and those ids are refused.
            var (exit, publisher, report) = await PushAsync(path, "HO", options: new RegisterReadOptions { Encoding = "utf-8" });

            Assert.True(exit == 2, report);
            Assert.Contains(":102: not sent: asset_id 'CAM-\uFFFD' holds U+FFFD", report);
            Assert.Contains("Windows-1252", report);
            Assert.Contains(":103: not sent: asset_id 'CAM-\uFFFD' holds U+FFFD", report);
            Assert.Contains(":104: not sent: asset_id 'A\\u00002' contains the control character U+0000", report);
            Assert.Contains(":105: not sent: asset_id '\\uFEFFA3'", report);
            Assert.Contains(":107: not sent: site_id 'HO-\\uFFFF' holds U+FFFF", report);
            Assert.Contains(":108: sent with warnings: manufacturer 'Hik\\u0000vision' holds the control character U+0000, which is removed: read as 'Hikvision'", report);
            Assert.Equal(["HO-5", "HO-7"], publisher.Sent.Skip(100).Select(e => Data(e)["assetId"]!.GetValue<string>()));
            // The register did not hold what it meant: the maker cell is sent as unread, not as the cleaned text.
            Assert.Null(Data(publisher.Sent[^1])["manufacturer"]);
            Assert.Contains("manufacturer", Data(publisher.Sent[^1])["unreadFields"]!.AsArray().Select(n => n!.GetValue<string>()));
            Assert.DoesNotContain(publisher.Sent, e => System.Text.Encoding.UTF8.GetString(e.Body.Span).Contains("\\u0000", StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(450)]
    public async Task A_dry_run_whose_output_cannot_be_written_is_an_error_line_not_a_stack_trace(int writable)
    {
        // push --dry-run > /dev/full: the first write fails (exit 1, nothing written); a pipe closed part way: exit 2.
        var path = Path.Combine(Path.GetTempPath(), $"push-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(path, string.Join("\n", [Header, .. Enumerable.Range(0, 300).Select(i => Camera($"HO-{i}"))]) + "\n");
        try
        {
            var report = new StringWriter();
            var exit = await PushCommand.RunAsync(path, "HO", 42, new PushCommand.JsonLinesPublisher(new FullDevice(writable)), report, CancellationToken.None);

            Assert.Equal(writable == 0 ? 1 : 2, exit);
            Assert.Contains("error: the events could not be written: No space left on device", report.ToString());
            Assert.Contains(writable == 0 ? "None of the 300 event(s)" : "The first 200 of 300 event(s)", report.ToString());
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>An output that takes <c>writable</c> writes and then fails as /dev/full does.</summary>
    private sealed class FullDevice(int writable) : MemoryStream
    {
        private int _writes;

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            if (++_writes > writable)
            {
                throw new IOException("No space left on device");
            }
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Write(buffer.Span);
            return ValueTask.CompletedTask;
        }

        public override Task FlushAsync(CancellationToken cancellationToken) => _writes > writable ? throw new IOException("No space left on device") : Task.CompletedTask;
    }

    /// <summary>
    /// The queue failing part way (after the first chunk of 200, with 50 of the second confirmed) is an error line
    /// saying how many were confirmed and that pushing again is safe, and exit 2: never a stack trace, never exit 0.
    /// An event too large for a message is the same kind of answer.
    /// </summary>
    [Theory]
    [InlineData("outage")]
    [InlineData("too-large")]
    public async Task A_queue_that_fails_part_way_is_an_error_line_with_what_was_confirmed_and_exit_2(string failure)
    {
        var path = Path.Combine(Path.GetTempPath(), $"push-{Guid.NewGuid():N}.csv");
        await File.WriteAllLinesAsync(path, [Header, .. Enumerable.Range(1, 450).Select(i => Camera($"HO-CAM-{i:D4}"))]);
        try
        {
            var publisher = new FailingPublisher(failure);
            var report = new StringWriter();

            var exit = await PushCommand.RunAsync(path, "HO", 42, publisher, report, CancellationToken.None);

            Assert.Equal(PushCommand.ExitNotAllSent, exit);
            var text = report.ToString();
            Assert.DoesNotContain("   at ", text);
            Assert.Contains(failure == "outage" ? "250 of 450 event(s)" : "200 of 450 event(s)", text);
            Assert.Contains("Push the same file again", text);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private sealed class FailingPublisher(string failure) : IAssetEventPublisher
    {
        private int _calls;

        public Task PublishAsync(IReadOnlyList<OutgoingEvent> events, CancellationToken cancellationToken)
        {
            if (++_calls == 1)
            {
                return Task.CompletedTask;
            }

            throw failure == "outage"
                ? new AssetCompliance.Core.State.EventsNotEnqueuedException("Service Bus failed (ServiceBusy)", [.. events.Take(50).Select(e => e.EventId)], [.. events.Skip(50).Take(50).Select(e => e.EventId)], [.. events.Skip(100).Select(e => e.EventId)])
                : new EventTooLargeException(events[3].EventId, 3, 300_000);
        }
    }

    [Fact]
    public async Task A_netbox_export_is_pushed_with_its_department_filled_and_the_pipeline_judges_its_hikvision_camera()
    {
        var path = Path.Combine(RepositoryPaths.Root, "samples", "registers", "netbox-devices-all.csv");
        var (exit, publisher, report) = await PushAsync(path, "HO");

        Assert.Equal(3, exit); // all sent; sw-mst-01's asset id is its name, warned
        Assert.Equal(4, publisher.Sent.Count);
        Assert.Contains("sw-mst-01", report);
        Assert.All(publisher.Sent, e => Assert.Equal("HO", Data(e)["department"]!.GetValue<string>()));
        var status = await ProcessAsync(publisher);
        Assert.Equal(ComplianceStatus.NonCompliant, await status("HO", "HO-CAM-0001"));
        Assert.Equal(ComplianceStatus.Compliant, await status("HO", "HO-CAM-0002"));
    }

    [Fact]
    public async Task A_row_of_another_department_than_the_push_is_refused_and_a_blank_one_is_filled()
    {
        var (exit, publisher, report) = await PushLinesAsync("Asset Tag,Dept,Make,Model No.,Type,Site Code,Sensitive",
            "A-1,,Axis,P3265-LVE,camera,HO-SITE,yes", "A-2,MOJ,Axis,P3265-LVE,camera,HO-SITE,yes");

        Assert.Equal(2, exit);
        Assert.Equal("A-1", Data(Assert.Single(publisher.Sent))["assetId"]!.GetValue<string>());
        Assert.Contains("not sent: department is 'MOJ', not 'HO'", report);
    }
}
