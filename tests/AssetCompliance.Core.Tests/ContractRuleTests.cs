using AssetCompliance.Core.Events;

namespace AssetCompliance.Core.Tests;

/// <summary>The contract's strict rules: RFC 3339 time, one datacontenttype rule, no data_base64, bounded revisions, exact enum names.</summary>
public sealed class ContractRuleTests
{
    private static AssetEventParseResult ParseWith(string name, object? value, string at = "")
    {
        var e = EventParserTests.ValidEvent();
        var parent = at.Length == 0 ? e : e[at]!.AsObject();
        parent[name] = System.Text.Json.JsonSerializer.SerializeToNode(value);
        return AssetEventParser.Parse(e.ToJsonString());
    }

    [Theory]
    [InlineData("2026-11-20T09:00:00Z", "2026-11-20T09:00:00.0000000+00:00")]
    [InlineData("2026-11-20t09:00:00z", "2026-11-20T09:00:00.0000000+00:00")]
    [InlineData("2026-11-20T10:00:00+01:00", "2026-11-20T09:00:00.0000000+00:00")]
    [InlineData("2026-11-20T04:30:00-04:30", "2026-11-20T09:00:00.0000000+00:00")]
    [InlineData("2026-11-20T09:00:00-00:00", "2026-11-20T09:00:00.0000000+00:00")]
    [InlineData("2026-11-20T09:00:00.5Z", "2026-11-20T09:00:00.5000000+00:00")]
    [InlineData("2026-11-20T09:00:00.123456789Z", "2026-11-20T09:00:00.1234567+00:00")]
    [InlineData("2026-11-21T08:00:00+23:00", "2026-11-20T09:00:00.0000000+00:00")] // beyond DateTimeOffset's ±14 h, still RFC 3339
    [InlineData("2016-12-31T23:59:60Z", "2016-12-31T23:59:59.9999999+00:00")]
    [InlineData("2017-01-01T00:59:60+01:00", "2016-12-31T23:59:59.9999999+00:00")]
    [InlineData("2024-02-29T00:00:00Z", "2024-02-29T00:00:00.0000000+00:00")]
    public void Time_is_read_as_an_rfc_3339_instant_in_utc(string text, string expected)
    {
        var result = ParseWith("time", text);

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        Assert.Equal(expected, result.Event!.Time.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("2026-11-20T09:00Z")] // no seconds (the sample)
    [InlineData("2026-11-20T09:00:00")] // no offset: would take the host's time zone (the sample)
    [InlineData("2026-11-20 09:00:00Z")] // space for T: RFC 3339 prose allows it, its grammar and JSON Schema do not
    [InlineData("2026-11-20T09:00:00+0100")]
    [InlineData("2026-11-20T09:00:00+01")]
    [InlineData("2026-11-20T09:00:00+24:00")]
    [InlineData("2026-11-20T09:00:00+01:60")]
    [InlineData("2026-11-20T09:00:00.Z")]
    [InlineData("2026-11-20T9:00:00Z")]
    [InlineData("2026-11-20T24:00:00Z")]
    [InlineData("2026-11-20T09:60:00Z")]
    [InlineData("2026-11-20T09:00:60Z")] // a leap second only at 23:59:60 UTC
    [InlineData("2026-02-29T09:00:00Z")]
    [InlineData("2026-13-01T09:00:00Z")]
    [InlineData("0000-01-01T00:00:00Z")]
    [InlineData("0001-01-01T00:00:00+01:00")] // before year 1 in UTC
    [InlineData("9999-12-31T23:59:59-01:00")] // after year 9999 in UTC
    [InlineData("+2026-11-20T09:00:00Z")]
    [InlineData("20261120T090000Z")]
    [InlineData("2026-W47-5T09:00:00Z")]
    [InlineData("2026-11-20T09:00:00,5Z")]
    [InlineData("2026-11-20T09:00:00Z ")]
    [InlineData(" 2026-11-20T09:00:00Z")]
    [InlineData("٢٠٢٦-11-20T09:00:00Z")]
    [InlineData("2026-11-20T09:00:00ZZ")]
    [InlineData("Fri, 20 Nov 2026 09:00:00 GMT")]
    [InlineData("11/20/2026 09:00:00 +00:00")]
    public void Time_that_is_not_strict_rfc_3339_is_refused(string text)
    {
        var result = ParseWith("time", text);

        Assert.False(result.IsValid);
        Assert.Equal([new ValidationError("$.time", Rfc3339.Rule)], result.Errors);
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("Application/JSON")]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("application/json;charset=UTF-8")]
    [InlineData("application/json ; charset=\"utf-8\"")]
    [InlineData(null)] // absent
    public void Datacontenttype_is_application_json_with_at_most_a_utf8_charset(string? contentType)
    {
        Assert.True(ParseWith("datacontenttype", contentType).IsValid);
    }

