using System.Globalization;
using System.Text.Json;
using AssetCompliance.Core.Events;
using AssetCompliance.Core.Policy;
using AssetCompliance.Core.State;

namespace AssetCompliance.Core.Alerting;

/// <summary>
/// Builds the Teams card for a group of one department's alerts: a headline, then one block per device with what a
/// security officer needs to act (severity, site, network, device as registered, who really made it, evidence, rule,
/// reasons) and a link to the asset in the query API. Deterministic for the same input, and never over the size limit:
/// devices that do not fit are summarised as "and N more".
/// </summary>
public sealed class AlertCardBuilder
{
    private readonly Uri apiBaseUrl;

    public AlertCardBuilder(Uri apiBaseUrl)
    {
        // Relative links append to the base only when it ends with a slash ("https://host/api/").
        this.apiBaseUrl = apiBaseUrl.AbsoluteUri.EndsWith('/') ? apiBaseUrl : new Uri(apiBaseUrl.AbsoluteUri + "/");
    }

    /// <summary>Teams refuses messages of about 28 KB; stay well under it.</summary>
    public const int MaxPayloadBytes = 24 * 1024;

    private const int MaxActions = 5;

    public static JsonSerializerOptions Json { get; } = ComplianceJson.Options;

    public TeamsMessage Build(string department, IReadOnlyList<Alert> alerts)
    {
        var ordered = alerts.OrderBy(a => a.OccurredAt).ThenBy(a => a.AssetId, StringComparer.Ordinal).ThenBy(a => a.Id, StringComparer.Ordinal).ToArray();
        var headline = Headline(department, ordered);
        var body = new List<CardElement> { headline };
        var actions = new List<CardAction>();
        var included = 0;
        foreach (var alert in ordered)
        {
            var candidate = body.Append(DeviceBlock(alert)).ToList();
            var candidateActions = actions.Count < MaxActions ? actions.Append(new OpenUrlAction($"Open {alert.AssetId}", AssetUrl(alert))).ToList() : actions;
            // Leave room for the closing "and N more" line.
            if (included > 0 && Size(Message(candidate, candidateActions)) > MaxPayloadBytes - 600)
            {
                break;
            }

            body = candidate;
            actions = candidateActions;
            included++;
        }

        if (included < ordered.Length)
        {
            body.Add(new TextBlock($"…and {ordered.Length - included} more change(s) in {department}. The department summary lists every open item.") { Separator = true, IsSubtle = true });
        }

        actions.Add(new OpenUrlAction($"{department} summary", new Uri(apiBaseUrl, $"departments/{Uri.EscapeDataString(department)}/summary").ToString()));
        return Message(body, actions);
    }

    /// <summary>
    /// The daily digest for a department: every device still NonCompliant or NeedsReview, oldest first, one line each,
    /// truncated to the size limit with "and N more".
    /// </summary>
    public TeamsMessage BuildDigest(string department, IReadOnlyList<ComplianceRecord> open, DateTimeOffset now)
    {
        var ordered = open.OrderBy(r => r.StatusSince).ThenBy(r => r.AssetId, StringComparer.Ordinal).ToArray();
        var critical = ordered.Count(r => r.Severity == Severity.Critical);
        var high = ordered.Count(r => r.Severity == Severity.High);
        var review = ordered.Count(r => r.Status == ComplianceStatus.NeedsReview);
        var body = new List<CardElement>
        {
            new TextBlock($"{department} daily digest: {ordered.Length} open") { Size = "Large", Weight = "Bolder", Color = critical + high > 0 ? "Attention" : "Warning" },
            new TextBlock($"{critical} critical, {high} high, {review} needing review, as of {now:yyyy-MM-dd HH:mm} UTC. Oldest first.") { IsSubtle = true },
        };
        var included = 0;
        foreach (var record in ordered)
        {
            var days = (int)Math.Floor((now - record.StatusSince).TotalDays);
            var line = new TextBlock(
                $"**{record.AssetId}**: {(record.Severity is { } s ? $"{s} " : "")}{record.Status} for {days} day(s); {record.Device.Site?.Name ?? record.Device.Site?.Id ?? "site not recorded"}; {record.Vendor?.Name ?? "maker not identified"}; [open]({new Uri(apiBaseUrl, $"departments/{Uri.EscapeDataString(department)}/assets/{Uri.EscapeDataString(record.AssetId)}")})")
            { Color = record.Status == ComplianceStatus.NonCompliant ? "Attention" : "Warning", Spacing = "Small" };
            var candidate = body.Append(line).ToList();
            if (included > 0 && Size(Message(candidate, [])) > MaxPayloadBytes - 600)
            {
                break;
            }

            body = candidate;
            included++;
        }

        if (included < ordered.Length)
        {
            body.Add(new TextBlock($"…and {ordered.Length - included} more. The department summary lists every open item.") { Separator = true, IsSubtle = true });
        }

        return Message(body, [new OpenUrlAction($"{department} summary", new Uri(apiBaseUrl, $"departments/{Uri.EscapeDataString(department)}/summary").ToString())]);
    }

