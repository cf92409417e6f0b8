using AssetCompliance.Core.Events;

namespace AssetCompliance.Core.Registers;

/// <summary>
/// The words registers use for a device type and a status, mapped to the contract's values: one table each, kept here
/// in Core rather than in <c>catalogue/</c> because they are reading rules of the register format, reviewed and
/// versioned with the reader that applies them (like the date and MAC notations), not analyst data that changes a
/// verdict on the same input; keeping them in code also means no file that can be missing or broken at start-up.
/// A department whose words are not here maps its columns with <c>--map</c>/<c>--mapping</c>, and the profiles
/// translate their own codes to these words before <see cref="RegisterCells"/> reads them.
/// <para>
/// Words are matched by <see cref="Key"/>: case, and any run of characters that are not letters or digits, are
/// ignored (<c>IP-Camera</c>, <c>ip camera</c> and <c>IP_CAMERA</c> are one word). An entry with a null
/// <c>Guess</c> means the same as the contract's value and is read silently, as <c>yes</c> is for sensitivity; an
/// entry with a <c>Guess</c> could mean something else, and is read as its value with a warning that says what it was
/// read as and why. Each guess leans to the reading that is checked more strictly: an intercom is read as a video
/// intercom (visual surveillance), a spare or faulty device as in service. A word in no entry stays unknown, warned.
/// </para>
/// </summary>
internal static class RegisterValues
{
    private const string RecorderGuess = "a recorder, without saying network (nvr) or digital (dvr); both are visual surveillance equipment, so the verdict is the same";
    private const string IntercomGuess = "a door entry or intercom unit may be audio-only, but is read as video (visual surveillance, the stricter reading) until the register says otherwise";
    private const string CctvGuess = "CCTV may name any part of a CCTV system; cameras, recorders and encoders are all visual surveillance equipment, so the verdict is the same";

