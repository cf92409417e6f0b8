using System.Text;
using System.Text.Json;
using AssetCompliance.Core.Events;
using AssetCompliance.Core.NetBox;
using AssetCompliance.Core.Registers;
using AssetCompliance.Core.State;

namespace AssetCompliance.Core.Tests;

/// <summary>
/// The register sync planner: unchanged devices send nothing, changed and new ones are sent, stored devices absent from
/// the register are removed within the guard, and a register not wholly read never removes anything.
/// </summary>
public sealed class RegisterSyncTests
{
    private const string Header = "asset_id,department,manufacturer,model,serial_number,mac_address,device_type,site_id,site_name,site_sensitive,network_segment,installed_on,status";
    private static readonly DateTimeOffset Time = DateTimeOffset.Parse("2026-12-01T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

    private static string Row(string id, string model = "DS-2CD2143G2-I", string department = "HO", string status = "in-service", string mac = "BC:AD:28:4F:11:02") =>
        $"{id},{department},Hikvision,{model},S-{id},{mac},camera,HO-SITE,Marsham Street,true,segregated,2023-01-01,{status}";

    private static IEnumerable<RegisterRow> Csv(IEnumerable<string> rows) => RegisterReader.ReadCsv(Header + "\n" + string.Join("\n", rows) + "\n");

    private static IEnumerable<string> Ids(int count) => Enumerable.Range(1, count).Select(i => $"CAM-{i:D2}");

    /// <summary>The devices as the pipeline stores them: the events a push of these rows makes, as the parser reads them.</summary>
    private static List<StoredDevice> Stored(IEnumerable<string> rows, long revision = 100) =>
        RegisterEvents.From(Csv(rows), "HO", revision, Time).Events
            .Select(e => new StoredDevice(AssetEventParser.Parse(e.Body).Event!.Device, Removed: false)).ToList();

    private static SyncPlan Plan(IEnumerable<string> register, IReadOnlyCollection<StoredDevice> stored, bool removals = true, int? allow = null, long revision = 200) =>
        RegisterSync.Plan(Csv(register), "HO", stored, revision, Time, new RegisterSyncOptions { Removals = removals, AllowRemovals = allow });

    private static string[] Actions(SyncPlan plan, SyncAction action) => [.. plan.Devices.Where(d => d.Action == action).Select(d => d.AssetId)];

    private static string[] SentTypes(SyncPlan plan) => [.. plan.Events.Select(e => AssetEventParser.Parse(e.Body).Event!).Select(e => $"{e.AssetId}:{e.Kind}")];

    [Fact]
    public void New_and_changed_devices_are_sent_unchanged_ones_are_not_and_absent_ones_are_removed()
    {
        var stored = Stored(Ids(20).Select(id => Row(id)));
        // CAM-01 changes model, CAM-21 is new, CAM-19 and CAM-20 are gone: 2 of 20 is the 10% allowed.
        var register = Ids(18).Select(id => id == "CAM-01" ? Row(id, model: "DS-2CD2043G2-I") : Row(id)).Append(Row("CAM-21"));

        var plan = Plan(register, stored);

        Assert.Null(plan.Refusal);
        Assert.Null(plan.RemovalsWithheld);
        Assert.Equal(["CAM-21"], Actions(plan, SyncAction.New));
        Assert.Equal(["CAM-01"], Actions(plan, SyncAction.Changed));
        Assert.Equal(["CAM-19", "CAM-20"], Actions(plan, SyncAction.Removed));
        Assert.Equal(17, plan.Unchanged);
        Assert.Equal(["CAM-01:Upserted", "CAM-21:Upserted", "CAM-19:Removed", "CAM-20:Removed"], SentTypes(plan));
        Assert.All(plan.Devices.Where(d => d.Action == SyncAction.Unchanged), d => Assert.Null(d.EventId));
        Assert.Equal(2, plan.Devices.Single(d => d.AssetId == "CAM-01").Line); // the register line it was read from
    }

    [Fact]
    public void A_device_is_unchanged_whatever_the_revisions_when_its_registered_fields_are_the_same()
    {
        var stored = Stored([Row("CAM-01")], revision: 5);

        var plan = Plan([Row("CAM-01")], stored, revision: 999);

        Assert.Empty(plan.Events);
        Assert.Equal(["CAM-01"], Actions(plan, SyncAction.Unchanged));
    }

    [Theory]
    [InlineData("BC-AD-28-4F-11-03")] // another MAC
    [InlineData("12E+11")] // Excel's rendering: the MAC is now unread, which is not the value stored
    public void A_changed_or_newly_unread_field_is_a_change(string mac)
    {
        var plan = Plan([Row("CAM-01", mac: mac)], Stored([Row("CAM-01")]));

        Assert.Equal(["CAM-01"], Actions(plan, SyncAction.Changed));
        Assert.Single(plan.Events);
    }

    [Fact]
    public void Removals_beyond_the_share_refuse_the_whole_plan_until_allowed()
    {
        var stored = Stored(Ids(20).Select(id => Row(id)));
        var register = Ids(17).Select(id => Row(id)).Append(Row("CAM-21")); // 3 of 20 gone: more than 10%

        var refused = Plan(register, stored);
        var narrower = Plan(register, stored, allow: 1); // --allow-removals widens the guard, never narrows it
        var allowed = Plan(register, stored, allow: 3);

        Assert.Empty(refused.Events); // the new device is not sent either: the plan is refused whole
        Assert.Contains("remove 3 device(s)", refused.Refusal);
        Assert.Contains("--allow-removals 3", refused.Refusal);
        Assert.Equal(["CAM-18", "CAM-19", "CAM-20"], Actions(refused, SyncAction.Removed)); // what it would remove is still said
        Assert.Empty(narrower.Events);
        Assert.Null(allowed.Refusal);
        Assert.Equal(4, allowed.Events.Count);
    }

    [Fact]
    public void A_small_department_needs_allow_removals_for_any_removal()
    {
        var stored = Stored(Ids(5).Select(id => Row(id)));

        Assert.NotNull(Plan(Ids(4).Select(id => Row(id)), stored).Refusal);
        Assert.Equal(["CAM-05"], Actions(Plan(Ids(4).Select(id => Row(id)), stored, allow: 1), SyncAction.Removed));
    }

    [Fact]
    public void An_unreadable_row_withholds_every_removal_but_the_good_rows_are_sent()
    {
        var stored = Stored(Ids(20).Select(id => Row(id)));
        // CAM-20's row is cut short: it was not read, so CAM-20 is not absent; nor is CAM-19, whose row is gone.
        var register = Ids(18).Select(id => Row(id)).Append("CAM-20,HO,Hikvision").Append(Row("CAM-21"));

        var plan = Plan(register, stored, allow: 100);

        Assert.Null(plan.Refusal);
        Assert.Empty(Actions(plan, SyncAction.Removed));
        Assert.Contains("not read or not sent", plan.RemovalsWithheld);
        Assert.Equal(["CAM-21:Upserted"], SentTypes(plan));
        Assert.Single(plan.Errors);
    }

    [Theory]
    [InlineData("CAM/20", "HO", "in-service")] // an asset id the contract cannot carry
    [InlineData("CAM-22", "MOJ", "in-service")] // another department's row
    [InlineData("CAM-22", "HO", "mothballed")] // a status push does not guess
    [InlineData("CAM-01", "HO", "in-service")] // an asset met twice
    public void A_row_refused_for_push_withholds_every_removal(string id, string department, string status)
    {
        var stored = Stored(Ids(20).Select(i => Row(i)));

        var plan = Plan(Ids(19).Select(i => Row(i)).Append(Row(id, department: department, status: status)), stored, allow: 100);

        Assert.Empty(Actions(plan, SyncAction.Removed));
        Assert.NotNull(plan.RemovalsWithheld);
        Assert.NotEmpty(plan.Errors);
    }

    [Fact]
    public void An_empty_register_never_removes_anything()
    {
        var stored = Stored(Ids(3).Select(id => Row(id)));

        foreach (var register in new[] { Header + "\n", "", "\n\n" })
        {
            var plan = RegisterSync.Plan(RegisterReader.ReadCsv(register), "HO", stored, 200, Time, new RegisterSyncOptions { Removals = true, AllowRemovals = 1000 });
            Assert.Empty(plan.Events);
            Assert.Empty(Actions(plan, SyncAction.Removed));
        }
    }

    [Fact]
    public void Another_departments_register_is_refused_whole()
    {
        var stored = Stored(Ids(3).Select(id => Row(id)));

        var plan = Plan(Ids(3).Select(id => Row(id, department: "MOJ")), stored, allow: 1000);

        Assert.Empty(plan.Events);
        Assert.Contains("another department's register", plan.Refusal);
        Assert.Throws<ArgumentException>(() => RegisterSync.Plan(Csv([Row("CAM-01")]), "MOJ", stored, 1, Time, new RegisterSyncOptions()));
    }

    [Fact]
    public void Without_sync_absent_devices_are_kept()
    {
        var plan = Plan([Row("CAM-01")], Stored(Ids(10).Select(id => Row(id))), removals: false);

        Assert.Empty(plan.Events);
        Assert.Empty(Actions(plan, SyncAction.Removed));
        Assert.Null(plan.RemovalsWithheld);
    }

    [Fact]
    public void Removed_devices_are_neither_removed_again_nor_kept_removed_when_listed_again()
    {
        var stored = Stored(Ids(3).Select(id => Row(id)));
        stored[0] = stored[0] with { Removed = true }; // CAM-01: removed before, back in the register
        stored[1] = stored[1] with { Removed = true }; // CAM-02: removed before, still absent

        var plan = Plan([Row("CAM-01"), Row("CAM-03", status: "removed"), Row("CAM-09", status: "removed")], stored, allow: 10);

        Assert.Equal(["CAM-01"], Actions(plan, SyncAction.New));
        Assert.Equal(["CAM-03"], Actions(plan, SyncAction.Changed)); // the register now says removed
        Assert.Equal(["CAM-09"], Actions(plan, SyncAction.Unchanged)); // removed and never stored: nothing to tell
        Assert.Empty(Actions(plan, SyncAction.Removed));
        Assert.Equal(["CAM-01:Upserted", "CAM-03:Removed"], SentTypes(plan));
    }

    [Fact]
    public void A_removal_is_newer_than_the_stored_revision_so_the_pipeline_applies_it()
    {
        var stored = Stored(Ids(2).Select(id => Row(id)), revision: 5000);

        var plan = Plan([Row("CAM-01")], stored, allow: 1, revision: 10);

        var removal = AssetEventParser.Parse(plan.Events.Single().Body).Event!;
        Assert.Equal((AssetEventKind.Removed, "CAM-02", 5001L), (removal.Kind, removal.AssetId, removal.Revision));
        // Planned again, the same removal has the same id: a repeated sync is a duplicate, not a second change.
        Assert.Equal(plan.Events.Single().EventId, Plan([Row("CAM-01")], stored, allow: 1, revision: 10).Events.Single().EventId);
    }

    [Fact]
    public void A_changed_row_without_a_revision_is_sent_newer_than_the_stored_device_even_from_an_older_file()
    {
        var plan = Plan([Row("CAM-01", model: "DS-2CD2043G2-I")], Stored([Row("CAM-01")], revision: 100), revision: 100); // a second sync in the same second

        Assert.Equal(101, AssetEventParser.Parse(plan.Events.Single().Body).Event!.Revision);
        Assert.Empty(plan.Warnings);
    }

    [Fact]
    public void A_changed_event_with_a_stale_revision_of_its_own_is_sent_with_a_warning()
    {
        // A JSON Lines register: its events carry their own revisions, which a sync does not change.
        var line = System.Text.Encoding.UTF8.GetString(RegisterEvents.From(Csv([Row("CAM-01", model: "DS-2CD2043G2-I")]), "HO", 3, Time).Events.Single().Body.Span);
        var rows = RegisterReader.Read(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(line + "\n")), "register.jsonl");

        var plan = RegisterSync.Plan(rows, "HO", Stored([Row("CAM-01")], revision: 100), 200, Time, new RegisterSyncOptions());

        Assert.Equal(["CAM-01"], Actions(plan, SyncAction.Changed));
        Assert.Contains("not newer than the stored revision 100", Assert.Single(plan.Warnings).Reason);
    }

