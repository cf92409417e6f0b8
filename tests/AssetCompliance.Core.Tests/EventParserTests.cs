using System.Text.Json.Nodes;
using AssetCompliance.Core.Events;

namespace AssetCompliance.Core.Tests;

public sealed class EventParserTests
{
    internal static JsonObject ValidEvent() => JsonNode.Parse("""
        {
          "specversion": "1.0", "id": "evt-1", "source": "/departments/HO/asset-register",
          "type": "asset.device.upserted", "subject": "HO-CAM-1", "time": "2026-11-20T09:00:00Z",
          "datacontenttype": "application/json",
          "data": {
            "assetId": "HO-CAM-1", "department": "HO", "revision": 3, "manufacturer": " Hikvision ",
            "model": "DS-2CD2143G2-I", "serialNumber": "E1", "macAddress": "BC:AD:28:00:00:01",
            "deviceType": "camera", "site": { "id": "S1", "name": "Site", "sensitive": true },
            "networkSegment": "segregated", "installedOn": "2021-01-02"
          }
        }
        """)!.AsObject();

    [Fact]
    public void A_valid_event_parses_into_the_device_record()
    {
        var result = AssetEventParser.Parse(ValidEvent().ToJsonString());

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        var device = result.Event!.Device;
        Assert.Equal(AssetEventKind.Upserted, result.Event.Kind);
        Assert.Equal(("HO", "HO-CAM-1", 3L), (device.Department, device.AssetId, device.Revision));
        Assert.Equal("Hikvision", device.Manufacturer);
        Assert.Equal(DeviceType.Camera, device.DeviceType);
        Assert.Equal(new Site("S1", "Site", true), device.Site);
        Assert.Equal(NetworkSegment.Segregated, device.NetworkSegment);
        Assert.Equal(new DateOnly(2021, 1, 2), device.InstalledOn);
    }

    [Fact]
    public void Unread_fields_are_read_into_the_device_in_the_contract_order_without_values()
    {
        var e = ValidEvent();
        var data = e["data"]!.AsObject();
        data.Remove("networkSegment");
        data.Remove("macAddress");
        data["site"]!.AsObject().Remove("sensitive");
        data["unreadFields"] = new JsonArray("networkSegment", "site.sensitive", "macAddress");

        var result = AssetEventParser.Parse(e.ToJsonString());

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        var device = result.Event!.Device;
        Assert.Equal(["macAddress", "site.sensitive", "networkSegment"], device.UnreadFields);
        Assert.Equal((null, null, (NetworkSegment?)null), (device.MacAddress, device.Site!.Sensitive, device.NetworkSegment));
        Assert.Empty(AssetEventParser.Parse(ValidEvent().ToJsonString()).Event!.Device.UnreadFields);
    }

    [Fact]
    public void Bad_unread_fields_are_each_an_error_at_their_path()
    {
        var e = ValidEvent();
        var data = e["data"]!.AsObject();
        data.Remove("installedOn");
        // A value and a mark (site.sensitive is true), an unknown name, a CSV column name, a repeat, a wrong type.
        data["unreadFields"] = JsonNode.Parse("""["site.sensitive", "colour", "installed_on", "installedOn", "installedOn", 7]""");

        var errors = AssetEventParser.Parse(e.ToJsonString()).Errors.Select(x => x.ToString()).ToArray();

        Assert.Contains(errors, x => x.StartsWith("$.data.site.sensitive: must be absent or null: it is listed in unreadFields", StringComparison.Ordinal));
        Assert.Contains(errors, x => x.StartsWith("$.data.unreadFields[1]: must be one of manufacturer, model, serialNumber, macAddress, deviceType, site.name, site.sensitive, networkSegment, installedOn", StringComparison.Ordinal));
        Assert.Contains(errors, x => x.StartsWith("$.data.unreadFields[2]: must be one of", StringComparison.Ordinal));
        Assert.Contains("$.data.unreadFields[4]: repeats 'installedOn': list each field at most once", errors);
        Assert.Contains(errors, x => x.StartsWith("$.data.unreadFields[5]: must be one of", StringComparison.Ordinal));
        Assert.Equal(5, errors.Length);

        data["unreadFields"] = "installedOn";
        Assert.Equal("$.data.unreadFields: must be an array of field names, or absent when every field was read", Assert.Single(AssetEventParser.Parse(e.ToJsonString()).Errors).ToString());
    }

