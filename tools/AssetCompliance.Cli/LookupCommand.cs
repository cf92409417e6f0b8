using System.CommandLine;
using System.Text.Json;
using AssetCompliance.Core.Catalogue;
using AssetCompliance.Core.Events;
using AssetCompliance.Core.State;

namespace AssetCompliance.Cli;

/// <summary><c>compliance lookup</c>: who made a device, with the evidence, as <c>GET /api/vendors/lookup</c> answers.</summary>
internal static class LookupCommand
{
    public static Command Create()
    {
        var manufacturer = new Option<string?>("--manufacturer") { Description = "The manufacturer as the register has it." };
        var model = new Option<string?>("--model") { Description = "The model number." };
        var mac = new Option<string?>("--mac") { Description = "The MAC address, in any common notation." };
        var format = new Option<string>("--format") { Description = "text or json.", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json");
        var lookup = new Command("lookup", "Identify the real maker of one device.") { manufacturer, model, mac, format };
        lookup.SetAction(parse =>
        {
            var macText = parse.GetValue(mac);
            if (macText is not null)
            {
                // A person types what the switch or the register shows (bcad-284f-1102 on HPE and Huawei): read it as check does.
                if (!MacAddress.TryParse(macText, MacNotation.Register, out var address))
                {
                    Console.Error.WriteLine($"error: '{macText}' is not a MAC address.");
                    return 1;
                }

                macText = MacAddress.TryParse(macText, out _) ? macText : address.ToString();
            }

            var result = new DeviceIdentifier(VendorCatalogue.Default).Identify(parse.GetValue(manufacturer), parse.GetValue(model), macText);
            if (parse.GetValue(format) == "json")
            {
                Console.WriteLine(JsonSerializer.Serialize(new
                {
                    catalogueVersion = VendorCatalogue.Default.Version,
                    vendor = result.Vendor is { } v ? VendorSnapshot.From(v) : null,
                    evidence = result.Evidence.Select(EvidenceSnapshot.From),
                    result.RelabelSuspected,
                    // The MAC block's IEEE registrant when the catalogue does not know it: a name, not an identification.
                    macRegistrant = result.Vendor is null ? result.UnlistedMacOrganisation : null,
                    conflict = result.Conflict is { } c ? new { prcSide = c.PrcSide.Select(EvidenceSnapshot.From), otherSide = c.OtherSide.Select(EvidenceSnapshot.From), c.PrcSideWon, c.Settled } : null,
                }, ComplianceJson.Indented));
                return 0;
            }

            if (result.Vendor is not { } vendor)
            {
                Console.WriteLine(result.UnlistedMacOrganisation is { } registrant
                    ? $"Not identified by the catalogue. The MAC block is registered to {TerminalText.Safe(registrant)} (IEEE registry), which the catalogue does not list."
                    : "Not identified.");
            }
            else
            {
                Console.WriteLine($"{vendor.Name} ({vendor.LegalName}), {vendor.Jurisdiction}; owned through {string.Join(" → ", vendor.OwnershipChain.Select(o => o.Name))}");
                Console.WriteLine($"Subject to the PRC National Intelligence Law: {vendor.SubjectToNationalIntelligenceLaw?.ToString() ?? "contested"}{(vendor.NationalIntelligenceLawNote is { } note ? " — " + note : "")}");
                if (vendor.Listings.Count > 0)
                {
                    Console.WriteLine("Listed: " + string.Join(", ", vendor.Listings.Select(l => $"{l.List} since {l.Since:yyyy-MM-dd}")));
                }
            }

            foreach (var evidence in result.Evidence)
            {
                Console.WriteLine($"  {evidence.Kind} [{EvidenceTable.StrengthOf(evidence).ToString().ToLowerInvariant()}]: '{TerminalText.Safe(evidence.Input)}' → {EvidenceText.Outcome(evidence)} [{evidence.Method}]");
            }

            if (result.Conflict is { } conflict)
            {
                Console.WriteLine($"  Conflict: {string.Join(", ", conflict.PrcSide.Select(e => $"{e.Kind} → {e.Vendor!.Name}"))} (PRC law) against {string.Join(", ", conflict.OtherSide.Select(e => $"{e.Kind} → {e.Vendor!.Name}"))}; " +
                    (conflict.PrcSideWon && conflict.Settled ? "the PRC side outweighs it." : "never cleared: check the device by hand."));
            }

            if (result.RelabelSuspected)
            {
                Console.WriteLine("  Relabel suspected: the register's name and the hardware disagree; the hardware was trusted.");
            }

            return 0;
        });
        return lookup;
    }
}
