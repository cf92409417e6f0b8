namespace AssetCompliance.Core.Tests;

/// <summary>
/// The host-name rule's cases (docs/reconcile.md "Matching", <see cref="Observations.HostNames"/>), run on both
/// paths: the offline reconciler (ReconcileTests) and the pipeline's matcher against stored records
/// (Integration.Tests, ObservationHostNameTests). Each is a registered asset id, an observed host name, and whether
/// the name names the entry.
/// </summary>
public static class HostNameCases
{
    /// <summary>(registered asset id, observed host name, whether it names the entry).</summary>
    public static TheoryData<string, string, bool> All => new()
    {
        { "HO-CAM-0005", "ho-cam-0005.ho.internal", true }, // a DNS name in lower case, by its first label
        { "Ho-Cam-0006", "HO-CAM-0006", true }, // case is ignored whatever the register's casing
        { "Ho-Cam-0007", "ho-CAM-0007.Ho.Internal", true },
        { "cam.ho", "cam.ho.", true }, // an id with a dot, named by a fully qualified name's trailing root dot
        { "HO-CAM-0008", "ho-cam-0008.", true },
        { "ho-cam-0009.ho.internal", "HO-CAM-0009.HO.INTERNAL.", true }, // the whole name
        { "10", "10.20.1.15", false }, // an address literal has no first label
        { "HO-CAM-0010", "ho-cam-0010x.ho.internal", false },
        { "HO-CAM-0011", "ho.ho-cam-0011", false }, // only the first label
    };
}
