using System.Security.Cryptography;
using System.Text.Json;
using AssetCompliance.Core.Catalogue;
using AssetCompliance.Core.Events;

namespace AssetCompliance.Core.Policy;

/// <summary>
/// The parameters of the policy rules (catalogue/policy.json): which device types are visual surveillance and the
/// date of the instruction. The rules themselves are in <see cref="ComplianceEvaluator"/>.
/// </summary>
public sealed class CompliancePolicy
{
    private static readonly Lazy<CompliancePolicy> Embedded = new(() =>
        Load(VendorCatalogue.ReadResource(typeof(CompliancePolicy).Assembly, "AssetCompliance.catalogue.policy.json")));

    private CompliancePolicy(string version, string name, DateOnly instructionDate, IReadOnlySet<DeviceType> surveillanceTypes)
    {
        Version = version;
        Name = name;
        InstructionDate = instructionDate;
        VisualSurveillanceTypes = surveillanceTypes;
    }

    /// <summary>"pol-" and the first 12 hex digits of the SHA-256 of policy.json.</summary>
    public string Version { get; }

    public string Name { get; }

    /// <summary>Devices installed on or after this date were deployed after the instruction.</summary>
    public DateOnly InstructionDate { get; }

    public IReadOnlySet<DeviceType> VisualSurveillanceTypes { get; }

    public static CompliancePolicy Default => Embedded.Value;

    public static CompliancePolicy Load(ReadOnlySpan<byte> json)
    {
        using var document = JsonDocument.Parse(json.ToArray());
        var root = document.RootElement;
        var name = root.GetProperty("name").GetString() ?? throw new InvalidDataException("policy.json: name is required");
        var date = DateOnly.Parse(root.GetProperty("instructionDate").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        var types = new HashSet<DeviceType>();
        foreach (var item in root.GetProperty("visualSurveillanceDeviceTypes").EnumerateArray())
        {
            if (!DeviceTypes.TryParse(item.GetString(), out var type))
            {
                throw new InvalidDataException($"policy.json: unknown device type '{item.GetString()}'");
            }

            types.Add(type);
        }

        var version = "pol-" + Convert.ToHexStringLower(SHA256.HashData(json))[..12];
        return new CompliancePolicy(version, name, date, types);
    }
}
