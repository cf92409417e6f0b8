using AssetCompliance.Core.Events;
using AssetCompliance.Core.Observations;
using AssetCompliance.Core.State;

namespace AssetCompliance.Core.Processing;

/// <summary>How observations are judged in the pipeline: the departments' networks files and the not-seen window.</summary>
public sealed record ObservationSettings
{
    /// <summary>The default of <see cref="NotSeenDays"/>.</summary>
    public const int DefaultNotSeenDays = 30;

    /// <summary>Every department's networks file (none by default: segments of observed addresses are unknown).</summary>
    public NetworkMaps Networks { get; init; } = NetworkMaps.None;

    /// <summary>
    /// A registered device whose latest observation is older than this many days (or that was never observed) is
    /// "not seen" (<c>GET …/observations?outcome=notSeen</c>, worked out when read). 1 to 3650; default 30.
    /// </summary>
    public int NotSeenDays
    {
        get => _notSeenDays;
        init => _notSeenDays = value is >= 1 and <= 3650 ? value : throw new ArgumentOutOfRangeException(nameof(NotSeenDays), value, "must be 1 to 3650 days");
    }

    private readonly int _notSeenDays = DefaultNotSeenDays;

    public static ObservationSettings Default { get; } = new();
}

/// <summary>
/// Matches one department's observations against its stored records (docs/reconcile.md "In the pipeline"): by MAC
/// address, then serial number, then host name (<see cref="HostNames"/>, the offline reconciler's rule), then, for an
/// observation without a MAC, the address the device was last seen at; the first key that matches any registered
/// record decides, and several matches are ambiguous, never guessed. Records only observations made, and removed ones,
/// are no candidates. Each observation becomes one <see cref="ApplyObservation"/> for the matched record, or for the
/// record of its own an unregistered or ambiguous observation gets; a device has one such record at a time: the
/// records it had under another key (its address before its MAC was seen, another of its MACs) are closed into it,
/// or into the registered record it was matched to (<see cref="RetireObserved"/>), with what they showed remembered.
/// </summary>
public sealed class ObservationMatcher(IRecordStore store, RecordPlanner planner, ObservationSettings settings)
{
    /// <summary>Matching queries of one batch run at once (each is one filtered read of the department's partition).</summary>
    private const int QueryParallelism = 4;

    /// <summary>How many of an observation's MACs, and of its addresses, its own records are looked for by id.</summary>
    private const int KeyReads = 4;

    public ObservationSettings Settings => settings;

    /// <summary>
    /// The commands for <paramref name="observations"/> (event id and observation), in order, and the records of
    /// devices seen unregistered before under another key (or now matched to a registered device), to close.
    /// </summary>
    public async Task<(IReadOnlyList<ApplyObservation> Commands, IReadOnlyList<RetireObserved> Retirements)> MatchAsync(string department, IReadOnlyList<(string EventId, DeviceObservation Observation)> observations, CancellationToken cancellationToken)
    {
        var known = await ReadAsync(department, observations, cancellationToken).ConfigureAwait(false);
        var networks = settings.Networks.For(department);
        var commands = new List<ApplyObservation>(observations.Count);
        var retirements = new List<RetireObserved>();
        foreach (var (eventId, seen) in observations)
        {
            var (by, candidates) = Match(seen, known);
            var registered = candidates.Count == 1 ? candidates[0] : null;
            var (target, closing) = OwnRecords(seen, known, registered is not null);
            var assetId = registered?.AssetId ?? target?.AssetId ?? ObservedState.AssetIdFor(seen);
            var stored = registered ?? target ?? known.GetValueOrDefault(assetId);
            var observation = Remembered(seen, [stored?.Observation, .. closing.Select(c => c.Observation)]);
            var decision = planner.Reconciler.Decide(registered?.Device, observation, by, [.. candidates.Select(c => c.AssetId)], networks);
            var at = observation.ObservedAt ?? DateTimeOffset.UnixEpoch;
            var state = new ObservedState
            {
                Outcome = decision.Outcome,
                EventId = eventId,
                Observer = observation.Observer,
                LastSeenAt = at,
                // The device was first seen when the first of the records closed into this one was.
                FirstSeenAt = closing.Select(c => c.Observation!.FirstSeenAt).Append(at).Min(),
                NotRegistered = registered is null,
                IpAddresses = [.. observation.IpAddresses.Select(ip => ip.ToString())],
                MacAddresses = [.. observation.MacAddresses.Select(m => m.ToString())],
                Hostnames = observation.Hostnames,
                SerialNumber = observation.SerialNumber,
                Model = observation.Model,
                ReportedType = observation.ReportedType,
                Evidence = observation.Evidence,
                Network = decision.Network is { } entry ? ObservedNetwork.From(entry) : null,
                NetworksKnown = networks is not null,
                MatchedBy = candidates.Count > 0 ? by : null,
                Candidates = decision.Candidates,
                RegisteredMaker = registered is null ? null : decision.RegisteredMaker,
                ObservedMaker = decision.ObservedMaker,
                Explanation = decision.Explanation + (networks is null ? " The department has no networks file, so the segment it was seen on is unknown." : ""),
            };
            var unregistered = registered is null ? decision.Registered! with { AssetId = assetId, Department = department } : null;
            commands.Add(new ApplyObservation(eventId, department, assetId, state, unregistered));

            // An observation older than the one stored is history only: it closes nothing, since the record it would
            // close into does not take what it remembered.
            if (stored?.Observation is { } latest && latest.LastSeenAt > at)
            {
                continue;
            }

            foreach (var closed in closing)
            {
                retirements.Add(new RetireObserved(eventId, department, closed.AssetId, assetId));
                known[closed.AssetId] = closed with { Status = Policy.ComplianceStatus.Removed };
            }

            // Later observations of this batch see the record as this one leaves it.
            var after = stored ?? new ComplianceRecord
            {
                Department = department,
                AssetId = assetId,
                Revision = 0,
                EventId = eventId,
                EventTime = at,
                Device = unregistered!,
                Status = Policy.ComplianceStatus.NeedsReview,
                Rule = "",
                Reasons = [],
                Evidence = [],
                CatalogueVersion = "",
                PolicyVersion = "",
                FirstSeen = at,
                StatusSince = at,
                EvaluatedAt = at,
            };
            known[assetId] = after with { Observation = state, Status = after.Status == Policy.ComplianceStatus.Removed && state.NotRegistered ? Policy.ComplianceStatus.NeedsReview : after.Status };
        }

        return (commands, retirements);
    }

