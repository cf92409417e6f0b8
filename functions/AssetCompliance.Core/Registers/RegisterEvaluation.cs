using AssetCompliance.Core.Catalogue;
using AssetCompliance.Core.Events;
using AssetCompliance.Core.Policy;

namespace AssetCompliance.Core.Registers;

/// <summary>
/// A register row as the policy sees it, the same for <c>check</c> and for <c>push</c> (and so for the pipeline):
/// every cell the reader could not read (a <see cref="CellWarning"/> with <see cref="CellWarning.Unread"/>) is a
/// field in <see cref="RegisteredDevice.UnreadFields"/>, mapped from its column by <see cref="UnreadFields"/>, with no
/// value. The rule that holds a verdict back for unread fields is the evaluator's own
/// (<see cref="ComplianceEvaluator.UnreadFieldsRule"/>), so the pipeline applies it to a pushed row exactly as check does.
/// </summary>
public static class RegisterEvaluation
{
    /// <summary>The rule a verdict held back for unread cells reports.</summary>
    public const string UnreadCellsRule = ComplianceEvaluator.UnreadFieldsRule;

    /// <summary>
    /// The row's device with its unread cells marked (and without their values, such as text only partly read);
    /// unread cells of columns the contract has no field for (status, identifiers) are not marked: push refuses those rows.
    /// </summary>
    /// <exception cref="ArgumentException">The row has no device (it was not read).</exception>
    public static RegisteredDevice Device(RegisterRow row)
    {
        var device = row.Device ?? throw new ArgumentException("The row has no device.", nameof(row));
        return UnreadFields.MarkUnread(device, row.Warnings.Where(w => w.Unread).Select(w => UnreadFields.ByColumn(w.Column)?.Path).OfType<string>());
    }

    /// <summary>
    /// Identifies and evaluates a read row as check does (and as the pipeline does its pushed event): on the row's
    /// <see cref="Device"/>, computed once, so an unread cell's value (such as text over 256 characters) is never
    /// matched, and its field holds a good verdict back.
    /// </summary>
    /// <returns>The identification of the device's manufacturer, model and MAC, and the policy's verdict on it.</returns>
    /// <exception cref="ArgumentException">The row has no device (it was not read).</exception>
    public static (Identification Identification, Evaluation Evaluation) Evaluate(DeviceIdentifier identifier, ComplianceEvaluator evaluator, RegisterRow row)
    {
        var device = Device(row);
        var identification = identifier.Identify(device.Manufacturer, device.Model, device.MacAddress);
        return (identification, evaluator.Evaluate(row.Kind, device, identification));
    }

    /// <summary>
    /// The warnings of an event's unread fields (a JSON Lines register), one per field, under the register column's
    /// name, so that check reports them as it reports a CSV's unread cells.
    /// </summary>
    public static IReadOnlyList<CellWarning> Warnings(RegisteredDevice device) =>
        device.UnreadFields.Select(UnreadFields.ByPath).OfType<UnreadableField>()
            .Select(f => new CellWarning(f.Column, "", $"is listed in {UnreadFields.WireName}: the sender could not read it; unknown", Unread: true))
            .ToArray();
}
