using System.CommandLine;
using AssetCompliance.Core.Catalogue;

namespace AssetCompliance.Cli;

/// <summary><c>compliance catalogue ...</c>: maintenance of the data in catalogue/.</summary>
internal static class CatalogueCommands
{
    public static Command Create()
    {
        var registry = new Option<string?>("--registry") { Description = "Path to oui-data's index.json. Default: tools/oui-data/node_modules/oui-data/index.json (installed with npm ci)." };
        var date = new Option<string>("--registry-date") { Description = "The registry snapshot's date (YYYY-MM-DD).", Required = true };
        var output = new Option<string?>("--output") { Description = "Where to write. Default: catalogue/oui.tsv." };
        var oui = new Command("oui", "Regenerate catalogue/oui.tsv from the IEEE registry (npm package oui-data), attributing blocks to vendors with the catalogue's organisation patterns.")
        {
            registry, date, output,
        };
        oui.SetAction(async (parse, cancellationToken) =>
        {
            var root = RepositoryRoot.Find();
            var registryPath = parse.GetValue(registry) ?? Path.Combine(root, "tools", "oui-data", "node_modules", "oui-data", "index.json");
            if (!File.Exists(registryPath))
            {
                Console.Error.WriteLine($"error: registry '{registryPath}' not found. Run 'npm ci' in tools/oui-data first, or pass --registry.");
                return 1;
            }

            var vendorsJson = await File.ReadAllBytesAsync(Path.Combine(root, "catalogue", "vendors.json"), cancellationToken);
            var catalogue = VendorCatalogue.Load(vendorsJson, string.Empty);
            var packageVersion = ReadPackageVersion(Path.Combine(Path.GetDirectoryName(registryPath)!, "package.json"));
            await using var input = File.OpenRead(registryPath);
            var built = OuiRegistryBuilder.BuildWithCounts(input, catalogue, parse.GetValue(date)!, $"IEEE MA-L/MA-M/MA-S registry via npm oui-data {packageVersion}");
            var target = parse.GetValue(output) ?? Path.Combine(root, "catalogue", "oui.tsv");
            await File.WriteAllTextAsync(target, built.Tsv, cancellationToken);
            var rows = built.Tsv.Split('\n').Where(l => l.Length > 0 && l[0] != '#').Select(l => l.Split('\t')).ToArray();
            var attributed = rows.Count(c => c.Length > 2 && c[2].Length > 0);
            var mainland = rows.Count(c => c.Length > 3 && c[3] == "CN");
            Console.WriteLine($"Wrote {target}: {built.Blocks} assignments, {attributed} attributed to catalogue vendors, {mainland} registered in mainland China; " +
                $"no country for {built.PrivateBlocks} 'Private' and {built.UnmappedCountries} unmapped.");
            return 0;
        });

        return new Command("catalogue", "Maintain the vendor catalogue data.") { oui };
    }

    private static string ReadPackageVersion(string packageJson)
    {
        if (!File.Exists(packageJson))
        {
            return "(unknown version)";
        }

        using var document = System.Text.Json.JsonDocument.Parse(File.ReadAllText(packageJson));
        return document.RootElement.TryGetProperty("version", out var version) ? version.GetString() ?? "?" : "?";
    }
}
