using System.Net;
using AssetCompliance.Core.Catalogue;
using AssetCompliance.Core.Events;
using AssetCompliance.Core.Policy;

namespace AssetCompliance.Core.Observations;

/// <summary>What reconciling one observation or register entry found (docs/reconcile.md).</summary>
public enum ReconcileOutcomeKind
{
    /// <summary>Seen, matched to one register entry, and what it showed agrees with the registered maker (or shows no maker).</summary>
    Confirmed,

    /// <summary>Seen and matched, but the observed maker is another group than the registered one: a relabel or a wrong register. Both are shown.</summary>
    Contradicted,

    /// <summary>Seen, and no register entry matches it.</summary>
    Unregistered,

    /// <summary>Registered (in service), and not seen by any scan (or not within the window of <see cref="ReconcileOptions.NotSeenDays"/>).</summary>
    NotSeen,

    /// <summary>Seen, and its deciding key (MAC, serial or host name) matches more than one register entry: reported with every candidate, never guessed.</summary>
    Ambiguous,
}

/// <summary>Wire names of <see cref="ReconcileOutcomeKind"/>.</summary>
public static class ReconcileOutcomes
{
    public static string ToWire(this ReconcileOutcomeKind kind) => kind switch
    {
        ReconcileOutcomeKind.Confirmed => "confirmed",
        ReconcileOutcomeKind.Contradicted => "contradicted",
        ReconcileOutcomeKind.Unregistered => "unregistered",
        ReconcileOutcomeKind.NotSeen => "not-seen",
        _ => "ambiguous",
    };
}

/// <summary>
/// A register entry to reconcile: the device and the line of the register it was read from, with the host names and
/// IP addresses the register row gives it outside the contract (<see cref="Registers.RegisterRow.Network"/>; empty
/// for an event register), which reconcile matches by after MAC and serial.
/// </summary>
public sealed record RegisterEntry(RegisteredDevice Device, int Line)
{
    /// <summary>Host names the register row gives (a <c>name</c>, <c>hostname</c> or <c>dns_name</c> column), besides the asset id.</summary>
    public IReadOnlyList<string> Hostnames { get; init; } = [];

    /// <summary>IP addresses the register row gives (an <c>ip_address</c> or <c>Primary IPv4</c> column).</summary>
    public IReadOnlyList<IPAddress> IpAddresses { get; init; } = [];

    /// <summary>
    /// The entry of a register row that was read: its device, line, and network names; an IP cell is read as one or
    /// more addresses (separated by commas, semicolons or spaces), each with or without a prefix length
    /// (<c>10.30.1.15/24</c>); text that is not an address (<c>DHCP</c>) gives none.
    /// </summary>
    public static RegisterEntry From(Registers.RegisterRow row)
    {
        var entry = new RegisterEntry(row.Device ?? throw new ArgumentException("a row that was not read has no entry", nameof(row)), row.Line);
        if (row.Network.Hostnames.Count == 0 && row.Network.IpAddresses.Count == 0)
        {
            return entry;
        }

        var ips = new List<IPAddress>();
        foreach (var cell in row.Network.IpAddresses)
        {
            foreach (var item in cell.Split([',', ';', ' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var slash = item.IndexOf('/');
                if (IPAddress.TryParse(slash < 0 ? item : item[..slash], out var parsed) && NmapXmlReader.Normalise(parsed) is var ip && !ips.Contains(ip)) ips.Add(ip);
            }
        }

        // A name with white space ("Front gate camera") is a description, not a host name.
        var names = new List<string>(row.Network.Hostnames.Count);
        foreach (var name in row.Network.Hostnames)
        {
            if (!HasWhiteSpace(name)) names.Add(name);
        }

        return entry with { Hostnames = names, IpAddresses = ips };
    }

    internal static bool HasWhiteSpace(string text)
    {
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c)) return true;
        }

        return false;
    }
}

/// <summary>How to reconcile.</summary>
public sealed record ReconcileOptions
{
    /// <summary>The department's networks file, which tells an observed address's segment and site; null when there is none.</summary>
    public NetworkMap? Networks { get; init; }