    [Theory]
    [InlineData("application/jsonx")] // the old prefix match took these
    [InlineData("application/json-seq")]
    [InlineData("application/json+xml")]
    [InlineData("application/json; charset=latin1")]
    [InlineData("application/json; charset=utf-8; version=2")]
    [InlineData("application/json;")]
    [InlineData("application/json ")]
    [InlineData(" application/json")]
    [InlineData("applıcation/json")] // dotless i, which OrdinalIgnoreCase would equate with I
    [InlineData("application/jſon")] // long s
    [InlineData("text/json")]
    [InlineData("application/cloudevents+json")]
    public void Other_content_types_are_refused(string contentType)
    {
        var result = ParseWith("datacontenttype", contentType);

        Assert.Equal(["$.datacontenttype"], result.Errors.Select(e => e.Path));
    }

    [Fact]
    public void Data_base64_is_refused_with_an_error_naming_it_alone_or_beside_data()
    {
        var beside = ParseWith("data_base64", "eyJhc3NldElkIjoiSE8tQ0FNLTEifQ==");
        Assert.Equal(["$.data_base64"], beside.Errors.Select(e => e.Path));
        Assert.Contains("together with data", beside.Errors[0].Message, StringComparison.Ordinal);

        var e = EventParserTests.ValidEvent();
        e["data_base64"] = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(e["data"]!.ToJsonString()));
        e.Remove("data");
        var alone = AssetEventParser.Parse(e.ToJsonString());
        Assert.Equal(["$.data_base64", "$.data"], alone.Errors.Select(x => x.Path));
        Assert.Contains("not base64", alone.Errors[0].Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0", true)]
    [InlineData("-0", true)]
    [InlineData("9007199254740991", true)]
    [InlineData("9007199254740992", false)]
    [InlineData("9223372036854775807", false)] // long.MaxValue: nothing newer could ever apply
    [InlineData("-1", false)]
    [InlineData("1.0", false)]
    [InlineData("1e2", false)]
    [InlineData("3.5", false)]
    public void Revisions_are_plain_integers_from_0_to_2_pow_53_minus_1(string raw, bool valid)
    {
        var body = EventParserTests.ValidEvent().ToJsonString().Replace("\"revision\":3", $"\"revision\":{raw}", StringComparison.Ordinal);

        var result = AssetEventParser.Parse(body);

        Assert.Equal(valid, result.IsValid);
        if (!valid)
        {
            Assert.Equal(["$.data.revision"], result.Errors.Select(e => e.Path));
        }
    }

    [Theory]
    [InlineData("deviceType", "Camera")]
    [InlineData("deviceType", "CAMERA")]
    [InlineData("networkSegment", "Core")]
    [InlineData("networkSegment", "SEGREGATED")]
    public void Enumerations_take_exactly_their_wire_names(string field, string value)
    {
        Assert.Equal([$"$.data.{field}"], ParseWith(field, value, "data").Errors.Select(e => e.Path));
    }

    [Theory]
    [InlineData("subject")]
    [InlineData("datacontenttype")]
    public void Null_optional_attributes_mean_absent(string name)
    {
        Assert.True(ParseWith(name, null).IsValid);
    }
}

/// <summary>
/// The instant an event's time denotes must not depend on the host's time zone (it did: an offset-less time took the
/// local one). Runs alone because it changes the process's local time zone.
/// </summary>
[Collection(LocalTimeZoneCollection.Name)]
public sealed class TimeZoneIndependenceTests
{
    [Theory]
    [InlineData("Europe/London")]
    [InlineData("America/St_Johns")]
    [InlineData("Asia/Kathmandu")]
    [InlineData("UTC")]
    public void The_same_body_gives_the_same_instant_whatever_the_local_time_zone(string zone)
    {
        var body = EventParserTests.ValidEvent();
        body["time"] = "2026-06-20T09:00:00+01:00";
        var noOffset = EventParserTests.ValidEvent();
        noOffset["time"] = "2026-06-20T09:00:00";
        var previous = Environment.GetEnvironmentVariable("TZ");
        try
        {
            Environment.SetEnvironmentVariable("TZ", zone);
            TimeZoneInfo.ClearCachedData();
            Assert.Equal(zone == "UTC" ? TimeSpan.Zero : TimeZoneInfo.FindSystemTimeZoneById(zone).GetUtcOffset(new DateTime(2026, 6, 20, 8, 0, 0, DateTimeKind.Utc)),
                TimeZoneInfo.Local.GetUtcOffset(new DateTime(2026, 6, 20, 8, 0, 0, DateTimeKind.Utc))); // the switch took effect

            var parsed = AssetEventParser.Parse(body.ToJsonString());

            Assert.Equal(new DateTimeOffset(2026, 6, 20, 8, 0, 0, TimeSpan.Zero), parsed.Event!.Time);
            Assert.Equal(TimeSpan.Zero, parsed.Event.Time.Offset);
            Assert.Equal(["$.time"], AssetEventParser.Parse(noOffset.ToJsonString()).Errors.Select(e => e.Path));
        }
        finally
        {
            Environment.SetEnvironmentVariable("TZ", previous);
            TimeZoneInfo.ClearCachedData();
        }
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LocalTimeZoneCollection
{
    public const string Name = "Local time zone";
}
