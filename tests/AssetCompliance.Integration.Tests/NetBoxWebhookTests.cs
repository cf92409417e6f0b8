using System.Reflection;
using System.Reflection.Emit;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AssetCompliance.Api.NetBox;
using AssetCompliance.Azure.NetBox;
using AssetCompliance.Azure.Tables;
using AssetCompliance.Cli;
using AssetCompliance.Core.NetBox;
using AssetCompliance.Core.Policy;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AssetCompliance.Integration.Tests;

/// <summary>
/// NetBox event-rule webhooks end to end: signed bodies as NetBox sends them (fixtures in samples/netbox, written from
/// netbox-community/netbox's webhook and serializer source with invented data) through the route, the replay memory
/// in Azurite and the processing path into stored compliance state.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class NetBoxWebhookTests(AzuriteFixture azurite)
{
    private const string HoSecret = "ho-netbox-secret-0123456789";
    private const string MojSecret = "moj-netbox-secret-9876543210";

    private sealed class Harness
    {
        public required StateStores Store { get; init; }
        public required NetBoxApi Api { get; init; }
        public required ListLogger<NetBoxReceiver> Log { get; init; }

        public async Task<(int Status, JsonElement Body)> PostAsync(string department, byte[] body, string? signature = null, bool sign = true, bool declareLength = true)
        {
            var request = TestHttp.Request(null, method: "POST", body: body, declareLength: declareLength);
            if (sign) request.Headers[NetBoxSignature.HeaderName] = signature ?? NetBoxSignature.Compute(body, new NetBoxSecret(department == "MOJ" ? MojSecret : HoSecret));
            var (status, text) = await TestHttp.SendAsync(request, r => Api.ReceiveAsync(r, department, default));
            return (status, JsonDocument.Parse(text).RootElement.Clone());
        }

        public Task<(int Status, JsonElement Body)> PostAsync(string department, JsonNode body) => PostAsync(department, Encoding.UTF8.GetBytes(body.ToJsonString()));

        public async Task<Core.State.ComplianceRecord?> RecordAsync(string department, string assetId) => (await Store.GetRecordAsync(department, assetId, default))?.Record;
    }

    private async Task<Harness> StartAsync(Dictionary<string, string>? secrets = null)
    {
        var store = await azurite.CreateStoreAsync();
        var log = new ListLogger<NetBoxReceiver>();
        var receiver = new NetBoxReceiver(new TableNetBoxMemory(azurite.CreateServiceClient(), store.TablePrefix),
            new LocalProcessingPublisher(() => TestEvents.Intake(store), TimeProvider.System), store, TimeProvider.System, log);
        var options = Options.Create(new NetBoxOptions { Secrets = secrets ?? new() { ["HO"] = HoSecret, ["MOJ"] = MojSecret, ["DFE"] = "" } });
        return new Harness { Store = store, Api = new NetBoxApi(receiver, options, TimeProvider.System), Log = log };
    }

    internal static JsonNode Fixture(string name) => JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "samples", "netbox", name)))!;

    private static string Outcome(JsonElement body) => body.GetProperty("outcome").GetString()!;

    [Fact]
    public async Task A_device_created_in_NetBox_4_6_is_stored_with_its_NetBox_fields_and_judged()
    {
        var h = await StartAsync();

        var (status, body) = await h.PostAsync("HO", Fixture("device-created-4.6.json"));

        Assert.Equal(202, status);
        Assert.Equal("accepted", Outcome(body));
        Assert.Equal("dcim.device:1201", body.GetProperty("object").GetString());
        var record = (await h.RecordAsync("HO", "HO-CAM-0101"))!; // the asset tag is the asset id
        var device = record.Device;
        Assert.Equal(("Hikvision", "DS-2CD2143G2-I", "DS2143-2026-0101"), (device.Manufacturer, device.Model, device.SerialNumber));
        Assert.Equal(Core.Events.DeviceType.Camera, device.DeviceType);
        Assert.Equal(("ho-2ms", "Marsham Street", (bool?)true), (device.Site!.Id, device.Site.Name, device.Site.Sensitive));
        Assert.Equal(Core.Events.NetworkSegment.Core, device.NetworkSegment);
        Assert.Equal(ComplianceStatus.NonCompliant, record.Status);
    }

    [Fact]
    public async Task A_NetBox_3_7_update_with_model_device_role_and_a_spaced_timestamp_is_read_and_unknown_sensitivity_stays_unknown()
    {
        var h = await StartAsync();

        var (status, _) = await h.PostAsync("HO", Fixture("device-updated-3.7.json"));

        Assert.Equal(202, status);
        var record = (await h.RecordAsync("HO", "ho-cam-0102"))!; // no asset tag: the name
        Assert.Equal(("Axis", "P3265-LVE"), (record.Device.Manufacturer, record.Device.Model));
        Assert.Null(record.Device.Site!.Sensitive); // NetBox has no such field: unknown, not "not sensitive"
        Assert.Null(record.Device.NetworkSegment);
    }

    [Theory]
    [InlineData("created")]
    [InlineData("create")]
    [InlineData("object_created")]
    [InlineData("Created")]
    [InlineData("updated")]
    [InlineData("update")]
    [InlineData("object_updated")]
    public async Task Every_spelling_of_a_creation_or_update_upserts_the_device(string spelling)
    {
        var h = await StartAsync();
        var body = Fixture("device-created-4.6.json");
        body["event"] = spelling;

        Assert.Equal(202, (await h.PostAsync("HO", body)).Status);
        Assert.NotEqual(ComplianceStatus.Removed, (await h.RecordAsync("HO", "HO-CAM-0101"))!.Status);
    }

    [Theory]
    [InlineData("deleted")]
    [InlineData("delete")]
    [InlineData("object_deleted")]
    public async Task Every_spelling_of_a_deletion_removes_the_device(string spelling)
    {
        var h = await StartAsync();
        await h.PostAsync("HO", Fixture("device-created-4.6.json"));
        var deletion = Fixture("device-created-4.6.json");
        deletion["event"] = spelling;
        deletion["timestamp"] = "2026-11-21T10:00:00.000000+00:00";
        NewRequest(deletion, "7d1c1e0a-0000-4000-8000-000000000001");

        var (status, body) = await h.PostAsync("HO", deletion);

        Assert.Equal(202, status);
        Assert.Equal(ComplianceStatus.Removed, (await h.RecordAsync("HO", "HO-CAM-0101"))!.Status);
        Assert.Equal("duplicate", Outcome((await h.PostAsync("HO", deletion)).Body)); // a replayed deletion changes nothing
        Assert.Single(body.GetProperty("eventIds").EnumerateArray());
    }

    [Fact]
    public async Task A_deletion_whose_last_serialisation_cannot_be_read_still_removes_the_asset_applied()
    {
        var h = await StartAsync();
        await h.PostAsync("HO", Fixture("device-created-4.6.json"));
        var deletion = Fixture("device-created-4.6.json");
        deletion["event"] = "deleted";
        deletion["timestamp"] = "2026-11-21T10:00:00.000000+00:00";
        deletion["data"]!["asset_tag"] = null;
        deletion["data"]!["name"] = null; // blanked before it was deleted: on its own, no asset id at all
        NewRequest(deletion, "7d1c1e0a-0000-4000-8000-000000000009");

        var (status, _) = await h.PostAsync("HO", deletion);

        Assert.Equal(202, status);
        Assert.Equal(ComplianceStatus.Removed, (await h.RecordAsync("HO", "HO-CAM-0101"))!.Status);
    }

    [Fact]
    public async Task Both_payload_forms_name_the_model_object_type_alone_model_alone_or_both_agreeing()
    {
        var h = await StartAsync();
        var both = Fixture("device-created-4.6.json");
        both["model"] = "device"; // NetBox 4.4 sent both
        var modelOnly = Fixture("device-created-4.6.json");
        modelOnly.AsObject().Remove("object_type");
        modelOnly["model"] = "device";
        modelOnly["data"]!["id"] = 1202;
        modelOnly["data"]!["asset_tag"] = "HO-CAM-0102";
        var disagreeing = Fixture("device-created-4.6.json");
        disagreeing["model"] = "interface";

        Assert.Equal(202, (await h.PostAsync("HO", both)).Status);
        Assert.Equal(202, (await h.PostAsync("HO", modelOnly)).Status);
        Assert.NotNull(await h.RecordAsync("HO", "HO-CAM-0102"));
        var (status, problem) = await h.PostAsync("HO", disagreeing);
        Assert.Equal(400, status);
        Assert.Contains("$.model", Paths(problem));
    }

    [Fact]
    public async Task A_valid_signature_in_upper_case_hex_is_accepted_and_every_bad_one_is_401_with_nothing_read_or_logged()
    {
        var h = await StartAsync();
        var bytes = Encoding.UTF8.GetBytes(Fixture("device-created-4.6.json").ToJsonString());
        var good = NetBoxSignature.Compute(bytes, new NetBoxSecret(HoSecret));
        var flipped = (good[0] == '0' ? "1" : "0") + good[1..];

        Assert.Equal(401, (await h.PostAsync("HO", bytes, sign: false)).Status);                              // missing
        Assert.Equal(401, (await h.PostAsync("HO", bytes, signature: "")).Status);                            // empty
        Assert.Equal(401, (await h.PostAsync("HO", bytes, signature: "sha512=" + good)).Status);              // not bare hex
        Assert.Equal(401, (await h.PostAsync("HO", bytes, signature: flipped)).Status);                       // bad
        Assert.Equal(401, (await h.PostAsync("HO", bytes, signature: good[..^2])).Status);                    // cut short
        Assert.Equal(401, (await h.PostAsync("HO", bytes, signature: NetBoxSignature.Compute(bytes, new NetBoxSecret(MojSecret)))).Status); // another department's secret
        Assert.Equal(401, (await h.PostAsync("MOJ", bytes, signature: good)).Status);                         // HO's body sent to MOJ
        Assert.Equal(401, (await h.PostAsync("DFE", bytes, signature: NetBoxSignature.Compute(bytes, new NetBoxSecret("")))).Status); // an empty secret signs nothing
        Assert.Equal(401, (await h.PostAsync("DOT", bytes, signature: good)).Status);                         // no secret configured
        var tampered = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(bytes).Replace("Hikvision", "Axis", StringComparison.Ordinal));
        Assert.Equal(401, (await h.PostAsync("HO", tampered, signature: good)).Status);

        Assert.Null(await h.RecordAsync("HO", "HO-CAM-0101"));
        Assert.Empty(await h.Store.GetRejectionsAsync("HO", default)); // an unsigned body is not the department's
        Assert.DoesNotContain(h.Log.Entries, e => e.Message.Contains(HoSecret, StringComparison.Ordinal) || e.Message.Contains(good[..16], StringComparison.OrdinalIgnoreCase));
        Assert.Equal(202, (await h.PostAsync("HO", bytes, signature: good.ToUpperInvariant())).Status);
        Assert.Equal(401, (await h.PostAsync("HO", bytes, sign: false)).Status); // signed once does not open the route
    }

    /// <summary>
    /// The role matrix for this route: no App Service principal opens it, whatever its roles, because the route never
    /// asks for one; only the department's signature does. The authorizer refuses NetBoxSignature access to everyone,
    /// so a route that asked it by mistake would be closed, not open.
    /// </summary>
    [Theory]
    [InlineData(null)]
    [InlineData("Compliance.Admin")]
    [InlineData("Compliance.ReadAll")]
    [InlineData("Department.HO")]
    public async Task No_role_opens_the_route_without_the_signature_and_the_authorizer_grants_it_to_nobody(string? role)
    {
        var h = await StartAsync();
        var bytes = Encoding.UTF8.GetBytes(Fixture("device-created-4.6.json").ToJsonString());
        var request = TestHttp.Request(role is null ? null : TestEvents.Principal(role), method: "POST", body: bytes);

        var (status, _) = await TestHttp.SendAsync(request, r => h.Api.ReceiveAsync(r, "HO", default));

        Assert.Equal(401, status);
        Assert.Null(await h.RecordAsync("HO", "HO-CAM-0101"));
        var check = TestEvents.Authorizer().Check(TestHttp.Request(TestEvents.Principal("Compliance.Admin")), Api.Security.Access.NetBoxSignature, "HO");
        Assert.Equal(403, check!.StatusCode);
    }

    [Fact]
    public void The_signature_is_compared_in_constant_time()
    {
        // The comparison's timing cannot be asserted on a shared machine; what is held is that Verify calls
        // CryptographicOperations.FixedTimeEquals and no ordinary equality on the bytes.
        var called = CalledMethods(typeof(NetBoxSignature).GetMethod(nameof(NetBoxSignature.Verify))!).ToArray();

        Assert.Contains(called, m => m.DeclaringType == typeof(System.Security.Cryptography.CryptographicOperations) && m.Name == "FixedTimeEquals");
        Assert.DoesNotContain(called, m => m.Name is "SequenceEqual" or "Equals" or "op_Equality" && m.DeclaringType != typeof(string));
    }

    [Fact]
    public async Task A_replay_by_request_id_or_with_an_older_last_updated_is_a_duplicate_that_changes_nothing()
    {
        var h = await StartAsync();
        var created = Fixture("device-created-4.6.json");
        var update = Fixture("device-created-4.6.json");
        update["event"] = "updated";
        update["data"]!["serial"] = "DS2143-2026-0101-B";
        update["data"]!["last_updated"] = "2026-11-20T11:00:00.000000Z";
        NewRequest(update, "aaaaaaaa-0000-4000-8000-000000000002");

        Assert.Equal(202, (await h.PostAsync("HO", created)).Status);
        var (again, body) = await h.PostAsync("HO", created);
        Assert.Equal((200, "duplicate"), (again, Outcome(body)));
        Assert.Contains("request 5b2f0a8e", body.GetProperty("message").GetString());
        Assert.Equal(202, (await h.PostAsync("HO", update)).Status);

        // The creation again with another request id (as a replayed capture edited to pass) is older than the update.
        NewRequest(created, "bbbbbbbb-0000-4000-8000-000000000003");
        var (late, lateBody) = await h.PostAsync("HO", created);
        Assert.Equal((200, "duplicate"), (late, Outcome(lateBody)));
        Assert.Empty(lateBody.GetProperty("eventIds").EnumerateArray());
        Assert.Equal("DS2143-2026-0101-B", (await h.RecordAsync("HO", "HO-CAM-0101"))!.Device.SerialNumber);
        var (sameTime, _) = await h.PostAsync("HO", update.DeepClone().AsObject().Also(u => NewRequest(u, "cccccccc-0000-4000-8000-000000000004")));
        Assert.Equal(200, sameTime); // the same last_updated is not newer
    }

    [Fact]
    public async Task A_renamed_device_removes_the_old_asset_and_upserts_the_new_one()
    {
        var h = await StartAsync();
        await h.PostAsync("HO", Fixture("device-created-4.6.json"));
        var renamed = Fixture("device-created-4.6.json");
        renamed["event"] = "updated";
        renamed["data"]!["asset_tag"] = "HO-CAM-0199";
        renamed["data"]!["last_updated"] = "2026-11-20T12:00:00.000000Z";
        NewRequest(renamed, "dddddddd-0000-4000-8000-000000000005");

        var (status, body) = await h.PostAsync("HO", renamed);

        Assert.Equal(202, status);
        Assert.Equal(2, body.GetProperty("eventIds").GetArrayLength());
        Assert.Equal(ComplianceStatus.Removed, (await h.RecordAsync("HO", "HO-CAM-0101"))!.Status);
        Assert.Equal(ComplianceStatus.NonCompliant, (await h.RecordAsync("HO", "HO-CAM-0199"))!.Status);
    }

    [Fact]
    public async Task An_interface_MAC_change_becomes_the_device_MAC_and_its_evidence()
    {
        var h = await StartAsync();
        var axisLooking = Fixture("device-created-4.6.json");
        axisLooking["data"]!["device_type"]!["manufacturer"]!["name"] = "Secure View Ltd";
        axisLooking["data"]!["device_type"]!["model"] = "SV-100";
        await h.PostAsync("HO", axisLooking);

        var (status, body) = await h.PostAsync("HO", Fixture("interface-updated-4.6.json"));

        Assert.Equal(202, status);
        Assert.Single(body.GetProperty("eventIds").EnumerateArray());
        var record = (await h.RecordAsync("HO", "HO-CAM-0101"))!;
        Assert.Equal("BC:AD:28:4F:11:02", record.Device.MacAddress);
        Assert.Equal("Secure View Ltd", record.Device.Manufacturer); // the rest of the device is kept
        Assert.True(record.RelabelSuspected);

        // The interface deleted: the device has no MAC any more.
        var deleted = Fixture("interface-updated-4.6.json");
        deleted["event"] = "deleted";
        deleted["timestamp"] = "2026-11-20T13:00:00.000000+00:00";
        NewRequest(deleted, "eeeeeeee-0000-4000-8000-000000000006");
        Assert.Equal(202, (await h.PostAsync("HO", deleted)).Status);
        Assert.Null((await h.RecordAsync("HO", "HO-CAM-0101"))!.Device.MacAddress);
    }

    [Fact]
    public async Task A_device_update_and_its_interface_change_at_once_both_reach_the_stored_record()
    {
        var h = await StartAsync();
        await h.PostAsync("HO", Fixture("device-created-4.6.json"));
        var update = Fixture("device-created-4.6.json");
        update["event"] = "updated";
        update["data"]!["serial"] = "DS2143-2026-0101-C";
        update["data"]!["last_updated"] = "2026-11-20T09:20:41.500000Z";
        NewRequest(update, "ffffffff-0000-4000-8000-000000000007");

        // Whichever wins the memory's ETag, the other reads again and sends an event with a higher revision.
        var answers = await Task.WhenAll(h.PostAsync("HO", update), h.PostAsync("HO", Fixture("interface-updated-4.6.json")));

        Assert.All(answers, a => Assert.Equal(202, a.Status));
        var device = (await h.RecordAsync("HO", "HO-CAM-0101"))!.Device;
        Assert.Equal(("DS2143-2026-0101-C", "BC:AD:28:4F:11:02"), (device.SerialNumber, device.MacAddress));
    }

    [Fact]
    public async Task A_MAC_that_arrives_before_its_device_is_remembered_and_sent_with_the_device()
    {
        var h = await StartAsync();

        var (early, body) = await h.PostAsync("HO", Fixture("interface-updated-3.7.json"));
        Assert.Equal(202, early);
        Assert.Empty(body.GetProperty("eventIds").EnumerateArray());
        Assert.Contains("remembered", body.GetProperty("message").GetString());

        await h.PostAsync("HO", Fixture("device-updated-3.7.json"));
        Assert.Equal("AC:CC:8E:00:01:02", (await h.RecordAsync("HO", "ho-cam-0102"))!.Device.MacAddress);
    }

    [Fact]
    public async Task A_NetBox_4_2_MAC_address_object_gives_its_device_a_MAC()
    {
        var h = await StartAsync();
        Assert.Equal(202, (await h.PostAsync("HO", Fixture("macaddress-created-4.6.json"))).Status);
        var device = Fixture("device-created-4.6.json");
        device["data"]!["id"] = 1300;
        device["data"]!["name"] = "CAM-YARD-02";
        device["data"]!["asset_tag"] = null;
        device["data"]!["device_type"]!["manufacturer"]!["name"] = "Generic";
        device["data"]!["device_type"]!["model"] = "IPC-100";

        Assert.Equal(202, (await h.PostAsync("HO", device)).Status);

        var record = (await h.RecordAsync("HO", "CAM-YARD-02"))!;
        Assert.Equal("3C:EF:8C:21:9A:04", record.Device.MacAddress); // a Dahua block
        Assert.Equal(ComplianceStatus.NonCompliant, record.Status);
    }

    [Fact]
    public async Task Another_model_is_accepted_and_ignored_with_a_clear_answer()
    {
        var h = await StartAsync();
        var job = Fixture("device-created-4.6.json");
        job["event"] = "job_started";

        var (status, body) = await h.PostAsync("HO", Fixture("site-updated-4.6.json"));
        var (jobStatus, jobBody) = await h.PostAsync("HO", job);

        Assert.Equal((200, "ignored"), (status, Outcome(body)));
        Assert.Contains("dcim.site", body.GetProperty("message").GetString());
        Assert.Equal((200, "ignored"), (jobStatus, Outcome(jobBody)));
        Assert.Empty(await h.Store.GetRejectionsAsync("HO", default));
    }

    [Fact]
    public async Task Custom_fields_as_each_NetBox_version_types_them_are_read_and_what_they_cannot_say_stays_unknown()
    {
        var h = await StartAsync();
        var selection = Fixture("device-created-4.6.json");
        selection["data"]!["custom_fields"] = JsonNode.Parse("""{"Sensitive": {"value": 2, "label": "No"}, "network": "Segregated", "installed_on": "2023-01-09"}""");
        var unreadable = Fixture("device-created-4.6.json");
        unreadable["data"]!["id"] = 1206;
        unreadable["data"]!["asset_tag"] = "HO-CAM-0106";
        unreadable["data"]!["custom_fields"] = JsonNode.Parse("""{"site_sensitive": "OFFICIAL-SENSITIVE", "network_segment": ["core"]}""");
        unreadable["data"]!["device_type"]!["manufacturer"]!["name"] = "Axis";
        unreadable["data"]!["device_type"]!["model"] = "P3265-LVE";

        Assert.Equal(202, (await h.PostAsync("HO", selection)).Status);
        Assert.Equal(202, (await h.PostAsync("HO", unreadable)).Status);

        var read = (await h.RecordAsync("HO", "HO-CAM-0101"))!.Device;
        Assert.Equal(((bool?)false, (Core.Events.NetworkSegment?)Core.Events.NetworkSegment.Segregated, (DateOnly?)new DateOnly(2023, 1, 9)), (read.Site!.Sensitive, read.NetworkSegment, read.InstalledOn));
        var unknown = (await h.RecordAsync("HO", "HO-CAM-0106"))!;
        Assert.Equal(["site.sensitive", "networkSegment"], unknown.Device.UnreadFields);
        Assert.Equal(ComplianceStatus.NeedsReview, unknown.Status); // an Axis camera, but what the register says of its site could not be read
    }

    [Fact]
    public async Task A_body_cannot_speak_for_another_department()
    {
        var h = await StartAsync();
        var body = Fixture("device-created-4.6.json");
        body["data"]!["custom_fields"]!["department"] = "MOJ";
        body["data"]!["tenant"] = new JsonObject { ["id"] = 1, ["name"] = "MOJ", ["slug"] = "moj" };

        Assert.Equal(202, (await h.PostAsync("HO", body)).Status);

        Assert.Equal("HO", (await h.RecordAsync("HO", "HO-CAM-0101"))!.Device.Department);
        Assert.Null(await h.RecordAsync("MOJ", "HO-CAM-0101"));
    }

    [Theory]
    [InlineData("not json", "$")]
    [InlineData("[1,2,3]", "$")]
    [InlineData("{\"event\":\"created\",\"object_type\":\"dcim.device\",\"timestamp\":\"2026-11-20T09:14:03+00:00\",\"data\":{\"id\":\"12\",\"last_updated\":\"2026-11-20T09:14:03Z\"}}", "$.data.id")]
    [InlineData("{\"event\":7,\"object_type\":\"dcim.device\",\"timestamp\":\"2026-11-20T09:14:03+00:00\",\"data\":{\"id\":12,\"last_updated\":\"2026-11-20T09:14:03Z\"}}", "$.event")]
    [InlineData("{\"event\":\"renamed\",\"object_type\":\"dcim.device\",\"timestamp\":\"2026-11-20T09:14:03+00:00\",\"data\":{\"id\":12,\"last_updated\":\"2026-11-20T09:14:03Z\"}}", "$.event")]
    [InlineData("{\"event\":\"created\",\"object_type\":\"dcim.device\",\"timestamp\":\"yesterday\",\"data\":{\"id\":12,\"last_updated\":\"2026-11-20T09:14:03Z\"}}", "$.timestamp")]
    [InlineData("{\"event\":\"created\",\"object_type\":\"dcim.device\",\"timestamp\":\"2026-11-20T09:14:03+00:00\",\"data\":{\"id\":12}}", "$.data.last_updated")]
    [InlineData("{\"event\":\"created\",\"timestamp\":\"2026-11-20T09:14:03+00:00\",\"data\":{\"id\":12,\"last_updated\":\"2026-11-20T09:14:03Z\"}}", "$.object_type")]
    [InlineData("{\"event\":\"created\",\"object_type\":\"dcim.device\",\"timestamp\":\"2026-11-20T09:14:03+00:00\",\"data\":[]}", "$.data")]
    public async Task A_malformed_body_is_400_with_its_path_and_recorded_as_a_rejection_of_the_department(string text, string path)
    {
        var h = await StartAsync();

        var (status, problem) = await h.PostAsync("HO", Encoding.UTF8.GetBytes(text));

        Assert.Equal(400, status);
        Assert.Contains(path, Paths(problem));
        var rejection = Assert.Single(await h.Store.GetRejectionsAsync("HO", default));
        Assert.Equal(("netbox", text), (rejection.Channel, rejection.Body));
    }

    [Fact]
    public async Task Wrong_types_inside_a_device_and_an_unknown_role_are_422_rejections_naming_the_field()
    {
        var h = await StartAsync();
        var wrongTypes = Fixture("device-created-4.6.json");
        wrongTypes["data"]!["name"] = 5;
        wrongTypes["data"]!["device_type"] = "DS-2CD2143G2-I";
        var bracket = Fixture("device-created-4.6.json");
        bracket["data"]!["id"] = 1205;
        bracket["data"]!["role"]!["name"] = "Mounting Bracket";
        bracket["data"]!["role"]!["slug"] = "mounting-bracket";

        var (status, problem) = await h.PostAsync("HO", wrongTypes);
        var (roleStatus, roleProblem) = await h.PostAsync("HO", bracket);

        Assert.Equal(422, status);
        Assert.Equal(["$.data.name", "$.data.device_type"], Paths(problem));
        Assert.Equal(422, roleStatus);
        Assert.Contains("device type", roleProblem.GetProperty("detail").GetString());
        Assert.Equal(2, (await h.Store.GetRejectionsAsync("HO", default)).Count);
        Assert.Null(await h.RecordAsync("HO", "HO-CAM-0101"));
    }

    [Fact]
    public async Task Hostile_bodies_huge_or_deep_are_refused_without_harm()
    {
        var h = await StartAsync();
        var huge = new byte[NetBoxReceiver.MaxBodyBytes + 1];
        Array.Fill(huge, (byte)' ');
        var deep = Encoding.UTF8.GetBytes(new string('[', 5000) + new string(']', 5000));
        var deepInData = Fixture("device-created-4.6.json");
        deepInData["data"]!["local_context_data"] = JsonNode.Parse(string.Concat(Enumerable.Repeat("{\"a\":", 40)) + "1" + new string('}', 40));

        Assert.Equal(413, (await h.PostAsync("HO", huge)).Status);
        Assert.Equal(413, (await h.PostAsync("HO", huge, declareLength: false)).Status);
        Assert.Equal(400, (await h.PostAsync("HO", deep)).Status);
        Assert.Equal(400, (await h.PostAsync("HO", deepInData)).Status);
        Assert.Equal(400, (await h.PostAsync("HO", [0x7B, 0xFF, 0xFE, 0x7D])).Status); // not UTF-8
        var rejections = await h.Store.GetRejectionsAsync("HO", default);
        Assert.Equal(3, rejections.Count);
        Assert.Contains(rejections, r => r.Body == "base64:" + Convert.ToBase64String([0x7B, 0xFF, 0xFE, 0x7D])); // kept, recoverably
    }

    [Fact]
    public void Options_refuse_a_bad_department_key_or_a_short_secret_and_an_unresolved_Key_Vault_reference_is_no_secret()
    {
        var validation = new NetBoxOptionsValidation();
        var options = new NetBoxOptions
        {
            Secrets = new()
            {
                ["HO"] = HoSecret,
                ["DFE"] = "",
                ["MOJ"] = "@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/netbox-moj/)",
            },
        };

        Assert.True(validation.Validate(null, options).Succeeded);
        Assert.NotNull(options.SecretFor("HO"));
        Assert.Null(options.SecretFor("DFE"));
        Assert.Null(options.SecretFor("MOJ"));
        Assert.Null(options.SecretFor("DOT"));
        Assert.DoesNotContain(HoSecret, options.SecretFor("HO")!.ToString(), StringComparison.Ordinal);

        var bad = validation.Validate(null, new NetBoxOptions { Secrets = new() { ["H O"] = HoSecret, ["MOJ"] = "short" } });
        Assert.True(bad.Failed);
        Assert.Contains("NetBox:Secrets:H O", bad.FailureMessage);
        Assert.Contains("NetBox:Secrets:MOJ", bad.FailureMessage);
        Assert.DoesNotContain("short", bad.FailureMessage.Replace("NetBox:Secrets:MOJ: a secret must be at least", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void Options_refuse_two_departments_with_one_secret_naming_both_settings_and_never_the_secret()
    {
        var shared = new NetBoxOptions { Secrets = new() { ["HO"] = HoSecret, ["MOJ"] = HoSecret, ["DFE"] = HoSecret + "-dfe" } };

        var result = new NetBoxOptionsValidation().Validate(null, shared);

        Assert.True(result.Failed);
        Assert.Contains("NetBox:Secrets:HO, NetBox:Secrets:MOJ: the departments have the same secret", result.FailureMessage, StringComparison.Ordinal);
        Assert.DoesNotContain("DFE", result.FailureMessage, StringComparison.Ordinal);
        Assert.DoesNotContain(HoSecret, result.FailureMessage, StringComparison.Ordinal);
    }

    /// <summary>The change as another NetBox request made it (both spellings of the request id).</summary>
    private static void NewRequest(JsonNode body, string requestId)
    {
        body["request"]!["id"] = requestId;
        body["request_id"] = requestId;
    }

    private static string[] Paths(JsonElement problem) =>
        problem.TryGetProperty("errors", out var errors) ? errors.EnumerateArray().Select(e => e.GetProperty("path").GetString()!).ToArray() : [];

    /// <summary>The methods a method's IL calls (call, callvirt), resolved in its module.</summary>
    private static IEnumerable<MethodBase> CalledMethods(MethodInfo method)
    {
        var il = method.GetMethodBody()!.GetILAsByteArray()!;
        for (var i = 0; i < il.Length - 4; i++)
        {
            if (il[i] != OpCodes.Call.Value && il[i] != OpCodes.Callvirt.Value) continue;
            MethodBase? called = null;
            try
            {
                called = method.Module.ResolveMethod(BitConverter.ToInt32(il, i + 1));
            }
            catch (Exception e) when (e is ArgumentException or BadImageFormatException)
            {
            }

            if (called is not null) yield return called;
        }
    }
}

internal static class JsonNodeExtensions
{
    /// <summary>The node after <paramref name="change"/> is applied to it, for one-line variations of a fixture.</summary>
    public static JsonObject Also(this JsonObject node, Action<JsonObject> change)
    {
        change(node);
        return node;
    }
}