    /// <summary>
    /// An entry whose latest matching observation is older than this many days before <see cref="Now"/> is not seen;
    /// null: an entry is not seen only when no scan saw it. Observations without a time count as seen now.
    /// </summary>
    public int? NotSeenDays { get; init; }

    /// <summary>The time of the reconciliation.</summary>
    public DateTimeOffset Now { get; init; } = DateTimeOffset.UtcNow;

    /// <summary>
    /// Register entries no longer in service (retired, disposed): never reported not seen, and a device seen that only
    /// one of them matches is unregistered with that entry named, since the register says it is gone.
    /// </summary>
    public IReadOnlyList<RegisterEntry> Removed { get; init; } = [];
}

/// <summary>
/// One outcome: the register's side (<see cref="Registered"/>, <see cref="RegisterLine"/>), the observation's
/// (<see cref="Observation"/>), how they were matched (<see cref="MatchedBy"/>: mac, serial, hostname), both makers,
/// where on the network it was seen (<see cref="Network"/>, from the networks file), and the verdict on the device
/// with the observed evidence taking part (<see cref="Evaluation"/>; null for <see cref="ReconcileOutcomeKind.NotSeen"/>).
/// </summary>
public sealed record ReconcileOutcome(ReconcileOutcomeKind Outcome, string Explanation)
{
    public RegisteredDevice? Registered { get; init; }
    public int? RegisterLine { get; init; }
    public DeviceObservation? Observation { get; init; }
    public string? MatchedBy { get; init; }

    /// <summary>For <see cref="ReconcileOutcomeKind.Ambiguous"/>: every register entry the deciding key matched (asset ids).</summary>
    public IReadOnlyList<string> Candidates { get; init; } = [];

    /// <summary>The maker the register's own fields identify (catalogue name), or the register's text when the catalogue does not know it.</summary>
    public string? RegisteredMaker { get; init; }

    /// <summary>The maker the observation alone identifies (MAC block, fingerprints, reported model), or null.</summary>
    public string? ObservedMaker { get; init; }

    public NetworkEntry? Network { get; init; }
    public Identification? Identification { get; init; }
    public Evaluation? Evaluation { get; init; }
}

/// <summary>
/// Reconciles observations against a register (docs/reconcile.md). Observations of one device from several scans are
/// merged first (<see cref="ObservationMerger"/>). Each is matched to register entries by MAC address, then serial
/// number, then host name, then IP address (the asset id and the register row's own host-name and IP columns,
/// <see cref="RegisterEntry"/>; a name or address the device's own MAC or serial refutes is another device): the
/// first key that matches anything decides; when it matches more than one entry the
/// outcome is ambiguous, with the candidates. IP also serves to merge observations and, through the networks file, to
/// tell the segment.
/// Observed evidence takes part in identification (<see cref="DeviceIdentifier.Identify(string?, string?, string?, IReadOnlyList{Evidence})"/>),
/// and the segment the networks file gives an observed address takes precedence over the register's
/// <c>network_segment</c> (the device is where it was seen); with several addresses the most exposed segment counts
/// (core before segregated before standalone). So a PRC-law maker seen on a core subnet is NonCompliant Critical,
/// whatever the register says, through the same <see cref="ComplianceEvaluator"/> as every other verdict.
/// </summary>
public sealed class Reconciler(DeviceIdentifier identifier, ComplianceEvaluator evaluator, FingerprintCatalogue fingerprints)
{
    /// <summary>The department of an unregistered device when no networks file names one.</summary>
    public const string UnknownDepartment = "UNKNOWN";

