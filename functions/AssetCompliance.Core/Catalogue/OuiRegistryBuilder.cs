using System.Globalization;
using System.Text;
using System.Text.Json;

namespace AssetCompliance.Core.Catalogue;

/// <summary>
/// Builds catalogue/oui.tsv from the IEEE registry as the npm package <c>oui-data</c> publishes it (a JSON object
/// of prefix → "Organisation\nAddress...\nCountry"). Every assignment is kept, so that a MAC outside the catalogue
/// can still report who registered it; the catalogue's anchored organisation patterns attribute blocks to vendors.
/// </summary>
public static class OuiRegistryBuilder
{
    public static string Build(Stream ouiDataJson, VendorCatalogue catalogue, string registryDate, string source)
    {
        using var document = JsonDocument.Parse(ouiDataJson);
        var rows = new List<(string Prefix, string Organisation, string? Vendor)>();
        foreach (var property in document.RootElement.EnumerateObject())
        {
            var prefix = property.Name.ToUpperInvariant();
            if (prefix.Length is not (6 or 7 or 9) || !prefix.All(Uri.IsHexDigit))
            {
                throw new InvalidDataException($"registry prefix '{property.Name}' is not 6, 7 or 9 hex digits");
            }

            var text = property.Value.GetString() ?? string.Empty;
            var organisation = text.Split('\n', 2)[0].Trim().Replace('\t', ' ');
            if (organisation.Length == 0)
            {
                continue;
            }

            var vendor = catalogue.OrganisationPatterns.FirstOrDefault(p => p.Regex.IsMatch(organisation))?.Vendor.Key;
            rows.Add((prefix, organisation, vendor));
        }

        rows.Sort((a, b) => string.CompareOrdinal(a.Prefix, b.Prefix));
        var output = new StringBuilder(rows.Count * 48);
        output.Append("# IEEE MAC address registry (MA-L, MA-M, MA-S) for the asset compliance pipeline. Generated: do not edit.\n");
        output.Append("# Regenerate with: dotnet run --project tools/AssetCompliance.Cli -- catalogue oui\n");
        output.Append(CultureInfo.InvariantCulture, $"# registry-date: {registryDate}\n");
        output.Append(CultureInfo.InvariantCulture, $"# source: {source}\n");
        output.Append("# columns: prefix<TAB>registered organisation<TAB>catalogue vendor key (empty when not in the catalogue)\n");
        foreach (var (prefix, organisation, vendor) in rows)
        {
            output.Append(prefix).Append('\t').Append(organisation).Append('\t').Append(vendor).Append('\n');
        }

        return output.ToString();
    }
}
