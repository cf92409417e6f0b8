using AssetCompliance.Core.Catalogue;
using AssetCompliance.Core.Events;
using AssetCompliance.Core.Policy;

namespace AssetCompliance.Core.Registers;

/// <summary>
/// The verdict on a register row read with warnings. The device is evaluated on every cell that could be read, and
/// a verdict that an unread cell could have changed is not allowed to be a good one: when a cell that identification or
/// the policy uses (<see cref="VerdictColumns"/>) was not read, Compliant and Advisory become NeedsReview, naming
/// the cells. NonCompliant stays NonCompliant: what was read is already enough to act on.
/// </summary>
public static class RegisterEvaluation
{
    /// <summary>The rule a verdict held back for unread cells reports.</summary>
    public const string UnreadCellsRule = "unread-cells-need-review";

    /// <summary>Columns whose value identification (maker, model, MAC) or the policy (type, site, network, date, status) reads.</summary>
    public static readonly IReadOnlySet<string> VerdictColumns = new HashSet<string>(StringComparer.Ordinal)
    {
        "manufacturer", "model", "mac_address", "device_type", "site_sensitive", "network_segment", "installed_on", "status",
    };

    /// <summary>The policy's verdict on a read row (one with a device), held back to NeedsReview as described above.</summary>
    /// <exception cref="ArgumentException">The row has no device (it was not read).</exception>
    public static Evaluation Evaluate(ComplianceEvaluator evaluator, RegisterRow row, Identification identification)
    {
        var device = row.Device ?? throw new ArgumentException("The row has no device.", nameof(row));
        var evaluation = evaluator.Evaluate(row.Kind, device, identification);
        if (evaluation.Status is not (ComplianceStatus.Compliant or ComplianceStatus.Advisory) || row.Warnings.Count == 0)
        {
            return evaluation;
        }

        var unread = row.Warnings.Where(w => w.Unread && VerdictColumns.Contains(w.Column)).Select(w => w.Column).Distinct().ToArray();
        if (unread.Length == 0)
        {
            return evaluation;
        }

        return new Evaluation(ComplianceStatus.NeedsReview, null, UnreadCellsRule,
        [
            .. evaluation.Reasons,
            $"The register's {string.Join(", ", unread)} could not be read, and the verdict depends on {(unread.Length == 1 ? "it" : "them")}: it would be {evaluation.Status} on the cells that were read. Check by hand, or correct the register.",
        ]);
    }
}