    public IReadOnlyList<ReconcileOutcome> Reconcile(IEnumerable<RegisterEntry> register, IReadOnlyList<DeviceObservation> observations, ReconcileOptions? options = null)
    {
        options ??= new ReconcileOptions();
        var entries = register.Where(e => !string.IsNullOrEmpty(e.Device.AssetId)).ToArray();
        // The register's indexes and the merge of the scans need nothing of each other, so they are built side by side.
        MatchIndex index = null!;
        IReadOnlyList<DeviceObservation> merged = [];
        Parallel.Invoke(() => index = IndexOf(entries), () => merged = ObservationMerger.Merge(observations));
        var removed = options.Removed.Count == 0 ? null : IndexOf([.. options.Removed]);

        var outcomes = new List<ReconcileOutcome>(merged.Count + entries.Length);
        var seen = new Dictionary<RegisterEntry, DateTimeOffset?>(Math.Min(merged.Count, entries.Length), ReferenceEqualityComparer.Instance);
        var matched = new List<(ReconcileOutcome Outcome, RegisterEntry Entry)>(merged.Count);
        var lastObservation = new Dictionary<RegisterEntry, DeviceObservation>(ReferenceEqualityComparer.Instance);
        var ambiguouslySeen = new HashSet<RegisterEntry>(ReferenceEqualityComparer.Instance);
        // Matching is cheap and sequential; identifying and evaluating each observation is independent of the others
        // (the identifier's caches are concurrent, the evaluator is pure), so it runs on every core, in order.
        var matches = merged.Select(o => (Observation: o, Match: Match(o, index))).ToArray();
        var decided = InParallel(matches, m => m.Match.Candidates.Count switch
        {
            1 => Matched(m.Match.Candidates[0], m.Observation, m.Match.By!, options),
            0 => Unmatched(ReconcileOutcomeKind.Unregistered, m.Observation, options, Gone(m.Observation, removed) is ({ } by, { } gone)
                    ? $"Seen on the network, and the register lists it as no longer in service ({gone}), matched by its {by}: it is still connected. Take it off the network, or register it again."
                    : m.Match.Refuted is { Count: > 0 } refuted
                    ? $"Seen on the network with the host name or IP address of {string.Join(", ", refuted.Select(c => $"{c.Device.AssetId} (line {c.Line})"))}, but another MAC address or serial number than the register records for it: another device (a replacement, or a reused address), not the registered one."
                    : "Seen on the network, and no register entry has its MAC address, serial number, host name or IP address."),
            _ => Unmatched(ReconcileOutcomeKind.Ambiguous, m.Observation, options,
                    $"Its {m.Match.By} matches {m.Match.Candidates.Count} register entries ({string.Join(", ", m.Match.Candidates.Select(c => $"{c.Device.AssetId} on line {c.Line}"))}); it is not guessed which one it is. Correct the register (a duplicated {m.Match.By}?).") with
                {
                    MatchedBy = m.Match.By,
                    Candidates = [.. m.Match.Candidates.Select(c => c.Device.AssetId)],
                },
        });
        for (var i = 0; i < matches.Length; i++)
        {
            var (observation, (_, candidates, _)) = matches[i];
            if (candidates.Count == 1)
            {
                var entry = candidates[0];
                var at = observation.ObservedAt ?? options.Now;
                seen[entry] = seen.TryGetValue(entry, out var before) && before > at ? before : at;
                matched.Add((decided[i], entry));
                lastObservation[entry] = observation; // the last in scan order, which a not-seen outcome shows
            }
            else
            {
                // Any candidate of an ambiguous match may be the device seen: none is reported not seen on a guess.
                foreach (var candidate in candidates)
                {
                    ambiguouslySeen.Add(candidate);
                }

                outcomes.Add(decided[i]);
            }
        }

        // A window longer than the calendar reaches back (--not-seen-days 99999999) starts at its beginning; AddDays would throw.
        var cutoff = options.NotSeenDays is { } days
            ? days >= (options.Now - DateTimeOffset.MinValue).TotalDays ? DateTimeOffset.MinValue : options.Now.AddDays(-days)
            : (DateTimeOffset?)null;
        foreach (var (outcome, entry) in matched)
        {
            if (cutoff is not null && seen[entry] < cutoff)
            {
                continue; // reported once below, as not seen
            }

            outcomes.Add(outcome);
        }

        var unseen = entries.Where(entry => !(seen.TryGetValue(entry, out var last) && (cutoff is null || last >= cutoff)) && (seen.ContainsKey(entry) || !ambiguouslySeen.Contains(entry))).ToArray();
        outcomes.AddRange(InParallel(unseen, entry =>
        {
            var wasSeen = seen.TryGetValue(entry, out var last);
            var registered = identifier.Identify(entry.Device.Manufacturer, entry.Device.Model, entry.Device.MacAddress);
            return new ReconcileOutcome(ReconcileOutcomeKind.NotSeen, wasSeen
                    ? $"Last seen {last:yyyy-MM-dd}, more than {options.NotSeenDays} days before {options.Now:yyyy-MM-dd}."
                    : "Registered and in service, and no scan saw it (by MAC address, serial number, host name or IP address).")
            {
                Registered = entry.Device,
                RegisterLine = entry.Line,
                RegisteredMaker = MakerOf(registered, entry.Device.Manufacturer),
                Observation = wasSeen ? lastObservation[entry] : null,
            };
        }));

        return outcomes;
    }

