using System.Text;
using AssetCompliance.Core.NetBox;

namespace AssetCompliance.Core.Tests;

/// <summary>The NetBox webhook body as every version sends it, read without storage (the route's tests drive the rest).</summary>
public sealed class NetBoxPayloadTests
{
    private static NetBoxPayload Read(string json) => NetBoxPayload.Read(Encoding.UTF8.GetBytes(json));

    private static string Body(string @event = "updated", string type = "\"object_type\":\"dcim.device\"", string timestamp = "2026-11-20T09:14:03.512207+00:00",
        string data = "{\"id\":12,\"last_updated\":\"2026-11-20T09:14:03.480131Z\"}") =>
        $"{{\"event\":\"{@event}\",{type},\"timestamp\":\"{timestamp}\",\"data\":{data}}}";

    [Theory]
    [InlineData("{\"id\":12,\"last_updated\":\"2026-11-20T09:14:03.480131Z\",\"asset_tag\":\"CAM-\\ud800\"}", "lone UTF-16 surrogate")] // signed, but no string
    [InlineData("{\"id\":12,\"last_updated\":\"2026-11-20T09:14:03.480131Z\",\"asset_tag\":\"CAM-1\",\"asset_tag\":\"CAM-2\"}", "")] // which one NetBox meant is unknown
    public void A_body_whose_strings_cannot_be_read_or_whose_keys_repeat_is_not_a_webhook_read_on_a_guess(string data, string says)
    {
        var payload = Read(Body(data: data));

        Assert.Null(payload.Change);
        Assert.Contains(payload.Errors, e => e.Message.Contains(says, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("created", NetBoxAction.Created)]
    [InlineData("CREATE", NetBoxAction.Created)]
    [InlineData("object_created", NetBoxAction.Created)]
    [InlineData("updated", NetBoxAction.Updated)]
    [InlineData("Update", NetBoxAction.Updated)]
    [InlineData("object_updated", NetBoxAction.Updated)]
    [InlineData("deleted", NetBoxAction.Deleted)]
    [InlineData("delete", NetBoxAction.Deleted)]
    [InlineData("OBJECT_DELETED", NetBoxAction.Deleted)]
    public void Every_event_spelling_NetBox_code_docs_and_event_types_use_is_read(string spelling, NetBoxAction action) =>
        Assert.Equal(action, Read(Body(spelling)).Change!.Action);

    [Theory]
    [InlineData("\"object_type\":\"dcim.device\"", NetBoxModel.Device)]
    [InlineData("\"model\":\"device\"", NetBoxModel.Device)]
    [InlineData("\"object_type\":\"dcim.device\",\"model\":\"device\"", NetBoxModel.Device)]
    [InlineData("\"model\":\"interface\"", NetBoxModel.Interface)]
    [InlineData("\"object_type\":\"DCIM.MacAddress\"", NetBoxModel.MacAddress)]
    public void The_model_is_read_from_object_type_or_the_older_bare_model(string type, NetBoxModel model) =>
        Assert.Equal(model, Read(Body(type: type)).Change!.Model);

    [Theory]
    [InlineData("\"object_type\":\"dcim.site\"")]
    [InlineData("\"model\":\"vminterface\"")]
    [InlineData("\"object_type\":\"ipam.ipaddress\",\"model\":\"ipaddress\"")]
    public void Other_models_are_ignored_not_errors(string type)
    {
        var payload = Read(Body(type: type));
        Assert.Null(payload.Change);
        Assert.Empty(payload.Errors);
        Assert.Contains("not a model the pipeline reads", payload.Ignored);
    }

    [Fact]
    public void Python_str_timestamps_with_a_space_are_read_and_a_time_without_an_offset_is_not()
    {
        Assert.Equal(new DateTimeOffset(2023, 5, 2, 10, 15, 0, TimeSpan.Zero).AddTicks(1234560), Read(Body(timestamp: "2023-05-02 10:15:00.123456+00:00")).Change!.Timestamp);
        Assert.Equal("$.timestamp", Assert.Single(Read(Body(timestamp: "2023-05-02 10:15:00")).Errors).Path);
    }

    [Fact]
    public void A_deletion_is_versioned_by_its_timestamp_and_a_creation_by_last_updated()
    {
        var deleted = Read(Body("deleted")).Change!;
        var updated = Read(Body()).Change!;

        Assert.Equal(DateTimeOffset.Parse("2026-11-20T09:14:03.512207+00:00", System.Globalization.CultureInfo.InvariantCulture), deleted.Version);
        Assert.Equal(DateTimeOffset.Parse("2026-11-20T09:14:03.480131Z", System.Globalization.CultureInfo.InvariantCulture), updated.Version);
        Assert.True(NetBoxReplay.Revision(deleted, null) > NetBoxReplay.Revision(updated, null));
        Assert.Equal("$.data.last_updated", Assert.Single(Read(Body(data: "{\"id\":12}")).Errors).Path);
        Assert.Empty(Read(Body("deleted", data: "{\"id\":12}")).Errors); // a deletion needs no last_updated
    }

    [Fact]
    public void A_register_pushed_after_a_NetBox_change_is_newer_than_it_and_one_exported_before_it_is_older()
    {
        // The webhook of samples/netbox/device-created-4.6.json (last_updated 09:14:03.480131Z) against push's default
        // revision for a file written a second after and a second before: same scale, so time orders them. Unix seconds
        // (push's default before) ranked every file below every webhook, so a push after NetBox was always superseded.
        var change = Read(Body()).Change!;
        var webhook = NetBoxReplay.Revision(change, null);

        Assert.Equal(Registers.RegisterEvents.RevisionAt(change.Version), webhook);
        Assert.True(Registers.RegisterEvents.RevisionAt(change.Version.AddSeconds(1)) > webhook);
        Assert.True(Registers.RegisterEvents.RevisionAt(change.Version.AddSeconds(-1)) < webhook);
        Assert.True(Registers.RegisterEvents.RevisionAt(change.Version) > change.Version.ToUnixTimeSeconds() * 1000); // not seconds
        Assert.Equal(0, Registers.RegisterEvents.RevisionAt(DateTimeOffset.UnixEpoch.AddDays(-1)));
        Assert.Equal(Events.AssetEventParser.MaxRevision, Registers.RegisterEvents.RevisionAt(DateTimeOffset.MaxValue));
    }

    [Fact]
    public void A_revision_is_never_below_the_last_one_sent_and_stays_within_the_contract()
    {
        var change = Read(Body()).Change!;
        var stored = new NetBoxObjectState { Key = "dcim.device:12", LastRevision = long.MaxValue / 1024 };

        Assert.Equal(stored.LastRevision + 1, NetBoxReplay.Revision(change, stored));
        Assert.InRange(NetBoxReplay.Revision(change, null), 0, Events.AssetEventParser.MaxRevision);
    }

    [Fact]
    public void The_device_MAC_is_its_lowest_interface_s_then_its_lowest_MAC_object_s()
    {
        var macs = new Dictionary<string, string>
        {
            ["dcim.macaddress:3"] = "AA:AA:AA:AA:AA:03",
            ["dcim.interface:90"] = "AA:AA:AA:AA:AA:90",
            ["dcim.interface:9"] = "AA:AA:AA:AA:AA:09",
        };

        Assert.Equal("AA:AA:AA:AA:AA:09", NetBoxMacs.Chosen(macs));
        macs.Remove("dcim.interface:9");
        macs.Remove("dcim.interface:90");
        Assert.Equal("AA:AA:AA:AA:AA:03", NetBoxMacs.Chosen(macs));
        Assert.Null(NetBoxMacs.Chosen(new Dictionary<string, string>()));
    }

    [Fact]
    public void A_secret_never_shows_itself_and_a_signature_is_NetBox_s_lower_case_hex_HMAC_SHA512()
    {
        var secret = new NetBoxSecret("a-very-long-shared-secret");
        var body = "{}"u8.ToArray();
        var expected = Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA512.HashData("a-very-long-shared-secret"u8, body));

        Assert.Equal(expected, NetBoxSignature.Compute(body, secret));
        Assert.Equal(NetBoxSignature.Result.Valid, NetBoxSignature.Verify(body, expected, secret));
        Assert.Equal(NetBoxSignature.Result.Mismatch, NetBoxSignature.Verify("{ }"u8, expected, secret));
        Assert.Equal(NetBoxSignature.Result.Missing, NetBoxSignature.Verify(body, null, secret));
        Assert.Equal(NetBoxSignature.Result.Malformed, NetBoxSignature.Verify(body, expected[..127] + "g", secret));
        Assert.Equal(NetBoxSignature.Result.NoSecret, NetBoxSignature.Verify(body, expected, new NetBoxSecret("")));
        Assert.DoesNotContain("a-very-long", secret.ToString(), StringComparison.Ordinal);
    }
}
