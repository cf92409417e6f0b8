using System.Text.RegularExpressions;

namespace AssetCompliance.Core.Registers;

/// <summary>
/// Column names as a header is read: which columns a profile's name matches (<see cref="Matching"/>), custom-field
/// prefixes (<see cref="CustomFieldName"/>), a spreadsheet's formula escape (<see cref="Unescape"/>), and names
/// shortened and listed for messages.
/// </summary>
internal static partial class HeaderNames
{
    /// <summary>The field indexes whose key is <paramref name="name"/>'s, or starts with it for a name ending in '*'.</summary>
    public static IEnumerable<int> Matching(string[] keys, string name)
    {
        var prefix = name.EndsWith('*');
        var key = RegisterColumns.Key(name);
        for (var i = 0; i < keys.Length; i++)
        {
            if (keys[i].Length > 0 && (prefix ? keys[i].StartsWith(key, StringComparison.Ordinal) : keys[i] == key))
            {
                yield return i;
            }
        }
    }

    /// <summary>
    /// A custom field's column name without the prefix its system adds: NetBox's "All data" export names custom fields
    /// <c>cf_site_sensitive</c>, ServiceNow's are <c>u_site_sensitive</c>, Snipe-IT's database columns
    /// <c>_snipeit_site_sensitive_3</c>.
    /// </summary>
    public static string CustomFieldName(string name) => CustomField().Match(name) is { Success: true } match ? match.Groups["name"].Value : name;

    [GeneratedRegex(@"^(?:cf_|u_|_snipeit_)(?<name>.+?)(?:_\d+)?$")]
    private static partial Regex CustomField();

    /// <summary>"a, b and c", for messages.</summary>
    public static string Listed(string[] items) => items.Length <= 1 ? string.Concat(items) : $"{string.Join(", ", items[..^1])} and {items[^1]}";

    /// <summary>A name cut to 40 characters for messages: a header cell may be a whole paragraph.</summary>
    public static string Shorten(string text) => text.Length <= 40 ? text : text[..39] + "…";

    /// <summary>A cell without the backtick a spreadsheet export puts before a leading = + - @ to stop it running as a formula.</summary>
    public static string Unescape(string text) => text.Length > 1 && text[0] == '`' && text[1] is '=' or '+' or '-' or '@' ? text[1..] : text;
}