    /// <summary>
    /// Every stored record an observation of the batch may be, by asset id: those the store's filter finds by MAC,
    /// serial, host-name key or first observed address (<see cref="RecordFilter.Identifies"/>), and by point reads
    /// the records the devices would have of their own (<c>observed:</c> each MAC and each IP) and the host names as
    /// written, in lower and in upper case (a record row written before the HostKey column has none to be found by).
    /// </summary>
    private async Task<Dictionary<string, ComplianceRecord>> ReadAsync(string department, IReadOnlyList<(string EventId, DeviceObservation Observation)> observations, CancellationToken cancellationToken)
    {
        var seen = observations.Select(o => o.Observation).ToArray();
        var macs = seen.SelectMany(o => o.MacAddresses).Select(m => m.ToString()).Distinct(StringComparer.Ordinal).ToArray();
        var serials = seen.Select(o => RecordFilter.Identifies.SerialKey(o.SerialNumber)).OfType<string>().Distinct(StringComparer.Ordinal).ToArray();
        var names = seen.SelectMany(o => o.Hostnames).SelectMany(HostNames.Keys).Distinct(StringComparer.Ordinal).ToArray();
        var ips = seen.SelectMany(o => o.IpAddresses).Select(ip => ip.ToString()).Distinct(StringComparer.Ordinal).ToArray();
        var keys = macs.Select(m => (Kind: 0, Value: m)).Concat(serials.Select(s => (Kind: 1, Value: s))).Concat(names.Select(n => (Kind: 2, Value: n))).Concat(ips.Select(ip => (Kind: 3, Value: ip))).ToArray();
        var found = new System.Collections.Concurrent.ConcurrentBag<ComplianceRecord>();
        // One filtered query per ten keys (a filter's limit), a few at once: a scan's batch holds hundreds of MACs.
        await Parallel.ForEachAsync(keys.Chunk(RecordFilter.Identifies.MaxValues), new ParallelOptions { MaxDegreeOfParallelism = QueryParallelism, CancellationToken = cancellationToken }, async (chunk, token) =>
        {
            string[] Of(int kind) => [.. chunk.Where(k => k.Kind == kind).Select(k => k.Value)];
            var filter = new RecordFilter.Identifies(Of(0), Of(1)) { HostKeys = Of(2), IpAddresses = Of(3) };
            await foreach (var stored in store.FindRecordsAsync(department, filter, token).ConfigureAwait(false))
            {
                found.Add(stored.Record);
            }
        }).ConfigureAwait(false);

        // A bounded number of point reads per observation, whatever it holds (16 MACs and 16 addresses must not cost 32
        // reads each): the records of its own named by its first few MACs and addresses; the columns find the rest.
        var ids = seen.SelectMany(o => o.Hostnames).SelectMany(HostNames.Candidates).SelectMany(n => new[] { n, n.ToLowerInvariant(), n.ToUpperInvariant() })
            .Concat(seen.SelectMany(o => o.MacAddresses.Take(KeyReads).Select(m => ObservedState.AssetIdPrefix + m)))
            .Concat(seen.SelectMany(o => o.IpAddresses.Take(KeyReads).Select(ip => ObservedState.AssetIdPrefix + ip)))
            .Where(n => Identifiers.AssetIdError(n) is null).Distinct(StringComparer.Ordinal).ToArray();
        var read = ids.Length == 0 ? new Dictionary<string, StoredRecord>() : await store.GetRecordsAsync(department, ids, cancellationToken).ConfigureAwait(false);
        var known = new Dictionary<string, ComplianceRecord>(StringComparer.Ordinal);
        foreach (var record in found.Concat(read.Values.Select(r => r.Record)))
        {
            known.TryAdd(record.AssetId, record);
        }

        // The records closed ones were closed into: the device is there now (found by any address it was seen at).
        var into = known.Values.Select(r => r.Observation?.ClosedInto).OfType<string>().Where(id => !known.ContainsKey(id)).Distinct(StringComparer.Ordinal).ToArray();
        if (into.Length > 0)
        {
            foreach (var (assetId, stored) in await store.GetRecordsAsync(department, into, cancellationToken).ConfigureAwait(false))
            {
                known.TryAdd(assetId, stored.Record);
            }
        }

        return known;
    }