    /// <summary>Device-type words, each with the contract's type and, for a guess, why it was read so. <see cref="Key"/> of every word is unique (tested).</summary>
    internal static readonly (string Word, DeviceType Type, string? Guess)[] DeviceTypeWords =
    [
        .. Cameras("camera", "cam", "ip camera", "ip cam", "network camera", "cctv camera", "security camera", "surveillance camera", "video camera",
            "dome", "dome camera", "fixed dome", "mini dome", "ptz", "ptz camera", "ptz dome", "speed dome", "bullet", "bullet camera",
            "turret", "turret camera", "eyeball", "eyeball camera", "fisheye", "fisheye camera", "fish eye camera", "panoramic camera", "360 camera",
            "box camera", "anpr", "anpr camera", "lpr camera", "thermal camera", "multisensor camera", "multi sensor camera", "body worn camera"),
        ("cctv", DeviceType.Camera, CctvGuess),
        ("nvr", DeviceType.Nvr, null), ("network video recorder", DeviceType.Nvr, null), ("network recorder", DeviceType.Nvr, null), ("ip recorder", DeviceType.Nvr, null),
        ("recorder", DeviceType.Nvr, RecorderGuess), ("video recorder", DeviceType.Nvr, RecorderGuess), ("cctv recorder", DeviceType.Nvr, RecorderGuess),
        ("dvr", DeviceType.Dvr, null), ("digital video recorder", DeviceType.Dvr, null), ("hvr", DeviceType.Dvr, null), ("xvr", DeviceType.Dvr, null),
        ("hybrid video recorder", DeviceType.Dvr, null), ("hybrid recorder", DeviceType.Dvr, null),
        ("encoder", DeviceType.Encoder, null), ("video encoder", DeviceType.Encoder, null), ("ip encoder", DeviceType.Encoder, null), ("video server", DeviceType.Encoder, null),
        ("video intercom", DeviceType.VideoIntercom, null), ("video door entry", DeviceType.VideoIntercom, null), ("video door phone", DeviceType.VideoIntercom, null),
        ("video doorbell", DeviceType.VideoIntercom, null), ("door station", DeviceType.VideoIntercom, null), ("video door station", DeviceType.VideoIntercom, null),
        ("door entry", DeviceType.VideoIntercom, IntercomGuess), ("door entry panel", DeviceType.VideoIntercom, IntercomGuess), ("door entry system", DeviceType.VideoIntercom, IntercomGuess),
        ("door intercom", DeviceType.VideoIntercom, IntercomGuess), ("intercom", DeviceType.VideoIntercom, IntercomGuess), ("entry phone", DeviceType.VideoIntercom, IntercomGuess),
        ("door phone", DeviceType.VideoIntercom, IntercomGuess),
        ("access control", DeviceType.AccessControl, null), ("access control panel", DeviceType.AccessControl, null), ("access controller", DeviceType.AccessControl, null),
        ("access control unit", DeviceType.AccessControl, null), ("door controller", DeviceType.AccessControl, null), ("door access controller", DeviceType.AccessControl, null),
        ("card reader", DeviceType.AccessControl, null), ("access reader", DeviceType.AccessControl, null), ("badge reader", DeviceType.AccessControl, null),
        ("network", DeviceType.Network, null), ("network device", DeviceType.Network, null), ("switch", DeviceType.Network, null), ("network switch", DeviceType.Network, null),
        ("poe switch", DeviceType.Network, null), ("router", DeviceType.Network, null), ("access point", DeviceType.Network, null), ("wireless access point", DeviceType.Network, null),
        ("wifi access point", DeviceType.Network, null), ("wi fi access point", DeviceType.Network, null), ("wap", DeviceType.Network, null), ("firewall", DeviceType.Network, null),
        ("wireless ap", DeviceType.Network, null), ("wifi ap", DeviceType.Network, null), ("wi fi ap", DeviceType.Network, null), ("ap", DeviceType.Network, null),
        ("indoor station", DeviceType.VideoIntercom, null), ("indoor monitor", DeviceType.VideoIntercom, null),
        // IT equipment in a general asset register (ServiceNow, Snipe-IT) is not the visual surveillance equipment the
        // direction covers, and the contract's word for it is "other".
        .. Others("other", "server", "computer", "pc", "desktop", "laptop", "notebook", "workstation", "thin client", "printer", "mfd", "multifunction printer",
            "scanner", "phone", "ip phone", "voip phone", "mobile phone", "smartphone", "tablet", "monitor", "display", "tv", "projector", "ups", "nas", "storage"),
    ];

    private const string HeldGuess = "the device is still held and can be connected at any time, so it is evaluated, and push never sends a removal for it";
    private const string PlannedGuess = "the device is planned or on order, not yet installed; it is evaluated, so a restricted device is caught before it is deployed";
    private const string MissingGuess = "where the device is is not known, so it may still be connected; it is evaluated, and push never sends a removal for it";
    private const string NotYetRemovedGuess = "the device is not removed yet; it is evaluated until the register says it is removed";
    private const string InactiveGuess = "an inactive or unsupported device may still be installed and connected, so it is evaluated";

