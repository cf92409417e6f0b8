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

/// <summary>A register entry to reconcile: the device and the line of the register it was read from.</summary>
public sealed record RegisterEntry(RegisteredDevice Device, int Line);

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
/// number, then host name (equal to the asset id, or its first label): the first key that matches anything decides;
/// when it matches more than one entry the outcome is ambiguous, with the candidates. The register carries no IP
/// address (contract v1), so IP serves to merge observations and, through the networks file, to tell the segment.
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
        // Sized for the register up front: growing three 100,000-entry tables step by step copies each several times.
        var byMac = new Dictionary<ulong, List<RegisterEntry>>(entries.Length);
        var bySerial = new Dictionary<string, List<RegisterEntry>>(entries.Length, StringComparer.OrdinalIgnoreCase);
        var byName = new Dictionary<string, List<RegisterEntry>>(entries.Length, StringComparer.OrdinalIgnoreCase);
        // The register's indexes and the merge of the scans need nothing of each other, so they are built side by side.
        IReadOnlyList<DeviceObservation> merged = [];
        Parallel.Invoke(
            () =>
            {
                foreach (var entry in entries)
                {
                    if (entry.Device.MacAddress is { } macText && MacAddress.TryParse(macText, out var mac) && mac.NamesDevice) Add(byMac, mac.Value, entry);
                    if (entry.Device.SerialNumber is { Length: > 0 } serial) Add(bySerial, serial.Trim(), entry);
                    Add(byName, entry.Device.AssetId, entry);
                }
            },
            () => merged = ObservationMerger.Merge(observations));

        // Matching is cheap and sequential; identifying and evaluating each observation is independent of the others
        // (the identifier's caches are concurrent, the evaluator is pure), so it runs on every core, in order.
        var outcomes = new List<ReconcileOutcome>(merged.Count + entries.Length);
        var seen = new Dictionary<RegisterEntry, DateTimeOffset?>(Math.Min(merged.Count, entries.Length), ReferenceEqualityComparer.Instance);
        var matched = new List<(ReconcileOutcome Outcome, RegisterEntry Entry)>(merged.Count);
        var lastObservation = new Dictionary<RegisterEntry, DeviceObservation>(ReferenceEqualityComparer.Instance);
        var ambiguouslySeen = new HashSet<RegisterEntry>(ReferenceEqualityComparer.Instance);
        var matches = merged.Select(o => (Observation: o, Match: Match(o, byMac, bySerial, byName))).ToArray();
        var decided = InParallel(matches, m => m.Match.Candidates.Count switch
        {
            1 => Matched(m.Match.Candidates[0], m.Observation, m.Match.By!, options),
            0 => Unmatched(ReconcileOutcomeKind.Unregistered, m.Observation, options, "Seen on the network, and no register entry has its MAC address, serial number or host name."),
            _ => Unmatched(ReconcileOutcomeKind.Ambiguous, m.Observation, options,
                    $"Its {m.Match.By} matches {m.Match.Candidates.Count} register entries ({string.Join(", ", m.Match.Candidates.Select(c => c.Device.AssetId))}); it is not guessed which one it is. Correct the register (a duplicated {m.Match.By}?).") with
                {
                    MatchedBy = m.Match.By,
                    Candidates = [.. m.Match.Candidates.Select(c => c.Device.AssetId)],
                },
        });
        for (var i = 0; i < matches.Length; i++)
        {
            var (observation, (_, candidates)) = matches[i];
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
                    : "Registered and in service, and no scan saw it (by MAC address, serial number or host name).")
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
            return Matched(new RegisterEntry(registered, 0), observation, matchedBy ?? "mac", options);
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
            if (ReferenceEquals(e, entry)) return; // no lambda: this runs three times per register entry
        }

        list.Add(entry);
    }

    private static (string? By, IReadOnlyList<RegisterEntry> Candidates) Match(DeviceObservation observation, Dictionary<ulong, List<RegisterEntry>> byMac,
        Dictionary<string, List<RegisterEntry>> bySerial, Dictionary<string, List<RegisterEntry>> byName)
    {
        // Called once per host of the scan: the one list a key finds is returned as it is, and a list of its own is
        // made only when a second key adds entries (the caller only reads the candidates).
        IReadOnlyList<RegisterEntry>? found = null;
        foreach (var mac in observation.MacAddresses)
        {
            if (byMac.TryGetValue(mac.Value, out var list)) found = Union(found, list);
        }

        if (found is not null) return ("mac", found);
        if (observation.SerialNumber is { Length: > 0 } serial && bySerial.TryGetValue(serial.Trim(), out var bySerialList)) return ("serial", bySerialList);
        foreach (var name in observation.Hostnames)
        {
            var label = name.Split('.')[0];
            if (byName.TryGetValue(name, out var list) || byName.TryGetValue(label, out list)) found = Union(found, list);
        }

        return found is not null ? ("hostname", found) : (null, []);
    }

    /// <summary>The entries of both, each once, in first-found order; <paramref name="more"/> itself when there is nothing before it.</summary>
    private static IReadOnlyList<RegisterEntry> Union(IReadOnlyList<RegisterEntry>? found, List<RegisterEntry> more)
    {
        if (found is null || ReferenceEquals(found, more)) return found ?? more;
        var union = new List<RegisterEntry>(found);
        foreach (var entry in more)
        {
            if (!union.Contains(entry, ReferenceEqualityComparer.Instance)) union.Add(entry);
        }

        return union;
    }

    private ReconcileOutcome Matched(RegisterEntry entry, DeviceObservation observation, string by, ReconcileOptions options)
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
        var where = network is null ? "" : $" It was seen on {network.Network} ({network.Segment.ToWire()}{(network.Site is null ? "" : $", site {network.Site}")}){(device.NetworkSegment is { } s && s != network.Segment ? $"; the register says {s.ToWire()}, and where it was seen counts" : "")}.";
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
            DeviceType = fingerprints.DeviceTypeOf(observation.Evidence) ?? TypeOf(observation.ReportedType) ?? (observation.Evidence.Any(e => e.Signal is ObservedSignal.RtspMethods or ObservedSignal.RtspServer or ObservedSignal.RtspRealm) ? DeviceType.Camera : null),
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
