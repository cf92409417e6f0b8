using System.Text;
using System.Text.Json;
using AssetCompliance.Api;
using AssetCompliance.Api.Security;
using AssetCompliance.Azure.Tables;
using AssetCompliance.Core.Policy;
using AssetCompliance.Core.Registers;
using AssetCompliance.Testing;

namespace AssetCompliance.Integration.Tests;

/// <summary>
/// <c>POST /api/departments/{d}/register</c> against Table Storage (Azurite), sending through the local run's publisher
/// (the processor the queue feeds): a register file is read as <c>check</c> reads it, planned against the stored
/// devices, and only what changed is sent; a sync removes absent devices within the guard, never on a register not
/// wholly read; and the route answers every row's problem.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class RegisterRouteTests(AzuriteFixture azurite)
{
    private static readonly string Header = string.Join(',', RegisterReader.CsvHeader);
    private const string Csv = "text/csv";

    private static string Row(string id, string manufacturer = "Hikvision", string department = "HO") =>
        $"{id},{department},{manufacturer},{(manufacturer == "Hikvision" ? "DS-2CD2143G2-I" : "P3245-LVE")},S-{id},,camera,HO-SITE,Marsham Street,true,segregated,2023-01-01,in-service";

    private static byte[] File(params string[] rows) => Encoding.UTF8.GetBytes(Header + "\n" + string.Join("\n", rows) + "\n");

    private static async Task<(int Status, JsonElement Body)> PostAsync(StateStores store, byte[] body, string query = "", string contentType = Csv,
        string department = "HO", string? principal = null, bool declareLength = true)
    {
        var request = TestHttp.Request(principal ?? CompliancePrincipal.Encode("ho", "Department.HO"), query, "POST", body, declareLength);
        request.ContentType = contentType;
        var (status, text) = await TestHttp.SendAsync(request, r => TestEvents.RegisterApi(store).PostAsync(r, department, default));
        return (status, JsonDocument.Parse(text).RootElement.Clone());
    }

    private static string[] Ids(JsonElement body, string action) =>
        [.. body.GetProperty("devices").EnumerateArray().Where(d => d.GetProperty("action").GetString() == action).Select(d => d.GetProperty("assetId").GetString()!)];

    private static async Task<ComplianceStatus?> StatusAsync(StateStores store, string assetId) =>
        (await store.GetRecordAsync("HO", assetId, default))?.Record.Status;

    [Fact]
    public async Task A_netbox_export_without_departments_is_read_for_the_routes_department_and_a_row_of_another_is_not_sent()
    {
        var store = await azurite.CreateStoreAsync();
        var export = Encoding.UTF8.GetBytes("Name,Status,Tenant,Site,Role,Manufacturer,Type,Serial number,Asset tag,Site sensitive\r\n"
            + "cam-1,Active,Home Office,Marsham Street,CCTV Camera,Hikvision,DS-2CD2143G2-I,J1,HO-CAM-1,Yes\r\n"
            + "cam-2,Active,Home Office,Marsham Street,CCTV Camera,Axis,P3265-LVE,A2,HO-CAM-2,Yes\r\n");

        var (status, body) = await PostAsync(store, export, "?profile=netbox");

        Assert.Equal(202, status);
        Assert.Contains("NetBox", body.GetProperty("readAs").GetString());
        Assert.Equal(2, body.GetProperty("sent").GetInt32());
        Assert.Equal(ComplianceStatus.NonCompliant, await StatusAsync(store, "HO-CAM-1"));
        Assert.Equal("HO", (await store.GetRecordAsync("HO", "HO-CAM-1", default))!.Record.Device.Department);

        // The same export with a department column naming another department: that row is refused, never sent.
        var mixed = Encoding.UTF8.GetBytes("Name,Status,Tenant,Site,Role,Manufacturer,Type,Serial number,Asset tag,Site sensitive,Dept\r\n"
            + "cam-3,Active,Home Office,Marsham Street,CCTV Camera,Hikvision,DS-2CD2143G2-I,J3,HO-CAM-3,Yes,HO\r\n"
            + "cam-4,Active,Home Office,Marsham Street,CCTV Camera,Hikvision,DS-2CD2143G2-I,J4,DFE-CAM-4,Yes,DFE\r\n");
        var (partly, answer) = await PostAsync(store, mixed);
        Assert.Equal(422, partly);
        Assert.Null(await store.GetRecordAsync("DFE", "DFE-CAM-4", default));
        Assert.Null(await store.GetRecordAsync("HO", "DFE-CAM-4", default));
        Assert.Equal(ComplianceStatus.NonCompliant, await StatusAsync(store, "HO-CAM-3"));
        Assert.Contains("Line 3: department is 'DFE', not 'HO'", answer.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("?profile=netbox", 422, "does not fit")]
    [InlineData("?profile=nosuch", 400, "profile")]
    [InlineData("?map=Tags", 400, "map")]
    [InlineData("?map=Nosuch%3Dsite_sensitive", 422, "the map parameter names the column 'Nosuch'")]
    public async Task A_profile_or_map_that_does_not_fit_is_refused_and_nothing_is_sent(string query, int expected, string says)
    {
        var store = await azurite.CreateStoreAsync();

        var (status, body) = await PostAsync(store, File(Row("CAM-1")), query);

        Assert.Equal(expected, status);
        Assert.Contains(says, expected == 422 ? body.GetProperty("detail").GetString() : body.ToString(), StringComparison.Ordinal);
        Assert.Null(await StatusAsync(store, "CAM-1"));
        if (expected == 422)
        {
            Assert.Equal("The register could not be read; nothing was sent.", body.GetProperty("title").GetString());
        }
    }

    [Fact]
    public async Task A_register_is_sent_then_only_its_changes_are_and_a_sync_removes_what_it_no_longer_lists()
    {
        var store = await azurite.CreateStoreAsync();

        var (first, sent) = await PostAsync(store, File(Row("CAM-1"), Row("CAM-2"), Row("CAM-3")));
        var (again, repeat) = await PostAsync(store, File(Row("CAM-1"), Row("CAM-2"), Row("CAM-3")));

        Assert.Equal(202, first);
        Assert.Equal((3, 3), (sent.GetProperty("sent").GetInt32(), sent.GetProperty("new").GetInt32()));
        Assert.StartsWith("CSV, comma-delimited", sent.GetProperty("readAs").GetString());
        Assert.Equal(ComplianceStatus.NonCompliant, await StatusAsync(store, "CAM-2"));
        Assert.Equal(202, again);
        Assert.Equal((0, 3), (repeat.GetProperty("sent").GetInt32(), repeat.GetProperty("unchanged").GetInt32()));

        // CAM-2 is replaced by an Axis camera, CAM-3 is gone: 1 of 3 is more than the 10% a sync may remove unasked.
        var changed = File(Row("CAM-1"), Row("CAM-2", manufacturer: "Axis Communications"));
        var (refused, refusal) = await PostAsync(store, changed, "?sync=true");
        Assert.Equal(409, refused);
        Assert.Contains("--allow-removals 1", refusal.GetProperty("detail").GetString());
        Assert.Equal(0, refusal.GetProperty("sent").GetInt32());
        Assert.Equal(["CAM-3"], Ids(refusal, "Removed"));
        Assert.Equal(ComplianceStatus.NonCompliant, await StatusAsync(store, "CAM-2")); // nothing was sent, the change neither

        var (dry, plan) = await PostAsync(store, changed, "?sync=true&allowRemovals=1&dryRun=true");
        Assert.Equal(200, dry);
        Assert.Equal((0, 2, 1, 1), (plan.GetProperty("sent").GetInt32(), plan.GetProperty("toSend").GetInt32(), plan.GetProperty("changed").GetInt32(), plan.GetProperty("removed").GetInt32()));
        Assert.Equal(ComplianceStatus.NonCompliant, await StatusAsync(store, "CAM-3")); // a dry run sends nothing

        var (synced, done) = await PostAsync(store, changed, "?sync=true&allowRemovals=1");
        Assert.Equal(202, synced);
        Assert.Equal(["CAM-2"], Ids(done, "Changed"));
        Assert.Equal(["CAM-1"], Ids(done, "Unchanged"));
        Assert.Equal(ComplianceStatus.Compliant, await StatusAsync(store, "CAM-2"));
        Assert.Equal(ComplianceStatus.Removed, await StatusAsync(store, "CAM-3"));
    }

    [Fact]
    public async Task Without_sync_absent_devices_stay()
    {
        var store = await azurite.CreateStoreAsync();
        await PostAsync(store, File(Row("CAM-1"), Row("CAM-2")));

        var (status, body) = await PostAsync(store, File(Row("CAM-1")));

        Assert.Equal(202, status);
        Assert.Empty(Ids(body, "Removed"));
        Assert.Equal(ComplianceStatus.NonCompliant, await StatusAsync(store, "CAM-2"));
    }

    [Fact]
    public async Task A_row_not_read_is_422_with_every_problem_the_good_rows_are_sent_and_nothing_is_removed()
    {
        var store = await azurite.CreateStoreAsync();
        await PostAsync(store, File(Row("CAM-1"), Row("CAM-2"), Row("CAM-3")));

        var (status, body) = await PostAsync(store, File(Row("CAM-1", manufacturer: "Axis Communications"), "CAM-2,HO,Hikvision", Row("CAM/4")), "?sync=true&allowRemovals=10");

        Assert.Equal(422, status);
        Assert.Equal([3, 4], body.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("line").GetInt32()));
        Assert.Contains("no device was removed", body.GetProperty("title").GetString());
        Assert.NotNull(body.GetProperty("removalsWithheld").GetString());
        Assert.Equal(1, body.GetProperty("sent").GetInt32());
        Assert.Equal(ComplianceStatus.Compliant, await StatusAsync(store, "CAM-1")); // the good row was sent
        Assert.Equal(ComplianceStatus.NonCompliant, await StatusAsync(store, "CAM-3")); // its row was there; CAM-2's not read: neither removed
    }

    [Theory]
    [InlineData("?dryRun=true", "nothing would be sent.")]
    [InlineData("", "nothing was sent.")]
    [InlineData("?sync=true", "nothing was sent or removed.")]
    public async Task A_register_none_of_whose_rows_can_be_sent_says_nothing_was_sent(string query, string says)
    {
        var store = await azurite.CreateStoreAsync();
        // A Defender for Endpoint inventory as it comes (as samples/registers/defender-device-inventory.csv): no site
        // column, so the contract refuses every device in service.
        var export = Encoding.UTF8.GetBytes("Name,Device ID,IP addresses,MAC address,Device category,Device type,Vendor,Model,First seen,Last device update,Tags\r\n"
            + "cam-1,8f1e0c3a6b2d4e5f8a9b0c1d2e3f4a5b6c7d8e9f,10.50.1.21,00:bc:99:05:01:21,IoT,Camera,Hikvision,DS-2CD2143G2-I,2024-03-02,2026-11-28,\r\n"
            + "cam-2,9a2f1d4b7c3e5f6a9b0c1d2e3f4a5b6c7d8e9f0a,10.50.1.22,00:40:8c:05:01:22,IoT,Camera,Axis,P3265-LVE,2024-03-02,2026-11-28,\r\n");

        var (status, body) = await PostAsync(store, export, query);

        Assert.Equal(422, status);
        Assert.Contains("Defender", body.GetProperty("readAs").GetString());
        Assert.Equal($"None of the register's 2 row(s) can be sent; {says}", body.GetProperty("title").GetString());
        Assert.Equal(0, body.GetProperty("sent").GetInt32());
        Assert.Null(await store.GetRecordAsync("HO", "8f1e0c3a6b2d4e5f8a9b0c1d2e3f4a5b6c7d8e9f", default));
    }

    [Fact]
    public async Task A_workbook_body_is_read_as_a_workbook()
    {
        var store = await azurite.CreateStoreAsync();
        object?[] Camera(string id) => [id, "HO", "Hikvision", new XlsxWorkbook.Inline("DS-2CD2143G2-I"), 12345678L, null, "camera", "HO-SITE", "Marsham Street", true, "segregated", new DateTime(2023, 1, 1), "in-service"];
        var workbook = new XlsxWorkbook().Sheet("Notes").Sheet("Cameras", [.. RegisterReader.CsvHeader], Camera("CAM-1"), Camera("CAM-2")).ToBytes();

        var (status, body) = await PostAsync(store, workbook, contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        var (named, _) = await PostAsync(store, workbook, "?sheet=cameras&dryRun=true", contentType: "application/octet-stream");
        var (untyped, _) = await PostAsync(store, workbook, "?dryRun=true", contentType: null!); // no Content-Type: the content decides

        Assert.Equal(202, status);
        Assert.StartsWith("Excel workbook", body.GetProperty("readAs").GetString());
        Assert.Equal(2, body.GetProperty("sent").GetInt32());
        Assert.Equal(ComplianceStatus.NonCompliant, await StatusAsync(store, "CAM-2"));
        Assert.Equal((200, 200), (named, untyped));
    }

    [Fact]
    public async Task Another_departments_register_and_another_departments_caller_are_refused()
    {
        var store = await azurite.CreateStoreAsync();

        var (foreignFile, refusal) = await PostAsync(store, File(Row("CAM-1", department: "MOJ")), "?sync=true");
        var (foreignCaller, _) = await PostAsync(store, File(Row("CAM-1", department: "MOJ")), department: "MOJ");

        Assert.Equal(409, foreignFile);
        Assert.Contains("another department's register", refusal.GetProperty("detail").GetString());
        Assert.Equal(403, foreignCaller);
        Assert.Null(await store.GetRecordAsync("MOJ", "CAM-1", default));
    }

    [Fact]
    public async Task An_export_without_a_department_column_is_the_paths_department()
    {
        // A NetBox device export, as a department without a Service Bus client would post it: no department column.
        // Every row was refused as "department is '', not 'HO'", and the whole file called another department's register (409).
        var store = await azurite.CreateStoreAsync();
        var export = Encoding.UTF8.GetBytes("\uFEFFName,Status,Tenant,Site,Location,Rack,Role,Manufacturer,Type,Serial number,Asset tag\r\n"
            + "cam-lobby-01,Active,,Marsham Street,Lobby,,CCTV Camera,Hikvision,DS-2CD2143G2-I,J1,HO-CAM-1\r\n"
            + "sw-core-01,Planned,,Marsham Street,Comms,R1,Core Switch,Cisco,C9300-48P,FOC1,\r\n");

        var (status, answer) = await PostAsync(store, export);

        Assert.Equal(202, status);
        Assert.Equal(["HO-CAM-1", "sw-core-01"], Ids(answer, "New"));
        Assert.NotNull(await StatusAsync(store, "HO-CAM-1"));

        // A row that names another department is still refused, and only that row.
        var (mixed, problem) = await PostAsync(store, File(Row("CAM-7"), Row("CAM-8", department: "MOJ")));
        Assert.Equal(422, mixed);
        Assert.Contains("department is 'MOJ', not 'HO'", problem.GetProperty("detail").GetString());
        Assert.Null(await store.GetRecordAsync("MOJ", "CAM-8", default));
    }

    [Fact]
    public async Task Oversized_bodies_are_413_and_other_content_types_415_and_bad_parameters_400()
    {
        var store = await azurite.CreateStoreAsync();
        var huge = new byte[RegisterApi.MaxBodyBytes + 1];
        Array.Fill(huge, (byte)'a');

        var (declared, problem) = await PostAsync(store, huge);
        var (chunked, _) = await PostAsync(store, huge, declareLength: false);
        var (json, _) = await PostAsync(store, File(Row("CAM-1")), contentType: "application/json");
        var (allowWithoutSync, _) = await PostAsync(store, File(Row("CAM-1")), "?allowRemovals=3");
        var (badFlag, _) = await PostAsync(store, File(Row("CAM-1")), "?dryRun=yes");
        var (anyCase, _) = await PostAsync(store, File(Row("CAM-1")), "?dryRun=True"); // one flag rule for every route, as includeBody reads it
        Assert.Equal(200, anyCase);

        Assert.Equal((413, 413), (declared, chunked));
        Assert.Equal("https://asset-compliance/problems/body-too-large", problem.GetProperty("type").GetString());
        Assert.Equal(415, json);
        Assert.Equal((400, 400), (allowWithoutSync, badFlag));
        Assert.Null(await store.GetRecordAsync("HO", "CAM-1", default));
    }

    [Fact]
    public async Task When_the_stored_devices_cannot_be_read_the_route_answers_503_and_sends_nothing()
    {
        var store = TestEvents.UnreachableStore();
        var published = new List<Core.Processing.OutgoingEvent>();
        var api = new RegisterApi(store, new RecordingPublisher(published), TestEvents.Authorizer());
        var request = TestHttp.Request(CompliancePrincipal.Encode("ho", "Department.HO"), "?sync=true", "POST", File(Row("CAM-1")));
        request.ContentType = Csv;

        var (status, body) = await TestHttp.SendAsync(request, r => new ApiHandler().RunAsync(r, t => api.PostAsync(r, "HO", t)));

        Assert.Equal(503, status);
        Assert.Contains("storage-unavailable", body);
        Assert.Empty(published);
    }

    private sealed class RecordingPublisher(List<Core.Processing.OutgoingEvent> published) : Core.Processing.IAssetEventPublisher
    {
        public Task PublishAsync(IReadOnlyList<Core.Processing.OutgoingEvent> events, CancellationToken cancellationToken)
        {
            published.AddRange(events);
            return Task.CompletedTask;
        }
    }
}