    /// <summary>
    /// Status words: <see cref="AssetEventKind.Upserted"/> is in service (evaluated), <see cref="AssetEventKind.Removed"/>
    /// removed. Fail closed: a word that leaves the device somewhere it could be connected (spare, in stock, faulty,
    /// planned, lost, pending disposal, end of life) is in service with a warning, never a removal.
    /// </summary>
    internal static readonly (string Word, AssetEventKind Kind, string? Guess)[] StatusWords =
    [
        .. Words(AssetEventKind.Upserted, null, "in service", "inservice", "active", "in use", "live", "installed", "deployed", "operational",
            "in production", "production", "online", "commissioned", "working", "checked out", "assigned", "allocated"),
        .. Words(AssetEventKind.Upserted, HeldGuess, "spare", "in stock", "stock", "in storage", "stored", "in inventory", "faulty", "broken", "in repair",
            "under repair", "repair", "pending repair", "in maintenance", "under maintenance", "awaiting repair", "ready to deploy", "deployable", "undeployable",
            "available", "unassigned", "checked in", "reserved", "on loan", "loaned", "archived"),
        .. Words(AssetEventKind.Upserted, PlannedGuess, "planned", "on order", "ordered", "pending", "pending install", "pending installation", "awaiting install", "awaiting installation",
            "to be installed", "in transit"),
        .. Words(AssetEventKind.Upserted, MissingGuess, "lost", "missing", "absent", "lost stolen", "lost or stolen"),
        .. Words(AssetEventKind.Upserted, NotYetRemovedGuess, "pending disposal", "pending retirement", "pending removal", "to be removed", "awaiting removal",
            "due for removal", "awaiting disposal", "decommissioning"),
        .. Words(AssetEventKind.Upserted, InactiveGuess, "inactive", "offline", "disabled", "end of life", "eol", "disconnected", "not connected", "powered off",
            "switched off"),
        .. Words(AssetEventKind.Removed, null, "removed", "retired", "disposed", "disposed of", "decommissioned", "scrapped", "destroyed", "uninstalled",
            "written off", "recycled", "sold", "returned to supplier", "returned to vendor", "sent for disposal", "weee", "weee disposal"),
        ("stolen", AssetEventKind.Removed, "a stolen device has left the estate and cannot be on its networks"),
    ];

    private static readonly Dictionary<string, (DeviceType Type, string? Guess)> DeviceTypesByKey =
        DeviceTypeWords.ToDictionary(w => Key(w.Word), w => (w.Type, w.Guess), StringComparer.Ordinal);

    private static readonly Dictionary<string, (AssetEventKind Kind, string? Guess)> StatusesByKey =
        StatusWords.ToDictionary(w => Key(w.Word), w => (w.Kind, w.Guess), StringComparer.Ordinal);

    /// <summary>
    /// A device type from a register word; false when it is in no entry. <paramref name="guess"/> is null for the
    /// contract's names and their synonyms, else the reason the word was read as <paramref name="type"/>. A phrase
    /// that is no entry but contains entries (<c>CCTV Camera - Dome 4MP</c>) is read as their type when they all name
    /// one, with a guess saying which words were read; entries of two types (<c>DVR/NVR</c>, <c>Camera with
    /// intercom</c>) leave it unknown. <c>network</c> and the words for <c>other</c> count only as the whole word:
    /// "network" in a phrase qualifies another word (<c>network dome camera</c>), and a phrase with "monitor" or
    /// "server" in it may be surveillance equipment (<c>CCTV monitor</c>, <c>video server</c>).
    /// </summary>
    public static bool TryDeviceType(string text, out DeviceType type, out string? guess)
    {
        var key = Key(text);
        if (TryDeviceTypeWord(text, out type, out guess))
        {
            return true;
        }

        var within = Within(key, DeviceTypesByKey, w => w.Value.Type != DeviceType.Other && w.Key is not ("network" or "network device"));
        if (within.Count == 0 || within.Select(w => w.Value.Type).Distinct().Count() > 1)
        {
            return false;
        }

        type = within[0].Value.Type;
        guess = Contained(within.Select(w => (w.Key, w.Value.Guess)).ToArray());
        return true;
    }

    /// <summary>
    /// A device type from a whole entry (or its plural: "IP Cameras", "Access Points", "Switches"), never from part of a
    /// phrase; <paramref name="guess"/> as for <see cref="TryDeviceType"/>.
    /// </summary>
    public static bool TryDeviceTypeWord(string text, out DeviceType type, out string? guess)
    {
        var key = Key(text);
        var found = DeviceTypesByKey.TryGetValue(key, out var entry)
            || (key.EndsWith("es", StringComparison.Ordinal) && DeviceTypesByKey.TryGetValue(key[..^2], out entry))
            || (key.EndsWith('s') && DeviceTypesByKey.TryGetValue(key[..^1], out entry));
        (type, guess) = entry;
        return found;
    }

