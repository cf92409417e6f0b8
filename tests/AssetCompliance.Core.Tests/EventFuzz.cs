using System.Text;
using System.Text.Json.Nodes;
using CsCheck;

namespace AssetCompliance.Testing;

/// <summary>
/// Generators of message bodies for the property tests of the parser (Core tests) and of the batch processor
/// (integration tests, which link this file): valid contract-v1 events, and those events mutated in every way a
/// poison message has been seen to take: bytes that are not UTF-8, lone surrogates as escapes and as raw bytes, deep
/// nesting, huge numbers, wrong types, byte-order marks, truncations, repeated keys, random bytes, and strings padded
/// with white space of every kind to lengths around the contract's bounds, or made of white space alone; valid events
/// sometimes mark fields unread (<c>data.unreadFields</c>), and mutations give that list bad names, repeats, wrong types
/// or a field that keeps its value.
/// </summary>
/// <remarks>
/// Cases come from one PCG stream seeded with <see cref="Seed"/>, so a run is the same on every machine. CI runs the
/// default count; for a longer run set <c>ASSETCOMPLIANCE_FUZZ_ITERATIONS</c> (and <c>ASSETCOMPLIANCE_FUZZ_SEED</c>
/// to explore other cases; a failure prints the seed and the case number to reproduce it).
/// </remarks>
internal static class EventFuzz
{
    /// <summary>The seed CI uses (a CsCheck PCG seed string).</summary>
    public const string DefaultSeed = "0000000000J1";

    public static string Seed => Environment.GetEnvironmentVariable("ASSETCOMPLIANCE_FUZZ_SEED") is { Length: > 0 } seed ? seed : DefaultSeed;

    /// <summary>The number of cases: <paramref name="ciDefault"/> unless ASSETCOMPLIANCE_FUZZ_ITERATIONS says otherwise.</summary>
    public static int Iterations(int ciDefault) =>
        int.TryParse(Environment.GetEnvironmentVariable("ASSETCOMPLIANCE_FUZZ_ITERATIONS"), out var n) && n > 0 ? n : ciDefault;

    /// <summary><paramref name="count"/> cases drawn in order from the seeded stream.</summary>
    public static IEnumerable<T> Cases<T>(Gen<T> gen, int count)
    {
        var pcg = PCG.Parse(Seed);
        for (var i = 0; i < count; i++)
        {
            yield return gen.Generate(pcg, null, out Size _);
        }
    }

    /// <summary>How to reproduce a failing case.</summary>
    public static string Describe(int index, byte[] body) =>
        $"case {index} of seed {Seed}: {Convert.ToBase64String(body)} ({Encoding.UTF8.GetString(body)})";

    private static readonly string[] Departments = ["HO", "DFE", "MOJ"];
    private static readonly string[] Manufacturers = ["Hikvision", "Axis Communications AB", "Dahua", "HIK VISION", " ", "Secure View Ltd", "Ünïcödé 📷 \"quoted\" \\ back"];
    private static readonly string[] DeviceTypeNames = ["camera", "nvr", "dvr", "encoder", "video-intercom", "access-control", "network", "other"];
    private static readonly string?[] Segments = ["core", "segregated", "standalone", null];
    private static readonly string[] Macs = ["BC:AD:28:4F:11:02", "3c-ef-8c-21-9a-04", "accc.8e0a.1b2c", "ACCC8E0A1B2C", ""];

    private static readonly string[] Times =
    [
        "2026-11-20T09:00:00Z", "2026-11-20T09:00:00.123+01:00", "2026-11-20t09:00:00z", "2026-11-20T09:00Z", "2026-11-20T09:00:00",
        "2026-11-20 09:00:00Z", "2026-02-30T09:00:00Z", "0000-01-01T00:00:00Z", "0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00",
        "2016-12-31T23:59:60Z", "2026-11-20T09:00:00+0100", "", "2026-11-20T09:00:00.Z", "20261120T090000Z",
    ];

    private static readonly string[] ContentTypes =
    [
        "application/json", "APPLICATION/JSON", "application/json; charset=utf-8", "application/jsonx", "application/json; charset=latin1",
        "text/json", "application/json-seq", "applıcation/json", "application/json;", "",
    ];

    private static readonly string[] RawNumbers = ["1e400", "9007199254740991", "9007199254740992", "9223372036854775807", "9223372036854775808", "-1", "-0", "1.0", "1e2", "123456789012345678901234567890123456789"];