    [Fact]
    public void Every_error_is_reported_with_its_json_path()
    {
        var e = ValidEvent();
        e["specversion"] = "0.3";
        e["source"] = "/departments/DFE/asset-register";
        e["type"] = "asset.device.changed";
        e["subject"] = "other";
        var data = e["data"]!.AsObject();
        data["revision"] = -1;
        data["macAddress"] = "zz:zz";
        data["deviceType"] = "webcam";
        data["site"]!["sensitive"] = "yes";
        data["networkSegment"] = "dmz";
        data["installedOn"] = "02/01/2021";

        var result = AssetEventParser.Parse(e.ToJsonString());

        Assert.False(result.IsValid);
        var paths = result.Errors.Select(x => x.Path).ToHashSet();
        Assert.Superset(new HashSet<string>
        {
            "$.specversion", "$.type", "$.data.revision", "$.data.macAddress", "$.data.deviceType",
            "$.data.site.sensitive", "$.data.networkSegment", "$.data.installedOn",
        }, paths);
    }

    [Fact]
    public void Source_and_subject_must_agree_with_data()
    {
        var e = ValidEvent();
        e["source"] = "/departments/DFE/asset-register";
        e["subject"] = "HO-CAM-2";

        var errors = AssetEventParser.Parse(e.ToJsonString()).Errors.Select(x => x.Path).ToArray();

        Assert.Equal(["$.source", "$.subject"], errors);
    }

    [Theory]
    [InlineData("")]
    [InlineData("[1,2]")]
    [InlineData("{\"specversion\": ")]
    [InlineData("not json at all")]
    public void Malformed_bodies_are_invalid_not_exceptions(string body)
    {
        var result = AssetEventParser.Parse(body);

        Assert.False(result.IsValid);
        Assert.NotEmpty(result.Errors);
        Assert.Equal("$", result.Errors[0].Path);
    }

    [Theory]
    [InlineData("HO/1")]
    [InlineData("HO\\1")]
    [InlineData("HO#1")]
    [InlineData("HO?1")]
    [InlineData("HO|1")]
    [InlineData("HO\u00011")]
    [InlineData(" HO1")]
    [InlineData(".")]
    [InlineData("..")]
    public void Asset_ids_with_characters_illegal_in_keys_are_rejected(string assetId)
    {
        var e = ValidEvent();
        e["data"]!["assetId"] = assetId;
        e["subject"] = assetId;

        var result = AssetEventParser.Parse(e.ToJsonString());

        Assert.Contains(result.Errors, x => x.Path == "$.data.assetId");
    }

    [Theory]
    [InlineData(".", "'this folder'")]
    [InlineData("..", "'the folder above'")]
    public void The_dot_segments_are_not_asset_or_site_ids_and_the_error_says_why(string id, string reading)
    {
        var e = ValidEvent();
        e["data"]!["assetId"] = id;
        e["subject"] = id;
        e["data"]!["site"]!["id"] = id;

        var errors = AssetEventParser.Parse(e.ToJsonString()).Errors;

        Assert.Contains(errors, x => x.Path == "$.data.assetId" && x.Message.Contains(reading, StringComparison.Ordinal) && x.Message.Contains("link", StringComparison.Ordinal));
        Assert.Contains(errors, x => x.Path == "$.data.site.id" && x.Message.Contains(reading, StringComparison.Ordinal));
    }