    /// <summary>
    /// <paramref name="map"/> of each item, in order, on every core. Parallel.For runs part of the work on the calling
    /// thread: a PLINQ query consumed by a thread-pool thread (the CLI's command, a function) left that thread waiting
    /// while the pool grew by one thread at a time, which cost about a second on two cores (benchmarks/README.md).
    /// </summary>
    private static TResult[] InParallel<TItem, TResult>(TItem[] items, Func<TItem, TResult> map)
    {
        var results = new TResult[items.Length];
        Parallel.For(0, items.Length, i => results[i] = map(items[i]));
        return results;
    }

    /// <summary>
    /// One observation already matched by the caller (the pipeline matches against stored records, not a register
    /// file): against <paramref name="registered"/> when it is the one entry its key <paramref name="matchedBy"/>
    /// found, else as unregistered (no candidates) or ambiguous (several candidates, by <paramref name="matchedBy"/>).
    /// The same decision as <see cref="Reconcile"/> makes for each observation.
    /// </summary>
    public ReconcileOutcome Decide(RegisteredDevice? registered, DeviceObservation observation, string? matchedBy, IReadOnlyList<string> candidates, NetworkMap? networks)
    {
        var options = new ReconcileOptions { Networks = networks };
        if (registered is not null)
        {
            return Matched(new RegisterEntry(registered, 0), observation, matchedBy ?? "mac", options, typeFromNetwork: false);
        }

        return candidates.Count > 1
            ? Unmatched(ReconcileOutcomeKind.Ambiguous, observation, options,
                $"Its {matchedBy} matches {candidates.Count} registered devices ({string.Join(", ", candidates)}); it is not guessed which one it is. Correct the register (a duplicated {matchedBy}?).") with
            {
                MatchedBy = matchedBy,
                Candidates = candidates,
            }
            : Unmatched(ReconcileOutcomeKind.Unregistered, observation, options, "Seen on the network, and no registered device has its MAC address, serial number or host name.");
    }

    private static void Add<TKey>(Dictionary<TKey, List<RegisterEntry>> index, TKey key, RegisterEntry entry) where TKey : notnull
    {
        if (!index.TryGetValue(key, out var list))
        {
            index[key] = [entry];
            return;
        }

        foreach (var e in list)
        {
            if (ReferenceEquals(e, entry)) return; // no lambda: this runs several times per register entry
        }

        list.Add(entry);
    }

    private static MatchIndex IndexOf(RegisterEntry[] entries)
    {
        // Sized for the register up front: growing 100,000-entry tables step by step copies each several times.
        var byMac = new Dictionary<ulong, List<RegisterEntry>>(entries.Length);
        var bySerial = new Dictionary<string, List<RegisterEntry>>(entries.Length, StringComparer.OrdinalIgnoreCase);
        var byName = new Dictionary<string, List<RegisterEntry>>(entries.Length, StringComparer.OrdinalIgnoreCase);
        var byLabel = new Dictionary<string, List<RegisterEntry>>(StringComparer.OrdinalIgnoreCase);
        var byIp = new Dictionary<IPAddress, List<RegisterEntry>>();
        foreach (var entry in entries)
        {
            if (entry.Device.MacAddress is { } macText && MacAddress.TryParse(macText, out var mac) && mac.NamesDevice) Add(byMac, mac.Value, entry);
            if (entry.Device.SerialNumber is { Length: > 0 } serial && SerialKey(serial) is { Length: > 0 } serialKey) Add(bySerial, serialKey, entry);
            AddName(byName, byLabel, entry.Device.AssetId, entry);
            foreach (var name in entry.Hostnames)
            {
                AddName(byName, byLabel, name, entry);
            }

            foreach (var ip in entry.IpAddresses)
            {
                if (NamesDevice(ip)) Add(byIp, ip, entry);
            }
        }

        return new MatchIndex(byMac, bySerial, byName, byLabel, byIp);
    }

