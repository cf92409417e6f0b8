using AssetCompliance.Core.Events;

namespace AssetCompliance.Core.Registers;

/// <summary>The warnings a register row gets from the rows before it, CSV, sheet or JSON Lines alike (see <see cref="Add"/>).</summary>
internal static class CrossRowWarnings
{
    /// <summary>
    /// Warnings that need more than one row: an asset id met before (push sends one event per asset and refuses the
    /// later rows), and a department code written as an earlier one but for the case (push refuses one spelling: codes
    /// are matched exactly). The first 1,000 department codes are kept; asset ids are kept
    /// as 64-bit hashes, 24 bytes or so per device, so memory stays small; a hash collision could only add a warning.
    /// </summary>
    /// <remarks>
    /// In a file of <paramref name="events"/>, an asset met again is not a warning: several revisions of one device
    /// are what an event log holds (check reports each device at its last revision: <see cref="LatestRevisions{T}"/>).
    /// </remarks>
    public static IEnumerable<RegisterRow> Add(IEnumerable<RegisterRow> rows, bool events = false)
    {
        var seen = new Dictionary<ulong, int>();
        // Department codes by their spelling ignoring case: a file may hold several departments (a central
        // register), but 'dfe' beside 'DFE' is one department written two ways.
        var departments = new Dictionary<string, (string Spelling, int Line)>(StringComparer.OrdinalIgnoreCase);
        foreach (var row in rows)
        {
            if (row.Device is not { } device)
            {
                yield return row;
                continue;
            }

            List<CellWarning>? warnings = null;
            var assetHash = Fnv1a(device.AssetId);
            if (!events && !seen.TryAdd(assetHash, row.Line) && seen[assetHash] is var firstLine)
            {
                warnings = [.. row.Warnings];
                RegisterCells.Warn(warnings, "asset_id", device.AssetId,
                    $"is also the asset on line {firstLine}: check reports both rows, and push sends the first and refuses this one (one event per asset)", unread: false);
            }

            // A department longer than a code is not one (already a warning of its own), and is not kept.
            if (device.Department.Length <= Identifiers.MaxLength)
            {
                if (!departments.TryGetValue(device.Department, out var first))
                {
                    if (departments.Count < 1_000)
                    {
                        departments[device.Department] = (device.Department, row.Line);
                    }
                }
                else if (!string.Equals(first.Spelling, device.Department, StringComparison.Ordinal))
                {
                    warnings ??= [.. row.Warnings];
                    RegisterCells.Warn(warnings, "department", device.Department,
                        $"is '{first.Spelling}' on line {first.Line} but for the case: department codes are matched exactly, so push refuses one of them (it sends one department's register)", unread: false);
                }
            }

            if (warnings is null)
            {
                yield return row;
                continue;
            }

            RegisterCells.SortByColumn(warnings);
            yield return row with { Warnings = warnings };
        }
    }

    private static ulong Fnv1a(string value)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in value)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return hash;
    }
}
