namespace AssetCompliance.Core.Catalogue;

/// <summary>
/// The evidence rules as data: what each kind of evidence weighs (<see cref="Rows"/>), and how a combination is
/// decided (<see cref="Decide"/>). docs/identification.md is the same table in prose, and IdentificationTableTests
/// holds one test per row.
/// </summary>
public static class EvidenceTable
{
    /// <summary>One row of the strength table: evidence of <see cref="Kind"/> whose method starts with <see cref="MethodPrefix"/>.</summary>
    /// <param name="Kind">Which input.</param>
    /// <param name="MethodPrefix">How it was matched (the start of <see cref="Evidence.Method"/>; empty matches any).</param>
    /// <param name="NeedsVendor">The row applies only when the evidence names a catalogue vendor.</param>
    /// <param name="Strength">What it weighs.</param>
    /// <param name="Hardware">True for evidence from the device itself (model number, MAC block, fingerprint), which outweighs the register's name.</param>
    /// <param name="Why">Why it weighs that much (shown in docs/identification.md).</param>
    public sealed record Row(EvidenceKind Kind, string MethodPrefix, bool NeedsVendor, EvidenceStrength Strength, bool Hardware, string Why);

    /// <summary>
    /// The strength table, first matching row wins. Weights in <see cref="Decide"/>: strong hardware evidence counts
    /// 2, a strong register name 1; weak evidence decides only when there is no strong evidence at all.
    /// </summary>
    public static IReadOnlyList<Row> Rows { get; } =
    [
        new(EvidenceKind.Manufacturer, "exact:", true, EvidenceStrength.Strong, false, "the register names a brand or legal name the catalogue lists"),
        new(EvidenceKind.Manufacturer, "leading-words:", true, EvidenceStrength.Strong, false, "the name begins with a listed brand (\"Axis Communications AB Sweden\")"),
        new(EvidenceKind.Manufacturer, "contains:", true, EvidenceStrength.Weak, false, "a listed brand appears inside a longer name (a reseller's)"),
        new(EvidenceKind.Manufacturer, "typo-tolerant:", true, EvidenceStrength.Weak, false, "one edit away from a listed brand"),
        new(EvidenceKind.Manufacturer, "", true, EvidenceStrength.Weak, false, "any other way of matching a name (suspicious look-alike letters)"),
        new(EvidenceKind.Manufacturer, "", false, EvidenceStrength.None, false, "the catalogue does not know the name"),
        new(EvidenceKind.Model, "", true, EvidenceStrength.Strong, true, "the model number matches one vendor's anchored pattern"),
        new(EvidenceKind.MacAddress, Evidence.NoMakerInformationPrefix, false, EvidenceStrength.None, true, "the address carries no maker information"),
        new(EvidenceKind.MacAddress, "", true, EvidenceStrength.Strong, true, "the MAC block is registered to a catalogue vendor"),
        new(EvidenceKind.MacAddress, "", false, EvidenceStrength.None, true, "the MAC block's registrant is not in the catalogue (its name and country are shown)"),
        new(EvidenceKind.RegistrantCountry, "", false, EvidenceStrength.Weak, true, "the registrant is in mainland China, Hong Kong or Macao; says where, not who"),
        new(EvidenceKind.Fingerprint, FingerprintCatalogue.WeakPrefix, true, EvidenceStrength.Weak, true, "what the device says about itself on the network (ONVIF manufacturer, a scanner's MAC-vendor string, an inventory's vendor column; catalogue/fingerprints.json weak entries)"),
        new(EvidenceKind.Fingerprint, "", true, EvidenceStrength.Strong, true, "firmware behaviour the device showed on the network, which a relabel keeps (HTTP Server header, realm, certificate, SNMP enterprise; catalogue/fingerprints.json strong entries)"),
    ];

    // A chip or module maker's block (catalogue/registrants.json) says who made the radio or SoC: weak, whatever row matched.
    private static readonly Row ModuleMakerRow = new(EvidenceKind.MacAddress, "", true, EvidenceStrength.Weak, true, "the MAC block is a chip or radio-module maker's");

    // The rows of each kind, in table order: a lookup scans only its kind's few rows.
    private static readonly Row[][] RowsByKind = [.. Enum.GetValues<EvidenceKind>().Select(k => Rows.Where(r => r.Kind == k).ToArray())];

    private static readonly Row Unweighed = new(EvidenceKind.Fingerprint, "", false, EvidenceStrength.None, false, "evidence no row describes");

    /// <summary>The row that weighs <paramref name="evidence"/>.</summary>
    public static Row RowOf(Evidence evidence)
    {
        var hasVendor = evidence.Vendor is not null;
        if (evidence.Kind == EvidenceKind.MacAddress && hasVendor && evidence.Method.EndsWith(Evidence.ModuleMakerSuffix, StringComparison.Ordinal))
        {
            return ModuleMakerRow;
        }

        foreach (var row in RowsByKind[(int)evidence.Kind])
        {
            if (row.NeedsVendor == hasVendor && evidence.Method.StartsWith(row.MethodPrefix, StringComparison.Ordinal))
            {
                return row;
            }
        }

        return Unweighed;
    }

    /// <summary>What <paramref name="evidence"/> weighs.</summary>
    public static EvidenceStrength StrengthOf(Evidence evidence) => RowOf(evidence).Strength;

