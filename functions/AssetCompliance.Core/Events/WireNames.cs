namespace AssetCompliance.Core.Events;

/// <summary>Wire names of the contract's enumerations, in one place so parser, writers and docs agree.</summary>
public static class DeviceTypes
{
    private static readonly (DeviceType Type, string Name)[] Names =
    [
        (DeviceType.Camera, "camera"),
        (DeviceType.Nvr, "nvr"),
        (DeviceType.Dvr, "dvr"),
        (DeviceType.Encoder, "encoder"),
        (DeviceType.VideoIntercom, "video-intercom"),
        (DeviceType.AccessControl, "access-control"),
        (DeviceType.Network, "network"),
        (DeviceType.Other, "other"),
    ];

    public static IReadOnlyList<string> AllNames { get; } = Names.Select(n => n.Name).ToArray();

    public static string ToWire(this DeviceType type) => Names.First(n => n.Type == type).Name;

    public static bool TryParse(string? value, out DeviceType type)
    {
        foreach (var (t, name) in Names)
        {
            if (string.Equals(name, value, StringComparison.OrdinalIgnoreCase))
            {
                type = t;
                return true;
            }
        }

        type = default;
        return false;
    }
}

public static class NetworkSegments
{
    public static IReadOnlyList<string> AllNames { get; } = ["core", "segregated", "standalone"];

    public static string ToWire(this NetworkSegment segment) => segment switch
    {
        NetworkSegment.Core => "core",
        NetworkSegment.Segregated => "segregated",
        _ => "standalone",
    };

    public static bool TryParse(string? value, out NetworkSegment segment)
    {
        switch (value?.ToLowerInvariant())
        {
            case "core": segment = NetworkSegment.Core; return true;
            case "segregated": segment = NetworkSegment.Segregated; return true;
            case "standalone": segment = NetworkSegment.Standalone; return true;
            default: segment = default; return false;
        }
    }
}

public static class AssetEventTypes
{
    public const string Upserted = "asset.device.upserted";
    public const string Removed = "asset.device.removed";

    public static string ToWire(this AssetEventKind kind) => kind == AssetEventKind.Removed ? Removed : Upserted;
}
