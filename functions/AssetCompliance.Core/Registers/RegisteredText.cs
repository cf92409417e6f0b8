using AssetCompliance.Core.Events;

namespace AssetCompliance.Core.Registers;

/// <summary>
/// What a register said about a device, as it was written, for reports to show beside the verdict: the cells of a
/// CSV or workbook row as they were written (trimmed, nothing else changed: a MAC in Excel's scientific form, text over
/// the contract's 256 characters and control characters stay as they are), or an event's fields as it carried them.
/// Each is null when the register holds nothing there. Never used for a decision: the device the verdict is made on is
/// <see cref="RegisterRow.Device"/>. Renderers escape it (terminal control characters, CSV formulas).
/// </summary>
/// <param name="SiteId">The site id cell or field.</param>
/// <param name="SiteName">The site name cell or field.</param>
/// <param name="Manufacturer">The manufacturer cell or field.</param>
/// <param name="Model">The model cell or field.</param>
/// <param name="MacAddress">The MAC as written (any notation, or a value that is not a MAC at all), not only its canonical form.</param>
public sealed record RegisteredText(string? SiteId, string? SiteName, string? Manufacturer, string? Model, string? MacAddress)
{
    /// <summary>The text of a device as an event (or the store) carries it: its fields, with nothing for a field it lists as unread.</summary>
    public static RegisteredText From(RegisteredDevice device) =>
        new(device.Site?.Id, device.Site?.Name, device.Manufacturer, device.Model, device.MacAddress);

    /// <summary>The cells of a register row: blank cells are null.</summary>
    internal static RegisteredText FromCells(string siteId, string siteName, string manufacturer, string model, string macAddress) =>
        new(Blank(siteId), Blank(siteName), Blank(manufacturer), Blank(model), Blank(macAddress));

    private static string? Blank(string cell) => cell.Length == 0 ? null : cell;
}
