namespace AssetCompliance.Core.Catalogue;

/// <summary>
/// Maps the country line of an IEEE registry entry (the last line of each <c>oui-data</c> value, in CLDR English
/// short names: "China", "Hong Kong SAR China", "Türkiye") to an ISO 3166-1 alpha-2 code. A last line that is an
/// address without a country ("New Taipei Taiwan 235", "ShenZhen GuangDong 518100") is mapped only by a place name
/// that belongs to one country alone; anything else is left unmapped (empty), never guessed.
/// </summary>
public static class RegistrantCountries
{
    /// <summary>Registrants the registry lists as "Private": the IEEE publishes no address for them.</summary>
    public const string PrivateLine = "Private";

    private static readonly Dictionary<string, string> ByName = new(StringComparer.OrdinalIgnoreCase)
    {
        ["United States"] = "US", ["China"] = "CN", ["South Korea"] = "KR", ["Taiwan"] = "TW", ["Germany"] = "DE",
        ["Japan"] = "JP", ["United Kingdom"] = "GB", ["France"] = "FR", ["Canada"] = "CA", ["Italy"] = "IT",
        ["Malaysia"] = "MY", ["India"] = "IN", ["Hong Kong SAR China"] = "HK", ["Israel"] = "IL", ["Switzerland"] = "CH",
        ["Sweden"] = "SE", ["Russia"] = "RU", ["Australia"] = "AU", ["Netherlands"] = "NL", ["Denmark"] = "DK",
        ["Finland"] = "FI", ["Spain"] = "ES", ["Brazil"] = "BR", ["Singapore"] = "SG", ["British Virgin Islands"] = "VG",
        ["Austria"] = "AT", ["Poland"] = "PL", ["Belgium"] = "BE", ["Norway"] = "NO", ["Czechia"] = "CZ",
        ["Türkiye"] = "TR", ["Hungary"] = "HU", ["South Africa"] = "ZA", ["New Zealand"] = "NZ", ["Vietnam"] = "VN",
        ["Thailand"] = "TH", ["Ireland"] = "IE", ["United Arab Emirates"] = "AE", ["Mexico"] = "MX", ["Bulgaria"] = "BG",
        ["Slovenia"] = "SI", ["Portugal"] = "PT", ["Slovakia"] = "SK", ["Latvia"] = "LV", ["Greece"] = "GR",
        ["Indonesia"] = "ID", ["Lithuania"] = "LT", ["Romania"] = "RO", ["Croatia"] = "HR", ["Philippines"] = "PH",
        ["Estonia"] = "EE", ["Kazakhstan"] = "KZ", ["Argentina"] = "AR", ["Iran"] = "IR", ["Luxembourg"] = "LU",
        ["Ukraine"] = "UA", ["Saudi Arabia"] = "SA", ["Liechtenstein"] = "LI", ["Serbia"] = "RS", ["Cayman Islands"] = "KY",
        ["Malta"] = "MT", ["Egypt"] = "EG", ["Cyprus"] = "CY", ["Jordan"] = "JO", ["Colombia"] = "CO", ["Pakistan"] = "PK",
        ["Iceland"] = "IS", ["North Korea"] = "KP", ["Tajikistan"] = "TJ", ["Belarus"] = "BY", ["Chile"] = "CL",
        ["Moldova"] = "MD", ["Morocco"] = "MA", ["Bahrain"] = "BH", ["Dominican Republic"] = "DO", ["Bangladesh"] = "BD",
        ["Tunisia"] = "TN", ["Costa Rica"] = "CR", ["Kuwait"] = "KW", ["Bahamas"] = "BS", ["Peru"] = "PE",
        ["Georgia"] = "GE", ["Qatar"] = "QA", ["North Macedonia"] = "MK", ["Bosnia & Herzegovina"] = "BA",
        ["Nigeria"] = "NG", ["Uruguay"] = "UY", ["Oman"] = "OM", ["Comoros"] = "KM", ["Lebanon"] = "LB",
        ["Algeria"] = "DZ", ["Vanuatu"] = "VU", ["Venezuela"] = "VE", ["U.S. Virgin Islands"] = "VI", ["Monaco"] = "MC",
        ["Eswatini"] = "SZ", ["Myanmar (Burma)"] = "MM", ["Mauritius"] = "MU", ["Bolivia"] = "BO", ["Andorra"] = "AD",
        ["Brunei"] = "BN", ["Panama"] = "PA", ["Montenegro"] = "ME", ["Armenia"] = "AM", ["Seychelles"] = "SC",
        ["Samoa"] = "WS", ["Cambodia"] = "KH", ["Kenya"] = "KE", ["Iraq"] = "IQ", ["Puerto Rico"] = "PR",
        ["Sri Lanka"] = "LK", ["Macao SAR China"] = "MO", ["Sudan"] = "SD",
    };

    // Whole words of an address line that name one country's place: used only when the line is not a country name.
    private static readonly (string Word, string Code)[] PlaceWords =
    [
        ("Taiwan", "TW"), ("Taipei", "TW"),
        ("Shenzhen", "CN"), ("Guangdong", "CN"), ("Shanghai", "CN"), ("Beijing", "CN"), ("Hangzhou", "CN"),
        ("Zhejiang", "CN"), ("Xiamen", "CN"), ("Fujian", "CN"), ("Zhuhai", "CN"), ("Dongguan", "CN"),
        ("Italy", "IT"), ("Canada", "CA"), ("Japan", "JP"), ("Germany", "DE"), ("Slovakia", "SK"), ("Singapore", "SG"),
    ];

    /// <summary>
    /// The ISO 3166-1 alpha-2 code for a registry entry's text (organisation, address lines, country), or empty when
    /// the entry has no address (one line, or "Private") or its last line names no country this table knows.
    /// </summary>
    public static string FromEntry(string entry)
    {
        var lines = entry.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length < 2)
        {
            return string.Empty;
        }

        return FromLine(lines[^1]);
    }

    /// <summary>The code for one country line (see <see cref="FromEntry"/>); empty when unmapped.</summary>
    public static string FromLine(string line)
    {
        if (ByName.TryGetValue(line, out var code))
        {
            return code;
        }

        var words = line.Replace(",", " ", StringComparison.Ordinal).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        foreach (var (word, placeCode) in PlaceWords)
        {
            if (words.Any(w => w.Equals(word, StringComparison.OrdinalIgnoreCase)))
            {
                return placeCode;
            }
        }

        return string.Empty;
    }
}
