using System.Net;
using System.Text.Json;
using AssetCompliance.Core.Events;

namespace AssetCompliance.Core.Observations;

/// <summary>One subnet of a department's networks file: which segment it is, and optionally which site.</summary>
public sealed record NetworkEntry(IPNetwork Network, NetworkSegment Segment, string? Site, string? Name);

/// <summary>
/// A department's networks file (docs/schemas/networks.v1.schema.json; samples/networks/): subnets, IPv4 and IPv6 in
/// CIDR notation, each naming the segment (<c>core</c>, <c>segregated</c>, <c>standalone</c>) and optionally the
/// site. An observed address takes the most specific subnet that holds it (longest prefix), so a segregated camera
/// VLAN inside a core /16 is segregated. Two entries for the same subnet are refused, as is a CIDR with host bits
/// set (<c>10.0.0.1/8</c> is almost always a typing error).
/// </summary>
public sealed class NetworkMap
{
    private readonly NetworkEntry[] _bySpecificity;

    private NetworkMap(string department, IReadOnlyList<NetworkEntry> entries)
    {
        Department = department;
        Entries = entries;
        _bySpecificity = [.. entries.OrderByDescending(e => e.Network.PrefixLength)];
    }

    /// <summary>The department the file describes (a department code, as in the register).</summary>
    public string Department { get; }

    /// <summary>The entries, in file order.</summary>
    public IReadOnlyList<NetworkEntry> Entries { get; }

    /// <summary>The most specific entry holding <paramref name="address"/>, or null when none does (IPv4-mapped IPv6 is read as IPv4).</summary>
    public NetworkEntry? Lookup(IPAddress address)
    {
        var a = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        foreach (var entry in _bySpecificity)
        {
            if (entry.Network.BaseAddress.AddressFamily == a.AddressFamily && entry.Network.Contains(a))
            {
                return entry;
            }
        }

        return null;
    }

    /// <summary>Reads a networks file; every problem is an <see cref="ObservationReadException"/> naming the file and the entry.</summary>
    public static NetworkMap Load(Stream stream, string file)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(stream, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, MaxDepth = 8 });
        }
        catch (JsonException e)
        {
            throw new ObservationReadException(file, (int)(e.LineNumber ?? 0) + 1, $"not a JSON networks file: {e.Message}", e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new ObservationReadException(file, 0, "$: must be an object with schemaVersion, department and networks");
            if (!root.TryGetProperty("schemaVersion", out var version) || version.ValueKind != JsonValueKind.Number || version.GetDouble() != 1)
                throw new ObservationReadException(file, 0, "$.schemaVersion: must be 1");
            var department = root.TryGetProperty("department", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString()! : "";
            if (Identifiers.DepartmentError(department) is { } departmentError) throw new ObservationReadException(file, 0, $"$.department: {departmentError}");
            if (!root.TryGetProperty("networks", out var networks) || networks.ValueKind != JsonValueKind.Array || networks.GetArrayLength() == 0)
                throw new ObservationReadException(file, 0, "$.networks: must be a non-empty array");

            var entries = new List<NetworkEntry>();
            var seen = new Dictionary<IPNetwork, int>();
            var i = 0;
            foreach (var n in networks.EnumerateArray())
            {
                var at = $"$.networks[{i}]";
                if (n.ValueKind != JsonValueKind.Object) throw new ObservationReadException(file, 0, $"{at}: must be an object");
                var cidr = n.TryGetProperty("cidr", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString()! : null;
                if (cidr is null || !cidr.Contains('/') || !IPNetwork.TryParse(cidr, out var network) ||
                    !IPAddress.TryParse(cidr.AsSpan(0, cidr.IndexOf('/')), out var firstAddress) || !firstAddress.Equals(network.BaseAddress))
                {
                    // Host bits set (10.0.0.1/8) are refused: almost always a typing error, and IPNetwork would silently clear them.
                    throw new ObservationReadException(file, 0, $"{at}.cidr: must be an IPv4 or IPv6 subnet in CIDR notation written from its first address ('10.20.0.0/16', '2001:db8::/48'){(cidr is null ? "" : $", not '{cidr}'")}");
                }

                var segmentText = n.TryGetProperty("segment", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
                if (!NetworkSegments.TryParse(segmentText, out var segment) || segmentText != segment.ToWire())
                {
                    throw new ObservationReadException(file, 0, $"{at}.segment: must be core, segregated or standalone");
                }

                var site = n.TryGetProperty("site", out var st) && st.ValueKind == JsonValueKind.String && st.GetString() is { Length: > 0 } siteText ? siteText : null;
                var name = n.TryGetProperty("name", out var nm) && nm.ValueKind == JsonValueKind.String ? nm.GetString() : null;
                if (seen.TryGetValue(network, out var first))
                {
                    throw new ObservationReadException(file, 0, $"{at}.cidr: {network} is already $.networks[{first}]; one subnet, one segment");
                }

                seen[network] = i;
                entries.Add(new NetworkEntry(network, segment, site, name));
                i++;
            }

            return new NetworkMap(department, entries);
        }
    }

    /// <summary>Reads a networks file from disk (<see cref="Load(Stream, string)"/>).</summary>
    public static NetworkMap Load(string path)
    {
        using var stream = File.OpenRead(path);
        return Load(stream, Path.GetFileName(path));
    }
}
