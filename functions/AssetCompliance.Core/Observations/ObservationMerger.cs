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
        // Loops by index, and groups only what merges: this runs once per host of a scan as large as a /16.
        var cleaned = new DeviceObservation[observations.Count];
        for (var i = 0; i < cleaned.Length; i++)
        {
            var o = observations[i];
            cleaned[i] = NameDevices(o.MacAddresses) ? o : o with { MacAddresses = [.. o.MacAddresses.Where(m => m.NamesDevice)] };
        }

        observations = cleaned;
        var parent = new int[observations.Count];
        for (var i = 0; i < parent.Length; i++) parent[i] = i;
        int Find(int i)
        {
            while (parent[i] != i) i = parent[i] = parent[parent[i]];
            return i;
        }

        // Whether a group (by its root) holds any MAC: the IP rule asks it of the whole group, not of one member, so
        // that a sighting without a MAC never joins two devices that had its address with different MACs.
        var hasMac = new bool[observations.Count];
        for (var i = 0; i < hasMac.Length; i++) hasMac[i] = observations[i].MacAddresses.Count > 0;
        void Union(int a, int b)
        {
            var (ra, rb) = (Find(a), Find(b));
            parent[ra] = rb;
            hasMac[rb] |= hasMac[ra];
        }

        var byMac = new Dictionary<ulong, int>(observations.Count);
        var byIp = new Dictionary<IPAddress, int>(observations.Count);
        for (var i = 0; i < observations.Count; i++)
        {
            var o = observations[i];
            foreach (var mac in o.MacAddresses)
            {
                if (byMac.TryGetValue(mac.Value, out var j)) Union(i, j);
                else byMac[mac.Value] = i;
            }

            foreach (var ip in o.IpAddresses)
            {
                if (byIp.TryGetValue(ip, out var j))
                {
                    // Two devices with different MACs on one IP are two devices (the address moved): not merged. Groups
                    // that shared a MAC are one already (above), so "different" is both groups holding MACs.
                    if (!(hasMac[Find(i)] && hasMac[Find(j)])) Union(i, j);
                }
                else
                {
                    byIp[ip] = i;
                }
            }
        }

        var members = new int[observations.Count];
        for (var i = 0; i < observations.Count; i++) members[Find(i)]++;

        // In the order each device was first seen; a device seen once is kept as it is.
        var merged = new List<DeviceObservation>(observations.Count);
        var groups = new Dictionary<int, (int Slot, List<DeviceObservation> Members)>();
        for (var i = 0; i < observations.Count; i++)
        {
            var root = Find(i);
            if (members[root] == 1)
            {
                merged.Add(observations[i]);
            }
            else if (groups.TryGetValue(root, out var group))
            {
                group.Members.Add(observations[i]);
            }
            else
            {
                groups[root] = (merged.Count, [observations[i]]);
                merged.Add(null!); // filled below, once every member is known
            }
        }

        foreach (var (slot, group) in groups.Values)
        {
            merged[slot] = Combine(group);
        }

        return merged;
    }

    private static bool NameDevices(IReadOnlyList<Events.MacAddress> macs)
    {
        for (var i = 0; i < macs.Count; i++)
        {
            if (!macs[i].NamesDevice) return false;
        }

        return true;
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