    /// <summary>The key and the entries no longer in service that the observation matches ("CR-03, line 5"), or nulls.</summary>
    private static (string? By, string? Entries) Gone(DeviceObservation observation, MatchIndex? removed)
    {
        if (removed is null || Match(observation, removed) is not ({ } by, { Count: > 0 } gone, _)) return (null, null);
        return (by, string.Join("; ", gone.Select(e => $"{e.Device.AssetId}, line {e.Line}")));
    }

    /// <summary>The register's keys: MAC, serial (<see cref="SerialKey"/>), host name (whole, and the first label of a DNS name), IP.</summary>
    private sealed record MatchIndex(Dictionary<ulong, List<RegisterEntry>> ByMac, Dictionary<string, List<RegisterEntry>> BySerial,
        Dictionary<string, List<RegisterEntry>> ByName, Dictionary<string, List<RegisterEntry>> ByLabel, Dictionary<IPAddress, List<RegisterEntry>> ByIp);

    /// <summary>
    /// A serial number as it is compared: without white space, any case ("h3 00 45" is "H30045"); registers type
    /// serials with the spacing of the label, devices and tools report them without.
    /// </summary>
    internal static string SerialKey(string serial)
    {
        var trimmed = serial.Trim();
        var key = RegisterEntry.HasWhiteSpace(trimmed) ? string.Concat(trimmed.Where(c => !char.IsWhiteSpace(c))) : trimmed;
        // A placeholder ("N/A", "TBC", "-") is no serial: it would match every row that has it.
        return IsPlaceholder(key) ? "" : key;
    }

    /// <summary>Serial placeholders registers write, by their letters and digits (any case).</summary>
    private static readonly string[] SerialPlaceholders = ["", "na", "none", "nil", "null", "unknown", "notknown", "unk", "tbc", "tba", "tbd", "0", "notapplicable", "nk"];

    /// <summary>Whether a serial is a placeholder (<see cref="SerialPlaceholders"/>), without allocating: it is asked once per register row.</summary>
    private static bool IsPlaceholder(string serial)
    {
        if (serial.Length > 16) return false;
        Span<char> letters = stackalloc char[16];
        var n = 0;
        foreach (var c in serial)
        {
            if (char.IsLetterOrDigit(c)) letters[n++] = c;
        }

        foreach (var placeholder in SerialPlaceholders)
        {
            if (letters[..n].Equals(placeholder, StringComparison.OrdinalIgnoreCase)) return true;
        }

        return false;
    }

    /// <summary>An address that is no device's own (unspecified, loopback, broadcast, multicast) matches and merges nothing.</summary>
    internal static bool NamesDevice(IPAddress ip) =>
        !(IPAddress.IsLoopback(ip) || ip.Equals(IPAddress.Any) || ip.Equals(IPAddress.IPv6Any) || ip.Equals(IPAddress.Broadcast) || ip.IsIPv6Multicast
          || (ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && ip.GetAddressBytes()[0] is >= 224 and <= 239));

    private static void AddName(Dictionary<string, List<RegisterEntry>> byName, Dictionary<string, List<RegisterEntry>> byLabel, string name, RegisterEntry entry)
    {
        var key = HostNames.Name(name);
        if (key.Length == 0) return;
        Add(byName, key, entry);
        if (!HostNames.IsAddress(key) && key.IndexOf('.') is > 0 and var dot) Add(byLabel, key[..dot], entry); // an FQDN is also found by its short name
    }