    /// <summary>The device of samples/netbox/device-created-4.6.json as the NetBox webhook stores it: its site id is the site's slug.</summary>
    private static List<StoredDevice> StoredFromNetBoxWebhook()
    {
        using var body = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "samples", "netbox", "device-created-4.6.json")));
        var errors = new List<ValidationError>();
        var cells = NetBoxDevice.Cells(body.RootElement.GetProperty("data"), "HO", errors);
        Assert.Empty(errors);
        var device = AssetEventParser.Parse(Assert.Single(NetBoxDevice.Events(cells!, "HO", 100, Time).Events).Body).Event!.Device;
        Assert.Equal("ho-2ms", device.Site?.Id);
        return [new StoredDevice(device, Removed: false)];
    }

    private static IEnumerable<RegisterRow> NetBoxExport(string model)
    {
        // NetBox's "All data" device export (the sample's header): its site column is the site's name; no export carries the slug.
        var header = File.ReadLines(Path.Combine(AppContext.BaseDirectory, "samples", "registers", "netbox-devices-all.csv")).First().Split(',');
        var values = new Dictionary<string, string>
        {
            ["id"] = "1201", ["name"] = "CAM-LOBBY-01", ["status"] = "active", ["role"] = "Camera", ["manufacturer"] = "Hikvision",
            ["device_type"] = model, ["serial"] = "DS2143-2026-0101", ["asset_tag"] = "HO-CAM-0101", ["site"] = "Marsham Street",
            ["cf_site_sensitive"] = "True", ["cf_network_segment"] = "core",
        };
        var csv = string.Join(',', header) + "\r\n" + string.Join(',', header.Select(h => values.GetValueOrDefault(h, ""))) + "\r\n";
        var source = RegisterReader.Open(new MemoryStream(Encoding.UTF8.GetBytes(csv)), "netbox-devices.csv", new RegisterReadOptions { Department = "HO" });
        var rows = source.Rows.ToArray();
        Assert.Equal("netbox", source.Profile?.Name);
        return rows;
    }

    [Fact]
    public void A_device_stored_from_the_NetBox_webhook_is_unchanged_in_a_NetBox_export_that_names_its_site_without_an_id()
    {
        var plan = RegisterSync.Plan(NetBoxExport("DS-2CD2143G2-I"), "HO", StoredFromNetBoxWebhook(), 200, Time, new RegisterSyncOptions { Removals = true });

        Assert.Empty(plan.Events);
        Assert.Equal(["HO-CAM-0101"], Actions(plan, SyncAction.Unchanged));
    }

    [Fact]
    public void A_NetBox_exported_device_whose_other_fields_changed_is_still_a_change()
    {
        var plan = RegisterSync.Plan(NetBoxExport("DS-2CD2043G2-I"), "HO", StoredFromNetBoxWebhook(), 200, Time, new RegisterSyncOptions { Removals = true });

        Assert.Equal(["HO-CAM-0101"], Actions(plan, SyncAction.Changed));
        Assert.Single(plan.Events);
    }

    [Fact]
    public void A_register_with_a_site_id_that_differs_from_the_stored_one_is_a_change()
    {
        var stored = Stored([Row("CAM-01")]);

        var plan = Plan([Row("CAM-01").Replace(",HO-SITE,", ",HO-SITE-2,", StringComparison.Ordinal)], stored);

        Assert.Equal(["CAM-01"], Actions(plan, SyncAction.Changed));
    }

    [Fact]
    public void Each_pushed_event_carries_its_own_line_and_is_handed_on_with_the_parse_of_its_own_body()
    {
        // Line 3 is refused (a '/' in the asset id), line 5 repeats line 2's asset: the events that are sent must still
        // be paired with the lines they came from, and each with the contract's reading of its own body.
        var handed = new List<(PushedEvent Pushed, AssetEvent Parsed)>();
        var push = RegisterEvents.From(Csv([Row("CAM-01"), Row("CAM/02"), Row("CAM-03", model: "DS-2CD2043G2-I"), Row("CAM-01")]), "HO", 7, Time,
            (pushed, parsed) => handed.Add((pushed, parsed)));

        Assert.Equal([2, 4], push.Sent.Select(s => s.Line));
        Assert.Equal([3, 5], push.Errors.Select(e => e.Line));
        Assert.Equal(push.Sent.Select(s => s.Event), push.Events);
        Assert.Equal(push.Sent, handed.Select(h => h.Pushed));
        Assert.Equal(["CAM-01", "CAM-03"], handed.Select(h => h.Parsed.AssetId));
        Assert.All(handed, h => Assert.Equal(
            JsonSerializer.Serialize(AssetEventParser.Parse(h.Pushed.Event.Body).Event, ComplianceJson.Options),
            JsonSerializer.Serialize(h.Parsed, ComplianceJson.Options)));
        Assert.Equal("DS-2CD2043G2-I", handed[1].Parsed.Device.Model);
    }

    [Fact]
    public void A_sync_compares_the_parse_the_push_made_and_does_not_parse_the_body_again()
    {
        // The push's parse is what the plan compares: a parse that differs from the body (here by hand, to tell the
        // two apart) decides the plan, so the body is not parsed a second time.
        var stored = Stored([Row("CAM-01")]);
        SyncPlan PlanWith(Func<AssetEvent, AssetEvent> parse) => RegisterSync.Plan(
            onSent => RegisterEvents.From(Csv([Row("CAM-01")]), "HO", 200, Time, (pushed, parsed) => onSent(pushed, parse(parsed))),
            "HO", stored, 200, Time, new RegisterSyncOptions());

        var asParsed = PlanWith(e => e);
        var asChanged = PlanWith(e => e with { Device = e.Device with { Model = "DS-2CD2043G2-I" } });

        Assert.Equal(SyncAction.Unchanged, Assert.Single(asParsed.Devices).Action);
        Assert.Empty(asParsed.Events);
        Assert.Equal(SyncAction.Changed, Assert.Single(asChanged.Devices).Action);
        Assert.Equal(2, Assert.Single(asChanged.Devices).Line);
        Assert.Single(asChanged.Events);
    }
    /// <summary>
    /// The records observations made for devices no register holds (asset ids <c>observed:…</c>) are not the register's:
    /// a sync never takes them as absent from the register, so it neither removes an unregistered device seen on the
    /// network nor counts them against the removal guard; and a register row naming such an id is refused with the reason.
    /// </summary>
    [Fact]
    public void A_sync_leaves_the_records_of_observed_unregistered_devices_alone_and_refuses_a_row_naming_one()
    {
        var stored = Stored(Ids(10).Select(id => Row(id)));
        stored.Add(new StoredDevice(new RegisteredDevice { AssetId = "observed:BC:AD:28:4F:11:99", Department = "HO", Revision = 0, Manufacturer = "Hikvision" }, Removed: false));
        stored.Add(new StoredDevice(new RegisteredDevice { AssetId = "observed:10.20.1.15", Department = "HO", Revision = 0 }, Removed: false));

        var plan = Plan(Ids(9).Select(id => Row(id)), stored); // CAM-10 gone: 1 of the 10 registered, within the 10 %

        Assert.Null(plan.Refusal);
        Assert.Equal(["CAM-10"], Actions(plan, SyncAction.Removed));
        Assert.Equal(["CAM-10:Removed"], SentTypes(plan));

        var named = Plan([.. Ids(10).Select(id => Row(id)), Row("observed:BC:AD:28:4F:11:99")], stored, removals: false);
        var error = Assert.Single(named.Errors);
        Assert.Contains("observed:", error.Reason, StringComparison.Ordinal);
        Assert.Empty(named.Events);
    }
}
