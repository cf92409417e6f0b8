using System.Security.Cryptography;
using System.Text.Json;
using AssetCompliance.Core.Catalogue;
using AssetCompliance.Core.Events;

namespace AssetCompliance.Core.Policy;

/// <summary>
/// The parameters of the policy rules (catalogue/policy.json): which device types are visual surveillance, the
/// date of the instruction, and how far ahead a remediation plan may be due (<see cref="Remediation"/>). The rules
/// themselves are in <see cref="ComplianceEvaluator"/>.
/// </summary>
public sealed class CompliancePolicy
{
    private static readonly Lazy<CompliancePolicy> Embedded = new(() =>
        Load(VendorCatalogue.ReadResource(typeof(CompliancePolicy).Assembly, "AssetCompliance.catalogue.policy.json")));

    private CompliancePolicy(string version, string name, DateOnly instructionDate, IReadOnlySet<DeviceType> surveillanceTypes, RemediationPolicy remediation)
    {
        Version = version;
        Name = name;
        InstructionDate = instructionDate;
        VisualSurveillanceTypes = surveillanceTypes;
        Remediation = remediation;
    }

    /// <summary>"pol-" and the first 12 hex digits of the SHA-256 of policy.json.</summary>
    public string Version { get; }

    public string Name { get; }

    /// <summary>Devices installed on or after this date were deployed after the instruction.</summary>
    public DateOnly InstructionDate { get; }

    public IReadOnlySet<DeviceType> VisualSurveillanceTypes { get; }

    /// <summary>The limits of remediation plans (<c>remediation.maxDueDays</c>).</summary>
    public RemediationPolicy Remediation { get; }

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

        var remediation = RemediationPolicy.Read(root);
        var version = "pol-" + Convert.ToHexStringLower(SHA256.HashData(json))[..12];
        return new CompliancePolicy(version, name, date, types, remediation);
    }
}

/// <summary>
/// How far ahead a remediation plan's due date may be, in whole days from the day the plan is made (UTC), by how urgent
/// the device is: <c>Critical</c> and <c>High</c> for a NonCompliant device of that severity, <c>Medium</c> for a
/// NeedsReview device and <c>Low</c> for an Advisory one (the evaluator gives those no severity).
/// </summary>
public sealed class RemediationPolicy
{
    /// <summary>The urgency names <c>maxDueDays</c> must give, every one.</summary>
    public static readonly IReadOnlyList<string> Urgencies = ["Critical", "High", "Medium", "Low"];

    /// <summary>The largest <c>maxDueDays</c> value accepted (ten years): a larger one is a typing error, not a policy.</summary>
    public const int MaxDays = 3660;

    private readonly IReadOnlyDictionary<string, int> maxDueDays;

    private RemediationPolicy(IReadOnlyDictionary<string, int> maxDueDays) => this.maxDueDays = maxDueDays;

    /// <summary>The days allowed per urgency name, as the file gives them.</summary>
    public IReadOnlyDictionary<string, int> MaxDueDays => maxDueDays;

    /// <summary>
    /// The urgency name a device's verdict falls under (see the class), or null for a verdict no plan is for
    /// (Compliant, Removed). An Exempt device is judged by what the policy alone says of it.
    /// </summary>
    public static string? UrgencyOf(ComplianceStatus verdict, Severity? severity) => verdict switch
    {
        ComplianceStatus.NonCompliant => severity == Severity.High ? "High" : "Critical", // no severity on a NonCompliant device is read as the worst
        ComplianceStatus.NeedsReview => "Medium",
        ComplianceStatus.Advisory => "Low",
        _ => null,
    };

    /// <summary>The most days ahead a plan for a device of this urgency may be due.</summary>
    public int MaxDaysFor(string urgency) => maxDueDays[urgency];

    /// <summary>Reads <c>remediation.maxDueDays</c>: every urgency present, each a whole number of 1 to <see cref="MaxDays"/> days, no other name.</summary>
    internal static RemediationPolicy Read(JsonElement root)
    {
        if (!root.TryGetProperty("remediation", out var remediation) || remediation.ValueKind != JsonValueKind.Object
            || !remediation.TryGetProperty("maxDueDays", out var days) || days.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException("policy.json: remediation.maxDueDays is required (an object of days per urgency: Critical, High, Medium, Low)");
        }

        var values = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var property in days.EnumerateObject())
        {
            if (!Urgencies.Contains(property.Name))
            {
                throw new InvalidDataException($"policy.json: remediation.maxDueDays.{property.Name} is not an urgency ({string.Join(", ", Urgencies)})");
            }

            if (property.Value.ValueKind != JsonValueKind.Number || !property.Value.TryGetInt32(out var value) || value is < 1 or > MaxDays)
            {
                throw new InvalidDataException($"policy.json: remediation.maxDueDays.{property.Name} must be a whole number of days from 1 to {MaxDays}");
            }

            values[property.Name] = value;
        }

        if (Urgencies.Where(u => !values.ContainsKey(u)).ToArray() is { Length: > 0 } missing)
        {
            throw new InvalidDataException($"policy.json: remediation.maxDueDays lacks {string.Join(", ", missing)}");
        }

        return new RemediationPolicy(values);
    }
}
