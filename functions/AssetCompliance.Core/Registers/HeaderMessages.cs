using System.Text;

namespace AssetCompliance.Core.Registers;

/// <summary>
/// What a header's reading says in words: the refusal of a header that cannot be read, with every problem and the
/// names found (<see cref="Refusal"/>), and, once for the file, what a field with no column means for every row
/// (<see cref="MissingNote"/>).
/// </summary>
internal static class HeaderMessages
{
    /// <summary>How many of a refused header's names the refusal lists.</summary>
    private const int NamesShown = 40;

    /// <summary>What a field without a column means for every row, in one sentence, or null when nothing is lost.</summary>
    public static string? MissingNote(string field, RegisterProfile profile, HeaderContext context, bool joined)
    {
        var none = $"no column is read as {field}";
        return field switch
        {
            "department" when context.Options.Department is { } d => $"{none}: every row is department '{d}', as given (--department, or the mapping file)",
            "department" => $"{none}: rows have no department (check does not need one; push takes its --department)",
            "mac_address" when joined => null,
            "mac_address" => $"{none}: there is no MAC evidence{(profile == RegisterProfiles.NetBox ? " (NetBox keeps MACs on interfaces: give --interfaces with an interface export)" : "")}",
            "manufacturer" or "model" => $"{none}: there is no {field} evidence; makers are identified from the other columns",
            "device_type" => $"{none}: every device's type is unknown, so no verdict is Compliant or Advisory (NeedsReview instead); map a column with --map \"Column=device_type\"",
            "site_sensitive" => $"{none}: whether a site is sensitive is unknown for every device, never taken as not sensitive: a PRC-law maker's surveillance device is NeedsReview unless another column decides; map a column with --map \"Column=site_sensitive\"",
            "network_segment" => $"{none}: every device's network is unknown, never taken as not the core network",
            "installed_on" => $"{none}: install dates are unknown (a PRC-law device on a sensitive site is High, and is Critical if installed after the instruction)",
            "status" => $"{none}: every device is read as in service",
            "site_id" => $"{none}: sites are read by name, without an id",
            "site_name" => $"{none}: sites have no name",
            "serial_number" => $"{none}: serial numbers are not reported",
            _ => null,
        };
    }

    /// <summary>The refusal of a header: its problems, the names it has, and what was expected.</summary>
    public static string Refusal(IReadOnlyList<string> fields, string[] names, List<string> problems, RegisterProfile? profile)
    {
        var found = new StringBuilder();
        for (var i = 0; i < Math.Min(fields.Count, NamesShown); i++)
        {
            found.Append(i == 0 ? "" : ", ").Append(names[i].Length == 0 ? "(blank)" : HeaderNames.Shorten(fields[i].Trim()));
        }

        if (fields.Count > NamesShown)
        {
            found.Append($", and {fields.Count - NamesShown} more");
        }

        return $"the header does not match the documented columns{(profile is null || profile == RegisterProfiles.Spreadsheet ? "" : $", read as {profile.Title}")}: {string.Join("; ", problems)}. Found {fields.Count} column{(fields.Count == 1 ? "" : "s")}: {found}. "
            + $"Expected: an asset id column and the documented fields {string.Join(",", RegisterReader.CsvHeader)} that the file has (any order, in any case, with spaces, '_' or '-', or a usual other name such as 'Asset Tag', 'Serial No.' or 'MAC Address', listed in the README; other columns are ignored), "
            + $"or an export of one of the profiles {string.Join(", ", RegisterProfiles.Names)} (--profile NAME; --map \"Column=field\" reads a column as a field)";
    }

}
