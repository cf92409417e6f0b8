using System.Text;
using System.Text.Json;
using AssetCompliance.Api;
using AssetCompliance.Core.Events;
using AssetCompliance.Core.Policy;
using AssetCompliance.Core.State;
using Microsoft.AspNetCore.Http;

namespace AssetCompliance.Integration.Tests;

/// <summary>
/// Every time the API reads is RFC 3339 with an offset, read by the contract's own parser (<see cref="Rfc3339"/>):
/// <c>GET /api/alerts?since=</c>, the asset list's <c>changedSince</c> and the exemption body's <c>expiresAt</c>.
/// Before, a date alone or a time without an offset was accepted, and the instant it meant depended on the host's
/// time zone. Forms with <c>Z</c> and with <c>+01:00</c> for the same instant must mean the same.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class StrictTimeTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset At = new(2026, 11, 20, 9, 0, 0, TimeSpan.Zero);

    /// <summary>Everything a lenient parser reads and RFC 3339's date-time does not (or that names no real instant).</summary>
    public static TheoryData<string> NotRfc3339 => new()
    {
        "2026-11-20T09:00:00",          // the issue's sample: no offset (was read in the host's time zone)
        "2026-11-20",                   // the issue's sample: a date alone (was midnight, local)
        "2026-11-20T09:00Z",            // no seconds
        "2026-11-20 09:00:00Z",         // a space for T
        "2026-11-20T09:00:00+0100",     // offset without a colon
        "2026-11-20T09:00:00+01",       // offset without minutes
        "2026-11-20T09:00:00.Z",        // a fraction without digits
        "20261120T090000Z",             // ISO 8601 basic format
        "2026-W47-5T09:00:00Z",         // week date
        "Fri, 20 Nov 2026 09:00:00 GMT", // RFC 1123
        "11/20/2026 09:00:00 +00:00",   // culture format
        "1795165200",                   // Unix seconds
        "2026-02-30T09:00:00Z",         // no such day
        "2026-11-20T24:00:00Z",         // no such hour
        " 2026-11-20T09:00:00Z",        // padding
        "2026-11-20T09:00:00Z ",
        "2026-11-20T09:00:00+24:00",    // offset out of range
    };

    private static async Task<(int Status, JsonElement Body)> SendAsync(Func<HttpRequest, Task<ApiResult>> call, string query = "", object? body = null)
    {
        var request = TestHttp.Request(TestEvents.Principal(), query, method: body is null ? "GET" : "POST", body: body is null ? null : TestHttp.Json(body));
        var (status, text) = await TestHttp.SendAsync(request, call);
        return (status, JsonDocument.Parse(text).RootElement.Clone());
    }

    /// <summary>A department with one NonCompliant camera, CAM-1, evaluated at <see cref="At"/>, and the state routes at that time.</summary>
    private async Task<(StateStores Store, StateApi Api)> OneCameraAsync()
    {
        var store = await azurite.CreateStoreAsync();
        var time = new ManualTime(At);
        await TestEvents.Processor(store, time).ProcessAsync(TestEvents.Message(TestEvents.Upsert("HO", "CAM-1", 1)), default);
        return (store, TestEvents.StateApi(store, time));
    }

    /// <summary>Grants CAM-1 an exemption whose expiresAt is <paramref name="expiresAtJson"/> (any JSON value).</summary>
    private static Task<(int Status, JsonElement Body)> GrantExpiringAsync(StateApi api, string expiresAtJson) =>
        SendAsync(r => api.RequestExemptionAsync(r, "HO", "CAM-1", default), body: $"{{\"reason\":\"Replacement ordered\",\"approver\":\"SIRO\",\"expiresAt\":{expiresAtJson}}}");

    private static string Q(string name, string value) => $"?{name}={Uri.EscapeDataString(value)}";

    private static (string Path, string Message)[] Errors(JsonElement problem) =>
        [.. problem.GetProperty("errors").EnumerateArray().Select(e => (e.GetProperty("path").GetString()!, e.GetProperty("message").GetString()!))];

    [Theory]
    [MemberData(nameof(NotRfc3339))]
    public async Task Alerts_since_that_is_not_RFC_3339_with_an_offset_is_refused_naming_since(string since)
    {
        var api = TestEvents.StateApi(TestEvents.UnreachableStore()); // refused before storage is read

        var (status, problem) = await SendAsync(r => api.GetAlertsAsync(r, default), Q("since", since));

        Assert.Equal(400, status);
        Assert.Equal("https://asset-compliance/problems/invalid-parameter", problem.GetProperty("type").GetString());
        var (path, message) = Assert.Single(Errors(problem));
        Assert.Equal("since", path);
        Assert.EndsWith(Rfc3339.Rule, message);
    }

    [Theory]
    [MemberData(nameof(NotRfc3339))]
    public async Task An_asset_list_changedSince_that_is_not_RFC_3339_with_an_offset_is_refused_naming_it(string changedSince)
    {
        var api = new AssetListApi(TestEvents.UnreachableStore(), TestEvents.Authorizer());

        var (status, problem) = await SendAsync(r => api.ListAsync(r, "HO", default), Q("changedSince", changedSince));

        Assert.Equal(400, status);
        Assert.Equal(["changedSince"], Errors(problem).Select(e => e.Path));
    }

    /// <summary>One alert and one device changed at 09:00:00Z; bounds a second either side, written in several offsets.</summary>
    [Fact]
    public async Task Since_and_changedSince_with_Z_or_an_offset_mean_the_same_instant()
    {
        var store = await azurite.CreateStoreAsync();
        await TestEvents.Processor(store, new ManualTime(At)).ProcessAsync(TestEvents.Message(TestEvents.Upsert("HO", "CAM-1", 1)), default);
        var state = TestEvents.StateApi(store);
        var assets = new AssetListApi(store, TestEvents.Authorizer());

        async Task<int> AlertsAsync(string since)
        {
            var (status, body) = await SendAsync(r => state.GetAlertsAsync(r, default), Q("since", since) + "&department=HO");
            Assert.True(status == 200, body.ToString());
            return body.GetProperty("count").GetInt32();
        }

        async Task<int> DevicesAsync(string changedSince)
        {
            var (status, body) = await SendAsync(r => assets.ListAsync(r, "HO", default), Q("changedSince", changedSince));
            Assert.True(status == 200, body.ToString());
            return body.GetProperty("count").GetInt32();
        }

        foreach (var (text, expected) in new[]
        {
            ("2026-11-20T09:00:00Z", 1), ("2026-11-20T10:00:00+01:00", 1), ("2026-11-20T04:00:00-05:00", 1), ("2026-11-20t09:00:00z", 1),
            ("2026-11-20T08:59:59.999Z", 1), ("2026-11-20T09:00:00.001Z", 0), ("2026-11-20T10:00:00.001+01:00", 0),
            ("2026-11-20T09:00:01Z", 0), ("2026-11-20T10:00:01+01:00", 0), ("2026-11-20T14:30:01+05:30", 0),
            ("2026-11-20T08:59:59Z", 1), ("2026-11-20T09:59:59+01:00", 1),
        })
        {
            Assert.True(expected == await AlertsAsync(text), $"since={text}");
            Assert.True(expected == await DevicesAsync(text), $"changedSince={text}");
        }
    }

    /// <summary>The issue's kind for the exemption body: an expiresAt without an offset took the host's time zone.</summary>
    [Theory]
    [InlineData("\"2027-01-31T17:00:00\"")]
    [InlineData("\"2027-01-31\"")]
    [InlineData("\"2027-01-31T17:00Z\"")]
    [InlineData("\"2027-01-31 17:00:00Z\"")]
    [InlineData("\"2027-01-31T17:00:00+0100\"")]
    [InlineData("\"1801501200\"")]
    [InlineData("1801501200")]
    [InlineData("true")]
    [InlineData("{}")]
    [InlineData("[\"2027-01-31T17:00:00Z\"]")]
    public async Task An_expiresAt_that_is_not_RFC_3339_with_an_offset_is_refused_with_its_path(string expiresAt)
    {
        var (store, api) = await OneCameraAsync();

        var (status, problem) = await GrantExpiringAsync(api, expiresAt);

        Assert.Equal(400, status);
        Assert.Equal("https://asset-compliance/problems/invalid-exemption", problem.GetProperty("type").GetString());
        var (path, message) = Assert.Single(Errors(problem));
        Assert.Equal("$.expiresAt", path);
        Assert.Equal(Rfc3339.Rule, message);
        Assert.Null((await store.GetRecordAsync("HO", "CAM-1", default))!.Record.Exemption);
        Assert.Null((await store.GetRecordAsync("HO", "CAM-1", default))!.Record.PendingExemption);
    }

    [Theory]
    [InlineData("2027-01-31T17:00:00Z")]
    [InlineData("2027-01-31T18:00:00+01:00")]
    [InlineData("2027-01-31T12:00:00-05:00")]
    [InlineData("2027-01-31T22:30:00.000+05:30")]
    [InlineData("2027-01-31t17:00:00z")]
    public async Task An_expiresAt_with_Z_or_an_offset_is_the_same_instant_in_UTC(string expiresAt)
    {
        var (store, api) = await OneCameraAsync();

        var (status, body) = await GrantExpiringAsync(api, $"\"{expiresAt}\"");

        Assert.True(status == 202, body.ToString());
        Assert.Equal(200, (await TestEvents.ApproveExemptionAsync(api, "HO", "CAM-1")).Status);
        var exemption = (await store.GetRecordAsync("HO", "CAM-1", default))!.Record.Exemption!;
        Assert.Equal(new DateTimeOffset(2027, 1, 31, 17, 0, 0, TimeSpan.Zero), exemption.ExpiresAt);
        Assert.Equal(TimeSpan.Zero, exemption.ExpiresAt.Offset);
        Assert.Equal(ComplianceStatus.Exempt, (await store.GetRecordAsync("HO", "CAM-1", default))!.Record.Status);
    }

    /// <summary>
    /// Every JSON body of the state routes, with a byte-order mark, a lone surrogate (escaped or as raw bytes), bytes
    /// that are not UTF-8, a repeated or unknown name, or no object: a 2xx for what is valid, else a 400 naming the
    /// field, never a 500. (HTTP ingestion's bodies are covered in <see cref="IngestionTests"/>.)
    /// </summary>
    [Fact]
    public async Task Exemption_and_reset_bodies_with_a_BOM_are_read_and_poison_ones_are_400_with_their_path()
    {
        var (store, api) = await OneCameraAsync();
        const string Valid = "{\"reason\":\"Replacement ordered\",\"approver\":\"SIRO\",\"expiresAt\":\"2027-01-31T17:00:00Z\"}";
        byte[] Bom(string text) => [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(text)];
        byte[] RawSurrogate = [.. Encoding.UTF8.GetBytes("{\"reason\":\"a"), 0xED, 0xA0, 0x80, .. Encoding.UTF8.GetBytes("\",\"approver\":\"SIRO\",\"expiresAt\":\"2027-01-31T17:00:00Z\"}")];
        byte[] NotUtf8 = [.. Encoding.UTF8.GetBytes("{\"reason\":\"Replacement ordered\",\"approver\":\"SI"), 0xFF, .. Encoding.UTF8.GetBytes("RO\",\"expiresAt\":\"2027-01-31T17:00:00Z\"}")];

        async Task<(int Status, JsonElement Body)> GrantAsync(byte[] body)
        {
            var request = TestHttp.Request(TestEvents.Principal(), method: "POST", body: body);
            var (status, text) = await TestHttp.SendAsync(request, r => api.RequestExemptionAsync(r, "HO", "CAM-1", default));
            return (status, JsonDocument.Parse(text).RootElement.Clone());
        }

        async Task<(int Status, JsonElement Body)> ResetAsync(byte[] body)
        {
            var request = TestHttp.Request(TestEvents.Principal(), method: "POST", body: body);
            var (status, text) = await TestHttp.SendAsync(request, r => api.ResetRevisionAsync(r, "HO", "CAM-1", default));
            return (status, JsonDocument.Parse(text).RootElement.Clone());
        }

        foreach (var (body, expectedPath) in new (byte[], string)[]
        {
            (Encoding.UTF8.GetBytes("{\"reason\":\"\\ud800\",\"approver\":\"SIRO\",\"expiresAt\":\"2027-01-31T17:00:00Z\"}"), "$.reason"),
            (Encoding.UTF8.GetBytes("{\"reason\":\"r\",\"approver\":\"\\udfff x\",\"expiresAt\":\"2027-01-31T17:00:00Z\"}"), "$.approver"),
            (Encoding.UTF8.GetBytes("{\"reason\":\"r\",\"approver\":\"SIRO\",\"expiresAt\":\"\\ud800\"}"), "$.expiresAt"),
            (Encoding.UTF8.GetBytes("{\"reason\":\"r\",\"approver\":\"SIRO\",\"expiresAt\":\"2027-01-31T17:00:00Z\",\"requestId\":\"\\ud83d\"}"), "$.requestId"),
            (Bom("{\"reason\":\"\\ud800\",\"approver\":\"SIRO\",\"expiresAt\":\"2027-01-31T17:00:00Z\"}"), "$.reason"),
            (RawSurrogate, "$.reason"),
            (NotUtf8, "$.approver"),
            (Encoding.UTF8.GetBytes("{\"reason\":\"r\",\"approver\":\"SIRO\",\"expiresAt\":\"2027-01-31T17:00:00Z\",\"\\ud800\":1}"), "$"),
            (Encoding.UTF8.GetBytes("{\"reason\":\"r\",\"approver\":\"SIRO\",\"expiresAt\":\"2027-01-31T17:00:00Z\",\"requestIdentifier\":\"g-1\"}"), "$.requestIdentifier"),
            (Encoding.UTF8.GetBytes("[" + Valid + "]"), "$"),
            (Encoding.UTF8.GetBytes("\"" + Valid.Replace("\"", "\\\"") + "\""), "$"),
            (Encoding.UTF8.GetBytes("null"), "$"),
        })
        {
            var (status, problem) = await GrantAsync(body);
            Assert.True(status == 400, $"{Encoding.UTF8.GetString(body)}: {status} {problem}");
            Assert.Contains(expectedPath, Errors(problem).Select(e => e.Path));
        }

        // Not JSON at all, or a name given twice (which value would count?): 400 invalid-body.
        foreach (var body in new[] { "", "{", "{\"reason\":\"r\"", "{\"reason\":\"r\",\"approver\":\"SIRO\",\"expiresAt\":\"2027-01-31T17:00:00Z\",\"expiresAt\":\"2027-12-31T17:00:00Z\"}", "{\"reason\":\"r\",\"Reason\":\"s\",\"approver\":\"SIRO\",\"expiresAt\":\"2027-01-31T17:00:00Z\"}" })
        {
            var (status, problem) = await GrantAsync(Encoding.UTF8.GetBytes(body));
            Assert.True(status == 400, $"{body}: {status} {problem}");
        }

        Assert.Null((await store.GetRecordAsync("HO", "CAM-1", default))!.Record.Exemption);
        var (bomStatus, granted) = await GrantAsync(Bom(Valid));
        Assert.True(bomStatus == 202, granted.ToString());

        foreach (var (body, expectedPath) in new (byte[], string)[]
        {
            (Encoding.UTF8.GetBytes("{\"reason\":\"mis\\udc00take\"}"), "$.reason"),
            ([.. Encoding.UTF8.GetBytes("{\"reason\":\"mis"), 0xC3, .. Encoding.UTF8.GetBytes("take\"}")], "$.reason"),
            (Encoding.UTF8.GetBytes("{\"reason\":\"mistake\",\"requestID\":\"r-1\",\"force\":true}"), "$.force"),
            (Encoding.UTF8.GetBytes("{\"reason\":\"mistake\",\"requestId\":7}"), "$.requestId"),
        })
        {
            var (status, problem) = await ResetAsync(body);
            Assert.True(status == 400, $"{Encoding.UTF8.GetString(body)}: {status} {problem}");
            Assert.Equal("https://asset-compliance/problems/invalid-revision-reset", problem.GetProperty("type").GetString());
            Assert.Contains(expectedPath, Errors(problem).Select(e => e.Path));
        }

        Assert.Equal(400, (await ResetAsync(Encoding.UTF8.GetBytes("{\"reason\":\"a\",\"reason\":\"b\"}"))).Status);
        var (resetStatus, reset) = await ResetAsync(Bom("{\"reason\":\"mistake\",\"requestId\":\"r-1\"}"));
        Assert.True(resetStatus == 200, reset.ToString());
    }

    /// <summary>The POST routes that take no body ignore one, whatever its bytes: never a 500.</summary>
    [Fact]
    public async Task Poison_bodies_on_the_POST_routes_that_take_no_body_are_ignored()
    {
        var store = await azurite.CreateStoreAsync();
        var api = TestEvents.StateApi(store);
        foreach (var body in new byte[][] { [0xEF, 0xBB, 0xBF, .. "{}"u8], "{\"x\":\"\\ud800\"}"u8.ToArray(), [0xFF, 0xFE, 0x00] })
        {
            var reevaluate = await TestHttp.SendAsync(TestHttp.Request(TestEvents.Principal(), method: "POST", body: body), r => api.ReevaluateAsync(r, default));
            var retry = await TestHttp.SendAsync(TestHttp.Request(TestEvents.Principal(), method: "POST", body: body), r => api.RetryFailedAlertsAsync(r, default));
            Assert.Equal((200, 200), (reevaluate.Status, retry.Status));
        }
    }
}

