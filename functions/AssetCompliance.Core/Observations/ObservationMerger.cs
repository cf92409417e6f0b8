using System.Net;

namespace AssetCompliance.Core.Observations;

/// <summary>
/// Merges the observations of one device seen by several scans (nmap and Defender, two nmap runs): observations that
/// share a MAC address, or failing that an IP address, are one device. Merged: the union of addresses, names and
/// evidence, the latest time, the first serial, model and type, observers and sources joined. IP is the weaker key (an
/// address can move between devices over DHCP), so scans of the same time are what it is meant for.
/// </summary>
public static class ObservationMerger
{
    public static IReadOnlyList<DeviceObservation> Merge(IReadOnlyList<DeviceObservation> observations)
    {
        // A MAC that names no device (all zeros, broadcast, multicast: a tool's "unknown") merges nothing and matches nothing.
        observations = [.. observations.Select(o => o.MacAddresses.All(m => m.NamesDevice) ? o : o with { MacAddresses = [.. o.MacAddresses.Where(m => m.NamesDevice)] })];
        var parent = new int[observations.Count];
        for (var i = 0; i < parent.Length; i++) parent[i] = i;
        int Find(int i)
        {
            while (parent[i] != i) i = parent[i] = parent[parent[i]];
            return i;
        }

        var byMac = new Dictionary<ulong, int>();
        var byIp = new Dictionary<IPAddress, int>();
        for (var i = 0; i < observations.Count; i++)
        {
            var o = observations[i];
            foreach (var mac in o.MacAddresses)
            {
                if (byMac.TryGetValue(mac.Value, out var j)) parent[Find(i)] = Find(j);
                else byMac[mac.Value] = i;
            }

            foreach (var ip in o.IpAddresses)
            {
                if (byIp.TryGetValue(ip, out var j))
                {
                    // Two observations with different MACs on one IP are two devices (the address moved): not merged.
                    var a = observations[Find(j)];
                    if (o.MacAddresses.Count == 0 || a.MacAddresses.Count == 0 || o.MacAddresses.Intersect(a.MacAddresses).Any()) parent[Find(i)] = Find(j);
                }
                else
                {
                    byIp[ip] = i;
                }
            }
        }

        var groups = new Dictionary<int, List<DeviceObservation>>();
        var order = new List<int>();
        for (var i = 0; i < observations.Count; i++)
        {
            var root = Find(i);
            if (!groups.TryGetValue(root, out var list))
            {
                groups[root] = list = [];
                order.Add(root);
            }

            list.Add(observations[i]);
        }

        return [.. order.Select(r => groups[r].Count == 1 ? groups[r][0] : Combine(groups[r]))];
    }

    private static DeviceObservation Combine(List<DeviceObservation> group) => new()
    {
        Observer = string.Join("+", group.Select(o => o.Observer).Distinct()),
        Source = string.Join("; ", group.Select(o => o.Source)),
        ObservedAt = group.Max(o => o.ObservedAt),
        IpAddresses = [.. group.SelectMany(o => o.IpAddresses).Distinct()],
        MacAddresses = [.. group.SelectMany(o => o.MacAddresses).Distinct()],
        Hostnames = [.. group.SelectMany(o => o.Hostnames).Distinct(StringComparer.OrdinalIgnoreCase)],
        SerialNumber = group.Select(o => o.SerialNumber).FirstOrDefault(s => s is not null),
        Model = group.Select(o => o.Model).FirstOrDefault(s => s is not null),
        ReportedType = group.Select(o => o.ReportedType).FirstOrDefault(s => s is not null),
        Evidence = [.. group.SelectMany(o => o.Evidence)],
    };
}