    private static (string? By, List<RegisterEntry> Candidates, List<RegisterEntry>? Refuted) Match(DeviceObservation observation, MatchIndex index)
    {
        var found = new List<RegisterEntry>();
        foreach (var mac in observation.MacAddresses)
        {
            if (index.ByMac.TryGetValue(mac.Value, out var list)) AddNew(found, list);
        }

        if (found.Count > 0) return ("mac", found, null);
        if (observation.SerialNumber is { Length: > 0 } serial && index.BySerial.TryGetValue(SerialKey(serial), out var bySerialList)) return ("serial", [.. bySerialList], null);

        // Then the host name, then the IP address: the keys that can name a device on a routed network, where no MAC is
        // seen; a name is the device's own, an address only where it is (a register may give every camera behind an NVR
        // the NVR's address). A name matches a register name whole (any case), an FQDN the register's short name, a
        // short name the first label of the register's FQDN; two FQDNs that differ past the first label are two devices.
        List<RegisterEntry>? refuted = null;
        foreach (var name in observation.Hostnames)
        {
            // One rule with the pipeline's matcher (HostNames): the whole name, else its first label, in any case and
            // without the trailing dot, and an IP literal only whole; offline, a short name also names a registered FQDN
            // by that FQDN's first label.
            var key = HostNames.Name(name);
            var dot = HostNames.IsAddress(key) ? -1 : key.IndexOf('.');
            if (index.ByName.TryGetValue(key, out var list) || (dot > 0 ? index.ByName.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(key.AsSpan(0, dot), out list) : index.ByLabel.TryGetValue(key, out list)))
            {
                AddNew(found, list);
            }
        }

        if (Unrefuted(observation, found, ref refuted) > 0) return ("hostname", found, refuted);
        foreach (var ip in observation.IpAddresses)
        {
            if (index.ByIp.TryGetValue(ip, out var list)) AddNew(found, list);
        }

        return Unrefuted(observation, found, ref refuted) > 0 ? ("ip", found, refuted) : (null, found, refuted);
    }

    /// <summary>
    /// Takes out of <paramref name="found"/> (into <paramref name="refuted"/>) every entry the device refutes: a name or
    /// address is not the device, and an entry whose MAC or serial it does not show is another device at its name or
    /// address (a replaced camera, a reused address), never confirmed on it. The entries left.
    /// </summary>
    private static int Unrefuted(DeviceObservation observation, List<RegisterEntry> found, ref List<RegisterEntry>? refuted)
    {
        for (var i = found.Count - 1; i >= 0; i--)
        {
            if (Refutes(observation, found[i].Device))
            {
                var entry = found[i];
                found.RemoveAt(i);
                refuted ??= [];
                var known = false;
                foreach (var r in refuted)
                {
                    known |= ReferenceEquals(r, entry);
                }

                if (!known) refuted.Insert(0, entry);
            }
        }

        return found.Count;
    }

    /// <summary>Whether the observation shows a MAC and the entry records another, or both give a serial and they differ.</summary>
    private static bool Refutes(DeviceObservation observation, RegisteredDevice device)
    {
        if (observation.MacAddresses.Count > 0 && device.MacAddress is { } text && MacAddress.TryParse(text, out var registered) && registered.NamesDevice)
        {
            var shown = false;
            foreach (var mac in observation.MacAddresses)
            {
                shown |= mac.Value == registered.Value;
            }

            if (!shown) return true;
        }

        return observation.SerialNumber is { Length: > 0 } seen && device.SerialNumber is { Length: > 0 } recorded
            && SerialKey(seen) is { Length: > 0 } seenKey && SerialKey(recorded) is { Length: > 0 } recordedKey
            && !string.Equals(seenKey, recordedKey, StringComparison.OrdinalIgnoreCase);
    }

    private static void AddNew(List<RegisterEntry> found, List<RegisterEntry> list)
    {
        foreach (var entry in list)
        {
            var known = false;
            foreach (var e in found)
            {
                known |= ReferenceEquals(e, entry);
            }

            if (!known) found.Add(entry);
        }
    }

