namespace AssetCompliance.Core.Policy;

/// <summary>Where a device stands against the direction; <see cref="ComplianceEvaluator"/> decides it.</summary>
public enum ComplianceStatus
{
    Compliant,
    NonCompliant,
    Advisory,
    NeedsReview,
    Exempt,
    Removed,
}

/// <summary>How urgent a non-compliance is. Only <see cref="ComplianceStatus.NonCompliant"/> carries one.</summary>
public enum Severity
{
    High,
    Critical,
}

/// <summary>The policy's verdict on one device: status, severity where it applies, the rule that decided, and why.</summary>
public sealed record Evaluation(ComplianceStatus Status, Severity? Severity, string Rule, IReadOnlyList<string> Reasons);
