using System.Collections.Concurrent;
using AssetCompliance.Core.State;

namespace AssetCompliance.Azure.Tables;

/// <summary>
/// What one instance last read or wrote of device records, with their ETags, so that processing can skip reads. A
/// stale entry is never a wrong state: every write checks its ETag, so it costs one failed transaction and a re-read.
/// <para>
/// Bounded by two generations instead of per-entry recency: lookups hit the current generation or promote from the
/// previous one, and when the current one is full it becomes the previous and the older is dropped. Records in use
/// survive, memory stays under two generations, and a read costs a dictionary lookup, with no list to maintain. (The
/// first version cleared everything when full, so a busy instance over the limit re-read its whole estate at once.)
/// </para>
/// </summary>
internal sealed class RecordCache(int generationSize)
{
    private readonly Lock _rotation = new();
    private readonly ConcurrentDictionary<string, bool> _wholeDepartments = new(StringComparer.Ordinal);
    private ConcurrentDictionary<(string Department, string AssetId), StoredRecord?> _current = new();
    private ConcurrentDictionary<(string Department, string AssetId), StoredRecord?> _previous = new();

    /// <summary>Entries per generation; a department larger than this is never read whole into the cache.</summary>
    public int GenerationSize { get; } = generationSize;

    public int Count => _current.Count + _previous.Count;

    /// <summary>Whether the instance knows this asset: a record, or (null) that it does not exist.</summary>
    public bool TryGet(string department, string assetId, out StoredRecord? record)
    {
        var key = (department, assetId);
        if (_current.TryGetValue(key, out record))
        {
            return true;
        }

        if (_previous.TryGetValue(key, out record))
        {
            Remember(department, assetId, record); // still in use: keep it through the next rotation
            return true;
        }

        return false;
    }

    public void Remember(string department, string assetId, StoredRecord? record)
    {
        if (_current.Count >= GenerationSize)
        {
            Rotate();
        }

        _current[(department, assetId)] = record;
    }

    /// <summary>Drops an asset that lost a race; the instance then no longer knows its whole department either.</summary>
    public void Forget(string department, string assetId)
    {
        _current.TryRemove((department, assetId), out _);
        _previous.TryRemove((department, assetId), out _);
        _wholeDepartments.TryRemove(department, out _);
    }

    /// <summary>True once every record of the department was read into the cache and none has been dropped since.</summary>
    public bool KnowsWholeDepartment(string department) => _wholeDepartments.ContainsKey(department);

    public void MarkWholeDepartment(string department) => _wholeDepartments[department] = true;

    private void Rotate()
    {
        lock (_rotation)
        {
            if (_current.Count < GenerationSize)
            {
                return; // another thread rotated first
            }

            _previous = _current;
            _current = new();
            // The next rotation drops the previous generation, so no department can be known whole any longer: an
            // asset missing from the cache may exist, and must be read.
            _wholeDepartments.Clear();
        }
    }
}
