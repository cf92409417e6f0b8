using System.Text.Json;

namespace AssetCompliance.Core.Catalogue;

/// <summary>What a registrant in catalogue/registrants.json makes for other makers' devices.</summary>
public enum RegistrantRole
{
    /// <summary>Designs the SoC or network controller (Espressif, Realtek, Ingenic).</summary>
    ChipMaker,

    /// <summary>Builds radio modules from others' chips (Quectel, FN-LINK, AMPAK).</summary>
    ModuleMaker,
}

/// <summary>
/// An IEEE registrant whose blocks end up in other makers' devices, from catalogue/registrants.json. A MAC from one
/// of its <see cref="Organisations"/> says who made the radio or the SoC, not who made the camera.
/// </summary>
/// <param name="Key">Stable id (<c>espressif</c>).</param>
/// <param name="Name">Display name.</param>
/// <param name="Role">Chip or module maker.</param>
/// <param name="Headquarters">ISO 3166-1 alpha-2 of the company's headquarters (the registry's address may differ).</param>
/// <param name="Organisations">Registered organisation names exactly as in catalogue/oui.tsv.</param>
/// <param name="Sources">Where the role is stated.</param>
public sealed record Registrant(string Key, string Name, RegistrantRole Role, string Headquarters, IReadOnlyList<string> Organisations, IReadOnlyList<CatalogueSource> Sources);

/// <summary>The chip and module makers among IEEE registrants (catalogue/registrants.json), indexed by organisation name.</summary>
public sealed class RegistrantCatalogue
{
    private static readonly Lazy<RegistrantCatalogue> Embedded = new(() =>
        Load(VendorCatalogue.ReadResource(typeof(RegistrantCatalogue).Assembly, "AssetCompliance.catalogue.registrants.json")));

    private RegistrantCatalogue(IReadOnlyList<Registrant> registrants, Dictionary<string, Registrant> byOrganisation, byte[] content)
    {
        Registrants = registrants;
        ByOrganisation = byOrganisation;
        Content = content;
    }

    /// <summary>The file built into this assembly.</summary>
    public static RegistrantCatalogue Default => Embedded.Value;

    /// <summary>An empty list (no registrant is weighed as a chip or module maker).</summary>
    public static RegistrantCatalogue Empty { get; } = new([], new(StringComparer.Ordinal), []);

    /// <summary>Every listed registrant, in file order.</summary>
    public IReadOnlyList<Registrant> Registrants { get; }

    /// <summary>Registrant by exact registered organisation name.</summary>
    internal Dictionary<string, Registrant> ByOrganisation { get; }

    /// <summary>The file's bytes, part of the catalogue's content version.</summary>
    internal byte[] Content { get; }

    /// <summary>Parses and validates registrants.json: unique keys and organisations, known roles, sources defined.</summary>
    /// <exception cref="InvalidDataException">The file breaks one of those rules; the message names the entry.</exception>
    public static RegistrantCatalogue Load(ReadOnlySpan<byte> json)
    {
        var content = json.ToArray();
        using var document = JsonDocument.Parse(content);
        var root = document.RootElement;
        var sources = new Dictionary<string, CatalogueSource>(StringComparer.Ordinal);
        foreach (var s in root.GetProperty("sources").EnumerateObject())
        {
            sources[s.Name] = new CatalogueSource(s.Name, Text(s.Value, "title"), Text(s.Value, "url"), Text(s.Value, "date"));
        }

        var list = new List<Registrant>();
        var byOrganisation = new Dictionary<string, Registrant>(StringComparer.Ordinal);
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in root.GetProperty("registrants").EnumerateArray())
        {
            var key = Text(item, "key");
            if (!keys.Add(key))
            {
                throw new InvalidDataException($"registrants.json: key '{key}' appears twice");
            }

            var role = Text(item, "role") switch
            {
                "chip-maker" => RegistrantRole.ChipMaker,
                "module-maker" => RegistrantRole.ModuleMaker,
                var other => throw new InvalidDataException($"registrants.json: '{key}' has unknown role '{other}'"),
            };
            var cited = item.GetProperty("sources").EnumerateArray().Select(e => e.GetString() ?? "").ToArray();
            if (cited.Length == 0)
            {
                throw new InvalidDataException($"registrants.json: '{key}' cites no source");
            }

            var registrant = new Registrant(key, Text(item, "name"), role, Text(item, "headquarters"),
                item.GetProperty("organisations").EnumerateArray().Select(e => e.GetString() ?? "").ToArray(),
                cited.Select(id => sources.GetValueOrDefault(id) ?? throw new InvalidDataException($"registrants.json: '{key}' cites source '{id}', which is not in 'sources'")).ToArray());
            foreach (var organisation in registrant.Organisations)
            {
                if (!byOrganisation.TryAdd(organisation, registrant))
                {
                    throw new InvalidDataException($"registrants.json: organisation '{organisation}' is listed under both '{byOrganisation[organisation].Key}' and '{key}'");
                }
            }

            list.Add(registrant);
        }

        return new RegistrantCatalogue(list, byOrganisation, content);

        static string Text(JsonElement element, string name) =>
            element.TryGetProperty(name, out var value) && value.GetString() is { Length: > 0 } text
                ? text
                : throw new InvalidDataException($"registrants.json: '{name}' is required");
    }
}
