using System.Text;
using System.Text.Json;
using AssetCompliance.Api;
using AssetCompliance.Api.Security;
using AssetCompliance.Azure.Tables;
using AssetCompliance.Cli;
using Microsoft.AspNetCore.Http;

namespace AssetCompliance.Integration.Tests;

/// <summary>HTTP ingestion: all or nothing, every error reported, size limits enforced before parsing, department-bound.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class IngestionTests(AzuriteFixture azurite)
{
    private async Task<(int Status, JsonElement Body, StateStores Store)> PostAsync(string department, byte[] body, string? principal = null, bool declareLength = true)
    {
        var store = await azurite.CreateStoreAsync();
        var api = new IngestionApi(new LocalProcessingPublisher(() => TestEvents.Intake(store), TimeProvider.System), TestEvents.Authorizer());
        var request = TestHttp.Request(principal ?? CompliancePrincipal.Encode("ho", "Department.HO"), method: "POST", body: body, declareLength: declareLength);
        var (status, text) = await TestHttp.SendAsync(request, r => api.IngestAsync(r, department, default));
        return (status, JsonDocument.Parse(text).RootElement.Clone(), store);
    }

    private static byte[] Batch(params string[] events) => Encoding.UTF8.GetBytes("[" + string.Join(",", events) + "]");

    [Fact]
    public async Task A_valid_batch_is_accepted_with_its_event_ids_and_processed()
    {
        var (status, body, store) = await PostAsync("HO", Batch(TestEvents.Upsert("HO", "CAM-1", 1), TestEvents.Upsert("HO", "CAM-2", 1, manufacturer: "Axis")));

        Assert.Equal(202, status);
        Assert.Equal(["HO-CAM-1-1", "HO-CAM-2-1"], body.GetProperty("eventIds").EnumerateArray().Select(e => e.GetString()!));
        Assert.NotNull(await store.GetRecordAsync("HO", "CAM-2", default));

        var (single, _, _) = await PostAsync("HO", Encoding.UTF8.GetBytes(TestEvents.Upsert("HO", "CAM-3", 1)));
        Assert.Equal(202, single);
    }

    [Fact]
    public async Task A_site_without_an_id_but_stated_sensitive_is_stored_and_evaluated_as_sensitive()
    {
        var noId = System.Text.Json.Nodes.JsonNode.Parse(TestEvents.Upsert("HO", "CAM-1", 1))!;
        noId["data"]!["site"]!.AsObject().Remove("id");
        var nothingStated = System.Text.Json.Nodes.JsonNode.Parse(TestEvents.Upsert("HO", "CAM-2", 1, sensitive: null))!;
        nothingStated["data"]!["site"] = new System.Text.Json.Nodes.JsonObject();

        var (status, _, store) = await PostAsync("HO", Batch(noId.ToJsonString()));
        var (refused, body, _) = await PostAsync("HO", Batch(nothingStated.ToJsonString()));

        Assert.Equal(202, status);
        var stored = (await store.GetRecordAsync("HO", "CAM-1", default))!.Record;
        Assert.Equal((null, "Site one", true), (stored.Device.Site!.Id, stored.Device.Site.Name, stored.Device.Site.Sensitive));
        Assert.Equal(Core.Policy.ComplianceStatus.NonCompliant, stored.Status);
        Assert.Equal(400, refused);
        Assert.Equal(["$[0].data.site.id"], body.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("path").GetString()!));
    }

    [Fact]
    public async Task One_bad_event_refuses_the_whole_batch_with_every_error_by_position()
    {
        var bad = TestEvents.Upsert("HO", "CAM-2", 1).Replace("\"camera\"", "\"toaster\"", StringComparison.Ordinal);
        var (status, body, store) = await PostAsync("HO", Batch(TestEvents.Upsert("HO", "CAM-1", 1), bad, TestEvents.Upsert("MOJ", "CAM-3", 1)));

        Assert.Equal(400, status);
        var paths = body.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("path").GetString()!).ToArray();
        Assert.Contains("$[1].data.deviceType", paths);
        Assert.Contains("$[2].data.department", paths);
        Assert.Null(await store.GetRecordAsync("HO", "CAM-1", default)); // nothing was enqueued
    }

    [Fact]
    public async Task Oversized_bodies_are_refused_with_413_whether_declared_or_streamed()
    {
        var huge = new byte[IngestionApi.MaxBodyBytes + 10];
        Array.Fill(huge, (byte)' ');

        Assert.Equal(413, (await PostAsync("HO", huge)).Status);
        Assert.Equal(413, (await PostAsync("HO", huge, declareLength: false)).Status);
        var tooMany = Batch(Enumerable.Range(1, IngestionApi.MaxEvents + 1).Select(i => TestEvents.Upsert("HO", $"C{i}", 1)).ToArray());
        Assert.Equal(400, (await PostAsync("HO", tooMany)).Status);
    }

    [Fact]
    public async Task Only_the_department_itself_or_an_admin_may_send_its_events()
    {
        var events = Batch(TestEvents.Upsert("HO", "CAM-1", 1));

        Assert.Equal(403, (await PostAsync("HO", events, CompliancePrincipal.Encode("moj", "Department.MOJ"))).Status);
        Assert.Equal(403, (await PostAsync("HO", events, CompliancePrincipal.Encode("central", ComplianceRoles.ReadAll))).Status);
        Assert.Equal(202, (await PostAsync("HO", events, CompliancePrincipal.Encode("admin", ComplianceRoles.Admin))).Status);
    }

    private static string[] Paths(JsonElement problem) =>
        problem.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("path").GetString()!).ToArray();

    [Fact]
    public async Task Http_ingestion_answers_400_naming_the_path_of_a_lone_surrogate_never_500()
    {
        var (single, problem, _) = await PostAsync("HO", Encoding.UTF8.GetBytes(PoisonMessageTests.LoneSurrogateModel("HO", "CAM-1", 1)));
        Assert.Equal(400, single);
        Assert.Equal("https://asset-compliance/problems/invalid-events", problem.GetProperty("type").GetString());
        Assert.Equal(["$.data.model"], Paths(problem));

        var (batch, batchProblem, store) = await PostAsync("HO", Encoding.UTF8.GetBytes($"[{TestEvents.Upsert("HO", "CAM-1", 1)},{PoisonMessageTests.LoneSurrogateModel("HO", "CAM-2", 1)}]"));
        Assert.Equal(400, batch);
        Assert.Equal(["$[1].data.model"], Paths(batchProblem));
        Assert.Null(await store.GetRecordAsync("HO", "CAM-1", default)); // all or nothing, as documented

        byte[] notUtf8 = [.. Encoding.UTF8.GetBytes("[" + TestEvents.Upsert("HO", "CAM-1", 1)[..^1] + ",\"comexample\":\""), 0xFF, .. Encoding.UTF8.GetBytes("\"}]")];
        var (bytes, bytesProblem, _) = await PostAsync("HO", notUtf8);
        Assert.Equal(400, bytes);
        Assert.Equal(["$[0].comexample"], Paths(bytesProblem));

        var deep = new string('[', 40) + new string(']', 40);
        Assert.Equal(400, (await PostAsync("HO", Encoding.UTF8.GetBytes(deep))).Status);
    }

    /// <summary>An event nested <paramref name="levels"/> deep in an extension (the event's root counts as one).</summary>
    private static string Nested(string assetId, int levels) =>
        TestEvents.Upsert("HO", assetId, 1)[..^1] + ",\"comexampledeep\":" + new string('[', levels - 1) + new string(']', levels - 1) + "}";

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Nesting_past_the_contract_s_sixteen_levels_is_refused_in_the_contract_s_words_single_or_in_a_batch(bool batch)
    {
        // The finding: a batch nested too deeply reported "maximum configured depth of 17", the parser's setting
        // with one level for the batch's array, while the contract says 16.
        byte[] Body(params string[] events) => batch ? Batch(events) : Encoding.UTF8.GetBytes(events[0]);

        var (status, problem, _) = await PostAsync("HO", batch ? Body(Nested("CAM-1", 16), Nested("CAM-2", 17)) : Body(Nested("CAM-2", 17)));

        Assert.Equal(400, status);
        var text = problem.ToString();
        Assert.Contains("deeper than 16 levels", text, StringComparison.Ordinal);
        Assert.DoesNotContain("17", text, StringComparison.Ordinal);
        Assert.Contains(batch ? "$[1]" : "$", text, StringComparison.Ordinal);

        // Far deeper: the same words, not the JSON reader's.
        var (deepStatus, deepProblem, _) = await PostAsync("HO", Body(Nested("CAM-3", 5000)));
        Assert.Equal(400, deepStatus);
        Assert.Contains("deeper than 16 levels", deepProblem.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("maximum configured depth", deepProblem.ToString(), StringComparison.Ordinal);

        // At the limit, accepted.
        var (okStatus, _, store) = await PostAsync("HO", Body(Nested("CAM-4", 16)));
        Assert.Equal(202, okStatus);
        Assert.NotNull(await store.GetRecordAsync("HO", "CAM-4", default));
    }

    [Fact]
    public async Task Http_ingestion_accepts_a_body_that_starts_with_a_byte_order_mark()
    {
        var (status, body, store) = await PostAsync("HO", [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(TestEvents.Upsert("HO", "CAM-7", 1))]);

        Assert.Equal(202, status);
        Assert.Equal(["HO-CAM-7-1"], body.GetProperty("eventIds").EnumerateArray().Select(e => e.GetString()!));
        Assert.NotNull(await store.GetRecordAsync("HO", "CAM-7", default));
    }
}
