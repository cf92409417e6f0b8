namespace AssetCompliance.Core.Catalogue;

/// <summary>Which kind of input a piece of evidence came from.</summary>
public enum EvidenceKind
{
    Manufacturer,
    Model,
    MacAddress,
}

/// <summary>
/// One reason for an identification: what was looked at (<see cref="Input"/>), what it matched
/// (<see cref="Matched"/>: an alias, a model pattern, a registered organisation) and how (<see cref="Method"/>).
/// </summary>
public sealed record Evidence(EvidenceKind Kind, string Method, string Input, string Matched, Vendor? Vendor);

/// <summary>
/// Who made a device, with every piece of evidence. When the register's name and the hardware disagree, the hardware
/// (MAC registration, then model number) decides and <see cref="RelabelSuspected"/> is set.
/// </summary>
public sealed record Identification(Vendor? Vendor, IReadOnlyList<Evidence> Evidence, bool RelabelSuspected)
{
    public static Identification None { get; } = new(null, [], false);

    /// <summary>The registered organisation of the MAC block when it is not a catalogue vendor (information only).</summary>
    public string? UnlistedMacOrganisation
    {
        get
        {
            foreach (var e in Evidence)
            {
                if (e.Kind == EvidenceKind.MacAddress && e.Vendor is null)
                {
                    return e.Matched;
                }
            }

            return null;
        }
    }
}