    /// <summary>
    /// The registered records the observation matches, and by which key: MAC, then serial, then host name, then (for
    /// an observation without a MAC, which a scanner beyond the device's own segment sends) the address the record's
    /// latest observation was seen at. The store's filter narrows the read; the match is decided here.
    /// </summary>
    private static (string? By, List<ComplianceRecord> Candidates) Match(DeviceObservation observation, Dictionary<string, ComplianceRecord> known)
    {
        var registered = known.Values.Where(IsCandidate).OrderBy(r => r.AssetId, StringComparer.Ordinal).ToArray();
        var macs = observation.MacAddresses.Select(m => m.ToString()).ToHashSet(StringComparer.Ordinal);
        var found = registered.Where(r => RecordFilter.Identifies.MacKey(r.Device.MacAddress) is { } mac && macs.Contains(mac)).ToList();
        if (found.Count > 0) return ("mac", found);
        if (RecordFilter.Identifies.SerialKey(observation.SerialNumber) is { } serial)
        {
            found = [.. registered.Where(r => RecordFilter.Identifies.SerialKey(r.Device.SerialNumber) == serial)];
            if (found.Count > 0) return ("serial", found);
        }

        foreach (var name in observation.Hostnames)
        {
            // The whole name first; its first label only when the whole name names nothing (as the reconciler does).
            var hits = HostNames.Keys(name).Select(key => registered.Where(r => HostNames.Key(r.AssetId) == key).ToArray()).FirstOrDefault(h => h.Length > 0) ?? [];
            found.AddRange(hits.Where(h => !found.Contains(h)));
        }

        if (found.Count > 0) return ("hostname", found);
        if (observation.MacAddresses.Count == 0)
        {
            found = [.. registered.Where(r => SharesAddress(r.Observation, observation))];
            if (found.Count > 0) return ("address", found);
        }

        return (null, found);
    }

