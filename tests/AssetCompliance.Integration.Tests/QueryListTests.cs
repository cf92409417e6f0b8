using System.Text.Json;
using AssetCompliance.Api;
using AssetCompliance.Azure.Tables;
using AssetCompliance.Core.Events;
using AssetCompliance.Core.Policy;
using AssetCompliance.Core.State;

namespace AssetCompliance.Integration.Tests;

/// <summary>
/// Repeated query values are lists: alternatives within one parameter (OR), every parameter applies (AND), in the
/// JSON pages and in the CSV export; a parameter that takes one value answers 400 when repeated. Against Azurite.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class QueryListTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private StateStores _store = null!;
    private List<ComplianceRecord> _records = null!;

    /// <summary>
    /// 120 devices of every status the policy gives: PRC makers, an allied one and unknown ones, on sensitive,
    /// non-sensitive and unknown sites, on every network segment, of four device types at three sites.
    /// </summary>
    public async Task InitializeAsync()
    {
        _store = await azurite.CreateStoreAsync();
        string[] makers = ["Hikvision", "Dahua", "Axis", "Acme Security"];
        string[] types = ["camera", "nvr", "network", "video-intercom"];
        string?[] segments = ["core", "segregated", null];
        bool?[] sensitivity = [true, false, null];
        var messages = Enumerable.Range(1, 120).Select(i => TestEvents.Message(TestEvents.Upsert("HO", $"Q{i:D3}", 1,
                manufacturer: makers[i % 4], sensitive: sensitivity[i / 4 % 3], segment: segments[i / 12 % 3], deviceType: types[i / 36 % 4], siteId: $"S{i % 3 + 1}")))
            .ToArray();
        await TestEvents.Processor(_store).ProcessAsync(messages, CancellationToken.None);
        _records = [];
        await foreach (var stored in _store.FindRecordsAsync("HO", new RecordFilter.All(), CancellationToken.None))
        {
            _records.Add(stored.Record);
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private Task<(int Status, string Body)> ListAsync(string query, string? accept = null) =>
        TestHttp.SendAsync(TestHttp.Request(TestEvents.Principal(), query, accept: accept),
            r => new AssetListApi(_store, TestEvents.Authorizer()).ListAsync(r, "HO", default));

    private async Task<string[]> ListIdsAsync(string query)
    {
        var (status, body) = await ListAsync(query + "&top=1000");
        Assert.True(status == 200, $"{query}: {status} {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("assetId").GetString()!).Order(StringComparer.Ordinal).ToArray();
    }

    private async Task<string[]> CsvIdsAsync(string query)
    {
        var (status, csv) = await ListAsync(query, accept: "text/csv");
        Assert.Equal(200, status);
        return csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Split(',')[1]).Order(StringComparer.Ordinal).ToArray();
    }

    private string[] Expected(Func<ComplianceRecord, bool> predicate) =>
        _records.Where(predicate).Select(r => r.AssetId).Order(StringComparer.Ordinal).ToArray();

    [Fact]
    public async Task The_issue_sample_NonCompliant_or_NeedsReview_lists_both_kinds_in_pages_and_in_the_CSV()
    {
        var expected = Expected(r => r.Status is ComplianceStatus.NonCompliant or ComplianceStatus.NeedsReview);
        // The data has both, so an answer of one kind only (the bug: the values were OR-ed as enum flags) fails.
        Assert.Contains(_records, r => r.Status == ComplianceStatus.NonCompliant);
        Assert.Contains(_records, r => r.Status == ComplianceStatus.NeedsReview);

        Assert.Equal(expected, await ListIdsAsync("?status=NonCompliant&status=NeedsReview"));
        Assert.Equal(expected, await ListIdsAsync("?status=needsreview&status=NONCOMPLIANT"));
        Assert.Equal(expected, await CsvIdsAsync("?status=NonCompliant&status=NeedsReview"));
    }

    [Theory]
    [InlineData("?severity=High&severity=Critical")]
    [InlineData("?vendor=hikvision&vendor=dahua")]
    [InlineData("?deviceType=camera&deviceType=nvr")]
    [InlineData("?siteId=S1&siteId=S3")]
    [InlineData("?status=Compliant&status=Advisory&status=NeedsReview")]
    [InlineData("?status=NonCompliant&status=NonCompliant")]
    [InlineData("?status=NonCompliant&status=NeedsReview&siteId=S1&siteId=S3&deviceType=camera&deviceType=network")]
    [InlineData("?vendor=hikvision&vendor=axis&severity=Critical")]
    public async Task Every_list_parameter_is_OR_within_and_AND_across_in_pages_and_in_the_CSV(string query)
    {
        var expected = Expected(Predicate(query));

        Assert.NotEmpty(expected);
        Assert.True(expected.Length < _records.Count, "the filter must exclude something, or it proves nothing");
        Assert.Equal(expected, await ListIdsAsync(query));
        Assert.Equal(expected, await CsvIdsAsync(query));
    }

    /// <summary>The meaning of a query, written independently of the code under test: values of a name OR-ed, names AND-ed.</summary>
    private static Func<ComplianceRecord, bool> Predicate(string query)
    {
        var groups = query.TrimStart('?').Split('&').Select(p => p.Split('=')).GroupBy(p => p[0], p => p[1]).ToArray();
        return r => groups.All(g => g.Any(value => g.Key switch
        {
            "status" => string.Equals(r.Status.ToString(), value, StringComparison.OrdinalIgnoreCase),
            "severity" => r.Severity?.ToString() == value,
            "vendor" => r.Vendor?.Key == value,
            "deviceType" => r.Device.DeviceType?.ToWire() == value,
            "siteId" => r.Device.Site?.Id == value,
            _ => throw new ArgumentException(g.Key),
        }));
    }

    [Fact]
    public async Task Pages_of_a_list_filter_add_up_to_exactly_its_matches()
    {
        var seen = new List<string>();
        string? token = null;
        do
        {
            var (status, body) = await ListAsync("?status=NonCompliant&status=Advisory&top=7" + (token is null ? "" : "&continuationToken=" + token));
            Assert.Equal(200, status);
            var root = JsonDocument.Parse(body).RootElement;
            seen.AddRange(root.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("assetId").GetString()!));
            token = root.TryGetProperty("continuationToken", out var next) ? next.GetString() : null;
        }
        while (token is not null);

        Assert.Equal(Expected(r => r.Status is ComplianceStatus.NonCompliant or ComplianceStatus.Advisory), seen.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("?top=5&top=6", "top")]
    [InlineData("?top=5&top=5", "top")]
    [InlineData("?format=csv&format=json", "format")]
    [InlineData("?changedSince=2026-01-01T00:00:00Z&changedSince=2027-01-01T00:00:00Z", "changedSince")]
    [InlineData("?continuationToken=a&continuationToken=b", "continuationToken")]
    public async Task A_one_value_parameter_given_twice_is_refused_not_read_as_one_of_them(string query, string parameter)
    {
        var (status, body) = await ListAsync(query);

        Assert.Equal(400, status);
        var error = Assert.Single(JsonDocument.Parse(body).RootElement.GetProperty("errors").EnumerateArray());
        Assert.Equal(parameter, error.GetProperty("path").GetString());
        Assert.Contains("takes one value", error.GetProperty("message").GetString());
    }

    [Theory]
    [InlineData("?status=NonCompliant,NeedsReview", "status", "repeat the parameter")]
    [InlineData("?deviceType=camera,nvr", "deviceType", "repeat the parameter")]
    [InlineData("?status=1", "status", "is not one of")]
    [InlineData("?status=3", "status", "is not one of")]
    [InlineData("?status=NonCompliant&status=Bogus", "status", "'Bogus' is not one of")]
    [InlineData("?severity=Critical&severity=", "severity", "empty value")]
    [InlineData("?status=", "status", "empty value")]
    [InlineData("?vendor=hikvision&vendor=Hik'vision", "vendor", "not a catalogue vendor key")]
    [InlineData("?siteId=S1&siteId=a/b", "siteId", "must not contain")]
    public async Task A_value_that_is_not_one_value_of_the_list_is_refused_with_its_name(string query, string parameter, string message)
    {
        var (status, body) = await ListAsync(query);

        Assert.Equal(400, status);
        var error = Assert.Single(JsonDocument.Parse(body).RootElement.GetProperty("errors").EnumerateArray());
        Assert.Equal(parameter, error.GetProperty("path").GetString());
        Assert.Contains(message, error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task More_values_than_one_Table_Storage_filter_holds_are_refused_and_the_limit_itself_is_answered()
    {
        var sites = Enumerable.Range(1, AssetQuery.MaxFilterValues).Select(i => $"siteId=S{i}").ToArray();

        Assert.Equal(Expected(r => r.Device.Site?.Id is "S1" or "S2" or "S3"), await ListIdsAsync("?" + string.Join('&', sites) + "&changedSince=2000-01-01T00:00:00Z"));
        var (status, body) = await ListAsync("?" + string.Join('&', sites) + "&status=NonCompliant");
        Assert.Equal(400, status);
        Assert.Contains($"at most {AssetQuery.MaxFilterValues} values", body);
    }

    /// <summary>
    /// The store's Table filter selects exactly what <see cref="AssetQuery.Matches"/> accepts, for random
    /// combinations of every list (fixed seed, bounded count).
    /// </summary>
    [Fact]
    public async Task The_table_filter_agrees_with_the_query_s_meaning_on_random_combinations()
    {
        var random = new Random(13);
        T[] Some<T>(IReadOnlyList<T> values) => values.OrderBy(_ => random.Next()).Take(random.Next(0, 3)).ToArray();
        for (var i = 0; i < 40; i++)
        {
            var query = new AssetQuery
            {
                Statuses = Some(Enum.GetValues<ComplianceStatus>()),
                Severities = Some(Enum.GetValues<Severity>()),
                SiteIds = Some(["S1", "S2", "S3", "S9"]),
                VendorKeys = Some(["hikvision", "dahua", "axis"]),
                DeviceTypes = Some(Enum.GetValues<DeviceType>()),
                ChangedSince = random.Next(4) == 0 ? DateTimeOffset.UtcNow.AddDays(-1) : null,
            };

            Assert.Equal(Expected(query.Matches), await TestEvents.QueryIdsAsync(_store, "HO", query));
        }
    }
}
