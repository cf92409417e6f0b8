using System.Text.Json;
using AssetCompliance.Core.Events;
using AssetCompliance.Core.Processing;
using AssetCompliance.Core.State;

namespace AssetCompliance.Core.Tests;

/// <summary>
/// The JSON converter request bodies use for instants (the exemption's expiresAt) reads exactly what the contract's
/// <see cref="Rfc3339"/> reads: the serializer's own DateTimeOffset reading took a date alone or a time without an
/// offset, in the host's time zone.
/// </summary>
public sealed class Rfc3339ConverterTests
{
    private static ExemptionRequest Read(string expiresAt) =>
        JsonSerializer.Deserialize<ExemptionRequest>($"{{\"expiresAt\":{expiresAt}}}", ComplianceJson.Options)!;

    [Theory]
    [InlineData("\"2027-01-31T17:00:00Z\"")]
    [InlineData("\"2027-01-31T18:00:00+01:00\"")]
    [InlineData("\"2027-01-31T16:00:00.000-01:00\"")]
    [InlineData("\"2027-01-31t17:00:00z\"")]
    public void Instants_with_an_offset_are_read_in_UTC(string expiresAt)
    {
        var read = Read(expiresAt).ExpiresAt!.Value;

        Assert.Equal((new DateTimeOffset(2027, 1, 31, 17, 0, 0, TimeSpan.Zero), TimeSpan.Zero), (read, read.Offset));
    }

    [Theory]
    [InlineData("\"2027-01-31T17:00:00\"")]
    [InlineData("\"2027-01-31\"")]
    [InlineData("\"2027-01-31T17:00Z\"")]
    [InlineData("\"2027-01-31T17:00:00+0100\"")]
    [InlineData("\"\"")]
    [InlineData("0")]
    [InlineData("false")]
    public void Anything_else_is_refused_with_the_rule_and_the_path(string expiresAt)
    {
        var refused = Assert.Throws<JsonException>(() => Read(expiresAt));

        Assert.Equal(("$.expiresAt", Rfc3339.Rule), (refused.Path, refused.Message));
    }

    [Fact]
    public void Null_is_absent_and_writing_gives_UTC_with_a_Z()
    {
        Assert.Null(Read("null").ExpiresAt);
        var written = JsonSerializer.Serialize(new ExemptionRequest("r", "a", new DateTimeOffset(2027, 1, 31, 18, 0, 0, TimeSpan.FromHours(1)), null), ComplianceJson.Options);
        Assert.Contains("\"expiresAt\":\"2027-01-31T17:00:00Z\"", written);
        Assert.Equal(new DateTimeOffset(2027, 1, 31, 17, 0, 0, TimeSpan.Zero), JsonSerializer.Deserialize<ExemptionRequest>(written, ComplianceJson.Options)!.ExpiresAt);
    }
}