    /// <summary>
    /// The open records only observations made that are this device, split into the one it keeps (null: the registered
    /// record it matched, or a new one named by what it shows, its first MAC else its first IP) and those closed into
    /// it. A record is this device when it shares one of its MACs (or is named by one), or when it was seen at (or is
    /// named by) one of its addresses and one side shows no MAC: two different MACs at one address are two
    /// devices, as <see cref="ObservationMerger"/> has it. Kept: the record of one of its MACs; seen without a MAC, the
    /// one record with a MAC its address gives. When its address gives several records with MACs, two devices have
    /// used it: the observation is neither (none is guessed, none closed), and only records named by the address are
    /// its own. Matched to a registered device without a MAC of its own, only those address records are closed.
    /// </summary>
    private static (ComplianceRecord? Target, ComplianceRecord[] Closing) OwnRecords(DeviceObservation observation, Dictionary<string, ComplianceRecord> known, bool registered)
    {
        var macs = observation.MacAddresses.Select(m => m.ToString()).ToArray();
        var ips = observation.IpAddresses.Select(ip => ip.ToString()).ToArray();
        var open = known.Values.Where(r => r.Observation is { NotRegistered: true } && r.Status != Policy.ComplianceStatus.Removed).OrderBy(r => r.AssetId, StringComparer.Ordinal).ToArray();
        var byMac = open.Where(r => macs.Any(m => r.AssetId == ObservedState.AssetIdPrefix + m || r.Observation!.MacAddresses.Contains(m, StringComparer.Ordinal))).ToArray();
        var byAddress = open.Where(r => !byMac.Contains(r, ReferenceEqualityComparer.Instance)).Where(r => (macs.Length == 0 || r.Observation!.MacAddresses.Count == 0) &&
            (ips.Any(ip => r.AssetId == ObservedState.AssetIdPrefix + ip) || SharesAddress(r.Observation, observation))).ToArray();
        if (macs.Length > 0)
        {
            var kept = registered ? null : byMac.FirstOrDefault();
            return (kept, [.. byMac.Concat(byAddress).Where(r => !ReferenceEquals(r, kept))]);
        }

        var withMac = byAddress.Where(r => r.Observation!.MacAddresses.Count > 0 || !IsAddressKeyed(r.AssetId)).ToArray();
        var addressOnly = byAddress.Where(r => !withMac.Contains(r, ReferenceEqualityComparer.Instance)).ToArray();
        var target = registered ? null : withMac.Length == 1 ? withMac[0] : addressOnly.FirstOrDefault();
        return (target, [.. addressOnly.Where(r => !ReferenceEquals(r, target))]);
    }

    private static bool IsAddressKeyed(string assetId) =>
        assetId.StartsWith(ObservedState.AssetIdPrefix, StringComparison.Ordinal) && System.Net.IPAddress.TryParse(assetId.AsSpan(ObservedState.AssetIdPrefix.Length), out _);

    /// <summary>
    /// Whether the stored observation was seen at one of the observation's addresses. The store finds records by the
    /// first (the ObservedIp column); any of them counts once a record is read, so that within a batch a record
    /// closed into another is always found there again, never reopened beside it.
    /// </summary>
    private static bool SharesAddress(ObservedState? stored, DeviceObservation observation) =>
        stored is not null && observation.IpAddresses.Any(ip => stored.IpAddresses.Contains(ip.ToString(), StringComparer.Ordinal));

    /// <summary>
    /// The observation with what the device's record showed before and this one does not: evidence a later scan did
    /// not probe for (a ping sweep, a closed port) is not forgotten, so it can never clear a device that an earlier
    /// scan showed to be PRC-made; new items first, up to <see cref="ObservedDeviceData.MaxEvidence"/>. A serial,
    /// model, reported type or MACs this one lacks are kept too.
    /// </summary>
    internal static DeviceObservation Remembered(DeviceObservation observation, IEnumerable<ObservedState?> before)
    {
        var earlier = before.OfType<ObservedState>().ToArray();
        if (earlier.Length == 0)
        {
            return observation;
        }

        var evidence = observation.Evidence.Concat(earlier.SelectMany(b => b.Evidence)).Distinct().Take(ObservedDeviceData.MaxEvidence).ToArray();
        return observation with
        {
            Evidence = evidence,
            // Seen without a MAC (a scanner beyond its segment cannot see one), the device keeps the MACs it showed:
            // they name its maker (a MAC block) and are what its record is found by.
            MacAddresses = observation.MacAddresses.Count > 0 ? observation.MacAddresses
                : [.. (earlier.FirstOrDefault(b => b.MacAddresses.Count > 0)?.MacAddresses ?? []).Select(m => MacAddress.TryParse(m, out var mac) ? (MacAddress?)mac : null).OfType<MacAddress>()],
            SerialNumber = observation.SerialNumber ?? earlier.Select(b => b.SerialNumber).FirstOrDefault(v => v is not null),
            Model = observation.Model ?? earlier.Select(b => b.Model).FirstOrDefault(v => v is not null),
            ReportedType = observation.ReportedType ?? earlier.Select(b => b.ReportedType).FirstOrDefault(v => v is not null),
        };
    }

    /// <summary>A record an observation may match: a registered device (not one only observations made) still in service.</summary>
    private static bool IsCandidate(ComplianceRecord record) =>
        record.Observation is not { NotRegistered: true } && record.Status != Policy.ComplianceStatus.Removed;
}