    /// <summary>
    /// Valid ids a URL could misread: dots (only '.' and '..' are refused), percent signs that spell dots once decoded,
    /// spaces, reserved characters and text outside ASCII.
    /// </summary>
    public static TheoryData<string> IdsALinkCouldMisread => new("...", "a..b", ".hidden", "CAM.", "%2E%2E", "%2e.", ".%2E", "%2e", "CAM 1 (lobby)", "Ünï-📷", "a;b=c&d");

    [Theory]
    [MemberData(nameof(IdsALinkCouldMisread))]
    public void Other_ids_with_dots_or_escapes_are_valid(string id)
    {
        var e = ValidEvent();
        e["data"]!["assetId"] = id;
        e["subject"] = id;

        var result = AssetEventParser.Parse(e.ToJsonString());

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
    }

    [Theory]
    [InlineData("H O")]
    [InlineData("-HO")]
    [InlineData("HO/X")]
    [InlineData("ABCDEFGHIJABCDEFGHIJABCDEFGHIJABCDEFGHIJABCDEFGHIJABCDEFGHIJABCDE")]
    public void Department_codes_are_restricted(string department)
    {
        Assert.NotNull(Identifiers.DepartmentError(department));
    }

    [Fact]
    public void An_asset_id_of_64_characters_is_accepted_and_65_is_not()
    {
        Assert.Null(Identifiers.AssetIdError(new string('A', 64)));
        Assert.NotNull(Identifiers.AssetIdError(new string('A', 65)));
    }

    [Fact]
    public void A_removal_needs_only_the_identifiers()
    {
        var result = AssetEventParser.Parse("""
            {"specversion":"1.0","id":"r1","source":"/departments/MOJ/asset-register","type":"asset.device.removed",
             "subject":"A1","time":"2026-11-21T10:00:00Z","data":{"assetId":"A1","department":"MOJ","revision":4}}
            """);

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        Assert.Equal(AssetEventKind.Removed, result.Event!.Kind);
    }

    [Fact]
    public void An_upsert_without_device_type_and_site_is_invalid()
    {
        var e = ValidEvent();
        e["data"]!.AsObject().Remove("deviceType");
        e["data"]!.AsObject().Remove("site");

        var paths = AssetEventParser.Parse(e.ToJsonString()).Errors.Select(x => x.Path);

        Assert.Equal(["$.data.deviceType", "$.data.site"], paths);
    }
}

/// <summary>The register's own facts are kept: a site without an id is read when its name or sensitivity is stated.</summary>
public sealed class SiteWithoutIdTests
{
    [Fact]
    public void A_sensitive_site_without_an_id_is_kept_and_evaluated_on_what_the_register_says()
    {
        var e = EventParserTests.ValidEvent();
        e["data"]!["site"]!.AsObject().Remove("id");

        var result = AssetEventParser.Parse(System.Text.Encoding.UTF8.GetBytes(e.ToJsonString()));

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        var site = result.Event!.Device.Site!;
        Assert.Equal((null, "Site", true), (site.Id, site.Name, site.Sensitive));
        var verdict = new Policy.ComplianceEvaluator(Policy.CompliancePolicy.Default).Evaluate(result.Event.Kind, result.Event.Device,
            new Catalogue.DeviceIdentifier(Catalogue.VendorCatalogue.Default).Identify("Hikvision", null, null));
        Assert.Equal(Policy.ComplianceStatus.NonCompliant, verdict.Status);
        Assert.Equal("prc-surveillance-on-sensitive-site", verdict.Rule);
    }

    [Fact]
    public void A_site_with_nothing_stated_still_needs_its_id()
    {
        var e = EventParserTests.ValidEvent();
        e["data"]!["site"] = new System.Text.Json.Nodes.JsonObject();

        var errors = AssetEventParser.Parse(System.Text.Encoding.UTF8.GetBytes(e.ToJsonString())).Errors;

        var error = Assert.Single(errors);
        Assert.Equal("$.data.site.id", error.Path);
        Assert.Contains("neither the site's name nor its sensitivity", error.Message, StringComparison.Ordinal);
    }
}