    /// <summary>
    /// A status from a register word; false when it is in no entry (the caller evaluates the device as in service,
    /// warned). <paramref name="guess"/> is null for the contract's words and their synonyms. A phrase that contains
    /// entries of one reading (<c>Retired - disposed</c>, <c>In use (spare)</c>) is read so, with a guess; entries
    /// of both readings (<c>Removed - pending disposal</c>) leave it unknown, and so does a phrase that would be read as
    /// removed beside a word that may deny or delay it (<c>not retired</c>, <c>to be decommissioned</c>): a removal is
    /// never guessed from part of a phrase that may say the device is still there.
    /// </summary>
    public static bool TryStatus(string text, out AssetEventKind kind, out string? guess)
    {
        var key = Key(text);
        var found = StatusesByKey.TryGetValue(key, out var entry);
        (kind, guess) = entry;
        if (found)
        {
            return true;
        }

        var within = Within(key, StatusesByKey, _ => true);
        if (within.Count == 0 || within.Select(w => w.Value.Kind).Distinct().Count() > 1
            || (within[0].Value.Kind == AssetEventKind.Removed && key.Split(' ').Any(DelayOrDenial.Contains)))
        {
            return false;
        }

        kind = within[0].Value.Kind;
        guess = Contained(within.Select(w => (w.Key, w.Value.Guess)).ToArray());
        return true;
    }

    private static readonly HashSet<string> DelayOrDenial = new(StringComparer.Ordinal)
    {
        "not", "non", "never", "no", "pending", "awaiting", "to", "due", "planned", "being", "un", "partly", "partially", "soon", "scheduled", "until", "before", "after", "except",
    };

    /// <summary>The entries whose words stand in <paramref name="key"/> as whole words, longest first.</summary>
    private static List<KeyValuePair<string, TValue>> Within<TValue>(string key, Dictionary<string, TValue> entries, Func<KeyValuePair<string, TValue>, bool> eligible)
    {
        var padded = $" {key} ";
        return entries.Where(e => eligible(e) && padded.Contains($" {e.Key} ", StringComparison.Ordinal)).OrderByDescending(e => e.Key.Length).ToList();
    }

    /// <summary>The warning for a phrase read by the entries it contains: which words were read, and the first guess's reason.</summary>
    private static string Contained((string Word, string? Guess)[] within) =>
        $"the words '{string.Join("', '", within.Select(w => w.Word))}' are read, the rest ignored"
        + (within.FirstOrDefault(w => w.Guess is not null).Guess is { } reason ? $"; {reason}" : "");

    /// <summary>Lower case, with every run of characters that are not letters or digits as one space: "IP-Camera (PoE)" is "ip camera poe".</summary>
    public static string Key(string text)
    {
        // Runs for several cells of every row: built in place, and the text itself returned when it is already a key.
        // A key is never longer than its text (each space stands for at least one character that is not a letter or digit).
        Span<char> key = text.Length <= 256 ? stackalloc char[text.Length] : new char[text.Length];
        var length = 0;
        var inWord = false;
        foreach (var c in text)
        {
            if (char.IsLetterOrDigit(c))
            {
                if (!inWord && length > 0) key[length++] = ' ';
                key[length++] = char.ToLowerInvariant(c);
                inWord = true;
            }
            else
            {
                inWord = false;
            }
        }

        return key[..length].SequenceEqual(text) ? text : new string(key[..length]);
    }

    private static IEnumerable<(string, DeviceType, string?)> Cameras(params string[] words) => words.Select(w => (w, DeviceType.Camera, (string?)null));

    private static IEnumerable<(string, DeviceType, string?)> Others(params string[] words) => words.Select(w => (w, DeviceType.Other, (string?)null));

    private static IEnumerable<(string, AssetEventKind, string?)> Words(AssetEventKind kind, string? guess, params string[] words) => words.Select(w => (w, kind, guess));
}