    private static readonly string[] BadStrings =
    [
        "\\ud800", "\\udc00", "a\\ud800b", "\\ud800\\ud800", "\\udc00\\ud800", "\\uD83D", "\\uDE00x", "x\\ud83d\\ude00y", "\\\\ud800", "\\u0000",
    ];

    private static readonly byte[][] BadBytes =
    [
        [0xFF], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xED, 0xBF, 0xBF], [0xE2, 0x82], [0xF4, 0x90, 0x80, 0x80], [0x80], [0xEF, 0xBB, 0xBF],
    ];

    /// <summary>Fields a sender marks unread (data.unreadFields), their values then left out as the contract requires.</summary>
    private static readonly string[][] UnreadSets =
    [
        ["site.sensitive"], ["networkSegment"], ["macAddress"], ["model", "macAddress"], ["manufacturer", "site.name", "installedOn"], [],
    ];

    /// <summary>Bad lists: an unknown name, a CSV column name, a repeat, a field that keeps its value, wrong types.</summary>
    private static readonly string[] BadUnreadLists =
    [
        "[\"colour\"]", "[\"site_sensitive\"]", "[\"model\", \"model\"]", "[\"manufacturer\"]", "\"model\"", "[1]", "[null]", "{}", "[\"site\"]", "[\"Model\"]",
    ];

    /// <summary>A valid event (most of the time: some generated manufacturers or MACs are blank, which is allowed).</summary>
    public static Gen<JsonObject> ValidEvent { get; } =
        from department in Gen.Int[0, Departments.Length - 1]
        from asset in Gen.Int[0, 12]
        from revision in Gen.Long[0, 6]
        from manufacturer in Gen.Int[0, Manufacturers.Length - 1]
        from type in Gen.Int[0, DeviceTypeNames.Length - 1]
        from segment in Gen.Int[0, Segments.Length - 1]
        from mac in Gen.Int[0, Macs.Length - 1]
        from removed in Gen.Int[0, 9]
        from idSalt in Gen.Int[0, 2]
        from unread in Gen.Int[0, UnreadSets.Length + 2]
        select WithUnread(Event(Departments[department], $"CAM-{asset:D3}", revision, Manufacturers[manufacturer], DeviceTypeNames[type], Segments[segment], Macs[mac], removed == 0, idSalt), unread);

    /// <summary>The event with fields of <see cref="UnreadSets"/>[<paramref name="which"/>] marked unread (none past the end).</summary>
    private static JsonObject WithUnread(JsonObject e, int which)
    {
        if (which >= UnreadSets.Length)
        {
            return e;
        }

        var data = e["data"]!.AsObject();
        foreach (var path in UnreadSets[which])
        {
            var parts = path.Split('.');
            (parts.Length == 1 ? data : data[parts[0]]!.AsObject()).Remove(parts[^1]);
        }

        data["unreadFields"] = new JsonArray([.. UnreadSets[which].Select(p => (JsonNode)p)]);
        return e;
    }

    /// <summary>A body: a valid event, or one mutated by one or two of the kinds above, or random bytes.</summary>
    public static Gen<byte[]> Body { get; } =
        from e in ValidEvent
        from kind in Gen.Int[0, 22]
        from a in Gen.Int[0, int.MaxValue]
        from b in Gen.Int[0, int.MaxValue]
        from random in Gen.Byte.Array[0, 64]
        select Mutate(e, kind, a, b, random);

    public static JsonObject Event(string department, string assetId, long revision, string manufacturer, string deviceType, string? segment, string mac, bool removed, int idSalt)
    {
        var data = new JsonObject
        {
            ["assetId"] = assetId,
            ["department"] = department,
            ["revision"] = revision,
            ["manufacturer"] = manufacturer,
            ["model"] = "DS-2CD2143G2-I",
            ["macAddress"] = mac,
            ["deviceType"] = deviceType,
            ["site"] = new JsonObject { ["id"] = "S1", ["name"] = "Site one", ["sensitive"] = revision % 2 == 0 },
        };
        if (segment is not null)
        {
            data["networkSegment"] = segment;
        }

        return new JsonObject
        {
            ["specversion"] = "1.0",
            ["id"] = $"{department}-{assetId}-r{revision}-{(removed ? "rm" : "up")}-{idSalt}",
            ["source"] = $"/departments/{department}/asset-register",
            ["type"] = removed ? "asset.device.removed" : "asset.device.upserted",
            ["subject"] = assetId,
            ["time"] = "2026-11-20T09:00:00Z",
            ["datacontenttype"] = "application/json",
            ["data"] = data,
        };
    }

    private const string Placeholder = "@@fuzz@@";

    private static byte[] Mutate(JsonObject e, int kind, int a, int b, byte[] random)
    {
        byte[] Utf8(JsonNode node) => Encoding.UTF8.GetBytes(node.ToJsonString());
        switch (kind)
        {
            case 0:
            case 1:
                return Utf8(e);
            case 2:
                return [0xEF, 0xBB, 0xBF, .. Utf8(e)];
            case 3:
            case 4:
            case 5:
                return ByteMutation(Utf8(e), kind - 3, a, b);
            case 6:
                // A lone surrogate (or a tricky but valid escape) in any string: a known field, an extension, a name.
                return ReplaceLeaf(e, a, "\"" + BadStrings[b % BadStrings.Length] + "\"", asName: b % 5 == 0);
            case 7:
                return ReplaceLeafBytes(e, a, BadBytes[b % BadBytes.Length]);
            case 8:
                var depth = 10 + (b % 25);
                var nested = new StringBuilder();
                for (var i = 0; i < depth; i++) nested.Append(b % 2 == 0 ? "[" : "{\"n\":");
                nested.Append('1');
                for (var i = 0; i < depth; i++) nested.Append(b % 2 == 0 ? "]" : "}");
                return ReplaceLeaf(e, a, nested.ToString(), asName: false, extension: true);
            case 9:
                return ReplaceLeaf(e, a, RawNumbers[b % RawNumbers.Length], asName: false);
            case 10:
                string[] wrong = ["42", "true", "false", "null", "[]", "{}", "\"text\"", "[\"a\", 1]", "{\"x\": null}", "\"\""];
                return ReplaceLeaf(e, a, wrong[b % wrong.Length], asName: false);
            case 11:
                return DuplicateKey(e, a, b);
            case 12:
                var leaves = Leaves(e);
                var (parent, key) = leaves[a % leaves.Count];
                parent.Remove(key);
                return Utf8(e);
            case 13:
                e["time"] = Times[b % Times.Length];
                return Utf8(e);
            case 14:
                e["datacontenttype"] = ContentTypes[b % ContentTypes.Length];
                return Utf8(e);
            case 15:
                return random;
            case 16:
                e["data_base64"] = Convert.ToBase64String(Utf8(e["data"]!));
                if (b % 2 == 0) e.Remove("data");
                return Utf8(e);
            case 17:
                // Two mutations at once: a byte-level one over a value-level one.
                return ByteMutation(Mutate(e, 6 + (a % 6), a, b, random), b % 3, b, a);
            case 18:
                return [.. Utf8(e), (byte)'\n', .. Utf8(e)];
            case 19:
                return PadString(e, a, b, keep: true);
            case 20:
                return PadString(e, a, b, keep: false);
            case 21:
                return ReplaceLeaf(e, 0, BadUnreadLists[b % BadUnreadLists.Length], asName: false, extension: false, at: ("data", "unreadFields"));
            default:
                e["extension"] = new string('x', 300 + (a % 5000));
                e["data"]!["model"] = new string('m', 200 + (b % 100));
                return Utf8(e);
        }
    }

    /// <summary>White space of every kind a reader may or may not trim: ASCII, no-break, ideographic, line separator, NEL, BOM.</summary>
    private static readonly string[] Spaces = [" ", "\t", "\r\n", "\u000b", "\u00a0", "\u3000", "\u2028", "\u0085", "\ufeff", "\u2009"];

    /// <summary>Lengths around the contract's bounds (64 for identifiers, 128 for ids, 256 for text).</summary>
    private static readonly int[] PadLengths = [1, 2, 63, 64, 65, 127, 128, 129, 255, 256, 257, 300];

    /// <summary>
    /// Pads one string property with white space on either side or both, to a length near a bound
    /// (<paramref name="keep"/>), or replaces it with white space alone.
    /// </summary>
    private static byte[] PadString(JsonObject e, int a, int b, bool keep)
    {
        var strings = Leaves(e).Where(l => l.Parent[l.Key] is JsonValue v && v.TryGetValue<string>(out _)).ToList();
        var (parent, key) = strings[a % strings.Count];
        var value = keep ? parent[key]!.GetValue<string>() : "";
        var space = Spaces[b % Spaces.Length];
        var length = PadLengths[(b / Spaces.Length) % PadLengths.Length];
        var padding = new StringBuilder();
        while (padding.Length + value.Length < length) padding.Append(space);
        var side = (a / 7) % 3; // before, after or both
        var (before, after) = side switch { 0 => (padding.ToString(), ""), 1 => ("", padding.ToString()), _ => (padding.ToString(0, padding.Length / 2), padding.ToString(padding.Length / 2, padding.Length - (padding.Length / 2))) };
        parent[key] = before + value + after;
        return Encoding.UTF8.GetBytes(e.ToJsonString());
    }

    /// <summary>Truncates (0), flips one bit (1) or inserts one byte (2).</summary>
    private static byte[] ByteMutation(byte[] bytes, int which, int a, int b)
    {
        if (bytes.Length == 0)
        {
            return [(byte)b];
        }

        switch (which)
        {
            case 0:
                return bytes[..(a % bytes.Length)];
            case 1:
                var flipped = bytes.ToArray();
                flipped[a % flipped.Length] ^= (byte)(1 << (b % 8));
                return flipped;
            default:
                var at = a % bytes.Length;
                return [.. bytes[..at], (byte)b, .. bytes[at..]];
        }
    }

    /// <summary>Every property of the event (at any depth), as parent and name.</summary>
    private static List<(JsonObject Parent, string Key)> Leaves(JsonObject root)
    {
        var leaves = new List<(JsonObject, string)>();
        void Walk(JsonObject o)
        {
            foreach (var (key, value) in o.ToArray())
            {
                leaves.Add((o, key));
                if (value is JsonObject child) Walk(child);
            }
        }

        Walk(root);
        return leaves;
    }

    /// <summary>Sets one property (or a new extension) to raw JSON text, or gives a property that raw text as its name.</summary>
    private static byte[] ReplaceLeaf(JsonObject e, int a, string rawJson, bool asName, bool extension = false, (string Parent, string Key)? at = null)
    {
        var leaves = Leaves(e);
        var (parent, key) = at is { } named ? (e[named.Parent]!.AsObject(), named.Key) : extension ? (e, "ext" + a % 7) : leaves[a % leaves.Count];
        if (asName)
        {
            var value = parent[key]?.DeepClone();
            parent.Remove(key);
            parent[Placeholder] = value;
            return Encoding.UTF8.GetBytes(e.ToJsonString().Replace("\"" + Placeholder + "\"", rawJson, StringComparison.Ordinal));
        }

        parent[key] = Placeholder;
        return Encoding.UTF8.GetBytes(e.ToJsonString().Replace("\"" + Placeholder + "\"", rawJson, StringComparison.Ordinal));
    }

    /// <summary>Puts raw bytes (not UTF-8, or a BOM) inside one string value.</summary>
    private static byte[] ReplaceLeafBytes(JsonObject e, int a, byte[] bytes)
    {
        var leaves = Leaves(e);
        var (parent, key) = leaves[a % leaves.Count];
        parent[key] = Placeholder;
        var text = Encoding.UTF8.GetBytes(e.ToJsonString());
        var marker = Encoding.UTF8.GetBytes(Placeholder);
        var at = text.AsSpan().IndexOf(marker);
        return [.. text[..at], .. bytes, .. text[(at + marker.Length)..]];
    }

    /// <summary>Gives one object a second property of a name it already has, written plainly or with an escape.</summary>
    private static byte[] DuplicateKey(JsonObject e, int a, int b)
    {
        var leaves = Leaves(e);
        var (parent, key) = leaves[a % leaves.Count];
        parent[Placeholder] = b % 3 == 0 ? "other" : parent[key]?.DeepClone();
        var name = b % 2 == 0 ? key : "\\u" + ((int)key[0]).ToString("x4", System.Globalization.CultureInfo.InvariantCulture) + key[1..];
        return Encoding.UTF8.GetBytes(e.ToJsonString().Replace("\"" + Placeholder + "\"", "\"" + name + "\"", StringComparison.Ordinal));
    }
}
