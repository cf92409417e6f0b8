using System.Text;
using System.Text.Json.Nodes;
using AssetCompliance.Api;

namespace AssetCompliance.Integration.Tests;

/// <summary>
/// The ingestion route's documented request body describes what the route takes: contract v1 asset events and
/// contract v1.1 <c>asset.device.observed</c>, one or an array (the contract's own schemas, embedded from docs/schemas).
/// Every request a test sends that the route accepts is checked against it (<see cref="OpenApiAnswers.ValidateRequest"/>,
/// beside the answers), and the check is shown to refuse what the contract refuses.
/// </summary>
public sealed class OpenApiRequestTests
{
    private static readonly JsonNode Document = JsonNode.Parse(OpenApi.Document("test"))!;

    private static string Example(string name) => File.ReadAllText(Path.Combine(RepositoryPaths.Root, "docs", "examples", name));

    private static string? Check(string body, string contentType = "application/json") =>
        OpenApiAnswers.CheckRequest(RouteTable.IngestAssetEvents, contentType, Encoding.UTF8.GetBytes(body), Document);

    [Fact]
    public void The_ingestion_body_takes_v1_asset_events_and_v1_1_observations_alone_or_mixed_in_an_array()
    {
        var observed = Example("observed-nvr.json");
        var upserted = Example("upserted-camera.json");

        Assert.Null(Check(observed));
        Assert.Null(Check(upserted));
        Assert.Null(Check(Example("removed-camera.json")));
        Assert.Null(Check($"[{upserted},{observed}]"));
        Assert.Null(Check($"[{observed}]", "application/cloudevents-batch+json"));
        var components = Document["components"]!["schemas"]!.AsObject();
        Assert.True(components.ContainsKey("AssetDeviceObserved"));
        Assert.Contains("asset.device.observed", components["AssetEventBody"]!["description"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("signal", "http-banner")] // not a signal of the contract
    [InlineData("tool", "nmap\u202E")] // a hidden character in a name the sender writes
    [InlineData("port", "80")] // a string for the port
    public void An_observation_the_contract_refuses_is_off_the_documented_body(string field, string value)
    {
        var observed = JsonNode.Parse(Example("observed-nvr.json"))!;
        observed["data"]!["evidence"]![0]![field] = value;

        Assert.Contains("not valid", Check(observed.ToJsonString()));
        Assert.Contains("not valid", Check($"[{Example("upserted-camera.json")},{observed.ToJsonString()}]"));
    }

    /// <summary>A request the route accepted that the document does not describe fails the test that sent it; one it refused is not checked.</summary>
    [Fact]
    public void An_accepted_request_off_the_document_fails_the_test()
    {
        var body = Encoding.UTF8.GetBytes("{\"specversion\":\"1.0\",\"type\":\"asset.device.seen\"}");

        Assert.Throws<Xunit.Sdk.XunitException>(() => OpenApiAnswers.ValidateRequest(RouteTable.IngestAssetEvents, 202, "application/json", body, Document));
        OpenApiAnswers.ValidateRequest(RouteTable.IngestAssetEvents, 400, "application/json", body, Document);
    }

    [Fact]
    public void An_observation_without_an_address_or_with_another_department_s_source_is_off_the_documented_body()
    {
        var noAddress = JsonNode.Parse(Example("observed-nvr.json"))!;
        noAddress["data"]!.AsObject().Remove("ipAddresses");
        noAddress["data"]!.AsObject().Remove("macAddresses");
        var wrongType = JsonNode.Parse(Example("observed-nvr.json"))!;
        wrongType["type"] = "asset.device.seen";

        Assert.Contains("not valid", Check(noAddress.ToJsonString()));
        Assert.Contains("not valid", Check(wrongType.ToJsonString()));
    }
}
