using System.Text.Json;
using AssetCompliance.Core.Events;
using AssetCompliance.Core.Observations;

namespace AssetCompliance.Core.Catalogue;

/// <summary>One entry of catalogue/fingerprints.json: a signal value and the maker it means, with its weight and source.</summary>
/// <param name="Id">Stable id (<c>hikvision-http-dnvrs-webs</c>), shown in the evidence method.</param>
/// <param name="Signal">Which observed signal it reads.</param>
/// <param name="Match">exact, prefix, contains (ASCII case-insensitive) or oid-arc (the OID or any OID under it).</param>
/// <param name="Value">What is matched.</param>
/// <param name="Vendor">The catalogue vendor it means.</param>
/// <param name="Strong">True for firmware behaviour a relabel keeps; false for self-reported or easily wrong strings.</param>
/// <param name="DeviceType">What kind of device the signal shows, when it shows one (an NVR's web server).</param>
/// <param name="Source">Where the fact is documented (the text of the file's <c>sources</c> entry).</param>
/// <param name="Date">When the entry was written or last checked.</param>
public sealed record Fingerprint(string Id, ObservedSignal Signal, string Match, string Value, Vendor Vendor, bool Strong, DeviceType? DeviceType, string Source, DateOnly Date)
{
    /// <summary>Whether an observed value matches this entry.</summary>
    public bool Matches(string observed) => Match switch
    {
        "exact" => observed.Trim().Equals(Value, StringComparison.OrdinalIgnoreCase),
        "prefix" => observed.TrimStart().StartsWith(Value, StringComparison.OrdinalIgnoreCase),
        "contains" => observed.Contains(Value, StringComparison.OrdinalIgnoreCase),
        "oid-arc" => OidUnder(observed.Trim().TrimStart('.'), Value),
        _ => false,
    };

    private static bool OidUnder(string oid, string arc) =>
        oid.Equals(arc, StringComparison.Ordinal) || (oid.StartsWith(arc, StringComparison.Ordinal) && oid.Length > arc.Length && oid[arc.Length] == '.');
}

/// <summary>
/// The network fingerprints (catalogue/fingerprints.json, its schema beside it) and the evidence they give an
/// observation. An observation's evidence becomes <see cref="EvidenceKind.Fingerprint"/> evidence, method
/// <c>fingerprint:strong:ID</c> or <c>fingerprint:weak:ID</c>, weighed by <see cref="EvidenceTable"/>: at most one per
/// vendor group (the strongest, first in file order), so that repeating a signal on many ports cannot outvote the
/// rest, and at most <see cref="MaxEvidence"/> groups.
/// </summary>
public sealed class FingerprintCatalogue
{
    /// <summary>Method prefix of strong fingerprint evidence.</summary>
    public const string StrongPrefix = "fingerprint:strong:";

    /// <summary>Method prefix of weak fingerprint evidence.</summary>
    public const string WeakPrefix = "fingerprint:weak:";

    /// <summary>The most fingerprint evidence one device gives (one per vendor group): the decision table holds eight in all.</summary>
    public const int MaxEvidence = 4;

    private static readonly Lazy<FingerprintCatalogue> Embedded = new(() =>
        Load(VendorCatalogue.ReadResource(typeof(FingerprintCatalogue).Assembly, "AssetCompliance.catalogue.fingerprints.json"), VendorCatalogue.Default));

    private readonly Dictionary<ObservedSignal, Fingerprint[]> _bySignal;
    private readonly Dictionary<Fingerprint, int> _order;

    /// <summary>The most distinct (signal, value) pairs whose matches are remembered; past it, values are matched each time.</summary>
    internal const int MatchMemoLimit = 4096;

    // A scan repeats a few server strings across thousands of hosts (one firmware, one web server), so what a value
    // matches is worked out once. Bounded, so a scan of hostile unique values costs time, never unbounded memory.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(ObservedSignal, string), Fingerprint[]> _matchMemo = new();

    private FingerprintCatalogue(string version, IReadOnlyList<Fingerprint> entries)
    {
        Version = version;
        Entries = entries;
        _bySignal = entries.GroupBy(e => e.Signal).ToDictionary(g => g.Key, g => g.ToArray());
        _order = entries.Select((e, i) => (e, i)).ToDictionary(p => p.e, p => p.i);
    }

    /// <summary>The file built into this assembly, against the built-in vendor catalogue.</summary>
    public static FingerprintCatalogue Default => Embedded.Value;

    /// <summary>The file's <c>version</c> (a date).</summary>
    public string Version { get; }

    /// <summary>Every entry, in file order.</summary>
    public IReadOnlyList<Fingerprint> Entries { get; }

