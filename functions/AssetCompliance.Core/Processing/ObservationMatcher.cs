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
/// address, then serial number, then host name (the asset id, whole or its first label, as written, in lower and
/// in upper case); the first key that matches any registered record decides, and several matches are ambiguous,
/// never guessed. Records only observations made, and removed ones, are no candidates. Each observation becomes
/// one <see cref="ApplyObservation"/> for the matched record, or for the record of its own an unregistered or
/// ambiguous observation gets (<see cref="ObservedState.AssetIdFor"/>).
/// </summary>
public sealed class ObservationMatcher(IRecordStore store, RecordPlanner planner, ObservationSettings settings)
{
    /// <summary>Matching queries of one batch run at once (each is one filtered read of the department's partition).</summary>
    private const int QueryParallelism = 4;

    public ObservationSettings Settings => settings;

    /// <summary>
    /// The commands for <paramref name="observations"/> (event id and observation), in order, and the records of
    /// devices once seen unregistered that an observation now matched to a registered device, to close.
    /// </summary>
    public async Task<(IReadOnlyList<ApplyObservation> Commands, IReadOnlyList<RetireObserved> Retirements)> MatchAsync(string department, IReadOnlyList<(string EventId, DeviceObservation Observation)> observations, CancellationToken cancellationToken)
    {
        var byMac = new Dictionary<string, List<ComplianceRecord>>(StringComparer.Ordinal);
        var bySerial = new Dictionary<string, List<ComplianceRecord>>(StringComparer.Ordinal);
        var macs = observations.SelectMany(o => o.Observation.MacAddresses).Select(m => m.ToString()).Distinct(StringComparer.Ordinal).ToArray();
        var serials = observations.Select(o => RecordFilter.Identifies.SerialKey(o.Observation.SerialNumber)).OfType<string>().Distinct(StringComparer.Ordinal).ToArray();
        var keys = macs.Select(m => (Mac: true, Value: m)).Concat(serials.Select(s => (Mac: false, Value: s))).ToArray();
        var found = new System.Collections.Concurrent.ConcurrentBag<ComplianceRecord>();
        // One filtered query per ten keys (a filter's limit), a few at once: a scan's batch holds hundreds of MACs.
        await Parallel.ForEachAsync(keys.Chunk(RecordFilter.Identifies.MaxValues), new ParallelOptions { MaxDegreeOfParallelism = QueryParallelism, CancellationToken = cancellationToken }, async (chunk, token) =>
        {
            var filter = new RecordFilter.Identifies([.. chunk.Where(k => k.Mac).Select(k => k.Value)], [.. chunk.Where(k => !k.Mac).Select(k => k.Value)]);
            await foreach (var stored in store.FindRecordsAsync(department, filter, token).ConfigureAwait(false))
            {
                found.Add(stored.Record);
            }
        }).ConfigureAwait(false);

        var macSet = macs.ToHashSet(StringComparer.Ordinal);
        var serialSet = serials.ToHashSet(StringComparer.Ordinal);
        foreach (var record in found.Where(IsCandidate).OrderBy(r => r.AssetId, StringComparer.Ordinal))
        {
            // The store's filter narrows the read; the match itself is decided here, on the record.
            if (RecordFilter.Identifies.MacKey(record.Device.MacAddress) is { } mac && macSet.Contains(mac)) Add(byMac, mac, record);
            if (RecordFilter.Identifies.SerialKey(record.Device.SerialNumber) is { } serial && serialSet.Contains(serial)) Add(bySerial, serial, record);
        }

        var names = observations.SelectMany(o => o.Observation.Hostnames).SelectMany(NameKeys).Distinct(StringComparer.Ordinal).ToArray();
        var byName = names.Length == 0
            ? new Dictionary<string, StoredRecord>()
            : await store.GetRecordsAsync(department, names, cancellationToken).ConfigureAwait(false);

        // The records of devices seen unregistered before (to remember what they showed, and to close when matched now).
        var ownIds = observations.Select(o => ObservedState.AssetIdFor(o.Observation)).Distinct(StringComparer.Ordinal).ToArray();
        var own = await store.GetRecordsAsync(department, ownIds, cancellationToken).ConfigureAwait(false);

        var networks = settings.Networks.For(department);
        var commands = new List<ApplyObservation>(observations.Count);
        foreach (var (eventId, seen) in observations)
        {
            var (by, candidates) = Match(seen, byMac, bySerial, byName);
            var registered = candidates.Count == 1 ? candidates[0] : null;
            var observation = Remembered(seen, (registered ?? own.GetValueOrDefault(ObservedState.AssetIdFor(seen))?.Record)?.Observation);
            var decision = planner.Reconciler.Decide(registered?.Device, observation, by, [.. candidates.Select(c => c.AssetId)], networks);
            var assetId = registered?.AssetId ?? ObservedState.AssetIdFor(observation);
            var at = observation.ObservedAt ?? DateTimeOffset.UnixEpoch;
            var state = new ObservedState
            {
                Outcome = decision.Outcome,
                EventId = eventId,
                Observer = observation.Observer,
                LastSeenAt = at,
                FirstSeenAt = at,
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
        }

        // A device seen unregistered before and now matched to a registered record: its own record is closed.
        var matched = commands.Select((c, i) => (Command: c, Own: ObservedState.AssetIdFor(observations[i].Observation))).Where(m => m.Command.Unregistered is null).ToArray();
        var retirements = matched.Where(m => own.GetValueOrDefault(m.Own)?.Record is { Observation.NotRegistered: true, Status: not Policy.ComplianceStatus.Removed })
            .Select(m => new RetireObserved(m.Command.EventId, department, m.Own, m.Command.AssetId)).ToArray();
        return (commands, retirements);
    }

    /// <summary>
    /// The observation with what the device's record showed before and this one does not: evidence a later scan did
    /// not probe for (a ping sweep, a closed port) is not forgotten, so it can never clear a device that an earlier
    /// scan showed to be PRC-made; new items first, up to <see cref="ObservedDeviceData.MaxEvidence"/>. A serial,
    /// model or reported type this one lacks is kept too.
    /// </summary>
    internal static DeviceObservation Remembered(DeviceObservation observation, ObservedState? before)
    {
        if (before is null)
        {
            return observation;
        }

        var evidence = observation.Evidence.Concat(before.Evidence).Distinct().Take(ObservedDeviceData.MaxEvidence).ToArray();
        return observation with
        {
            Evidence = evidence,
            SerialNumber = observation.SerialNumber ?? before.SerialNumber,
            Model = observation.Model ?? before.Model,
            ReportedType = observation.ReportedType ?? before.ReportedType,
        };
    }

    /// <summary>A record an observation may match: a registered device (not one only observations made) still in service.</summary>
    private static bool IsCandidate(ComplianceRecord record) =>
        record.Observation is not { NotRegistered: true } && record.Status != Policy.ComplianceStatus.Removed;

    private static IEnumerable<string> NameKeys(string hostname)
    {
        var label = hostname.Split('.')[0];
        return new[] { hostname, label, hostname.ToLowerInvariant(), label.ToLowerInvariant(), hostname.ToUpperInvariant(), label.ToUpperInvariant() }
            .Where(n => Identifiers.AssetIdError(n) is null);
    }

    private static (string? By, List<ComplianceRecord> Candidates) Match(DeviceObservation observation, Dictionary<string, List<ComplianceRecord>> byMac,
        Dictionary<string, List<ComplianceRecord>> bySerial, IReadOnlyDictionary<string, StoredRecord> byName)
    {
        var found = new List<ComplianceRecord>();
        foreach (var mac in observation.MacAddresses)
        {
            AddNew(found, byMac.GetValueOrDefault(mac.ToString()));
        }

        if (found.Count > 0) return ("mac", found);
        if (RecordFilter.Identifies.SerialKey(observation.SerialNumber) is { } serial) AddNew(found, bySerial.GetValueOrDefault(serial));
        if (found.Count > 0) return ("serial", found);
        foreach (var name in observation.Hostnames)
        {
            AddNew(found, NameKeys(name).Select(k => byName.GetValueOrDefault(k)?.Record).OfType<ComplianceRecord>().Where(IsCandidate));
        }

        return found.Count > 0 ? ("hostname", found) : (null, found);
    }

    private static void Add(Dictionary<string, List<ComplianceRecord>> index, string key, ComplianceRecord record)
    {
        if (!index.TryGetValue(key, out var list)) index[key] = list = [];
        AddNew(list, [record]);
    }

    private static void AddNew(List<ComplianceRecord> list, IEnumerable<ComplianceRecord>? records)
    {
        foreach (var record in records ?? [])
        {
            if (!list.Any(r => r.AssetId == record.AssetId)) list.Add(record);
        }
    }
}