/// <summary>
/// The API's reading of times does not depend on the host's time zone: under several local zones, the same query
/// reaches storage as the same UTC instant, and an offset-less time is refused in each. Runs alone because it changes
/// the process's local time zone; storage is a recorder, so no Azurite is needed.
/// </summary>
[Collection(ApiTimeZoneCollection.Name)]
public sealed class ApiTimeZoneIndependenceTests
{
    /// <summary>Records the bounds the routes pass to storage, and answers with nothing.</summary>
    private sealed class RecordingStore() : StateStores(TestEvents.UnreachableStore())
    {
        public List<DateTimeOffset?> Bounds { get; } = [];

        public override Task<IReadOnlyList<string>> GetDepartmentsAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<string>>(["HO"]);

        public override Task<IReadOnlyList<Core.Alerting.OutboxEntry>> GetOutboxEntriesAsync(string department, IReadOnlyCollection<Core.Alerting.OutboxState> states, DateTimeOffset? since, CancellationToken cancellationToken)
        {
            Bounds.Add(since);
            return Task.FromResult<IReadOnlyList<Core.Alerting.OutboxEntry>>([]);
        }

        public override Task<RecordPage> QueryRecordsAsync(string department, AssetQuery query, int top, string? continuation, CancellationToken cancellationToken)
        {
            Bounds.Add(query.ChangedSince);
            return Task.FromResult(new RecordPage([], null));
        }
    }

