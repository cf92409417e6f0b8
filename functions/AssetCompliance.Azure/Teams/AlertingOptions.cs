using System.ComponentModel.DataAnnotations;
using AssetCompliance.Core.Alerting;

namespace AssetCompliance.Azure.Teams;

/// <summary>
/// Section <c>Alerting</c>. Webhook URLs are secrets: in Azure they are Key Vault references
/// (<c>@Microsoft.KeyVault(SecretUri=...)</c>) in app settings; locally, environment variables or user secrets.
/// </summary>
public sealed class AlertingOptions : IAlertRouting, IValidatableObject
{
    public const string SectionName = "Alerting";

    /// <summary>The query API's public base URL, for the cards' links (e.g. <c>https://app.azurewebsites.net/api/</c>). Required once a webhook is set.</summary>
    public Uri? ApiBaseUrl { get; set; }

    /// <summary>The central security team's channel. Without it, and without department channels, alerts stay in the outbox.</summary>
    public Uri? CentralWebhook { get; set; }

    /// <summary>Optional channels per department code.</summary>
    public Dictionary<string, Uri> DepartmentWebhooks { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Least seconds between two posts of one department's alerts (<see cref="DispatchSettings.GroupWindow"/>): the
    /// first alerts after a quiet spell go out right after their batch commits; later ones wait for the window's end.
    /// </summary>
    [Range(1, 3600)]
    public int GroupWindowSeconds { get; set; } = 60;

    [Range(0.1, 60)]
    public double MinSecondsBetweenPosts { get; set; } = 1;

    [Range(1, 1000)]
    public int MaxAlertsPerCard { get; set; } = 50;

    /// <summary>
    /// Seconds that delivery right after a batch commits may take in all (<see cref="DispatchSettings.PostCommitBudget"/>;
    /// default 5): one attempt per post, no in-process Retry-After waits. What does not go through in time is left in the
    /// outbox for the timer sweep, which retries in full; so a slow or silent webhook cannot hold a Service Bus batch.
    /// </summary>
    [Range(0.1, 60)]
    public double PostCommitBudgetSeconds { get; set; } = 5;

    /// <summary>Days delivered alerts stay listed in <c>GET /api/alerts?status=sent</c> before the daily prune deletes them.</summary>
    [Range(1, 3650)]
    public int DeliveredRetentionDays { get; set; } = 90;

    /// <summary>The webhooks by name and host only: each URL carries its credential.</summary>
    public override string ToString() =>
        $"AlertingOptions {{ CentralWebhook = {SecretText.Webhook(CentralWebhook)}, DepartmentWebhooks = [{string.Join(", ", DepartmentWebhooks.OrderBy(d => d.Key, StringComparer.Ordinal).Select(d => $"{d.Key} = {SecretText.Webhook(d.Value)}"))}], ApiBaseUrl = {ApiBaseUrl} }}";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var webhooks = DepartmentWebhooks.Values.Prepend(CentralWebhook).OfType<Uri>().ToArray();
        if (webhooks.Length > 0 && ApiBaseUrl is null)
        {
            yield return new ValidationResult("Alerting:ApiBaseUrl is required when a webhook is configured: the cards link to the API.", [nameof(ApiBaseUrl)]);
        }

        // Say which setting is wrong without echoing the URL: it carries the webhook's signature.
        foreach (var (name, uri) in DepartmentWebhooks.Select(d => ($"DepartmentWebhooks:{d.Key}", d.Value)).Prepend(("CentralWebhook", CentralWebhook!)).Where(x => x.Item2 is not null))
        {
            if (!uri.IsAbsoluteUri || (uri.Scheme != Uri.UriSchemeHttps && !uri.IsLoopback))
            {
                yield return new ValidationResult($"Alerting:{name} must be an absolute https URL (or http on loopback for local tests).", [name]);
            }
        }
    }

    public DispatchSettings ToDispatchSettings() => new()
    {
        GroupWindow = TimeSpan.FromSeconds(GroupWindowSeconds),
        MaxAlertsPerCard = MaxAlertsPerCard,
        PostCommitBudget = TimeSpan.FromSeconds(PostCommitBudgetSeconds),
        DeliveredRetention = TimeSpan.FromDays(DeliveredRetentionDays),
    };

    public IReadOnlyList<AlertTarget> For(string department)
    {
        var targets = new List<AlertTarget>(2);
        if (CentralWebhook is { } central) targets.Add(new AlertTarget("central", central));
        if (DepartmentWebhooks.TryGetValue(department, out var own)) targets.Add(new AlertTarget($"department:{department}", own));
        return targets;
    }
}
