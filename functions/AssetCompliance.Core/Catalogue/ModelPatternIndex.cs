namespace AssetCompliance.Core.Catalogue;

/// <summary>
/// The catalogue's model patterns indexed by the characters a model number can start with, so that a cache miss tries
/// the few patterns that could match instead of all of them (a register's unknown models otherwise cost every pattern
/// twice). Order within a bucket is catalogue order, so the first hit is the same as a full scan's.
/// </summary>
internal sealed class ModelPatternIndex
{
    private readonly ModelPattern[][] _byFirst = new ModelPattern[128][];
    private readonly ModelPattern[] _all;

    public ModelPatternIndex(IReadOnlyList<ModelPattern> patterns)
    {
        _all = [.. patterns];
        var firsts = _all.Select(p => FirstCharacters.Of(p.Pattern)).ToArray();
        for (var c = 0; c < 128; c++)
        {
            _byFirst[c] = _all.Where((_, i) => firsts[i] is not { } set || set.Contains((char)c)).ToArray();
        }
    }

    /// <summary>The patterns that can match a text starting with <paramref name="first"/>, in catalogue order.</summary>
    public ReadOnlySpan<ModelPattern> Candidates(char first) => first < 128 ? _byFirst[first] : _all;
}
