namespace AssetCompliance.Core.Observations;

/// <summary>
/// Every department's networks file a host was given (setting <c>Observations:Networks</c>: one networks file, or a
/// folder of them, one per department, each naming its department). A department without one has no segment for
/// its observed addresses: unknown, never "not core". Loaded once at start-up; a file that does not read stops the
/// host with the file's error.
/// </summary>
public sealed class NetworkMaps
{
    private readonly Dictionary<string, NetworkMap> _byDepartment;

    private NetworkMaps(Dictionary<string, NetworkMap> byDepartment) => _byDepartment = byDepartment;

    /// <summary>No networks file for anyone.</summary>
    public static NetworkMaps None { get; } = new([]);

    /// <summary>The departments with a networks file, in ordinal order.</summary>
    public IReadOnlyList<string> Departments => [.. _byDepartment.Keys.Order(StringComparer.Ordinal)];

    /// <summary>The department's networks file, or null when it has none.</summary>
    public NetworkMap? For(string department) => _byDepartment.GetValueOrDefault(department);

    /// <summary>The maps of these files (one per department).</summary>
    /// <exception cref="ArgumentException">Two files describe the same department.</exception>
    public static NetworkMaps Of(IEnumerable<NetworkMap> maps)
    {
        var byDepartment = new Dictionary<string, NetworkMap>(StringComparer.Ordinal);
        foreach (var map in maps)
        {
            if (!byDepartment.TryAdd(map.Department, map))
            {
                throw new ArgumentException($"two networks files describe department {map.Department}; a department has one", nameof(maps));
            }
        }

        return new NetworkMaps(byDepartment);
    }

    /// <summary>
    /// Reads <paramref name="path"/>: a networks file, or a folder whose <c>*.json</c> files are networks files (in
    /// ordinal order, not its sub-folders). Null or empty: <see cref="None"/>.
    /// </summary>
    /// <exception cref="ObservationReadException">A file is not a valid networks file, the path does not exist, or two files describe one department.</exception>
    public static NetworkMaps Load(string? path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            return None;
        }

        string[] files;
        if (Directory.Exists(path))
        {
            files = [.. Directory.GetFiles(path, "*.json").Order(StringComparer.Ordinal)];
            if (files.Length == 0)
            {
                throw new ObservationReadException(path, 0, "the networks folder holds no *.json networks file");
            }
        }
        else if (File.Exists(path))
        {
            files = [path];
        }
        else
        {
            throw new ObservationReadException(path, 0, "no such networks file or folder");
        }

        var maps = new List<NetworkMap>();
        foreach (var file in files)
        {
            var map = NetworkMap.Load(file);
            if (maps.FirstOrDefault(m => m.Department == map.Department) is not null)
            {
                throw new ObservationReadException(file, 0, $"department {map.Department} already has a networks file in {path}; a department has one");
            }

            maps.Add(map);
        }

        return Of(maps);
    }
}