    /// <summary>
    /// Decides the maker from the evidence: the vendor group with the most weight wins (hardware 2, register name 1);
    /// a tie goes to the group of the first evidence in MAC, model, fingerprint, name order (hardware decides). When
    /// strong evidence on both sides disagrees about a PRC-law maker, the conflict is returned with both sides.
    /// Allocates only when there is a conflict.
    /// </summary>
    public static (Vendor? Vendor, bool FromHardware, EvidenceConflict? Conflict) Decide(IReadOnlyList<Evidence> evidence)
    {
        // At most one evidence per kind, so a handful of groups at most: small fixed buffers, no dictionaries.
        if (evidence.Count > MaxEvidence)
        {
            throw new ArgumentException($"at most {MaxEvidence} pieces of evidence", nameof(evidence));
        }

        Span<int> weight = stackalloc int[MaxEvidence];
        Span<int> order = stackalloc int[MaxEvidence];
        Span<bool> hasHardware = stackalloc bool[MaxEvidence];
        Span<EvidenceStrength> strength = stackalloc EvidenceStrength[MaxEvidence];
        Span<bool> hardware = stackalloc bool[MaxEvidence];
        var groups = new VendorSlots();
        var count = 0;
        var anyStrong = false;
        for (var i = 0; i < evidence.Count; i++)
        {
            var row = RowOf(evidence[i]);
            // A chip or radio-module maker's block never names the device's maker, not even when nothing else does: it
            // says who made the radio or SoC (the registrant country still speaks, in the evaluator).
            strength[i] = evidence[i].Vendor is null || ReferenceEquals(row, ModuleMakerRow) ? EvidenceStrength.None : row.Strength;
            hardware[i] = row.Hardware;
            anyStrong |= strength[i] == EvidenceStrength.Strong;
        }

        for (var i = 0; i < evidence.Count; i++)
        {
            var e = evidence[i];
            if (strength[i] == EvidenceStrength.None || (anyStrong && strength[i] != EvidenceStrength.Strong))
            {
                continue;
            }

            var slot = -1;
            for (var g = 0; g < count; g++)
            {
                if (groups[g]!.IsSameGroupAs(e.Vendor!))
                {
                    slot = g;
                    break;
                }
            }

            var rank = Priority(e.Kind);
            if (slot < 0)
            {
                slot = count++;
                groups[slot] = e.Vendor;
                order[slot] = rank;
            }
            else if (rank < order[slot])
            {
                // The group is named by its most specific evidence: the MAC's vendor (a subsidiary) before the name's.
                groups[slot] = e.Vendor;
                order[slot] = rank;
            }

            weight[slot] += hardware[i] ? 2 : 1;
            hasHardware[slot] |= hardware[i];
        }

        if (count == 0)
        {
            return (null, false, null);
        }

        var winner = 0;
        for (var g = 1; g < count; g++)
        {
            if (weight[g] > weight[winner] || (weight[g] == weight[winner] && order[g] < order[winner]))
            {
                winner = g;
            }
        }

        var vendor = groups[winner]!;
        // A conflict is about the law, not about corporate groups: one group may hold a PRC-law company and a contested
        // one (TP-Link), and a weak PRC name ("Hikvison") beside a trusted MAC must not be dropped and cleared.
        var conflict = anyStrong ? FindConflict(evidence, strength, vendor, weight, winner, count) : null;
        return (vendor, hasHardware[winner], conflict);
    }

    /// <summary>The most evidence one device can have: one per kind, and up to <see cref="FingerprintCatalogue.MaxEvidence"/> fingerprints (one per vendor group).</summary>
    private const int MaxEvidence = 8;

    private static EvidenceConflict? FindConflict(IReadOnlyList<Evidence> evidence, ReadOnlySpan<EvidenceStrength> strength, Vendor winner, ReadOnlySpan<int> weight, int winnerSlot, int count)
    {
        // Strong evidence on both sides, or, when a non-PRC maker won, weak evidence for a PRC-law maker too: weak
        // evidence never decides beside strong evidence, but it may still stop a device being cleared.
        var winnerIsPrc = winner.SubjectToNationalIntelligenceLaw == true;
        bool anyPrc = false, anyOther = false;
        for (var i = 0; i < evidence.Count; i++)
        {
            if (!Counts(strength[i], evidence[i], winnerIsPrc))
            {
                continue;
            }

            if (evidence[i].Vendor!.SubjectToNationalIntelligenceLaw == true) anyPrc = true;
            else anyOther = true;
        }

        if (!anyPrc || !anyOther)
        {
            return null;
        }

        var prc = new List<Evidence>();
        var other = new List<Evidence>();
        for (var i = 0; i < evidence.Count; i++)
        {
            if (Counts(strength[i], evidence[i], winnerIsPrc))
            {
                (evidence[i].Vendor!.SubjectToNationalIntelligenceLaw == true ? prc : other).Add(evidence[i]);
            }
        }

        var settled = true;
        for (var g = 0; g < count; g++)
        {
            if (g != winnerSlot && weight[g] >= weight[winnerSlot])
            {
                settled = false;
            }
        }

        return new EvidenceConflict(prc, other, winnerIsPrc, settled);
    }

    private static bool Counts(EvidenceStrength strength, Evidence evidence, bool winnerIsPrc) =>
        strength == EvidenceStrength.Strong ||
        (strength == EvidenceStrength.Weak && !winnerIsPrc && evidence.Vendor!.SubjectToNationalIntelligenceLaw == true);

    [System.Runtime.CompilerServices.InlineArray(8)]
    private struct VendorSlots
    {
        private Vendor? _first;
    }

    private static int Priority(EvidenceKind kind) => kind switch
    {
        EvidenceKind.MacAddress => 0,
        EvidenceKind.Model => 1,
        EvidenceKind.Fingerprint => 2,
        _ => 3,
    };
}
