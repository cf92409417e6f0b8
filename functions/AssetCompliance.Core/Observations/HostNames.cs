using System.Net;

namespace AssetCompliance.Core.Observations;

/// <summary>
/// The one rule by which an observed host name names a register entry (docs/reconcile.md "Matching"), used by the
/// offline <see cref="Reconciler"/> and the pipeline's <c>Processing.ObservationMatcher</c> alike: the asset id equals
/// the host name or its first label, ignoring case (DNS names are case-insensitive; registers write ids in upper
/// case, scanners report names in lower case), after one trailing dot (the DNS root of a fully qualified name,
/// <c>cam-1.ho.internal.</c>) is removed. A host name that is an IP address literal (a scanner's fallback when PTR
/// has nothing) names no entry by its first label: <c>10.20.1.15</c> is not asset <c>10</c>.
/// </summary>
public static class HostNames
{
    /// <summary>
    /// The names <paramref name="hostname"/> may name an entry by, most specific first: the whole name (without its
    /// trailing dot) and, when different, its first label; none for a blank name.
    /// </summary>
    public static IReadOnlyList<string> Candidates(string hostname)
    {
        var name = Name(hostname);
        if (name.Length == 0) return [];
        var dot = name.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || IsAddress(name)) return [name];
        return [name, name[..dot]];
    }

    /// <summary>A host name as compared: trimmed, without one trailing dot (the DNS root); empty for a blank name.</summary>
    public static string Name(string hostname)
    {
        var name = hostname.Trim();
        return name.EndsWith('.') ? name[..^1] : name;
    }

    /// <summary>Whether a name (<see cref="Name"/>) is an IP address literal, which names an entry only whole, never by a first label.</summary>
    public static bool IsAddress(string name) =>
        // Every literal IPAddress reads starts with a digit (IPv4) or holds a colon (IPv6): other names skip the parse.
        name.Length > 0 && (char.IsAsciiDigit(name[0]) || name.Contains(':')) && IPAddress.TryParse(name, out _);

    /// <summary>
    /// How a candidate and an asset id are compared: upper case (invariant), ordinal. <see cref="Reconciler"/> keys its
    /// index with <see cref="StringComparer.OrdinalIgnoreCase"/>, which compares the same; the pipeline stores this
    /// key of each registered record's asset id in a column and queries it.
    /// </summary>
    public static string Key(string name) => name.ToUpperInvariant();

    /// <summary>The keys of <paramref name="hostname"/>'s <see cref="Candidates"/>.</summary>
    public static IEnumerable<string> Keys(string hostname) => Candidates(hostname).Select(Key);
}
