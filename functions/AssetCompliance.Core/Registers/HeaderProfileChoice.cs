namespace AssetCompliance.Core.Registers;

/// <summary>
/// Which profile a header is read as: the one chosen (<c>--profile</c>, a mapping file), refused when the header
/// lacks a column it is detected by; else the profile whose detecting columns are all present and that names the
/// most of the header's columns, refused when two score the same; else the spreadsheet profile.
/// </summary>
internal static class HeaderProfileChoice
{
    /// <summary>
    /// The profile for a header whose column keys are <paramref name="keys"/>, or null with the reason added to
    /// <paramref name="problems"/>; <paramref name="how"/> says what chose it ("detected", "--profile", a file's name).
    /// </summary>
    public static RegisterProfile? Choose(string[] keys, RegisterReadOptions options, List<string> problems, out string how)
    {
        how = "detected";
        if (options.Profile is { } name)
        {
            how = options.ProfileSource ?? "--profile";
            if (RegisterProfiles.Find(name) is not { } chosen)
            {
                problems.Add($"{how} '{name}' is not a profile (one of {string.Join(", ", RegisterProfiles.Names)})");
                return null;
            }

            var lacking = chosen.Detect.Where(group => !group.Any(n => HeaderNames.Matching(keys, n).Any())).ToArray();
            if (lacking.Length > 0)
            {
                problems.Add($"it does not fit {chosen.Title} ({how} {chosen.Name}): it has no column named {string.Join("; none named ", lacking.Select(g => string.Join(" or ", g.Select(n => $"'{n}'"))))}");
                return null;
            }

            return chosen;
        }

        var fitting = RegisterProfiles.All.Where(p => p.Detect.Count > 0 && p.Detect.All(group => group.Any(n => HeaderNames.Matching(keys, n).Any())))
            .Select(p => (Profile: p, Score: p.Columns.Values.SelectMany(c => c).SelectMany(c => HeaderNames.Matching(keys, c)).Distinct().Count()))
            .OrderByDescending(x => x.Score).ToArray();
        if (fitting.Length == 0)
        {
            return RegisterProfiles.Spreadsheet;
        }

        if (fitting.Length > 1 && fitting[1].Score == fitting[0].Score)
        {
            problems.Add($"the header fits both {fitting[0].Profile.Title} and {fitting[1].Profile.Title} equally, and check does not guess: give --profile {fitting[0].Profile.Name} or --profile {fitting[1].Profile.Name}");
            return null;
        }

        return fitting[0].Profile;
    }
}