    /// <summary>The serialised size of a message in bytes, as it would be posted.</summary>
    public static int Size(TeamsMessage message) => JsonSerializer.SerializeToUtf8Bytes(message, Json).Length;

    private static TeamsMessage Message(IReadOnlyList<CardElement> body, IReadOnlyList<CardAction> actions) =>
        new([new TeamsAttachment(new AdaptiveCard(body, actions))]);

    private static TextBlock Headline(string department, IReadOnlyList<Alert> alerts)
    {
        var opened = alerts.Count(a => a.Kind != AlertKind.Resolved);
        var resolved = alerts.Count - opened;
        var parts = new List<string>();
        if (opened > 0) parts.Add($"{opened} needing action");
        if (resolved > 0) parts.Add($"{resolved} resolved");
        var worst = alerts.Where(a => a.Kind != AlertKind.Resolved).Select(Rank).DefaultIfEmpty(0).Max();
        return new TextBlock($"{department}: {string.Join(", ", parts)}")
        {
            Size = "Large",
            Weight = "Bolder",
            Color = worst >= 2 ? "Attention" : worst == 1 ? "Warning" : "Good",
        };
    }

    private static int Rank(Alert alert) => alert.StatusAfter switch
    {
        ComplianceStatus.NonCompliant when alert.SeverityAfter == Severity.Critical => 3,
        ComplianceStatus.NonCompliant => 2,
        ComplianceStatus.NeedsReview => 1,
        _ => 0,
    };

    private Container DeviceBlock(Alert alert)
    {
        var record = alert.Record;
        var device = record.Device;
        var (word, color, style) = alert switch
        {
            { Kind: AlertKind.Resolved } => ($"RESOLVED: now {record.Status}", "Good", "good"),
            { StatusAfter: ComplianceStatus.NonCompliant, SeverityAfter: Severity.Critical } => (alert.Kind == AlertKind.Escalated ? "ESCALATED TO CRITICAL" : "CRITICAL: non-compliant", "Attention", "attention"),
            { StatusAfter: ComplianceStatus.NonCompliant } => ("HIGH: non-compliant", "Attention", "attention"),
            _ => ("NEEDS REVIEW", "Warning", "warning"),
        };

        var site = device.Site is { } s
            ? $"{s.Name ?? s.Id} ({s.Id}), {(s.Sensitive switch { true => "sensitive", false => "not sensitive", null => "sensitivity not recorded" })}"
            : "not recorded";
        var facts = new List<Fact>
        {
            new("Department", record.Department),
            new("Site", site),
            new("Network", device.NetworkSegment?.ToWire() ?? "not recorded"),
            new("Device", string.Join(", ", new[] { device.DeviceType?.ToWire(), device.Manufacturer is null ? "manufacturer blank" : $"registered as \"{device.Manufacturer}\"", device.Model, device.MacAddress }.Where(v => !string.IsNullOrEmpty(v)))),
            new("Made by", record.Vendor is { } v
                ? $"{v.Name} ({v.LegalName}); owner chain: {string.Join(" → ", v.OwnershipChain)}; {v.Jurisdiction}{(v.SubjectToNationalIntelligenceLaw == true ? "; subject to the PRC National Intelligence Law" : "")}"
                : "not identified"),
            new("Evidence", record.Evidence.Count == 0 ? "none" : string.Join("; ", record.Evidence.Select(e => $"{e.Kind} \"{e.Input}\" → {(e.Matched.Length > 0 ? e.Matched : "no match")}"))),
        };
        if (record.RelabelSuspected)
        {
            facts.Add(new Fact("Relabel suspected", "yes: the hardware says a different maker from the register"));
        }

        facts.Add(new Fact("Rule", record.Rule));
        facts.Add(new Fact("Installed", device.InstalledOn?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "not recorded"));
        facts.Add(new Fact("Change", $"{alert.StatusBefore?.ToString() ?? "new"}{(alert.SeverityBefore is { } sb ? $" ({sb})" : "")} → {alert.StatusAfter}{(alert.SeverityAfter is { } sa ? $" ({sa})" : "")}, {alert.OccurredAt:yyyy-MM-dd HH:mm} UTC"));

        return new Container(
        [
            new TextBlock($"{word} — {record.AssetId}") { Weight = "Bolder", Color = color },
            new FactSet(facts),
            new TextBlock(string.Join("\n", record.Reasons.Select(r => "- " + r))) { IsSubtle = true },
            new TextBlock($"[Open {record.AssetId} in the compliance API]({AssetUrl(alert)})") { Spacing = "Small" },
        ])
        {
            Style = style,
            Separator = true,
        };
    }

    private string AssetUrl(Alert alert) =>
        new Uri(apiBaseUrl, $"departments/{Uri.EscapeDataString(alert.Department)}/assets/{Uri.EscapeDataString(alert.AssetId)}").ToString();
}
