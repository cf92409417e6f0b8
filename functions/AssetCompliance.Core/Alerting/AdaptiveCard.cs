using System.Text.Json.Serialization;

namespace AssetCompliance.Core.Alerting;

// A typed subset of Adaptive Cards 1.4: only what the alert cards use and Teams renders on desktop, web and mobile.
// Built as data, serialised by System.Text.Json, so a card is deterministic for the same input and cannot be malformed
// by a value that contains quotes or markup.

/// <summary>The Workflows webhook envelope: one attachment per post ("When a Teams webhook request is received").</summary>
public sealed record TeamsMessage(IReadOnlyList<TeamsAttachment> Attachments)
{
    [JsonPropertyOrder(-1)]
    public string Type => "message";
}

public sealed record TeamsAttachment(AdaptiveCard Content)
{
    [JsonPropertyOrder(-1)]
    public string ContentType => "application/vnd.microsoft.card.adaptive";

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? ContentUrl => null;
}

public sealed record AdaptiveCard(IReadOnlyList<CardElement> Body, IReadOnlyList<CardAction> Actions)
{
    [JsonPropertyName("$schema")]
    [JsonPropertyOrder(-3)]
    public string Schema => "http://adaptivecards.io/schemas/adaptive-card.json";

    [JsonPropertyOrder(-2)]
    public string Type => "AdaptiveCard";

    [JsonPropertyOrder(-1)]
    public string Version => "1.4";

    [JsonPropertyName("msteams")]
    public TeamsCardOptions MsTeams { get; } = new();
}

public sealed record TeamsCardOptions
{
    public string Width => "Full";
}

[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(TextBlock), "TextBlock")]
[JsonDerivedType(typeof(FactSet), "FactSet")]
[JsonDerivedType(typeof(Container), "Container")]
public abstract record CardElement
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Separator { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Spacing { get; init; }
}

public sealed record TextBlock(string Text) : CardElement
{
    public bool Wrap { get; init; } = true;

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Size { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Weight { get; init; }

    /// <summary>Adaptive Card colours: <c>Attention</c> (red), <c>Warning</c> (amber), <c>Good</c> (green), <c>Accent</c>.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Color { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool IsSubtle { get; init; }
}

public sealed record Fact(string Title, string Value);

public sealed record FactSet(IReadOnlyList<Fact> Facts) : CardElement;

public sealed record Container(IReadOnlyList<CardElement> Items) : CardElement
{
    /// <summary><c>attention</c>, <c>warning</c>, <c>good</c>, <c>emphasis</c> or <c>default</c>.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Style { get; init; }
}

[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(OpenUrlAction), "Action.OpenUrl")]
public abstract record CardAction(string Title);

public sealed record OpenUrlAction(string Title, string Url) : CardAction(Title);