    /// <summary>
    /// Reads fingerprints.json. Throws <see cref="InvalidDataException"/> naming the entry for an unknown vendor,
    /// signal, match, strength or source, a missing field, or a repeated id: a catalogue error is never half-loaded.
    /// </summary>
    public static FingerprintCatalogue Load(ReadOnlySpan<byte> json, VendorCatalogue vendors)
    {
        using var document = JsonDocument.Parse(json.ToArray(), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
        var root = document.RootElement;
        var sources = root.GetProperty("sources").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "", StringComparer.Ordinal);
        var entries = new List<Fingerprint>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var e in root.GetProperty("fingerprints").EnumerateArray())
        {
            var at = $"fingerprints.json: fingerprints[{index++}]";
            string Text(string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } s
                ? s : throw new InvalidDataException($"{at}: '{name}' is required");
            var id = Text("id");
            at += $" ({id})";
            if (!ids.Add(id)) throw new InvalidDataException($"{at}: the id is repeated");
            if (!ObservedSignals.TryParse(Text("signal"), out var signal)) throw new InvalidDataException($"{at}: unknown signal '{Text("signal")}'");
            var match = Text("match");
            if (match is not ("exact" or "prefix" or "contains" or "oid-arc")) throw new InvalidDataException($"{at}: unknown match '{match}'");
            if (!vendors.Vendors.TryGetValue(Text("vendor"), out var vendor)) throw new InvalidDataException($"{at}: vendor '{Text("vendor")}' is not in vendors.json");
            var strength = Text("strength");
            if (strength is not ("strong" or "weak")) throw new InvalidDataException($"{at}: strength must be strong or weak");
            if (!sources.TryGetValue(Text("source"), out var source)) throw new InvalidDataException($"{at}: source '{Text("source")}' is not in sources");
            if (!DateOnly.TryParseExact(Text("date"), "yyyy-MM-dd", out var date)) throw new InvalidDataException($"{at}: date must be yyyy-MM-dd");
            DeviceType? type = null;
            if (e.TryGetProperty("deviceType", out var t))
            {
                type = DeviceTypes.TryParse(t.GetString(), out var parsed) ? parsed : throw new InvalidDataException($"{at}: unknown deviceType '{t}'");
            }

            entries.Add(new Fingerprint(id, signal, match, Text("value"), vendor, strength == "strong", type, source, date));
        }

        return new FingerprintCatalogue(root.GetProperty("version").GetString() ?? "", entries);
    }

    /// <summary>Every entry an evidence item matches, in file order.</summary>
    public IReadOnlyList<Fingerprint> Match(ObservedEvidence item)
    {
        if (!_bySignal.TryGetValue(item.Signal, out var candidates))
        {
            return [];
        }

        var key = (item.Signal, item.Value);
        if (_matchMemo.TryGetValue(key, out var known))
        {
            return known;
        }

        Fingerprint[] matched = [.. candidates.Where(f => f.Matches(item.Value))];
        if (_matchMemo.Count < MatchMemoLimit)
        {
            _matchMemo.TryAdd(key, matched);
        }

        return matched;
    }

    /// <summary>
    /// The fingerprint evidence of an observation's items for the decision table: per vendor group the strongest match
    /// (the first in item order among equals), at most <see cref="MaxEvidence"/> groups, strong ones first.
    /// </summary>
    public IReadOnlyList<Evidence> EvidenceOf(IEnumerable<ObservedEvidence> items)
    {
        var best = new List<(Fingerprint Entry, ObservedEvidence Item)>();
        foreach (var item in items)
        {
            foreach (var entry in Match(item))
            {
                var at = best.FindIndex(b => b.Entry.Vendor.IsSameGroupAs(entry.Vendor));
                if (at < 0) best.Add((entry, item));
                else if (Better(entry, best[at].Entry)) best[at] = (entry, item);
            }
        }

        if (best.Count == 0)
        {
            return []; // most hosts of a large scan match nothing: no ordering, no array
        }

        return best.OrderByDescending(b => b.Entry.Strong).Take(MaxEvidence)
            .Select(b => new Evidence(EvidenceKind.Fingerprint, (b.Entry.Strong ? StrongPrefix : WeakPrefix) + b.Entry.Id,
                $"{b.Item.Signal.ToWire()} '{b.Item.Value}' ({b.Item.Tool}{(b.Item.Port is { } p ? $", port {p}" : "")})", b.Entry.Value, b.Entry.Vendor))
            .ToArray();
    }

    // Strong before weak; among equals, the entry listed first in the file (the most specific signals are listed first).
    private bool Better(Fingerprint candidate, Fingerprint current) =>
        (candidate.Strong && !current.Strong) || (candidate.Strong == current.Strong && _order[candidate] < _order[current]);

    /// <summary>The device type the strongest matching entry shows, or null (first strong entry with a type, else first weak one).</summary>
    public DeviceType? DeviceTypeOf(IEnumerable<ObservedEvidence> items)
    {
        var matches = items.SelectMany(Match).Where(f => f.DeviceType is not null).ToArray();
        return (matches.FirstOrDefault(f => f.Strong) ?? matches.FirstOrDefault())?.DeviceType;
    }
}
