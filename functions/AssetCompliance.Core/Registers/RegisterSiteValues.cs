using AssetCompliance.Core.Events;

namespace AssetCompliance.Core.Registers;

/// <summary>
/// Where a device is, as registers spell it: a site's sensitivity (<see cref="ReadSensitivity"/>) and a network
/// segment (<see cref="ReadSegment"/>). A word that is not certain is unknown, never the reading that relaxes a verdict.
/// </summary>
internal static class RegisterSiteValues
{
    /// <summary>
    /// A sensitivity as registers spell it: true/yes/y/1/sensitive and false/no/n/0/not sensitive/non-sensitive, in any
    /// case, punctuation ignored (<c>Yes.</c>, <c>Non-Sensitive</c>, <c>Yes - sensitive</c>), and Excel's ticks (✓/✔ true, ✗/✘ false); <paramref name="problem"/>
    /// is then null. A level word that can only mean sensitive (High, high sensitivity) is read as true with
    /// <paramref name="problem"/> saying so: reading it as sensitive is the stricter reading. Anything else is unknown
    /// (null), with the reason: no word is ever read as false unless it says not sensitive, so a lower level (Low,
    /// Medium) is unknown rather than a guess that would relax the verdict; and a government security classification
    /// (OFFICIAL-SENSITIVE, SECRET) marks information, not whether a site is sensitive, so it is not guessed at.
    /// </summary>
    internal static bool? ReadSensitivity(string text, out string? problem)
    {
        problem = null;
        // Ticks are not letters, so they are matched before the words are keyed.
        var words = text.Trim() is "\u2713" or "\u2714" or "\u2611" ? "true" : text.Trim() is "\u2717" or "\u2718" or "\u2612" ? "false" : RegisterValues.Key(text);
        switch (words)
        {
            case "true" or "yes" or "y" or "1" or "sensitive" or "sensitive site" or "yes sensitive" or "y sensitive":
                return true;
            case "false" or "no" or "n" or "0" or "not sensitive" or "non sensitive" or "nonsensitive" or "not sensitive site" or "non sensitive site"
                or "no not sensitive" or "n not sensitive":
                return false;
            case "high" or "high sensitivity" or "highly sensitive" or "very sensitive":
                problem = "read as true (sensitive): a high sensitivity level, read as a sensitive site";
                return true;
        }

        problem = words switch
        {
            "official" or "official sensitive" or "secret" or "top secret" =>
                "is a government security classification, which marks information, not whether the site is sensitive; the site's sensitivity is unknown",
            "low" or "medium" or "moderate" or "low sensitivity" or "medium sensitivity" or "none" or "n a" or "na" or "unknown" or "not known" or "tbc" or "tbd" =>
                "is not clearly yes or no: check reads only a stated 'not sensitive' as not sensitive, so the site's sensitivity is unknown",
            _ => "is not true, false, yes, no, y, n, 1, 0, sensitive, not sensitive or empty; the site's sensitivity is unknown",
        };
        return null;
    }

    /// <summary>A network segment as registers spell it: the contract's names in any case, "stand-alone", and "… network".</summary>
    internal static bool ReadSegment(string text, out NetworkSegment segment)
    {
        var words = Words(text);
        if (words.EndsWith(" network", StringComparison.Ordinal))
        {
            words = words[..^" network".Length];
        }

        return NetworkSegments.TryParse(words is "stand alone" ? "standalone" : words, out segment);
    }

    /// <summary>Lower case, with runs of '-', '_' and white space as one space: "Non-Sensitive" and "non_sensitive" read alike.</summary>
    /// <remarks>
    /// Narrower than <see cref="RegisterValues.Key"/> on purpose: other punctuation stays, so a cell holding a list
    /// (a NetBox custom field <c>["core"]</c>, kept as its JSON text) is no segment, never read as its one member.
    /// </remarks>
    // A static array: a collection expression here builds the array (and a field handle stub) on every call.
    private static readonly char[] WordSeparators = ['-', '_', ' ', '\t'];

    private static string Words(string text) =>
        string.Join(' ', text.ToLowerInvariant().Split(WordSeparators, StringSplitOptions.RemoveEmptyEntries));
}
