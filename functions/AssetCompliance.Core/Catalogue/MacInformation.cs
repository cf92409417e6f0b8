using AssetCompliance.Core.Events;

namespace AssetCompliance.Core.Catalogue;

/// <summary>
/// Recognises MAC addresses that carry no maker information, so that they are never taken as evidence of whoever
/// registered the block they happen to fall in (00:00:00:00:00:00 is inside XEROX's first block). Sources and the
/// list are in docs/identification.md.
/// </summary>
public static class MacInformation
{
    private const ulong Broadcast = 0xFFFF_FFFF_FFFF;

    // Placeholders that are universally administered, so the bit tests below do not catch them.
    private static readonly Dictionary<ulong, string> Placeholders = new()
    {
        // The default in Broadcom's template NVRAM files; Linux's brcmfmac replaces it with a random address.
        [0x00904C_C51238] = "placeholder:broadcom-nvram-default",
        // A sequence used as an example and test address, never a real one.
        [0x001122_334455] = "placeholder:example-sequence",
        [0x000102_030405] = "placeholder:example-sequence",
    };

    /// <summary>
    /// Why <paramref name="address"/> names no maker (<c>locally-administered</c>, <c>group</c>, <c>all-zero</c>,
    /// <c>broadcast</c>, <c>repeated-octet</c>, <c>iana-protocol</c>, <c>placeholder:…</c>), or null when its block
    /// can say who made the interface.
    /// </summary>
    public static string? NoMakerReason(MacAddress address)
    {
        var value = address.Value;
        if (value == 0)
        {
            return "all-zero";
        }

        if (value == Broadcast)
        {
            return "broadcast";
        }

        var first = (byte)(value >> 40);
        if ((first & 0x01) != 0)
        {
            return "group";
        }

        if ((first & 0x02) != 0)
        {
            return "locally-administered";
        }

        if (value == first * 0x0101_0101_0101UL)
        {
            return "repeated-octet";
        }

        // 00-00-5E is IANA's: VRRP and other protocol addresses, and 00-00-5E-00-53-xx for documentation (RFC 7042).
        if (value >> 24 == 0x00005E)
        {
            return "iana-protocol";
        }

        return Placeholders.GetValueOrDefault(value);
    }

    /// <summary>The sentence a reason or card shows for a <see cref="NoMakerReason"/> code.</summary>
    public static string Describe(string reason) => reason switch
    {
        "all-zero" => "it is all zeros, which a device reports when no address was set",
        "broadcast" => "it is the broadcast address",
        "group" => "it is a group (multicast) address, never a device's own",
        "locally-administered" => "it is locally administered (set by software, a virtual machine or MAC randomisation), not assigned by a maker",
        "repeated-octet" => "it repeats one octet, a filler value rather than an assigned address",
        "iana-protocol" => "it is in IANA's block for protocol and documentation addresses (RFC 7042), such as a VRRP virtual router",
        "placeholder:broadcom-nvram-default" => "it is the default address of Broadcom's template NVRAM, shared by many devices",
        _ => "it is a well-known placeholder, not an assigned address",
    };
}