    [Theory]
    [InlineData("Europe/London")]
    [InlineData("America/St_Johns")]
    [InlineData("Asia/Kathmandu")]
    [InlineData("Pacific/Kiritimati")]
    [InlineData("UTC")]
    public async Task The_same_query_and_body_mean_the_same_instant_whatever_the_local_time_zone(string zone)
    {
        var previous = Environment.GetEnvironmentVariable("TZ");
        try
        {
            Environment.SetEnvironmentVariable("TZ", zone);
            TimeZoneInfo.ClearCachedData();
            var summer = new DateTime(2026, 6, 20, 8, 0, 0, DateTimeKind.Utc);
            Assert.Equal(zone == "UTC" ? TimeSpan.Zero : TimeZoneInfo.FindSystemTimeZoneById(zone).GetUtcOffset(summer), TimeZoneInfo.Local.GetUtcOffset(summer)); // the switch took effect

            var store = new RecordingStore();
            var state = TestEvents.StateApi(store);
            var assets = new AssetListApi(store, TestEvents.Authorizer());
            foreach (var text in new[] { "2026-06-20T09:00:00+01:00", "2026-06-20T08:00:00Z" })
            {
                Assert.Equal(200, (await TestHttp.SendAsync(TestHttp.Request(TestEvents.Principal(), $"?since={Uri.EscapeDataString(text)}"), r => state.GetAlertsAsync(r, default))).Status);
                Assert.Equal(200, (await TestHttp.SendAsync(TestHttp.Request(TestEvents.Principal(), $"?changedSince={Uri.EscapeDataString(text)}"), r => assets.ListAsync(r, "HO", default))).Status);
            }

            Assert.All(store.Bounds, b => Assert.Equal((new DateTimeOffset(summer, TimeSpan.Zero), TimeSpan.Zero), (b!.Value, b.Value.Offset)));
            Assert.Equal(4, store.Bounds.Count);

            Assert.Equal(400, (await TestHttp.SendAsync(TestHttp.Request(TestEvents.Principal(), "?since=2026-06-20T09:00:00"), r => state.GetAlertsAsync(r, default))).Status);
            Assert.Equal(400, (await TestHttp.SendAsync(TestHttp.Request(TestEvents.Principal(), "?changedSince=2026-06-20T09:00:00"), r => assets.ListAsync(r, "HO", default))).Status);
            var grant = TestHttp.Request(TestEvents.Principal(), method: "POST", body: Encoding.UTF8.GetBytes("{\"reason\":\"r\",\"approver\":\"a\",\"expiresAt\":\"2026-07-20T09:00:00\"}"));
            var (status, text2) = await TestHttp.SendAsync(grant, r => state.RequestExemptionAsync(r, "HO", "CAM-1", default));
            Assert.Equal(400, status);
            Assert.Contains("$.expiresAt", text2);
            Assert.Equal(4, store.Bounds.Count); // nothing refused reached storage

            var request = JsonSerializer.Deserialize<Core.Processing.ExemptionRequest>("{\"expiresAt\":\"2026-07-20T10:00:00+01:00\"}", ComplianceJson.Options)!;
            Assert.Equal((new DateTimeOffset(2026, 7, 20, 9, 0, 0, TimeSpan.Zero), TimeSpan.Zero), (request.ExpiresAt!.Value, request.ExpiresAt.Value.Offset));
        }
        finally
        {
            Environment.SetEnvironmentVariable("TZ", previous);
            TimeZoneInfo.ClearCachedData();
        }
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ApiTimeZoneCollection
{
    public const string Name = "API local time zone";
}
