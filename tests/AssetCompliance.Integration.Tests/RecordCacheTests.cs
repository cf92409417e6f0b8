using AssetCompliance.Azure.Tables;

namespace AssetCompliance.Integration.Tests;

/// <summary>The processing path's record cache: bounded, keeps what is in use, never claims to know what it dropped.</summary>
public sealed class RecordCacheTests
{
    private static bool Knows(RecordCache cache, string assetId, string department = "HO") => cache.TryGet(department, assetId, out _);

    [Fact]
    public void Records_in_use_survive_rotations_and_the_rest_are_dropped()
    {
        var cache = new RecordCache(generationSize: 4);
        foreach (var id in new[] { "a", "b", "c", "d", "e" })
        {
            cache.Remember("HO", id, null); // "e" finds the generation full: a to d become the previous one
        }

        Assert.True(Knows(cache, "a")); // in use: promoted to the current generation
        foreach (var id in new[] { "f", "g", "h" })
        {
            cache.Remember("HO", id, null); // "h" rotates again: b, c and d, untouched, are dropped
        }

        Assert.True(Knows(cache, "a"));
        Assert.False(Knows(cache, "b"));
        Assert.False(Knows(cache, "d"));
        Assert.True(Knows(cache, "e"));
        Assert.True(Knows(cache, "h"));
    }

    [Fact]
    public void However_many_assets_pass_through_it_stays_within_two_generations_and_keeps_the_hot_one()
    {
        var cache = new RecordCache(generationSize: 50);
        cache.Remember("HO", "hot", null);
        for (var i = 0; i < 10_000; i++)
        {
            cache.Remember("HO", $"cold-{i}", null);
            Assert.True(cache.Count <= 100, $"{cache.Count} entries after {i + 1}");
            Assert.True(Knows(cache, "hot"), $"lost the record in use after {i + 1}");
        }

        Assert.False(Knows(cache, "cold-0"));
    }

    [Fact]
    public void A_rotation_or_a_lost_race_ends_the_knowledge_of_a_whole_department()
    {
        var cache = new RecordCache(generationSize: 3);
        cache.Remember("HO", "a", null);
        cache.Remember("MOJ", "x", null);
        cache.MarkWholeDepartment("HO");
        cache.MarkWholeDepartment("MOJ");

        cache.Forget("MOJ", "x");
        Assert.False(cache.KnowsWholeDepartment("MOJ"));
        Assert.False(Knows(cache, "x", "MOJ"));
        Assert.True(cache.KnowsWholeDepartment("HO"));

        cache.Remember("HO", "b", null);
        cache.Remember("HO", "c", null);
        Assert.True(cache.KnowsWholeDepartment("HO"));
        cache.Remember("HO", "d", null); // rotation: what the previous generation holds will be dropped next time
        Assert.False(cache.KnowsWholeDepartment("HO"));
    }
}
