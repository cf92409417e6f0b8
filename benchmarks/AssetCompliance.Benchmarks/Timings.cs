namespace AssetCompliance.Benchmarks;

/// <summary>The statistics the harnesses report over their repeated runs.</summary>
internal static class Timings
{
    /// <summary>The median of <paramref name="values"/>: the middle one, or the mean of the two middle ones.</summary>
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
