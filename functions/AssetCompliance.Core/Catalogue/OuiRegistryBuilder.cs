using System.Globalization;
using System.Text;
using System.Text.Json;

namespace AssetCompliance.Core.Catalogue;

/// <summary>
/// Builds catalogue/oui.tsv from the IEEE registry as the npm package <c>oui-data</c> publishes it (a JSON object
/// of prefix → "Organisation\nAddress...\nCountry"). Every assignment is kept, so that a MAC outside the catalogue
/// can still report who registered it; the catalogue's anchored organisation patterns attribute blocks to vendors, and
/// the entry's last line gives the registrant's country (<see cref="RegistrantCountries"/>).
/// </summary>
public static class OuiRegistryBuilder
{
    /// <summary>The TSV text of catalogue/oui.tsv (see <see cref="BuildWithCounts"/>).</summary>
    public static string Build(Stream ouiDataJson, VendorCatalogue catalogue, string registryDate, string source) =>
        BuildWithCounts(ouiDataJson, catalogue, registryDate, source).Tsv;

    /// <summary>
    /// The TSV text, with how many blocks it has and how many of them have no country: registered as "Private", or
    /// with a last line that names no country <see cref="RegistrantCountries"/> knows (left empty, never guessed).
    /// </summary>
    public static OuiBuild BuildWithCounts(Stream ouiDataJson, VendorCatalogue catalogue, string registryDate, string source)
    {
        using var document = JsonDocument.Parse(ouiDataJson);
        var rows = new List<(string Prefix, string Organisation, string? Vendor, string Country)>();
        int privateCount = 0, unmapped = 0;
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
            var country = RegistrantCountries.FromEntry(text);
            if (country.Length == 0)
            {
                if (text.TrimEnd().EndsWith('\n' + RegistrantCountries.PrivateLine, StringComparison.Ordinal) || text.Trim() == RegistrantCountries.PrivateLine)
                {
                    privateCount++;
                }
                else
                {
                    unmapped++;
                }
            }

            rows.Add((prefix, organisation, vendor, country));
        }

        rows.Sort((a, b) => string.CompareOrdinal(a.Prefix, b.Prefix));
        var output = new StringBuilder(rows.Count * 48);
        output.Append("# IEEE MAC address registry (MA-L, MA-M, MA-S) for the asset compliance pipeline. Generated: do not edit.\n");
        output.Append("# Regenerate with: dotnet run --project tools/AssetCompliance.Cli -- catalogue oui\n");
        output.Append(CultureInfo.InvariantCulture, $"# registry-date: {registryDate}\n");
        output.Append(CultureInfo.InvariantCulture, $"# source: {source}\n");
        output.Append("# columns: prefix<TAB>registered organisation<TAB>catalogue vendor key (empty when not in the catalogue)<TAB>registrant country, ISO 3166-1 alpha-2 (empty when the registry gives none that maps)\n");
        foreach (var (prefix, organisation, vendor, country) in rows)
        {
            output.Append(prefix).Append('\t').Append(organisation).Append('\t').Append(vendor).Append('\t').Append(country).Append('\n');
        }

        return new OuiBuild(output.ToString(), rows.Count, privateCount, unmapped);
    }
}

/// <summary>What <see cref="OuiRegistryBuilder.BuildWithCounts"/> produced.</summary>
/// <param name="Tsv">The text of catalogue/oui.tsv.</param>
/// <param name="Blocks">How many MA-L, MA-M and MA-S blocks it lists.</param>
/// <param name="PrivateBlocks">Blocks registered as "Private" (no address published): no country.</param>
/// <param name="UnmappedCountries">Other blocks whose country line maps to no ISO code: no country.</param>
public sealed record OuiBuild(string Tsv, int Blocks, int PrivateBlocks, int UnmappedCountries);
