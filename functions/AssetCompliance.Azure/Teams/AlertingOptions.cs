using System.ComponentModel.DataAnnotations;
using AssetCompliance.Core.Alerting;

namespace AssetCompliance.Azure.Teams;

/// <summary>
/// Section <c>Alerting</c>. Webhook URLs are secrets: in Azure they are Key Vault references
/// (<c>@Microsoft.KeyVault(SecretUri=...)</c>) in app settings; locally, environment variables or user secrets.
/// </summary>
public sealed class AlertingOptions : IAlertRouting
{
    public const string SectionName = "Alerting";

    /// <summary>The query API's public base URL, for the cards' links (e.g. <c>https://app.azurewebsites.net/api/</c>).</summary>
    [Required]
    public Uri? ApiBaseUrl { get; set; }

    /// <summary>The central security team's channel. Without it, and without department channels, alerts stay in the outbox.</summary>
    public Uri? CentralWebhook { get; set; }

    /// <summary>Optional channels per department code.</summary>
    public Dictionary<string, Uri> DepartmentWebhooks { get; set; } = new(StringComparer.Ordinal);

    [Range(1, 3600)]
    public int GroupWindowSeconds { get; set; } = 60;

    [Range(0.1, 60)]
    public double MinSecondsBetweenPosts { get; set; } = 1;

    public IReadOnlyList<AlertTarget> For(string department)
    {
        var targets = new List<AlertTarget>(2);
        if (CentralWebhook is { } central) targets.Add(new AlertTarget("central", central));
        if (DepartmentWebhooks.TryGetValue(department, out var own)) targets.Add(new AlertTarget($"department:{department}", own));
        return targets;
    }
}
