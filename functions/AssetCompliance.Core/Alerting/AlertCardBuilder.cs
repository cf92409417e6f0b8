using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using AssetCompliance.Core.Catalogue;
using AssetCompliance.Core.Events;
using AssetCompliance.Core.Observations;
using AssetCompliance.Core.Policy;
using AssetCompliance.Core.State;

namespace AssetCompliance.Core.Alerting;

/// <summary>
/// Builds the Teams card for a group of one department's alerts: a headline, then one block per device with what a
/// security officer needs to act (severity, site, network, device as registered, who really made it, evidence, rule,
/// reasons) and a link to the asset in the query API. Deterministic for the same input, and never over the size limit:
/// a card shows in full the oldest devices that fit and ends with "and N more" for the rest, which
/// <see cref="BuildCard"/> returns so that the dispatcher posts them in further cards. Every piece of text is a literal <see cref="TextRun"/>
/// (no Markdown anywhere in a card), and each value from a register is clipped to <see cref="MaxValueLength"/>.
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

    /// <summary>
    /// The longest value from a register a card shows (the event contract's limit for text,
    /// <see cref="AssetEventParser.MaxTextLength"/>); a reason, which may quote several values, gets twice as much.
    /// </summary>
    public const int MaxValueLength = AssetEventParser.MaxTextLength;

    /// <summary>
    /// How cards are serialised to be posted and measured: the records' JSON shape, with text written as UTF-8 rather
    /// than <c>\uXXXX</c> escapes (a card is posted as <c>application/json; charset=utf-8</c> and never embedded in
    /// HTML, so there is nothing to guard against), which keeps "—", "→", quotes and non-Latin register text at their
    /// UTF-8 size within the 24 KB budget. Control characters and quotes are still escaped as JSON requires.
    /// </summary>
    public static JsonSerializerOptions Json { get; } = new(ComplianceJson.Options) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The card for <paramref name="alerts"/>; what it does not show in full is only counted in it (see <see cref="BuildCard"/>).</summary>
    public TeamsMessage Build(string department, IReadOnlyList<Alert> alerts) => BuildCard(department, alerts).Message;

    /// <summary>
    /// The card for the oldest of <paramref name="alerts"/> that fit in <see cref="MaxPayloadBytes"/> (at least one),
    /// with the alerts it shows in full and those it does not (oldest first), which a caller posts in further cards:
    /// only an alert in <see cref="AlertCard.Shown"/> has reached the channel when the card is accepted.
    /// </summary>
    public AlertCard BuildCard(string department, IReadOnlyList<Alert> alerts)
    {
        var ordered = alerts.OrderBy(a => a.OccurredAt).ThenBy(a => a.AssetId, StringComparer.Ordinal).ThenBy(a => a.Id, StringComparer.Ordinal).ToArray();
        var headline = Headline(department, ordered);
        var body = new List<CardElement> { headline };
        var actions = new List<CardAction>();
        var included = 0;
        foreach (var alert in ordered)
        {
            var candidate = body.Append(DeviceBlock(alert)).ToList();
            var candidateActions = actions.Count < MaxActions ? actions.Append(new OpenUrlAction($"Open {alert.AssetId}", AssetUrl(alert.Department, alert.AssetId))).ToList() : actions;
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
            body.Add(new RichTextBlock(new TextRun($"…and {ordered.Length - included} more change(s) in {department}, in the next card(s). The department summary lists every open item.") { IsSubtle = true }) { Separator = true });
        }

        actions.Add(SummaryAction(department));
        return new AlertCard(Message(body, actions), ordered[..included], ordered[included..]);
    }

    /// <summary>
    /// The daily digest for a department: every device still NonCompliant or NeedsReview, and every device whose
    /// remediation plan is overdue (whatever its status), oldest first, one line each (an overdue plan named on its
    /// device's line), truncated to the size limit with "and N more".
    /// </summary>
    public TeamsMessage BuildDigest(string department, IReadOnlyList<ComplianceRecord> open, DateTimeOffset now)
    {
        var ordered = open.OrderBy(r => r.StatusSince).ThenBy(r => r.AssetId, StringComparer.Ordinal).ToArray();
        var critical = ordered.Count(r => r.Status == ComplianceStatus.NonCompliant && r.Severity == Severity.Critical);
        var high = ordered.Count(r => r.Status == ComplianceStatus.NonCompliant && r.Severity == Severity.High);
        var review = ordered.Count(r => r.Status == ComplianceStatus.NeedsReview);
        var overdue = ordered.Count(r => r.Remediation is { Overdue: true, Closed: false });
        var openCount = ordered.Count(r => r.Status is ComplianceStatus.NonCompliant or ComplianceStatus.NeedsReview);
        var body = new List<CardElement>
        {
            new RichTextBlock(new TextRun($"{department} daily digest: {openCount} open{(overdue > 0 ? $", {overdue} remediation plan(s) overdue" : "")}") { Size = "Large", Weight = "Bolder", Color = critical + high + overdue > 0 ? "Attention" : "Warning" }),
            new RichTextBlock(new TextRun($"{critical} critical, {high} high, {review} needing review, {overdue} overdue plan(s), as of {now:yyyy-MM-dd HH:mm} UTC. Oldest first.") { IsSubtle = true }),
        };
        var included = 0;
        foreach (var record in ordered)
        {
            var days = (int)Math.Floor((now - record.StatusSince).TotalDays);
            var color = record.Status == ComplianceStatus.NonCompliant ? "Attention" : "Warning";
            var site = record.Device.Site is { } where ? Clip(where.Name ?? where.Id ?? "site id not recorded") : "site not recorded";
            var line = new RichTextBlock(
                new TextRun(Clip(record.AssetId)) { Weight = "Bolder", Color = color },
                new TextRun($": {(record.Severity is { } s ? $"{s} " : "")}{record.Status} for {days} day(s); {site}; {record.Vendor?.Name ?? "maker not identified"}; "
                    + (record.Remediation is { Overdue: true, Closed: false } plan ? $"remediation plan OVERDUE (due {plan.DueDate:yyyy-MM-dd}, owner {Clip(plan.Owner)}); " : "")) { Color = color },
                Link("open", AssetUrl(department, record.AssetId)))
            { Spacing = "Small" };
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
            body.Add(new RichTextBlock(new TextRun($"…and {ordered.Length - included} more. The department summary lists every open item.") { IsSubtle = true }) { Separator = true });
        }

        return Message(body, [SummaryAction(department)]);
    }

    /// <summary>The serialised size of a message in bytes, as it would be posted.</summary>
    public static int Size(TeamsMessage message) => JsonSerializer.SerializeToUtf8Bytes(message, Json).Length;

    private static TeamsMessage Message(IReadOnlyList<CardElement> body, IReadOnlyList<CardAction> actions) =>
        new([new TeamsAttachment(new AdaptiveCard(body, actions))]);

    private static RichTextBlock Headline(string department, IReadOnlyList<Alert> alerts)
    {
        var steps = alerts.Count(a => a.IsExemptionStep);
        var overdue = alerts.Count(a => a.IsRemediationStep);
        var opened = alerts.Count(a => a.Kind is AlertKind.Opened or AlertKind.Escalated);
        var unregistered = alerts.Count(a => a.Kind == AlertKind.ObservedUnregistered);
        var resolved = alerts.Count - opened - steps - overdue - unregistered;
        var parts = new List<string>();
        if (opened > 0) parts.Add($"{opened} needing action");
        if (unregistered > 0) parts.Add($"{unregistered} unregistered PRC-made {(unregistered == 1 ? "device" : "devices")} seen on the network");
        if (resolved > 0) parts.Add($"{resolved} resolved");
        if (steps > 0) parts.Add($"{steps} exemption {(steps == 1 ? "step" : "steps")}");
        if (overdue > 0) parts.Add($"{overdue} remediation {(overdue == 1 ? "plan" : "plans")} overdue");
        var worst = alerts.Where(a => a.Kind is AlertKind.Opened or AlertKind.Escalated).Select(Rank).DefaultIfEmpty(0).Max();
        return new RichTextBlock(new TextRun($"{department}: {string.Join(", ", parts)}")
        {
            Size = "Large",
            Weight = "Bolder",
            Color = worst >= 2 ? "Attention" : worst == 1 ? "Warning" : "Good",
        });
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
            { Kind: AlertKind.ExemptionRequested } => ("EXEMPTION REQUESTED: an administrator must decide", "Warning", "warning"),
            { Kind: AlertKind.ExemptionGranted } => ($"EXEMPTION GRANTED: now {record.Status}", "Warning", "warning"),
            { Kind: AlertKind.ExemptionRefused } => ("EXEMPTION REFUSED", "Default", "default"),
            { Kind: AlertKind.ExemptionRevoked } => ($"EXEMPTION REVOKED: now {record.Status}", "Attention", "attention"),
            { Kind: AlertKind.ExemptionExpired } => ($"EXEMPTION EXPIRED: now {record.Status}", "Attention", "attention"),
            { Kind: AlertKind.RemediationOverdue } => ($"REMEDIATION PLAN OVERDUE: due {record.Remediation?.DueDate:yyyy-MM-dd}, still {record.Status}", "Attention", "attention"),
            { Kind: AlertKind.ObservedUnregistered } => ($"UNREGISTERED PRC-MADE DEVICE SEEN: {record.Status}", "Attention", "attention"),
            { StatusAfter: ComplianceStatus.NonCompliant, SeverityAfter: Severity.Critical } => (alert.Kind == AlertKind.Escalated ? "ESCALATED TO CRITICAL" : "CRITICAL: non-compliant", "Attention", "attention"),
            { StatusAfter: ComplianceStatus.NonCompliant } => ("HIGH: non-compliant", "Attention", "attention"),
            _ => ("NEEDS REVIEW", "Warning", "warning"),
        };

        // An unread field is "not read", never "not recorded": the register holds something there.
        string NotRecorded(string path) => device.UnreadFields.Contains(path) ? "not read" : "not recorded";
        var site = device.Site is { } s
            ? $"{Clip(s.Name ?? s.Id ?? "unnamed site")} ({(s.Id is null ? "site id not recorded" : Clip(s.Id))}), {(s.Sensitive switch { true => "sensitive", false => "not sensitive", null => $"sensitivity {NotRecorded("site.sensitive")}" })}"
            : "not recorded";
        var facts = new List<(string Label, string Value)>
        {
            ("Department", record.Department),
            ("Site", site),
            ("Network", device.NetworkSegment?.ToWire() ?? NotRecorded("networkSegment")),
            ("Device", string.Join(", ", new[] { device.DeviceType?.ToWire(), device.Manufacturer is null ? "manufacturer blank" : $"registered as \"{Clip(device.Manufacturer)}\"", Clipped(device.Model), Clipped(device.MacAddress) }.Where(v => !string.IsNullOrEmpty(v)))),
            ("Made by", record.Vendor is { } v
                ? $"{v.Name} ({v.LegalName}); owner chain: {string.Join(" → ", v.OwnershipChain)}; {v.Jurisdiction}{(v.SubjectToNationalIntelligenceLaw == true ? "; subject to the PRC National Intelligence Law" : "")}"
                : record.Evidence.FirstOrDefault(e => e.Vendor is null && e.Kind == "macAddress" && e.Method.StartsWith("ieee-", StringComparison.Ordinal)) is { } registrant
                    ? $"not identified by the catalogue; the MAC block is registered to {Clip(registrant.Matched)} (IEEE registry), which the catalogue does not list"
                    : "not identified"),
            ("Evidence", record.Evidence.Count == 0 ? "none" : string.Join("; ", record.Evidence.Select(e =>
                $"{e.Kind} \"{Clip(e.Input)}\" → {Clip(EvidenceText.Outcome(EvidenceText.KindOf(e.Kind), e.Method, e.Matched, e.Vendor is not null), 2 * MaxValueLength)}"))),
        };
        if (record.RelabelSuspected)
        {
            // Only what is true: hardware naming another maker, or a register name that is itself a relabel brand.
            facts.Add(("Relabel suspected", record.Evidence.Any(e => e.Vendor is not null && e.Kind is "model" or "macAddress")
                ? "yes: the hardware says a different maker from the register"
                : "yes: the registered name is a brand under which another maker's hardware is sold"));
        }

        if (record.Observation is { } seen)
        {
            facts.AddRange(ObservedFacts(seen));
        }

        facts.Add(("Rule", record.Rule));
        facts.Add(("Installed", device.InstalledOn?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? NotRecorded("installedOn")));
        if (device.UnreadFields.Count > 0)
        {
            var columns = device.UnreadFields.Select(p => UnreadFields.ByPath(p)?.Column ?? p);
            facts.Add(("Not read", $"{string.Join(", ", columns)}: the register holds a value there that could not be read"));
        }

        if (alert.Note is { } note)
        {
            // The step's history line: who requested or decided, until when, and the reason (register and caller text, clipped).
            facts.Add((alert.IsRemediationStep ? "Remediation" : "Exemption", Clip(note, 2 * MaxValueLength)));
        }

        facts.Add(("Change", $"{alert.StatusBefore?.ToString() ?? "new"}{(alert.SeverityBefore is { } sb ? $" ({sb})" : "")} → {alert.StatusAfter}{(alert.SeverityAfter is { } sa ? $" ({sa})" : "")}, {alert.OccurredAt:yyyy-MM-dd HH:mm} UTC"));

        // One line per fact and per reason: a FactSet and a "- " list would be Markdown (see RichTextBlock).
        var items = new List<CardElement> { new RichTextBlock(new TextRun($"{word} — {Clip(record.AssetId)}") { Weight = "Bolder", Color = color }) };
        items.AddRange(facts.Select((f, i) => new RichTextBlock(new TextRun(f.Label + ": ") { Weight = "Bolder" }, new TextRun(f.Value)) { Spacing = i == 0 ? "Small" : "None" }));
        items.AddRange(record.Reasons.Select((r, i) => new RichTextBlock(new TextRun("• " + Clip(r, 2 * MaxValueLength)) { IsSubtle = true }) { Spacing = i == 0 ? "Small" : "None" }));
        items.Add(new RichTextBlock(Link($"Open {Clip(record.AssetId)} in the compliance API", AssetUrl(alert.Department, alert.AssetId))) { Spacing = "Small" });
        return new Container(items)
        {
            Style = style,
            Separator = true,
        };
    }

    /// <summary>
    /// What a network observation showed (issue 18): the outcome against the register, the addresses and who saw them
    /// when, where (subnet, segment, site), the evidence items, and why it matters. Observed text (a Server header,
    /// a host name) is a scanner's or a device's own words: clipped, and shown literally like register text.
    /// </summary>
    private static IEnumerable<(string Label, string Value)> ObservedFacts(ObservedState seen)
    {
        var outcome = seen.Outcome switch
        {
            Observations.ReconcileOutcomeKind.Unregistered => "UNREGISTERED: seen on the network, and no register entry matches it",
            Observations.ReconcileOutcomeKind.Ambiguous => $"AMBIGUOUS: its {seen.MatchedBy} matches {string.Join(", ", seen.Candidates.Take(5).Select(c => Clip(c)))}; none was guessed",
            Observations.ReconcileOutcomeKind.Contradicted => $"CONTRADICTED: the register says {Clip(seen.RegisteredMaker ?? "no maker")}, the network shows {Clip(seen.ObservedMaker ?? "another maker")}",
            _ => $"confirmed (matched by {seen.MatchedBy})",
        };
        yield return ("Observed", $"{outcome}; by {Clip(seen.Observer)} at {seen.LastSeenAt:yyyy-MM-dd HH:mm} UTC");
        var addresses = seen.IpAddresses.Take(4).Concat(seen.MacAddresses.Take(2).Select(m => "MAC " + m)).Concat(seen.Hostnames.Take(2).Select(h => Clip(h)));
        yield return ("Seen at", string.Join(", ", addresses));
        yield return ("Where", seen.Network is { } n
            ? $"subnet {n.Subnet}{(n.Name is null ? "" : $" ({Clip(n.Name)})")}, {n.Segment.ToWire()} segment{(n.Site is null ? "" : $", site {Clip(n.Site)}")}"
            : seen.NetworksKnown ? "in no subnet of the department's networks file: segment unknown" : "the department has no networks file: segment unknown");
        yield return ("Observed evidence", seen.Evidence.Count == 0 ? "none" : string.Join("; ", seen.Evidence.Take(8).Select(e =>
            $"{e.Signal.ToWire()} \"{Clip(e.Value)}\" ({Clip(e.Tool)}{(e.Port is { } p ? $", port {p}" : "")})")) + (seen.Evidence.Count > 8 ? $"; and {seen.Evidence.Count - 8} more" : ""));
        var why = seen switch
        {
            { Network.Segment: NetworkSegment.Core } => "seen on a core network segment: a device whose maker is subject to the PRC National Intelligence Law there is NonCompliant Critical whatever the register says",
            { Outcome: Observations.ReconcileOutcomeKind.Unregistered } => "a device no register lists cannot be governed: register it (or remove it) so that its maker and place are on record",
            { Outcome: Observations.ReconcileOutcomeKind.Contradicted } => "the hardware shows another maker than the register: a relabelled device or a wrong register; the verdict weighs what the network shows",
            { Outcome: Observations.ReconcileOutcomeKind.Ambiguous } => "several register entries share the key it was matched by: correct the register",
            _ => "what the network shows takes part in the verdict",
        };
        yield return ("Why it matters", why);
    }

    private static string Clip(string value, int maxLength = MaxValueLength) => CardText.Clip(value, maxLength);

    private static string? Clipped(string? value) => value is null ? null : Clip(value);

    private static TextRun Link(string text, string url) => new(text) { Color = "Accent", SelectAction = new OpenUrlAction(text, url) };

    private OpenUrlAction SummaryAction(string department) =>
        new($"{department} summary", new Uri(apiBaseUrl, $"departments/{Uri.EscapeDataString(department)}/summary").AbsoluteUri);

    // AbsoluteUri, not ToString(): ToString() unescapes spaces and braces again, and a link must stay one well-formed URL.
    private string AssetUrl(string department, string assetId) =>
        new Uri(apiBaseUrl, $"departments/{Uri.EscapeDataString(department)}/assets/{Uri.EscapeDataString(assetId)}").AbsoluteUri;
}

/// <summary>A card built by <see cref="AlertCardBuilder.BuildCard"/>.</summary>
/// <param name="Message">The card, at most <see cref="AlertCardBuilder.MaxPayloadBytes"/> when serialised.</param>
/// <param name="Shown">The alerts the card shows in full, oldest first; never empty when alerts were given.</param>
/// <param name="Rest">The alerts it only counts ("and N more"), oldest first: still to be posted.</param>
public sealed record AlertCard(TeamsMessage Message, IReadOnlyList<Alert> Shown, IReadOnlyList<Alert> Rest);
