using System.Text.Json;
using System.Text.Json.Nodes;
using AssetCompliance.Core.Events;
using AssetCompliance.Core.Observations;
using Json.Schema;
using static AssetCompliance.Core.Tests.ObservationTestData;

namespace AssetCompliance.Core.Tests;

/// <summary>Contract v1.1's asset.device.observed: the example under schema and parser, and edges both refuse.</summary>
public sealed class ObservationEventTests
{
    internal static readonly Lazy<JsonSchema> Schema = new(() => JsonSchema.FromText(File.ReadAllText(PathOf("schemas", "asset-device-observed.v1.1.schema.json"))));

    private static readonly Lazy<JsonSchema> NetworksSchema = new(() => JsonSchema.FromText(File.ReadAllText(PathOf("schemas", "networks.v1.schema.json"))));

    private static readonly Lazy<JsonSchema> FingerprintsSchema = new(() => JsonSchema.FromText(File.ReadAllText(PathOf("catalogue", "fingerprints.schema.json"))));

    private static string Example => File.ReadAllText(PathOf("examples", "observed-nvr.json"));

    internal static bool SchemaValid(JsonSchema schema, string json)
    {
        using var document = JsonDocument.Parse(json);
        return schema.Evaluate(document.RootElement, new EvaluationOptions { RequireFormatValidation = true }).IsValid;
    }

    [Fact]
    public void Every_signal_has_its_own_wire_name_and_reads_back_as_itself()
    {
        // ToWire indexes its table by the enum's value: a signal added out of order would name another signal.
        var signals = Enum.GetValues<ObservedSignal>();
        Assert.Equal(signals.Length, ObservedSignals.AllNames.Count);
        Assert.Equal(signals.Length, signals.Select(s => s.ToWire()).Distinct(StringComparer.Ordinal).Count());
        Assert.All(signals, s => Assert.True(ObservedSignals.TryParse(s.ToWire(), out var back) && back == s, s.ToString()));
    }

    [Fact]
    public void The_example_is_valid_under_the_schema_and_the_parser()
    {
        Assert.True(SchemaValid(Schema.Value, Example));
        var parsed = ObservationEventParser.Parse(System.Text.Encoding.UTF8.GetBytes(Example));
        Assert.True(parsed.IsValid, string.Join("; ", parsed.Errors));
        Assert.Equal("HO", parsed.Department);
        var observation = parsed.Observation!;
        Assert.Equal("nmap 7.93 on soc-scan-01", observation.Observer);
        Assert.Contains(observation.Evidence, e => e is { Signal: ObservedSignal.HttpServer, Value: "DNVRS-Webs", Port: 80 });
    }

    [Fact]
    public void The_example_is_an_unregistered_hikvision_nvr_on_the_core_network()
    {
        var observation = ObservationEventParser.Parse(System.Text.Encoding.UTF8.GetBytes(Example)).Observation!;
        var outcome = Assert.Single(Reconciling.Value.Reconcile([], [observation], new ReconcileOptions { Networks = Networks(HoNetworks) }));
        Assert.Equal(ReconcileOutcomeKind.Unregistered, outcome.Outcome);
        Assert.Equal(Policy.Severity.Critical, outcome.Evaluation!.Severity);
    }

    public static TheoryData<string, string, string?> Edges() => new()
    {
        // name, JSON pointer path (dot-separated) to change, raw JSON value ("-" removes it)
        { "wrong type", "type", "\"asset.device.upserted\"" },
        { "source of another department", "source", "\"/departments/DFE/observations\"" },
        { "register source", "source", "\"/departments/HO/asset-register\"" },
        { "no observer", "data.observer", "-" },
        { "time without offset", "data.observedAt", "\"2026-11-30T09:04:12\"" },
        { "bad ip", "data.ipAddresses", "[\"10.0.0.300\"]" },
        { "bad mac", "data.macAddresses", "[\"BC:AD:28\"]" },
        { "no addresses", "data.ipAddresses", "-" },
        { "unknown signal", "data.evidence", "[{\"signal\":\"banner\",\"value\":\"x\",\"tool\":\"nmap\"}]" },
        { "blank value", "data.evidence", "[{\"signal\":\"http-server\",\"value\":\"  \",\"tool\":\"nmap\"}]" },
        { "port out of range", "data.evidence", "[{\"signal\":\"http-server\",\"value\":\"x\",\"tool\":\"nmap\",\"port\":70000}]" },
        { "no tool", "data.evidence", "[{\"signal\":\"http-server\",\"value\":\"x\"}]" },
    };

    [Theory]
    [MemberData(nameof(Edges))]
    public void Schema_and_parser_both_refuse(string name, string path, string? value)
    {
        var node = JsonNode.Parse(Example)!.AsObject();
        var parts = path.Split('.');
        var parent = parts[..^1].Aggregate((JsonNode)node, (n, p) => n[p]!).AsObject();
        if (path == "data.ipAddresses" && value == "-")
        {
            parent.Remove("macAddresses");
        }

        if (value == "-") parent.Remove(parts[^1]);
        else parent[parts[^1]] = JsonNode.Parse(value!);
        var json = node.ToJsonString();
        Assert.False(ObservationEventParser.Parse(System.Text.Encoding.UTF8.GetBytes(json)).IsValid, $"parser accepts {name}");
        if (name is not ("source of another department"))
        {
            Assert.False(SchemaValid(Schema.Value, json), $"schema accepts {name}");
        }
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("{\"id\":\"a\",\"id\":\"b\"}")]
    public void A_body_that_is_not_one_event_is_invalid_and_never_throws(string body) =>
        Assert.False(ObservationEventParser.Parse(System.Text.Encoding.UTF8.GetBytes(body)).IsValid);

    [Fact]
    public void The_sample_networks_file_and_the_fingerprints_match_their_schemas()
    {
        Assert.True(SchemaValid(NetworksSchema.Value, File.ReadAllText(PathOf("samples", "reconcile", "ho-networks.json"))));
        Assert.True(SchemaValid(FingerprintsSchema.Value, File.ReadAllText(PathOf("catalogue", "fingerprints.json"))));
        Assert.False(SchemaValid(NetworksSchema.Value, """{"schemaVersion":1,"department":"HO","networks":[{"cidr":"10.0.0.0/8","segment":"dmz"}]}"""));
    }
}