    private ReconcileOutcome Matched(RegisterEntry entry, DeviceObservation observation, string by, ReconcileOptions options, bool typeFromNetwork = true)
    {
        var device = entry.Device;
        var observedEvidence = fingerprints.EvidenceOf(observation.Evidence);
        var observedMac = observation.MacAddresses.Count > 0 ? observation.MacAddresses[0].ToString() : null;
        var observed = identifier.Identify(null, observation.Model, observedMac, observedEvidence);
        var registered = identifier.Identify(device.Manufacturer, device.Model, device.MacAddress);
        // With no fingerprint and the register's own MAC, the combined reading is the register's: not worked out twice.
        var combined = observedEvidence.Count == 0 && device.MacAddress is not null
            ? registered
            : identifier.Identify(device.Manufacturer, device.Model, device.MacAddress ?? observedMac, observedEvidence);
        var network = NetworkOf(observation, options.Networks);
        var placed = network is null ? device : device with { NetworkSegment = network.Segment };
        // A register that does not say what the device is (no type column, or a cell not read) is told by the network,
        // as an unregistered device is; a type the register states stands.
        // (Offline only: the pipeline's record evaluation does not take it yet, so Decide does not say it did.)
        var observedType = typeFromNetwork && device.DeviceType is null ? ObservedType(observation) : null;
        if (observedType is { } type)
        {
            placed = placed with { DeviceType = type, UnreadFields = WithoutDeviceType(device.UnreadFields) };
        }

        var evaluation = evaluator.Evaluate(AssetEventKind.Upserted, placed, combined);

        var registeredMaker = MakerOf(registered, device.Manufacturer);
        // The network contradicts the register when what it shows identifies another maker, or when the observation's
        // own strong fingerprint names another maker than the registered one (an Axis MAC block in front of Hikvision
        // firmware: the MAC agrees with the register, the firmware does not).
        var otherFirmware = registered.Vendor is { } known
            ? observedEvidence.FirstOrDefault(e => e.Vendor is { } v && !v.IsSameGroupAs(known) && EvidenceTable.StrengthOf(e) == EvidenceStrength.Strong)
            : null;
        var observedVendor = observed.Vendor is { } seenVendor && registered.Vendor is { } reg && seenVendor.IsSameGroupAs(reg) && otherFirmware is not null
            ? otherFirmware.Vendor
            : observed.Vendor;
        var observedMaker = observedVendor?.Name;
        // A register entry naming no maker does not say what the network shows: that is a difference too, never "as registered".
        var differs = observedVendor is { } o && (registered.Vendor is not { } r || !r.IsSameGroupAs(o));
        var says = registered.Vendor is null && string.IsNullOrWhiteSpace(device.Manufacturer) ? "The register names no maker" : $"The register says {registeredMaker}";
        var typed = observedType is { } t ? $" The register does not say what it is; the network shows its type, {t.ToWire()}, and that was evaluated." : "";
        var where = typed + (network is null ? "" : $" It was seen on {network.Network} ({network.Segment.ToWire()}{(network.Site is null ? "" : $", site {network.Site}")}){(device.NetworkSegment is { } s && s != network.Segment ? $"; the register says {s.ToWire()}, and where it was seen counts" : "")}.");
        return new ReconcileOutcome(differs ? ReconcileOutcomeKind.Contradicted : ReconcileOutcomeKind.Confirmed, differs
                ? $"{says}; the network shows {observedMaker} ({(otherFirmware is not null && ReferenceEquals(observedVendor, otherFirmware.Vendor) ? otherFirmware.Input : Shown(observed))}): a relabelled device or a wrong register.{where}"
                : (observedMaker is null ? "Seen where the register says; the network shows no maker." : $"Seen, and the network shows {observedMaker} as registered.") + where)
        {
            Registered = device,
            RegisterLine = entry.Line,
            Observation = observation,
            MatchedBy = by,
            RegisteredMaker = registeredMaker,
            ObservedMaker = observedMaker,
            Network = network,
            Identification = combined,
            Evaluation = evaluation,
        };
    }

    private ReconcileOutcome Unmatched(ReconcileOutcomeKind kind, DeviceObservation observation, ReconcileOptions options, string why)
    {
        var observedEvidence = fingerprints.EvidenceOf(observation.Evidence);
        var mac = observation.MacAddresses.Count > 0 ? observation.MacAddresses[0].ToString() : null;
        var identification = identifier.Identify(null, observation.Model, mac, observedEvidence);
        var network = NetworkOf(observation, options.Networks);
        var device = new RegisteredDevice
        {
            AssetId = $"{kind.ToWire()}:{mac ?? observation.IpAddresses.FirstOrDefault()?.ToString() ?? observation.Hostnames.FirstOrDefault() ?? observation.Source}",
            Department = options.Networks?.Department ?? UnknownDepartment,
            Revision = 0,
            Model = observation.Model,
            SerialNumber = observation.SerialNumber,
            MacAddress = mac,
            DeviceType = ObservedType(observation),
            NetworkSegment = network?.Segment,
            Site = network?.Site is { } site ? new Site(site, null, null) : null,
        };
        var evaluation = evaluator.EvaluateUnregistered(AssetEventKind.Upserted, device, identification);
        var where = network is null ? (options.Networks is null ? "" : " Its address is in no subnet of the networks file.") : $" It was seen on {network.Network} ({network.Segment.ToWire()}{(network.Site is null ? "" : $", site {network.Site}")}).";
        var maker = identification.Vendor is { } v ? $" The network shows {v.Name} ({Shown(identification)})." : "";
        return new ReconcileOutcome(kind, why + maker + where)
        {
            Observation = observation,
            ObservedMaker = identification.Vendor?.Name,
            Network = network,
            Registered = device,
            Identification = identification,
            Evaluation = evaluation,
        };
    }

    /// <summary>The most exposed networks-file entry among the observation's addresses, or null.</summary>
    internal static NetworkEntry? NetworkOf(DeviceObservation observation, NetworkMap? networks)
    {
        if (networks is null) return null;
        NetworkEntry? worst = null;
        foreach (var ip in observation.IpAddresses)
        {
            if (networks.Lookup(ip) is { } entry && (worst is null || entry.Segment < worst.Segment))
            {
                worst = entry; // the enum's order is core, segregated, standalone: most exposed first
            }
        }

        return worst;
    }

    private static string MakerOf(Identification identification, string? written) =>
        identification.Vendor?.Name ?? (string.IsNullOrWhiteSpace(written) ? "no maker" : $"'{written.Trim()}'");

    private static string Shown(Identification identification) =>
        string.Join("; ", identification.Evidence.Where(e => e.Vendor is not null && identification.Vendor is { } v && e.Vendor.IsSameGroupAs(v)).Select(e => e.Input));

    /// <summary>The device type what the network shows gives: the fingerprint's, else the tool's, else a camera when it serves RTSP; null when none.</summary>
    private DeviceType? ObservedType(DeviceObservation observation)
    {
        if ((fingerprints.DeviceTypeOf(observation.Evidence) ?? TypeOf(observation.ReportedType)) is { } type) return type;
        foreach (var e in observation.Evidence)
        {
            if (e.Signal is ObservedSignal.RtspMethods or ObservedSignal.RtspServer or ObservedSignal.RtspRealm) return DeviceType.Camera;
        }

        return null;
    }

    private static IReadOnlyList<string> WithoutDeviceType(IReadOnlyList<string> unread)
    {
        if (!unread.Contains("deviceType")) return unread;
        var rest = new List<string>(unread.Count);
        foreach (var path in unread)
        {
            if (path != "deviceType") rest.Add(path);
        }

        return rest;
    }

    /// <summary>A tool's device type as the contract's, or null when it names none we know.</summary>
    internal static DeviceType? TypeOf(string? reported)
    {
        if (reported is null) return null;
        var t = reported.ToLowerInvariant();
        return t.Contains("nvr", StringComparison.Ordinal) ? DeviceType.Nvr
            : t.Contains("dvr", StringComparison.Ordinal) ? DeviceType.Dvr
            : t.Contains("camera", StringComparison.Ordinal) || t.Contains("webcam", StringComparison.Ordinal) ? DeviceType.Camera
            : t.Contains("encoder", StringComparison.Ordinal) ? DeviceType.Encoder
            : t.Contains("intercom", StringComparison.Ordinal) ? DeviceType.VideoIntercom
            : t.Contains("access control", StringComparison.Ordinal) ? DeviceType.AccessControl
            : t.Contains("switch", StringComparison.Ordinal) || t.Contains("router", StringComparison.Ordinal) || t.Contains("firewall", StringComparison.Ordinal) ? DeviceType.Network
            : null;
    }
}
